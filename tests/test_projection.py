"""Projection, its analyses and goal seek, on explicit parameters and a fake posterior."""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from tokendemand.projection.analyses import shapley_weights
from tokendemand.errors import ConfigError
from tokendemand.projection.goal_seek import GoalSeek
from tokendemand.projection import PosteriorSource, Projection
from tokendemand.scenarios import Growth, Override, Pin, Scale, Scenario, builtin
from tokendemand.structure import COMPONENTS, LEVERS, Parameters, Structure, evaluate
from tokendemand.units import DAYS_PER_YEAR, days_since

# the package exports functions named like these modules, so import the modules by path
projection_module = importlib.import_module("tokendemand.projection")
goal_seek_module = importlib.import_module("tokendemand.projection.goal_seek")

REF = "2026-03-31"
Y = DAYS_PER_YEAR

# These tests check projection mechanics against closed forms, which are simplest with
# exponential indices; the default Structure saturates, so calculator-mode calls here pass
# this structure unless a test names another.
EXP = Structure(
    users="exponential", chatbot="exponential", complexity="exponential", usage="exponential"
)


def project(source: object, *args: object, **kwargs: object) -> Projection:
    kwargs.setdefault("variables", "all")  # these tests read every component
    if isinstance(source, Parameters):
        kwargs.setdefault("structure", EXP)
    return projection_module.project(source, *args, **kwargs)  # type: ignore[arg-type]


def goal_seek(source: object, *args: object, **kwargs: object) -> GoalSeek:
    if isinstance(source, Parameters):
        kwargs.setdefault("structure", EXP)
    return goal_seek_module.goal_seek(source, *args, **kwargs)  # type: ignore[arg-type]


def calculator(**changes: object) -> Parameters:
    """One draw: logistic penetration and exponential indices with round numbers."""
    base = Parameters(
        REF,
        scale=1e14,
        intensity_ratio=10.0,
        penetration={"ceiling": 0.5, "midpoint": "2028-03-31", "rate": 1.2},
        users={"annual_rate": 0.1},
        chatbot={"annual_rate": 0.2},
        complexity={"annual_rate": 0.5},
        usage={"annual_rate": 0.3},
    )
    return base.replace(**changes)


@dataclass(frozen=True)
class FakeFit:
    """Satisfies PosteriorSource: seeded draws around known values."""

    draws: int = 64
    seed: int = 7
    structure: Structure = EXP
    markets: tuple[str, ...] = ("china",)

    def posterior_parameters(self, market: str | None = None) -> Parameters:
        rng = np.random.default_rng(self.seed + self.markets.index(market or self.markets[0]))
        n = self.draws
        return Parameters(
            REF,
            scale=rng.lognormal(math.log(1e14), 0.1, n),
            intensity_ratio=rng.lognormal(math.log(12.5), 0.2, n),
            penetration={
                "ceiling": rng.uniform(0.3, 0.7, n),
                "midpoint": rng.normal(900.0, 150.0, n),
                "rate": rng.lognormal(0.0, 0.2, n),
            },
            users={"annual_rate": rng.normal(0.1, 0.03, n)},
            chatbot={"annual_rate": rng.normal(0.15, 0.05, n)},
            complexity={"annual_rate": rng.normal(0.4, 0.1, n)},
            usage={"annual_rate": rng.normal(0.25, 0.1, n)},
            substitution=rng.uniform(0.0, 0.5, n),
        )


def fit_source(**kwargs: object) -> PosteriorSource:
    fit: PosteriorSource = FakeFit(**kwargs)  # type: ignore[arg-type]
    return fit


@pytest.fixture(scope="module")
def posterior() -> Projection:
    scenarios = [
        *builtin(),
        Scenario("pinned", usage=Pin({"2028-01-01": 3.0, "2030-01-01": 5.0})),
        Scenario("ceiling", penetration=Override(ceiling=0.9), complexity=Growth.per_year(3.0)),
    ]
    return project(fit_source(), scenarios, until="2030-12-31")


