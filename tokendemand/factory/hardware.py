"""Hardware presets: serving throughput, power and rental price of one accelerator.

Throughput depends on the speed each user is served at (tokens per second per user): the same
GPU serves several times more tokens at 10 tok/s per user than at 40. Each preset states that
speed next to its throughput, and cites the rows of the bundled figures
(:func:`~tokendemand.factory.figures.figures`) it comes from.

==============  ========================================================================
preset          figures
==============  ========================================================================
``h800``        DeepSeek's own V3/R1 service (Feb 2025): decode 14.8k output tok/s and
                prefill 73.7k input tok/s per 8-GPU node at 20-22 tok/s per user; DGX H100
                power; DeepSeek's $2 lease
``h100``        SGLang on 96 H100 (May 2025): 22.3k / 52.3k per node at ~10 tok/s per user;
                DGX H100 power; 1-year H100 contract (Mar 2026)
``h20``         Ant Group + SGLang on H20-96G (Sep 2025): 5.7k / 16.5k per node; DGX H100
                power (an upper bound: no H20 figure); Chinese marketplace price in CNY
``ascend910c``  Huawei CloudMatrix384 (Jun 2025): 1,943 / 6,688 per NPU at < 50 ms per
                token; the system's 559 kW over 384 NPUs; no rental quote, DeepSeek's lease
``b200``        InferenceX B200 at 42 tok/s per user (2026); GB200 prefill per GPU (the
                same Blackwell GPU; no B200 prefill figure); DGX B200 power; rental floor
==============  ========================================================================
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from tokendemand.errors import ConfigError
from tokendemand.factory.figures import figure

__all__ = ["Hardware", "cny_per_usd", "hardware_presets", "preset_hardware"]


@dataclass(frozen=True)
class Hardware:
    """One accelerator as a token factory sees it.

    Attributes
    ----------
    name
        Preset name (``"h800"``).
    output_tokens_per_second
        Decode throughput per GPU, output tokens per second.
    input_tokens_per_second
        Prefill throughput per GPU, input tokens per second (cache hits included).
    user_tokens_per_second
        The output speed per user the throughput was measured at (``None``: not stated).
    kw_per_gpu
        All-in server power per GPU, kW (server maximum divided by its GPUs).
    gpu_hour_price
        Rental price, USD per GPU-hour.
    sources
        Per attribute, the bundled rows (``item`` names) and the arithmetic.
    """

    name: str
    output_tokens_per_second: float
    input_tokens_per_second: float
    user_tokens_per_second: float | None
    kw_per_gpu: float
    gpu_hour_price: float
    sources: Mapping[str, str] = field(default_factory=dict)


def cny_per_usd() -> float:
    """CNY per USD implied by DeepSeek-R1's two list prices (CNY 16 = USD 2.19 per 1M output).

    Examples
    --------
    >>> round(cny_per_usd(), 3)
    7.306
    """
    return figure("deepseek_r1_output_cny") / figure("deepseek_r1_standard_output")


def _per(item: str, divisor: float) -> float:
    return figure(item) / divisor


@functools.lru_cache(maxsize=1)
def _presets() -> Mapping[str, Hardware]:
    h800_power = _per("dgx_h100_system_power", 8)
    power_source = "dgx_h100_system_power / 8 GPUs (H800/H100 SXM, 700 W class)"
    presets = (
        Hardware(
            "h800",
            _per("deepseek_prod_decode_per_h800_node", 8),
            _per("deepseek_prod_prefill_per_h800_node", 8),
            21.0,
            h800_power,
            figure("deepseek_assumed_h800_lease"),
            {
                "output_tokens_per_second": "deepseek_prod_decode_per_h800_node / 8",
                "input_tokens_per_second": "deepseek_prod_prefill_per_h800_node / 8",
                "user_tokens_per_second": "20-22 tok/s per user (same row's scope)",
                "kw_per_gpu": power_source,
                "gpu_hour_price": "deepseek_assumed_h800_lease",
            },
        ),
        Hardware(
            "h100",
            _per("sglang_96xH100_decode_per_node", 8),
            _per("sglang_96xH100_prefill_per_node", 8),
            10.0,
            h800_power,
            figure("h100_1yr_contract_mar2026"),
            {
                "output_tokens_per_second": "sglang_96xH100_decode_per_node / 8",
                "input_tokens_per_second": "sglang_96xH100_prefill_per_node / 8",
                "user_tokens_per_second": "ITL ~100 ms, ~10 tok/s per user (same row)",
                "kw_per_gpu": power_source,
                "gpu_hour_price": "h100_1yr_contract_mar2026",
            },
        ),
        Hardware(
            "h20",
            _per("sglang_h20_decode_per_node", 8),
            _per("sglang_h20_prefill_per_node", 8),
            None,
            h800_power,
            figure("china_h20_hourly_marketplace") / cny_per_usd(),
            {
                "output_tokens_per_second": "sglang_h20_decode_per_node / 8",
                "input_tokens_per_second": "sglang_h20_prefill_per_node / 8",
                "user_tokens_per_second": "not stated in the source",
                "kw_per_gpu": power_source + "; an upper bound, no H20 power figure bundled",
                "gpu_hour_price": "china_h20_hourly_marketplace (CNY) / cny_per_usd()",
            },
        ),
        Hardware(
            "ascend910c",
            figure("huawei_cloudmatrix384_decode_per_npu"),
            figure("huawei_cloudmatrix384_prefill_per_npu"),
            20.0,
            _per("huawei_cloudmatrix384_system_power", 384),
            figure("deepseek_assumed_h800_lease"),
            {
                "output_tokens_per_second": "huawei_cloudmatrix384_decode_per_npu",
                "input_tokens_per_second": "huawei_cloudmatrix384_prefill_per_npu",
                "user_tokens_per_second": "TPOT < 50 ms, so at least 20 tok/s per user",
                "kw_per_gpu": "huawei_cloudmatrix384_system_power / 384 NPUs (all-in)",
                "gpu_hour_price": "deepseek_assumed_h800_lease (no 910C rental quote bundled)",
            },
        ),
        Hardware(
            "b200",
            figure("inferencex_dsr1_b200_1k1k_at42tps"),
            figure("sglang_gb200_prefill_per_gpu_partII"),
            42.0,
            _per("dgx_b200_system_power", 8),
            figure("b200_floor_rental"),
            {
                "output_tokens_per_second": "inferencex_dsr1_b200_1k1k_at42tps",
                "input_tokens_per_second": "sglang_gb200_prefill_per_gpu_partII (GB200's GPU)",
                "user_tokens_per_second": "42 tok/s per user (same row)",
                "kw_per_gpu": "dgx_b200_system_power / 8 GPUs",
                "gpu_hour_price": "b200_floor_rental",
            },
        ),
    )
    return MappingProxyType({p.name: p for p in presets})


def hardware_presets() -> Mapping[str, Hardware]:
    """Every preset by name (read-only).

    Examples
    --------
    >>> sorted(hardware_presets())
    ['ascend910c', 'b200', 'h100', 'h20', 'h800']
    >>> hardware_presets()["h800"].output_tokens_per_second
    1850.0
    """
    return _presets()


def preset_hardware(name: str) -> Hardware:
    """The preset called ``name`` (case-insensitive).

    Raises
    ------
    ConfigError
        For an unknown name; the message lists the presets.
    """
    presets = _presets()
    key = name.lower() if isinstance(name, str) else name
    if key not in presets:
        raise ConfigError(
            f"unknown hardware preset {name!r}; choose one of: {', '.join(sorted(presets))}"
        )
    return presets[key]
