"""Claims stated as figures for a fit, the no-double-counting rule, and claims saved with a fit
(no sampling: the saved version-1 fit and the figures themselves)."""

from __future__ import annotations

import json
import shutil
import warnings
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import tokendemand as td
from tokendemand.claims import Claim, builtin
from tokendemand.claims.builtin import cicc_break_even, cicc_growth
from tokendemand.errors import ConfigError, DataError
from tokendemand.fitting.io import FORMAT_VERSION
from tokendemand.fitting.pseudo import (
    CLAIM_PREFIX,
    ClaimRecord,
    ClaimSkippedWarning,
    claim_observations,
    data_observations,
)
from tokendemand.fitting.refit import without_claims
from tokendemand.observations import Observation, Observations
from tokendemand.structure import intensity_ratio_for_break_even

SAVED_V1 = Path(__file__).resolve().parents[1] / "data" / "saved_fit_v1"
REFERENCE = pd.Timestamp("2026-03-31")


def _claim(name: str) -> Claim:
    return {c.name: c for c in builtin()}[name]


def _one(claim: Claim, **options: object) -> list[Observation]:
    return list(claim.as_observations(REFERENCE, **options))  # type: ignore[arg-type]


def test_cicc_break_even_is_an_intensity_ratio_of_12_5_on_the_reference_date() -> None:
    (figure,) = _one(_claim("cicc_break_even_8pct"))
    assert (figure.kind, figure.value, figure.bound) == ("intensity_ratio", 12.5, None)
    assert figure.start == figure.end == REFERENCE
    assert figure.market == "china"
    # with substitution s the break-even intensity ratio is (1 - s * pi) / pi: 11.5 at s = 1
    (full,) = _one(_claim("cicc_break_even_8pct"), substitution=1.0)
    assert full.value == pytest.approx(11.5)
    assert full.value == pytest.approx(intensity_ratio_for_break_even(0.08, 1.0))
    (ten,) = cicc_break_even(pi_star=0.1, date="2025-12-31").as_observations(REFERENCE)
    assert ten.value == pytest.approx(10.0) and ten.start == pd.Timestamp("2025-12-31")
    with pytest.raises(ConfigError, match=r"cicc_break_even_8pct.*reference date"):
        _claim("cicc_break_even_8pct").as_observations()


def test_cicc_growth_is_a_lower_bound_ratio_over_its_window() -> None:
    (figure,) = _one(_claim("cicc_growth_5x"))
    assert (figure.kind, figure.value, figure.bound) == ("ratio", 5.0, "lower")
    assert (figure.start, figure.end) == (pd.Timestamp("2030-12-31"),) * 2
    assert (figure.base_start, figure.base_end) == (pd.Timestamp("2026-03-31"),) * 2
    (custom,) = cicc_growth(factor=3, start="2026-06-30", end="2028-12-31").as_observations()
    assert (custom.value, custom.end, custom.base_start) == (
        3.0,
        pd.Timestamp("2028-12-31"),
        pd.Timestamp("2026-06-30"),
    )


def test_nbs_doubao_and_openrouter_figures() -> None:
    (nbs,) = _one(_claim("nbs_march_140t"))
    assert (nbs.series, nbs.kind, nbs.bound) == ("china_national", "mean", "lower")
    assert nbs.value == 140e12
    assert (nbs.start, nbs.end) == (pd.Timestamp("2026-03-01"), pd.Timestamp("2026-03-31"))
    level, ratio = _one(_claim("doubao_doubled_3m"))
    assert (level.kind, level.value, level.bound, level.start) == ("point", 120e12, None, REFERENCE)
    assert (ratio.kind, ratio.value, ratio.bound) == ("ratio", 2.0, "lower")
    assert (ratio.end, ratio.base_start) == (REFERENCE, pd.Timestamp("2025-12-31"))
    (week,) = _one(_claim("openrouter_wow_7_4pct"))
    assert (week.kind, week.value, week.bound) == ("ratio", pytest.approx(1.074), None)
    assert (week.start, week.end) == (pd.Timestamp("2026-05-18"), pd.Timestamp("2026-05-24"))
    assert (week.base_start, week.base_end) == (
        pd.Timestamp("2026-05-11"),
        pd.Timestamp("2026-05-17"),
    )


def test_claim_figures_are_marked_soft_and_named() -> None:
    for claim in builtin()[:5]:
        for figure in _one(claim):
            assert figure.source == CLAIM_PREFIX + claim.source
            assert figure.confidence == "low"
            assert claim.name in figure.note
    (medium,) = _one(_claim("nbs_march_140t"), confidence="medium")
    assert medium.confidence == "medium"
    with pytest.raises(ConfigError, match="confidence must be one of"):
        _one(_claim("nbs_march_140t"), confidence="certain")


def test_a_claim_that_cannot_be_stated_names_itself() -> None:
    with pytest.raises(ConfigError, match=r"openrouter_china_over_us.*two series"):
        _claim("openrouter_china_over_us").as_observations(REFERENCE)
    bare = Claim("no_figures", "s", "rho exceeds 10", lambda e: e)
    with pytest.raises(ConfigError, match="'no_figures' cannot be stated as figures"):
        bare.as_observations(REFERENCE)
    with pytest.raises(ConfigError, match="stated_as must be callable"):
        Claim("x", "s", "t", lambda e: e, stated_as=3)  # type: ignore[arg-type]