# ---------------------------------------------------------------------------- project


def test_dataset_shape_and_names(posterior: Projection) -> None:
    ds = posterior.dataset
    assert dict(ds.sizes) == {"scenario": 6, "draw": 64, "date": 1737}
    assert list(ds.data_vars) == list(COMPONENTS)
    assert all(ds[name].dims == ("scenario", "draw", "date") for name in COMPONENTS)
    assert list(ds["scenario"].values[:4]) == list(s.name for s in builtin())
    assert ds["date"].values[0] == np.datetime64("2026-03-31")
    assert ds.attrs["source"] == "posterior" and ds.attrs["market"] == "china"
    assert [s.name for s in posterior.scenarios][-1] == "ceiling"
    assert posterior.market == "china"
    assert posterior.reference_date == pd.Timestamp(REF)


def test_calculator_multiplier_by_hand() -> None:
    proj = project(calculator(), "posterior", until="2030-12-31")
    t0, t1 = 0.0, float((pd.Timestamp("2029-03-31") - pd.Timestamp(REF)).days)  # 1096 days

    def total(t: float) -> float:
        midpoint = 731.0  # 2026-03-31 to 2028-03-31
        pi = 0.5 / (1.0 + math.exp(-1.2 * (t - midpoint) / 365.25))
        n = math.exp(0.1 * t / 365.25)
        u = math.exp(0.2 * t / 365.25)
        k = math.exp(0.5 * t / 365.25)
        h = math.exp(0.3 * t / 365.25)
        return 1e14 * n * (u + 10.0 * pi * k * h)

    by_hand = total(t1) / total(t0)
    found = proj.multiplier("2026-03-31", "2029-03-31")
    assert found.dims == ("scenario", "draw")
    assert float(found.squeeze()) == pytest.approx(by_hand, rel=1e-13)
    grid = proj.dataset["total"].sel(scenario="posterior", date="2029-03-31").squeeze()
    assert float(grid) == pytest.approx(total(t1), rel=1e-13)


def test_posterior_scenario_is_the_structural_equation(posterior: Projection) -> None:
    fit = FakeFit()
    params = fit.posterior_parameters()
    shaped = Parameters(
        REF,
        scale=params.scale[:, None],
        intensity_ratio=params.intensity_ratio[:, None],
        substitution=params.substitution[:, None],
        **{lever: {k: v[:, None] for k, v in params.lever(lever).items()} for lever in LEVERS},
    )
    expected = evaluate(fit.structure, shaped, days_since(posterior.dates, REF))
    for name in COMPONENTS:
        got = posterior.dataset[name].sel(scenario="posterior").values
        np.testing.assert_allclose(got, np.broadcast_to(expected[name], got.shape), rtol=1e-14)


def test_cicc_moderate_break_even_is_eight_percent_at_the_reference_date(
    posterior: Projection,
) -> None:
    pi_star = posterior.dataset["break_even_penetration"].sel(date=REF, scenario="cicc-moderate")
    np.testing.assert_allclose(pi_star.values, 0.08, rtol=0, atol=1e-9)
    rho = posterior.parameters["cicc-moderate"].intensity_ratio
    s = posterior.parameters["cicc-moderate"].substitution
    np.testing.assert_allclose(rho, (1 - s * 0.08) / 0.08, rtol=1e-14)


def test_recalibration_keeps_the_reference_total(posterior: Projection) -> None:
    at_ref = posterior.dataset["total"].sel(date=REF)
    for name in posterior.dataset["scenario"].values:
        np.testing.assert_allclose(
            at_ref.sel(scenario=name), at_ref.sel(scenario="posterior"), 1e-13
        )
    fixed = project(
        calculator(), Scenario("no-recal", intensity_ratio=20.0, recalibrate=False), until="2027"
    )
    assert float(fixed.parameters["no-recal"].scale[0]) == 1e14
    assert float(fixed.at(REF)["total"].squeeze()) != pytest.approx(
        float(project(calculator(), "posterior", until="2027").at(REF)["total"].squeeze())
    )


