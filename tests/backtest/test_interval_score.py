"""The interval (Winkler) score beside CRPS, and plot_backtest's conventions (ax=, errors)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tokendemand.backtest import backtest_summary, plot_backtest
from tokendemand.backtest.metrics import crps_from_samples, interval_score, score
from tokendemand.backtest.runner import COLUMNS
from tokendemand.errors import ConfigError, DataError


def test_interval_score_is_width_plus_twenty_times_each_miss() -> None:
    lower, upper = np.array([1.0, 1.0, 1.0]), np.array([3.0, 3.0, 3.0])
    actual = np.array([2.0, 0.5, 3.25])
    np.testing.assert_allclose(interval_score(lower, upper, actual), [2.0, 12.0, 7.0])
    assert float(interval_score(1.0, 3.0, 0.0, alpha=0.5)) == pytest.approx(6.0)
    with pytest.raises(DataError, match=r"alpha must be in \(0, 1\)"):
        interval_score(1.0, 3.0, 2.0, alpha=1.0)


def test_score_reports_the_90_interval_score_on_logs() -> None:
    rng = np.random.default_rng(0)
    log_samples = rng.normal(0.0, 0.5, 4000)
    for actual in (1.0, math.exp(2.0), math.exp(-3.0)):
        s = score(log_samples, actual)
        q05, q95 = np.quantile(log_samples, [0.05, 0.95])
        y = math.log(actual)
        expected = (q95 - q05) + 20 * max(q05 - y, 0.0) + 20 * max(y - q95, 0.0)
        assert s["interval90"] == pytest.approx(expected, rel=1e-12)
        assert s["crps"] == pytest.approx(float(crps_from_samples(log_samples, y)))
    assert math.isnan(score(log_samples, 2.0, bound="lower")["interval90"])


def test_crps_is_the_empirical_energy_form() -> None:
    """As properscoring.crps_ensemble: E|X - y| - E|X - X'| / 2 over all m**2 pairs."""
    x = np.random.default_rng(1).normal(size=50)
    y = 0.3
    energy = np.abs(x - y).mean() - 0.5 * np.abs(x[:, None] - x[None, :]).mean()
    assert float(crps_from_samples(x, y)) == pytest.approx(energy, rel=1e-12)


def table() -> pd.DataFrame:
    rows = []
    for method, shift in (("structural", 0.0), ("naive", 0.4)):
        for figure, actual in ((1, 2.0e12), (2, 3.0e12)):
            log_samples = np.random.default_rng(figure).normal(math.log(actual) + shift, 0.2, 500)
            rows.append(
                {
                    "cutoff": pd.Timestamp("2025-06-30"),
                    "figure": figure,
                    "period_end": pd.Timestamp("2025-09-30") + pd.Timedelta(days=30 * figure),
                    "method": method,
                    "actual": actual,
                    "bound": None,
                    "status": "scored",
                    **score(log_samples, actual),
                }
            )
    return pd.DataFrame(rows, columns=[c for c in COLUMNS if c in rows[0]])


def test_summary_averages_the_interval_score() -> None:
    t = table()
    summary = backtest_summary(t)
    assert "interval90" in COLUMNS
    for method in ("structural", "naive"):
        mean = t.loc[t["method"] == method, "interval90"].mean()
        assert summary.loc[method, "interval90"] == pytest.approx(mean)
    assert summary.loc["structural", "interval90"] < summary.loc["naive", "interval90"]


def test_plot_backtest_draws_on_given_axes_and_raises_library_errors() -> None:
    import matplotlib.pyplot as plt

    t = table()
    figure, axes = plt.subplots(1, 2)
    try:
        assert plot_backtest(t, ax=list(axes)) is figure
        assert [ax.get_title().split("\n")[0] for ax in axes] == ["structural", "naive"]
        with pytest.raises(ConfigError, match=r"one Axes per method \(2"):
            plot_backtest(t, ax=axes[0])
    finally:
        plt.close(figure)
    figure, ax = plt.subplots()
    try:
        assert plot_backtest(t[t["method"] == "naive"], ax=ax) is figure
    finally:
        plt.close(figure)
    with pytest.raises(DataError, match="lacks the columns"):
        plot_backtest(t.drop(columns=["q05"]))
    with pytest.raises(DataError, match="empty"):
        plot_backtest(t.iloc[:0])
