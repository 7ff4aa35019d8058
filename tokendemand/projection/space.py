"""Scenario spaces: many scenarios as a table of numbers.

A space is a :class:`pandas.DataFrame` with one row per scenario and one column per *setting*.
A setting names what it changes:

==============================  ================================================================
column                          the row's value becomes
==============================  ================================================================
``<lever>.scale``               :class:`~tokendemand.scenarios.Scale` of that lever (any lever;
                                for penetration, the speed of adoption)
``<lever>.growth``              :class:`~tokendemand.scenarios.Growth`: a continuous annual rate
                                (index levers: users, chatbot, complexity, usage)
``<lever>.per_year``            ``Growth.per_year``: a multiple per year (index levers)
``<lever>.<parameter>``         :class:`~tokendemand.scenarios.Override` of one parameter of the
                                lever's curve family, e.g. ``penetration.ceiling``
``intensity_ratio``             the scenario's ``rho``
``break_even_penetration``      the scenario's break-even penetration (``rho`` follows per draw)
``substitution``                the scenario's substitution share ``s``
==============================  ================================================================

A lever takes at most one change, so a space has at most one column per lever. A row's settings
replace what a *base* scenario (default ``"posterior"``) says about the same lever, or about
``rho`` (``intensity_ratio`` and ``break_even_penetration`` replace each other).
:func:`row_scenario` turns a row into a :class:`~tokendemand.scenarios.Scenario`;
:func:`sample_space` draws a space from ``{setting: (low, high)}`` ranges with
:mod:`scipy.stats.qmc` (scrambled Sobol' points or a Latin hypercube).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
from scipy.stats import qmc

from tokendemand.errors import ConfigError
from tokendemand.scenarios import Change, Growth, Override, Scale, Scenario, builtin
from tokendemand.structure import LEVERS

__all__ = [
    "SCALAR_SETTINGS",
    "Setting",
    "check_space",
    "parse_setting",
    "row_scenario",
    "sample_space",
]

SCALAR_SETTINGS: Final = ("intensity_ratio", "break_even_penetration", "substitution")
"""Settings that are not a lever's change."""

_MODES: Final = ("scale", "growth", "per_year")

# value rules: (low, high, low included, high included, wording)
_RULES: Final[dict[str, tuple[float, float, bool, bool, str]]] = {
    "scale": (0.0, math.inf, False, False, "must be positive"),
    "per_year": (0.0, math.inf, False, False, "must be positive (a multiple per year)"),
    "growth": (-math.inf, math.inf, False, False, "must be finite"),
    "intensity_ratio": (0.0, math.inf, False, False, "must be positive"),
    "break_even_penetration": (0.0, 1.0, False, True, "must be in (0, 1]"),
    "substitution": (0.0, 1.0, True, True, "must be in [0, 1]"),
    "ceiling": (0.0, 1.0, False, True, "must be in (0, 1] (a share of users)"),
    "p": (0.0, math.inf, False, False, "must be positive"),
    "q": (0.0, math.inf, True, False, "must not be negative"),
    "ceiling_multiple": (0.0, math.inf, False, False, "must be positive and not 1"),
}


@dataclass(frozen=True)
class Setting:
    """One column of a space, parsed.

    Attributes
    ----------
    name
        The column name, e.g. ``"penetration.scale"``.
    lever
        The lever it changes, or ``None`` for a scalar setting (:data:`SCALAR_SETTINGS`).
    mode
        ``"scale"``, ``"growth"``, ``"per_year"``, ``"override"``, or the scalar's name.
    parameter
        For ``"override"``: the family parameter replaced; else ``""``.
    """

    name: str
    lever: str | None
    mode: str
    parameter: str = ""

    def change(self, value: float) -> Change:
        """The change one value of this setting makes (lever settings only)."""
        if self.mode == "scale":
            return Scale(value)
        if self.mode == "growth":
            return Growth(value)
        if self.mode == "per_year":
            return Growth.per_year(value)
        if self.mode == "override":
            return Override(**{self.parameter: value})
        raise ConfigError(f"{self.name} is not a lever setting")

    @property
    def rule(self) -> str:
        """Name of the value rule that applies (a key of the rules table)."""
        return self.parameter if self.mode == "override" else self.mode


