"""Answers drawn: when agents overtake chatbots (a CDF per scenario), and which lever
multiplies demand by how much (a waterfall of factors on a log scale)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from tokendemand.dates import iso, to_day
from tokendemand.errors import ConfigError
from tokendemand.plotting._style import (
    FONT_SIZE,
    INK,
    MUTED,
    PALETTE,
    axes_for,
    color_for,
    date_axis,
    fraction_axis,
    in_market,
    legend,
    pick_scenario,
    pick_scenarios,
    printable,
    reference_line,
    style_axes,
)
from tokendemand.structure import LEVERS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tokendemand.projection import Projection
    from tokendemand.structure import DateLike

__all__ = ["attribution_factors", "attribution_waterfall", "break_even_cdf"]

_UP: Final = PALETTE[2]
_DOWN: Final = PALETTE[3]
_TOTAL: Final = PALETTE[0]


def break_even_cdf(
    projection: Projection,
    *,
    scenarios: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """P(agent tokens have reached chatbot tokens by date), one step curve per scenario.

    Draws that do not cross before the projection ends keep each curve below 100%; the legend
    gives their share. Draws already crossed on the first projected date count from there.

    Parameters
    ----------
    projection
        From :func:`tokendemand.project` (a fine date grid gives smooth curves).
    scenarios
        Which scenarios, in order; default: all.
    ax
        Axes to draw on; default: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        One step line per scenario, labelled with its name and its share that never crosses.
    """
    names = pick_scenarios(projection, scenarios)
    result = projection.break_even()
    figure, ax = axes_for(ax)
    first, last = result.start, result.until
    for i, name in enumerate(names):
        dates = result.dates.sel(scenario=name).values
        n = dates.size
        crossed = np.sort(dates[~np.isnat(dates)])
        x = np.concatenate([[np.datetime64(first, "ns")], crossed, [np.datetime64(last, "ns")]])
        y = np.concatenate([[0.0], np.arange(1, crossed.size + 1) / n, [crossed.size / n]])
        never = 1.0 - crossed.size / n
        ax.step(
            pd.DatetimeIndex(x),
            y,
            where="post",
            color=color_for(i),
            linewidth=1.6,
            label=f"{printable(name)} (not by {iso(last)}: {never:.0%})",
        )
    ax.axhline(0.5, color=MUTED, linewidth=0.8, linestyle="--")
    ax.set_ylim(0.0, 1.02)
    fraction_axis(ax)
    if first <= projection.reference_date:
        reference_line(ax, projection.reference_date)
    date_axis(ax)
    market = in_market(projection)
    style_axes(ax, f"When agent tokens reach chatbot tokens{market}", "probability, by date (CDF)")
    legend(ax, loc="upper left")
    return figure


def attribution_factors(
    projection: Projection,
    scenario: str | None = None,
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.Series:
    """Per lever, the geometric mean over draws of its multiplicative factor, and the total.

    Geometric means keep the identity of :meth:`Projection.attribution
    <tokendemand.projection.Projection.attribution>`: the lever factors multiply exactly to
    the ``total`` entry (the geometric mean of the multiplier).

    Returns
    -------
    pandas.Series
        Indexed by the levers in :data:`~tokendemand.structure.LEVERS` order, then ``total``.
    """
    chosen = pick_scenario(projection, scenario)
    factors = projection.attribution(start, end).sel(scenario=chosen)
    logs = np.log(factors.values).mean(axis=0)
    out = pd.Series(np.exp(logs), index=pd.Index(list(LEVERS), name="lever"), name=chosen)
    out["total"] = float(np.exp(logs.sum()))
    out.attrs = dict(factors.attrs)
    return out


def attribution_waterfall(
    projection: Projection,
    scenario: str | None = None,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    ax: Axes | None = None,
) -> Figure:
    """How each lever multiplies daily tokens between two dates: a waterfall on a log scale.

    Each bar runs from the product of the factors before it to the product including it
    (green up, red down); the last bar is the whole multiplier. Factors are geometric means
    over draws (:func:`attribution_factors`), so they multiply exactly to the last bar.

    Parameters
    ----------
    projection
        From :func:`tokendemand.project`.
    scenario
        Default ``"posterior"`` (or the first scenario).
    start, end
        Default: the reference date and the last projected date.
    ax
        Axes to draw on; default: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        Six bars: one per lever and the total, each annotated with its factor.
    """
    chosen = pick_scenario(projection, scenario)
    factors = attribution_factors(projection, chosen, start, end)
    figure, ax = axes_for(ax, figsize=(6.0, 3.8))
    level = 1.0
    extremes = [1.0]
    labels = [*LEVERS, "total"]
    for i, lever in enumerate(labels):
        factor = float(factors[lever])
        if lever == "total":
            low, high, color = 1.0, factor, _TOTAL
        else:
            low, high = sorted((level, level * factor))
            color = _UP if factor >= 1.0 else _DOWN
        ax.bar(i, high - low, bottom=low, width=0.6, color=color, edgecolor=INK, linewidth=0.5)
        top = max(low, high)
        extremes += [low, high]
        ax.annotate(
            f"×{factor:.2f}",
            xy=(i, top),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=FONT_SIZE - 1,
            color=INK,
        )
        if lever != "total":
            level *= factor
            ax.plot([i + 0.3, i + 0.7], [level, level], color=MUTED, linewidth=0.7)
    ax.set_yscale("log")
    _multiple_axis(ax)
    ax.axhline(1.0, color=INK, linewidth=0.8)
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right", rotation_mode="anchor")
    ax.set_ylim(min(extremes) / 1.25, max(extremes) * 1.6)
    first = iso(to_day(factors.attrs["start"], "start", ConfigError))
    last = iso(to_day(factors.attrs["end"], "end", ConfigError))
    style_axes(
        ax, f"{printable(chosen)}: ×{factors['total']:.1f}\nfrom {first} to {last}", "multiple"
    )
    ax.grid(False, axis="x")
    return figure


def _multiple_axis(ax: Axes) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    def label(value: float, _position: Any = None) -> str:
        return f"×{value:g}"

    ax.yaxis.set_major_locator(LogLocator(base=10.0, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(label))
    ax.yaxis.set_minor_formatter(NullFormatter())
