"""What an analyst would use instead: statsmodels forecasts of one series' log volume.

Three baselines, each fitted to one series (a market's series, e.g. ``china/doubao``) at a
time, on the natural log of its daily rate (tokens/day: a ``point`` or ``mean`` as it is, a
``total`` divided by its days):

=============  ===========================================================================
name           model
=============  ===========================================================================
``ets``        exponential smoothing with a damped additive trend on the log level
               (statsmodels' state-space ``ExponentialSmoothing``, initial states
               concentrated out of the likelihood)
``arima``      ARIMA(1,1,0) with drift on the log level; with fewer than
               :data:`ARIMA_AR_MIN` figures, a random walk with drift, ARIMA(0,1,0)
``loglinear``  ordinary least squares of the log level on time (exponential growth),
               with its exact Student-t predictive: parameter uncertainty included
=============  ===========================================================================

Irregular figures, without invented data
----------------------------------------
Public figures arrive at irregular dates, months apart. ``ets`` and ``arima`` are fitted on a
regular **weekly grid** starting at the first training figure: each figure sits at the week
nearest the middle of its period, and every other week is *missing*. statsmodels' state-space
models skip missing weeks in the Kalman filter, so the likelihood (and the fitted noise) comes
from the published figures only. Interpolating between figures would instead invent smooth
weekly values and shrink the fitted noise, and with it the forecast intervals. Two figures in
one week share it (their log mean). ``loglinear`` needs no grid: it regresses on the figures'
own dates.

From a fit to a held-out figure
-------------------------------
Each baseline draws ``n_samples`` joint daily paths of the log level over the held-out
figures' days, then the figures are formed from the paths with the **same aggregation
operator** as the structural model (:func:`~tokendemand.observations.aggregation_weights`): a
point is the path on its day, a mean its mean over the period, a total its sum, a ratio the
mean over the period over the mean over the base period. Daily paths are:

- ``ets``, ``arima``: simulated weekly values (``simulate(anchor="end")``: the filtered state
  at the last figure, then the model's shocks) joined linearly in log between weeks, starting
  from the last training figure; days inside the training span follow the straight lines in
  log between training figures;
- ``loglinear``: the fitted line, one draw of intercept and slope per sample; its residual
  is noise on each published figure, so a level figure gets one draw of it and a ratio one for
  the period and one for the base period.

Figures these baselines cannot use or forecast
----------------------------------------------
They see levels only: ratios, shares, penetration and agent-share figures in the training data
are not used, and shares, penetration and agent shares are not forecast (their row has no
forecast and says why). statsmodels cannot censor, so a one-sided figure ("over 1T") enters a
baseline at its stated value, and the note says so. Every baseline needs a few level figures
of the series before the cutoff (:data:`MIN_FIGURES`: three, four for the log-linear trend);
with fewer, its rows have no forecast and say why. Warnings statsmodels raises
on such short series (non-convergence, ...) are kept in the note instead of being raised.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import numpy as np
import pandas as pd

from tokendemand.backtest._capture import captured_warnings
from tokendemand.errors import ConfigError
from tokendemand.observations import (
    LEVEL_KINDS,
    Observation,
    Observations,
    aggregation_weights,
    daily_grid,
)

__all__ = [
    "ARIMA_AR_MIN",
    "BASELINES",
    "GRID_DAYS",
    "MIN_FIGURES",
    "forecast_baseline",
]

BASELINES: Final[tuple[str, ...]] = ("ets", "arima", "loglinear")
"""The baselines :func:`forecast_baseline` knows."""
MIN_FIGURES: Final[dict[str, int]] = {"ets": 3, "arima": 3, "loglinear": 4}
"""Level figures of a series each baseline needs before the cutoff.

