"""Backtest metrics against hand-computed cases: CRPS, interval scores, the per-method summary."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.backtest.helpers import scored, table_of
from tokendemand.backtest import backtest_summary, crps_from_samples, score
from tokendemand.errors import DataError


def test_crps_of_a_point_forecast_is_the_absolute_error() -> None:
    for point, actual in ((2.0, 5.0), (5.0, 2.0), (-1.5, -1.5), (0.0, 1e-9)):
        assert crps_from_samples(np.full(37, point), actual) == pytest.approx(abs(point - actual))


def test_crps_of_two_points_by_hand() -> None:
    # X uniform on {0, 1}, y = 0.25: E|X - y| = (0.25 + 0.75)/2 = 0.5; E|X - X'| = 0.5
    assert float(crps_from_samples([1.0, 0.0], 0.25)) == pytest.approx(0.5 - 0.25)
    # y outside: E|X - 3| = 2.5, minus 0.25
    assert float(crps_from_samples([0.0, 1.0], 3.0)) == pytest.approx(2.25)


def test_crps_equals_the_pairwise_definition() -> None:
    rng = np.random.default_rng(3)
    x = rng.gamma(2.0, size=151)
    y = 1.7
    pairwise = np.abs(x - y).mean() - 0.5 * np.abs(x[:, None] - x[None, :]).mean()
    assert float(crps_from_samples(x, y)) == pytest.approx(pairwise, rel=1e-12)


@pytest.mark.parametrize("y", [-2.0, 0.3, 1.0, 4.5])
def test_crps_of_a_normal_matches_the_closed_form(y: float) -> None:
    mu, sigma, m = 1.0, 0.7, 20_000
    x = mu + sigma * stats.norm.ppf((np.arange(1, m + 1) - 0.5) / m)  # quantile samples
    z = (y - mu) / sigma
    closed = sigma * (
        z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / math.sqrt(math.pi)
    )
    assert float(crps_from_samples(x, y)) == pytest.approx(closed, abs=2e-4)


def test_crps_vectorises_over_forecasts_and_flags_non_finite() -> None:
    samples = np.array([[1.0, 1.0, 1.0], [0.0, 1.0, np.nan]])
    out = crps_from_samples(samples, [3.0, 0.0])
    assert out.shape == (2,)
    assert out[0] == pytest.approx(2.0)
    assert math.isnan(out[1])
    with pytest.raises(DataError, match="at least one sample"):
        crps_from_samples(np.zeros((2, 0)), 1.0)


def test_score_intervals_coverage_and_log_error() -> None:
    log_samples = np.log(np.arange(1.0, 102.0))  # 1..101: q05 = 6, q25 = 26, q50 = 51, ...
    inside50 = score(log_samples, 40.0)
    assert inside50["q50"] == pytest.approx(51.0)
    assert (inside50["q05"], inside50["q25"], inside50["q75"], inside50["q95"]) == pytest.approx(
        (6.0, 26.0, 76.0, 96.0)
    )
    assert inside50["log_error"] == pytest.approx(math.log(51.0 / 40.0))
    assert (inside50["in50"], inside50["in90"]) == (True, True)
    outside50 = score(log_samples, 90.0)
    assert (outside50["in50"], outside50["in90"]) == (False, True)
    outside90 = score(log_samples, 99.0)
    assert (outside90["in50"], outside90["in90"]) == (False, False)
    assert score(log_samples, 96.0)["in90"] is True  # the interval is closed
    assert score(log_samples, 200.0)["log_error"] < 0  # forecast too low


def test_score_of_a_bound_is_the_probability_of_its_side() -> None:
    log_samples = np.log(np.arange(1.0, 11.0))
    lower = score(log_samples, 8.0, bound="lower")
    upper = score(log_samples, 8.0, bound="upper")
    assert lower["p_bound"] == pytest.approx(0.3)  # 8, 9, 10
    assert upper["p_bound"] == pytest.approx(0.8)  # 1..8
    for name in ("crps", "log_error"):
        assert math.isnan(lower[name])
    assert lower["in50"] is pd.NA and lower["in90"] is pd.NA
    assert lower["q50"] == pytest.approx(math.sqrt(30.0))  # quantiles interpolate in logs


def test_score_rejects_what_it_cannot_score() -> None:
    with pytest.raises(DataError, match="finite"):
        score([0.0, np.inf], 1.0)
    with pytest.raises(DataError, match="positive"):
        score([0.0, 1.0], 0.0)
    with pytest.raises(DataError, match="bound"):
        score([0.0, 1.0], 1.0, bound="over")


def test_summary_counts_and_coverage() -> None:
    table = table_of(
        [
            scored("a", 1, 0.1, 0.1, True, True),
            scored("a", 2, 0.3, -0.3, False, True),
            scored("a", 3, 0.5, 0.6, False, False),
            {"status": "bound", "figure": 4, "method": "a", "p_bound": 0.8},
            scored("b", 1, 0.2, 0.2, True, True),
            {"status": "no forecast", "figure": 2, "method": "b"},
            scored("b", 3, 0.4, -0.2, True, True),
            {"status": "bound", "figure": 4, "method": "b", "p_bound": 0.4},
        ]
    )
    every = backtest_summary(table, common=False)
    counts = ["rows", "scored", "bounds", "no_forecast", "n"]
    assert list(every[counts].loc["a"]) == [4, 3, 1, 0, 3]
    assert list(every[counts].loc["b"]) == [4, 2, 1, 1, 2]
    assert every.loc["a", "crps"] == pytest.approx(0.3)
    assert every.loc["a", "abs_log_error"] == pytest.approx(1.0 / 3)
    assert every.loc["a", "bias"] == pytest.approx(0.4 / 3)
    assert every.loc["a", "cover50"] == pytest.approx(1 / 3)
    assert every.loc["a", "cover90"] == pytest.approx(2 / 3)
    assert every.loc["a", "p_bound"] == pytest.approx(0.8)
    # common: figures 1 and 3 only (b could not forecast figure 2)
    common = backtest_summary(table)
    assert common["n"].tolist() == [2, 2]
    assert common.loc["a", "crps"] == pytest.approx(0.3)
    assert common.loc["a", "cover90"] == pytest.approx(0.5)
    assert common.loc["b", "crps"] == pytest.approx(0.3)
    assert common.loc["b", "cover50"] == pytest.approx(1.0)


def test_summary_ignores_a_method_that_scored_nothing_in_the_common_set() -> None:
    table = table_of(
        [
            scored("a", 1, 0.2, 0.0, True, True),
            {"status": "no forecast", "figure": 1, "method": "b"},
        ]
    )
    summary = backtest_summary(table)
    assert summary["n"].tolist() == [1, 0]
    assert summary.loc["a", "crps"] == pytest.approx(0.2)
    assert math.isnan(float(summary["crps"].loc["b"]))