def test_start_before_reference_and_weekly_grid() -> None:
    proj = project(calculator(), "posterior", start="2025-01-01", until="2026-12-31", freq="W")
    dates = proj.dates
    # the grid starts on start, ends on until, and is weekly (Sundays) in between
    assert dates[0] == pd.Timestamp("2025-01-01") and dates[-1] == pd.Timestamp("2026-12-31")
    assert all(d.day_of_week == 6 for d in dates[1:-1])
    assert float(proj.dataset["users"].isel(date=0).squeeze()) < 1.0
    assert proj.break_even().prob_before("2026-12-31").notna().all()


def test_at_matches_the_grid(posterior: Projection) -> None:
    exact = posterior.at(["2027-05-05", "2030-01-01"])
    grid = posterior.dataset.sel(date=["2027-05-05", "2030-01-01"])
    for name in COMPONENTS:
        np.testing.assert_allclose(exact[name].values, grid[name].values, rtol=1e-14)


def test_parameters_as_arrays_of_draws() -> None:
    params = calculator(intensity_ratio=np.array([8.0, 10.0, 12.0]))
    proj = project(params, "posterior", until="2027-01-01")
    assert proj.dataset.sizes["draw"] == 3
    np.testing.assert_array_equal(proj.parameters["posterior"].scale, [1e14] * 3)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"until": "2025-01-01"}, "is before start"),
        ({"freq": "fortnightly"}, "not a pandas frequency"),
        ({"until": "someday"}, "until: 'someday' is not a date"),
        ({"scenarios": "optimistic"}, "unknown built-in scenario 'optimistic'"),
        ({"scenarios": ["posterior", "posterior"]}, "'posterior' is used twice"),
        ({"scenarios": []}, "no scenarios given"),
        ({"scenarios": [3]}, "expected a Scenario or a built-in name"),
        (
            {"scenarios": Scenario("x", penetration=Override(p=0.03))},
            "the structure's 'logistic' family has no parameter p",
        ),
        (
            {"scenarios": Scenario("x", usage=Pin({"2026-01-01": 2.0}))},
            "first pinned date 2026-01-01 is before the change starts \\(2026-03-31\\)",
        ),
    ],
)
def test_bad_projection_inputs(kwargs: dict[str, object], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        project(calculator(), **kwargs)  # type: ignore[arg-type]


def test_bad_sources() -> None:
    with pytest.raises(ConfigError, match="different lengths"):
        project(calculator(scale=np.ones(3), intensity_ratio=np.ones(4)))
    with pytest.raises(ConfigError, match=r"penetration\.ceiling: has NaN"):
        project(calculator(penetration={"ceiling": math.nan}))
    with pytest.raises(ConfigError, match="1-D array"):
        project(calculator(scale=np.ones((2, 2))))
    with pytest.raises(ConfigError, match="must be Parameters"):
        project("my fit")  # type: ignore[arg-type]
    two = fit_source(markets=("china", "openrouter"))
    with pytest.raises(ConfigError, match="pass market="):
        project(two)
    with pytest.raises(ConfigError, match="unknown market 'us'"):
        project(two, market="us")
    assert project(two, "posterior", market="openrouter", until="2027").market == "openrouter"
    with pytest.raises(ConfigError, match="differs from the fit"):
        project(fit_source(), structure=Structure(penetration="bass"))


# ---------------------------------------------------------------------------- lever modes


def test_scale_multiplies_index_growth_after_start() -> None:
    proj = project(
        calculator(), Scenario("x", complexity=Scale(2.0), start="2027-03-31"), until="2029"
    )
    t = days_since(proj.dates, REF)
    t0 = 365.0
    k = proj.dataset["complexity"].squeeze().values
    expected = np.where(t > t0, np.exp(0.5 * (t0 + 2.0 * (t - t0)) / Y), np.exp(0.5 * t / Y))
    np.testing.assert_allclose(k, expected, rtol=1e-13)


def test_scale_speeds_penetration_time() -> None:
    proj = project(calculator(), Scenario("x", penetration=Scale(3.0)), until="2029")
    t = days_since(proj.dates, REF)
    warped = np.where(t > 0, 3.0 * t, t)
    expected = 0.5 / (1 + np.exp(-1.2 * (warped - 731.0) / Y))
    np.testing.assert_allclose(proj.dataset["penetration"].squeeze(), expected, rtol=1e-13)


def test_growth_from_the_value_at_start() -> None:
    start = "2027-03-31"
    proj = project(calculator(), Scenario("x", usage=Growth(-0.1, start=start)), until="2029")
    t = days_since(proj.dates, REF)
    h = proj.dataset["usage"].squeeze().values
    expected = np.where(t > 365, np.exp(0.3 * 365 / Y - 0.1 * (t - 365) / Y), np.exp(0.3 * t / Y))
    np.testing.assert_allclose(h, expected, rtol=1e-13)


def test_pin_bridges_interpolates_and_holds() -> None:
    pin = Pin({"2027-03-31": 0.2, "2028-03-31": 0.4})
    proj = project(calculator(), Scenario("x", penetration=pin), start="2026-01-01", until="2030")
    pi = proj.dataset["penetration"].squeeze().to_series()
    start_value = 0.5 / (1 + math.exp(-1.2 * (0 - 731.0) / Y))
    assert pi["2026-03-31"] == pytest.approx(start_value, rel=1e-14)
    assert pi["2026-01-01"] == pytest.approx(0.5 / (1 + math.exp(-1.2 * (-89 - 731.0) / Y)))
    halfway = pd.Timestamp("2026-03-31") + pd.Timedelta(days=182)
    assert pi[halfway] == pytest.approx(start_value + (0.2 - start_value) * 182 / 365, rel=1e-13)
    assert pi["2027-03-31"] == 0.2
    assert pi["2027-09-30"] == pytest.approx(0.2 + 0.2 * 183 / 366, rel=1e-13)
    assert pi["2028-03-31"] == 0.4
    assert (pi["2028-04-01":] == 0.4).all()


def test_pin_on_the_start_date_jumps() -> None:
    proj = project(calculator(), Scenario("x", usage=Pin({REF: 2.0})), until="2027")
    h = proj.dataset["usage"].squeeze()
    assert (h.values == 2.0).all()


def test_override_changes_the_whole_curve_and_recalibrates() -> None:
    proj = project(
        calculator(), ["posterior", Scenario("x", penetration=Override(ceiling=0.25))], until="2028"
    )
    pi = proj.dataset["penetration"].sel(draw=0)
    np.testing.assert_allclose(pi.sel(scenario="x"), pi.sel(scenario="posterior") / 2, rtol=1e-14)
    total = proj.dataset["total"].sel(draw=0, date=REF)
    assert float(total.sel(scenario="x")) == pytest.approx(float(total.sel(scenario="posterior")))


def test_change_start_overrides_the_scenario_start() -> None:
    own = Scale(2.0, start="2028-03-31")
    proj = project(calculator(), Scenario("x", users=own, start="2027-01-01"), until="2029")
    n = proj.dataset["users"].squeeze().to_series()
    assert n["2028-03-31"] == pytest.approx(math.exp(0.1 * 731 / Y), rel=1e-14)
    assert n["2028-04-01"] == pytest.approx(math.exp(0.1 * (731 + 2) / Y), rel=1e-13)


def test_scalar_overrides() -> None:
    proj = project(
        calculator(), Scenario("x", intensity_ratio=20.0, substitution=1.0), until="2027"
    )
    p = proj.parameters["x"]
    assert (p.intensity_ratio[0], p.substitution[0]) == (20.0, 1.0)
    bep = proj.dataset["break_even_penetration"].sel(date=REF).squeeze()
    assert float(bep) == pytest.approx(1 / 21, rel=1e-14)


# ---------------------------------------------------------------------------- analyses


def test_multiplier_and_probability(posterior: Projection) -> None:
    m = posterior.multiplier(REF, "2030-12-31")
    total = posterior.dataset["total"]
    np.testing.assert_allclose(m, total.sel(date="2030-12-31") / total.sel(date=REF), rtol=1e-13)
    assert m.attrs == {"start": REF, "end": "2030-12-31"}
    prob = posterior.prob_multiplier_above(5.0)
    assert isinstance(prob, pd.Series) and prob.index.name == "scenario"
    assert prob["posterior"] == pytest.approx(float((m.sel(scenario="posterior") > 5).mean()))
    xr.testing.assert_identical(posterior.multiplier(), m)


def test_attribution_multiplies_back_for_every_draw(posterior: Projection) -> None:
    for start, end in [(REF, "2030-12-31"), ("2027-06-30", "2029-01-15")]:
        parts = posterior.attribution(start, end)
        assert parts.dims == ("scenario", "draw", "lever")
        assert list(parts["lever"].values) == list(LEVERS)
        product = parts.prod("lever")
        np.testing.assert_allclose(product, posterior.multiplier(start, end), rtol=1e-9, atol=0)
        users = posterior.at([start, end])["users"]
        np.testing.assert_allclose(
            parts.sel(lever="users"), users.isel(date=1) / users.isel(date=0), rtol=1e-12
        )


def test_attribution_gives_a_lone_mover_the_whole_multiplier() -> None:
    still = {lever: {"annual_rate": 0.0} for lever in ("users", "chatbot", "usage")}
    params = calculator(penetration={"rate": 0.0}, **still)  # flat penetration
    proj = project(params, "posterior", until="2030")
    parts = proj.attribution(REF, "2029-03-31").squeeze()
    multiplier = float(proj.multiplier(REF, "2029-03-31").squeeze())
    assert float(parts.sel(lever="complexity")) == pytest.approx(multiplier, rel=1e-12)
    for lever in ("users", "chatbot", "penetration", "usage"):
        assert float(parts.sel(lever=lever)) == 1.0


def test_shapley_weights_closed_forms() -> None:
    # v(S) = sum of singleton values (additive game): each player gets its own value.
    values = np.array([0.0, 1.0, 10.0, 11.0])
    np.testing.assert_allclose(shapley_weights(2) @ values, [1.0, 10.0])
    # symmetric players split a pure interaction evenly; rows sum to the grand coalition
    interaction = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.0])
    np.testing.assert_allclose(shapley_weights(3) @ interaction, [2.0, 2.0, 2.0])
    np.testing.assert_allclose(shapley_weights(5).sum(axis=0)[[0, 31]], [-1.0, 1.0])


