"""The report sections of a joint fit of several markets: "Markets compared", and one per market.

A fit of several markets, partially pooled or not pooled (a bare ``tokendemand run`` fits every
bundled series), projects each market under the baseline scenario (the fit's posterior)
(:func:`market_projections`) and compares, per market: when agent tokens reach chatbot tokens,
how many times daily tokens grow from the reference date to the horizon, and the agent share of
tokens at the horizon (:func:`markets_table`). Each market then has a section of its own: its
figures, those answers in a sentence and its fan chart (:func:`market_sections`). The rest of
the report details one market under every scenario.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from tokendemand.dates import iso
from tokendemand.observations import observed_levels
from tokendemand.report.answers import crossing_date
from tokendemand.report.document import FigureBlock, Paragraph, Section, TableBlock
from tokendemand.report.figures import ReportFigure, new_figure, save_figure, sources
from tokendemand.report.tables import Table

if TYPE_CHECKING:
    from tokendemand.fitting import FitResult
    from tokendemand.projection import Projection

__all__ = [
    "NO_VOLUMES",
    "market_figures",
    "market_projections",
    "market_sections",
    "markets_section",
    "markets_table",
]

NO_VOLUMES: Final = "none (no volume figures)"
"""The reference series of a market whose figures are agent evidence only: its row rests on that
evidence, the population of markets and the priors."""


def market_projections(
    fit: FitResult, start: pd.Timestamp, horizon: pd.Timestamp, freq: str = "7D"
) -> dict[str, Projection]:
    """Every market of ``fit`` projected under its posterior (the baseline scenario).

    Parameters
    ----------
    fit
        A fitted result (any number of markets).
    start, horizon
        First and last projected dates.
    freq
        Grid of the projections.
    """
    from tokendemand.projection import project

    return {
        market: project(fit, until=horizon, start=start, freq=freq, market=market)
        for market in fit.markets
    }


def markets_table(
    fit: FitResult,
    projections: Mapping[str, Projection],
    start: pd.Timestamp,
    horizon: pd.Timestamp,
    threshold: float = 5.0,
) -> Table:
    """Break-even, growth multiplier and agent share of every market of ``fit``.

    Parameters
    ----------
    fit
        A fitted result (any number of markets).
    projections
        Each market's projection (:func:`market_projections`).
    start
        First projected date (break-even dates before it read "by <start>").
    horizon
        End of the projections: the multiplier runs from the reference date to it and the agent
        share is read on it.
    threshold
        Growth multiple whose probability is reported.
    """
    rows = []
    for market in fit.markets:
        projection = projections[market]
        scenario = str(projection.dataset["scenario"].values[0])
        crossing = projection.break_even()
        dates = crossing.to_frame((0.05, 0.5, 0.95)).loc[scenario]
        multiplier = projection.multiplier(fit.reference_date, horizon).sel(scenario=scenario)
        share = projection.at(horizon)["agent_share"].sel(scenario=scenario).values.ravel()
        rows.append(
            {
                "market": market,
                "reference_series": fit.design.reference_series.get(market, NO_VOLUMES),
                "figures": len(fit.observations.filter(market=market)),
                "break_even_q05": dates["q05"],
                "break_even_median": dates["q50"],
                "break_even_q95": dates["q95"],
                "p_break_even_by_horizon": float(crossing.prob_before(horizon).loc[scenario]),
                "multiplier_q05": float(np.quantile(multiplier.values, 0.05)),
                "multiplier_median": float(np.median(multiplier.values)),
                "multiplier_q95": float(np.quantile(multiplier.values, 0.95)),
                f"p_multiplier_above_{threshold:g}": float((multiplier.values > threshold).mean()),
                "agent_share_median": float(np.median(share)),
                "agent_share_q05": float(np.quantile(share, 0.05)),
                "agent_share_q95": float(np.quantile(share, 0.95)),
            }
        )
    raw = pd.DataFrame(rows)

    def when(value: object) -> str:
        return crossing_date(value, start, horizon)

    def interval(stem: str, show: Callable[[Any], str]) -> list[str]:
        """``median (q05 to q95)`` of the columns ``<stem>_median``, ``_q05``, ``_q95``."""
        columns = (raw[f"{stem}_median"], raw[f"{stem}_q05"], raw[f"{stem}_q95"])
        return [f"{show(m)} ({show(lo)} to {show(hi)})" for m, lo, hi in zip(*columns, strict=True)]

    def percent(column: str) -> list[str]:
        return [f"{p:.0%}" for p in raw[column]]

    shown = pd.DataFrame(
        {
            "market": raw["market"],
            "reference series": raw["reference_series"],
            "figures": raw["figures"],
            "break-even (median, 90%)": interval("break_even", when),
            f"P(break-even by {iso(horizon)})": percent("p_break_even_by_horizon"),
            f"multiplier {iso(fit.reference_date)} to {iso(horizon)} (median, 90%)": interval(
                "multiplier", lambda x: f"{x:.3g}x"
            ),
            f"P(multiplier > {threshold:g})": percent(f"p_multiplier_above_{threshold:g}"),
            f"agent share on {iso(horizon)} (median, 90%)": interval(
                "agent_share", lambda x: f"{x:.0%}"
            ),
        }
    )
    return Table(
        "markets",
        "Markets compared",
        "Each market of the joint fit projected under its posterior (baseline scenario): the "
        "date agent tokens reach chatbot tokens, the growth multiple of daily tokens from the "
        "reference date to the horizon, and the agent share of tokens at the horizon.",
        raw,
        shown,
    )


def markets_section(table: Table, projected: str, pooling: str = "partial") -> Section:
    """The section around :func:`markets_table`; ``projected`` is the market detailed below,
    ``pooling`` the fit's (``partial`` or ``none``: under ``complete`` there is no section)."""
    how = (
        "partially pooled, each market has its own chatbot intensity, ρ and penetration curve, "
        "and each mature series its own user growth, drawn from population distributions "
        "learned across them"
        if pooling == "partial"
        else "not pooled, each market has its own levers with their own priors"
    )
    return Section(
        "Markets compared",
        "markets",
        (
            Paragraph(
                f"The fit learns every market together: {how}. A market without volume figures "
                f"(reference series '{NO_VOLUMES}') is known through its agent evidence"
                + (", the population of markets" if pooling == "partial" else "")
                + f" and the priors alone. The other sections detail {projected}."
            ),
            TableBlock(table),
        ),
    )


