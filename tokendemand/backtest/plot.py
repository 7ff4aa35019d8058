"""A backtest at a glance: each forecast interval beside the figure that came true."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tokendemand.backtest.metrics import backtest_summary
from tokendemand.errors import ConfigError, DataError

__all__ = ["plot_backtest"]


def plot_backtest(table: pd.DataFrame, *, ax: Any | Sequence[Any] | None = None) -> Any:
    """One panel per method: forecast intervals against held-out figures, on a log scale.

    Each forecast is a vertical bar at the figure's last day: thin from ``q05`` to ``q95``,
    thick from ``q25`` to ``q75``, a tick at the median; bars of one cutoff share a colour and
    are nudged sideways by cutoff so that they do not overlap. Black dots are the figures that
    came true; triangles are one-sided figures (pointing up for "over"). Rows without a
    forecast draw no bar. The panel title gives the method's mean CRPS and 90% coverage over
    the figures every method scored (:func:`~tokendemand.backtest.backtest_summary`), or says
    that it scored none.

    Parameters
    ----------
    table
        The table :func:`~tokendemand.backtest.backtest` returns.
    ax
        Axes to draw on, as the other plots take them: one matplotlib Axes per method, in the
        table's method order (a single Axes when the table has one method); default a new
        figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure of the axes.

    Raises
    ------
    DataError
        If the table is empty or lacks a column the plot needs.
    ConfigError
        If ``ax`` does not hold one Axes per method.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    needed = ("cutoff", "figure", "method", "status", "period_end", "actual", "bound")
    missing = [c for c in (*needed, "q05", "q25", "q50", "q75", "q95") if c not in table]
    if missing or table.empty:
        raise DataError(
            "plot_backtest needs the table backtest() returns; "
            + (f"this one lacks the columns {missing}" if missing else "this one is empty")
        )
    methods = list(dict.fromkeys(table["method"]))
    axes: list[Any]
    if ax is None:
        _, created = plt.subplots(
            1, len(methods), figsize=(3.2 * len(methods) + 1, 3.8), sharey=True, squeeze=False
        )
        axes = list(created[0])
    else:
        axes = list(ax) if isinstance(ax, Sequence | np.ndarray) else [ax]
        if len(axes) != len(methods):
            raise ConfigError(
                f"ax must hold one Axes per method ({len(methods)}: {', '.join(methods)}), "
                f"got {len(axes)}"
            )
    fig = axes[0].figure
    summary = backtest_summary(table)
    cutoffs = sorted(table["cutoff"].unique())
    colours = plt.get_cmap("viridis")(np.linspace(0.0, 0.85, max(len(cutoffs), 1)))
    days = pd.to_datetime(table["period_end"])
    span = max((days.max() - days.min()).days, 1)
    for panel, method in zip(axes, methods, strict=True):
        part = table[table["method"] == method]
        for c, cutoff in enumerate(cutoffs):
            rows = part[(part["cutoff"] == cutoff) & part["q50"].notna()]
            if rows.empty:
                continue
            nudge = pd.Timedelta(days=span * 0.012 * (c - (len(cutoffs) - 1) / 2))
            x = pd.to_datetime(rows["period_end"]) + nudge
            panel.vlines(x, rows["q05"], rows["q95"], color=colours[c], linewidth=1)
            panel.vlines(x, rows["q25"], rows["q75"], color=colours[c], linewidth=3.5)
            panel.scatter(x, rows["q50"], color=colours[c], marker="_", s=60, zorder=3)
        figures = part.drop_duplicates("figure")
        marker = {"lower": "^", "upper": "v"}
        for bound, shown in figures.groupby(figures["bound"].fillna("exact")):
            panel.scatter(
                pd.to_datetime(shown["period_end"]),
                shown["actual"],
                color="black",
                marker=marker.get(str(bound), "o"),
                s=22,
                zorder=4,
            )
        n = int(summary["n"].loc[method])
        scores = (
            f"CRPS {summary['crps'].loc[method]:.2f}, "
            f"90% cover {summary['cover90'].loc[method]:.0%} (n={n})"
            if n
            else "no figure scored"
        )
        panel.set_title(f"{method}\n{scores}", fontsize=9)
        panel.set_yscale("log")
        panel.tick_params(axis="x", labelrotation=45, labelsize=8)
    axes[0].set_ylabel("figure (canonical units)")
    handles = [
        Line2D([], [], color=colours[c], linewidth=3, label=pd.Timestamp(v).date().isoformat())
        for c, v in enumerate(cutoffs)
    ]
    fig.legend(handles=handles, title="cutoff", loc="center right", fontsize=8, title_fontsize=8)
    fig.tight_layout(rect=(0.0, 0.0, 0.88, 1.0))
    return fig
