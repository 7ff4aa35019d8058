"""The four ways a scenario changes a lever: Scale, Growth, Pin and Override.

Each is a small frozen value that checks itself on construction; :func:`check_change` adds the
checks that depend on the lever (penetration is a share, indices are positive, parameter names
of the lever's families). How a change transforms a lever's path is in
:mod:`tokendemand.projection`.
"""

from __future__ import annotations

import difflib
import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.curves import INDEX_FAMILIES, PENETRATION_FAMILIES
from tokendemand.dates import iso, to_day
from tokendemand.errors import ConfigError
from tokendemand.structure import DateLike

__all__ = [
    "CHANGE_KEYS",
    "Change",
    "Growth",
    "Override",
    "Pin",
    "Scale",
    "change_from_table",
    "check_change",
]


def to_number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ConfigError(f"{what}: expected a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ConfigError(f"{what}: expected a finite number, got {number}")
    return number


def optional_date(value: Any, what: str) -> pd.Timestamp | None:
    return None if value is None else to_day(value, what, ConfigError)


@dataclass(frozen=True, init=False)
class Scale:
    """Scale a lever's growth after ``start``.

    For an index the log-growth since ``start`` is multiplied by ``factor``
    (``x(s) * (x(t) / x(s)) ** factor``); for penetration, time runs ``factor`` times faster
    (``pi(s + factor * (t - s))``). Both are continuous at ``start``; before it nothing changes.

    Parameters
    ----------
    factor
        Positive; 1 changes nothing, 2 doubles growth, 0.5 halves it.
    start
        When the change begins; ``None`` uses the scenario's start.

    Examples
    --------
    >>> Scale(2.0)
    Scale(factor=2.0, start=None)
    """

    factor: float
    start: pd.Timestamp | None

    def __init__(self, factor: float, start: DateLike | None = None) -> None:
        number = to_number(factor, "Scale factor")
        if number <= 0.0:
            raise ConfigError(f"Scale factor must be positive, got {number}")
        object.__setattr__(self, "factor", number)
        object.__setattr__(self, "start", optional_date(start, "Scale start"))

    def describe(self) -> str:
        """One line: ``growth (penetration: pace) multiplied by 1.5 from 2026-03-31``."""
        since = f" from {iso(self.start)}" if self.start is not None else ""
        return f"growth (penetration: pace) multiplied by {self.factor:g}{since}"

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this change."""
        return _with_start({"scale": self.factor}, self.start)


@dataclass(frozen=True, init=False)
class Growth:
    """An index grows at a constant continuous ``annual_rate`` from its value at ``start``.

    Parameters
    ----------
    annual_rate
        Continuous rate per year: the index is multiplied by ``exp(annual_rate)`` each year.
    start
        When the change begins; ``None`` uses the scenario's start.

    Examples
    --------
    >>> round(Growth.per_year(4.0).annual_rate, 6)
    1.386294
    """

    annual_rate: float
    start: pd.Timestamp | None

    def __init__(self, annual_rate: float, start: DateLike | None = None) -> None:
        object.__setattr__(self, "annual_rate", to_number(annual_rate, "Growth annual_rate"))
        object.__setattr__(self, "start", optional_date(start, "Growth start"))

    @classmethod
    def per_year(cls, multiple: float, start: DateLike | None = None) -> Growth:
        """Growth by ``multiple`` times a year (``4.0``: fourfold each year)."""
        number = to_number(multiple, "Growth per_year")
        if number <= 0.0:
            raise ConfigError(f"Growth per_year must be a positive multiple, got {number}")
        return cls(math.log(number), start)

    def describe(self) -> str:
        """One line: the yearly factor and the continuous rate, and from when."""
        since = f" from {iso(self.start)}" if self.start is not None else ""
        yearly = math.exp(self.annual_rate)
        return f"grows ×{yearly:.3g} a year (continuous rate {self.annual_rate:.3g}){since}"

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this change."""
        return _with_start({"growth": self.annual_rate}, self.start)


@dataclass(frozen=True, init=False)
class Pin:
    """The lever follows a path of (date, value) points after ``start``.

    Values are interpolated linearly between points and held after the last one. Between
    ``start`` and the first point the lever moves linearly from its posterior value at
    ``start`` to the first value (so the path is continuous unless the first point is at
    ``start``). Index values are relative to the reference date (1 there); penetration values
    are shares in ``[0, 1]``.

    Parameters
    ----------
    points
        Pairs ``(date, value)`` in increasing date order, or a mapping date -> value.
    start
        Where the bridge to the first point begins; ``None`` uses the scenario's start.

    Examples
    --------
    >>> pin = Pin([("2028-01-01", 0.2), ("2030-01-01", 0.4)])
    >>> [(d.date().isoformat(), v) for d, v in pin.points]
    [('2028-01-01', 0.2), ('2030-01-01', 0.4)]
    """

    points: tuple[tuple[pd.Timestamp, float], ...]
    start: pd.Timestamp | None

    def __init__(
        self,
        points: Iterable[tuple[DateLike, float]] | Mapping[DateLike, float],
        start: DateLike | None = None,
    ) -> None:
        pairs = list(points.items()) if isinstance(points, Mapping) else list(points)
        problems: list[str] = []
        parsed: list[tuple[pd.Timestamp, float]] = []
        if not pairs:
            problems.append("Pin needs at least one (date, value) point")
        for i, pair in enumerate(pairs):
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                problems.append(f"Pin point {i}: expected a (date, value) pair, got {pair!r}")
                continue
            try:
                date = to_day(pair[0], f"Pin point {i} date", ConfigError)
                parsed.append((date, to_number(pair[1], f"Pin point {i} value")))
            except ConfigError as error:
                problems.append(str(error))
        for (d0, _), (d1, _) in itertools.pairwise(parsed):
            if d1 <= d0:
                problems.append(
                    f"Pin dates must increase: {iso(d1)} comes after {iso(d0)}; sort the points"
                )
        try:
            stamp = optional_date(start, "Pin start")
        except ConfigError as error:
            problems.append(str(error))
        if problems:
            raise ConfigError("invalid Pin:\n  " + "\n  ".join(problems))
        object.__setattr__(self, "points", tuple(parsed))
        object.__setattr__(self, "start", stamp)

    def describe(self) -> str:
        """One line: the pinned (date, value) points, and from when."""
        since = f" from {iso(self.start)}" if self.start is not None else ""
        points = ", ".join(f"{iso(d)}: {v:g}" for d, v in self.points)
        return f"pinned to {points}{since}"

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this change."""
        return _with_start({"pin": [[iso(d), v] for d, v in self.points]}, self.start)


@dataclass(frozen=True, init=False)
class Override:
    """Replace parameters of a lever's curve family, over the whole path.

    Unlike the other modes this is a different curve, not a change from ``start``: history
    changes too (``recalibrate`` then keeps the reference-date total). Date parameters
    (``midpoint``, ``launch``) may be given as dates.

    Examples
    --------
    >>> Override(ceiling=0.6).values
    {'ceiling': 0.6}
    """

    items: tuple[tuple[str, float | pd.Timestamp], ...]

    def __init__(self, **values: float | DateLike) -> None:
        problems: list[str] = []
        if not values:
            problems.append("Override needs at least one parameter, e.g. Override(ceiling=0.6)")
        items: list[tuple[str, float | pd.Timestamp]] = []
        for name, value in values.items():
            try:
                if isinstance(value, bool | int | float | np.number):
                    items.append((name, to_number(value, name)))
                else:
                    items.append((name, to_day(value, name, ConfigError)))
            except ConfigError as error:
                problems.append(f"Override {error}")
        if problems:
            raise ConfigError("invalid Override:\n  " + "\n  ".join(problems))
        object.__setattr__(self, "items", tuple(sorted(items)))

    @property
    def values(self) -> dict[str, float | pd.Timestamp]:
        """The replaced values by parameter name."""
        return dict(self.items)

    def describe(self) -> str:
        """One line: the curve parameters replaced."""
        values = ", ".join(f"{k} = {v}" for k, v in self.to_dict()["override"].items())
        return f"curve parameters replaced: {values} (whole path)"

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this change."""
        return {
            "override": {k: iso(v) if isinstance(v, pd.Timestamp) else v for k, v in self.items}
        }


Change = Scale | Growth | Pin | Override
"""Any of the ways a scenario changes a lever."""

CHANGE_KEYS: Final = ("scale", "growth", "per_year", "pin", "override")


def _with_start(table: dict[str, Any], start: pd.Timestamp | None) -> dict[str, Any]:
    if start is not None:
        table["start"] = iso(start)
    return table


def _family_parameters(lever: str) -> tuple[set[str], set[str]]:
    """All parameter names (and date parameter names) any family of ``lever`` can take."""
    registry = PENETRATION_FAMILIES if lever == "penetration" else INDEX_FAMILIES
    names = {p for fam in registry.values() for p in fam.parameters}
    dates = {p for fam in registry.values() for p in fam.date_parameters}
    return names, dates


def check_change(lever: str, change: Any) -> list[str]:
    """Problems of one lever's change, each prefixed with the lever (empty if none)."""
    if not isinstance(change, Scale | Growth | Pin | Override):
        return [
            f"{lever}: expected Scale, Growth, Pin or Override (or None for the posterior), "
            f"got {change!r}"
        ]
    share = lever == "penetration"
    problems: list[str] = []
    if isinstance(change, Growth) and share:
        problems.append(
            "penetration: Growth applies to the indices (users, chatbot, complexity, usage); "
            "penetration is a share: use Scale to speed adoption up or Pin to set a path"
        )
    if isinstance(change, Pin):
        for date, level in change.points:
            if share and not 0.0 <= level <= 1.0:
                problems.append(
                    f"penetration: pinned value {level} on {iso(date)} is outside [0, 1]; "
                    "penetration is a share of users"
                )
            if not share and level <= 0.0:
                problems.append(
                    f"{lever}: pinned value {level} on {iso(date)} must be positive "
                    "(index values are relative to the reference date, where they are 1)"
                )
    if isinstance(change, Override):
        names, date_names = _family_parameters(lever)
        for name, value in change.items:
            if name not in names:
                hint = difflib.get_close_matches(name, sorted(names), n=1)
                problems.append(
                    f"{lever}: Override has unknown parameter {name!r}"
                    + (f" (did you mean {hint[0]!r}?)" if hint else "")
                    + f"; {lever} families take: {', '.join(sorted(names))}"
                )
            elif isinstance(value, pd.Timestamp):
                if name not in date_names:
                    problems.append(f"{lever}: Override {name} must be a number, got a date")
            elif name == "ceiling" and not 0.0 < value <= 1.0:
                problems.append(f"penetration: Override ceiling {value} must be in (0, 1]")
            elif name == "p" and value <= 0.0:
                problems.append(f"penetration: Override p {value} must be positive")
            elif name == "ceiling_multiple" and (value <= 0.0 or value == 1.0):
                problems.append(f"{lever}: Override ceiling_multiple {value} must be > 0 and != 1")
    return problems


def change_from_table(lever: str, table: Any) -> Change:
    """A change from its TOML table (the inverse of each change's ``to_dict``)."""
    if not isinstance(table, Mapping):
        raise ConfigError(
            f"{lever}: expected a table such as {{ scale = 2.0 }}, got {table!r}; "
            f"keys: {', '.join(CHANGE_KEYS)} (one of them) and optionally start"
        )
    modes = [key for key in table if key in CHANGE_KEYS]
    unknown = [key for key in table if key not in (*CHANGE_KEYS, "start")]
    if unknown or len(modes) != 1:
        what = f"unknown key {', '.join(map(repr, unknown))}" if unknown else "no mode"
        if len(modes) > 1:
            what = f"several modes ({', '.join(modes)})"
        raise ConfigError(
            f"{lever}: {what}; give exactly one of {', '.join(CHANGE_KEYS)} (and optionally start)"
        )
    mode = modes[0]
    start = table.get("start")
    value = table[mode]
    try:
        if mode == "scale":
            return Scale(value, start)
        if mode == "growth":
            return Growth(value, start)
        if mode == "per_year":
            return Growth.per_year(value, start)
        if mode == "pin":
            if not isinstance(value, list):
                raise ConfigError(f"pin must be a list of [date, value] pairs, got {value!r}")
            return Pin([tuple(p) if isinstance(p, list) else p for p in value], start)
        if start is not None:
            raise ConfigError("override replaces the whole curve and takes no start")
        if not isinstance(value, Mapping):
            raise ConfigError(
                f"override must be a table such as {{ ceiling = 0.6 }}, got {value!r}"
            )
        return Override(**value)
    except ConfigError as error:
        raise ConfigError(f"{lever}: {error}") from None