def test_break_even_date_by_closed_form() -> None:
    still = {lever: {"annual_rate": 0.0} for lever in ("users", "chatbot", "complexity", "usage")}
    proj = project(calculator(**still), "posterior", until="2030")
    result = proj.break_even()
    # agents = chatbots when pi = 1 / rho = 0.1: logistic 0.5 / (1 + e) = 0.1 -> e = 4
    t_star = 731.0 - Y / 1.2 * math.log(4.0)
    expected = pd.Timestamp(REF) + pd.Timedelta(days=t_star)
    found = pd.Timestamp(result.dates.squeeze().values)
    assert abs((found - expected).total_seconds()) < 30.0  # linear within the day
    assert float(result.penetration.squeeze()) == pytest.approx(0.1, abs=1e-7)
    assert result.never["posterior"] == 0.0
    assert not bool(result.already.squeeze())
    assert result.prob_before(found + pd.Timedelta(days=1))["posterior"] == 1.0
    assert result.prob_before(found - pd.Timedelta(days=1))["posterior"] == 0.0
    frame = result.to_frame()
    assert list(frame.columns) == ["q05", "q50", "q95", "never", "already"]
    assert frame.loc["posterior", "q50"] == found


def test_break_even_never_and_already() -> None:
    never = project(
        calculator(
            penetration={"ceiling": 0.05},
            complexity={"annual_rate": 0.0},
            usage={"annual_rate": 0.0},
            chatbot={"annual_rate": 0.5},
        ),
        "posterior",
        until="2030",
    )
    result = never.break_even()
    assert result.never["posterior"] == 1.0
    assert bool(np.isnat(result.dates.squeeze().values))
    assert math.isnan(float(result.penetration.squeeze()))
    assert pd.isna(result.to_frame().loc["posterior", "q50"])
    already = project(calculator(), "posterior", start="2029-01-01", until="2030").break_even()
    assert bool(already.already.squeeze())
    assert pd.Timestamp(already.dates.squeeze().values) == pd.Timestamp("2029-01-01")


