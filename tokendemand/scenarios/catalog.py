"""Scenario files (TOML) and the built-in scenarios."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Final, overload

from tokendemand.errors import ConfigError
from tokendemand.scenarios.changes import Scale
from tokendemand.scenarios.scenario import Scenario, scenario_from_mapping
from tokendemand.structure import intensity_ratio_for_break_even

__all__ = [
    "BASS_PQ_AVERAGE",
    "BASS_PQ_LOWER_QUARTILE",
    "BASS_PQ_UPPER_QUARTILE",
    "BUILTIN_NAMES",
    "FORMAT_VERSION",
    "builtin",
    "example_path",
    "load_toml",
]

FORMAT_VERSION: Final = 1
"""Version of the scenario file format that :func:`load_toml` reads."""


def load_toml(path: str | Path) -> tuple[Scenario, ...]:
    """Read scenarios from a TOML file.

    The file holds an optional ``version = 1`` and one ``[[scenario]]`` table per scenario:
    ``name`` (required), ``description``, ``source``, ``start``, ``intensity_ratio`` or
    ``break_even_penetration``, ``substitution``, ``recalibrate``, and per lever a table with
    one of ``scale``, ``growth`` (continuous annual rate), ``per_year`` (multiple per year),
    ``pin`` (a list of ``[date, value]``) or ``override`` (a table of parameters), plus an
    optional ``start``. Dates may be TOML dates or strings. The shipped example
    (:func:`example_path`)::

    {example}

    Raises
    ------
    ConfigError
        Naming the file and listing every problem: TOML syntax, unknown keys, bad values,
        duplicate names.

    Examples
    --------
    >>> [s.name for s in load_toml(example_path())]
    ['agents-double-speed', 'complexity-4x-a-year', 'agents-pinned', 'low-ceiling']
    """
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read scenario file {where}: {error.strerror}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"scenario file {where} is not valid TOML: {error}") from None
    problems: list[str] = []
    version = document.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        problems.append(f"version {version!r} is not supported; this library reads version 1")
    for key in document:
        if key not in ("version", "scenario"):
            hint = " (write [[scenario]] tables)" if key == "scenarios" else ""
            problems.append(f"unknown top-level key {key!r}{hint}")
    tables = document.get("scenario", [])
    if not isinstance(tables, list) or not tables:
        problems.append("no scenarios: add [[scenario]] tables")
        tables = []
    scenarios: list[Scenario] = []
    for i, table in enumerate(tables, start=1):
        scenario, found = scenario_from_mapping(table)
        label = table.get("name", "?") if isinstance(table, Mapping) else "?"
        problems.extend(f"scenario {i} ({label!r}): {p}" for p in found)
        if scenario is not None:
            scenarios.append(scenario)
    names = [s.name for s in scenarios]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"scenario name {name!r} is used more than once")
    if problems:
        raise ConfigError(f"invalid scenario file {where}:\n  " + "\n  ".join(problems))
    return tuple(scenarios)


def example_path() -> Path:
    """Path of the example scenario file shipped with the package."""
    return Path(str(resources.files("tokendemand").joinpath("example_scenarios.toml")))


if load_toml.__doc__:  # show the shipped example in the docs of the format
    _example = example_path().read_text(encoding="utf-8").strip().splitlines()
    load_toml.__doc__ = load_toml.__doc__.replace(
        "    {example}", "\n".join(("        " + line).rstrip() for line in _example)
    )

# ---------------------------------------------------------------------------- built-ins

# Bass diffusion depends on time only through (p + q) * t when q / p is fixed, so an adoption
# pace f times the average's is the same curve with time running f times faster: Scale(f) on
# penetration. The average is Sultan, Farley and Lehmann's meta-analysis (p = 0.03, q = 0.38);
# the quartiles are those of p + q over the 36 published estimates in the project's shared
# data/bass_parameters.csv (pandas' default linear interpolation). tests/test_scenarios.py
# recomputes them from that file.
BASS_PQ_AVERAGE: Final = 0.03 + 0.38
BASS_PQ_LOWER_QUARTILE: Final = 0.31124
BASS_PQ_UPPER_QUARTILE: Final = 0.5477250435

_CICC_BREAK_EVEN: Final = 0.08
_CICC_SOURCE: Final = (
    "CICC research, moderate usage scenario, as reported in the press in May 2026: agent "
    "tokens equal chatbot tokens at 8% agent penetration"
)
_BASS_SOURCE: Final = (
    "Bass p + q: Sultan, Farley and Lehmann (1990) average 0.41; quartiles over 36 published "
    "estimates (classic textbook table and Van den Bulte's compilation)"
)


def _builtins() -> dict[str, Scenario]:
    slow = BASS_PQ_LOWER_QUARTILE / BASS_PQ_AVERAGE
    fast = BASS_PQ_UPPER_QUARTILE / BASS_PQ_AVERAGE
    scenarios = (
        Scenario("posterior", "the fitted trajectory, unchanged", source="the fit"),
        Scenario(
            "cicc-moderate",
            "agent intensity such that agents match chatbots at 8% penetration on the "
            f"reference date (rho = {intensity_ratio_for_break_even(_CICC_BREAK_EVEN):g} "
            "without substitution)",
            break_even_penetration=_CICC_BREAK_EVEN,
            source=_CICC_SOURCE,
        ),
        Scenario(
            "slow-adoption",
            f"agent adoption runs at {slow:.2f}x the fitted pace from the reference date, as a "
            "product at the lower quartile of published Bass p + q against the average one",
            penetration=Scale(slow),
            source=_BASS_SOURCE,
        ),
        Scenario(
            "fast-adoption",
            f"agent adoption runs at {fast:.2f}x the fitted pace from the reference date, as a "
            "product at the upper quartile of published Bass p + q against the average one",
            penetration=Scale(fast),
            source=_BASS_SOURCE,
        ),
    )
    return {s.name: s for s in scenarios}


BUILTIN_NAMES: Final[tuple[str, ...]] = tuple(_builtins())
"""Names of the built-in scenarios, in the order :func:`builtin` returns them."""


@overload
def builtin(name: None = None) -> tuple[Scenario, ...]: ...
@overload
def builtin(name: str) -> Scenario: ...
def builtin(name: str | None = None) -> Scenario | tuple[Scenario, ...]:
    """The built-in scenarios, or one of them by name.

    ==================  ==========================================================================
    ``posterior``       no change: the fitted trajectory
    ``cicc-moderate``   ``rho`` such that break-even penetration is 8% on the reference date
                        (CICC's moderate usage case, press reports May 2026)
    ``slow-adoption``   penetration runs at the lower-quartile Bass pace (``p + q``) relative to
                        the meta-analysis average:
                        ``Scale(BASS_PQ_LOWER_QUARTILE / BASS_PQ_AVERAGE)``
    ``fast-adoption``   the upper-quartile pace: ``Scale(BASS_PQ_UPPER_QUARTILE / BASS_PQ_AVERAGE)``
    ==================  ==========================================================================

    Examples
    --------
    >>> [s.name for s in builtin()]
    ['posterior', 'cicc-moderate', 'slow-adoption', 'fast-adoption']
    >>> round(builtin("fast-adoption").penetration.factor, 3)  # type: ignore[union-attr]
    1.336
    """
    table = _builtins()
    if name is None:
        return tuple(table.values())
    if name not in table:
        raise ConfigError(
            f"unknown built-in scenario {name!r}; built-ins are: {', '.join(table)}"
            " (load your own with tokendemand.scenarios.load_toml)"
        )
    return table[name]
