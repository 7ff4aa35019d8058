"""Partial pooling across series: the layout, the launch curve, reduction to one series, and
recovery of a simulated panel (population and series parameters; a young series forecast better
pooled than alone)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand.backtest.metrics import crps_from_samples
from tokendemand.fitting.likelihood import ObservationDesign
from tokendemand.fitting.parametrization import free_parameters, structural_values
from tokendemand.fitting.series_curves import launch_share
from tokendemand.fitting.simulate import known_values, simulate
from tokendemand.observations import Observation, Observations
from tokendemand.priors import Fixed, LogNormal
from tokendemand.structure import Parameters, Structure, evaluate

from .helpers import REF, truth

ALPHA_LAUNCH, BETA_LAUNCH = "2024-06-01", "2025-03-01"
LAUNCH_TRUTH = {
    "alpha_new": {"ceiling": 0.3, "midpoint": 1.0, "rate": 4.0},
    "beta_new": {"ceiling": 0.25, "midpoint": 0.9, "rate": 3.5},
}
OWN_LEVERS = {"alpha_b": {"users": {"annual_rate": 0.9}}, "beta_b": {"users": {"annual_rate": 0.2}}}
COVERAGE = {"alpha_b": 0.3, "beta_b": 0.5}
YOUNG_TRAIN = 2  # figures of beta_new the pooled and alone fits see


def _figure(series: str, market: str, day: str, launch: str | None = None) -> Observation:
    return Observation(
        series=series,
        market=market,
        kind="point",
        value=1.0,
        start=day,
        end=day,
        source="test",
        launch=None if launch is None else pd.Timestamp(launch),
    )


def panel_template() -> Observations:
    """Six series in two markets, two of them launching; figures every few months."""
    rows = []
    for market in ("alpha", "beta"):
        for day in pd.date_range("2024-01-15", REF, freq="3MS") + pd.Timedelta(days=14):
            rows.append(_figure(f"{market}_total", market, str(day.date())))
        for day in pd.date_range("2024-09-01", REF, freq="4MS"):
            rows.append(_figure(f"{market}_b", market, str(day.date())))
    for day in pd.date_range("2024-08-01", REF, freq="2MS"):
        rows.append(_figure("alpha_new", "alpha", str(day.date()), ALPHA_LAUNCH))
    for day in pd.date_range("2025-05-01", REF, freq="2MS"):
        rows.append(_figure("beta_new", "beta", str(day.date()), BETA_LAUNCH))
    return Observations(rows)


def market_truth() -> dict[str, Parameters]:
    alpha = truth()
    beta = truth().replace(scale=3e13, intensity_ratio=14.0, users={"annual_rate": 0.5})
    return {"alpha": alpha, "beta": beta}


def simulated_panel(seed: int = 7) -> Observations:
    return simulate(
        Structure(),
        market_truth(),
        panel_template(),
        random_seed=seed,
        noise=0.05,
        coverage=COVERAGE,
        series_levers=OWN_LEVERS,
        launch=LAUNCH_TRUTH,
    )


# -- the layout and the equation, without sampling ------------------------------------------


def test_panel_layout_units_launches_and_coverage() -> None:
    design = ObservationDesign.build(panel_template(), reference_date=REF)
    assert design.markets == ("alpha", "beta")
    assert dict(design.reference_series) == {"alpha": "alpha_total", "beta": "beta_total"}
    assert design.units == (
        ("alpha", "alpha_total"),
        ("beta", "beta_total"),
        ("alpha", "alpha_b"),
        ("beta", "beta_b"),
    )
    assert design.launches == (("alpha", "alpha_new"), ("beta", "beta_new"))
    assert design.covered == (("alpha", "alpha_b"), ("beta", "beta_b"))
    assert design.sizes["launch"] == 2 and design.sizes["unit"] == 4
    # under complete pooling launch dates are not used: every sub-series is covered
    complete = ObservationDesign.build(panel_template(), reference_date=REF, pooling="complete")
    assert complete.launches == () and len(complete.covered) == 4


def test_partial_pooling_draws_members_from_a_population() -> None:
    design = ObservationDesign.build(panel_template(), reference_date=REF)
    params = {p.name: p for p in free_parameters(Structure(), td.Priors(), design.sizes)}
    assert params["users_annual_rate"].dim == "unit" and params["users_annual_rate"].pooled
    assert params["intensity_ratio"].dim == "market" and params["intensity_ratio"].pooled
    assert params["launch_rate"].dim == "launch" and params["launch_rate"].pooled
    assert params["complexity_annual_rate"].dim is None
    none = {
        p.name: p for p in free_parameters(Structure(pooling="none"), td.Priors(), design.sizes)
    }
    assert none["users_annual_rate"].dim == "unit" and not none["users_annual_rate"].pooled


def test_a_fixed_spread_is_not_sampled_and_members_are_location_plus_spread_times_e() -> None:
    design = ObservationDesign.build(panel_template(), reference_date=REF)
    priors = td.Priors().replace(pooling_spread=Fixed(0.4))
    spec = td.TokenDemandModel(priors=priors)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        model = spec.build(design, deterministics=False)
    free = {v.name for v in model.free_RVs}
    assert "z_users_annual_rate_location" in free
    assert not {name for name in free if name.endswith("_spread")}, free
    # closed form on the standard scale: z_i = location + 0.4 * e_i, one spread per draw
    e = np.array([[-1.0, 0.5, 2.0]] * 2)
    location = np.array([[0.3], [-0.2]])
    rate = priors.users_annual_rate
    values = structural_values(
        Structure(),
        priors,
        {
            "users_annual_rate": e,
            "users_annual_rate_location": location,
            "total_reference": np.zeros((2, 2)),
        },
        design.total_centre,
        np,
    )
    np.testing.assert_allclose(
        values["users_annual_rate"], rate.from_standard(location + 0.4 * e, np)
    )
    np.testing.assert_array_equal(values["users_annual_rate_spread"], [[0.4], [0.4]])


def test_members_of_one_market_share_its_offset_from_the_population() -> None:
    """population -> market -> member: z_i = location + s * m_g(i) + s * e_i (closed form)."""
    design = ObservationDesign.build(panel_template(), reference_date=REF)
    assert design.coords["launch_market"] == ["alpha", "beta"]
    np.testing.assert_array_equal(design.market_groups["launch"], [0, 1])
    np.testing.assert_array_equal(design.market_groups["unit"], [0, 1, 0, 1])
    priors = td.Priors()
    params = {p.name: p for p in free_parameters(Structure(), priors, design.sizes)}
    assert params["launch_rate"].nested and params["users_annual_rate"].nested
    assert not params["intensity_ratio"].nested  # already one per market
    e = np.array([[-1.0, 0.5, 2.0, 0.0], [0.2, 0.1, -0.4, 1.5]])
    location = np.array([[0.3], [-0.2]])
    market = np.array([[1.0, -2.0], [0.5, 0.0]])
    z = {
        "users_annual_rate": e,
        "users_annual_rate_location": location,
        "users_annual_rate_market": market,
        "total_reference": np.zeros((2, 2)),
    }
    values = structural_values(
        Structure(), priors, z, design.total_centre, np, design.market_groups
    )
    rate, spread = priors.users_annual_rate, 0.5  # the default Fixed spread
    expected = location + spread * market[:, [0, 1, 0, 1]] + spread * e
    np.testing.assert_allclose(values["users_annual_rate"], rate.from_standard(expected, np))
    np.testing.assert_allclose(
        values["users_annual_rate_market"], rate.from_standard(location + spread * market, np)
    )
    with pytest.raises(ValueError, match="market level"):
        structural_values(Structure(), priors, z, design.total_centre, np)
    wider = priors.replace(pooling_market_spread=Fixed(1.5))
    values = structural_values(Structure(), wider, z, design.total_centre, np, design.market_groups)
    expected = location + 1.5 * market[:, [0, 1, 0, 1]] + spread * e
    np.testing.assert_allclose(values["users_annual_rate"], rate.from_standard(expected, np))
    learned = priors.replace(pooling_market_spread=LogNormal(0.5, 0.75))
    with pytest.raises(NotImplementedError, match="pooling_market_spread"):
        structural_values(Structure(), learned, z, design.total_centre, np, design.market_groups)
    # members of one market: no market level (it would only repeat the location)
    china = ObservationDesign.build(td.datasets.load("doubao+china_national"))
    one = {p.name: p for p in free_parameters(Structure(), priors, china.sizes)}
    assert not any(p.nested for p in one.values())
    # under the model the offsets are sampled per market group
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        model = td.TokenDemandModel(Structure(), priors).build(design, deterministics=False)
    assert model["z_launch_rate_market"].eval().shape == (2,)


def test_draws_without_market_offsets_are_the_model_before_the_market_level() -> None:
    """A fit saved before the market level has no z_<name>_market: its offsets are 0."""
    import xarray as xr

    from tokendemand.fitting.posterior import structural_posterior

    design = ObservationDesign.build(panel_template(), reference_date=REF)
    priors, rng = td.Priors(), np.random.default_rng(5)
    data = {}
    for parameter in free_parameters(Structure(), priors, design.sizes):
        dims = ("chain", "draw") + ((parameter.dim,) if parameter.dim else ())
        shape = (2, 3) + ((design.sizes[parameter.dim],) if parameter.dim else ())
        data[f"z_{parameter.name}"] = (dims, rng.standard_normal(shape))
        if parameter.pooled:
            data[f"z_{parameter.name}_location"] = (("chain", "draw"), rng.standard_normal((2, 3)))
    data["z_total_reference"] = (("chain", "draw", "market"), rng.standard_normal((2, 3, 2)))
    posterior = structural_posterior(xr.Dataset(data), Structure(), priors, design)
    e, location = data["z_launch_rate"][1], data["z_launch_rate_location"][1][..., None]
    expected = priors.launch_rate.from_standard(location + 0.5 * e, np)
    np.testing.assert_allclose(posterior["launch_rate"].values, expected)
    np.testing.assert_allclose(
        posterior["launch_rate_market"].values,
        np.broadcast_to(priors.launch_rate.from_standard(location, np), (2, 3, 2)),
    )


def test_volume_levers_pool_only_across_members_with_volume_figures() -> None:
    # China's volumes beside agent evidence from two other markets: one member has volumes
    observations = td.datasets.load("china_national+agent_evidence")
    design = ObservationDesign.build(observations)
    assert design.sizes["market"] == 3 and design.sizes["market_volumes"] == 1
    assert design.sizes["unit"] == 3 and design.sizes["unit_volumes"] == 1
    params = {p.name: p for p in free_parameters(Structure(), td.Priors(), design.sizes)}
    for name in ("users_annual_rate", "chatbot_annual_rate"):
        assert params[name].dim in ("unit", "market") and not params[name].pooled, name
    for name in ("intensity_ratio", "penetration_now"):  # the agent evidence informs them
        assert params[name].dim == "market" and params[name].pooled, name
    # the panel's markets both have volumes: their volume levers stay pooled
    panel = ObservationDesign.build(panel_template(), reference_date=REF)
    pooled = {p.name: p for p in free_parameters(Structure(), td.Priors(), panel.sizes)}
    assert pooled["chatbot_annual_rate"].pooled and pooled["users_annual_rate"].pooled


def test_a_launching_series_is_its_market_times_its_share() -> None:
    """Closed form: level of a launching product = b_r * D_unit(t) * logistic share."""
    design = ObservationDesign.build(panel_template(), reference_date=REF)
    values = known_values(
        Structure(),
        design,
        market_truth(),
        coverage=COVERAGE,
        series_levers=OWN_LEVERS,
        launch=LAUNCH_TRUTH,
    )
    mu = design.predict(Structure(), values)
    rows = [i for i, o in enumerate(design.observations) if o.series == "beta_new"]
    beta = market_truth()["beta"]
    for i in rows:
        day = design.observations[i].start
        t = float((day - pd.Timestamp(REF)).days)
        years = float((day - pd.Timestamp(BETA_LAUNCH)).days) / 365.25
        share = launch_share(years, **LAUNCH_TRUTH["beta_new"])
        expected = float(evaluate(Structure(), beta, t)["total"]) * share
        assert np.exp(mu[i]) == pytest.approx(expected, rel=1e-9)


def test_a_mature_sub_series_grows_with_its_own_levers() -> None:
    design = ObservationDesign.build(panel_template(), reference_date=REF)
    values = known_values(
        Structure(),
        design,
        market_truth(),
        coverage=COVERAGE,
        series_levers=OWN_LEVERS,
        launch=LAUNCH_TRUTH,
    )
    mu = design.predict(Structure(), values)
    alpha = market_truth()["alpha"]
    own = alpha.replace(users=OWN_LEVERS["alpha_b"]["users"])
    for i, o in enumerate(design.observations):
        if o.series != "alpha_b":
            continue
        t = float((o.start - pd.Timestamp(REF)).days)
        expected = COVERAGE["alpha_b"] * float(evaluate(Structure(), own, t)["total"])
        assert np.exp(mu[i]) == pytest.approx(expected, rel=1e-9)


@pytest.mark.slow
def test_one_series_reduces_to_the_single_series_model() -> None:
    """With one series partial pooling samples the same coordinates as complete pooling, with
    the same log density at the same point."""
    pytest.importorskip("pymc")
    observations = Observations([o for o in simulated_panel() if o.series == "alpha_total"])
    partial = td.TokenDemandModel(Structure())
    complete = td.TokenDemandModel(Structure(pooling="complete"))
    design_p = partial.design(observations, reference_date=REF)
    design_c = complete.design(observations, reference_date=REF)
    params_p = free_parameters(partial.structure, partial.priors, design_p.sizes)
    params_c = free_parameters(complete.structure, complete.priors, design_c.sizes)
    assert [p.name for p in params_p] == [p.name for p in params_c]
    assert not any(p.pooled for p in params_p)
    model_p = partial.build(design_p, deterministics=False)
    model_c = complete.build(design_c, deterministics=False)
    rng = np.random.default_rng(0)
    shapes_p = {k: np.shape(v) for k, v in model_p.initial_point().items()}
    point_c = {k: rng.standard_normal(np.shape(v)) for k, v in model_c.initial_point().items()}
    assert sorted(shapes_p) == sorted(point_c)
    point_p = {k: np.reshape(v, shapes_p[k]) for k, v in point_c.items()}
    logp_c = model_c.compile_logp()(point_c)
    logp_p = model_p.compile_logp()(point_p)
    assert logp_p == pytest.approx(logp_c, rel=1e-10)


# -- inference on a simulated panel ----------------------------------------------------------

FIT = {"draws": 2000, "tune": 1000, "chains": 2, "random_seed": 11, "target_accept": 0.95}


def _young_split() -> tuple[Observations, Observations, Observations]:
    panel = simulated_panel()
    young = sorted((o for o in panel if o.series == "beta_new"), key=lambda o: o.start)
    early, late = young[:YOUNG_TRAIN], young[YOUNG_TRAIN:]
    others = [o for o in panel if o.series != "beta_new"]
    return Observations(others + early), Observations(early), Observations(late)


def _fit(observations: Observations) -> td.FitResult:
    """A fit whose convergence is checked by the tests (the library's warning is silenced: a few
    divergences are tolerated). 2 x 2,000 draws: at 2 x 1,000 max R-hat was 1.014 at this seed,
    just over the threshold."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", td.ConvergenceWarning)
        result = td.fit(observations, **FIT)
    assert result.diagnostics["max_rhat"] <= 1.01, result.diagnostics
    assert result.diagnostics["min_ess_bulk"] >= 400, result.diagnostics
    assert result.diagnostics["divergences"] <= 5, result.diagnostics
    return result


