"""The one house style of every figure, applied per artist (global rcParams never change).

Matplotlib is imported inside the functions, so importing :mod:`tokendemand.plotting` stays
cheap and never touches a backend.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from tokendemand.errors import ConfigError
from tokendemand.units import format_tokens

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tokendemand.projection import Projection

__all__ = [
    "BAND_ALPHA",
    "CJK_FAMILIES",
    "FAN_COLOR",
    "FONT_SIZE",
    "INK",
    "MUTED",
    "PALETTE",
    "TOKEN_VARIABLES",
    "axes_for",
    "choose_log",
    "color_for",
    "date_axis",
    "date_number",
    "fraction_axis",
    "pick_scenario",
    "printable",
    "style_axes",
    "text_families",
    "token_axis",
    "value_axis",
]

PALETTE: Final[tuple[str, ...]] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # green
    "#D55E00",  # vermillion
    "#CC79A7",  # purple
    "#56B4E9",  # sky
    "#8C6D31",  # brown
    "#000000",  # black
)
"""Okabe-Ito colours (safe for colour-blind readers and grey print), scenarios in order."""

FAN_COLOR: Final = PALETTE[0]
INK: Final = "#222222"
MUTED: Final = "#777777"
BAND_ALPHA: Final = (0.16, 0.32)
"""Opacity of the 90% and 50% bands."""
FONT_SIZE: Final = 9.0
TOKEN_VARIABLES: Final = frozenset({"total", "chatbot", "agent"})
"""Projection variables in tokens/day."""
_FRACTION_VARIABLES: Final = frozenset({"penetration", "agent_share", "break_even_penetration"})
CJK_FAMILIES: Final[tuple[str, ...]] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Arial Unicode MS",
)
"""Fonts with Chinese glyphs that figures fall back to, the first one installed (Linux, Windows
and macOS names)."""
LOG_ORDERS: Final = 1.5
"""Levels spanning more than this many orders of magnitude get a log axis."""


def color_for(index: int) -> str:
    """The palette colour of item ``index`` (cycling)."""
    return PALETTE[index % len(PALETTE)]


def axes_for(ax: Axes | None, figsize: tuple[float, float] = (7.5, 4.2)) -> tuple[Figure, Axes]:
    """``ax`` and its figure, or a new figure with one axes (through pyplot, so
    ``plt.show()`` works in scripts)."""
    if ax is not None:
        from matplotlib.figure import Figure

        root = ax.figure.figure  # the root figure, also for an Axes in a SubFigure
        if not isinstance(root, Figure):  # pragma: no cover - an Axes always has a figure
            raise ConfigError("ax does not belong to a matplotlib figure")
        return root, ax
    import matplotlib.pyplot as plt

    figure, new = plt.subplots(figsize=figsize, layout="constrained")
    return figure, new


def style_axes(ax: Axes, title: str | None = None, ylabel: str | None = None) -> None:
    """Spines, ticks, grid and text sizes of the house style, set on the artists themselves."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
        ax.spines[side].set_linewidth(0.8)
    ax.tick_params(labelsize=FONT_SIZE - 1, colors=INK, length=3, width=0.6)
    ax.tick_params(which="minor", length=1.5, width=0.4)
    ax.grid(True, which="major", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if title is not None:
        ax.set_title(
            title, fontsize=FONT_SIZE + 1, color=INK, loc="left", fontfamily=list(text_families())
        )
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=FONT_SIZE, color=INK)


def choose_log(values: Any, log: bool | None) -> bool:
    """``log`` if given, else whether the positive finite ``values`` span more than
    :data:`LOG_ORDERS` orders of magnitude."""
    if log is not None:
        return bool(log)
    array = np.asarray(values, dtype=float)
    if np.any(array[np.isfinite(array)] <= 0):
        return False
    return _orders(array) > LOG_ORDERS


def _tokens_label(value: float, _position: Any = None) -> str:
    return format_tokens(value) if math.isfinite(value) else ""


def token_axis(ax: Axes, log: bool, axis: str = "y", values: Any = None) -> None:
    """Token units on an axis (``100B``, ``1T``, ``1Q``); on a log scale decades, and also
    2s and 5s when ``values`` span under three decades."""
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    if log:
        (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
        subs: tuple[float, ...] = (1.0,)
        if values is not None and _orders(values) < 3.0:
            subs = (1.0, 2.0, 5.0)
        target.set_major_locator(LogLocator(base=10.0, subs=subs, numticks=12))
        target.set_minor_formatter(NullFormatter())
    else:
        target.set_major_locator(MaxNLocator(nbins=6))
    target.set_major_formatter(FuncFormatter(_tokens_label))


def _orders(values: Any) -> float:
    """Orders of magnitude spanned by the positive finite ``values`` (0 if none)."""
    array = np.asarray(values, dtype=float)
    positive = array[np.isfinite(array) & (array > 0)]
    return float(math.log10(positive.max() / positive.min())) if positive.size else 0.0


def fraction_axis(ax: Axes, axis: str = "y") -> None:
    """Percent labels on an axis whose values are fractions."""
    from matplotlib.ticker import PercentFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(xmax=1.0))


