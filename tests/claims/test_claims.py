"""Claims as objects: construction, readings, verdicts, and the prior-draw evaluation."""

from __future__ import annotations

import numpy as np
import pytest

import tokendemand as td
from tokendemand.claims import Claim, Evidence, builtin, figure_key, verdict
from tokendemand.claims.builtin import cicc_break_even, cicc_growth
from tokendemand.errors import ConfigError, DataError
from tokendemand.fitting.likelihood import ObservationDesign
from tokendemand.fitting.posterior import prior_values
from tokendemand.observations import Observation
from tokendemand.priors import Priors
from tokendemand.structure import Structure


def _prior_evidence(
    dataset: str = "seed", n: int = 400, structure: Structure | None = None
) -> Evidence:
    structure = structure or Structure()
    design = ObservationDesign.build(td.datasets.load(dataset), pooling=structure.pooling)
    draws = prior_values(structure, Priors(), design, n, 0)
    return Evidence.from_values(structure, design, draws, 0.0)


def test_builtin_claims_are_named_and_typed() -> None:
    claims = builtin()
    assert [c.name for c in claims] == [
        "cicc_break_even_8pct",
        "cicc_growth_5x",
        "nbs_march_140t",
        "doubao_doubled_3m",
        "openrouter_wow_7_4pct",
        "openrouter_china_over_us",
    ]
    with pytest.raises(AttributeError):
        claims[0].name = "x"  # type: ignore[misc]
    # the claims about published figures carry them, so a check can hold them out
    assert {c.name for c in claims if c.figures} == {
        "nbs_march_140t",
        "doubao_doubled_3m",
        "openrouter_wow_7_4pct",
        "openrouter_china_over_us",
    }
    seed_keys = {figure_key(o) for o in td.datasets.load("seed")}
    for claim in claims:
        assert all(figure_key(f) in seed_keys for f in claim.figures), claim.name


def test_invalid_claims_are_refused() -> None:
    with pytest.raises(ConfigError, match="name must be non-empty"):
        Claim("", "s", "t", lambda e: e)
    with pytest.raises(ConfigError, match="test must be callable"):
        Claim("a", "s", "t", 3)  # type: ignore[arg-type]


def test_cicc_break_even_reads_rho_band_on_prior_draws() -> None:
    evidence = _prior_evidence()
    rho = np.asarray(evidence.values["intensity_ratio"])[:, 0]
    claim = cicc_break_even(tolerance=0.02)
    expected = float(((1 / rho >= 0.06) & (1 / rho <= 0.10)).mean())
    assert claim.probability(evidence) == pytest.approx(expected)
    # a wider tolerance can only make the claim more probable
    assert cicc_break_even(tolerance=0.05).probability(evidence) >= expected


def test_growth_claim_uses_the_window_and_market() -> None:
    evidence = _prior_evidence()
    early = cicc_growth(start="2026-03-31", end="2027-03-31").probability(evidence)
    late = cicc_growth(start="2026-03-31", end="2030-12-31").probability(evidence)
    assert late > early  # more years, more draws past 5x
    with pytest.raises(ConfigError, match="market 'mars'"):
        cicc_growth(market="mars").probability(evidence)


def test_figure_claims_are_evaluated_with_the_observation_equation() -> None:
    # complete pooling: two sub-series of one market differ only by their coverage, so the
    # ratio of their weekly totals is the ratio of their coverages (a closed form)
    evidence = _prior_evidence(structure=Structure(pooling="complete"))
    china = Observation(
        "openrouter_china_models",
        "openrouter",
        "total",
        1.0,
        "2026-05-18",
        "2026-05-24",
        source="t",
    )
    us = Observation(
        "openrouter_us_models", "openrouter", "total", 1.0, "2026-05-18", "2026-05-24", source="t"
    )
    both = evidence.figure(china) / evidence.figure(us)
    coverage = np.asarray(evidence.values["coverage"])
    series = [s for _, s in evidence.design.covered]
    ratio = (
        coverage[:, series.index("openrouter_china_models")]
        / coverage[:, series.index("openrouter_us_models")]
    )
    np.testing.assert_allclose(both, ratio, rtol=1e-10)
    unseen = Observation("qwen", "china", "point", 1.0, "2026-03-31", "2026-03-31", source="t")
    with pytest.raises(DataError, match="did not see"):
        evidence.figure(unseen)


def test_probability_rejects_a_test_of_the_wrong_shape() -> None:
    claim = Claim("bad", "s", "t", lambda e: np.array([True]))
    with pytest.raises(ConfigError, match="one boolean per draw"):
        claim.probability(_prior_evidence(n=10))


@pytest.mark.parametrize(
    ("prior", "posterior", "expected"),
    [
        (0.5, 0.95, "supported"),
        (0.5, 0.03, "contradicted"),
        (0.3, 0.7, "leans supported"),
        (0.7, 0.3, "leans contradicted"),
        (0.96, 0.97, "undecided by the data"),
        (float("nan"), 0.5, "not testable"),
    ],
)
def test_verdict_in_words(prior: float, posterior: float, expected: str) -> None:
    assert verdict(prior, posterior) == expected


def test_check_claims_refuses_what_is_not_a_fit() -> None:
    from tokendemand.claims import check_claims
    from tokendemand.errors import NotFittedError

    with pytest.raises(NotFittedError, match="fitted result"):
        check_claims(td.example_parameters())
