"""Simulated figures: the structural equation aggregated in each figure's shape."""

from __future__ import annotations

import numpy as np
import pandas as pd

import tokendemand as td
from tests.fitting.helpers import truth
from tokendemand.observations import Observations
from tokendemand.structure import Structure


def test_simulated_figures_are_the_equation_in_each_shape(template: Observations) -> None:
    """With zero noise, each simulated figure is the daily path aggregated as its kind says."""
    p = truth()
    structure = Structure()
    sim = td.fitting.simulate(structure, p, template, noise=0.0, coverage={"subseries": 0.4})
    daily = structure.evaluate(p, pd.date_range("2024-06-01", "2026-04-30", freq="D"))
    total = daily["total"]
    expected = [
        total["2024-06-30"],
        total["2025-03-01":"2025-03-31"].mean(),
        total["2025-09-01":"2025-09-07"].sum(),
        total["2026-03-31"],
        total["2026-03-25":"2026-03-31"].mean() / total["2026-03-18":"2026-03-24"].mean(),
        0.4 * total["2026-03-31"],
        daily["penetration"]["2026-01-15"],
        daily["agent_share"]["2026-02-01":"2026-02-28"].mean(),
        0.4,
    ]
    got = [o.value for o in sim]
    # period figures come from weekly nodes interpolated linearly to the days
    # (observations.node_interpolation): within 0.1% of the daily sum for these curves
    np.testing.assert_allclose(got, expected, rtol=1e-3)
    assert all(o.source == "simulated from test" for o in sim)
