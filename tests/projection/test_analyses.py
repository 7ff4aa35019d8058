"""Projection analyses: multipliers, Shapley attribution and break-even dates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from tests.projection.helpers import REF, Y, calculator, project
from tokendemand.errors import ConfigError
from tokendemand.projection import Projection
from tokendemand.projection.analyses import shapley_weights
from tokendemand.structure import LEVERS


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
