"""FactoryAssumptions from a TOML file or a mapping, with every problem reported at once.

A file holds field names at the top level (or inside one ``[economics]`` table): numbers,
priors as inline tables with a ``kind``, price paths as tables, and ``preset`` for a hardware
preset (:meth:`FactoryAssumptions.preset`) that the other fields then override::

    preset = "h20"
    utilization = { kind = "LogitNormal", median = 0.6, sigma = 0.4 }
    currency = "CNY"
    exchange_rate = 7.3

    [path_output]                      # points, step or log-linear ...
    interpolation = "log-linear"
    points = [["2026-01-01", 1.0], ["2027-01-01", 0.6]]

    [path_input_miss]                  # ... or one change per year
    yearly = { start = "2026-01-01", changes = [-0.3, 0.1] }

``input_tokens_per_second_per_gpu = "none"`` counts decode GPUs only.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokendemand.errors import ConfigError
from tokendemand.factory.assumptions import FactoryAssumptions
from tokendemand.factory.paths import PricePath
from tokendemand.priors import Fixed, LogitNormal, LogNormal, Normal, Prior

__all__ = ["assumptions_from_dict", "load_assumptions"]

_FAMILIES: dict[str, type[Prior]] = {
    cls.kind: cls for cls in (Normal, LogNormal, LogitNormal, Fixed)
}
_NULLABLE = ("input_tokens_per_second_per_gpu", "user_tokens_per_second")


def load_assumptions(path: str | Path) -> FactoryAssumptions:
    """Read :class:`FactoryAssumptions` overrides from a TOML file.

    Parameters
    ----------
    path
        The file; see the module docstring for its form.

    Raises
    ------
    ConfigError
        When the file is missing or is not TOML, or listing every invalid entry in it.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read economics file {file}: {error.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{file} is not valid TOML: {error}") from None
    try:
        return assumptions_from_dict(data)
    except ConfigError as error:
        raise ConfigError(f"{file}: {error}") from None


def assumptions_from_dict(data: Mapping[str, Any]) -> FactoryAssumptions:
    """:class:`FactoryAssumptions` from a mapping of the TOML form.

    Examples
    --------
    >>> a = assumptions_from_dict({
    ...     "preset": "b200",
    ...     "pue": {"kind": "LogNormal", "median": 1.2, "sigma": 0.5, "lower": 1.0},
    ...     "path_output": {"yearly": {"start": "2026-01-01", "changes": [-0.5]}},
    ... })
    >>> a.hardware, a.pue.kind, a.path_output.interpolation
    ('b200', 'LogNormal', 'log-linear')
    """
    if set(data) == {"economics"} and isinstance(data["economics"], Mapping):
        data = data["economics"]
    problems: list[str] = []
    values: dict[str, Any] = {}
    known = set(FactoryAssumptions.names())
    for name, raw in data.items():
        if name == "preset":
            continue
        if name not in known:
            problems.append(f"unknown field {name!r}; fields are: {', '.join(sorted(known))}")
            continue
        try:
            values[name] = _value(name, raw)
        except ConfigError as error:
            problems.append(f"{name}: {error}")
    preset = data.get("preset")
    if preset is not None and not isinstance(preset, str):
        problems.append(f"preset: give a preset name, got {preset!r}")
        preset = None
    try:
        base = FactoryAssumptions.preset(preset) if preset else FactoryAssumptions()
    except ConfigError as error:
        problems.append(f"preset: {error}")
        base = FactoryAssumptions()
    try:
        result = base.replace(**values)
    except ConfigError as error:
        problems.extend(str(error).splitlines()[1:] or [str(error)])
        result = base
    if problems:
        raise ConfigError(
            "invalid economics assumptions:\n  " + "\n  ".join(p.strip() for p in problems)
        )
    return result


def _value(name: str, raw: Any) -> Any:
    if name.startswith("path_"):
        return _path(raw)
    if name in _NULLABLE and isinstance(raw, str) and raw.lower() == "none":
        return None
    if isinstance(raw, Mapping):
        spec = dict(raw)
        kind = spec.pop("kind", None)
        family = _FAMILIES.get(kind) if isinstance(kind, str) else None
        if family is None:
            raise ConfigError(f"unknown prior kind {kind!r}; use one of {sorted(_FAMILIES)}")
        try:
            return family(**spec)
        except TypeError as error:
            raise ConfigError(f"{kind}: {error}") from None
    return raw


def _path(raw: Any) -> PricePath:
    if not isinstance(raw, Mapping):
        raise ConfigError("a price path is a table with 'points' (and 'interpolation') or 'yearly'")
    keys = set(raw)
    if keys == {"yearly"} and isinstance(raw["yearly"], Mapping):
        yearly = raw["yearly"]
        if set(yearly) != {"start", "changes"}:
            raise ConfigError("yearly needs exactly 'start' and 'changes'")
        return PricePath.yearly(yearly["start"], list(yearly["changes"]))
    if "points" in keys and keys <= {"points", "interpolation"}:
        return PricePath(raw["points"], raw.get("interpolation", "step"))
    raise ConfigError(
        f"a price path has 'points' (and 'interpolation') or 'yearly', got keys {sorted(keys)}"
    )
