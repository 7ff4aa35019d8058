"""A false claim entered in a fit moves the posterior toward it, and the report says what the
claims changed (simulated data, short seeded chains)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand.claims.builtin import cicc_break_even
from tokendemand.errors import ConvergenceWarning
from tokendemand.fitting.refit import without_claims
from tokendemand.observations import Observation, Observations
from tokendemand.structure import Parameters, Structure

pytestmark = pytest.mark.slow

TRUTH = Parameters(
    "2026-03-31",
    scale=8e13,
    intensity_ratio=10.0,
    penetration={"ceiling": 0.45, "midpoint": "2028-06-30", "rate": 0.6},
    users={"annual_rate": 0.35, "ceiling_multiple": 2.2},
    chatbot={"annual_rate": 0.7, "ceiling_multiple": 3.5},
    complexity={"annual_rate": 1.0, "ceiling_multiple": 8.0},
)
# false: the truth breaks even at 1 / 10 = 10% penetration; the claim says 2% (rho*k*h/u = 50)
FALSE_CLAIM = cicc_break_even(pi_star=0.02, tolerance=0.005)
SETTINGS = {"draws": 200, "tune": 300, "chains": 2, "max_draws": 200, "random_seed": 4}


@pytest.fixture(scope="module")
def fits() -> tuple[td.FitResult, td.FitResult]:
    rows = [
        Observation("national", "china", "point", 1.0, day, day, source="t", confidence="high")
        for day in pd.date_range("2024-03-31", "2026-03-31", freq="QE")
    ]
    simulated = td.fitting.simulate(Structure(), TRUTH, Observations(rows), 5, noise=0.05)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        entered = td.fit(simulated, claims=[FALSE_CLAIM], **SETTINGS)  # type: ignore[arg-type]
        baseline = without_claims(entered)
    return entered, baseline


def test_a_false_claim_pulls_the_posterior_toward_it(
    fits: tuple[td.FitResult, td.FitResult], tmp_path: Path
) -> None:
    entered, baseline = fits
    (record,) = entered.claims
    assert record.name == FALSE_CLAIM.name and [f.value for f in record.figures] == [50.0]
    assert len(entered.observations) == len(baseline.observations) + 1
    assert baseline.claims == () and baseline.reference_date == entered.reference_date
    assert baseline.n_draws == entered.n_draws  # the same sampler settings

    def log_rho(fit: td.FitResult) -> float:
        return float(np.median(np.log(fit.draws()["intensity_ratio"])))

    # volumes alone say nothing about rho: the claim is the only pull on it
    with_claim, without = log_rho(entered), log_rho(baseline)
    assert with_claim > without + 0.3
    assert abs(with_claim - np.log(50.0)) < abs(without - np.log(50.0))
    # the claim is checked on a refit without its own figure: the data cannot contradict it
    checked = td.check_claims(entered, [FALSE_CLAIM], refit=False)
    assert checked.loc[0, "held_out"] == 1
    # saved and loaded with the fit
    loaded = td.load_fit(entered.save(tmp_path / "fit"))
    assert loaded.claims == entered.claims
    assert list(loaded.data_observations()) == list(baseline.observations)


def test_the_report_shows_what_the_claims_changed(
    fits: tuple[td.FitResult, td.FitResult], tmp_path: Path
) -> None:
    entered, baseline = fits
    projection = td.project(entered, "posterior", until="2030-12-31", freq="MS")
    out = td.write_report(entered, projection, tmp_path / "report", claims_baseline=baseline)
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "## What the claims changed" in markdown
    assert FALSE_CLAIM.name in markdown and "claim: " in markdown
    table = pd.read_csv(out / "tables" / "claims_effect.csv")
    assert set(table["scenario"]) == {"posterior"}
    rows = table.set_index("quantity")
    # agents that use 50x a chatbot's tokens hold a larger share and break even no later
    share = rows.loc["agent share 2026-03-31"]
    assert share["with_median"] > share["without_median"]
    crossing = rows.loc["break-even date"]
    assert pd.Timestamp(crossing["with_median"]) <= pd.Timestamp(crossing["without_median"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "What the claims changed" in html
