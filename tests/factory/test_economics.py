"""economics(): DeepSeek's disclosure reproduced, variables as closed forms, draws and dims."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand.errors import ConfigError, DataError
from tokendemand.factory import formulas
from tokendemand.factory.assumptions import FactoryAssumptions
from tokendemand.factory.economics import UNITS, TokenFactory, economics
from tokendemand.factory.figures import figure
from tokendemand.factory.hardware import cny_per_usd
from tokendemand.factory.paths import PricePath
from tokendemand.priors import LogitNormal, LogNormal

DAY = pd.Timestamp("2025-02-28")


def _deepseek_day() -> pd.Series:
    tokens = figure("deepseek_all_surfaces_daily_input_tokens") + figure(
        "deepseek_all_surfaces_daily_output_tokens"
    )
    return pd.Series([tokens], index=pd.DatetimeIndex([DAY]))


def _deepseek(**changes: object) -> TokenFactory:
    # the day DeepSeek disclosed: R1 list prices, its own cache-hit share and output share; the
    # fleet it reports is its average occupancy, so the fleet carries no peak headroom here
    return economics(_deepseek_day(), FactoryAssumptions(utilization=1.0, **changes))  # type: ignore[arg-type]


def test_token_revenue_reproduces_deepseeks_562027_dollars() -> None:
    revenue = float(_deepseek().dataset["token_revenue"].item())
    disclosed = figure("deepseek_prod_theoretical_daily_revenue")
    assert disclosed == 562_027
    assert revenue == pytest.approx(disclosed, rel=0.01)
    # and from the stated inputs by hand: 342.3B hits, 265.7B misses, 168B output
    by_hand = (608e9 * 0.563 * 0.14 + 608e9 * 0.437 * 0.55 + 168e9 * 2.19) / 1e6
    assert revenue == pytest.approx(by_hand, rel=1e-12)


def test_serving_cost_reproduces_deepseeks_87072_dollars() -> None:
    disclosed = figure("deepseek_prod_daily_cost")
    fleet = figure("deepseek_prod_avg_nodes") * 8
    assert formulas.gpu_rent(fleet, figure("deepseek_assumed_h800_lease")) == disclosed
    # the fleet economics() sizes from the tokens alone costs the same within 1%
    cost = float(_deepseek().dataset["serving_cost"].item())
    assert cost == pytest.approx(disclosed, rel=0.01)


def test_deepseeks_fleet_decode_capacity_covers_its_output_tokens() -> None:
    decode_per_day = (
        figure("deepseek_prod_avg_nodes") * figure("deepseek_prod_decode_per_h800_node") * 86_400
    )
    output = figure("deepseek_all_surfaces_daily_output_tokens")
    assert decode_per_day >= output
    gpus = float(_deepseek().dataset["gpus"].item())
    assert gpus == pytest.approx(figure("deepseek_prod_avg_nodes") * 8, rel=0.01)


def test_every_variable_is_its_closed_form() -> None:
    a = FactoryAssumptions(energy_in_serving_cost=True)
    ds = economics(_deepseek_day(), a).dataset.isel(draw=0, date=0)
    tokens = _deepseek_day().iloc[0]
    hit, miss, out = formulas.split_tokens(tokens, a.output_share, a.cache_hit_share)
    gpus = out / (a.tokens_per_second_per_gpu * 86_400 * a.utilization) + (hit + miss) / (
        a.input_tokens_per_second_per_gpu * 86_400 * a.utilization  # type: ignore[operator]
    )
    mw = gpus * a.kw_per_gpu * a.pue / 1000
    rent = gpus * 24 * a.gpu_hour_price
    power = mw * 1000 * 24 * a.electricity_price
    revenue = (hit * 0.14 + miss * 0.55 + out * 2.19) / 1e6
    expected = {
        "gpus": gpus,
        "it_mw": gpus * a.kw_per_gpu / 1000,
        "facility_mw": mw,
        "energy_gwh_per_year": mw * 24 * 365.25 / 1000,
        "energy_cost": power,
        "rental_revenue": rent,
        "serving_cost": rent + power,
        "token_revenue": revenue,
        "margin": revenue - rent - power,
        "revenue_ratio": revenue / rent,
    }
    for name, value in expected.items():
        assert float(ds[name]) == pytest.approx(value, rel=1e-12), name
    assert set(ds.data_vars) == set(UNITS)


def test_decode_only_when_prefill_throughput_is_none() -> None:
    ds = economics(
        _deepseek_day(), FactoryAssumptions(utilization=1.0, input_tokens_per_second_per_gpu=None)
    ).dataset
    assert float(ds["gpus"].item()) == pytest.approx(168e9 / (1850 * 86_400), rel=1e-12)


def test_prices_follow_their_paths_and_the_currency() -> None:
    days = pd.Series([1e12, 1e12], index=pd.DatetimeIndex(["2025-02-28", "2026-02-28"]))
    usd = economics(days, FactoryAssumptions()).dataset["token_revenue"].values[0]
    assert usd[1] < usd[0] / 3  # V3.2's prices after R1's
    flat = FactoryAssumptions(
        path_input_hit=PricePath.constant(),
        path_input_miss=PricePath.constant(),
        path_output=PricePath.constant(),
    )
    same = economics(days, flat).dataset["token_revenue"].values[0]
    assert same[0] == same[1] == pytest.approx(usd[0], rel=1e-12)
    cny = economics(days, FactoryAssumptions(currency="CNY", exchange_rate=cny_per_usd()))
    np.testing.assert_allclose(cny.dataset["token_revenue"].values[0], usd * 16 / 2.19)
    assert cny.unit("margin") == "CNY/day"
    assert cny.dataset["margin"].attrs["unit"] == "CNY/day"


def test_projection_runs_over_scenario_draw_date_with_priors_once_per_draw() -> None:
    parameters = td.example_parameters()
    projection = td.project(
        parameters, ["posterior", "cicc-moderate"], until="2027-12-31", freq="MS"
    )
    a = FactoryAssumptions(utilization=LogitNormal(0.8, 0.4))
    result = economics(projection, a, random_seed=7, draws=50)
    gpus = result.dataset["gpus"]
    assert gpus.dims == ("scenario", "draw", "date")
    assert gpus.sizes == {"scenario": 2, "draw": 50, "date": projection.dataset.sizes["date"]}
    # one utilization per draw: GPUs per token the same in every scenario and on every date
    ratio = gpus / projection.dataset["total"].isel(draw=0, drop=True)
    spread_over_dates = ratio.std("date") / ratio.mean("date")
    assert float(spread_over_dates.max()) < 1e-12
    assert float(ratio.std("draw").min()) > 0
    np.testing.assert_allclose(ratio.sel(scenario="posterior"), ratio.sel(scenario="cicc-moderate"))
    again = economics(projection, a, random_seed=7, draws=50)
    np.testing.assert_array_equal(again.dataset["gpus"].values, gpus.values)
    other = economics(projection, a, random_seed=8, draws=50)
    assert not np.array_equal(other.dataset["gpus"].values, gpus.values)


def test_draws_is_refused_for_a_projection_with_its_own_draws() -> None:
    parameters = td.example_parameters()
    two = parameters.replace(intensity_ratio=np.array([10.0, 12.0]))
    projection = td.project(two, "posterior", until="2026-12-31", freq="MS")
    assert economics(projection).dataset.sizes["draw"] == 2
    with pytest.raises(ConfigError, match="brings its own 2 draws"):
        economics(projection, draws=10)


def test_a_series_with_priors_gets_draws() -> None:
    a = FactoryAssumptions(tokens_per_second_per_gpu=LogNormal(1850.0, 0.3))
    result = economics(_deepseek_day(), a, random_seed=1)
    assert result.dataset["gpus"].dims == ("draw", "date")
    assert result.dataset.sizes["draw"] == 1000
    q = result.quantiles("gpus")
    assert float(q[0, 0]) < float(q[1, 0]) < float(q[2, 0])
    assert economics(_deepseek_day()).dataset.sizes["draw"] == 1


@pytest.mark.parametrize(
    ("series", "needle"),
    [
        (pd.Series([], dtype=float), "empty"),
        (pd.Series([1e12], index=["soon"]), "not dates"),
        (pd.Series([1e12, -1.0], index=pd.DatetimeIndex(["2026-01-01", "2026-01-02"])), ">= 0"),
        (pd.Series([np.nan], index=pd.DatetimeIndex(["2026-01-01"])), "finite"),
        (pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2026-01-01", "2026-01-01"])), "repeats"),
    ],
)
def test_bad_series_are_data_errors(series: pd.Series, needle: str) -> None:
    with pytest.raises(DataError, match=needle):
        economics(series)


def test_bad_sources_and_options() -> None:
    with pytest.raises(DataError, match="Projection or a pandas Series"):
        economics([1e12])  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="draws must be a positive integer"):
        economics(_deepseek_day(), draws=0)
    with pytest.raises(ConfigError, match="must be FactoryAssumptions"):
        economics(_deepseek_day(), {"pue": 1.2})  # type: ignore[arg-type]
    result = economics(_deepseek_day())
    with pytest.raises(ConfigError, match="unknown variable"):
        result.unit("profit")
    with pytest.raises(ConfigError, match=r"in \[0, 1\]"):
        result.quantiles("gpus", (0.5, 1.5))
    assert "TokenFactory h800 in USD" in repr(result)
