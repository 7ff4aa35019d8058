"""The statsmodels baselines: every figure shape, their own series only, and failures as notes."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest

from tests.backtest.helpers import growth, obs
from tokendemand.backtest import BASELINES, forecast_baseline
from tokendemand.backtest import baselines as baselines_module
from tokendemand.backtest._capture import captured_warnings
from tokendemand.errors import ConfigError
from tokendemand.observations import Observations


def test_loglinear_recovers_an_exact_exponential() -> None:
    dates = ["2024-01-15", "2024-04-02", "2024-08-30", "2024-12-01", "2025-02-10"]
    figures = growth([*dates, "2025-09-30"], rate=1.5)
    train, heldout = figures[:5], figures[5:]
    log_samples, notes = forecast_baseline("loglinear", train, heldout, random_seed=0)
    assert notes == ["log-linear trend on 5 figures"]
    assert np.median(log_samples) == pytest.approx(math.log(heldout[0].value), abs=1e-6)


@pytest.mark.parametrize("method", BASELINES)
def test_baselines_forecast_every_shape_through_the_aggregation_operator(method: str) -> None:
    train = growth(
        ["2024-01-15", "2024-03-20", "2024-06-02", "2024-08-30", "2024-11-11", "2025-01-20"]
    )
    week = ("2025-04-07", "2025-04-13")
    heldout = Observations(
        [
            obs("total", 1e14, *week),
            obs("mean", 1e13, *week),
            obs("point", 1e13, "2025-04-13"),
            obs("ratio", 1.05, *week, base_start="2025-03-31", base_end="2025-04-06"),
            obs("share", 0.3, "2025-04-13"),
        ]
    )
    log_samples, notes = forecast_baseline(method, train, heldout, n_samples=300, random_seed=1)
    assert log_samples.shape == (300, 5)
    assert np.isfinite(log_samples[:, :4]).all()
    assert np.isnan(log_samples[:, 4]).all() and "not a share" in notes[4]
    if method != "loglinear":  # no per-figure noise: the same paths give every shape
        np.testing.assert_allclose(log_samples[:, 0] - log_samples[:, 1], math.log(7.0))
    # growing at 2/year, the median week-on-week ratio is near exp(2 * 7 / 365.25)
    assert np.median(np.exp(log_samples[:, 3])) == pytest.approx(math.exp(2 * 7 / 365.25), rel=0.05)


def test_baselines_use_only_their_own_series_and_explain_gaps() -> None:
    train = growth(["2024-01-15", "2024-06-15", "2024-12-15"]) + Observations(
        [
            obs("point", 5e11, "2024-03-01", series="other"),
            obs("point", 6e11, "2024-09-01", series="other"),
        ]
    )
    heldout = Observations(
        [obs("point", 1e13, "2025-06-30"), obs("point", 1e12, "2025-06-30", series="other")]
    )
    log_samples, notes = forecast_baseline("arima", train, heldout, random_seed=0)
    assert np.isfinite(log_samples[:, 0]).all()
    assert notes[0] == "random walk ARIMA(0,1,0) with drift on 3 weekly figures"
    assert np.isnan(log_samples[:, 1]).all()
    assert notes[1] == "arima needs 3 level figures of m/other before the cutoff, had 2"
    _, notes = forecast_baseline("loglinear", train, heldout[:1], random_seed=0)
    assert notes == ["loglinear needs 4 level figures of m/s before the cutoff, had 3"]


def test_baselines_take_bounds_at_face_value_and_say_so() -> None:
    train = growth(["2024-01-15", "2024-06-15", "2024-12-15"])
    bounded = Observations([*train[:2], obs("point", train[2].value, "2024-12-15", bound="lower")])
    heldout = Observations([obs("point", 1e13, "2025-06-30")])
    plain, _ = forecast_baseline("ets", train, heldout, random_seed=0)
    with_bound, notes = forecast_baseline("ets", bounded, heldout, random_seed=0)
    np.testing.assert_array_equal(plain, with_bound)
    assert "1 one-sided figure(s) used at their value" in notes[0]


def test_statsmodels_warnings_become_notes_and_others_pass_through() -> None:
    from statsmodels.tools.sm_exceptions import ConvergenceWarning as StatsmodelsConvergence

    with captured_warnings(baselines_module._from_statsmodels) as notes:
        warnings.warn("optimizer gave up", StatsmodelsConvergence, stacklevel=1)
        warnings.warn("optimizer gave up", StatsmodelsConvergence, stacklevel=1)
    assert notes == ["ConvergenceWarning: optimizer gave up"]
    with pytest.warns(UserWarning, match="keep me"):
        with captured_warnings(baselines_module._from_statsmodels):
            warnings.warn("keep me", UserWarning, stacklevel=1)


def test_a_failing_statsmodels_fit_gives_a_reason_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(levels: Any) -> Any:
        raise np.linalg.LinAlgError("SVD did not converge")

    monkeypatch.setitem(baselines_module._FITTERS, "ets", broken)
    train = growth(["2024-01-15", "2024-06-15", "2024-12-15"])
    log_samples, notes = forecast_baseline(
        "ets", train, Observations([obs("point", 1e13, "2025-06-30")])
    )
    assert np.isnan(log_samples).all()
    assert notes == ["ets failed: LinAlgError: SVD did not converge"]


def test_unknown_baseline() -> None:
    with pytest.raises(ConfigError, match="unknown baseline 'prophet'"):
        forecast_baseline("prophet", Observations(), Observations())
