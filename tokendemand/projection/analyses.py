"""Analyses of a :class:`~tokendemand.projection.Projection`.

* :func:`multiplier`: ``D(end) / D(start)`` per scenario and draw, and :func:`prob_above`.
* :func:`attribution`: that multiplier split over the five levers by exact Shapley values in
  log space. With ``L(S) = log D`` when the levers in ``S`` take their ``end`` values and the
  others their ``start`` values (``rho``, ``s`` and ``b_r`` are constant in time), lever ``i``
  gets ``phi_i = sum over S without i of |S|! (4 - |S|)! / 5! * (L(S + i) - L(S))`` and the
  factor ``exp(phi_i)``. The factors multiply back to the multiplier (Shapley efficiency); a
  lever that does not move gets exactly 1; a lever that enters the total as a plain factor
  (``users``) gets exactly its own ratio. 2^5 evaluations of
  :func:`~tokendemand.structure.combine` per draw, vectorised.
* :func:`break_even`: the first date when agent tokens reach chatbot tokens, per draw
  (:class:`BreakEven`).
* :func:`quantile_frame`: tidy quantiles over draws.

The :class:`~tokendemand.projection.Projection` methods of the same names call these.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import numpy as np
import pandas as pd
import xarray as xr

from tokendemand.dates import iso, to_day
from tokendemand.errors import ConfigError
from tokendemand.structure import COMPONENTS, LEVERS, DateLike, combine
from tokendemand.structure import Parameters as _Parameters

__all__ = [
    "LEVER_VARIABLES",
    "QUANTILES",
    "BreakEven",
    "Projected",
    "attribution",
    "break_even",
    "multiplier",
    "prob_above",
    "quantile_frame",
    "shapley_weights",
]

QUANTILES: Final = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Default quantiles of :func:`quantile_frame`."""


class Projected(Protocol):
    """What the analyses read of a :class:`~tokendemand.projection.Projection`."""

    @property
    def dataset(self) -> xr.Dataset:
        """The projected variables, dims ``(scenario, draw, date)``."""
        ...

    @property
    def parameters(self) -> Mapping[str, _Parameters]:
        """Per scenario, the parameter values of each draw."""
        ...

    def at(self, dates: DateLike | Sequence[DateLike]) -> xr.Dataset:
        """Every component on ``dates``, computed exactly."""
        ...


LEVER_VARIABLES: Final = {
    "users": "users",
    "chatbot": "chatbot_intensity",
    "penetration": "penetration",
    "complexity": "complexity",
    "usage": "usage",
}
"""The projection variable that holds each lever's values."""


def multiplier(projection: Projected, start: DateLike, end: DateLike) -> xr.DataArray:
    """``D(end) / D(start)`` with dims ``(scenario, draw)``, computed exactly at both dates."""
    total = projection.at([start, end])["total"]
    out = total.isel(date=1, drop=True) / total.isel(date=0, drop=True)
    out.name = "multiplier"
    out.attrs = {
        "start": iso(to_day(start, "start", ConfigError)),
        "end": iso(to_day(end, "end", ConfigError)),
    }
    return out


def prob_above(multipliers: xr.DataArray, x: float) -> pd.Series:
    """Share of draws with a multiplier above ``x``, by scenario.

    Examples
    --------
    >>> m = xr.DataArray([[4.0, 6.0], [6.0, 7.0]], dims=("scenario", "draw"),
    ...                  coords={"scenario": ["a", "b"]})
    >>> prob_above(m, 5.0).to_dict()
    {'a': 0.5, 'b': 1.0}
    """
    share = (multipliers > x).mean("draw")
    index = pd.Index(multipliers["scenario"].values, name="scenario")
    return pd.Series(share.values, index=index, name=f"P(multiplier > {x:g})")