def test_break_even_distribution_and_errors(posterior: Projection) -> None:
    result = posterior.break_even()
    assert result.dates.dims == ("scenario", "draw")
    assert result.dates.dtype == np.dtype("datetime64[ns]")
    prob = result.prob_before("2028-01-01")
    assert list(prob.index) == list(posterior.dataset["scenario"].values)
    assert prob["fast-adoption"] >= prob["posterior"] >= prob["slow-adoption"]
    assert (~np.isnat(result.dates.values)).any()
    with pytest.raises(ConfigError, match="after the projection ends"):
        result.prob_before("2031-06-01")


def test_break_even_crossing_is_where_agents_meet_chatbots(posterior: Projection) -> None:
    result = posterior.break_even()
    dates = result.dates.sel(scenario="posterior").values
    draws = [d for d in range(len(dates)) if not np.isnat(dates[d])][:5]
    for d in draws:
        day = pd.Timestamp(dates[d])
        around = posterior.at([day.floor("D"), day.ceil("D") + pd.Timedelta(days=0)])
        gap = (around["agent"] - around["chatbot"]).sel(scenario="posterior", draw=d).values
        assert gap[0] <= 0.0 <= gap[-1]


def test_to_frame_quantiles(posterior: Projection) -> None:
    frame = posterior.to_frame(variables=["total", "agent_share"])
    assert list(frame.columns) == [
        "scenario",
        "date",
        "variable",
        "q05",
        "q25",
        "q50",
        "q75",
        "q95",
        "mean",
    ]
    assert len(frame) == 2 * 6 * 1737
    row = frame[(frame.scenario == "posterior") & (frame.variable == "total")].iloc[-1]
    draws = posterior.dataset["total"].sel(scenario="posterior").isel(date=-1).values
    assert row["q50"] == pytest.approx(np.median(draws))
    assert row["mean"] == pytest.approx(draws.mean())
    with pytest.raises(ConfigError, match="unknown variable 'volume'"):
        posterior.to_frame(variables=["volume"])
    with pytest.raises(ConfigError, match="outside"):
        posterior.to_frame(quantiles=[1.5])


