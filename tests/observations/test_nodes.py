"""Node interpolation: exact on node days and for linear paths; close for the model's curves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokendemand.observations import (
    Observation,
    Observations,
    aggregation_weights,
    daily_grid,
    node_interpolation,
)


def _figures() -> Observations:
    return Observations(
        [
            Observation("s", "m", "point", 1.0, "2025-01-10", "2025-01-10", source="t"),
            Observation("s", "m", "total", 1.0, "2025-02-01", "2025-12-31", source="t"),
            Observation("s", "m", "mean", 1.0, "2026-01-01", "2026-01-07", source="t"),
        ]
    )


def test_nodes_keep_boundaries_and_a_node_a_week_inside_long_periods() -> None:
    observations = _figures()
    grid = daily_grid(observations)
    weights, _ = aggregation_weights(observations, grid)
    days = pd.DatetimeIndex(grid[(weights != 0).any(axis=0)])
    nodes, interpolation = node_interpolation(observations, days)
    assert {"2025-01-10", "2025-02-01", "2025-12-31", "2026-01-01", "2026-01-07"} <= {
        d.date().isoformat() for d in nodes
    }
    assert len(nodes) < len(days) / 4
    np.testing.assert_allclose(interpolation.sum(axis=1), 1.0)
    # linear paths are reproduced exactly; a growing exponential within 0.1%
    t = (days - days[0]).days.to_numpy(dtype=float)
    tn = (nodes - days[0]).days.to_numpy(dtype=float)
    np.testing.assert_allclose(interpolation @ (3.0 + 2.0 * tn), 3.0 + 2.0 * t, rtol=1e-12)
    grow = np.exp(3.0 * t / 365.25)
    total = weights[:, (weights != 0).any(axis=0)]
    np.testing.assert_allclose(
        total @ (interpolation @ np.exp(3.0 * tn / 365.25)), total @ grow, rtol=1e-3
    )


def test_spacing_of_one_day_keeps_every_day() -> None:
    observations = _figures()
    grid = daily_grid(observations)
    weights, _ = aggregation_weights(observations, grid)
    days = pd.DatetimeIndex(grid[(weights != 0).any(axis=0)])
    nodes, interpolation = node_interpolation(observations, days, spacing=1)
    assert len(nodes) == len(days)
    np.testing.assert_array_equal(interpolation, np.eye(len(days)))
