"""Hardware presets: each value is its cited row, divided as the source says."""

from __future__ import annotations

import pytest

from tokendemand.errors import ConfigError
from tokendemand.factory.figures import figure
from tokendemand.factory.hardware import cny_per_usd, hardware_presets, preset_hardware


def test_h800_is_deepseeks_own_service() -> None:
    h800 = preset_hardware("H800")
    assert h800.output_tokens_per_second == figure("deepseek_prod_decode_per_h800_node") / 8
    assert h800.input_tokens_per_second == figure("deepseek_prod_prefill_per_h800_node") / 8
    assert h800.kw_per_gpu == figure("dgx_h100_system_power") / 8
    assert h800.gpu_hour_price == 2.0
    assert h800.user_tokens_per_second == 21.0


def test_other_presets_follow_their_rows() -> None:
    presets = hardware_presets()
    assert set(presets) == {"h800", "h100", "h20", "ascend910c", "b200"}
    assert presets["h20"].output_tokens_per_second == 5700 / 8
    assert presets["h20"].gpu_hour_price == pytest.approx(7.5 * 2.19 / 16, rel=1e-12)
    assert presets["ascend910c"].kw_per_gpu == pytest.approx(559 / 384, rel=1e-12)
    assert presets["b200"].output_tokens_per_second == figure("inferencex_dsr1_b200_1k1k_at42tps")
    assert presets["b200"].kw_per_gpu == 14.3 / 8
    for hardware in presets.values():
        assert hardware.sources.keys() >= {"output_tokens_per_second", "kw_per_gpu"}


def test_cny_per_usd_is_r1s_two_list_prices() -> None:
    assert cny_per_usd() == 16 / 2.19


def test_unknown_preset_lists_the_choices() -> None:
    with pytest.raises(ConfigError, match="ascend910c, b200, h100, h20, h800"):
        preset_hardware("tpu")
