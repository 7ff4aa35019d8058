"""FitResult on one short fit: diagnostics, summary, posterior parameters, predictive checks and
forecasts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand.errors import DataError
from tokendemand.observations import Observation, Observations

pytestmark = pytest.mark.slow


def test_diagnostics_and_summary(china: td.FitResult) -> None:
    d = china.diagnostics
    for key in ("max_rhat", "min_ess_bulk", "divergences", "mean_tree_depth", "chains", "draws"):
        assert key in d
    assert d["chains"] == 2 and d["draws"] == 300
    assert d["max_rhat"] < 1.1
    summary = china.summary()
    assert {"mean", "sd", "q03", "q97", "sd_ratio", "shift", "learned_from", "r_hat"} <= set(
        summary.columns
    )
    assert set(summary["learned_from"]) <= {"data", "weak", "prior", "fixed"}
    # the level on the reference date is what the figures pin; rho is what they cannot
    assert summary.loc["total_reference[china]", "learned_from"] == "data"
    assert summary.loc["intensity_ratio", "learned_from"] in {"prior", "weak"}
    assert "FitResult(method='nuts'" in repr(china)


def test_posterior_parameters_and_predictive_checks(china: td.FitResult) -> None:
    params = china.posterior_parameters()
    assert np.shape(params.intensity_ratio) == (600,)
    assert params.reference_date == pd.Timestamp("2026-03-31")
    with pytest.raises(DataError, match="not in this fit"):
        china.posterior_parameters("usa")
    check = china.posterior_predictive()
    assert len(check) == len(china.observations)
    assert (check["q05"] <= check["q95"]).all()
    # the exact figures sit inside their 90% predictive intervals
    exact = check[check["bound"].isna()]
    assert ((exact["observed"] >= exact["q05"]) & (exact["observed"] <= exact["q95"])).all()
    prior = china.prior_predictive(draws=200)
    assert (prior["q95"] / prior["q05"] > check["q95"] / check["q05"]).all()


def test_forecast_in_the_shape_of_held_out_figures(china: td.FitResult) -> None:
    later = Observations(
        [
            Observation(
                "china_national",
                "china",
                "point",
                2e14,
                "2026-06-30",
                "2026-06-30",
                source="hypothetical",
            ),
            Observation(
                "china_national",
                "china",
                "total",
                6e15,
                "2026-06-01",
                "2026-06-30",
                source="hypothetical",
            ),
        ]
    )
    draws = china.forecast(later)
    assert draws.shape == (600, 2)
    # a 30-day total is about 30 daily levels
    ratio = np.median(draws[:, 1]) / np.median(draws[:, 0])
    assert 20 < ratio < 40
    exact = china.forecast(later, noise=False)
    assert np.all(exact > 0)