Two figures fix a line but not its noise. The log-linear trend needs a fourth: with one
residual degree of freedom its predictive is a Cauchy distribution, whose CRPS is infinite."""
ARIMA_AR_MIN: Final = 5
"""Level figures from which ``arima`` adds an autoregressive term to the random walk."""
GRID_DAYS: Final = 7
"""Step of the regular grid of ``ets`` and ``arima``, in days."""

_FORECAST_KINDS: Final = frozenset({*LEVEL_KINDS, "ratio"})
_DAYS_PER_YEAR: Final = 365.25

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class _Levels:
    """Training levels of one series: log daily rates at the figures' middle days."""

    origin: pd.Timestamp
    days: FloatArray  # days from origin to each figure's middle, increasing
    log_value: FloatArray
    bounds_used: int

    @property
    def n(self) -> int:
        return len(self.days)

    def weeks(self) -> tuple[np.ndarray[Any, np.dtype[np.int64]], FloatArray]:
        """Grid positions and log values on the weekly grid (figures sharing a week averaged)."""
        position = np.rint(self.days / GRID_DAYS).astype(np.int64)
        weeks = np.unique(position)
        values = np.array([self.log_value[position == w].mean() for w in weeks])
        return weeks, values


def _middle(obs: Observation) -> pd.Timestamp:
    return obs.start + pd.Timedelta(days=(obs.days - 1) // 2)


def _levels(train: Sequence[Observation]) -> _Levels:
    figures = sorted((o for o in train if o.kind in LEVEL_KINDS), key=_middle)
    if not figures:
        return _Levels(pd.Timestamp(0), np.zeros(0), np.zeros(0), 0)
    origin = _middle(figures[0])
    rates = [o.value / o.days if o.kind == "total" else o.value for o in figures]
    return _Levels(
        origin=origin,
        days=np.array([(_middle(o) - origin).days for o in figures], dtype=np.float64),
        log_value=np.log(np.array(rates, dtype=np.float64)),
        bounds_used=sum(o.bound is not None for o in figures),
    )


class _Paths(Protocol):
    """A fitted baseline: joint samples of the daily log level, and per-figure noise."""

    @property
    def description(self) -> str:
        """What was fitted, for the note."""
        ...

    def log_paths(
        self, days: FloatArray, n: int, rng: np.random.Generator
    ) -> tuple[FloatArray, FloatArray]:
        """``(paths, noise)``: paths ``(n, len(days))`` at days from the origin, and the sd
        ``(n,)`` of independent log noise on each published figure."""
        ...


@dataclass(frozen=True)
class _StateSpacePaths:
    """An ``ets`` or ``arima`` fit on the weekly grid."""

    description: str
    results: Any
    weeks: np.ndarray[Any, np.dtype[np.int64]]
    values: FloatArray

    def log_paths(
        self, days: FloatArray, n: int, rng: np.random.Generator
    ) -> tuple[FloatArray, FloatArray]:
        u = days / GRID_DAYS
        last = int(self.weeks[-1])
        paths = np.broadcast_to(np.interp(u, self.weeks, self.values), (n, len(u))).copy()
        ahead = u > last
        if ahead.any():
            steps = math.ceil(float(u.max()) - last)
            simulated = np.asarray(
                self.results.simulate(steps, repetitions=n, anchor="end", rng=rng),
                dtype=np.float64,
            ).reshape(steps, n)
            knots = np.concatenate([np.full((1, n), self.values[-1]), simulated]).T
            offset = u[ahead] - last
            left = np.minimum(np.floor(offset).astype(np.int64), steps - 1)
            frac = offset - left
            paths[:, ahead] = knots[:, left] * (1.0 - frac) + knots[:, left + 1] * frac
        return paths, np.zeros(n)


@dataclass(frozen=True)
class _LogLinearPaths:
    """OLS of the log level on years: coefficients, their scaled covariance, residual dof."""

    description: str
    beta: FloatArray
    xtx_inv: FloatArray
    s2: float
    dof: int

    def log_paths(
        self, days: FloatArray, n: int, rng: np.random.Generator
    ) -> tuple[FloatArray, FloatArray]:
        # The posterior predictive of OLS under a flat prior: sigma^2 ~ dof s^2 / chi2(dof),
        # beta | sigma ~ N(beta_hat, sigma^2 (X'X)^-1); each figure adds N(0, sigma^2).
        sigma = np.sqrt(self.dof * self.s2 / rng.chisquare(self.dof, size=n))
        z = rng.standard_normal((n, 2)) @ np.linalg.cholesky(self.xtx_inv).T
        beta = self.beta + sigma[:, None] * z
        years = days / _DAYS_PER_YEAR
        return beta[:, :1] + beta[:, 1:] * years, sigma


def _fit_ets(levels: _Levels) -> _Paths:
    from statsmodels.tsa.statespace.exponential_smoothing import ExponentialSmoothing

    weeks, values = levels.weeks()
    y = np.full(int(weeks[-1]) + 1, np.nan)
    y[weeks] = values
    model = ExponentialSmoothing(
        y, trend=True, damped_trend=True, initialization_method="concentrated"
    )
    results = model.fit(disp=False)
    return _StateSpacePaths(
        f"ETS damped trend on {len(weeks)} weekly figures", results, weeks, values
    )


def _fit_arima(levels: _Levels) -> _Paths:
    from statsmodels.tsa.arima.model import ARIMA

    weeks, values = levels.weeks()
    y = np.full(int(weeks[-1]) + 1, np.nan)
    y[weeks] = values
    # Start values from the figures themselves (statsmodels' own starts need gap-free data):
    # drift per week, and the spread of the weekly growth between figures.
    gaps = np.diff(weeks).astype(np.float64)
    steps = np.diff(values)
    drift = float(steps.sum() / gaps.sum())
    variance = float(max(np.sum((steps - drift * gaps) ** 2 / gaps) / max(len(gaps) - 1, 1), 1e-4))
    if len(weeks) >= ARIMA_AR_MIN:
        order, start = (1, 1, 0), [drift * 0.5, 0.5, variance]
    else:
        order, start = (0, 1, 0), [drift, variance]
    results = ARIMA(y, order=order, trend="t").fit(start_params=start)
    label = "ARIMA(1,1,0)" if order[0] else "random walk ARIMA(0,1,0)"
    return _StateSpacePaths(
        f"{label} with drift on {len(weeks)} weekly figures", results, weeks, values
    )


def _fit_loglinear(levels: _Levels) -> _Paths:
    years = levels.days / _DAYS_PER_YEAR
    design = np.column_stack([np.ones_like(years), years])
    beta, *_ = np.linalg.lstsq(design, levels.log_value, rcond=None)
    dof = levels.n - 2
    residual = levels.log_value - design @ beta
    s2 = float(residual @ residual / dof)
    return _LogLinearPaths(
        f"log-linear trend on {levels.n} figures",
        beta=np.asarray(beta, dtype=np.float64),
        xtx_inv=np.asarray(np.linalg.inv(design.T @ design), dtype=np.float64),
        s2=max(s2, 1e-12),
        dof=dof,
    )


_FITTERS: Final = {"ets": _fit_ets, "arima": _fit_arima, "loglinear": _fit_loglinear}


def _from_statsmodels(item: Any) -> bool:
    module = getattr(item.category, "__module__", "")
    return module.startswith("statsmodels") or "statsmodels" in str(item.filename)


def forecast_baseline(
    method: str,
    train: Observations,
    heldout: Observations,
    *,
    n_samples: int = 1000,
    random_seed: int | np.random.Generator | None = None,
) -> tuple[FloatArray, list[str]]:
    """Samples of each held-out figure from a baseline fitted to the training figures.

    Each held-out figure is forecast from the training levels of its own market and series
    (see the module docstring for the models and how figures are formed).

    Parameters
    ----------
    method
        One of :data:`BASELINES`.
    train
        Figures before the cutoff.
    heldout
        Figures to forecast, in any shape the baselines cover (levels and ratios).
    n_samples
        Joint samples per figure.
    random_seed
        Seed or generator of the simulations.

    Returns
    -------
    log_samples : numpy.ndarray
        Shape ``(n_samples, len(heldout))``: samples of the natural log of each figure in
        canonical units; a column is NaN where the baseline could not forecast that figure.
    notes : list of str
        One per held-out figure: the model used, bounds taken at face value and warnings; or
        why there is no forecast.

    Raises
    ------
    ConfigError
        For an unknown ``method`` or ``n_samples < 1``.

    Examples
    --------
    >>> from tokendemand.observations import Observation, Observations
    >>> def point(day, value):
    ...     return Observation("s", "m", "point", value, day, day, source="x")
    >>> train = Observations([point("2025-01-15", 1e12), point("2025-04-15", 2e12),
    ...                       point("2025-07-15", 4.2e12), point("2025-08-15", 5e12)])
    >>> samples, notes = forecast_baseline("loglinear", train,
    ...                                    Observations([point("2025-10-15", 8e12)]),
    ...                                    random_seed=0)
    >>> samples.shape, notes[0]
    ((1000, 1), 'log-linear trend on 4 figures')
    >>> 5e12 < float(np.exp(np.median(samples))) < 13e12
    True
    """
    if method not in _FITTERS:
        raise ConfigError(f"unknown baseline {method!r}; the baselines are {', '.join(BASELINES)}")
    if not isinstance(n_samples, int) or n_samples < 1:
        raise ConfigError(f"n_samples must be an integer >= 1, got {n_samples!r}")
    rng = np.random.default_rng(random_seed)
    samples = np.full((n_samples, len(heldout)), np.nan)
    notes = [""] * len(heldout)
    groups: dict[tuple[str, str], list[int]] = {}
    for i, obs in enumerate(heldout):
        if obs.kind in _FORECAST_KINDS:
            groups.setdefault((obs.market, obs.series), []).append(i)
        else:
            notes[i] = f"{method} forecasts volumes and ratios of one series, not a {obs.kind}"
    for (market, series), rows in groups.items():
        levels = _levels([o for o in train if (o.market, o.series) == (market, series)])
        if levels.n < MIN_FIGURES[method]:
            reason = (
                f"{method} needs {MIN_FIGURES[method]} level figures of {market}/{series} "
                f"before the cutoff, had {levels.n}"
            )
            for i in rows:
                notes[i] = reason
            continue
        group = Observations(heldout[i] for i in rows)
        values: FloatArray | None = None
        with captured_warnings(_from_statsmodels) as warned:
            try:
                fitted = _FITTERS[method](levels)
                values = _log_figures(fitted, levels, group, n_samples, rng)
                parts = [fitted.description]
            except (ValueError, ArithmeticError, np.linalg.LinAlgError) as error:
                parts = [f"{method} failed: {type(error).__name__}: {error}"]
        if levels.bounds_used:
            parts.append(f"{levels.bounds_used} one-sided figure(s) used at their value")
        parts += warned
        for column, i in enumerate(rows):
            notes[i] = "; ".join(parts)
            if values is not None:
                samples[:, i] = values[:, column]
    return samples, notes


def _log_figures(
    fitted: _Paths, levels: _Levels, group: Observations, n: int, rng: np.random.Generator
) -> FloatArray:
    """Samples of the log of each figure of ``group``: daily paths through the aggregation
    operator."""
    grid = daily_grid(group)
    weights, base_weights = aggregation_weights(group, grid)
    days = np.asarray((grid - levels.origin) / pd.Timedelta(days=1), dtype=np.float64)
    log_paths, noise = fitted.log_paths(days, n, rng)
    # Factor out each path's largest value before exponentiating: no overflow on wild paths.
    shift = log_paths.max(axis=1, keepdims=True)
    level = np.exp(log_paths - shift)
    is_ratio = group.kinds == "ratio"
    with np.errstate(divide="ignore", invalid="ignore"):
        log_value = np.log(level @ weights.T) + shift
        log_base = np.log(level @ base_weights.T) + shift
    log_value = np.where(is_ratio, log_value - log_base, log_value)
    z = rng.standard_normal((2, n, len(group)))
    log_value += noise[:, None] * np.where(is_ratio, z[0] - z[1], z[0])
    result: FloatArray = log_value
    return result
