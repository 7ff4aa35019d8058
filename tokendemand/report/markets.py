"""The report section "Markets compared": one row per market of a joint fit.

A fit of several markets, partially pooled or not pooled (``tokendemand run --dataset all`` fits
every bundled series), projects each market under the baseline scenario (the fit's posterior) and
compares, per market: when agent tokens reach chatbot tokens, how many times daily tokens grow
from the reference date to the horizon, and the agent share of tokens at the horizon. The rest of
the report details one market.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from tokendemand.dates import iso
from tokendemand.report.answers import crossing_date
from tokendemand.report.document import Paragraph, Section, TableBlock
from tokendemand.report.tables import Table

if TYPE_CHECKING:
    from tokendemand.fitting import FitResult

__all__ = ["NO_VOLUMES", "markets_section", "markets_table"]

NO_VOLUMES: Final = "none (no volume figures)"
"""The reference series of a market whose figures are agent evidence only: its row rests on that
evidence, the population of markets and the priors."""


def markets_table(
    fit: FitResult,
    start: pd.Timestamp,
    horizon: pd.Timestamp,
    threshold: float = 5.0,
    freq: str = "7D",
) -> Table:
    """Break-even, growth multiplier and agent share of every market of ``fit``.

    Parameters
    ----------
    fit
        A fitted result (any number of markets).
    start
        First projected date (break-even dates before it read "by <start>").
    horizon
        End of the projections: the multiplier runs from the reference date to it and the agent
        share is read on it.
    threshold
        Growth multiple whose probability is reported.
    freq
        Grid of the projections.
    """
    from tokendemand.projection import project

    rows = []
    for market in fit.markets:
        projection = project(fit, until=horizon, start=start, freq=freq, market=market)
        scenario = str(projection.dataset["scenario"].values[0])
        crossing = projection.break_even()
        dates = crossing.to_frame((0.05, 0.5, 0.95)).loc[scenario]
        multiplier = projection.multiplier(fit.reference_date, horizon).sel(scenario=scenario)
        share = projection.at(horizon)["agent_share"].sel(scenario=scenario).values.ravel()
        rows.append(
            {
                "market": market,
                "reference_series": fit.design.reference_series.get(market, NO_VOLUMES),
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
