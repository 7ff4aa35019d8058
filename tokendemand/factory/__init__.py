"""Token-factory economics: what a token demand means in GPUs, megawatts and money.

Tokens per day become GPUs (output tokens / (tok/s per GPU x 86,400 x utilization), plus the
prefill GPUs of the input tokens), megawatts (x kW per GPU x PUE), energy, a serving cost, and
two revenues: the tokens billed at per-token prices, against the same fleet rented out by the
GPU-hour. Assumptions are typed and cited (:class:`FactoryAssumptions`, every default computed
from the bundled figures); each is a number or a prior sampled once per draw, so their
uncertainty joins the demand's.

=============================  ==============================================================
name                           what
=============================  ==============================================================
:class:`FactoryAssumptions`    throughput, power, prices, currency; ``.preset("h20")``
:class:`PricePath`             how a price moves over time (steps, or yearly changes)
:func:`economics`              a Projection or a Series of tokens/day -> :class:`TokenFactory`
:func:`report_tables`          capacity and money tables (medians, 90% intervals), assumptions
:func:`load_assumptions`       FactoryAssumptions from a TOML file
:func:`package_uptake`         packages and revenue implied by a share of the demand
:func:`token_packages`         the bundled China Telecom / China Mobile packages
:func:`hardware_presets`       H800, H100, H20, Ascend 910C, B200
:func:`figures`                the bundled figures with their sources
:mod:`~.formulas`              the closed forms as pure functions
=============================  ==============================================================

Examples
--------
>>> import pandas as pd
>>> from tokendemand import factory as econ
>>> day = pd.Series([1e12], index=pd.DatetimeIndex(["2026-06-30"]))
>>> result = econ.economics(day, econ.FactoryAssumptions.preset("h20"))
>>> sorted(result.dataset.data_vars)[:4]
['energy_cost', 'energy_gwh_per_year', 'facility_mw', 'gpus']
"""

from __future__ import annotations

from tokendemand.factory import formulas
from tokendemand.factory.assumptions import FactoryAssumptions
from tokendemand.factory.config import assumptions_from_dict, load_assumptions
from tokendemand.factory.economics import UNITS, TokenFactory, economics
from tokendemand.factory.figures import figure, figures
from tokendemand.factory.hardware import (
    Hardware,
    cny_per_usd,
    hardware_presets,
    preset_hardware,
)
from tokendemand.factory.packages import TokenPackage, package_uptake, token_packages
from tokendemand.factory.paths import PricePath
from tokendemand.factory.tables import report_tables, summary

__all__ = [
    "UNITS",
    "FactoryAssumptions",
    "Hardware",
    "PricePath",
    "TokenFactory",
    "TokenPackage",
    "assumptions_from_dict",
    "cny_per_usd",
    "economics",
    "figure",
    "figures",
    "formulas",
    "hardware_presets",
    "load_assumptions",
    "package_uptake",
    "preset_hardware",
    "report_tables",
    "summary",
    "token_packages",
]
