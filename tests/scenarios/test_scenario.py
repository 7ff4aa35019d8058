"""Scenario: lever order, validation with every problem at once, dict round trips."""

from __future__ import annotations

import pytest

from tokendemand.errors import ConfigError
from tokendemand.scenarios import (
    Growth,
    Override,
    Pin,
    Scale,
    Scenario,
    builtin,
    example_path,
    load_toml,
)


def test_scenario_lists_its_changes_in_lever_order() -> None:
    s = Scenario("mix", "d", usage=Growth(0.1), users=Scale(0.5), penetration=Pin({"2028": 0.3}))
    assert list(s.changes) == ["users", "penetration", "usage"]


def test_unknown_lever_is_a_config_error_with_a_suggestion() -> None:
    with pytest.raises(ConfigError, match=r"unknown lever or option 'penetraton'.*'penetration'"):
        Scenario("x", penetraton=Scale(2.0))


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"penetration": Pin({"2028-01-01": 1.2})}, r"pinned value 1.2 .* outside \[0, 1\]"),
        ({"penetration": Pin({"2028-01-01": -0.1})}, r"outside \[0, 1\]"),
        ({"complexity": Pin({"2028-01-01": 0.0})}, "must be positive"),
        ({"penetration": Growth(0.5)}, "Growth applies to the indices"),
        ({"usage": 2.0}, "expected Scale, Growth, Pin or Override"),
        ({"penetration": Override(ceilling=0.5)}, "unknown parameter 'ceilling'.*'ceiling'"),
        ({"complexity": Override(ceiling=0.5)}, "unknown parameter 'ceiling'"),
        ({"penetration": Override(ceiling=1.5)}, r"ceiling 1.5 must be in \(0, 1\]"),
        ({"penetration": Override(p=0.0)}, "p 0.0 must be positive"),
        ({"usage": Override(ceiling_multiple=1.0)}, "ceiling_multiple"),
        ({"penetration": Override(rate="2028-01-01")}, "rate must be a number"),
        ({"intensity_ratio": 0.0}, "intensity_ratio must be positive"),
        ({"break_even_penetration": 1.5}, r"break_even_penetration must be in \(0, 1\]"),
        ({"break_even_penetration": 0.0}, r"must be in \(0, 1\]"),
        ({"intensity_ratio": 12.5, "break_even_penetration": 0.08}, "not both"),
        ({"substitution": 1.2}, r"substitution must be in \[0, 1\]"),
        ({"substitution": "half"}, "substitution: expected a number"),
        ({"start": "someday"}, "start: 'someday' is not a date"),
        ({"recalibrate": "yes"}, "recalibrate must be true or false"),
        (
            {"start": "2027-01-01", "usage": Pin({"2026-06-01": 2.0})},
            "first pinned date 2026-06-01 is before the change starts",
        ),
        ({"usage": Pin({"2026-06-01": 2.0}, start="2027-01-01")}, "before the change starts"),
    ],
)
def test_bad_scenario_inputs(kwargs: dict[str, object], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        Scenario("bad", **kwargs)  # type: ignore[arg-type]


def test_bad_name_is_rejected() -> None:
    with pytest.raises(ConfigError, match="non-empty string"):
        Scenario("  ")


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as info:
        Scenario(
            "many",
            penetration=Pin({"2028-01-01": 2.0}),
            usage=Growth(0.1),
            intensity_ratio=-1.0,
            substitution=2.0,
            colour="red",
        )
    lines = str(info.value).splitlines()
    assert lines[0] == "invalid scenario 'many':"
    assert len(lines) == 5  # header + colour, penetration, intensity_ratio, substitution


def test_replace_validates_again() -> None:
    base = builtin("posterior")
    assert base.replace(usage=Growth(0.2)).usage == Growth(0.2)
    with pytest.raises(ConfigError, match="substitution"):
        base.replace(substitution=3.0)


@pytest.mark.parametrize("scenario", [*builtin(), *load_toml(example_path())])
def test_to_dict_and_from_dict_round_trip(scenario: Scenario) -> None:
    assert Scenario.from_dict(scenario.to_dict()) == scenario


def test_from_dict_reports_problems() -> None:
    with pytest.raises(ConfigError, match="penetration: several modes"):
        Scenario.from_dict({"name": "x", "penetration": {"scale": 2.0, "pin": []}})