def _slug(market: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in market.lower())


def market_figures(
    fit: FitResult,
    projections: Mapping[str, Projection],
    folder: Path,
    progress: Callable[[str], None] | None = None,
) -> list[ReportFigure]:
    """A fan chart per market (``market_<name>``), saved in ``folder``."""
    from tokendemand import plotting

    out = []
    for market, projection in projections.items():
        series = fit.design.reference_series.get(market)
        drawn = observed_levels(fit.observations, market, series)
        # the legend sits below the axes: a line per source and per note of what is not drawn
        lines = drawn.frame["source"].nunique() + len(drawn.notes)
        figure, axes = new_figure(7.5, 4.0 + 0.22 * lines)
        scenario = str(projection.dataset["scenario"].values[0])
        plotting.fan_chart(projection, fit, scenario=scenario, ax=axes[0, 0])
        name = f"market_{_slug(market)}"
        png = save_figure(figure, folder, name)
        caption = (
            f"Median, 50% and 90% intervals of {market}'s daily tokens under its posterior, "
            f"from {iso(projection.dates[0])} to {iso(projection.dates[-1])}, with its "
            "published figures in tokens/day. " + sources(fit, market)
        )
        out.append(
            ReportFigure(name, f"{market}: daily tokens", caption, png, figure.get_figwidth())
        )
        if progress is not None:
            progress(name)
    return out


def market_sections(
    fit: FitResult,
    table: Table,
    figures: Sequence[ReportFigure],
    start: pd.Timestamp,
    horizon: pd.Timestamp,
    threshold: float,
) -> list[Section]:
    """One section per market: its figures, its row of ``table`` in words and its fan chart.

    ``table`` is :func:`markets_table`'s and ``figures`` :func:`market_figures`'; ``start``,
    ``horizon`` and ``threshold`` are those :func:`markets_table` was given.
    """
    by_name = {f.name: f for f in figures}
    sections = []
    for row in table.raw.to_dict("records"):
        market = str(row["market"])
        kinds = fit.observations.filter(market=market)
        counted = pd.Series([o.kind for o in kinds]).value_counts()
        what = ", ".join(f"{n} {kind}" for kind, n in counted.items())

        def when(value: object) -> str:
            return crossing_date(value, start, horizon)

        text = (
            f"{market}: {row['figures']} figures ({what}); reference series "
            f"{row['reference_series']}. Under its posterior, agent tokens reach chatbot tokens "
            f"{when(row['break_even_median'])} (median; 90% {when(row['break_even_q05'])} to "
            f"{when(row['break_even_q95'])}); daily tokens grow ×{row['multiplier_median']:.3g} "
            f"from {iso(fit.reference_date)} to {iso(horizon)} (90% "
            f"×{row['multiplier_q05']:.3g} to ×{row['multiplier_q95']:.3g}; P(more than "
            f"×{threshold:g}) = {row[f'p_multiplier_above_{threshold:g}']:.0%}); agents hold "
            f"{row['agent_share_median']:.0%} of tokens on {iso(horizon)} (90% "
            f"{row['agent_share_q05']:.0%} to {row['agent_share_q95']:.0%})."
        )
        blocks: list[Any] = [Paragraph(text)]
        figure = by_name.get(f"market_{_slug(market)}")
        if figure is not None:
            blocks.append(FigureBlock(figure))
        sections.append(Section(f"Market: {market}", f"market-{_slug(market)}", tuple(blocks)))
    return sections