def value_axis(ax: Axes, variable: str, values: Any, log: bool | None) -> bool:
    """Format the y axis for a projection variable; returns whether it is logarithmic."""
    if variable in TOKEN_VARIABLES:
        chosen = choose_log(values, log)
        token_axis(ax, chosen, values=values)
        return chosen
    if variable in _FRACTION_VARIABLES:
        if log:
            ax.set_yscale("log")
        fraction_axis(ax)
        return bool(log)
    chosen = choose_log(values, log)
    if chosen:
        ax.set_yscale("log")
    return chosen


def date_axis(ax: Axes) -> None:
    """Concise date labels (years, then months within a year)."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def date_number(date: pd.Timestamp) -> float:
    """Matplotlib's number for ``date`` (what ``axvline`` and friends take)."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(date.to_datetime64()))  # type: ignore[no-untyped-call]


def reference_line(ax: Axes, date: pd.Timestamp, label: str = "reference date") -> None:
    """A dotted vertical line at ``date`` with a small label at the top."""
    ax.axvline(date_number(date), color=MUTED, linestyle=":", linewidth=1.0, zorder=1, gid=label)
    ax.annotate(
        label,
        xy=(date, 0.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, 3),
        textcoords="offset points",
        fontsize=FONT_SIZE - 2,
        color=MUTED,
        va="bottom",
    )


def pick_scenario(projection: Projection, scenario: str | None) -> str:
    """``scenario``, or ``"posterior"`` when the projection has it, else its first scenario."""
    names = [str(s) for s in projection.dataset["scenario"].values]
    if scenario is None:
        return "posterior" if "posterior" in names else names[0]
    if scenario not in names:
        raise ConfigError(f"unknown scenario {scenario!r}; the projection has: {', '.join(names)}")
    return scenario


def pick_scenarios(projection: Projection, scenarios: Sequence[str] | None) -> list[str]:
    """``scenarios`` checked against the projection, or all of them in order."""
    names = [str(s) for s in projection.dataset["scenario"].values]
    if scenarios is None:
        return names
    unknown = [s for s in scenarios if s not in names]
    if unknown:
        raise ConfigError(
            f"unknown scenario(s) {', '.join(map(repr, unknown))}; the projection has: "
            f"{', '.join(names)}"
        )
    return list(scenarios)


def legend(ax: Axes, handles: Sequence[Any] | None = None, below: bool = False, **kw: Any) -> None:
    """The house legend: small, frameless; ``below`` puts it under the axes."""
    options: dict[str, Any] = {
        "prop": {"family": list(text_families()), "size": FONT_SIZE - 1.5},
        "frameon": False,
    }
    if below:
        options.update(loc="upper left", bbox_to_anchor=(0.0, -0.12), ncols=2)
    options.update(kw)
    if handles is None:
        ax.legend(**options)
    else:
        ax.legend(handles=list(handles), **options)


@functools.lru_cache(maxsize=1)
def text_families() -> tuple[str, ...]:
    """Font families of figure text: matplotlib's own DejaVu Sans, then the first installed
    family of :data:`CJK_FAMILIES`, if any.

    Matplotlib draws each glyph from the first family in the list that has it, so Latin text
    looks the same everywhere and Chinese names render where a CJK font is installed.
    """
    from matplotlib.font_manager import fontManager

    installed = {font.name for font in fontManager.ttflist}
    return ("DejaVu Sans", *[name for name in CJK_FAMILIES if name in installed][:1])


@functools.lru_cache(maxsize=1)
def _charmap() -> frozenset[int]:
    from matplotlib.font_manager import FontProperties, findfont, get_font

    known: set[int] = set()
    for family in text_families():
        path = findfont(FontProperties(family=family), fallback_to_default=False)
        known.update(get_font(path).get_charmap())
    return frozenset(known)


def printable(text: str) -> str:
    """``text`` with characters no figure font can draw replaced by ``?``.

    Matplotlib's bundled font has no CJK glyphs; without an installed CJK font
    (:func:`text_families`) it would draw empty boxes and warn. The full text stays in the
    report's tables.
    """
    known = _charmap()
    return "".join(c if ord(c) in known or c.isspace() else "?" for c in text)


def in_market(projection: Projection) -> str:
    """`` in <market>`` for a title, or ``""`` for a projection without a named market."""
    return f" in {printable(projection.market)}" if projection.market else ""
