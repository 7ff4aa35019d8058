"""Benchmark: goal seek for every draw (``per_draw=True``) against the loop it replaced.

4,000 calculator-mode draws; "what complexity growth (and what adoption speed) gives 5x daily
tokens by 2028-12-31?". The old way solved each draw with its own :func:`scipy.optimize.brentq`
on one-draw plans (reproduced below with the public plan API); the new one solves all draws in
one :func:`scipy.optimize.elementwise.find_root` call. Both run warm (a first call is made and
not timed). Prints both times, their ratio, the largest difference of the answers and how far
the achieved multipliers miss the target; the last line is
``seconds=<float> old_seconds=<float> speedup=<float> max_difference=<float>``.

Run: ``python bench/goal_seek.py [--draws 4000]``
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import replace
from typing import Any

import numpy as np
from scipy.optimize import brentq

from tokendemand.calculator import example_parameters
from tokendemand.dates import days_since, to_day
from tokendemand.errors import ConfigError
from tokendemand.projection import goal_seek, project
from tokendemand.projection.plan import make_plan, resolve_source
from tokendemand.scenarios import Growth, Scale, builtin
from tokendemand.structure import Parameters

TARGET, BY = 5.0, "2028-12-31"
CASES = (("complexity", (-5.0, 5.0), False), ("penetration", (1e-3, 1e3), True))


def source(draws: int, seed: int = 3) -> Parameters:
    rng = np.random.default_rng(seed)
    return example_parameters().replace(
        penetration={"rate": rng.uniform(0.6, 1.4, draws)},
        complexity={"annual_rate": rng.uniform(0.3, 1.0, draws)},
        intensity_ratio=rng.uniform(8.0, 16.0, draws),
    )


def old_loop(p: Parameters, lever: str, bounds: tuple[float, float], logged: bool) -> Any:
    """The per-draw loop of the previous goal_seek: one brentq per draw."""
    resolved = resolve_source(p, None, None)
    reference = resolved.parameters.reference_date
    first, last = reference, to_day(BY, "by", ConfigError)
    plan = make_plan(resolved, builtin("posterior"))
    t = days_since([first, last], reference)
    span = (math.log(bounds[0]), math.log(bounds[1])) if logged else bounds

    def gap(value: float, d: int) -> float:
        x = math.exp(value) if logged else value
        change = Scale(x, start=first) if lever == "penetration" else Growth(x, start=first)
        trial = replace(plan, changes=(*plan.changes, (lever, change, t[0])))
        total = trial.components(t, slice(d, d + 1))["total"]
        return float(total[0, 1] / total[0, 0]) - TARGET

    found = np.full(resolved.draws, np.nan)
    for d in range(resolved.draws):
        if (gap(span[0], d) > 0.0) != (gap(span[1], d) > 0.0):
            root = brentq(gap, *span, args=(d,), xtol=1e-14, rtol=4 * np.finfo(float).eps)
            found[d] = math.exp(root) if logged else root
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=4000)
    args = parser.parse_args()
    p = source(args.draws)
    new_total = old_total = 0.0
    worst = miss = 0.0
    for lever, bounds, logged in CASES:
        goal_seek(p, TARGET, BY, lever, per_draw=True, unreachable="nan")  # warm
        start = time.perf_counter()
        answer = goal_seek(p, TARGET, BY, lever, per_draw=True, unreachable="nan")
        new_s = time.perf_counter() - start
        old_loop(source(8), lever, bounds, logged)  # warm
        start = time.perf_counter()
        old = old_loop(p, lever, bounds, logged)
        old_s = time.perf_counter() - start
        assert answer.values is not None
        new = answer.values.values
        same_nan = bool(np.array_equal(np.isnan(new), np.isnan(old)))
        difference = float(np.nanmax(np.abs(new - old) / np.maximum(np.abs(old), 1.0)))
        # the achieved multiplier of a few draws, projected with the answer's own change
        picked = np.flatnonzero(~np.isnan(new))[:: max(1, args.draws // 50)]
        for d in picked:
            one = p.replace(
                penetration={"rate": np.asarray(p.penetration["rate"])[d]},
                complexity={"annual_rate": np.asarray(p.complexity["annual_rate"])[d]},
                intensity_ratio=np.asarray(p.intensity_ratio)[d],
            )
            value = float(new[d])
            change = Scale(value) if lever == "penetration" else Growth(value)
            scenario = builtin("posterior").replace(name="x", **{lever: change})
            achieved = float(project(one, scenario, until=BY).multiplier(end=BY)[0, 0])
            miss = max(miss, abs(achieved / TARGET - 1.0))
        print(
            f"{lever}: {args.draws} draws, vectorised {new_s:.3f} s, old loop {old_s:.2f} s "
            f"({old_s / new_s:.0f}x); same unreachable draws: {same_nan}; largest relative "
            f"difference {difference:.1e}"
        )
        new_total += new_s
        old_total += old_s
        worst = max(worst, difference)
    print(f"largest relative miss of the target, {len(CASES)} levers, sampled draws: {miss:.1e}")
    print(
        f"seconds={new_total:.4f} old_seconds={old_total:.3f} "
        f"speedup={old_total / new_total:.1f} max_difference={worst:.2e}"
    )


if __name__ == "__main__":
    main()
