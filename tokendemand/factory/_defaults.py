"""The defaults of FactoryAssumptions, computed from the bundled rows they cite."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tokendemand.factory.figures import figure, figures
from tokendemand.factory.hardware import preset_hardware
from tokendemand.factory.paths import PricePath

__all__ = ["HARDWARE_FIELDS", "PATH_NOTE", "R1_NOTE", "deepseek_path", "h800", "meta"]

HARDWARE_FIELDS = {
    "tokens_per_second_per_gpu": "output_tokens_per_second",
    "input_tokens_per_second_per_gpu": "input_tokens_per_second",
    "user_tokens_per_second": "user_tokens_per_second",
    "kw_per_gpu": "kw_per_gpu",
    "gpu_hour_price": "gpu_hour_price",
}


def meta(unit: str, items: tuple[str, ...], source: str) -> dict[str, Any]:
    return {"unit": unit, "items": items, "source": source}


def h800(attribute: str) -> Callable[[], Any]:
    return lambda: getattr(preset_hardware("h800"), attribute)


_PATH_ITEMS = {
    stem: (f"deepseek_r1_{stem}", f"deepseek_v31_{stem}", f"deepseek_v32_{stem}")
    for stem in ("input_hit", "input_miss")
} | {"output": ("deepseek_r1_standard_output", "deepseek_v31_output", "deepseek_v32_output")}


def deepseek_path(stem: str) -> Callable[[], PricePath]:
    r1, v31, v32 = _PATH_ITEMS[stem]

    def build() -> PricePath:
        dates = figures()["date"]
        base = figure(r1)
        return PricePath([(dates[item], figure(item) / base) for item in (r1, v31, v32)])

    return build


R1_NOTE = "DeepSeek-R1 list price (Jan 2025)"
PATH_NOTE = (
    "DeepSeek's list prices as multiples of R1's, in steps: V3.1 (2025-09-05), V3.2 "
    "(2025-09-29), flat after: the 2024-25 fall stopped in 2026 (Kimi K2.6 and Doubao Seed 2.1 "
    "raised list prices); give a PricePath for another view"
)
