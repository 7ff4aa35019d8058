"""Goal seek: round trips through project, per-draw answers, unreachable targets, bad arguments."""

from __future__ import annotations

import numpy as np
import pytest

from tests.projection.helpers import REF, calculator, fit_source, goal_seek, project
from tokendemand.errors import ConfigError
from tokendemand.scenarios import Growth, Pin, Scenario
from tokendemand.structure import LEVERS, Parameters


@pytest.mark.parametrize("lever", LEVERS)
@pytest.mark.parametrize("what", ["rate", "level"])
def test_goal_seek_round_trip(lever: str, what: str) -> None:
    source = fit_source(draws=15)
    target, by = 45.0, "2029-12-31"  # the posterior median is about 40: every lever reaches it
    answer = goal_seek(source, target, by, lever, what=what)  # type: ignore[arg-type]
    assert answer.achieved == pytest.approx(target, rel=1e-9)
    again = project(source, answer.scenario, until=by).multiplier(REF, by)
    assert float(again.median()) == pytest.approx(target, rel=1e-6)


def test_goal_seek_from_a_later_start_on_a_base_scenario() -> None:
    source = fit_source(draws=9)
    answer = goal_seek(
        source, 3.0, "2030-06-30", "complexity", start="2027-01-01", scenario="cicc-moderate"
    )
    assert answer.scenario.break_even_penetration == 0.08
    assert answer.change == Growth(answer.value, start="2027-01-01")
    again = project(source, answer.scenario, until="2030-06-30").multiplier(
        "2027-01-01", "2030-06-30"
    )
    assert float(again.median()) == pytest.approx(3.0, rel=1e-6)
    assert "complexity growing" in str(answer)


def test_goal_seek_per_draw_round_trip() -> None:
    source = fit_source(draws=6)
    answer = goal_seek(source, 5.0, "2029-12-31", "usage", per_draw=True)
    assert answer.values is not None and answer.values.dims == ("draw",)
    assert answer.value == pytest.approx(float(np.median(answer.values)))
    params = source.posterior_parameters()
    for d in (0, 3, 5):
        one = Parameters(
            REF,
            scale=params.scale[d],
            intensity_ratio=params.intensity_ratio[d],
            substitution=params.substitution[d],
            **{lever: {k: v[d] for k, v in params.lever(lever).items()} for lever in LEVERS},
        )
        scenario = Scenario("d", usage=Growth(float(answer.values[d])))
        again = project(one, scenario, until="2029-12-31").multiplier(REF, "2029-12-31")
        assert float(again.squeeze()) == pytest.approx(5.0, rel=1e-6)


def test_goal_seek_unreachable() -> None:
    with pytest.raises(
        ConfigError, match=r"no penetration level in \[0, 1\] gives 1000x.*runs from"
    ):
        goal_seek(calculator(), 1000.0, "2028-12-31", "penetration", what="level")
    source = fit_source(draws=6)
    with pytest.raises(ConfigError, match="for 6 of 6 draws"):
        goal_seek(source, 1000.0, "2028-12-31", "penetration", what="level", per_draw=True)
    by = "2028-12-31"
    top = project(source, Scenario("top", penetration=Pin({by: 1.0})), until=by)
    highest = top.multiplier(REF, by).squeeze().values  # each draw's most, at full penetration
    target = float(np.median(highest))
    some = goal_seek(
        source, target, by, "penetration", what="level", per_draw=True, unreachable="nan"
    )
    assert some.values is not None
    np.testing.assert_array_equal(np.isnan(some.values), highest < target)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"lever": "agents"}, "unknown lever 'agents'"),
        ({"what": "speed"}, "what must be 'rate' or 'level'"),
        ({"target_multiplier": -2.0}, "target_multiplier must be a positive number"),
        ({"by": "2025-01-01"}, "must be after start"),
        ({"bounds": (2.0, 1.0)}, "low < high"),
        ({"lever": "penetration", "bounds": (0.0, 2.0)}, "must be positive"),
        ({"lever": "penetration", "what": "level", "bounds": (0.0, 2.0)}, r"lie in \[0, 1\]"),
        ({"unreachable": "ignore"}, "unreachable must be"),
    ],
)
def test_goal_seek_bad_arguments(kwargs: dict[str, object], expected: str) -> None:
    arguments: dict[str, object] = {"target_multiplier": 5.0, "by": "2029-12-31", "lever": "usage"}
    arguments.update(kwargs)
    with pytest.raises(ConfigError, match=expected):
        goal_seek(calculator(), **arguments)  # type: ignore[arg-type]
