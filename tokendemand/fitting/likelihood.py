"""Observations as the model sees them: arrays, operators and the observation equation.

:class:`ObservationDesign` turns :class:`~tokendemand.observations.Observations` into arrays
once: the days any figure touches (the latent daily grid, restricted to the days with weight),
the aggregation operators from :func:`~tokendemand.observations.aggregation_weights`, observed
values on the likelihood scale, bounds, confidence multipliers and the market and series of each
row. :meth:`ObservationDesign.predict` is the observation equation, written once for pytensor
(the likelihood) and numpy (predictive checks, simulation, backtests):

==============  ===============================================  ==============
target          model side                                      scale
==============  ===============================================  ==============
level           ``coverage * b_r * (W @ D_unit)``               log
ratio           ``(W @ D_unit) / (B @ D_unit)``                 log
share           ``coverage`` of the series in its market         log
penetration     ``W @ pi``                                       logit
agent_share     ``W @ (A / D)``                                  logit
intensity_ratio ``W @ (rho * k * h / u)``                        log
==============  ===============================================  ==============

A proxy figure (``proxy`` column) of a penetration, agent share or intensity ratio adds its
proxy's bias ``proxy_bias[proxy]`` to that model side, on the likelihood scale.

``D_unit`` is the structural equation with ``b_r = 1``; point, mean and total figures differ
only in their row of ``W``. Each market has a reference series (coverage 1): by default the
series with the most level figures (ties: the first seen). The prior centre of each market's
log total on the reference date is the log of its reference series' level figure nearest that
date (a total divided by its days), preferring exact figures over bounds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.dates import days_since
from tokendemand.errors import ConfigError, DataError
from tokendemand.observations import Observations, aggregation_weights, daily_grid
from tokendemand.priors import Priors
from tokendemand.structure import Structure, combine, evaluate_levers

__all__ = [
    "KIND_TARGET",
    "TARGETS",
    "ObservationDesign",
    "as_draw_values",
    "log_likelihood",
    "natural_scale",
    "replicate",
]

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
    "point": "level",
    "mean": "level",
    "total": "level",
    "ratio": "ratio",
    "share": "share",
    "penetration": "penetration",
    "agent_share": "agent_share",
    "intensity_ratio": "intensity_ratio",
}
"""Target of each observation kind."""

_LOGIT_TARGETS: Final = ("penetration", "agent_share")
_BOUND_CODE: Final = {None: 0, "lower": 1, "upper": -1}


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
        (``-1`` for a reference series).
    dates, t
        The days the operators touch and their offsets from the reference date.
    weights, base_weights
        Operators, shape ``(rows, days)``.
    target
        Index into :data:`TARGETS` per row.
    y
        Observed value on the likelihood scale (log, or logit for penetration and agent share).
    bound
        ``0`` exact, ``1`` lower bound, ``-1`` upper bound.
    confidence
        ``high``, ``medium`` or ``low`` per row.
    total_centre
        Prior centre of each market's log total on the reference date.
    proxies
        Proxy names, in order of appearance; ``proxy_index`` points into it (``-1`` for a
        direct figure).
    """

    observations: Observations
    reference_date: pd.Timestamp
    markets: tuple[str, ...]
    reference_series: Mapping[str, str]
    covered: tuple[tuple[str, str], ...]
    dates: pd.DatetimeIndex
    t: np.ndarray[Any, np.dtype[np.float64]]
    weights: np.ndarray[Any, np.dtype[np.float64]]
    base_weights: np.ndarray[Any, np.dtype[np.float64]]
    target: np.ndarray[Any, np.dtype[np.int64]]
    y: np.ndarray[Any, np.dtype[np.float64]]
    bound: np.ndarray[Any, np.dtype[np.int64]]
    confidence: np.ndarray[Any, np.dtype[Any]]
    market_index: np.ndarray[Any, np.dtype[np.int64]]
    coverage_index: np.ndarray[Any, np.dtype[np.int64]]
    total_centre: np.ndarray[Any, np.dtype[np.float64]]
    proxies: tuple[str, ...] = ()
    proxy_index: np.ndarray[Any, np.dtype[np.int64]] = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )

    @classmethod
    def build(
        cls,
        observations: Observations,
        reference_date: Any = None,
        reference_series: Mapping[str, str] | None = None,
        layout: ObservationDesign | None = None,
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
            The design of a fit: use its reference date, markets, reference series, coverage
            parameters and scale centres, so that the fit's draws predict these observations
            (forecasts of held-out figures). Figures of a market or sub-series the fit did not
            see are an error.
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
        dates = pd.DatetimeIndex(grid[used], name="date")

        needs_coverage = [
            (o.market, o.series) for o in rows if KIND_TARGET[o.kind] in ("level", "share")
        ]
        proxies = tuple(dict.fromkeys(o.proxy for o in rows if o.proxy))
        if layout is not None:
            unseen_proxies = sorted(set(proxies) - set(layout.proxies))
            if unseen_proxies:
                raise DataError(
                    f"the fit did not see proxies {unseen_proxies}: it has no bias for them; "
                    "refit with them included"
                )
            proxies = layout.proxies
        if layout is None:
            reference = (
                pd.Timestamp(grid[-1]) if reference_date is None else pd.Timestamp(reference_date)
            ).normalize()
            markets = tuple(dict.fromkeys(o.market for o in rows))
            chosen = _reference_series(rows, markets, reference_series)
            covered = tuple(
                dict.fromkeys(key for key in needs_coverage if chosen.get(key[0]) != key[1])
            )
            centres = _total_centres(rows, markets, chosen, reference)
        else:
            reference, markets = layout.reference_date, layout.markets
            chosen, covered = dict(layout.reference_series), layout.covered
            centres = layout.total_centre
            unseen = sorted(
                {
                    f"{m}/{s}"
                    for m, s in needs_coverage
                    if chosen.get(m) != s and (m, s) not in covered
                }
                | {f"market {o.market}" for o in rows if o.market not in markets}
            )
            if unseen:
                raise DataError(
                    f"the fit did not see {', '.join(unseen)}: it cannot predict their figures; "
                    "refit with them included"
                )
        coverage_position = {key: i for i, key in enumerate(covered)}
        target = np.array([TARGETS.index(KIND_TARGET[o.kind]) for o in rows], dtype=np.int64)
        values = np.array([float(o.value) for o in rows])
        y = np.where(
            np.isin(target, [TARGETS.index(t) for t in _LOGIT_TARGETS]),
            np.log(values) - np.log1p(-np.minimum(values, 1.0 - 1e-12)),
            np.log(values),
        )
        return cls(
            observations=observations,
            reference_date=reference,
            markets=markets,
            reference_series=chosen,
            covered=covered,
            dates=dates,
            t=days_since(dates, reference),
            weights=np.ascontiguousarray(weights[:, used]),
            base_weights=np.ascontiguousarray(base_weights[:, used]),
            target=target,
            y=y,
            bound=np.array([_BOUND_CODE[o.bound] for o in rows], dtype=np.int64),
            confidence=np.array([o.confidence for o in rows], dtype=object),
            market_index=np.array([markets.index(o.market) for o in rows], dtype=np.int64),
            coverage_index=np.array(
                [coverage_position.get((o.market, o.series), -1) for o in rows], dtype=np.int64
            ),
            total_centre=centres,
            proxies=proxies,
            proxy_index=np.array(
                [proxies.index(o.proxy) if o.proxy else -1 for o in rows], dtype=np.int64
            ),
        )

    def __len__(self) -> int:
        return len(self.y)

    def rows(self, target: str) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Row indices of one target."""
        return np.flatnonzero(self.target == TARGETS.index(target))

    def noise_multiplier(self, multipliers: Mapping[str, float]) -> np.ndarray[Any, Any]:
        """Noise multiplier of each row from its confidence."""
        return np.array([float(multipliers[c]) for c in self.confidence])

    def predict(self, structure: Structure, values: Mapping[str, Any], xp: Any = np) -> Any:
        """Model-side value of every row, on the likelihood scale, in row order.

        Parameters
        ----------
        structure
            Families of the levers.
        values
            Structural values as from
            :func:`~tokendemand.fitting.parametrization.structural_values`: scalars (or tensors), or
            arrays of draws shaped ``(draws, 1)`` with per-market and per-series values shaped
            ``(draws, markets)`` and ``(draws, series)``.
        xp
            ``numpy`` or ``pytensor.tensor``.

        Returns
        -------
        array or tensor
            Shape ``(rows,)``, or ``(draws, rows)`` for arrays of draws.
        """
        # () for scalars and tensors, (draws,) for arrays of draws shaped (draws, 1)
        batch = np.shape(values["intensity_ratio"])[:-1] if xp is np else ()
        blocks = self.predict_blocks(structure, values, xp)
        stacked = xp.concatenate(
            [np.broadcast_to(mu, (*batch, len(rows))) if xp is np else mu for rows, mu in blocks],
            axis=-1,
        )
        inverse = np.argsort(np.concatenate([rows for rows, _ in blocks]))
        return stacked[..., inverse]

    def predict_blocks(
        self, structure: Structure, values: Mapping[str, Any], xp: Any = np
    ) -> list[tuple[np.ndarray[Any, np.dtype[np.int64]], Any]]:
        """Model-side values by target: ``(rows, values)`` pairs, rows sorted by bound code.

        The PyMC model uses the blocks directly: each block's exact, lower-bound and
        upper-bound rows are contiguous, so the likelihood takes plain slices of them (few
        graph operations; see :meth:`predict` for the arguments).
        """
        from tokendemand.fitting.parametrization import to_parameters

        unit = to_parameters(structure, values, self.reference_date).replace(scale=1.0)
        levers = evaluate_levers(structure, unit, self.t, xp)
        parts = combine(levers, 1.0, unit.intensity_ratio, unit.substitution)
        total = parts["total"]

        def aggregate(series: Any, rows: np.ndarray[Any, Any], base: bool = False) -> Any:
            matrix = (self.base_weights if base else self.weights)[rows]
            if xp is np:
                return series @ matrix.T
            # PyTensor without a linked BLAS runs Gemv in Python; a fused multiply-and-sum
            # over these few days is several times faster.
            return (series[..., None, :] * matrix).sum(axis=-1)

        def take(vector: Any, index: np.ndarray[Any, Any]) -> Any:
            # a plain slice when every row uses the same entry: fewer and cheaper operations
            if (index == index[0]).all():
                return xp.expand_dims(vector[..., index[0]], -1)
            return vector[..., index]

        def log_coverage(rows: np.ndarray[Any, Any]) -> Any:
            index = self.coverage_index[rows]
            if not (index >= 0).any():
                return np.zeros(len(rows))
            if (index >= 0).all():
                return take(xp.log(values["coverage"]), index)
            return take(xp.log(values["coverage"]), np.maximum(index, 0)) * (index >= 0)

        def proxy_bias(rows: np.ndarray[Any, Any]) -> Any:
            index = self.proxy_index[rows]
            if not (index >= 0).any():
                return 0.0
            if (index >= 0).all():
                return take(values["proxy_bias"], index)
            return take(values["proxy_bias"], np.maximum(index, 0)) * (index >= 0)

        blocks = []
        for name in TARGETS:
            rows = self.rows(name)
            if len(rows) == 0:
                continue
            rows = rows[np.argsort(-self.bound[rows], kind="stable")]  # lower, exact, upper
            if name == "level":
                scale = take(values["scale"], self.market_index[rows])
                mu = log_coverage(rows) + xp.log(scale) + xp.log(aggregate(total, rows))
            elif name == "ratio":
                mu = xp.log(aggregate(total, rows)) - xp.log(aggregate(total, rows, base=True))
            elif name == "share":
                mu = log_coverage(rows)
            elif name == "penetration":
                mu = _logit(aggregate(parts["penetration"], rows), xp) + proxy_bias(rows)
            elif name == "agent_share":
                mu = _logit(aggregate(parts["agent_share"], rows), xp) + proxy_bias(rows)
            else:
                # agent tokens per agent user over chatbot tokens per user: rho * k * h / u
                per_user = (
                    unit.intensity_ratio
                    * parts["complexity"]
                    * parts["usage"]
                    / parts["chatbot_intensity"]
                )
                mu = xp.log(aggregate(per_user, rows)) + proxy_bias(rows)
            blocks.append((rows, mu))
        return blocks


def _reference_series(
    rows: list[Any], markets: tuple[str, ...], requested: Mapping[str, str] | None
) -> dict[str, str]:
    counts: dict[str, Counter[str]] = {m: Counter() for m in markets}
    seen: dict[str, set[str]] = {m: set() for m in markets}
    for o in rows:
        seen[o.market].add(o.series)
        if KIND_TARGET[o.kind] == "level":
            counts[o.market][o.series] += 1
    chosen: dict[str, str] = {}
    for market in markets:
        if counts[market]:
            chosen[market] = counts[market].most_common(1)[0][0]
    problems = []
    for market, series in dict(requested or {}).items():
        if market not in markets:
            problems.append(
                f"reference_series names market {market!r}, not in the data {list(markets)}"
            )
        elif series not in seen[market]:
            problems.append(
                f"reference series {series!r} has no figure in market {market!r}; "
                f"its series are {sorted(seen[market])}"
            )
        else:
            chosen[market] = series
    if problems:
        raise ConfigError("; ".join(problems))
    return chosen


def _total_centres(
    rows: list[Any], markets: tuple[str, ...], chosen: Mapping[str, str], reference: pd.Timestamp
) -> np.ndarray[Any, np.dtype[np.float64]]:
    centres = np.zeros(len(markets))
    for i, market in enumerate(markets):
        candidates = [
            o
            for o in rows
            if o.market == market
            and o.series == chosen.get(market)
            and KIND_TARGET[o.kind] == "level"
        ]
        if not candidates:
            continue  # a market with ratios only: its level is not identified and not used
        best = min(
            candidates,
            key=lambda o: (o.bound is not None, abs((pd.Timestamp(o.end) - reference).days)),
        )
        per_day = float(best.value)
        if best.kind == "total":
            per_day /= (pd.Timestamp(best.end) - pd.Timestamp(best.start)).days + 1
        centres[i] = np.log(per_day)
    return centres


def replicate(
    design: ObservationDesign,
    structure: Structure,
    priors: Priors,
    values: Mapping[str, Any],
    random_seed: int | None,
) -> np.ndarray[Any, Any]:
    """Replicated figures (original units), one row per draw in ``values``.

    ``values`` as :func:`~tokendemand.fitting.parametrization.structural_values` returns for arrays
    of draws (``(draws, 1)`` scalars). Noise is Student-t on the likelihood scale, as in the model.
    """
    rng = np.random.default_rng(random_seed)
    mu = design.predict(structure, values, np)
    sd = np.asarray(values["noise"]) * design.noise_multiplier(priors.noise_multiplier)
    y = mu + sd * rng.standard_t(priors.student_t_nu, size=mu.shape)
    return natural_scale(design, y)


def log_likelihood(
    design: ObservationDesign,
    structure: Structure,
    priors: Priors,
    values: Mapping[str, Any],
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Log-likelihood of each figure under each draw in ``values``: shape ``(draws, rows)``.

    The terms the PyMC model adds up (numpy, pointwise): on the likelihood scale, a Student-t
    with ``priors.student_t_nu`` degrees of freedom around :meth:`ObservationDesign.predict`,
    scale ``noise`` times the figure's confidence multiplier; its density for an exact figure,
    its upper tail for a lower bound ("over 140T") and its lower tail for an upper bound.
    ``values`` as for :func:`replicate`. ArviZ's ``loo`` and ``compare`` use these terms.
    """
    from scipy import stats

    mu = design.predict(structure, values, np)
    sigma = np.asarray(values["noise"]) * design.noise_multiplier(priors.noise_multiplier)
    standard = (design.y - mu) / sigma
    t = stats.t(priors.student_t_nu)
    out: np.ndarray[Any, np.dtype[np.float64]] = np.where(
        design.bound == 0,
        t.logpdf(standard) - np.log(sigma),
        np.where(design.bound > 0, t.logsf(standard), t.logcdf(standard)),
    )
    return out


def natural_scale(design: ObservationDesign, y: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Values on the likelihood scale (log, or logit) back in the figures' own units."""
    logit_rows = np.isin(
        design.target, [TARGETS.index("penetration"), TARGETS.index("agent_share")]
    )
    natural: np.ndarray[Any, np.dtype[np.float64]] = np.where(
        logit_rows, 1.0 / (1.0 + np.exp(-y)), np.exp(y)
    )
    return natural


def as_draw_values(draws: Mapping[str, np.ndarray[Any, Any]]) -> dict[str, Any]:
    """Draw arrays shaped for :meth:`ObservationDesign.predict`: scalars as ``(draws, 1)``."""
    return {k: (v[:, None] if np.ndim(v) == 1 else v) for k, v in draws.items()}
