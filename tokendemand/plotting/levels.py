"""Levels over time: the fan chart with the published figures, scenarios side by side, and the
chatbot/agent split."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from tokendemand.errors import ConfigError
from tokendemand.observations import Observations, ObservedLevels, observed_levels
from tokendemand.plotting._style import (
    BAND_ALPHA,
    FAN_COLOR,
    FONT_SIZE,
    INK,
    PALETTE,
    axes_for,
    color_for,
    date_axis,
    date_number,
    in_market,
    legend,
    pick_scenario,
    pick_scenarios,
    printable,
    reference_line,
    style_axes,
    token_axis,
    value_axis,
)
from tokendemand.structure import COMPONENTS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tokendemand.fitting.result import FitResult
    from tokendemand.projection import Projection

__all__ = [
    "decomposition",
    "fan_chart",
    "scenario_comparison",
]

_TITLES: Final = {
    "total": "Daily tokens",
    "chatbot": "Chatbot tokens",
    "agent": "Agent tokens",
    "penetration": "Agent penetration",
    "agent_share": "Agent share of tokens",
    "break_even_penetration": "Break-even penetration",
}


def _title(variable: str) -> str:
    return _TITLES.get(variable, variable)


_SOURCE_COLORS: Final = PALETTE[1:]  # the fan is blue; sources take the other colours
_MAX_LABEL: Final = 70


def _short(text: str) -> str:
    text = printable(text)
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1].rstrip() + "…"


def _quantiles(projection: Projection, scenario: str, variable: str) -> Any:
    if variable not in COMPONENTS:
        raise ConfigError(f"unknown variable {variable!r}; choose one of {', '.join(COMPONENTS)}")
    values = projection.dataset[variable].sel(scenario=scenario).values
    return np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)


_MARKERS: Final = {"point": "o", "period": "D", "lower": "^", "upper": "v"}
_KIND_LABELS: Final = {
    "point": "figure on one day",
    "period": "period mean or total, per day, over its days",
    "lower": "lower bound (“over …”)",
    "upper": "upper bound (“under …”)",
}


def _draw_figures(ax: Axes, levels: ObservedLevels) -> list[Any]:
    """Figures coloured by source, shaped by kind; returns the legend handles.

    Each figure gets a marker at its date (the middle of a period): a dot for a one-day
    figure, a small diamond for a period, a triangle for a bound; a period also gets a bar
    over its days (the marker keeps a one-week bar visible on a five-year axis).
    """
    from matplotlib.lines import Line2D

    frame = levels.frame
    sources = list(dict.fromkeys(frame["source"]))
    colors = {s: _SOURCE_COLORS[i % len(_SOURCE_COLORS)] for i, s in enumerate(sources)}
    seen: set[str] = set()
    one_day = np.timedelta64(1, "D")
    records: list[Any] = frame.to_dict("records")
    for row in records:
        color = colors[row["source"]]
        days, bound, level = int(row["days"]), row["bound"], float(row["per_day"])
        start = np.datetime64(row["start"], "ns")
        end = np.datetime64(row["end"], "ns") + one_day  # the period's last day, inclusive
        if days > 1:
            ax.plot(
                np.array([start, end]),
                [level, level],
                color=color,
                linewidth=3.0,
                solid_capstyle="butt",
                zorder=4,
                gid="figure",
            )
            seen.add("period")
        shape = bound if bound in ("lower", "upper") else ("period" if days > 1 else "point")
        seen.add(shape)
        ax.plot(
            np.array([start + (end - start) / 2 if days > 1 else start]),
            [level],
            linestyle="none",
            marker=_MARKERS[shape],
            markersize=4.5 if shape == "period" else 6.5,
            markerfacecolor=color,
            markeredgecolor=INK,
            markeredgewidth=0.6,
            zorder=5,
            gid="figure",
        )
    handles: list[Any] = [
        Line2D([], [], color=colors[s], marker="s", linestyle="none", label=_short(s))
        for s in sources
    ]
    for shape in _MARKERS:
        if shape in seen:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=INK if shape == "period" else "white",
                    linewidth=3.0 if shape == "period" else 0.0,
                    marker=_MARKERS[shape],
                    markersize=4.5 if shape == "period" else 6.5,
                    markerfacecolor="white",
                    markeredgecolor=INK,
                    label=_KIND_LABELS[shape],
                )
            )
    for note in levels.notes:
        handles.append(Line2D([], [], linestyle="none", label=note))
    return handles


def fan_chart(
    projection: Projection,
    fit: FitResult | None = None,
    *,
    scenario: str | None = None,
    variable: str = "total",
    observations: Observations | None = None,
    series: str | None = None,
    log: bool | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Median with 50% and 90% bands of one scenario, and the published figures on top.

    Parameters
    ----------
    projection
        From :func:`tokendemand.project`; start it before the first figure
        (``start=``) to see the fit against the data.
    fit
        The fitted result: its figures of the projected market's reference series are drawn
        (other series of the market are sub-series on their own scale, and ratios, shares and
        penetrations are not levels: the legend says how many were left out).
    scenario
        Default ``"posterior"`` (or the first scenario).
    variable
        A projection variable; figures are drawn for ``"total"`` only.
    observations, series
        Figures to draw instead of the fit's, and the series to keep (default: every series).
    log
        Log scale; default: when the levels span more than 1.5 orders of magnitude.
    ax
        Axes to draw on; default: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        Two bands (``PolyCollection``), the median line, and per figure drawn a marker line
        and, for a period, a bar line (both with ``gid="figure"``).
    """
    chosen = pick_scenario(projection, scenario)
    q = _quantiles(projection, chosen, variable)
    figure, ax = axes_for(ax)
    dates = projection.dates
    ax.fill_between(dates, q[0], q[4], color=FAN_COLOR, alpha=BAND_ALPHA[0], lw=0, label="90%")
    ax.fill_between(dates, q[1], q[3], color=FAN_COLOR, alpha=BAND_ALPHA[1], lw=0, label="50%")
    (median,) = ax.plot(dates, q[2], color=FAN_COLOR, linewidth=1.8, label="median")
    band_handles, _ = ax.get_legend_handles_labels()
    band_handles[0].set_label("90% interval")
    band_handles[1].set_label("50% interval")
    figure_handles: list[Any] = []
    levels_drawn: list[float] = []
    if variable == "total":
        if observations is None and fit is not None:
            observations = fit.observations
            market = projection.market or (fit.markets[0] if fit.markets else None)
            if series is None and market is not None:
                series = fit.design.reference_series.get(market)
        if observations is not None:
            levels = observed_levels(observations, projection.market, series)
            figure_handles = _draw_figures(ax, levels)
            levels_drawn = list(levels.frame["per_day"])
    unit = "tokens/day" if variable in ("total", "chatbot", "agent") else variable
    value_axis(ax, variable, np.concatenate([q[0], q[4], levels_drawn]), log)
    reference_line(ax, projection.reference_date)
    date_axis(ax)
    market = in_market(projection)
    style_axes(ax, f"{_title(variable)}{market}: scenario {printable(chosen)}", unit)
    legend(ax, [median, band_handles[1], band_handles[0]], loc="upper left")
    if figure_handles:
        first = ax.get_legend()
        if first is not None:
            ax.add_artist(first)
        legend(ax, figure_handles, loc="upper left", bbox_to_anchor=(0.0, -0.1), ncols=1)
    return figure


