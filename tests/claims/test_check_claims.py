"""check_claims on simulated data: a true and a false claim about a held-out figure."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import tokendemand as td
from tokendemand.claims import Claim, Evidence, check_claims
from tokendemand.errors import ConvergenceWarning
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
MARCH = Observation("national", "china", "mean", 1.0, "2026-03-01", "2026-03-31", source="t")


def _simulated() -> tuple[Observations, float]:
    rows = [
        Observation("national", "china", "point", 1.0, day, day, source="t", confidence="high")
        for day in pd.date_range("2024-03-31", "2025-12-31", freq="QE")
    ]
    rows.append(MARCH)
    simulated = td.fitting.simulate(Structure(), TRUTH, Observations(rows), 5, noise=0.05)
    true_march = td.fitting.simulate(Structure(), TRUTH, Observations([MARCH]), noise=0.0)[0]
    return simulated, true_march.value


def _claim(name: str, threshold: float) -> Claim:
    def test(evidence: Evidence) -> object:
        return evidence.figure(MARCH) > threshold

    return Claim(name, "simulation", f"March mean above {threshold:.3g}", test, (MARCH,))


@pytest.fixture(scope="module")
def simulated() -> tuple[td.FitResult, float]:
    """A short NUTS fit of the simulated figures (shared: a new dataset costs a compile), and
    the true March mean."""
    observations, march = _simulated()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        fit = td.fit(observations, draws=300, tune=300, max_draws=300, random_seed=1)
    return fit, march


def test_true_and_false_claims_get_their_verdicts(simulated: tuple[td.FitResult, float]) -> None:
    fit, march = simulated
    claims = [_claim("true", 0.6 * march), _claim("false", 1.6 * march)]
    table = check_claims(fit, claims, draws=400, tune=400, random_seed=3)
    table = table.set_index("claim")
    assert list(table["verdict"]) == ["supported", "contradicted"]
    # the figure stating the claim was held out: one shared refit without it
    assert list(table["held_out"]) == [1, 1]
    assert table["note"].str.contains("refitted without 1 figure").all()
    assert table.loc["true", "posterior_probability"] > table.loc["true", "prior_probability"]
    assert table.loc["false", "posterior_probability"] < table.loc["false", "prior_probability"]


def test_claim_on_an_unseen_series_is_not_testable(simulated: tuple[td.FitResult, float]) -> None:
    # the fit's method does not matter here (nothing is refitted): the shared NUTS fit serves,
    # instead of a MAP fit that would compile the model once more
    fit, _ = simulated
    unseen = Observation("doubao", "china", "point", 1.0, "2026-03-31", "2026-03-31", source="t")
    claim = Claim("other", "s", "t", lambda e: e.figure(unseen) > 0)
    table = check_claims(fit, [claim])
    assert table.loc[0, "verdict"] == "not testable"
    assert "did not see" in table.loc[0, "note"]
    assert table.loc[0, "held_out"] == 0
