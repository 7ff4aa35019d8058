"""PricePath: steps, log-linear moves, yearly changes, and every bad input reported."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tokendemand.errors import ConfigError
from tokendemand.factory.paths import PricePath


def test_step_holds_until_the_next_point_and_is_flat_outside() -> None:
    path = PricePath([("2025-01-20", 1.0), ("2025-09-29", 0.2)])
    dates = ["2024-01-01", "2025-01-20", "2025-09-28", "2025-09-29", "2030-01-01"]
    assert path.factor(dates).tolist() == [1.0, 1.0, 1.0, 0.2, 0.2]


def test_log_linear_is_geometric_between_points() -> None:
    path = PricePath([("2026-01-01", 1.0), ("2026-01-11", 0.25)], "log-linear")
    assert path.factor(["2026-01-06"])[0] == pytest.approx(0.5, rel=1e-12)


def test_yearly_compounds_each_change() -> None:
    path = PricePath.yearly("2026-01-01", [-0.5, 0.2, 0.0])
    factors = path.factor(["2026-01-01", "2027-01-01", "2028-01-01", "2029-01-01", "2035-01-01"])
    np.testing.assert_allclose(factors, [1.0, 0.5, 0.6, 0.6, 0.6], rtol=1e-12)
    middle = pd.Timestamp("2026-07-02 12:00")  # half of 2026 (365 days)
    assert path.factor([middle])[0] == pytest.approx(math.sqrt(0.5), rel=1e-12)


def test_constant_is_one_everywhere() -> None:
    assert PricePath.constant().factor(["1990-01-01", "2050-01-01"]).tolist() == [1.0, 1.0]


def test_to_dict_round_trips() -> None:
    path = PricePath([("2025-01-20", 1.0), ("2025-09-29", 0.2)], "log-linear")
    spec = path.to_dict()
    assert PricePath(spec["points"], spec["interpolation"]) == path


def test_every_problem_is_listed_once() -> None:
    with pytest.raises(ConfigError) as error:
        PricePath([("not a date", 1.0), ("2025-01-01", -2.0), (3,)], "cubic")  # type: ignore[list-item, arg-type]
    message = str(error.value)
    assert "point 0: 'not a date' is not a date" in message
    assert "point 1: factor -2.0 is not a positive number" in message
    assert "point 2: (3,) is not a (date, factor) pair" in message
    assert "interpolation 'cubic'" in message


@pytest.mark.parametrize(
    ("points", "needle"),
    [
        ([], "at least one"),
        ([("2026-01-01", 1.0), ("2025-01-01", 0.5)], "increase strictly"),
        ([("2026-01-01", float("nan"))], "not a positive number"),
        ([("2026-01-01", True)], "not a positive number"),
    ],
)
def test_bad_points(points: list[tuple[str, float]], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        PricePath(points)


def test_yearly_rejects_changes_of_minus_one_or_less_and_bad_starts() -> None:
    with pytest.raises(ConfigError, match="exceed -1"):
        PricePath.yearly("2026-01-01", [-1.0])
    with pytest.raises(ConfigError, match="not a date"):
        PricePath.yearly("soon", [0.1])