def test_calculator_quantiles_collapse_to_the_value() -> None:
    frame = project(calculator(), "posterior", until="2026-04-02").to_frame(quantiles=[0.025, 0.5])
    assert list(frame.columns[3:]) == ["q02.5", "q50", "mean"]
    assert (frame["q02.5"] == frame["mean"]).all()


def test_reprs(posterior: Projection) -> None:
    assert "6 scenarios x 64 draws x 1737 dates" in repr(posterior)
    page = posterior._repr_html_()
    assert "<table>" in page and "cicc-moderate" in page and "fast-adoption" in page


# ---------------------------------------------------------------------------- goal seek


@pytest.mark.parametrize("lever", LEVERS)
@pytest.mark.parametrize("what", ["rate", "level"])
def test_goal_seek_round_trip(lever: str, what: str) -> None:
    source = fit_source(draws=15)
    target, by = 45.0, "2029-12-31"  # the posterior median is about 40: every lever reaches it
    answer = goal_seek(source, target, by, lever, what=what)  # type: ignore[arg-type]
    assert answer.achieved == pytest.approx(target, rel=1e-9)
    again = project(source, answer.scenario, until=by).multiplier(REF, by)
    assert float(again.median()) == pytest.approx(target, rel=1e-6)


def test_goal_seek_from_a_later_start_on_a_base_scenario() -> None:
    source = fit_source(draws=9)
    answer = goal_seek(
        source, 3.0, "2030-06-30", "complexity", start="2027-01-01", scenario="cicc-moderate"
    )
    assert answer.scenario.break_even_penetration == 0.08
    assert answer.change == Growth(answer.value, start="2027-01-01")
    again = project(source, answer.scenario, until="2030-06-30").multiplier(
        "2027-01-01", "2030-06-30"
    )
    assert float(again.median()) == pytest.approx(3.0, rel=1e-6)
    assert "complexity growing" in str(answer)


