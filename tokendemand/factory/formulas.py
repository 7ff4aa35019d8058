"""The closed forms of the token factory, as pure functions of floats or arrays.

Each takes numbers, numpy arrays or :class:`xarray.DataArray` (broadcast by name) and returns
the same kind. Tokens are per day; prices per million tokens, per GPU-hour or per kWh; money
per day. Throughputs are per second of a serving GPU, and ``utilization`` is average load over
peak, so a fleet sized by :func:`gpus_needed` carries the peak.

Examples
--------
DeepSeek's 24 hours of 27-28 February 2025: 608B input tokens (56.3% cache hits) and 168B
output tokens, billed at DeepSeek-R1's list prices ($0.14, $0.55 and $2.19 per million), against
its disclosed $562,027 a day:

>>> hit, miss, out = split_tokens(776e9, 168 / 776, 0.563)
>>> revenue = token_revenue(hit, miss, out, 0.14, 0.55, 2.19)
>>> round(revenue), round(revenue / 562_027 - 1, 4)
(561975, -0.0001)

Its fleet, 226.75 nodes of 8 H800 GPUs leased at $2 an hour, against the disclosed $87,072:

>>> gpu_rent(226.75 * 8, 2.0)
87072.0

At 14.8k output tokens/s per decode node and 73.7k input tokens/s per prefill node, the
tokens need about the nodes DeepSeek ran on average:

>>> round(float(gpus_needed(out, 14_800 / 8, 1.0, hit + miss, 73_700 / 8)) / 8, 1)
226.9
"""

from __future__ import annotations

from typing import Any

from tokendemand.dates import DAYS_PER_YEAR

__all__ = [
    "HOURS_PER_DAY",
    "SECONDS_PER_DAY",
    "electricity_cost",
    "energy_gwh_per_year",
    "facility_mw",
    "gpu_rent",
    "gpus_needed",
    "it_mw",
    "split_tokens",
    "token_revenue",
]

SECONDS_PER_DAY: float = 86_400.0
HOURS_PER_DAY: float = 24.0


def split_tokens(tokens: Any, output_share: Any, cache_hit_share: Any) -> tuple[Any, Any, Any]:
    """Split tokens into input cache hits, input cache misses and output.

    ``output = tokens x output_share``; the rest is input, of which ``cache_hit_share`` hit.
    """
    output = tokens * output_share
    input_tokens = tokens - output
    hit = input_tokens * cache_hit_share
    return hit, input_tokens - hit, output


def gpus_needed(
    output_tokens: Any,
    tokens_per_second_per_gpu: Any,
    utilization: Any,
    input_tokens: Any = 0.0,
    input_tokens_per_second_per_gpu: Any = None,
) -> Any:
    """GPUs to serve tokens per day at a peak-to-average headroom.

    ``output / (tokens_per_second_per_gpu x 86,400 x utilization)`` decode GPUs, plus, when
    ``input_tokens_per_second_per_gpu`` is given, ``input / (that x 86,400 x utilization)``
    prefill GPUs.

    Examples
    --------
    >>> gpus_needed(86_400e3, 1_000.0, 0.5)
    2.0
    >>> gpus_needed(86_400e3, 1_000.0, 1.0, 86_400e4, 10_000.0)
    2.0
    """
    gpus = output_tokens / (tokens_per_second_per_gpu * SECONDS_PER_DAY * utilization)
    if input_tokens_per_second_per_gpu is not None:
        gpus = gpus + input_tokens / (
            input_tokens_per_second_per_gpu * SECONDS_PER_DAY * utilization
        )
    return gpus


def it_mw(gpus: Any, kw_per_gpu: Any) -> Any:
    """IT power of the fleet in MW: ``gpus x kW per GPU / 1000``."""
    return gpus * kw_per_gpu / 1000.0


def facility_mw(gpus: Any, kw_per_gpu: Any, pue: Any) -> Any:
    """Facility power in MW: ``gpus x kW per GPU x PUE / 1000``.

    Examples
    --------
    >>> facility_mw(1000, 1.275, 1.3)
    1.6575
    """
    return gpus * kw_per_gpu * pue / 1000.0


def energy_gwh_per_year(facility_megawatts: Any) -> Any:
    """Energy of a facility drawing its power all year, GWh: ``MW x 24 x 365.25 / 1000``.

    The all-in power per GPU is a server maximum, so this is an upper bound.
    """
    return facility_megawatts * HOURS_PER_DAY * DAYS_PER_YEAR / 1000.0


def gpu_rent(gpus: Any, gpu_hour_price: Any) -> Any:
    """Rent of a fleet per day: ``gpus x 24 x price per GPU-hour``."""
    return gpus * HOURS_PER_DAY * gpu_hour_price


def electricity_cost(facility_megawatts: Any, electricity_price: Any) -> Any:
    """Electricity per day: ``MW x 1000 kW x 24 h x price per kWh``."""
    return facility_megawatts * 1000.0 * HOURS_PER_DAY * electricity_price


def token_revenue(
    input_hit: Any,
    input_miss: Any,
    output: Any,
    price_input_hit: Any,
    price_input_miss: Any,
    price_output: Any,
) -> Any:
    """Tokens billed per day at prices per million tokens.

    Examples
    --------
    >>> token_revenue(1e6, 2e6, 1e6, 0.1, 0.5, 2.0)
    3.1
    """
    return (
        input_hit * price_input_hit + input_miss * price_input_miss + output * price_output
    ) / 1e6
