"""The daily grid and the aggregation weights that map daily paths onto figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.observations.helpers import make
from tokendemand.errors import DataError
from tokendemand.observations import Observations, aggregation_weights, daily_grid


@pytest.fixture
def mixed() -> Observations:
    return Observations(
        [
            make("point", 1e12, "2026-01-03"),
            make("mean", 1e12, "2026-01-02", end="2026-01-05"),
            make("total", 1e12, "2026-01-01", end="2026-01-07"),
            make(
                "ratio",
                1.5,
                "2026-01-08",
                end="2026-01-10",
                base_start="2026-01-01",
                base_end="2026-01-02",
            ),
            make("share", 0.3, "2026-01-04", end="2026-01-06"),
            make("penetration", 0.1, "2026-01-09"),
        ]
    )


def test_daily_grid(mixed: Observations) -> None:
    grid = daily_grid(mixed)
    assert grid[0] == pd.Timestamp("2026-01-01") and grid[-1] == pd.Timestamp("2026-01-10")
    assert len(grid) == 10 and grid.freqstr == "D" and grid.name == "date"
    wide = daily_grid(mixed, end="2030-12-31")
    assert wide[0] == grid[0] and wide[-1] == pd.Timestamp("2030-12-31")
    assert len(daily_grid(Observations(), "2026-01-01", "2026-01-31")) == 31
    with pytest.raises(DataError, match="before its start"):
        daily_grid(mixed, start="2026-02-01", end="2026-01-01")
    with pytest.raises(DataError, match="no observations"):
        daily_grid(Observations())


def test_aggregation_weights_closed_forms(mixed: Observations) -> None:
    grid = daily_grid(mixed)
    weights, base = aggregation_weights(mixed, grid)
    assert weights.shape == base.shape == (6, 10)
    assert weights.dtype == base.dtype == np.float64
    # point: one-hot on its day
    assert weights[0].tolist() == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    # mean over 4 days: 1/4 each, sums to 1
    assert weights[1].tolist() == [0, 0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0, 0]
    # total over 7 days: 1 each, sums to the number of days
    assert weights[2].sum() == 7.0 and set(weights[2][:7]) == {1.0}
    # ratio: numerator and base are means over their periods
    assert weights[3].sum() == pytest.approx(1.0) and base[3].sum() == pytest.approx(1.0)
    assert base[3].tolist() == [0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]
    # share and penetration: means over their period, or 1 on the date
    assert weights[4].sum() == pytest.approx(1.0) and weights[5].tolist()[8] == 1.0
    # only ratios have base weights
    assert np.all(base[[0, 1, 2, 4, 5]] == 0.0)


def test_weights_applied_to_a_known_series(mixed: Observations) -> None:
    grid = daily_grid(mixed)
    weights, base = aggregation_weights(mixed, grid)
    x = np.arange(1.0, 11.0)  # 1, 2, ..., 10 tokens/day
    levels = weights @ x
    assert levels[0] == 3.0  # day 3
    assert levels[1] == pytest.approx((2 + 3 + 4 + 5) / 4)
    assert levels[2] == pytest.approx(sum(range(1, 8)))  # tokens over the week
    assert levels[3] / (base @ x)[3] == pytest.approx(((8 + 9 + 10) / 3) / 1.5)
    # exponential growth: a week-on-week ratio of equal weeks is exp(7 g)
    growth = 0.05
    week = Observations(
        [
            make(
                "ratio",
                1.4,
                "2026-01-08",
                end="2026-01-14",
                base_start="2026-01-01",
                base_end="2026-01-07",
            )
        ]
    )
    w, b = aggregation_weights(week, daily_grid(week))
    series = np.exp(growth * np.arange(14))
    assert (w @ series) / (b @ series) == pytest.approx(np.exp(7 * growth))


def test_weights_outside_the_grid_name_the_observations(mixed: Observations) -> None:
    short = pd.date_range("2026-01-03", "2026-01-08", freq="D")
    with pytest.raises(DataError) as caught:
        aggregation_weights(mixed, short)
    message = str(caught.value)
    for position in (1, 2, 3, 5):
        assert f"observations[{position}]" in message
    assert "observations[0]" not in message and "observations[4]" not in message
    assert "s ratio 2026-01-08..2026-01-10 over 2026-01-01..2026-01-02" in message


@pytest.mark.parametrize(
    "grid",
    [
        pd.DatetimeIndex(["2026-01-01", "2026-01-03"]),
        pd.date_range("2026-01-01", periods=3, freq="D", tz="UTC"),
        pd.date_range("2026-01-01 06:00", periods=3, freq="D"),
        pd.DatetimeIndex([]),
    ],
)
def test_weights_need_a_daily_grid(grid: pd.DatetimeIndex) -> None:
    with pytest.raises(DataError, match="grid"):
        aggregation_weights(Observations([make(start="2026-01-01")]), grid)
