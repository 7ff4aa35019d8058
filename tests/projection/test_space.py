"""Scenario spaces: settings parsed, spaces checked, rows as scenarios, spaces sampled."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tokendemand.errors import ConfigError
from tokendemand.projection.space import (
    Setting,
    check_space,
    parse_setting,
    row_scenario,
    sample_space,
)
from tokendemand.scenarios import Growth, Override, Scale, Scenario


def test_parse_setting_reads_lever_mode_and_overridden_parameters() -> None:
    expected = Setting("penetration.scale", "penetration", "scale")
    assert parse_setting("penetration.scale") == expected
    assert parse_setting("usage.growth").mode == "growth"
    assert parse_setting("penetration.ceiling") == Setting(
        "penetration.ceiling", "penetration", "override", "ceiling"
    )
    assert parse_setting("intensity_ratio").lever is None


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("penetraton.scale", "unknown setting"),
        ("scale", "unknown setting"),
        ("penetration.growth", "penetration is a share"),
        ("complexity.pin", "one number"),
    ],
)
def test_parse_setting_names_the_fix(name: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_setting(name)


def test_check_space_lists_every_problem_at_once() -> None:
    space = pd.DataFrame(
        {
            "penetration.scale": [1.0, -2.0],
            "penetration.ceiling": [0.5, 0.6],
            "intensity_ratio": [10.0, 12.0],
            "break_even_penetration": [0.1, 1.5],
            "oops": [1.0, 2.0],
        }
    )
    with pytest.raises(ConfigError) as error:
        check_space(space)
    message = str(error.value)
    for fragment in (
        "penetration has several settings",
        "not both",
        "penetration.scale must be positive: row 1 has -2.0",
        "break_even_penetration must be in (0, 1]",
        "unknown setting 'oops'",
    ):
        assert fragment in message, fragment


def test_check_space_wants_numbers_and_a_dataframe() -> None:
    with pytest.raises(ConfigError, match="values must be numbers"):
        check_space(pd.DataFrame({"complexity.growth": ["fast"]}))
    with pytest.raises(ConfigError, match="a space is a pandas DataFrame"):
        check_space({"complexity.growth": [1.0]})  # type: ignore[arg-type]


def test_row_scenario_makes_each_change_and_replaces_rho() -> None:
    space = pd.DataFrame(
        {
            "penetration.scale": [2.0],
            "complexity.per_year": [4.0],
            "usage.growth": [0.1],
            "chatbot.ceiling_multiple": [3.0],
            "intensity_ratio": [9.0],
        },
        index=["a"],
    )
    base = Scenario("cicc", break_even_penetration=0.08)
    scenario = row_scenario(space, "a", base)
    assert scenario.name == "cicc:a"
    assert scenario.penetration == Scale(2.0)
    assert isinstance(scenario.complexity, Growth)
    assert math.isclose(scenario.complexity.annual_rate, math.log(4.0), rel_tol=1e-15)
    assert scenario.usage == Growth(0.1)
    assert scenario.chatbot == Override(ceiling_multiple=3.0)
    assert scenario.intensity_ratio == 9.0 and scenario.break_even_penetration is None
    with pytest.raises(ConfigError, match="not in the space"):
        row_scenario(space, "b")


@pytest.mark.parametrize("method", ["sobol", "latin"])
def test_sample_space_covers_the_ranges(method: str) -> None:
    ranges = {"penetration.scale": (0.5, 2.0), "complexity.per_year": (1.5, 4.0)}
    space = sample_space(ranges, 64, method=method, seed=3)  # type: ignore[arg-type]
    assert list(space.columns) == list(ranges) and len(space) == 64
    for name, (low, high) in ranges.items():
        values = space[name].to_numpy()
        assert values.min() >= low and values.max() <= high
        # stratified: each quarter of the range holds a quarter of the rows
        counts = np.histogram(values, bins=4, range=(low, high))[0]
        assert np.array_equal(counts, [16, 16, 16, 16]), counts
    assert sample_space(ranges, 64, method=method, seed=3).equals(space)  # type: ignore[arg-type]
    assert len(sample_space(ranges, 10)) == 10


def test_sample_space_rejects_bad_ranges() -> None:
    with pytest.raises(ConfigError) as error:
        sample_space({"penetration.scale": (2.0, 1.0), "x": "ab"}, 0, method="grid")  # type: ignore[arg-type, dict-item]
    message = str(error.value)
    assert "low 2.0 must be below high 1.0" in message
    assert "n must be a positive integer" in message
    assert "method must be" in message
