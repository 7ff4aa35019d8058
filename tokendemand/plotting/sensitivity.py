"""Sensitivity drawn: a tornado chart of one-at-a-time swings, and Sobol' indices as bars."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from tokendemand.errors import ConfigError
from tokendemand.plotting._style import INK, MUTED, PALETTE, axes_for, legend, style_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["sobol_bars", "tornado"]

_LOW: Final = PALETTE[3]
_HIGH: Final = PALETTE[2]
_OAT_COLUMNS: Final = ("low", "high", "output_low", "output_high", "baseline")
_SOBOL_COLUMNS: Final = ("first_order", "total")


def _check(table: pd.DataFrame, columns: tuple[str, ...], made_by: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ConfigError(f"expected the DataFrame of {made_by}, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing or table.empty:
        raise ConfigError(
            f"this table lacks {', '.join(missing) or 'rows'}: pass the DataFrame of {made_by}"
        )


def _output_label(table: pd.DataFrame) -> str:
    name = str(table.attrs.get("output", "output"))
    return "break-even, years after the reference date" if name == "break_even" else name


def tornado(table: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """One-at-a-time swings: a bar per input from its low-end to its high-end output.

    Parameters
    ----------
    table
        From :func:`tokendemand.projection.sensitivity.sensitivity` with ``method="oat"``.
    ax
        Axes to draw on; default: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The widest swing on top; the line is the output with every setting at its middle.
    """
    _check(table, _OAT_COLUMNS, "sensitivity(..., method='oat')")
    ordered = table.sort_values("swing" if "swing" in table else "output_high", ascending=True)
    figure, ax = axes_for(ax, figsize=(7.5, 0.5 * len(ordered) + 1.6))
    baseline = float(ordered["baseline"].iloc[0])
    y = np.arange(len(ordered))
    for position, (name, row) in zip(y, ordered.iterrows(), strict=True):
        for end, color in (("low", _LOW), ("high", _HIGH)):
            value = float(row[f"output_{end}"])
            ax.barh(position, value - baseline, left=baseline, color=color, height=0.6)
            label = "5% / 95% of draws" if name == "parameters" else f"{row[end]:.3g}"
            ax.text(
                value,
                float(position),
                f" {label} ",
                va="center",
                ha="left" if value >= baseline else "right",
                color=MUTED,
                fontsize=8,
            )
    ax.axvline(baseline, color=INK, linewidth=1.0)
    ax.set_yticks(y, [str(n) for n in ordered.index])
    handles = [
        _patch(_LOW, "setting at its low end"),
        _patch(_HIGH, "setting at its high end"),
    ]
    legend(ax, handles=handles, loc="lower right")
    statistic = table.attrs.get("statistic", "median")
    style_axes(ax, f"What moves {_output_label(table)} ({statistic} over draws)", None)
    ax.set_xlabel(_output_label(table))
    return figure


def _patch(color: str, label: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(color=color, label=label)


def sobol_bars(table: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """First-order and total Sobol' indices per input, with their bootstrap bounds.

    Parameters
    ----------
    table
        From :func:`tokendemand.projection.sensitivity.sensitivity` (``method="sobol"``).
    ax
        Axes to draw on; default: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        Inputs ordered by total index, largest on top.
    """
    _check(table, _SOBOL_COLUMNS, "sensitivity(..., method='sobol')")
    ordered = table.sort_values("total", ascending=True)
    figure, ax = axes_for(ax, figsize=(7.5, 0.55 * len(ordered) + 1.6))
    y = np.arange(len(ordered))
    for offset, column, color, label in (
        (0.18, "first_order", PALETTE[0], "first order (alone)"),
        (-0.18, "total", PALETTE[1], "total (with interactions)"),
    ):
        values = ordered[column].to_numpy(dtype=float)
        errors = None
        if f"{column}_low" in ordered and f"{column}_high" in ordered:
            low = ordered[f"{column}_low"].to_numpy(dtype=float)
            high = ordered[f"{column}_high"].to_numpy(dtype=float)
            errors = np.vstack([np.maximum(values - low, 0.0), np.maximum(high - values, 0.0)])
        ax.barh(
            y + offset, values, height=0.34, color=color, label=label, xerr=errors, ecolor=MUTED
        )
    ax.set_yticks(y, [str(n) for n in ordered.index])
    ax.set_xlim(min(0.0, float(ordered["first_order"].min())), 1.0)
    legend(ax, loc="lower right")
    level = table.attrs.get("confidence")
    bounds = f", {level:.0%} bootstrap bounds" if level else ""
    style_axes(ax, f"Share of the variance of {_output_label(table)}{bounds}", None)
    ax.set_xlabel("Sobol' index")
    return figure
