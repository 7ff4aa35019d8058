"""The report's figures: drawn with :mod:`tokendemand.plotting` on figures that never enter
pyplot's global state, saved as PNG (embedded in the HTML) and SVG."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from tokendemand import plotting
from tokendemand.dates import iso
from tokendemand.observations import observed_levels
from tokendemand.plotting._style import pick_scenario
from tokendemand.plotting.parameters import parameter_draws

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from tokendemand.fitting.result import FitResult
    from tokendemand.projection import Projection

__all__ = ["DPI", "ReportFigure", "draw_figures", "new_figure", "save_figure", "sources"]

DPI: Final = 150
"""Resolution of the PNG files (sharp in print at the report's width)."""


@dataclass(frozen=True)
class ReportFigure:
    """A figure of the report: file stem, title, caption (with its sources), PNG bytes and its
    width in inches (the HTML shows it at that size, its text then matching the page's)."""

    name: str
    title: str
    caption: str
    png: bytes
    width: float


def new_figure(width: float, height: float, rows: int = 1, columns: int = 1) -> tuple[Figure, Any]:
    """A figure outside pyplot's state with a ``rows`` x ``columns`` array of axes.

    Matplotlib's constrained layout places the panels, except on a grid of more than
    :data:`_CONSTRAINED_PANELS` panels, whose spacing is fixed instead: the layout's cost grows
    with the panels, to most of a minute for a hundred.
    """
    from matplotlib.figure import Figure

    if rows * columns <= _CONSTRAINED_PANELS:
        figure = Figure(figsize=(width, height), layout="constrained")
        return figure, figure.subplots(rows, columns, squeeze=False)
    figure = Figure(figsize=(width, height))
    margin = 0.35 / height  # inches at the top and bottom, as a share of the height
    figure.subplots_adjust(
        left=0.02, right=0.98, bottom=margin, top=1.0 - margin, wspace=0.12, hspace=0.75
    )
    return figure, figure.subplots(rows, columns, squeeze=False)


_CONSTRAINED_PANELS: Final = 12


def save_figure(figure: Figure, folder: Path, name: str) -> bytes:
    """Write ``name.png`` and ``name.svg`` into ``folder``; returns the PNG bytes."""
    import matplotlib

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    png = buffer.getvalue()
    (folder / f"{name}.png").write_bytes(png)
    figure.set_layout_engine("none")  # keep the layout just solved: the SVG is drawn once
    # text stays text in the SVG (editable, small); ids are stable from run to run
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "tokendemand"}):
        figure.savefig(folder / f"{name}.svg", format="svg", metadata={"Date": None})
    return png


def sources(fit: FitResult, market: str | None) -> str:
    """The caption's sentences on which figures of ``market`` are drawn, with their sources."""
    series = fit.design.reference_series.get(market) if market else None
    levels = observed_levels(fit.observations, market, series)
    frame = levels.frame
    parts = []
    for source, group in frame.groupby("source", sort=False):
        urls = sorted({u.strip() for url in group["url"] for u in str(url).split(" ; ") if u})
        parts.append(f"{source}" + (f" ({' ; '.join(urls)})" if urls else ""))
    text = (
        f"Only the market's reference series ({series}) is drawn: other series of the market "
        "are sub-series measured on their own scale (a coverage factor), and ratios and shares "
        "are not levels. "
        if series
        else ""
    )
    text += "Figures drawn: " + "; ".join(parts) + "." if parts else "No level figures drawn."
    if levels.notes:
        text += " Not drawn: " + "; ".join(levels.notes) + "."
    return text


def _of_market(label: str, market: str | None) -> bool:
    """Whether a parameter label (``name`` or ``name[member]``) is shared or ``market``'s own:
    its member is the market, or a series of it (``market/series``)."""
    if "[" not in label or market is None:
        return True
    member = label[label.index("[") + 1 : -1]
    return member == market or member.startswith(f"{market}/")