def parse_setting(name: str) -> Setting:
    """Parse a column name into a :class:`Setting`.

    Examples
    --------
    >>> parse_setting("complexity.per_year")
    Setting(name='complexity.per_year', lever='complexity', mode='per_year', parameter='')
    >>> parse_setting("penetration.ceiling").mode
    'override'
    """
    if not isinstance(name, str):
        raise ConfigError(f"setting names are strings such as 'penetration.scale', got {name!r}")
    if name in SCALAR_SETTINGS:
        return Setting(name, None, name)
    lever, dot, mode = name.partition(".")
    if not dot or lever not in LEVERS or not mode:
        raise ConfigError(
            f"unknown setting {name!r}: write '<lever>.<mode>' with a lever in "
            f"{', '.join(LEVERS)} and a mode in {', '.join(_MODES)} or a curve parameter "
            f"(e.g. 'penetration.ceiling'), or one of {', '.join(SCALAR_SETTINGS)}"
        )
    if mode in ("pin", "override"):
        raise ConfigError(
            f"{name}: a setting is one number; put pinned paths in the base scenario and "
            f"name overridden parameters directly, e.g. '{lever}.ceiling'"
        )
    if mode in _MODES:
        if lever == "penetration" and mode != "scale":
            raise ConfigError(
                f"{name}: penetration is a share; its setting is 'penetration.scale' (the speed "
                "of adoption) or a curve parameter such as 'penetration.ceiling'"
            )
        return Setting(name, lever, mode)
    return Setting(name, lever, "override", mode)


def check_space(space: pd.DataFrame) -> tuple[Setting, ...]:
    """Check a space and return its settings in column order.

    Raises
    ------
    ConfigError
        Listing every problem: unknown or repeated settings, two settings on one lever,
        ``intensity_ratio`` with ``break_even_penetration``, non-numeric or missing values,
        values outside a setting's range (naming the first row that breaks it).
    """
    if not isinstance(space, pd.DataFrame):
        raise ConfigError(
            f"a space is a pandas DataFrame (one row per scenario), got {type(space).__name__}; "
            "build one with sample_space({setting: (low, high)}, n)"
        )
    problems: list[str] = []
    settings: list[Setting] = []
    for column in space.columns:
        try:
            settings.append(parse_setting(column))
        except ConfigError as error:
            problems.append(str(error))
    if not space.index.is_unique:
        problems.append("the index names the scenarios and must be unique; reset_index() it")
    if len(space) == 0:
        problems.append("the space has no rows")
    levers = [s.lever for s in settings if s.lever is not None]
    for lever in sorted({x for x in levers if levers.count(x) > 1}):
        found = [s.name for s in settings if s.lever == lever]
        problems.append(f"{lever} has several settings ({', '.join(found)}); a lever takes one")
    names = {s.name for s in settings}
    if {"intensity_ratio", "break_even_penetration"} <= names:
        problems.append("give intensity_ratio or break_even_penetration, not both")
    for setting in settings:
        series = space[setting.name]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            problems.append(f"{setting.name}: values must be numbers, got dtype {series.dtype}")
            continue
        values = series.to_numpy(dtype=float)
        low, high, low_in, high_in, wording = _RULES.get(
            setting.rule, (-math.inf, math.inf, False, False, "must be finite")
        )
        ok = np.isfinite(values) & (values >= low if low_in else values > low)
        ok &= values <= high if high_in else values < high
        if setting.rule == "ceiling_multiple":
            ok &= values != 1.0
        if not ok.all():
            bad = int(np.argmin(ok))
            problems.append(
                f"{setting.name} {wording}: row {space.index[bad]!r} has {float(values[bad])!r} "
                f"({int((~ok).sum())} rows break the rule)"
            )
    if problems:
        raise ConfigError("invalid scenario space:\n  " + "\n  ".join(problems))
    return tuple(settings)


def _base(base: Scenario | str) -> Scenario:
    if isinstance(base, Scenario):
        return base
    if isinstance(base, str):
        return builtin(base)
    raise ConfigError(f"base must be a Scenario or a built-in name, got {base!r}")


