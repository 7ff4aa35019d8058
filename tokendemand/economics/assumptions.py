"""FactoryAssumptions: what turns tokens into GPUs, megawatts and money, typed and cited.

Each numeric field is a number or a prior (:mod:`tokendemand.priors`); a prior is sampled once
per draw by :func:`~tokendemand.economics.factory.economics`. Every default is computed from
rows of the bundled figures (:func:`~tokendemand.economics.figures.figures`), and each field's
metadata names those rows (``items``) and says how they combine (``source``):
``FactoryAssumptions().table()`` lists them. Money inputs are in USD; results are converted to
``currency`` at ``exchange_rate`` (units of ``currency`` per USD).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from tokendemand.economics._validation import BOUNDS, check, point
from tokendemand.economics.figures import figure
from tokendemand.economics.hardware import preset_hardware
from tokendemand.economics.paths import PricePath
from tokendemand.errors import ConfigError
from tokendemand.priors import Fixed, Prior

__all__ = ["FactoryAssumptions", "Value"]

Value = float | Prior
"""A number, or a prior sampled once per draw."""

_HARDWARE_FIELDS = {
    "tokens_per_second_per_gpu": "output_tokens_per_second",
    "input_tokens_per_second_per_gpu": "input_tokens_per_second",
    "user_tokens_per_second": "user_tokens_per_second",
    "kw_per_gpu": "kw_per_gpu",
    "gpu_hour_price": "gpu_hour_price",
}


def _meta(unit: str, items: tuple[str, ...], source: str) -> dict[str, Any]:
    return {"unit": unit, "items": items, "source": source}


def _h800(attribute: str) -> Callable[[], Any]:
    return lambda: getattr(preset_hardware("h800"), attribute)


_PATH_ITEMS = {
    stem: (f"deepseek_r1_{stem}", f"deepseek_v31_{stem}", f"deepseek_v32_{stem}")
    for stem in ("input_hit", "input_miss")
} | {"output": ("deepseek_r1_standard_output", "deepseek_v31_output", "deepseek_v32_output")}


def _deepseek_path(stem: str) -> Callable[[], PricePath]:
    r1, v31, v32 = _PATH_ITEMS[stem]

    def build() -> PricePath:
        base = figure(r1)
        return PricePath(
            [
                ("2025-01-20", 1.0),
                ("2025-09-05", figure(v31) / base),
                ("2025-09-29", figure(v32) / base),
            ]
        )

    return build


_R1 = "DeepSeek-R1 list price (Jan 2025)"
_PATH = (
    "DeepSeek's list prices as multiples of R1's, in steps: V3.1 (2025-09-05), V3.2 "
    "(2025-09-29), flat after: the 2024-25 fall stopped in 2026 (Kimi K2.6 and Doubao Seed 2.1 "
    "raised list prices); give a PricePath for another view"
)


@dataclass(frozen=True)
class FactoryAssumptions:
    """Assumptions of a token factory: throughput, power, prices (numbers or priors).

    Build with keywords, :meth:`preset` (a hardware preset) or :meth:`replace`; every invalid
    value is reported in one :class:`~tokendemand.errors.ConfigError`. ``hardware="h20"``
    gives the hardware fields left at their (H800) defaults the preset's values, so it equals
    ``FactoryAssumptions.preset("h20")``.

    Examples
    --------
    >>> a = FactoryAssumptions()
    >>> a.tokens_per_second_per_gpu, a.user_tokens_per_second, a.cache_hit_share
    (1850.0, 21.0, 0.563)
    >>> FactoryAssumptions(hardware="h20") == FactoryAssumptions.preset("h20")
    True
    >>> FactoryAssumptions.source("pue")
    'target PUE of new large data centres in China by 2025'
    """

    output_share: Value = field(
        default_factory=lambda: (
            figure("deepseek_all_surfaces_daily_output_tokens")
            / (
                figure("deepseek_all_surfaces_daily_output_tokens")
                + figure("deepseek_all_surfaces_daily_input_tokens")
            )
        ),
        metadata=_meta(
            "share of tokens",
            (
                "deepseek_all_surfaces_daily_output_tokens",
                "deepseek_all_surfaces_daily_input_tokens",
            ),
            "DeepSeek's output tokens over input + output in one day (168B of 776B)",
        ),
    )
    cache_hit_share: Value = field(
        default_factory=lambda: figure("deepseek_prod_input_cache_hit_share"),
        metadata=_meta(
            "share of input tokens",
            ("deepseek_prod_input_cache_hit_share",),
            "DeepSeek's input tokens served from its on-disk KV cache",
        ),
    )
    hardware: str = field(
        default="h800",
        metadata={"unit": "preset", "items": (), "source": "the preset the next 5 fields match"},
    )
    tokens_per_second_per_gpu: Value = field(
        default_factory=_h800("output_tokens_per_second"),
        metadata=_meta(
            "output tokens/s per GPU",
            ("deepseek_prod_decode_per_h800_node",),
            "DeepSeek's decode throughput per H800 node / 8",
        ),
    )
    input_tokens_per_second_per_gpu: Value | None = field(
        default_factory=_h800("input_tokens_per_second"),
        metadata=_meta(
            "input tokens/s per GPU",
            ("deepseek_prod_prefill_per_h800_node",),
            "DeepSeek's prefill throughput per H800 node / 8 (None: decode GPUs only)",
        ),
    )
    user_tokens_per_second: float | None = field(
        default_factory=_h800("user_tokens_per_second"),
        metadata=_meta(
            "output tokens/s per user",
            ("deepseek_prod_decode_per_h800_node",),
            "the per-user speed the throughput was measured at (20-22 tok/s); stated, not used",
        ),
    )
    utilization: Value = field(
        default_factory=lambda: (
            figure("deepseek_prod_avg_nodes") / figure("deepseek_prod_peak_nodes")
        ),
        metadata=_meta(
            "average / peak",
            ("deepseek_prod_avg_nodes", "deepseek_prod_peak_nodes"),
            "DeepSeek's average over peak node occupancy in one day (226.75 of 278)",
        ),
    )
    kw_per_gpu: Value = field(
        default_factory=_h800("kw_per_gpu"),
        metadata=_meta(
            "kW per GPU, all-in", ("dgx_h100_system_power",), "DGX H100 server maximum / 8 GPUs"
        ),
    )
    pue: Value = field(
        default_factory=lambda: figure("china_target_new_large_dc_pue_2025"),
        metadata=_meta(
            "PUE",
            ("china_target_new_large_dc_pue_2025",),
            "target PUE of new large data centres in China by 2025",
        ),
    )
    electricity_price: Value = field(
        default_factory=lambda: figure("china_avg_industrial_power_rate_2024"),
        metadata=_meta(
            "USD per kWh",
            ("china_avg_industrial_power_rate_2024",),
            "China's average industrial power rate, 2024",
        ),
    )
    gpu_hour_price: Value = field(
        default_factory=_h800("gpu_hour_price"),
        metadata=_meta(
            "USD per GPU-hour", ("deepseek_assumed_h800_lease",), "DeepSeek's H800 lease assumption"
        ),
    )
    price_input_hit: Value = field(
        default_factory=lambda: figure("deepseek_r1_input_hit"),
        metadata=_meta("USD per 1M tokens", ("deepseek_r1_input_hit",), _R1 + ", input cache hit"),
    )
    price_input_miss: Value = field(
        default_factory=lambda: figure("deepseek_r1_input_miss"),
        metadata=_meta(
            "USD per 1M tokens", ("deepseek_r1_input_miss",), _R1 + ", input cache miss"
        ),
    )
    price_output: Value = field(
        default_factory=lambda: figure("deepseek_r1_standard_output"),
        metadata=_meta("USD per 1M tokens", ("deepseek_r1_standard_output",), _R1 + ", output"),
    )
    path_input_hit: PricePath = field(
        default_factory=_deepseek_path("input_hit"),
        metadata=_meta(
            "x price_input_hit",
            ("deepseek_r1_input_hit", "deepseek_v31_input_hit", "deepseek_v32_input_hit"),
            _PATH,
        ),
    )
    path_input_miss: PricePath = field(
        default_factory=_deepseek_path("input_miss"),
        metadata=_meta(
            "x price_input_miss",
            ("deepseek_r1_input_miss", "deepseek_v31_input_miss", "deepseek_v32_input_miss"),
            _PATH,
        ),
    )
    path_output: PricePath = field(
        default_factory=_deepseek_path("output"),
        metadata=_meta(
            "x price_output",
            ("deepseek_r1_standard_output", "deepseek_v31_output", "deepseek_v32_output"),
            _PATH,
        ),
    )
    currency: str = field(
        default="USD",
        metadata={"unit": "ISO code", "items": (), "source": "currency of money results"},
    )
    exchange_rate: Value = field(
        default=1.0,
        metadata={
            "unit": "currency per USD",
            "items": ("deepseek_r1_output_cny", "deepseek_r1_standard_output"),
            "source": "1 for USD; for CNY e.g. hardware.cny_per_usd() (R1's CNY/USD list prices)",
        },
    )
    energy_in_serving_cost: bool = field(
        default=False,
        metadata={
            "unit": "flag",
            "items": ("deepseek_prod_daily_cost",),
            "source": "False: a GPU lease covers the power, as in DeepSeek's cost figure",
        },
    )

    def __post_init__(self) -> None:
        problems = [p for f in fields(self) for p in check(f.name, getattr(self, f.name))]
        if not problems or not any(p.startswith("hardware:") for p in problems):
            self._fill_from_preset()
        if self.currency == "USD" and point(self.exchange_rate) != 1.0:
            problems.append(
                f"exchange_rate: must be 1 for currency USD, got {self.exchange_rate!r}"
            )
        if isinstance(self.currency, str) and self.currency != "USD" and self.exchange_rate == 1.0:
            problems.append(
                f"exchange_rate: give {self.currency} per USD for currency {self.currency} "
                "(e.g. CNY: tokendemand.economics.cny_per_usd())"
            )
        if problems:
            raise ConfigError("invalid FactoryAssumptions:\n  " + "\n  ".join(problems))

    def _fill_from_preset(self) -> None:
        """Hardware fields still at the H800 defaults take the ``hardware`` preset's values."""
        chosen, h800 = preset_hardware(self.hardware), preset_hardware("h800")
        object.__setattr__(self, "hardware", chosen.name)
        if chosen is h800:
            return
        for name, attribute in _HARDWARE_FIELDS.items():
            value = getattr(self, name)
            if isinstance(value, int | float | None) and value == getattr(h800, attribute):
                object.__setattr__(self, name, getattr(chosen, attribute))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every field name, in order."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def source(cls, name: str) -> str:
        """How the default of field ``name`` is computed from the bundled rows."""
        return str(cls._field(name).metadata["source"])

    @classmethod
    def items(cls, name: str) -> tuple[str, ...]:
        """The bundled rows (``item`` names) behind the default of field ``name``."""
        return tuple(cls._field(name).metadata["items"])

    @classmethod
    def _field(cls, name: str) -> Any:
        for f in fields(cls):
            if f.name == name:
                return f
        raise ConfigError(f"FactoryAssumptions has no field {name!r}; fields: {cls.names()}")

    @classmethod
    def preset(cls, hardware: str, **changes: Any) -> FactoryAssumptions:
        """Defaults with the throughput, power and rental price of a hardware preset.

        Parameters
        ----------
        hardware
            A name of :func:`~tokendemand.economics.hardware.hardware_presets`.
        **changes
            Further fields to replace.
        """
        chosen = preset_hardware(hardware)
        values = {name: getattr(chosen, attr) for name, attr in _HARDWARE_FIELDS.items()}
        return cls().replace(hardware=chosen.name, **{**values, **changes})

    def replace(self, **changes: Any) -> FactoryAssumptions:
        """A copy with some fields replaced; unknown names are an error listing the fields."""
        unknown = sorted(set(changes) - set(self.names()))
        if unknown:
            raise ConfigError(
                f"FactoryAssumptions has no field {', '.join(map(repr, unknown))}; fields are: "
                f"{', '.join(self.names())}"
            )
        return replace(self, **changes)

    def draws(self, draws: int, random_seed: int | None = None) -> dict[str, np.ndarray[Any, Any]]:
        """``draws`` values of every numeric field (a prior sampled, a number repeated).

        Fields are sampled in field order from one generator seeded with ``random_seed``.
        """
        rng = np.random.default_rng(random_seed)
        out: dict[str, np.ndarray[Any, Any]] = {}
        for name in BOUNDS:
            value = getattr(self, name)
            if value is None:
                continue
            prior = value if isinstance(value, Prior) else Fixed(float(value))
            out[name] = prior.sample(rng, draws)
        return out

    @property
    def sampled(self) -> tuple[str, ...]:
        """Names of the fields given as (sampled) priors."""
        return tuple(
            n for n in BOUNDS if isinstance(getattr(self, n), Prior) and getattr(self, n).sampled
        )

    def table(self) -> pd.DataFrame:
        """One row per field: ``field``, ``value``, ``unit``, ``items``, ``source``.

        A default cites its rows; a value of the hardware preset cites the preset's; any other
        value says ``"given"``.
        """
        default = FactoryAssumptions()
        hardware = preset_hardware(self.hardware)
        rows = []
        for f in fields(self):
            value = getattr(self, f.name)
            shown = value.describe() if isinstance(value, Prior | PricePath) else repr(value)
            attribute = _HARDWARE_FIELDS.get(f.name)
            items, source = ", ".join(f.metadata["items"]), str(f.metadata["source"])
            if value == getattr(default, f.name):
                pass
            elif attribute is not None and value == getattr(hardware, attribute):
                items, source = "", f"preset {hardware.name}: {hardware.sources[attribute]}"
            else:
                items, source = "", "given"
            rows.append(
                {
                    "field": f.name,
                    "value": shown,
                    "unit": f.metadata["unit"],
                    "items": items,
                    "source": source,
                }
            )
        return pd.DataFrame(rows)
