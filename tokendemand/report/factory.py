"""The report section "What the demand means for token factories".

The projection's daily tokens become GPUs, megawatts and money through
:func:`tokendemand.factory.economics` under one set of
:class:`~tokendemand.factory.FactoryAssumptions` (their priors sampled once per posterior draw),
and the section shows capacity and money as medians with 90% intervals, two figures and the
assumptions with their sources.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from tokendemand.dates import iso
from tokendemand.factory import FactoryAssumptions, TokenFactory, economics, report_tables
from tokendemand.report.document import Block, FigureBlock, Paragraph, Section, TableBlock
from tokendemand.report.figures import ReportFigure, save_figure
from tokendemand.report.tables import Table
from tokendemand.units import format_tokens

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from tokendemand.projection import Projection

__all__ = ["FACTORY_TABLES", "factory_figures", "factory_section", "factory_tables", "run_factory"]

FACTORY_TABLES = ("factory_capacity", "factory_money", "factory_assumptions")
"""Stems of the section's tables (``tables/<stem>.csv``)."""

_LARGE = {"gpus", "token_revenue", "rental_revenue", "serving_cost", "margin"}


def run_factory(
    projection: Projection, assumptions: FactoryAssumptions | None, random_seed: int | None
) -> TokenFactory:
    """The token-factory economics of ``projection`` (default assumptions when ``None``)."""
    return economics(projection, assumptions, random_seed=random_seed)


def _number(variable: str, value: float) -> str:
    if variable in _LARGE:
        return format_tokens(value)
    return f"{value:.3g}"


def _summary_table(name: str, title: str, caption: str, frame: pd.DataFrame) -> Table:
    shown = pd.DataFrame(
        {
            **({"scenario": frame["scenario"]} if "scenario" in frame else {}),
            "date": [iso(pd.Timestamp(d)) for d in frame["date"]],
            "quantity": frame["variable"],
            "unit": frame["unit"],
            "median": [
                _number(v, x) for v, x in zip(frame["variable"], frame["median"], strict=True)
            ],
            "90% interval": [
                f"{_number(v, lo)} to {_number(v, hi)}"
                for v, lo, hi in zip(frame["variable"], frame["low"], frame["high"], strict=True)
            ],
        }
    )
    return Table(name, title, caption, frame, shown)


def factory_tables(factory: TokenFactory) -> dict[str, Table]:
    """The section's tables, by stem."""
    frames = report_tables(factory)
    assumptions = pd.DataFrame(frames["assumptions"])
    return {
        "factory_capacity": _summary_table(
            "factory_capacity",
            "Capacity: GPUs, megawatts, energy",
            "Medians and 90% intervals over posterior draws (and the assumptions' priors) of "
            "the GPUs that serve the projected tokens, the IT and facility power, and the "
            "energy a year at that draw.",
            frames["capacity"],
        ),
        "factory_money": _summary_table(
            "factory_money",
            "Money: per-token billing against renting the same fleet",
            "Token revenue bills the tokens served at per-token prices; rental revenue prices "
            "the same fleet at the GPU-hour rate; their ratio is the revenue_ratio row. Per "
            f"day, in {factory.assumptions.currency}.",
            frames["money"],
        ),
        "factory_assumptions": Table(
            "factory_assumptions",
            "Token-factory assumptions and their sources",
            "Each assumption, its value or prior, and the rows of the bundled figures it "
            "comes from (tokendemand.factory.figures()).",
            assumptions,
            assumptions.astype(str),
        ),
    }


def factory_figures(
    factory: TokenFactory,
    folder: Path,
    scenario: str,
    progress: Callable[[str], None] | None = None,
) -> list[ReportFigure]:
    """The section's two figures, saved into ``folder``."""
    from matplotlib import pyplot as plt

    from tokendemand import plotting

    out: list[ReportFigure] = []
    source = (
        "Source: tokendemand projection through the token-factory assumptions (see the "
        "assumptions table)."
    )
    drawers: tuple[tuple[str, str, str, Callable[[], Figure]], ...] = (
        (
            "factory_capacity",
            "GPUs and facility megawatts",
            f"Median and 90% interval of the GPUs and the facility power that serve the "
            f"'{scenario}' scenario's daily tokens. " + source,
            lambda: plotting.capacity_fan(factory, scenario=scenario),
        ),
        (
            "factory_revenue",
            "Token revenue against rental revenue",
            f"Per-token billing of the '{scenario}' scenario's tokens against renting the same "
            "fleet by the GPU-hour (medians and 90% intervals). " + source,
            lambda: plotting.revenue_comparison(factory, scenario=scenario),
        ),
    )
    for name, title, caption, draw in drawers:
        figure = draw()
        png = save_figure(figure, folder, name)
        out.append(ReportFigure(name, title, caption, png, float(figure.get_figwidth())))
        plt.close(figure)
        if progress is not None:
            progress(name)
    return out


def factory_section(tables: dict[str, Table], figures: list[ReportFigure]) -> Section:
    """The section, in report order: capacity, money, then the assumptions."""
    figure = {f.name: FigureBlock(f) for f in figures}
    blocks: list[Block] = [
        Paragraph(
            "What serving the projected tokens takes and earns, per scenario: GPUs from the "
            "output (decode) and input (prefill) throughput per GPU at the stated utilization, "
            "megawatts from the power per GPU and the PUE, and money two ways: billing the "
            "tokens at per-token prices, or renting the same fleet by the GPU-hour."
        ),
        figure["factory_capacity"],
        TableBlock(tables["factory_capacity"]),
        figure["factory_revenue"],
        TableBlock(tables["factory_money"]),
        TableBlock(tables["factory_assumptions"]),
    ]
    return Section("What the demand means for token factories", "factory", tuple(blocks))