def row_fields(base: Scenario, settings: tuple[Setting, ...], row: Any) -> dict[str, Any]:
    """The :meth:`Scenario.replace` fields that one row of values (in settings order) sets."""
    fields: dict[str, Any] = {}
    for setting, value in zip(settings, row, strict=True):
        number = float(value)
        if setting.lever is not None:
            fields[setting.lever] = setting.change(number)
        else:
            fields[setting.name] = number
    rho = [name for name in ("intensity_ratio", "break_even_penetration") if name in fields]
    for name in rho:  # one of them sets rho: the base's other one goes
        other = "break_even_penetration" if name == "intensity_ratio" else "intensity_ratio"
        fields[other] = None
    return fields


def row_scenario(
    space: pd.DataFrame, row: Any, base: Scenario | str = "posterior", name: str | None = None
) -> Scenario:
    """The scenario that one row of ``space`` describes.

    Parameters
    ----------
    space
        The space.
    row
        A label of ``space.index``.
    base
        The scenario whose levers the row changes (a :class:`Scenario` or a built-in name).
    name
        The scenario's name; default ``"<base name>:<row label>"``.

    Examples
    --------
    >>> space = pd.DataFrame({"penetration.scale": [0.5, 2.0], "complexity.per_year": [2.0, 4.0]})
    >>> scenario = row_scenario(space, 1)
    >>> scenario.name, scenario.penetration
    ('posterior:1', Scale(factor=2.0, start=None))
    """
    settings = check_space(space)
    if row not in space.index:
        raise ConfigError(f"row {row!r} is not in the space's index")
    chosen = _base(base)
    values = space.loc[row, [s.name for s in settings]].to_numpy(dtype=float)
    label = name if name is not None else f"{chosen.name}:{row}"
    description = ", ".join(f"{s.name} = {v:.4g}" for s, v in zip(settings, values, strict=True))
    return chosen.replace(
        name=label, description=description, **row_fields(chosen, settings, values)
    )


def sample_space(
    ranges: Mapping[str, tuple[float, float]],
    n: int,
    method: Literal["sobol", "latin"] = "sobol",
    seed: int | None = 0,
) -> pd.DataFrame:
    """A space of ``n`` rows spread over ``{setting: (low, high)}`` ranges.

    Parameters
    ----------
    ranges
        The low and high value of each setting (uniform between them).
    n
        Rows. Sobol' points are balanced when ``n`` is a power of 2.
    method
        ``"sobol"`` (scrambled Sobol' points, :class:`scipy.stats.qmc.Sobol`) or ``"latin"``
        (:class:`scipy.stats.qmc.LatinHypercube`).
    seed
        Seed of the scrambling or the hypercube.

    Examples
    --------
    >>> space = sample_space({"penetration.scale": (0.5, 2.0), "intensity_ratio": (5, 20)}, 8)
    >>> space.shape, bool(space["intensity_ratio"].between(5, 20).all())
    ((8, 2), True)
    """
    problems: list[str] = []
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        problems.append(f"n must be a positive integer, got {n!r}")
    if method not in ("sobol", "latin"):
        problems.append(f"method must be 'sobol' or 'latin', got {method!r}")
    if not ranges:
        problems.append("ranges is empty: give {setting: (low, high)}")
    lows, highs = [], []
    for name, bounds in ranges.items():
        try:
            low, high = (float(b) for b in bounds)
        except (TypeError, ValueError):
            problems.append(f"{name}: expected (low, high), got {bounds!r}")
            continue
        if not low < high:
            problems.append(f"{name}: low {low} must be below high {high}")
        lows.append(low)
        highs.append(high)
    if problems:
        raise ConfigError("invalid space ranges:\n  " + "\n  ".join(problems))
    d = len(ranges)
    if method == "sobol":
        # Sobol' points are balanced in powers of 2 (scipy warns otherwise): take the next
        # power and keep the first n (still low-discrepancy, balanced when n is a power of 2).
        unit = qmc.Sobol(d, scramble=True, rng=seed).random_base2(math.ceil(math.log2(n)))[:n]
    else:
        unit = qmc.LatinHypercube(d, rng=seed).random(n)
    space = pd.DataFrame(qmc.scale(unit, lows, highs), columns=list(ranges))
    check_space(space)
    return space