def scenario_comparison(
    projection: Projection,
    variable: str = "total",
    *,
    scenarios: Sequence[str] | None = None,
    band: bool = True,
    start: Any = None,
    log: bool | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The median path of each scenario, with its 50% band.

    Parameters
    ----------
    projection
        From :func:`tokendemand.project`.
    variable
        A projection variable (``"total"``, ``"agent_share"``, ...).
    scenarios
        Which scenarios, in order; default: all.
    band
        Draw each scenario's 50% interval.
    start
        First date shown (default: the projection's first date).
    log
        Log scale; default: when the levels span more than 1.5 orders of magnitude.
    ax
        Axes to draw on; default: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        One median line per scenario (labelled with its name) and, with ``band``, one band each.
    """
    names = pick_scenarios(projection, scenarios)
    figure, ax = axes_for(ax)
    dates = projection.dates
    keep = np.ones(len(dates), dtype=bool) if start is None else dates >= pd.Timestamp(start)
    if not keep.any():
        raise ConfigError(f"start {start} is after the last projected date {dates[-1].date()}")
    lows, highs = [], []
    for i, name in enumerate(names):
        q = _quantiles(projection, name, variable)[:, keep]
        color = color_for(i)
        if band:
            ax.fill_between(dates[keep], q[1], q[3], color=color, alpha=0.18, lw=0)
        ax.plot(dates[keep], q[2], color=color, linewidth=1.6, label=printable(name))
        lows.append(q[1] if band else q[2])
        highs.append(q[3] if band else q[2])
    value_axis(ax, variable, np.concatenate(lows + highs), log)
    if dates[keep][0] <= projection.reference_date:
        reference_line(ax, projection.reference_date)
    date_axis(ax)
    unit = "tokens/day" if variable in ("total", "chatbot", "agent") else variable
    what = "median and 50% interval" if band else "median"
    market = in_market(projection)
    style_axes(ax, f"{_title(variable)}{market} by scenario ({what})", unit)
    legend(ax, loc="upper left")
    return figure


def decomposition(
    projection: Projection,
    scenario: str | None = None,
    *,
    start: Any = None,
    log: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Chatbot and agent tokens/day stacked (medians of each), with the median break-even date.

    The stack shows the median of each component; the sum of medians is not the median of the
    total, so read the total from :func:`fan_chart`.

    Parameters
    ----------
    projection
        From :func:`tokendemand.project`.
    scenario
        Default ``"posterior"`` (or the first scenario).
    start
        First date shown (default: the projection's first date).
    log
        Log scale on the token axis (stacked areas read best on a linear one).
    ax
        Axes to draw on; default: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        Two stacked areas labelled ``chatbot`` and ``agent``.
    """
    chosen = pick_scenario(projection, scenario)
    figure, ax = axes_for(ax)
    dates = projection.dates
    keep = np.ones(len(dates), dtype=bool) if start is None else dates >= pd.Timestamp(start)
    if not keep.any():
        raise ConfigError(f"start {start} is after the last projected date {dates[-1].date()}")
    chatbot = np.median(projection.dataset["chatbot"].sel(scenario=chosen).values, axis=0)[keep]
    agent = np.median(projection.dataset["agent"].sel(scenario=chosen).values, axis=0)[keep]
    ax.stackplot(
        dates[keep],
        chatbot,
        agent,
        labels=("chatbot (median)", "agent (median)"),
        colors=(PALETTE[5], PALETTE[3]),
        alpha=0.85,
        linewidth=0,
    )
    token_axis(ax, log)
    found: Any = projection.break_even().to_frame(quantiles=(0.5,)).loc[chosen, "q50"]
    median = pd.Timestamp(found) if pd.notna(found) else None
    if median is not None and median >= dates[keep][0]:
        left_half = median < dates[keep][0] + (dates[keep][-1] - dates[keep][0]) / 2
        ax.axvline(date_number(median), color=INK, linestyle="--", linewidth=1.0)
        ax.annotate(
            f"median break-even {median.date().isoformat()}",
            xy=(median, 0.6),
            xycoords=("data", "axes fraction"),
            xytext=(4 if left_half else -4, 0),
            textcoords="offset points",
            ha="left" if left_half else "right",
            va="top",
            fontsize=FONT_SIZE - 2,
            color=INK,
        )
    date_axis(ax)
    market = in_market(projection)
    style_axes(ax, f"Chatbot and agent tokens{market}: scenario {printable(chosen)}", "tokens/day")
    legend(ax, loc="upper left")
    return figure
