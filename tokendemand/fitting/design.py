"""Observations as the model sees them: arrays, operators and the observation equation.

:class:`ObservationDesign` turns :class:`~tokendemand.observations.Observations` into arrays
once: the days any figure touches (the latent daily grid, restricted to the days with weight),
the aggregation operators from :func:`~tokendemand.observations.aggregation_weights`, observed
values on the likelihood scale, bounds, confidence multipliers, and the market, series curve and
coverage of each row (:mod:`tokendemand.fitting.layout`). :meth:`ObservationDesign.predict` is
the observation equation, written once for pytensor (the likelihood) and numpy (predictive
checks, simulation, backtests):

==============  ===============================================  ==============
target          model side                                      scale
==============  ===============================================  ==============
level           ``coverage * b_r * (W @ D_s)``                   log
ratio           ``(W @ D_s) / (B @ D_s)``                        log
share           ``coverage * (W @ D_s) / (W @ D_ref)``           log
penetration     ``W @ pi``                                       logit
agent_share     ``W @ (A / D)``                                  logit
intensity_ratio ``W @ (rho * k * h / u)``                        log
==============  ===============================================  ==============

``D_s`` is the unit curve of the figure's series: the structural equation with ``b_r = 1`` and
the series' own users lever (its market's chatbot intensity, ``rho``, penetration and the shared
complexity and usage), or, for a launching product, its market's reference curve times the
product's share, a logistic in years since launch::

    share(t) = ceiling / (1 + exp(-rate * ((t - launch) / 365.25 - midpoint)))

A launching product has no coverage factor (its ceiling plays that part); a reference series'
coverage is 1. The agent targets read the market's reference curve. A proxy figure (``proxy``
column) adds its proxy's bias ``proxy_bias[proxy]`` to its model side on the likelihood scale.
Point, mean and total figures differ only in their row of ``W``. The prior centre of each
market's log total on the reference date is the log of its reference series' level figure
nearest that date (a total divided by its days), preferring exact figures over bounds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.dates import days_since
from tokendemand.errors import DataError
from tokendemand.fitting.curve_points import CurvePoints, SparseOperator, curve_points
from tokendemand.fitting.layout import (
    SERIES_TARGETS,
    series_layout,
    total_centres,
    unseen_members,
)
from tokendemand.fitting.series_curves import series_curves
from tokendemand.observations import (
    Observations,
    aggregation_weights,
    daily_grid,
    node_interpolation,
)
from tokendemand.structure import Structure

__all__ = ["KIND_TARGET", "TARGETS", "ObservationDesign"]

TARGETS: Final[tuple[str, ...]] = (
    "level",
    "ratio",
    "share",
    "penetration",
    "agent_share",
    "intensity_ratio",
)
"""What a row of the design compares with: see the module table."""

KIND_TARGET: Final[dict[str, str]] = {
    **dict.fromkeys(("point", "mean", "total"), "level"),
    **{target: target for target in TARGETS[1:]},
}
"""Target of each observation kind."""

_LOGIT_TARGETS: Final = ("penetration", "agent_share")
_BOUND_CODE: Final = {None: 0, "lower": 1, "upper": -1}
_Int = np.ndarray[Any, np.dtype[np.int64]]
_Float = np.ndarray[Any, np.dtype[np.float64]]


def _logit(x: Any, xp: Any) -> Any:
    return xp.log(x) - xp.log(1.0 - x)


@dataclass(frozen=True, eq=False)
class ObservationDesign:
    """Arrays of a set of observations for one fit (built by :meth:`build`).

    Attributes
    ----------
    observations
        The observations, in row order.
    reference_date
        ``t = 0``.
    markets
        Market names; ``market_index`` points into it.
    reference_series
        Reference series of each market.
    covered
        ``(market, series)`` of each coverage parameter; ``coverage_index`` points into it
        (``-1`` for a reference series or a launching product).
    dates, t
        The nodes (every figure's first and last day and a node a week inside longer periods,
        :func:`~tokendemand.observations.node_interpolation`) and their offsets from the
        reference date. Each curve is evaluated only on the nodes its figures read
        (:attr:`curve_points`).
    weights, base_weights
        Operators on the nodes (the daily operators times the interpolation from the nodes),
        shape ``(rows, nodes)``.
    target
        Index into :data:`TARGETS` per row.
    y
        Observed value on the likelihood scale (log, or logit for penetration and agent share).
    bound
        ``0`` exact, ``1`` lower bound, ``-1`` upper bound.
    confidence
        ``high``, ``medium`` or ``low`` per row.
    market_index
        Market of each row.
    coverage_index
        Coverage parameter of each row (``-1``: none).
    total_centre
        Prior centre of each market's log total on the reference date.
    proxies
        Proxy names, in order of appearance; ``proxy_index`` points into it (``-1`` for a
        direct figure).
    pooling
        The structure's pooling (:data:`~tokendemand.structure.POOLING`).
    units
        ``(market, series)`` of each curve with its own growth levers; the first
        ``len(markets)`` are the markets' reference series (series ``""`` for a market with no
        level figure).
    launches, launch_day
        Launching products and their launch dates in days from the reference date.
    curve_index
        Curve of each row: a unit, or ``len(units)`` plus a launch (agent targets: the market's
        reference unit).
    notes
        What the layout decided that a reader should know (:mod:`~tokendemand.fitting.layout`).
    """

    observations: Observations
    reference_date: pd.Timestamp
    markets: tuple[str, ...]
    reference_series: Mapping[str, str]
    covered: tuple[tuple[str, str], ...]
    dates: pd.DatetimeIndex
    t: _Float
    weights: _Float
    base_weights: _Float
    target: _Int
    y: _Float
    bound: _Int
    confidence: np.ndarray[Any, np.dtype[Any]]
    market_index: _Int
    coverage_index: _Int
    total_centre: _Float
    proxies: tuple[str, ...] = ()
    proxy_index: _Int = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pooling: str = "complete"
    units: tuple[tuple[str, str], ...] = ()
    launches: tuple[tuple[str, str], ...] = ()
    launch_day: _Float = field(default_factory=lambda: np.zeros(0))
    curve_index: _Int = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    notes: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        observations: Observations,
        reference_date: Any = None,
        reference_series: Mapping[str, str] | None = None,
        layout: ObservationDesign | None = None,
        pooling: str = "partial",
    ) -> ObservationDesign:
        """Arrays for ``observations``.

        Parameters
        ----------
        observations
            At least one figure; every market needs a level figure unless it only has ratios.
        reference_date
            ``t = 0``; default: the last day any observation covers.
        reference_series
            Reference series by market, overriding the default choice.
        layout
            The design of a fit: use its reference date, pooling, markets, series layout and
            scale centres, so that the fit's draws predict these observations (forecasts of
            held-out figures). Figures of a market or series the fit did not see are an error.
        pooling
            The structure's pooling: under ``"complete"`` launch dates are not used.
        """
        rows = list(observations)
        if not rows:
            raise DataError("no observations to fit; load a dataset or read a CSV first")
        unknown = sorted({o.kind for o in rows} - set(KIND_TARGET))
        if unknown:
            raise DataError(
                f"observation kinds {unknown} have no model side; known: {list(KIND_TARGET)}"
            )
        grid = daily_grid(observations)
        weights, base_weights = aggregation_weights(observations, grid)
        used = (weights != 0).any(axis=0) | (base_weights != 0).any(axis=0)
        nodes, interpolation = node_interpolation(observations, pd.DatetimeIndex(grid[used]))
        dates = pd.DatetimeIndex(nodes, name="date")
        weights = weights[:, used] @ interpolation
        base_weights = base_weights[:, used] @ interpolation
        targets = [KIND_TARGET[o.kind] for o in rows]

        proxies = tuple(dict.fromkeys(o.proxy for o in rows if o.proxy))
        if layout is None:
            reference = (
                pd.Timestamp(grid[-1]) if reference_date is None else pd.Timestamp(reference_date)
            ).normalize()
            plan = series_layout(rows, targets, reference_series, use_launch=pooling != "complete")
            markets, chosen = plan.markets, dict(plan.reference_series)
            units, launches, covered = plan.units, plan.launches, plan.covered
            launch_day = days_since(pd.DatetimeIndex(plan.launch_dates), reference)
            centres = total_centres(rows, markets, chosen, reference)
            notes = plan.notes
        else:
            reference, markets, pooling = layout.reference_date, layout.markets, layout.pooling
            chosen, covered = dict(layout.reference_series), layout.covered
            units, launches, launch_day = layout.units, layout.launches, layout.launch_day
            centres, notes = layout.total_centre, layout.notes
            unseen_proxies = sorted(set(proxies) - set(layout.proxies))
            if unseen_proxies:
                raise DataError(
                    f"the fit did not see proxies {unseen_proxies}: it has no bias for them; "
                    "refit with them included"
                )
            proxies = layout.proxies
        curves = {key: i for i, key in enumerate(units)}
        curves.update({key: len(units) + i for i, key in enumerate(launches)})
        for i, market in enumerate(markets):
            curves[(market, chosen.get(market, ""))] = i
        unseen = unseen_members(rows, targets, curves, covered, launches, chosen, markets)
        if unseen:
            raise DataError(
                f"the fit did not see {', '.join(unseen)}: it cannot predict their figures; "
                "refit with them included"
            )
        coverage_position = {key: i for i, key in enumerate(covered)}
        target = np.array([TARGETS.index(t) for t in targets], dtype=np.int64)
        values = np.array([float(o.value) for o in rows])
        y = np.where(
            np.isin(target, [TARGETS.index(t) for t in _LOGIT_TARGETS]),
            np.log(values) - np.log1p(-np.minimum(values, 1.0 - 1e-12)),
            np.log(values),
        )
        market_index = np.array([markets.index(o.market) for o in rows], dtype=np.int64)
        curve_index = np.array(
            [
                curves[(o.market, o.series)] if t in SERIES_TARGETS else markets.index(o.market)
                for o, t in zip(rows, targets, strict=True)
            ],
            dtype=np.int64,
        )
        return cls(
            observations=observations,
            reference_date=reference,
            markets=markets,
            reference_series=chosen,
            covered=covered,
            dates=dates,
            t=days_since(dates, reference),
            weights=np.ascontiguousarray(weights),
            base_weights=np.ascontiguousarray(base_weights),
            target=target,
            y=y,
            bound=np.array([_BOUND_CODE[o.bound] for o in rows], dtype=np.int64),
            confidence=np.array([o.confidence for o in rows], dtype=object),
            market_index=market_index,
            coverage_index=np.array(
                [coverage_position.get((o.market, o.series), -1) for o in rows], dtype=np.int64
            ),
            total_centre=centres,
            proxies=proxies,
            proxy_index=np.array(
                [proxies.index(o.proxy) if o.proxy else -1 for o in rows], dtype=np.int64
            ),
            pooling=pooling,
            units=units,
            launches=launches,
            launch_day=np.asarray(launch_day, dtype=float),
            curve_index=curve_index,
            notes=notes,
        )

    def __len__(self) -> int:
        return len(self.y)

    @cached_property
    def curve_points(self) -> tuple[CurvePoints, dict[str, SparseOperator]]:
        """The points the curves are evaluated at, and the operators on them: ``curve``
        (``W`` on each row's curve), ``base`` (``B``, ratios) and ``market`` (``W`` on the
        market's reference curve, shares); :mod:`~tokendemand.fitting.curve_points`."""
        launch_market = np.array([self.markets.index(m) for m, _ in self.launches], np.int64)
        share = (self.target == TARGETS.index("share"))[:, None]
        operators = [(self.weights, self.curve_index), (self.base_weights, self.curve_index)]
        operators.append((self.weights * share, self.market_index))
        points, (curve, base, market) = curve_points(operators, len(self.units), launch_market)
        return points, {"curve": curve, "base": base, "market": market}

    @cached_property
    def market_groups(self) -> dict[str, _Int]:
        """Each unit's and launch's market group (labels: :attr:`coords` ``<dim>_market``)."""
        groups = {"unit": self.units, "launch": self.launches}
        labels = self.coords
        return {
            dim: np.array([labels[f"{dim}_market"].index(m) for m, _ in members], np.int64)
            for dim, members in groups.items()
        }

    @property
    def sizes(self) -> dict[str, int]:
        """Members of each parameter dimension, the numbers of ratio and share figures, and how
        many markets and units have volume figures (``market_volumes``, ``unit_volumes``)."""
        return {
            "market": len(self.markets),
            "unit": len(self.units),
            "launch": len(self.launches),
            "series": len(self.covered),
            "proxy": len(self.proxies),
            "ratio": len(self.rows("ratio")),
            "share": len(self.rows("share")),
            "market_volumes": len(self.reference_series),
            "unit_volumes": sum(1 for _, series in self.units if series),
            **{f"{dim}_market": len(self.coords[f"{dim}_market"]) for dim in ("unit", "launch")},
        }

    @property
    def coords(self) -> dict[str, list[str]]:
        """Labels of each parameter dimension (``market/series`` for series-like ones)."""

        def label(keys: tuple[tuple[str, str], ...]) -> list[str]:
            return [f"{m}/{s}" if s else f"{m}/(no level series)" for m, s in keys]

        return {
            "market": list(self.markets),
            "unit": label(self.units),
            "launch": label(self.launches),
            "series": label(self.covered),
            "proxy": list(self.proxies),
            "unit_market": list(dict.fromkeys(m for m, _ in self.units)),
            "launch_market": list(dict.fromkeys(m for m, _ in self.launches)),
        }

    def rows(self, target: str) -> _Int:
        """Row indices of one target."""
        return np.flatnonzero(self.target == TARGETS.index(target))

    def noise_multiplier(self, multipliers: Mapping[str, float]) -> np.ndarray[Any, Any]:
        """Noise multiplier of each row from its confidence."""
        return np.array([float(multipliers[c]) for c in self.confidence])

    def noise_factor(self, values: Mapping[str, Any], rows: Any = None) -> Any:
        """Noise of each row relative to a level figure's (ratios and shares have their own).

        Shape ``(rows,)`` (numpy, or a tensor), or ``(draws, rows)`` for arrays of draws.
        """
        rows = np.arange(len(self)) if rows is None else np.asarray(rows)
        target = self.target[rows]
        ratio = (target == TARGETS.index("ratio")).astype(float)
        share = (target == TARGETS.index("share")).astype(float)
        level = 1.0 - ratio - share
        # a fit without ratio (or share) figures records no factor for them: 1 is unused
        ratio_factor = values.get("noise_ratio_factor", 1.0)
        share_factor = values.get("noise_share_factor", 1.0)
        return level + ratio * ratio_factor + share * share_factor

    def predict(self, structure: Structure, values: Mapping[str, Any], xp: Any = np) -> Any:
        """Model-side value of every row, on the likelihood scale, in row order.

        Parameters
        ----------
        structure
            Families of the levers.
        values
            Structural values as from
            :func:`~tokendemand.fitting.parametrization.structural_values`: scalars (or tensors),
            or arrays of draws shaped ``(draws, 1)`` with per-member values shaped
            ``(draws, members)``.
        xp
            ``numpy`` or ``pytensor.tensor``.

        Returns
        -------
        array or tensor
            Shape ``(rows,)``, or ``(draws, rows)`` for arrays of draws.
        """
        if xp is np:
            n = np.shape(values["intensity_ratio"])[0] if np.ndim(values["intensity_ratio"]) else 0
            if n > _CHUNK:  # bounded memory: (draws, curves, days) arrays per chunk
                parts = [
                    self.predict(structure, _draw_slice(values, n, start, start + _CHUNK), np)
                    for start in range(0, n, _CHUNK)
                ]
                return np.concatenate(parts, axis=0)
        batch = np.shape(values["intensity_ratio"])[:-1] if xp is np else ()
        if xp is np:
            # Extreme draws (prior draws, years before the reference date) take curves to their
            # limits, 0 or infinity, and the logs to -inf or inf: those values are the answer
            # (a replicated figure of 0 or infinity), not a fault to warn about.
            with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
                blocks = self.predict_blocks(structure, values, xp)
        else:
            blocks = self.predict_blocks(structure, values, xp)
        stacked = xp.concatenate(
            [np.broadcast_to(mu, (*batch, len(rows))) if xp is np else mu for rows, mu in blocks],
            axis=-1,
        )
        inverse = np.argsort(np.concatenate([rows for rows, _ in blocks]))
        return stacked[..., inverse]

    def predict_blocks(
        self, structure: Structure, values: Mapping[str, Any], xp: Any = np
    ) -> list[tuple[_Int, Any]]:
        """Model-side values by target: ``(rows, values)`` pairs, rows sorted by bound code.

        The PyMC model uses the blocks directly: each block's exact, lower-bound and
        upper-bound rows are contiguous, so the likelihood takes plain slices of them (few
        graph operations; see :meth:`predict` for the arguments).
        """
        points, operators = self.curve_points
        parts, curves = series_curves(
            structure, values, self.t, points, self.markets, self.units, self.launches,
            self.launch_day, xp,
        )  # fmt: skip

        def aggregate(series: Any, rows: _Int, operator: str = "curve") -> Any:
            selected = operators[operator].take(rows)
            if xp is np:
                return selected.apply(series)
            columns = series.type.shape[-1]  # static: the points are the design's
            return series @ selected.dense(columns)

        def take(vector: Any, index: _Int) -> Any:
            # a plain slice when every row uses the same entry: fewer and cheaper operations
            if (index == index[0]).all():
                return xp.expand_dims(vector[..., index[0]], -1)
            return vector[..., index]

        def optional(name: str, index: _Int, log: bool) -> Any:
            if not (index >= 0).any():
                return 0.0
            vector = xp.log(values[name]) if log else values[name]
            if (index >= 0).all():
                return take(vector, index)
            return take(vector, np.maximum(index, 0)) * (index >= 0)

        blocks = []
        for name in TARGETS:
            rows = self.rows(name)
            if len(rows) == 0:
                continue
            rows = rows[np.argsort(-self.bound[rows], kind="stable")]  # lower, exact, upper
            market = self.market_index[rows]
            coverage = optional("coverage", self.coverage_index[rows], log=True)
            bias = optional("proxy_bias", self.proxy_index[rows], log=False)
            if name == "level":
                scale = take(values["scale"], market)
                mu = coverage + xp.log(scale) + xp.log(aggregate(curves, rows))
            elif name == "ratio":
                mu = xp.log(aggregate(curves, rows)) - xp.log(aggregate(curves, rows, "base"))
            elif name == "share":
                mu = (
                    coverage
                    + xp.log(aggregate(curves, rows))
                    - xp.log(aggregate(curves, rows, "market"))
                )
            elif name == "penetration":
                mu = _logit(aggregate(parts["penetration"], rows), xp) + bias
            elif name == "agent_share":
                mu = _logit(aggregate(parts["agent_share"], rows), xp) + bias
            else:
                # agent tokens per agent user over chatbot tokens per user: rho * k * h / u
                per_user = (
                    parts["rho"] * parts["complexity"] * parts["usage"] / parts["chatbot_intensity"]
                )
                mu = xp.log(aggregate(per_user, rows)) + bias
            blocks.append((rows, mu))
        return blocks


_CHUNK: Final = 500


def _draw_slice(values: Mapping[str, Any], n: int, start: int, stop: int) -> dict[str, Any]:
    return {
        k: (v[start:stop] if np.ndim(v) and np.shape(v)[0] == n else v) for k, v in values.items()
    }