def draw_figures(
    fit: FitResult,
    projection: Projection,
    folder: Path,
    progress: Callable[[str], None] | None = None,
) -> list[ReportFigure]:
    """Draw, save and return every figure of the report (in report order)."""
    market = projection.market or None
    scenario = pick_scenario(projection, None)
    reference = projection.reference_date
    draws = projection.dataset.sizes["draw"]
    model_source = (
        f"Source: tokendemand projection of {market or 'the market'} fitted to "
        f"{len(fit.observations)} published figures (see Data used); {draws} posterior draws."
    )
    out: list[ReportFigure] = []

    def keep(name: str, title: str, caption: str, figure: Figure) -> None:
        png = save_figure(figure, folder, name)
        out.append(ReportFigure(name, title, caption, png, float(figure.get_figwidth())))
        if progress is not None:
            progress(name)

    figure, axes = new_figure(7.5, 5.6)
    plotting.fan_chart(projection, fit, scenario=scenario, ax=axes[0, 0])
    keep(
        "fan_chart",
        "Daily tokens: the fit and the projection",
        f"Median, 50% and 90% intervals of daily tokens under the '{scenario}' scenario, from "
        f"{iso(projection.dates[0])} to {iso(projection.dates[-1])}, with the published "
        "figures in tokens/day (a total divided by its days), coloured by source: a dot for a "
        "one-day figure, a bar over its days with a diamond at its middle for a period, a "
        "triangle for a one-sided figure. " + sources(fit, market),
        figure,
    )
    figure, axes = new_figure(7.5, 4.2)
    plotting.scenario_comparison(projection, start=reference, ax=axes[0, 0])
    keep(
        "scenarios",
        "Daily tokens by scenario",
        "Median and 50% interval of daily tokens per scenario from the reference date. "
        + model_source,
        figure,
    )
    figure, axes = new_figure(7.5, 4.2)
    plotting.decomposition(projection, scenario, start=reference, ax=axes[0, 0])
    keep(
        "decomposition",
        "Chatbot and agent tokens",
        f"Medians of chatbot and agent tokens/day under '{scenario}', stacked (the sum of "
        "medians is not the median total), and the median date when agents reach chatbots. "
        + model_source,
        figure,
    )
    figure, axes = new_figure(7.5, 4.2)
    plotting.break_even_cdf(projection, ax=axes[0, 0])
    keep(
        "break_even_cdf",
        "Break-even date, cumulative probability by scenario",
        "Share of posterior draws in which agent tokens have reached chatbot tokens by each "
        "date, per scenario; curves stop short of 100% by the share that never crosses "
        "within the projection. " + model_source,
        figure,
    )
    names = [str(s) for s in projection.dataset["scenario"].values]
    columns = min(len(names), 2)
    rows = math.ceil(len(names) / columns)
    figure, axes = new_figure(4.0 * columns, 3.3 * rows, rows, columns)
    for name, ax in zip(names, axes.ravel(), strict=False):
        plotting.attribution_waterfall(projection, name, ax=ax)
    for spare in axes.ravel()[len(names) :]:
        spare.set_visible(False)
    keep(
        "attribution",
        "What multiplies daily tokens, lever by lever",
        f"Each lever's factor of the growth of daily tokens from {iso(reference)} to "
        f"{iso(projection.dates[-1])} (exact Shapley values in log space, geometric means over "
        "draws; they multiply to the last bar). " + model_source,
        figure,
    )
    every = list(parameter_draws(fit))
    shown = [name for name in every if _of_market(name, market)]
    columns = 3
    rows = math.ceil(len(shown) / columns)
    figure, axes = new_figure(9.0, 2.0 * rows, rows, columns)
    plotting.prior_posterior(fit, shown, ax=axes)
    left_out = len(every) - len(shown)
    keep(
        "prior_posterior",
        "Prior and posterior of each parameter",
        "Shares of prior (grey) and posterior (blue) draws per parameter; the label at the "
        "right of each panel says whether the data moved it (FitResult.summary). "
        + (
            f"Shown: the shared parameters, the population locations and {market}'s own; the "
            f"{left_out} parameters of other markets and their series are in the posterior "
            "summary (Diagnostics). "
            if left_out
            else ""
        )
        + "Source: the fit's priors (see Priors) and posterior.",
        figure,
    )
    return out
