"""FactoryAssumptions: cited defaults, presets, priors drawn per draw, one error for all."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tokendemand.errors import ConfigError
from tokendemand.factory.assumptions import FactoryAssumptions
from tokendemand.factory.figures import figure
from tokendemand.factory.hardware import cny_per_usd, preset_hardware
from tokendemand.factory.paths import PricePath
from tokendemand.priors import Fixed, LogitNormal, LogNormal, Normal


def test_defaults_are_computed_from_their_cited_rows() -> None:
    a = FactoryAssumptions()
    assert a.output_share == 168e9 / 776e9
    assert a.cache_hit_share == figure("deepseek_prod_input_cache_hit_share")
    assert a.utilization == 226.75 / 278
    assert a.tokens_per_second_per_gpu == 14_800 / 8
    assert a.input_tokens_per_second_per_gpu == 73_700 / 8
    assert a.kw_per_gpu == 10.2 / 8
    assert a.pue == 1.3
    assert (a.price_input_hit, a.price_input_miss, a.price_output) == (0.14, 0.55, 2.19)
    assert a.path_output.factor(["2025-01-20", "2025-09-05", "2026-06-30"]).tolist() == [
        1.0,
        1.68 / 2.19,
        0.42 / 2.19,
    ]
    assert a.path_input_hit.factor(["2026-06-30"])[0] == 0.028 / 0.14


def test_every_field_states_unit_and_source() -> None:
    table = FactoryAssumptions().table()
    assert list(table["field"]) == list(FactoryAssumptions.names())
    assert table["source"].str.len().gt(0).all()
    assert table["unit"].str.len().gt(0).all()
    assert "deepseek_prod_avg_nodes" in FactoryAssumptions.items("utilization")
    h20 = FactoryAssumptions.preset("h20", pue=1.2).table().set_index("field")["source"]
    assert h20["tokens_per_second_per_gpu"] == "preset h20: sglang_h20_decode_per_node / 8"
    assert h20["pue"] == "given"
    assert h20["cache_hit_share"] == FactoryAssumptions.source("cache_hit_share")
    with pytest.raises(ConfigError, match="no field 'speed'"):
        FactoryAssumptions.source("speed")


def test_preset_replaces_the_hardware_fields_and_keeps_the_rest() -> None:
    a = FactoryAssumptions.preset("h20", utilization=0.5)
    h20 = preset_hardware("h20")
    assert a.hardware == "h20"
    assert a.tokens_per_second_per_gpu == h20.output_tokens_per_second
    assert a.gpu_hour_price == h20.gpu_hour_price
    assert a.utilization == 0.5
    assert a.pue == FactoryAssumptions().pue


def test_hardware_keyword_fills_the_fields_left_at_their_defaults() -> None:
    assert FactoryAssumptions(hardware="B200") == FactoryAssumptions.preset("b200")
    mine = FactoryAssumptions(hardware="h20", gpu_hour_price=1.5)
    assert mine.gpu_hour_price == 1.5
    assert mine.kw_per_gpu == preset_hardware("h20").kw_per_gpu
    assert mine.tokens_per_second_per_gpu == preset_hardware("h20").output_tokens_per_second
    assert FactoryAssumptions().replace(hardware="ascend910c").kw_per_gpu == 559 / 384


def test_replace_rejects_unknown_names() -> None:
    with pytest.raises(ConfigError, match="no field 'pue_'; fields are"):
        FactoryAssumptions().replace(pue_=1.2)


def test_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        FactoryAssumptions().pue = 2.0  # type: ignore[misc]


def test_draws_sample_priors_with_the_seed_and_repeat_numbers() -> None:
    a = FactoryAssumptions(utilization=LogitNormal(0.8, 0.3), pue=Fixed(1.2))
    first = a.draws(500, random_seed=3)
    again = a.draws(500, random_seed=3)
    np.testing.assert_array_equal(first["utilization"], again["utilization"])
    assert first["utilization"].std() > 0.01
    assert np.all((first["utilization"] > 0) & (first["utilization"] < 1))
    assert np.all(first["pue"] == 1.2)
    assert np.all(first["kw_per_gpu"] == 10.2 / 8)
    assert a.sampled == ("utilization",)
    assert "input_tokens_per_second_per_gpu" not in a.replace(
        input_tokens_per_second_per_gpu=None
    ).draws(2)


def test_currency_needs_a_rate() -> None:
    a = FactoryAssumptions(currency="CNY", exchange_rate=cny_per_usd())
    assert a.currency == "CNY"
    with pytest.raises(ConfigError, match="give CNY per USD"):
        FactoryAssumptions(currency="CNY")
    with pytest.raises(ConfigError, match="must be 1 for currency USD"):
        FactoryAssumptions(exchange_rate=7.0)


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"output_share": 1.0}, r"output_share: must lie in \(0, 1\)"),
        ({"cache_hit_share": -0.1}, r"cache_hit_share: must lie in \[0, 1\]"),
        ({"utilization": 0.0}, r"utilization: must lie in \(0, 1\]"),
        ({"utilization": Normal(0.8, 0.1)}, "Normal prior .*use LogitNormal"),
        ({"tokens_per_second_per_gpu": -5.0}, "tokens_per_second_per_gpu: must lie"),
        ({"pue": 0.9}, r"pue: must lie in \[1, inf\)"),
        ({"kw_per_gpu": float("inf")}, "kw_per_gpu: must lie"),
        ({"electricity_price": "cheap"}, "electricity_price: expected a number or a Prior"),
        ({"gpu_hour_price": True}, "gpu_hour_price: expected a number or a Prior"),
        ({"price_output": float("nan")}, "price_output: must lie"),
        ({"path_output": 0.5}, "path_output: expected a PricePath"),
        ({"hardware": "tpu"}, "hardware: unknown hardware preset 'tpu'"),
        ({"currency": "usd"}, "currency: give an ISO code"),
        ({"user_tokens_per_second": 0}, "user_tokens_per_second: expected a positive number"),
        ({"energy_in_serving_cost": 1}, "energy_in_serving_cost: expected True or False"),
    ],
)
def test_each_bad_value_is_named(changes: dict[str, object], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        FactoryAssumptions(**changes)  # type: ignore[arg-type]


def test_all_problems_come_in_one_error() -> None:
    with pytest.raises(ConfigError) as error:
        FactoryAssumptions(
            output_share=2.0,
            pue=LogNormal(0.5, 0.1),
            path_input_hit="down",  # type: ignore[arg-type]
            currency="CNY",
        )
    lines = str(error.value).splitlines()
    assert lines[0] == "invalid FactoryAssumptions:"
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "output_share",
        "pue",
        "path_input_hit",
        "exchange_rate",
    ]


def test_a_path_and_a_prior_can_replace_defaults() -> None:
    path = PricePath.yearly("2026-01-01", [-0.3])
    a = FactoryAssumptions(path_output=path, price_output=LogNormal(2.19, 0.2))
    assert a.path_output is path
    assert a.sampled == ("price_output",)