@pytest.fixture(scope="module")
def pooled() -> Iterator[td.FitResult]:
    train, _, _ = _young_split()
    yield _fit(train)


@pytest.mark.slow
def test_recovery_of_population_and_series_parameters(pooled: td.FitResult) -> None:
    posterior = pooled.idata.posterior

    def inside(name: str, value: float, **where: str) -> None:
        draws = posterior[name].sel(**where).values.ravel() if where else posterior[name].values
        low, high = np.quantile(np.ravel(draws), [0.03, 0.97])
        assert low <= value <= high, f"{name}{where}: {value} outside [{low:.3g}, {high:.3g}]"

    inside("coverage", COVERAGE["alpha_b"], series="alpha/alpha_b")
    inside("coverage", COVERAGE["beta_b"], series="beta/beta_b")
    for market, launch in (("alpha", "alpha_new"), ("beta", "beta_new")):
        for name in ("ceiling", "midpoint", "rate"):
            inside(f"launch_{name}", LAUNCH_TRUTH[launch][name], launch=f"{market}/{launch}")
    inside("users_annual_rate", 0.9, unit="alpha/alpha_b")
    inside("users_annual_rate", 0.2, unit="beta/beta_b")
    for market, parameters in market_truth().items():
        inside("scale", float(parameters.scale), market=market)
    # the population: the launch rates' centre lies inside the location's 94% interval
    centre = float(np.exp(np.mean(np.log([v["rate"] for v in LAUNCH_TRUTH.values()]))))
    inside("launch_rate_location", centre)
    assert float(posterior["noise"].median()) == pytest.approx(0.05, rel=0.6)


@pytest.mark.slow
def test_a_young_series_is_forecast_better_pooled_than_alone(pooled: td.FitResult) -> None:
    _, early, late = _young_split()
    alone = _fit(early)
    actual = np.log([float(o.value) for o in late])
    scores = {}
    for name, result in (("pooled", pooled), ("alone", alone)):
        samples = np.log(result.forecast(late, random_seed=0)).T  # (figures, draws)
        scores[name] = float(np.mean(crps_from_samples(samples, actual)))
    assert scores["pooled"] < scores["alone"], scores
