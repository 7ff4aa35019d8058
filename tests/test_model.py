"""The model's plumbing without sampling: design, parametrization, priors, build, errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand.curves import PENETRATION_FAMILIES
from tokendemand.errors import ConfigError, DataError
from tokendemand.fitting import _compile_cache as compile_cache
from tokendemand.fitting.likelihood import ObservationDesign
from tokendemand.fitting.parametrization import free_parameters, structural_values, to_parameters
from tokendemand.fitting.result import load_fit
from tokendemand.observations import Observation, Observations
from tokendemand.priors import Fixed, LogitNormal, LogNormal, Normal, Priors
from tokendemand.structure import Parameters, Structure

REF = "2026-03-31"


def truth() -> Parameters:
    return Parameters(
        REF,
        scale=8e13,
        intensity_ratio=11.0,
        penetration={"ceiling": 0.45, "midpoint": "2028-06-30", "rate": 0.7},
        users={"annual_rate": 0.4, "ceiling_multiple": 2.2},
        chatbot={"annual_rate": 0.6, "ceiling_multiple": 3.5},
        complexity={"annual_rate": 1.0, "ceiling_multiple": 8.0},
    )


def obs(
    kind: str, value: float, start: str, end: str | None = None, **extra: object
) -> Observation:
    return Observation(
        series=str(extra.pop("series", "national")),
        market=str(extra.pop("market", "china")),
        kind=kind,  # type: ignore[arg-type]
        value=value,
        start=start,
        end=end or start,
        source="test",
        **extra,  # type: ignore[arg-type]
    )


TEMPLATE = Observations(
    [
        obs("point", 1e12, "2024-06-30"),
        obs("mean", 1e13, "2025-03-01", "2025-03-31"),
        obs("total", 1e14, "2025-09-01", "2025-09-07"),
        obs("point", 1e14, "2026-03-31"),
        obs(
            "ratio", 1.1, "2026-03-25", "2026-03-31", base_start="2026-03-18", base_end="2026-03-24"
        ),
        obs("point", 5e13, "2026-03-31", series="subseries"),
        obs("penetration", 0.05, "2026-01-15"),
        obs("agent_share", 0.3, "2026-02-01", "2026-02-28"),
        obs("share", 0.4, "2026-03-31", series="subseries"),
    ]
)


def test_simulated_figures_are_the_equation_in_each_shape() -> None:
    """With zero noise, each simulated figure is the daily path aggregated as its kind says."""
    p = truth()
    structure = Structure()
    sim = td.fitting.simulate(structure, p, TEMPLATE, noise=0.0, coverage={"subseries": 0.4})
    daily = structure.evaluate(p, pd.date_range("2024-06-01", "2026-04-30", freq="D"))
    total = daily["total"]
    expected = [
        total["2024-06-30"],
        total["2025-03-01":"2025-03-31"].mean(),
        total["2025-09-01":"2025-09-07"].sum(),
        total["2026-03-31"],
        total["2026-03-25":"2026-03-31"].mean() / total["2026-03-18":"2026-03-24"].mean(),
        0.4 * total["2026-03-31"],
        daily["penetration"]["2026-01-15"],
        daily["agent_share"]["2026-02-01":"2026-02-28"].mean(),
        0.4,
    ]
    got = [o.value for o in sim]
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    assert all(o.source == "simulated from test" for o in sim)


def test_design_layout_and_reference_series() -> None:
    design = ObservationDesign.build(TEMPLATE)
    assert design.reference_date == pd.Timestamp(REF)
    assert design.markets == ("china",)
    assert dict(design.reference_series) == {"china": "national"}
    assert design.covered == (("china", "subseries"),)
    assert design.t.max() == 0.0
    # a prior centre from the level nearest the reference date, per day
    assert design.total_centre[0] == pytest.approx(math.log(1e14))
    chosen = ObservationDesign.build(TEMPLATE, reference_series={"china": "subseries"})
    assert chosen.covered == (("china", "national"),)


def test_design_errors_name_the_problem() -> None:
    with pytest.raises(DataError, match="no observations"):
        ObservationDesign.build(Observations([]))
    with pytest.raises(ConfigError, match="has no figure in market 'china'"):
        ObservationDesign.build(TEMPLATE, reference_series={"china": "doubao"})
    with pytest.raises(ConfigError, match="names market 'us'"):
        ObservationDesign.build(TEMPLATE, reference_series={"us": "national"})
    fitted = ObservationDesign.build(TEMPLATE)
    unseen = Observations([obs("point", 1e12, "2026-06-30", series="other")])
    with pytest.raises(DataError, match="did not see china/other"):
        ObservationDesign.build(unseen, layout=fitted)


@pytest.mark.parametrize("name", sorted(PENETRATION_FAMILIES))
def test_anchored_penetration_starts_at_penetration_now(name: str) -> None:
    structure = Structure(penetration=name)
    priors = Priors()
    rng = np.random.default_rng(3)
    z = {p.name: rng.standard_normal((50, 1)) for p in free_parameters(structure, priors)}
    z["total_reference"] = rng.standard_normal((50, 1))
    values = structural_values(structure, priors, z, np.array([30.0]), np)
    params = to_parameters(structure, values, REF)
    at_reference = structure.family("penetration")(0.0, params.penetration)
    np.testing.assert_allclose(at_reference, values["penetration_now"], rtol=1e-9)
    assert np.all(values["penetration_ceiling"] > values["penetration_now"])
    # the total on the reference date is what was sampled, whatever rho and pi are
    unit = 1.0 + values["intensity_ratio"] * values["penetration_now"]
    np.testing.assert_allclose(values["scale"] * unit, values["total_reference"], rtol=1e-12)


def test_standard_normal_zero_maps_to_prior_medians() -> None:
    structure, priors = Structure(), Priors()
    z = {p.name: 0.0 for p in free_parameters(structure, priors)}
    z["total_reference"] = np.zeros(1)
    values = structural_values(structure, priors, z, np.array([math.log(1e14)]), np)
    assert values["intensity_ratio"] == pytest.approx(12.5)
    assert values["penetration_now"] == pytest.approx(0.05)
    assert values["users_ceiling_multiple"] == pytest.approx(2.5)
    assert values["total_reference"][0] == pytest.approx(1e14)


def test_free_parameters_follow_the_structure() -> None:
    names = [p.name for p in free_parameters(Structure(), Priors())]
    assert names[:3] == ["intensity_ratio", "penetration_now", "penetration_headroom"]
    assert "usage_annual_rate" not in names  # usage is constant by default
    assert "penetration_midpoint" not in names  # anchored on penetration_now
    bass = [p.name for p in free_parameters(Structure(penetration="bass"), Priors())]
    assert {"penetration_p", "penetration_q"} <= set(bass)
    fixed = Priors().replace(users_annual_rate=Fixed(0.2))
    assert "users_annual_rate" not in [p.name for p in free_parameters(Structure(), fixed)]


def test_priors_are_typed_and_cited() -> None:
    priors = Priors()
    for row in priors.table():
        assert row["source"], row["parameter"]
    assert Priors.from_dict(priors.to_dict()) == priors
    with pytest.raises(ConfigError, match="no field 'intensty_ratio'"):
        priors.replace(intensty_ratio=LogNormal(10.0, 0.3))
    with pytest.raises(ConfigError) as info:
        Priors(scale_sigma=-1.0, noise_multiplier={"high": 1.0}, substitution=Fixed(2.0))
    message = str(info.value)
    assert "scale_sigma" in message and "noise_multiplier" in message and "substitution" in message
    with pytest.raises(ConfigError, match="sigma must be a positive number"):
        Normal(0.0, 0.0)
    with pytest.raises(ConfigError, match=r"median must be in \(0, 1\)"):
        LogitNormal(1.5, 1.0)
    with pytest.raises(ConfigError, match="unknown prior kind"):
        Priors.from_dict({"noise": {"kind": "Cauchy", "sigma": 1.0}})


def test_prior_quantiles_match_their_closed_forms() -> None:
    assert LogNormal(12.5, 0.5).quantile(0.5) == pytest.approx(12.5)
    assert LogNormal(3.0, 0.6, lower=1.0).quantile(0.5) == pytest.approx(3.0)
    assert Normal(1.0, 2.0).quantile(0.975) == pytest.approx(1.0 + 2.0 * 1.959963984540054)
    assert LogitNormal(0.05, 0.8).quantile(0.5) == pytest.approx(0.05)
    draws = LogNormal(2.0, 0.3).sample(np.random.default_rng(0), 20000)
    assert np.median(draws) == pytest.approx(2.0, rel=0.02)


def test_model_builds_and_its_log_density_is_finite() -> None:
    model = td.TokenDemandModel()
    design = model.design(TEMPLATE)
    pm_model = model.build(design)
    free = {v.name for v in pm_model.free_RVs}
    assert "z_intensity_ratio" in free and "z_coverage" in free
    assert np.isfinite(pm_model.compile_logp()(pm_model.initial_point()))
    assert "intensity_ratio" in {d.name for d in pm_model.deterministics}
    lean = model.build(design, deterministics=False)
    assert not lean.deterministics


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"method": "vi"}, "method must be one of"),
        ({"draws": 0}, "draws must be an integer >= 1"),
        ({"chains": 1.5}, "chains must be an integer"),
        ({"sampler": "stan"}, "sampler must be one of"),
        ({"target_accept": 1.2}, "target_accept"),
        ({"draws": 500, "max_draws": 400}, r"max_draws must be an integer >= draws \(500\)"),
        ({"max_draws": 2000, "sampler": "pymc"}, "max_draws applies to NUTS with sampler="),
        ({"max_draws": 2000, "method": "map"}, "max_draws applies to NUTS"),
    ],
)
def test_fit_rejects_bad_options_before_sampling(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        td.fit(TEMPLATE, **options)


def test_model_rejects_wrong_types_and_missing_priors() -> None:
    with pytest.raises(ConfigError, match="structure must be a Structure"):
        td.TokenDemandModel(structure="logistic")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="Priors needs a field 'usage_slope'"):
        Priors().for_lever("usage", "slope")


def test_load_fit_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"spec\.json is missing"):
        load_fit(tmp_path / "nothing")
    folder = tmp_path / "fit"
    folder.mkdir()
    for name in ("posterior.nc", "observations.csv"):
        (folder / name).write_text("x")
    (folder / "spec.json").write_text("{not json")
    with pytest.raises(DataError, match="corrupted"):
        load_fit(folder)
    (folder / "spec.json").write_text('{"format": "tokendemand-fit", "format_version": 99}')
    with pytest.raises(DataError, match="format version 99; this tokendemand reads version 1"):
        load_fit(folder)
    (folder / "spec.json").write_text('{"format": "something-else"}')
    with pytest.raises(DataError, match="not a tokendemand fit"):
        load_fit(folder)


def test_compile_cache_stores_reloads_and_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compile_cache, "cache_dir", lambda: tmp_path)
    calls = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"value": len(calls)}

    key = compile_cache.fingerprint([b"data", "spec"])
    assert key != compile_cache.fingerprint([b"data", "other spec"])
    assert compile_cache.cached(key, build) == {"value": 1}
    assert compile_cache.cached(key, build) == {"value": 1}  # from disk
    (tmp_path / f"{key}.pkl").write_bytes(b"corrupt")
    assert compile_cache.cached(key, build) == {"value": 2}  # rebuilt
    monkeypatch.setenv("TOKENDEMAND_COMPILE_CACHE", "0")
    assert compile_cache.cached(key, build) == {"value": 3}  # bypassed
    monkeypatch.setattr(compile_cache, "MAX_ENTRIES", 2)
    monkeypatch.delenv("TOKENDEMAND_COMPILE_CACHE")
    for i in range(4):
        compile_cache.cached(f"k{i}", build)
    assert len(list(tmp_path.glob("*.pkl"))) == 2


def test_compile_cache_that_cannot_write_says_so_and_still_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(compile_cache, "cache_dir", lambda: tmp_path)
    unpicklable = lambda: None  # noqa: E731
    with caplog.at_level("WARNING", logger="tokendemand.fitting._compile_cache"):
        assert compile_cache.cached("key", lambda: unpicklable) is unpicklable
    assert "could not write compile cache entry" in caplog.text
    assert not list(tmp_path.iterdir())  # no half-written file left behind