def test_a_claim_repeating_a_data_figure_is_skipped_with_a_warning() -> None:
    data = td.datasets.load("china_national")
    claims = [_claim("nbs_march_140t"), _claim("cicc_break_even_8pct")]
    with pytest.warns(ClaimSkippedWarning, match=r"nbs_march_140t.*china_national mean"):
        combined, records = claim_observations(claims, data, REFERENCE)
    nbs, cicc = records
    assert nbs.figures == () and "already in the fit from data" in nbs.skipped[0]
    assert [f.kind for f in cicc.figures] == ["intensity_ratio"] and cicc.skipped == ()
    # the data's 140T is counted once; only the break-even figure was added
    assert len(combined) == len(data) + 1
    assert [o for o in combined if o.series == "china_national" and o.kind == "mean"] == [
        o for o in data if o.kind == "mean"
    ]
    assert list(data_observations(combined, records)) == list(data)


def test_a_second_claim_with_the_same_figure_is_skipped_too() -> None:
    data = td.datasets.load("doubao")
    twin = replace(_claim("doubao_doubled_3m"), name="doubao_again")
    with pytest.warns(ClaimSkippedWarning) as caught:
        combined, records = claim_observations([_claim("doubao_doubled_3m"), twin], data, REFERENCE)
    assert any("doubao_again" in str(w.message) for w in caught)
    first, second = records
    # the dataset has Doubao's 120T of 2026-03-31: the level is data, the ratio is new
    assert [f.kind for f in first.figures] == ["ratio"]
    assert "from data" in first.skipped[0]
    # the twin enters nothing: its ratio is the first claim's
    assert second.figures == () and len(second.skipped) == 2
    assert "from claim 'doubao_doubled_3m'" in second.skipped[1]
    assert len(combined) == len(data) + sum(len(r.figures) for r in records)


def test_claims_given_twice_or_about_an_unfitted_market_are_refused() -> None:
    data = td.datasets.load("china_national")
    with pytest.raises(ConfigError, match="more than once"):
        claim_observations([_claim("cicc_growth_5x")] * 2, data, REFERENCE)
    with pytest.raises(ConfigError, match=r"openrouter_wow_7_4pct.*openrouter"):
        claim_observations([_claim("openrouter_wow_7_4pct")], data, REFERENCE)


def test_a_saved_fit_keeps_its_claims_and_an_old_one_has_none(tmp_path: Path) -> None:
    old = td.load_fit(SAVED_V1)
    assert old.claims == () and old.data_observations() is old.observations
    assert without_claims(old) is old
    # a result whose observations include a claim's figure, as fit(..., claims=...) makes
    figure = _claim("cicc_break_even_8pct").as_observations(old.reference_date)[0]
    observations = old.observations + Observations([figure])
    design = td.fitting.TokenDemandModel().design(
        observations, old.reference_date, old.design.reference_series
    )
    record = ClaimRecord(
        "cicc_break_even_8pct", "CICC", "agents match chatbots at 8%", "low", (figure,)
    )
    skipped = ClaimRecord("nbs_march_140t", "NBS", "over 140T", "low", (), ("skipped: dup",))
    shutil.copytree(SAVED_V1, tmp_path / "v1")
    with_claims = replace(
        td.load_fit(tmp_path / "v1"),
        design=design,
        claims=(record, skipped),
        options={"draws": 10, "random_seed": 3},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with_claims.save(tmp_path / "saved")
    spec = json.loads((tmp_path / "saved" / "spec.json").read_text(encoding="utf-8"))
    # the claims are new keys of the same spec: the version is the current one
    assert spec["format_version"] == FORMAT_VERSION
    assert spec["claims"][0]["figures"] == [
        ["agent_intensity_ratio", "china", "intensity_ratio", *["2026-03-31"] * 2, None, None]
    ]
    loaded = td.load_fit(tmp_path / "saved")
    assert loaded.claims == (record, skipped)
    assert dict(loaded.options) == {"draws": 10, "random_seed": 3}
    assert list(loaded.data_observations()) == list(old.observations)
    # a record naming a figure the data lack is a damaged folder
    spec["claims"][0]["figures"][0][0] = "elsewhere"
    (tmp_path / "saved" / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(DataError, match=r"could not be loaded.*not in the data"):
        td.load_fit(tmp_path / "saved")


def test_check_claims_never_lets_an_entered_claim_vouch_for_itself(tmp_path: Path) -> None:
    from tokendemand.claims import check_claims

    old = td.load_fit(SAVED_V1)
    figure = _claim("cicc_break_even_8pct").as_observations(old.reference_date)[0]
    design = td.fitting.TokenDemandModel().design(
        old.observations + Observations([figure]), old.reference_date, old.design.reference_series
    )
    record = ClaimRecord("cicc_break_even_8pct", "CICC", "8%", "low", (figure,))
    entered = replace(old, design=design, claims=(record,))
    table = check_claims(entered, [_claim("cicc_break_even_8pct")], refit=False)
    assert table.loc[0, "held_out"] == 1 and table.loc[0, "verdict"] == "not testable"
    # the same claim on the fit without it is checked on that fit
    plain = check_claims(old, [_claim("cicc_break_even_8pct")], refit=False)
    assert plain.loc[0, "held_out"] == 0 and plain.loc[0, "verdict"] != "not testable"
