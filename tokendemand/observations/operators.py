"""The aggregation operator: the daily grid of the latent series, and the linear maps from it
to each observation."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tokendemand.dates import iso, to_day
from tokendemand.errors import DataError
from tokendemand.observations.collection import Observations

__all__ = ["NODE_SPACING_DAYS", "aggregation_weights", "daily_grid", "node_interpolation"]

NODE_SPACING_DAYS = 7
"""Longest gap between the nodes :func:`node_interpolation` keeps inside a period."""


def daily_grid(observations: Observations, start: Any = None, end: Any = None) -> pd.DatetimeIndex:
    """Daily dates from ``start`` to ``end`` inclusive, by default covering every observation.

    Parameters
    ----------
    observations
        Their :meth:`~Observations.date_range` gives the default bounds.
    start, end
        Explicit bounds (anything :class:`pandas.Timestamp` accepts) to extend the grid,
        e.g. to a projection horizon. A grid that leaves out an observation's days makes
        :func:`aggregation_weights` raise.

    Returns
    -------
    pandas.DatetimeIndex
        Consecutive days, frequency ``"D"``, named ``"date"``.

    Raises
    ------
    DataError
        If a bound is not a date, ``end`` is before ``start``, or there are no observations
        and no bounds.

    Examples
    --------
    >>> from tokendemand.observations import Observation
    >>> obs = Observations([Observation("s", "m", "total", 7e12, "2026-05-18", "2026-05-24",
    ...                                 source="x")])
    >>> grid = daily_grid(obs)
    >>> len(grid), grid[0].date().isoformat(), grid[-1].date().isoformat()
    (7, '2026-05-18', '2026-05-24')
    """
    if start is None or end is None:
        first, last = observations.date_range()
        start = first if start is None else start
        end = last if end is None else end
    first_day, last_day = to_day(start, "grid start"), to_day(end, "grid end")
    if last_day < first_day:
        raise DataError(f"grid end {iso(last_day)} is before its start {iso(first_day)}")
    return pd.date_range(first_day, last_day, freq="D", name="date")


def aggregation_weights(
    observations: Observations, grid: pd.DatetimeIndex
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]:
    """The linear operators that map a daily series on ``grid`` to each observation.

    Parameters
    ----------
    observations
        ``n_obs`` observations.
    grid
        Consecutive days (:func:`daily_grid`).

    Returns
    -------
    W, B : numpy.ndarray
        Float arrays of shape ``(n_obs, len(grid))``. Row ``i`` of ``W`` is observation
        ``i``'s operator: a ``point`` is 1 on its day; a ``mean``, the numerator of a
        ``ratio``, and a ``share``, ``penetration`` or ``agent_share`` are ``1 / days`` on each
        day of the period (1 on a single day); a ``total`` is 1 on each day (tokens/day
        summed over days give tokens). ``B`` holds the ratio base-period means (``1 / base
        days`` on each base day) and zeros for other kinds. The model-side value of a level
        is ``W @ x``, of a ratio ``(W @ x) / (B @ x)``.

    Raises
    ------
    DataError
        If the grid is not consecutive days, or some observation's days fall outside it
        (each such observation is named).

    Examples
    --------
    >>> from tokendemand.observations import Observation
    >>> obs = Observations([
    ...     Observation("s", "m", "total", 7e12, "2026-05-18", "2026-05-24", source="x"),
    ...     Observation("s", "m", "ratio", 1.074, "2026-05-18", "2026-05-24", source="x",
    ...                 base_start="2026-05-11", base_end="2026-05-17"),
    ... ])
    >>> W, B = aggregation_weights(obs, daily_grid(obs))
    >>> W.shape, float(W[0].sum()), float(W[1].sum().round(12)), float(B[0].sum())
    ((2, 14), 7.0, 1.0, 0.0)
    >>> B[1].nonzero()[0].tolist(), W[1].nonzero()[0].tolist()
    ([0, 1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12, 13])
    """
    if not isinstance(grid, pd.DatetimeIndex) or len(grid) == 0:
        raise DataError("the grid must be a non-empty pandas.DatetimeIndex of days (daily_grid)")
    if grid.tz is not None or not (grid == grid.normalize()).all():
        raise DataError("the grid must hold timezone-naive midnight dates; use daily_grid")
    steps = np.asarray((grid[1:] - grid[:-1]) / pd.Timedelta(days=1), dtype=np.float64)
    if not np.all(steps == 1.0):
        raise DataError("the grid must be consecutive days without gaps; use daily_grid")
    origin, size = grid[0], len(grid)
    weights = np.zeros((len(observations), size), dtype=np.float64)
    base = np.zeros((len(observations), size), dtype=np.float64)
    outside: list[str] = []

    def span(first: pd.Timestamp, last: pd.Timestamp) -> tuple[int, int] | None:
        lo, hi = int((first - origin).days), int((last - origin).days)
        return (lo, hi) if lo >= 0 and hi < size else None

    for i, obs in enumerate(observations):
        positions = span(obs.start, obs.end)
        base_positions = None
        if obs.base_start is not None and obs.base_end is not None:
            base_positions = span(obs.base_start, obs.base_end)
            if base_positions is None:
                positions = None
        if positions is None:
            outside.append(f"  observations[{i}] ({obs.describe()})")
            continue
        lo, hi = positions
        weights[i, lo : hi + 1] = 1.0 if obs.kind == "total" else 1.0 / (hi - lo + 1)
        if base_positions is not None:
            blo, bhi = base_positions
            base[i, blo : bhi + 1] = 1.0 / (bhi - blo + 1)
    if outside:
        raise DataError(
            f"{len(outside)} observation(s) fall outside the grid {iso(origin)}.."
            f"{iso(grid[-1])}; extend the grid (daily_grid(observations, start, end)) or "
            "filter them out:\n" + "\n".join(outside)
        )
    return weights, base


def node_interpolation(
    observations: Observations, days: pd.DatetimeIndex, spacing: int = NODE_SPACING_DAYS
) -> tuple[pd.DatetimeIndex, np.ndarray[Any, np.dtype[np.float64]]]:
    """Nodes among ``days`` and the linear interpolation from them back to every day.

    A smooth daily path need not be evaluated on every day a long period covers: the nodes are
    every figure's first and last day (and its base period's), plus a node every ``spacing``
    days inside longer periods, and the path on the other days is interpolated linearly
    between neighbouring nodes. So ``W @ x`` becomes ``(W @ P) @ x_nodes``: exact for a figure
    of one day (its day is a node) and for a path linear between nodes; for the saturating and
    logistic curves of the model, whose growth rates are a few per year, the error of a period
    mean or total is below 0.1% with weekly nodes.

    Parameters
    ----------
    observations
        The figures whose days ``days`` covers.
    days
        The days with weight (a subset of :func:`daily_grid`, sorted), as the columns of ``W``.
    spacing
        Longest gap between nodes inside a period, in days (``1``: every day is a node).

    Returns
    -------
    tuple
        The node days (a subset of ``days``) and ``P``, shape ``(len(days), len(nodes))``, each
        row the weights of the day on its two neighbouring nodes.
    """
    if spacing < 1:
        raise ValueError(f"spacing must be at least 1 day, got {spacing}")
    wanted: set[pd.Timestamp] = set()
    for o in observations:
        for first, last in ((o.start, o.end), (o.base_start, o.base_end)):
            if first is None or last is None:
                continue
            wanted.update((first, last))
            wanted.update(pd.date_range(first, last, freq=f"{spacing}D"))
    position = {day: i for i, day in enumerate(days)}
    kept = np.array(sorted(position[d] for d in wanted if d in position), dtype=np.int64)
    interpolation = np.zeros((len(days), len(kept)))
    at = np.searchsorted(kept, np.arange(len(days)))
    for day, right in enumerate(at):
        if right < len(kept) and kept[right] == day:
            interpolation[day, right] = 1.0
            continue
        left = right - 1
        if left < 0 or right >= len(kept):  # outside every period: no figure weighs it
            continue
        share = (day - kept[left]) / (kept[right] - kept[left])
        interpolation[day, left] = 1.0 - share
        interpolation[day, right] = share
    return days[kept], interpolation