def shapley_weights(n: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Matrix ``W`` (n, 2**n) such that ``W @ v`` are the Shapley values of the game ``v``.

    ``v`` is indexed by bit masks: bit ``i`` set means player ``i`` is in the coalition.

    Examples
    --------
    >>> shapley_weights(2) @ np.array([0.0, 1.0, 2.0, 4.0])
    array([1.5, 2.5])
    """
    weights = np.zeros((n, 2**n))
    for mask in range(2**n):
        size = mask.bit_count()
        for i in range(n):
            if not mask >> i & 1:
                w = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
                weights[i, mask | 1 << i] += w
                weights[i, mask] -= w
    return weights


def attribution(projection: Projected, start: DateLike, end: DateLike) -> xr.DataArray:
    """The multiplier ``D(end) / D(start)`` as a product of one factor per lever.

    Returns
    -------
    xarray.DataArray
        Multiplicative factors, dims ``(scenario, draw, lever)``, ``lever`` in
        :data:`~tokendemand.structure.LEVERS` order. See the module docstring for the method.
    """
    values = projection.at([start, end])
    n = len(LEVERS)
    masks = np.arange(2**n)
    weights = shapley_weights(n)
    names = list(values["scenario"].values)
    out = np.empty((len(names), values.sizes["draw"], n))
    for i, name in enumerate(names):
        p = projection.parameters[name]
        levers = {}
        for j, lever in enumerate(LEVERS):
            path = values[LEVER_VARIABLES[lever]].values[i]  # (draw, 2)
            at_end = (masks >> j & 1).astype(bool)[:, None]
            levers[lever] = np.where(at_end, path[None, :, 1], path[None, :, 0])
        logs = np.log(combine(levers, p.scale, p.intensity_ratio, p.substitution)["total"])
        out[i] = np.exp(weights @ (logs - logs[0])).T
    return xr.DataArray(
        out,
        dims=("scenario", "draw", "lever"),
        coords={"scenario": names, "draw": values["draw"].values, "lever": list(LEVERS)},
        name="attribution",
        attrs={
            "start": iso(to_day(start, "start", ConfigError)),
            "end": iso(to_day(end, "end", ConfigError)),
        },
    )


@dataclass(frozen=True)
class BreakEven:
    """When agent tokens first reach chatbot tokens, per scenario and draw.

    The crossing is the first grid date where ``agent >= chatbot``, linearly interpolated
    between it and the previous grid date (within the day for a daily grid). A draw already
    crossed on the first date of the projection gets that date and is flagged in
    :attr:`already`: start the projection earlier to date its crossing.

    Attributes
    ----------
    dates
        ``(scenario, draw)`` datetime64; ``NaT`` where no crossing happens before ``until``.
    penetration
        Agent penetration at the crossing (interpolated the same way); ``NaN`` where none.
    already
        ``(scenario, draw)`` booleans: crossed on or before the first date.
    start, until
        First and last date of the projection.
    """

    dates: xr.DataArray
    penetration: xr.DataArray
    already: xr.DataArray
    start: pd.Timestamp
    until: pd.Timestamp

    @property
    def never(self) -> pd.Series:
        """Share of draws that do not cross before ``until``, by scenario."""
        share = self.dates.isnull().mean("draw")
        return pd.Series(share.values, index=self._index(), name="never")

    def _index(self) -> pd.Index:
        index: pd.Index = pd.Index(list(self.dates["scenario"].values), name="scenario")
        return index

    def prob_before(self, date: DateLike) -> pd.Series:
        """Probability (share of draws) that agents reach chatbots before ``date``, by scenario.

        Raises
        ------
        ConfigError
            If ``date`` is after the end of the projection (crossings there are unknown).
        """
        when = to_day(date, "date", ConfigError)
        if when > self.until:
            raise ConfigError(
                f"{iso(when)} is after the projection ends ({iso(self.until)}); "
                f"project with until='{iso(when)}' or later"
            )
        share = (self.dates < when.as_unit("ns").to_datetime64()).mean("draw")
        return pd.Series(share.values, index=self._index(), name=f"P(break-even < {iso(when)})")

    def to_frame(self, quantiles: Sequence[float] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Per scenario: quantiles of the date (``NaT`` past ``until``), shares never/already.

        Date quantiles are draws' dates (no interpolation); draws that never cross count as
        later than every date.
        """
        if any(not 0.0 <= q <= 1.0 for q in quantiles):
            raise ConfigError(f"quantiles must lie in [0, 1], got {list(quantiles)}")
        never = np.iinfo(np.int64).max
        ns = self.dates.values.astype("datetime64[ns]").astype(np.int64)
        ordered = np.sort(np.where(np.isnat(self.dates.values), never, ns), axis=1)
        count = ordered.shape[1]
        table: dict[str, Any] = {}
        for q in quantiles:
            picked = ordered[:, max(math.ceil(q * count) - 1, 0)]  # the inverted-CDF quantile
            table[_label(q)] = [
                pd.NaT if v == never else pd.Timestamp(v, unit="ns") for v in picked
            ]
        table["never"] = self.never.values
        table["already"] = self.already.mean("draw").values
        return pd.DataFrame(table, index=self._index())

    def _repr_html_(self) -> str:
        from tokendemand.notebook import break_even_html

        return break_even_html(self)


def break_even(projection: Projected) -> BreakEven:
    """The break-even dates of every draw of ``projection`` (see :class:`BreakEven`)."""
    ds = projection.dataset
    grid = ds["date"].values.astype("datetime64[ns]").astype(np.int64)
    shape = (ds.sizes["scenario"], ds.sizes["draw"])
    when = np.full(shape, np.datetime64("NaT"), dtype="datetime64[ns]")
    penetration = np.full(shape, np.nan)
    already = np.zeros(shape, dtype=bool)
    for i in range(shape[0]):
        agent, chatbot = ds["agent"].values[i], ds["chatbot"].values[i]
        share = ds["penetration"].values[i]
        gap = agent - chatbot
        crossed = gap >= 0.0
        first = crossed.argmax(axis=1)
        hit = crossed[np.arange(shape[1]), first]
        already[i] = hit & (first == 0)
        at_start = np.nonzero(already[i])[0]
        when[i, at_start] = grid[0]
        penetration[i, at_start] = share[at_start, 0]
        rows = np.nonzero(hit & (first > 0))[0]
        j = first[rows]
        before, after = gap[rows, j - 1], gap[rows, j]
        fraction = before / (before - after)
        step = (grid[j] - grid[j - 1]).astype(float)
        when[i, rows] = (grid[j - 1] + np.round(fraction * step).astype(np.int64)).astype(
            "datetime64[ns]"
        )
        penetration[i, rows] = share[rows, j - 1] + fraction * (share[rows, j] - share[rows, j - 1])
    coords = {"scenario": ds["scenario"].values, "draw": ds["draw"].values}
    dims = ("scenario", "draw")
    dates = pd.DatetimeIndex(ds.indexes["date"])
    return BreakEven(
        dates=xr.DataArray(when, dims=dims, coords=coords, name="break_even_date"),
        penetration=xr.DataArray(penetration, dims=dims, coords=coords, name="penetration"),
        already=xr.DataArray(already, dims=dims, coords=coords, name="already"),
        start=dates[0],
        until=dates[-1],
    )


def _label(q: float) -> str:
    """Column label of a quantile: 0.05 -> 'q05', 0.5 -> 'q50', 0.025 -> 'q02.5'."""
    text = f"{100 * q:g}"
    return f"q{'0' if 100 * q < 10 else ''}{text}"


def quantile_frame(
    dataset: xr.Dataset,
    quantiles: Sequence[float] = QUANTILES,
    variables: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Tidy quantiles over draws: one row per (scenario, date, variable).

    Columns: ``scenario``, ``date``, ``variable``, one per quantile (``q05`` ...) and ``mean``.
    """
    chosen = list(COMPONENTS if variables is None else variables)
    problems = [f"unknown variable {v!r}" for v in chosen if v not in COMPONENTS]
    problems += [f"quantile {q} is outside [0, 1]" for q in quantiles if not 0.0 <= q <= 1.0]
    if problems:
        raise ConfigError(
            "; ".join(problems) + f" (variables: {', '.join(COMPONENTS)}; quantiles in [0, 1])"
        )
    scenarios = dataset["scenario"].values
    dates = dataset["date"].values
    frames = []
    for name in chosen:
        array = dataset[name].values
        table: dict[str, Any] = {
            "scenario": np.repeat(scenarios, len(dates)),
            "date": np.tile(dates, len(scenarios)),
            "variable": name,
        }
        if len(quantiles):
            values = np.quantile(array, list(quantiles), axis=1)
            for k, q in enumerate(quantiles):
                table[_label(q)] = values[k].ravel()
        table["mean"] = array.mean(axis=1).ravel()
        frames.append(pd.DataFrame(table))
    return pd.concat(frames, ignore_index=True)
