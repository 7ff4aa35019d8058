"""Figures for research reports: fan charts, decomposition, break-even, scenarios, attribution,
prior against posterior.

Every function takes results (a :class:`~tokendemand.projection.Projection`, a
:class:`~tokendemand.fitting.result.FitResult`) and an optional ``ax``, draws in one house style
and returns the :class:`matplotlib.figure.Figure`. Matplotlib is imported only when a function
runs, and global ``rcParams`` are never changed: the style is set on each artist.

=============================  ===================================================================
function                       draws
=============================  ===================================================================
:func:`fan_chart`              median, 50% and 90% bands of one scenario, with the published
                               figures of the market's reference series: coloured by source, a
                               dot for a one-day figure, a bar over its days (and a diamond at its
                               middle) for a period mean or total per day, a triangle for a lower
                               or upper bound
:func:`scenario_comparison`    the median (and 50% band) of each scenario
:func:`decomposition`          chatbot and agent tokens stacked, and the median break-even date
:func:`break_even_cdf`         P(agents have reached chatbots by date), per scenario
:func:`attribution_waterfall`  each lever's factor of the growth multiplier, log scale
:func:`prior_posterior`        prior and posterior histograms, one panel per parameter
:func:`capacity_fan`           GPUs and facility MW of a token factory (:mod:`tokendemand.factory`)
:func:`revenue_comparison`     token revenue against the same fleet's rental revenue
:func:`tornado`                one-at-a-time swings of an output, widest on top
:func:`sobol_bars`             first-order and total Sobol' indices with bootstrap bounds
=============================  ===================================================================

Token axes read ``100B``, ``10T``, ``1Q`` (:func:`~tokendemand.units.format_tokens`) and turn
logarithmic when the levels span more than 1.5 orders of magnitude. Text falls back to the
first installed font of :data:`CJK_FAMILIES` for Chinese names; without one they show ``?``.

Examples
--------
>>> import tokendemand as td
>>> from tokendemand import plotting
>>> projection = td.project(td.example_parameters(), ["posterior", "cicc-moderate"],
...                         until="2028-12-31", freq="W")
>>> figure = plotting.scenario_comparison(projection)
>>> figure.axes[0].get_legend_handles_labels()[1]
['posterior', 'cicc-moderate']
>>> import matplotlib.pyplot as plt; plt.close(figure)
"""

from __future__ import annotations

from tokendemand.plotting._style import CJK_FAMILIES, PALETTE
from tokendemand.plotting.analyses import (
    attribution_factors,
    attribution_waterfall,
    break_even_cdf,
)
from tokendemand.plotting.economics import capacity_fan, economics_fan, revenue_comparison
from tokendemand.plotting.levels import (
    decomposition,
    fan_chart,
    scenario_comparison,
)
from tokendemand.plotting.parameters import parameter_draws, prior_posterior
from tokendemand.plotting.sensitivity import sobol_bars, tornado

__all__ = [
    "CJK_FAMILIES",
    "PALETTE",
    "attribution_factors",
    "attribution_waterfall",
    "break_even_cdf",
    "capacity_fan",
    "decomposition",
    "economics_fan",
    "fan_chart",
    "parameter_draws",
    "prior_posterior",
    "revenue_comparison",
    "scenario_comparison",
    "sobol_bars",
    "tornado",
]
