"""Goal seek for every draw at once: each draw's own brentq answer, and the target hit."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import brentq

from tokendemand.calculator import example_parameters
from tokendemand.dates import days_since
from tokendemand.projection import goal_seek, project
from tokendemand.projection.plan import make_plan, resolve_source
from tokendemand.scenarios import Growth, Pin, Scale, Scenario, builtin
from tokendemand.structure import Parameters

BY = "2028-12-31"


def draws(n: int = 24) -> Parameters:
    rng = np.random.default_rng(9)
    return example_parameters().replace(
        penetration={"rate": rng.uniform(0.6, 1.4, n)},
        complexity={"annual_rate": rng.uniform(0.3, 1.0, n)},
        intensity_ratio=rng.uniform(8.0, 16.0, n),
    )


def one_at_a_time(p: Parameters, lever: str, what: str, target: float) -> np.ndarray:
    """One brentq per draw on a one-draw plan: the way goal seek solved before."""
    resolved = resolve_source(p, None, None)
    first = resolved.parameters.reference_date
    plan = make_plan(resolved, builtin("posterior"))
    t = days_since([first, BY], first)
    logged = lever == "penetration" and what == "rate"
    low, high = {"rate": (-5.0, 5.0), "level": (0.0, 1.0)}[what]  # the default bounds
    if logged:
        low, high = math.log(1e-3), math.log(1e3)

    def gap(value: float, d: int) -> float:
        x = math.exp(value) if logged else value
        if what == "level":
            change = Pin([(BY, x)], start=first)
        elif lever == "penetration":
            change = Scale(x, start=first)
        else:
            change = Growth(x, start=first)
        trial = replace(plan, changes=(*plan.changes, (lever, change, t[0])))
        total = trial.components(t, slice(d, d + 1))["total"]
        return float(total[0, 1] / total[0, 0]) - target

    out = np.full(resolved.draws, np.nan)
    for d in range(resolved.draws):
        if (gap(low, d) > 0) != (gap(high, d) > 0):
            root = brentq(gap, low, high, args=(d,), xtol=1e-14, rtol=4 * np.finfo(float).eps)
            out[d] = math.exp(root) if logged else root
    return out


@pytest.mark.parametrize(
    ("lever", "what", "target"),
    [("complexity", "rate", 5.0), ("penetration", "rate", 5.0), ("penetration", "level", 3.0)],
)
def test_every_draw_gets_its_own_brentq_answer(lever: str, what: str, target: float) -> None:
    p = draws()
    answer = goal_seek(p, target, BY, lever, what=what, per_draw=True, unreachable="nan")  # type: ignore[arg-type]
    assert answer.values is not None
    expected = one_at_a_time(p, lever, what, target)
    found = answer.values.values
    assert np.array_equal(np.isnan(found), np.isnan(expected))
    assert (~np.isnan(found)).sum() >= 12
    np.testing.assert_allclose(found, expected, rtol=1e-9, atol=1e-12)


def test_each_draw_hits_the_target_when_projected() -> None:
    p = draws(6)
    answer = goal_seek(p, 4.0, BY, "complexity", per_draw=True)
    assert answer.values is not None
    for d, rate in enumerate(answer.values.values):
        one = p.replace(
            penetration={"rate": np.asarray(p.penetration["rate"])[d]},
            complexity={"annual_rate": np.asarray(p.complexity["annual_rate"])[d]},
            intensity_ratio=np.asarray(p.intensity_ratio)[d],
        )
        scenario = Scenario("x", complexity=Growth(float(rate)))
        achieved = float(project(one, scenario, until=BY).multiplier(end=BY)[0, 0])
        assert abs(achieved / 4.0 - 1.0) < 1e-6, (d, achieved)
