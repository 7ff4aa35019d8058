"""The headline answers as tables: when agents reach chatbots, how much demand grows, and
which lever contributes how much (all computed from the projection)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from tokendemand.dates import iso
from tokendemand.plotting.analyses import attribution_factors
from tokendemand.report.tables import Table, fmt_share
from tokendemand.structure import LEVERS

if TYPE_CHECKING:
    from tokendemand.projection import Projection

__all__ = [
    "BREAK_EVEN_QUANTILES",
    "attribution_table",
    "break_even_table",
    "crossing_date",
    "default_horizons",
    "multiplier_table",
]

BREAK_EVEN_QUANTILES: Final = (0.05, 0.25, 0.5, 0.75, 0.95)


def default_horizons(projection: Projection) -> list[pd.Timestamp]:
    """Year-ends 2027, 2028 and 2030, those after the reference date and within the projection."""
    ends = [pd.Timestamp(f"{year}-12-31") for year in (2027, 2028, 2030)]
    last = projection.dates[-1]
    return [d for d in ends if projection.reference_date < d <= last]


def crossing_date(value: Any, start: pd.Timestamp, until: pd.Timestamp) -> str:
    """A break-even date for reading: ``by <start>`` for draws crossed on the first projected
    date (possibly earlier), ``after <until>`` for draws that never cross."""
    if pd.isna(value):
        return f"after {iso(until)}"
    stamp = pd.Timestamp(value)
    return f"by {iso(start)}" if stamp <= start else iso(stamp)


def _quantile_label(q: float) -> str:
    text = f"{100 * q:g}"
    return f"q{'0' if 100 * q < 10 else ''}{text}"


def break_even_table(projection: Projection, horizons: Sequence[pd.Timestamp]) -> Table:
    """Break-even date distribution per scenario and P(before each horizon)."""
    result = projection.break_even()
    frame = result.to_frame(BREAK_EVEN_QUANTILES)
    raw = frame.copy()
    reference = projection.reference_date
    by_reference = (
        result.prob_before(reference + pd.Timedelta(days=1)) if result.start <= reference else None
    )
    if by_reference is not None:
        raw[f"P(already by {iso(reference)})"] = by_reference
    for horizon in horizons:
        raw[f"P(before {iso(horizon)})"] = result.prob_before(horizon)
    labels = {q: _quantile_label(q) for q in BREAK_EVEN_QUANTILES}

    def when(value: Any) -> str:
        return crossing_date(value, result.start, result.until)

    shown = pd.DataFrame(index=frame.index)
    shown["median"] = [when(v) for v in frame[labels[0.5]]]
    shown["50% interval"] = [
        f"{when(a)} to {when(b)}"
        for a, b in zip(frame[labels[0.25]], frame[labels[0.75]], strict=True)
    ]
    shown["90% interval"] = [
        f"{when(a)} to {when(b)}"
        for a, b in zip(frame[labels[0.05]], frame[labels[0.95]], strict=True)
    ]
    for column in raw.columns:
        if str(column).startswith("P("):
            shown[column] = [fmt_share(v) for v in raw[column]]
    shown[f"never by {iso(result.until)}"] = [fmt_share(v) for v in frame["never"]]
    start = iso(result.start)
    caption = (
        "First date when agent tokens reach chatbot tokens, over posterior draws: median, "
        "50% and 90% intervals, and the probability of a crossing before each date. "
        f"'by {start}' stands for draws already crossed on the first projected date (in "
        f"{fmt_share(float(frame['already'].max()))} of draws at most); start the projection "
        "earlier to date them."
    )
    if by_reference is not None:
        caption += (
            f" P(already by {iso(reference)}) is the share of draws in which agents had caught "
            "up by the reference date (the last figure)."
        )
    return Table(
        "break_even",
        "Break-even date: when agent tokens reach chatbot tokens",
        caption,
        raw.reset_index(),
        shown.reset_index(),
    )


def multiplier_table(
    projection: Projection, horizons: Sequence[pd.Timestamp], threshold: float
) -> Table:
    """Growth multiplier from the reference date to each horizon, and P(above threshold)."""
    reference = projection.reference_date
    rows = []
    for horizon in horizons:
        multiplier = projection.multiplier(reference, horizon)
        above = projection.prob_multiplier_above(threshold, reference, horizon)
        for name in multiplier["scenario"].values:
            values = multiplier.sel(scenario=name).values
            rows.append(
                {
                    "scenario": str(name),
                    "end": iso(horizon),
                    "q05": float(np.quantile(values, 0.05)),
                    "median": float(np.median(values)),
                    "q95": float(np.quantile(values, 0.95)),
                    f"P(multiplier > {threshold:g})": float(above[name]),
                }
            )
    raw = pd.DataFrame(rows)
    if rows:
        order = {str(n): i for i, n in enumerate(projection.dataset["scenario"].values)}
        raw = raw.sort_values(
            ["scenario", "end"],
            key=lambda c: c.map(order) if c.name == "scenario" else c,
            kind="stable",
        ).reset_index(drop=True)
    shown = pd.DataFrame(
        {
            "scenario": raw["scenario"] if rows else [],
            "to": raw["end"] if rows else [],
            "median": [f"×{v:.3g}" for v in raw["median"]] if rows else [],
            "90% interval": (
                [f"×{a:.3g} to ×{b:.3g}" for a, b in zip(raw["q05"], raw["q95"], strict=True)]
                if rows
                else []
            ),
            f"P(> ×{threshold:g})": (
                [fmt_share(v) for v in raw[f"P(multiplier > {threshold:g})"]] if rows else []
            ),
        }
    )
    return Table(
        "multiplier",
        f"Growth of daily tokens from {iso(reference)}",
        f"Daily tokens on each date over daily tokens on the reference date ({iso(reference)}), "
        f"and the probability that they grew more than {threshold:g}-fold.",
        raw,
        shown,
    )


def attribution_table(projection: Projection, end: pd.Timestamp) -> Table:
    """Per scenario, each lever's factor of the multiplier from the reference date to ``end``."""
    names = [str(s) for s in projection.dataset["scenario"].values]
    reference = projection.reference_date
    rows = []
    for name in names:
        factors = attribution_factors(projection, name, reference, end)
        rows.append({"scenario": name, **{k: float(v) for k, v in factors.items()}})
    raw = pd.DataFrame(rows)
    shown = pd.DataFrame({"scenario": raw["scenario"]})
    for column in [*LEVERS, "total"]:
        shown[column] = [f"×{v:.3g}" for v in raw[column]]
    return Table(
        "attribution",
        f"What multiplies daily tokens, {iso(reference)} to {iso(end)}",
        "Exact Shapley attribution of the multiplier to the five levers, in log space, per "
        "draw; shown as geometric means over draws, so the lever factors multiply to the "
        "total (the geometric mean of the multiplier).",
        raw,
        shown,
    )