def test_goal_seek_per_draw_round_trip() -> None:
    source = fit_source(draws=6)
    answer = goal_seek(source, 5.0, "2029-12-31", "usage", per_draw=True)
    assert answer.values is not None and answer.values.dims == ("draw",)
    assert answer.value == pytest.approx(float(np.median(answer.values)))
    params = source.posterior_parameters()
    for d in (0, 3, 5):
        one = Parameters(
            REF,
            scale=params.scale[d],
            intensity_ratio=params.intensity_ratio[d],
            substitution=params.substitution[d],
            **{lever: {k: v[d] for k, v in params.lever(lever).items()} for lever in LEVERS},
        )
        scenario = Scenario("d", usage=Growth(float(answer.values[d])))
        again = project(one, scenario, until="2029-12-31").multiplier(REF, "2029-12-31")
        assert float(again.squeeze()) == pytest.approx(5.0, rel=1e-6)


def test_goal_seek_unreachable() -> None:
    with pytest.raises(
        ConfigError, match=r"no penetration level in \[0, 1\] gives 1000x.*runs from"
    ):
        goal_seek(calculator(), 1000.0, "2028-12-31", "penetration", what="level")
    source = fit_source(draws=6)
    with pytest.raises(ConfigError, match="for 6 of 6 draws"):
        goal_seek(source, 1000.0, "2028-12-31", "penetration", what="level", per_draw=True)
    by = "2028-12-31"
    top = project(source, Scenario("top", penetration=Pin({by: 1.0})), until=by)
    highest = top.multiplier(REF, by).squeeze().values  # each draw's most, at full penetration
    target = float(np.median(highest))
    some = goal_seek(
        source, target, by, "penetration", what="level", per_draw=True, unreachable="nan"
    )
    assert some.values is not None
    np.testing.assert_array_equal(np.isnan(some.values), highest < target)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"lever": "agents"}, "unknown lever 'agents'"),
        ({"what": "speed"}, "what must be 'rate' or 'level'"),
        ({"target_multiplier": -2.0}, "target_multiplier must be a positive number"),
        ({"by": "2025-01-01"}, "must be after start"),
        ({"bounds": (2.0, 1.0)}, "low < high"),
        ({"lever": "penetration", "bounds": (0.0, 2.0)}, "must be positive"),
        ({"lever": "penetration", "what": "level", "bounds": (0.0, 2.0)}, r"lie in \[0, 1\]"),
        ({"unreachable": "ignore"}, "unreachable must be"),
    ],
)
def test_goal_seek_bad_arguments(kwargs: dict[str, object], expected: str) -> None:
    arguments: dict[str, object] = {"target_multiplier": 5.0, "by": "2029-12-31", "lever": "usage"}
    arguments.update(kwargs)
    with pytest.raises(ConfigError, match=expected):
        goal_seek(calculator(), **arguments)  # type: ignore[arg-type]
