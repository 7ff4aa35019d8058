"""Level plots: fan charts with observed figures, scenario comparison and decomposition."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

import tokendemand as td
from tokendemand import observations, plotting
from tokendemand.errors import ConfigError


def _labelled(ax: matplotlib.axes.Axes) -> list[str]:
    """Labels of the lines meant for a legend (matplotlib names the others '_child...')."""
    return [
        str(line.get_label()) for line in ax.get_lines() if not line.get_label().startswith("_")
    ]


def _tick_labels(figure: Figure) -> list[str]:
    figure.canvas.draw()
    return [t.get_text() for t in figure.axes[0].get_yticklabels()]


def test_fan_chart_bands_median_and_figures(projection: td.Projection) -> None:
    observations = td.datasets.load("china_national")
    figure = plotting.fan_chart(projection, observations=observations)
    ax = figure.axes[0]
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2  # 90% and 50%
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0] == "median"
    # 4 one-day figures (one a lower bound: a triangle) and the March mean (a bar over its
    # 31 days plus a triangle: it is "over 140T")
    figure_lines = [line for line in ax.get_lines() if line.get_gid() == "figure"]
    markers = [line.get_marker() for line in figure_lines if line.get_linestyle() == "None"]
    bars = [line for line in figure_lines if line.get_linestyle() != "None"]
    assert sorted(markers) == sorted(["o", "o", "o", "^", "^"])
    assert len(bars) == 1
    days = np.diff(bars[0].get_xdata().astype("datetime64[D]")).astype(int)
    assert days.tolist() == [31]
    assert ax.get_yscale() == "log"
    assert any(label.endswith("T") for label in _tick_labels(figure))
    texts = [t.get_text() for legend in _legends(ax) for t in legend.get_texts()]
    assert "50% interval" in texts and "90% interval" in texts
    assert any("lower bound" in t for t in texts)
    assert any(t.startswith("period mean or total") for t in texts)
    assert any(t.startswith("National Data Administration") for t in texts)
    assert isinstance(figure, Figure)


def _legends(ax: matplotlib.axes.Axes) -> list[matplotlib.legend.Legend]:
    found = [a for a in ax.get_children() if isinstance(a, matplotlib.legend.Legend)]
    return found


def test_fan_chart_says_what_it_leaves_out() -> None:
    seed = td.datasets.load("seed")
    proj = td.project(
        td.example_parameters(), "posterior", until="2027-12-31", freq="W", market="openrouter"
    )
    figure = plotting.fan_chart(proj, observations=seed, series="openrouter_total")
    texts = [t.get_text() for legend in _legends(figure.axes[0]) for t in legend.get_texts()]
    assert any("ratio figure" in t and "not a level" in t for t in texts)
    assert any("openrouter_china_models" in t and "sub-series" in t for t in texts)
    # the weekly total is drawn per day, as a bar over its 7 days
    drawn = [line for line in figure.axes[0].get_lines() if line.get_gid() == "figure"]
    bars = [line for line in drawn if line.get_linestyle() != "None"]
    assert len(bars) == 1
    assert bars[0].get_ydata()[0] == pytest.approx(28.9e12 / 7)


def test_observed_levels_divides_totals_by_days() -> None:
    levels = observations.observed_levels(td.datasets.load("seed"), "openrouter")
    totals = levels.frame[levels.frame["kind"] == "total"]
    assert totals["per_day"].tolist() == pytest.approx([28.9e12 / 7, 9.22e12 / 7, 4.93e12 / 7])
    assert all("not a level" in note for note in levels.notes)


def test_fan_chart_on_a_given_axes_and_bad_scenario(projection: td.Projection) -> None:
    figure, ax = plt.subplots()
    assert plotting.fan_chart(projection, ax=ax, variable="agent_share") is figure
    assert ax.get_yscale() == "linear"
    with pytest.raises(ConfigError, match="unknown scenario 'nope'"):
        plotting.fan_chart(projection, scenario="nope")
    with pytest.raises(ConfigError, match="unknown variable"):
        plotting.fan_chart(projection, variable="tokens")


def test_scenario_comparison_one_line_and_band_per_scenario(projection: td.Projection) -> None:
    figure = plotting.scenario_comparison(projection)
    ax = figure.axes[0]
    assert _labelled(ax) == ["posterior", "fast-adoption"]
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 2
    assert ax.get_yscale() == "log"
    without = plotting.scenario_comparison(projection, band=False, scenarios=["posterior"])
    assert len(without.axes[0].collections) == 0
    assert _labelled(without.axes[0]) == ["posterior"]


def test_decomposition_stacks_chatbot_and_agent(projection: td.Projection) -> None:
    figure = plotting.decomposition(projection, start=projection.reference_date)
    ax = figure.axes[0]
    stacks = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert [c.get_label() for c in stacks] == ["chatbot (median)", "agent (median)"]
    assert ax.get_yscale() == "linear"
    labels = _tick_labels(figure)
    assert any(label.endswith(("T", "Q")) for label in labels)


@pytest.mark.slow
def test_fan_chart_from_a_fit_draws_the_reference_series(fit: td.FitResult) -> None:
    proj = td.project(fit, "posterior", until="2028-12-31", freq="W", start="2024-01-01")
    figure = plotting.fan_chart(proj, fit)
    ax = figure.axes[0]
    drawn = [line for line in ax.get_lines() if line.get_gid() == "figure"]
    assert len(drawn) == 6  # 5 figures, the bounded March mean as a bar and a triangle
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 2
