"""Price paths: how a per-token price moves over time, as a multiple of its base value.

A :class:`PricePath` is a few ``(date, factor)`` points. Between points the factor either holds
until the next point (``"step"``: list prices, which change on a day) or moves log-linearly
(``"log-linear"``: a trend, a constant yearly multiplicative change); before the first point and
after the last it stays flat. :meth:`PricePath.yearly` writes a path as one change per year.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from tokendemand.errors import ConfigError

__all__ = ["Interpolation", "PricePath"]

Interpolation = Literal["step", "log-linear"]


@dataclass(frozen=True)
class PricePath:
    """A price multiplier over time: ``(date, factor)`` points and how to fill between them.

    Parameters
    ----------
    points
        ``(date, factor)`` pairs with strictly increasing dates and positive factors; dates are
        anything :class:`pandas.Timestamp` reads.
    interpolation
        ``"step"`` (a factor holds until the next point) or ``"log-linear"``.

    Raises
    ------
    ConfigError
        Listing every problem: no points, a date that is not a date, dates not increasing, a
        factor that is not a positive finite number, an unknown interpolation.

    Examples
    --------
    >>> path = PricePath.yearly("2026-01-01", [-0.5, 0.2])
    >>> factors = path.factor(["2025-06-01", "2027-01-01", "2028-01-01", "2030-01-01"])
    >>> [round(float(f), 6) for f in factors]
    [1.0, 0.5, 0.6, 0.6]
    >>> PricePath([("2025-01-20", 1.0), ("2025-09-29", 0.2)]).factor(["2025-05-01"]).tolist()
    [1.0]
    """

    points: tuple[tuple[pd.Timestamp, float], ...]
    interpolation: Interpolation = "step"

    def __init__(
        self, points: Iterable[tuple[Any, float]], interpolation: Interpolation = "step"
    ) -> None:
        problems: list[str] = []
        parsed: list[tuple[pd.Timestamp, float]] = []
        for index, point in enumerate(points):
            try:
                date, factor = point
            except (TypeError, ValueError):
                problems.append(f"point {index}: {point!r} is not a (date, factor) pair")
                continue
            stamp = _date(date)
            if stamp is None:
                problems.append(f"point {index}: {date!r} is not a date (give YYYY-MM-DD)")
            if not _positive(factor):
                problems.append(f"point {index}: factor {factor!r} is not a positive number")
            if stamp is not None and _positive(factor):
                parsed.append((stamp, float(factor)))
        if not parsed and not problems:
            problems.append("a price path needs at least one (date, factor) point")
        dates = [date for date, _ in parsed]
        if any(later <= earlier for earlier, later in itertools.pairwise(dates)):
            problems.append(
                f"dates must increase strictly, got {[d.date().isoformat() for d in dates]}"
            )
        if interpolation not in ("step", "log-linear"):
            problems.append(f"interpolation {interpolation!r} is not 'step' or 'log-linear'")
        if problems:
            raise ConfigError("invalid PricePath:\n  " + "\n  ".join(problems))
        object.__setattr__(self, "points", tuple(parsed))
        object.__setattr__(self, "interpolation", interpolation)

    @classmethod
    def constant(cls) -> PricePath:
        """Prices that never change (factor 1 at every date)."""
        return cls([(pd.Timestamp("2000-01-01"), 1.0)])

    @classmethod
    def yearly(cls, start: Any, changes: Sequence[float]) -> PricePath:
        """Factor 1 on ``start``, then one multiplicative change per year, log-linear between.

        Parameters
        ----------
        start
            The date the base price holds.
        changes
            Relative change over each following year: ``-0.5`` halves the price over that year,
            ``0.3`` raises it 30%; each must exceed -1.
        """
        stamp = _date(start)
        if stamp is None:
            raise ConfigError(f"invalid PricePath: start {start!r} is not a date (give YYYY-MM-DD)")
        bad = [c for c in changes if not (_finite(c) and float(c) > -1.0)]
        if bad:
            raise ConfigError(f"invalid PricePath: yearly changes must exceed -1, got {bad}")
        points = [(stamp, 1.0)]
        for year, change in enumerate(changes, start=1):
            points.append(
                (stamp + pd.DateOffset(years=year), points[-1][1] * (1.0 + float(change)))
            )
        return cls(points, "log-linear")

    def factor(self, dates: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The multiplier on each of ``dates`` (a float array of the same length)."""
        index = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(np.asarray(dates))))
        x = _nanoseconds(index)
        xp = _nanoseconds(pd.DatetimeIndex([d for d, _ in self.points]))
        fp = np.array([f for _, f in self.points])
        if self.interpolation == "step":
            position = np.searchsorted(xp, x, side="right") - 1
            return np.asarray(fp[np.clip(position, 0, len(fp) - 1)], dtype=float)
        return np.asarray(np.exp(np.interp(x, xp, np.log(fp))), dtype=float)

    def to_dict(self) -> dict[str, Any]:
        """``{"interpolation": ..., "points": [[YYYY-MM-DD, factor], ...]}`` (TOML-ready)."""
        return {
            "interpolation": self.interpolation,
            "points": [[d.date().isoformat(), f] for d, f in self.points],
        }

    def describe(self) -> str:
        """Short text: the points and the interpolation."""
        shown = ", ".join(f"{d.date().isoformat()}: {f:.3g}" for d, f in self.points)
        return f"{self.interpolation} path ({shown})"


def _nanoseconds(index: pd.DatetimeIndex) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.asarray(index.as_unit("ns").asi8, dtype=float)


def _date(value: Any) -> pd.Timestamp | None:
    try:
        stamp: Any = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
        return None
    return stamp.normalize()


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _positive(value: Any) -> bool:
    return _finite(value) and float(value) > 0.0
