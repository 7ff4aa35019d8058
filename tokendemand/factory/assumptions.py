"""FactoryAssumptions: what turns tokens into GPUs, megawatts and money, typed and cited.

Each numeric field is a number or a prior (:mod:`tokendemand.priors`); a prior is sampled once
per draw by :func:`~tokendemand.factory.economics.economics`. Every default is computed from
rows of the bundled figures (:func:`~tokendemand.factory.figures.figures`), and each field's
metadata names those rows (``items``) and says how they combine (``source``):
``FactoryAssumptions().table()`` lists them. Money inputs are in USD; results are converted to
``currency`` at ``exchange_rate`` (units of ``currency`` per USD).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from tokendemand.errors import ConfigError
from tokendemand.factory._defaults import (
    HARDWARE_FIELDS,
    PATH_NOTE,
    R1_NOTE,
    deepseek_path,
    h800,
    meta,
)
from tokendemand.factory._validation import BOUNDS, check, point
from tokendemand.factory.figures import figure
from tokendemand.factory.hardware import preset_hardware
from tokendemand.factory.paths import PricePath
from tokendemand.priors import Fixed, Prior

__all__ = ["FactoryAssumptions", "Value"]

Value = float | Prior
"""A number, or a prior sampled once per draw."""


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
        metadata=meta(
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
        metadata=meta(
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
        default_factory=h800("output_tokens_per_second"),
        metadata=meta(
            "output tokens/s per GPU",
            ("deepseek_prod_decode_per_h800_node",),
            "DeepSeek's decode throughput per H800 node / 8",
        ),
    )
    input_tokens_per_second_per_gpu: Value | None = field(
        default_factory=h800("input_tokens_per_second"),
        metadata=meta(
            "input tokens/s per GPU",
            ("deepseek_prod_prefill_per_h800_node",),
            "DeepSeek's prefill throughput per H800 node / 8 (None: decode GPUs only)",
        ),
    )
    user_tokens_per_second: float | None = field(
        default_factory=h800("user_tokens_per_second"),
        metadata=meta(
            "output tokens/s per user",
            ("deepseek_prod_decode_per_h800_node",),
            "the per-user speed the throughput was measured at (20-22 tok/s); stated, not used",
        ),
    )
    utilization: Value = field(
        default_factory=lambda: (
            figure("deepseek_prod_avg_nodes") / figure("deepseek_prod_peak_nodes")
        ),
        metadata=meta(
            "average / peak",
            ("deepseek_prod_avg_nodes", "deepseek_prod_peak_nodes"),
            "DeepSeek's average over peak node occupancy in one day (226.75 of 278)",
        ),
    )
    kw_per_gpu: Value = field(
        default_factory=h800("kw_per_gpu"),
        metadata=meta(
            "kW per GPU, all-in", ("dgx_h100_system_power",), "DGX H100 server maximum / 8 GPUs"
        ),
    )
    pue: Value = field(
        default_factory=lambda: figure("china_target_new_large_dc_pue_2025"),
        metadata=meta(
            "PUE",
            ("china_target_new_large_dc_pue_2025",),
            "target PUE of new large data centres in China by 2025",
        ),
    )
    electricity_price: Value = field(
        default_factory=lambda: figure("china_avg_industrial_power_rate_2024"),
        metadata=meta(
            "USD per kWh",
            ("china_avg_industrial_power_rate_2024",),
            "China's average industrial power rate, 2024",
        ),
    )
    gpu_hour_price: Value = field(
        default_factory=h800("gpu_hour_price"),
        metadata=meta(
            "USD per GPU-hour", ("deepseek_assumed_h800_lease",), "DeepSeek's H800 lease assumption"
        ),
    )
    price_input_hit: Value = field(
        default_factory=lambda: figure("deepseek_r1_input_hit"),
        metadata=meta(
            "USD per 1M tokens", ("deepseek_r1_input_hit",), R1_NOTE + ", input cache hit"
        ),
    )
    price_input_miss: Value = field(
        default_factory=lambda: figure("deepseek_r1_input_miss"),
        metadata=meta(
            "USD per 1M tokens", ("deepseek_r1_input_miss",), R1_NOTE + ", input cache miss"
        ),
    )
    price_output: Value = field(
        default_factory=lambda: figure("deepseek_r1_standard_output"),
        metadata=meta("USD per 1M tokens", ("deepseek_r1_standard_output",), R1_NOTE + ", output"),
    )
    path_input_hit: PricePath = field(
        default_factory=deepseek_path("input_hit"),
        metadata=meta(
            "x price_input_hit",
            ("deepseek_r1_input_hit", "deepseek_v31_input_hit", "deepseek_v32_input_hit"),
            PATH_NOTE,
        ),
    )
    path_input_miss: PricePath = field(
        default_factory=deepseek_path("input_miss"),
        metadata=meta(
            "x price_input_miss",
            ("deepseek_r1_input_miss", "deepseek_v31_input_miss", "deepseek_v32_input_miss"),
            PATH_NOTE,
        ),
    )
    path_output: PricePath = field(
        default_factory=deepseek_path("output"),
        metadata=meta(
            "x price_output",
            ("deepseek_r1_standard_output", "deepseek_v31_output", "deepseek_v32_output"),
            PATH_NOTE,
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
                "(e.g. CNY: tokendemand.factory.cny_per_usd())"
            )
        if problems:
            raise ConfigError("invalid FactoryAssumptions:\n  " + "\n  ".join(problems))

    def _fill_from_preset(self) -> None:
        """Hardware fields still at the H800 defaults take the ``hardware`` preset's values."""
        chosen, h800 = preset_hardware(self.hardware), preset_hardware("h800")
        object.__setattr__(self, "hardware", chosen.name)
        if chosen is h800:
            return
        for name, attribute in HARDWARE_FIELDS.items():
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
            A name of :func:`~tokendemand.factory.hardware.hardware_presets`.
        **changes
            Further fields to replace.
        """
        chosen = preset_hardware(hardware)
        values = {name: getattr(chosen, attr) for name, attr in HARDWARE_FIELDS.items()}
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
            attribute = HARDWARE_FIELDS.get(f.name)
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
