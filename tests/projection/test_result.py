"""project() and Projection: the dataset, recalibration, the grid, inputs it refuses, quantile
frames and reprs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.projection.helpers import REF, FakeFit, calculator, project
from tokendemand.dates import days_since
from tokendemand.errors import ConfigError
from tokendemand.projection import Projection
from tokendemand.scenarios import Override, Pin, Scenario, builtin
from tokendemand.structure import COMPONENTS, LEVERS, Parameters, evaluate


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
