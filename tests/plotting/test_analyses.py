"""Analysis plots: break-even CDFs and the attribution waterfall."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.patches import Rectangle

import tokendemand as td
from tokendemand import plotting


def test_break_even_cdf_one_curve_per_scenario(projection: td.Projection) -> None:
    figure = plotting.break_even_cdf(projection)
    ax = figure.axes[0]
    curves = [line for line in ax.get_lines() if line.get_label().startswith(("post", "fast"))]
    assert len(curves) == 2
    for curve in curves:
        y = np.asarray(curve.get_ydata(), dtype=float)
        assert np.all(np.diff(y) >= 0) and 0.0 <= y[0] and y[-1] <= 1.0
    assert ax.get_ylim() == pytest.approx((0.0, 1.02))
    assert f"not by {projection.dates[-1].date()}" in curves[0].get_label()


def test_attribution_waterfall_bars_multiply_to_total(projection: td.Projection) -> None:
    factors = plotting.attribution_factors(projection, "posterior")
    levers = factors.drop("total")
    assert float(np.prod(levers)) == pytest.approx(float(factors["total"]))
    assert float(factors["total"]) == pytest.approx(
        float(np.exp(np.log(projection.multiplier().sel(scenario="posterior")).mean()))
    )
    figure = plotting.attribution_waterfall(projection, "posterior")
    ax = figure.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 6
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == [*td.structure.LEVERS, "total"]
    notes = [t.get_text() for t in ax.texts]
    assert len(notes) == 6 and all(n.startswith("×") for n in notes)
    total_bar = bars[-1]
    assert total_bar.get_y() == pytest.approx(1.0)
    assert total_bar.get_y() + total_bar.get_height() == pytest.approx(float(factors["total"]))
