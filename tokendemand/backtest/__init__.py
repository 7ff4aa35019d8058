"""Backtests: how well the structural model forecasts figures it has not seen.

A rolling-origin evaluation (:func:`backtest`): for each cutoff, fit on the figures before it
(:mod:`.splits`; with ``analogues``, also on other series' figures before it, beside the fit
alone) and forecast the figures after it in their own shapes, beside three statsmodels
baselines on log volumes (:mod:`.baselines`: damped-trend exponential smoothing, ARIMA, a
log-linear trend), all scored the same way from forecast samples (:mod:`.metrics`: log error,
CRPS on natural logs, 50% and 90% interval coverage). :func:`backtest_summary` gives one row
per method, :func:`backtest_pairwise` the structural model against each other method over the
figures both scored (and whether a single cutoff decides it), and :func:`plot_backtest` draws
each forecast interval beside the figure that came true.

>>> from tokendemand import datasets
>>> from tokendemand.backtest import default_cutoffs, split
>>> doubao = datasets.load("doubao")
>>> cutoff = default_cutoffs(doubao)[0]
>>> train, heldout = split(doubao, cutoff)
>>> cutoff.date().isoformat(), len(train), len(heldout)
('2025-03-31', 3, 5)

``backtest(doubao, random_seed=1)`` then fits once per cutoff and returns the
table; ``backtest_summary(table)`` the comparison.
"""

from __future__ import annotations

from tokendemand.backtest.baselines import BASELINES, forecast_baseline
from tokendemand.backtest.compare import backtest_pairwise
from tokendemand.backtest.metrics import QUANTILES, backtest_summary, crps_from_samples, score
from tokendemand.backtest.plot import plot_backtest
from tokendemand.backtest.runner import ALONE, COLUMNS, STRUCTURAL, backtest
from tokendemand.backtest.splits import (
    analogue_figures,
    default_cutoffs,
    last_day,
    split,
    training_figures,
)

__all__ = [
    "ALONE",
    "BASELINES",
    "COLUMNS",
    "QUANTILES",
    "STRUCTURAL",
    "analogue_figures",
    "backtest",
    "backtest_pairwise",
    "backtest_summary",
    "crps_from_samples",
    "default_cutoffs",
    "forecast_baseline",
    "last_day",
    "plot_backtest",
    "score",
    "split",
    "training_figures",
]
