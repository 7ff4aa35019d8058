"""Checks of FactoryAssumptions' values: each problem is one line of text."""

from __future__ import annotations

import math
from typing import Any

from tokendemand.errors import ConfigError
from tokendemand.factory.hardware import preset_hardware
from tokendemand.factory.paths import PricePath
from tokendemand.priors import Fixed, Prior

__all__ = ["BOUNDS", "check", "point"]

INF = math.inf
# field: (low, high, low included, high included)
BOUNDS: dict[str, tuple[float, float, bool, bool]] = {
    "output_share": (0.0, 1.0, False, False),
    "cache_hit_share": (0.0, 1.0, True, True),
    "tokens_per_second_per_gpu": (0.0, INF, False, False),
    "input_tokens_per_second_per_gpu": (0.0, INF, False, False),
    "utilization": (0.0, 1.0, False, True),
    "kw_per_gpu": (0.0, INF, False, False),
    "pue": (1.0, INF, True, False),
    "electricity_price": (0.0, INF, True, False),
    "gpu_hour_price": (0.0, INF, True, False),
    "price_input_hit": (0.0, INF, True, False),
    "price_input_miss": (0.0, INF, True, False),
    "price_output": (0.0, INF, True, False),
    "exchange_rate": (0.0, INF, False, False),
}


def point(value: Any) -> float | None:
    if isinstance(value, Fixed):
        return float(value.value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def check(name: str, value: Any) -> list[str]:
    if name in ("hardware", "currency"):
        if name == "hardware":
            try:
                preset_hardware(value)
            except ConfigError as error:
                return [f"hardware: {error}"]
            return []
        ok = isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper()
        return [] if ok else [f"currency: give an ISO code such as 'USD' or 'CNY', got {value!r}"]
    if name.startswith("path_"):
        return (
            [] if isinstance(value, PricePath) else [f"{name}: expected a PricePath, got {value!r}"]
        )
    if name == "energy_in_serving_cost":
        return [] if isinstance(value, bool) else [f"{name}: expected True or False, got {value!r}"]
    if name == "user_tokens_per_second" or (name == "input_tokens_per_second_per_gpu"):
        if value is None:
            return []
        if name == "user_tokens_per_second":
            ok = point(value) is not None and math.isfinite(value) and value > 0
            return [] if ok else [f"{name}: expected a positive number or None, got {value!r}"]
    return _check_value(name, value)


def _check_value(name: str, value: Any) -> list[str]:
    low, high, low_in, high_in = BOUNDS[name]
    interval = f"{'[' if low_in else '('}{low:g}, {high:g}{']' if high_in else ')'}"
    if isinstance(value, Prior):
        # a prior's values out to 6 standard deviations must stay inside the interval
        ends = [float(value.from_standard(z)) for z in (-6.0, 6.0)]
        what = f"{value.kind} prior (6-sigma range {ends[0]:.3g} to {ends[1]:.3g})"
    elif point(value) is not None:
        ends = [float(value)]
        what = repr(value)
    else:
        return [f"{name}: expected a number or a Prior (Normal, LogNormal, ...), got {value!r}"]
    inside = all(
        math.isfinite(v)
        and (v >= low if low_in else v > low)
        and (v <= high if high_in else v < high)
        for v in ends
    )
    if not inside:
        hint = " (use LogitNormal for a share, LogNormal for a positive quantity)"
        return [
            f"{name}: must lie in {interval}, got {what}"
            + (hint if isinstance(value, Prior) else "")
        ]
    return []
