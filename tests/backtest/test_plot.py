"""The backtest plot: one panel per method."""

from __future__ import annotations

import tokendemand as td
from tokendemand.backtest import BASELINES, STRUCTURAL, backtest, plot_backtest
from tokendemand.observations import Observations


def test_plot_has_a_panel_per_method(recorded: list[Observations]) -> None:
    import matplotlib.pyplot as plt

    table = backtest(td.datasets.load("china_national"), random_seed=0)
    figure = plot_backtest(table)
    try:
        titles = [ax.get_title() for ax in figure.axes]
        assert [t.split("\n")[0] for t in titles] == [STRUCTURAL, *BASELINES]
        assert titles[-1] == "loglinear\nno figure scored"  # too few figures before 2025-12-31
        assert all(ax.get_yscale() == "log" for ax in figure.axes)
    finally:
        plt.close(figure)
