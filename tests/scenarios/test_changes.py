"""Lever changes: Scale, Growth, Pin and Override and their checks."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tokendemand.errors import ConfigError
from tokendemand.scenarios import Growth, Override, Pin, Scale


def test_scale_keeps_factor_and_start() -> None:
    change = Scale(2, start="2027-01-01")
    assert change.factor == 2.0
    assert change.start == pd.Timestamp("2027-01-01")


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf, "fast", True])
def test_scale_rejects_non_positive_or_non_numbers(bad: object) -> None:
    with pytest.raises(ConfigError, match="Scale factor"):
        Scale(bad)  # type: ignore[arg-type]


def test_growth_per_year_is_the_log_of_the_multiple() -> None:
    assert Growth.per_year(4.0).annual_rate == pytest.approx(math.log(4.0), rel=1e-15)
    with pytest.raises(ConfigError, match="positive multiple"):
        Growth.per_year(0.0)


def test_pin_accepts_pairs_or_a_mapping() -> None:
    pairs = Pin([("2028-01-01", 0.2), ("2030-01-01", 0.4)])
    mapping = Pin({"2028-01-01": 0.2, "2030-01-01": 0.4})
    assert pairs == mapping
    assert pairs.points[1] == (pd.Timestamp("2030-01-01"), 0.4)


def test_pin_lists_every_problem_at_once() -> None:
    with pytest.raises(ConfigError) as info:
        Pin([("2030-01-01", 0.4), ("2028-01-01", 0.2), ("not a date", 0.1), ("2031-01-01", "x")])
    message = str(info.value)
    assert "must increase" in message
    assert "'not a date' is not a date" in message
    assert "Pin point 3 value: expected a number" in message


def test_pin_needs_points() -> None:
    with pytest.raises(ConfigError, match="at least one"):
        Pin([])


def test_override_values_and_errors() -> None:
    assert Override(ceiling=0.6, midpoint="2028-06-30").values == {
        "ceiling": 0.6,
        "midpoint": pd.Timestamp("2028-06-30"),
    }
    with pytest.raises(ConfigError, match="at least one parameter"):
        Override()
    with pytest.raises(ConfigError, match="ceiling"):
        Override(ceiling=math.nan)
