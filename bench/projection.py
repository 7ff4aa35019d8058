"""Benchmark: ``project`` against a hand-written numpy evaluation of the same formula.

Shapes: 1000 draws x 4 built-in scenarios x 10 years of days (float64). The floor computes the
same ten variables with plain numpy, one scenario at a time, into preallocated arrays. The run
checks that both agree, then prints the timings (best of three), the ratio, and the peak memory
traced (tracemalloc) while ``project`` runs relative to the bytes of the arrays it returns.

Run: ``python bench/projection.py``. The last line is exactly
``ratio=<float> memory_ratio=<float>`` (targets: ratio <= 2, memory_ratio < 1.5).
"""

from __future__ import annotations

import gc
import math
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from tokendemand.dates import DAYS_PER_YEAR, days_since
from tokendemand.projection import project
from tokendemand.scenarios import builtin
from tokendemand.structure import COMPONENTS, Parameters

DRAWS = 1000
REFERENCE = pd.Timestamp("2026-03-31")
UNTIL = REFERENCE + pd.DateOffset(years=10)
Y = DAYS_PER_YEAR
Array = np.ndarray[Any, np.dtype[np.float64]]


def draws(seed: int = 0) -> Parameters:
    """Posterior-like draws of every parameter of the default structure (logistic penetration;
    saturating users, chatbot intensity and complexity; constant usage)."""
    rng = np.random.default_rng(seed)
    n = DRAWS
    return Parameters(
        REFERENCE,
        scale=rng.lognormal(math.log(1e14), 0.1, n),
        intensity_ratio=rng.lognormal(math.log(12.5), 0.2, n),
        penetration={
            "ceiling": rng.uniform(0.3, 0.7, n),
            "midpoint": rng.normal(900.0, 150.0, n),
            "rate": rng.lognormal(0.0, 0.2, n),
        },
        users={
            "annual_rate": rng.normal(0.1, 0.03, n),
            "ceiling_multiple": 1 + rng.lognormal(0, 0.3, n),
        },
        chatbot={
            "annual_rate": rng.normal(0.15, 0.05, n),
            "ceiling_multiple": 1 + rng.lognormal(1.0, 0.3, n),
        },
        complexity={
            "annual_rate": rng.normal(0.4, 0.1, n),
            "ceiling_multiple": 1 + rng.lognormal(2.0, 0.5, n),
        },
        substitution=rng.uniform(0.0, 0.5, n),
    )


def floor(p: Parameters, t: Array) -> dict[str, Array]:
    """The four built-in scenarios written out by hand in numpy."""
    col = {  # (draws, 1) columns
        "b": p.scale[:, None],
        "rho": p.intensity_ratio[:, None],
        "s": p.substitution[:, None],
        "c": p.penetration["ceiling"][:, None],
        "m": p.penetration["midpoint"][:, None],
        "r": p.penetration["rate"][:, None],
        "rn": p.users["annual_rate"][:, None],
        "cn": p.users["ceiling_multiple"][:, None],
        "ru": p.chatbot["annual_rate"][:, None],
        "cu": p.chatbot["ceiling_multiple"][:, None],
        "rk": p.complexity["annual_rate"][:, None],
        "ck": p.complexity["ceiling_multiple"][:, None],
    }

    def saturating(rate: Array, ceiling: Array) -> Array:
        return ceiling / (1.0 + (ceiling - 1.0) * np.exp(-rate * ceiling / (ceiling - 1.0) * t / Y))

    scenarios = builtin()
    out = {name: np.empty((len(scenarios), DRAWS, t.size)) for name in COMPONENTS}
    pi0 = col["c"] / (1.0 + np.exp(col["r"] * col["m"] / Y))  # penetration at t = 0
    total0 = col["b"] * ((1.0 - col["s"] * pi0) + col["rho"] * pi0)
    for i, scenario in enumerate(scenarios):
        rho, b = col["rho"], col["b"]
        if scenario.break_even_penetration is not None:
            rho = 1.0 / scenario.break_even_penetration - col["s"]
            b = total0 / ((1.0 - col["s"] * pi0) + rho * pi0)
        speed = getattr(scenario.penetration, "factor", 1.0)
        warped = np.where(t > 0, speed * t, t)
        n = saturating(col["rn"], col["cn"])
        u = saturating(col["ru"], col["cu"])
        k = saturating(col["rk"], col["ck"])
        h = np.ones_like(k)
        pi = col["c"] / (1.0 + np.exp(-col["r"] * (warped - col["m"]) / Y))
        chatbot = b * n * u * (1.0 - col["s"] * pi)
        agent = b * n * rho * pi * k * h
        total = chatbot + agent
        values = {
            "total": total,
            "chatbot": chatbot,
            "agent": agent,
            "penetration": pi,
            "complexity": k,
            "usage": h,
            "users": n,
            "chatbot_intensity": u,
            "agent_share": agent / total,
            "break_even_penetration": u / (rho * k * h + col["s"] * u),
        }
        for name in COMPONENTS:
            out[name][i] = values[name]
    return out


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        begin = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - begin)
        del result
    return min(times)


def main() -> None:
    params = draws()
    t = days_since(pd.date_range(REFERENCE, UNTIL, freq="D"), REFERENCE)

    def run() -> Any:
        return project(params, None, until=UNTIL, variables="all")

    projection = run()
    expected = floor(params, t)
    for name in COMPONENTS:
        np.testing.assert_allclose(projection.dataset[name].values, expected[name], rtol=1e-10)
    returned = sum(projection.dataset[name].nbytes for name in COMPONENTS)
    sizes = dict(projection.dataset.sizes)
    del projection, expected
    gc.collect()

    seconds_project = best_of(3, run)
    seconds_floor = best_of(3, lambda: floor(params, t))

    gc.collect()
    tracemalloc.start()
    kept = run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del kept

    ratio = seconds_project / seconds_floor
    memory_ratio = peak / returned
    print(f"shape: {sizes}, float64, {returned / 2**20:.0f} MiB returned")
    print(f"project: {seconds_project:.3f} s, numpy floor: {seconds_floor:.3f} s (best of 3)")
    print(f"peak traced memory of project: {peak / 2**20:.0f} MiB")
    print(f"ratio={ratio:.3f} memory_ratio={memory_ratio:.3f}")


if __name__ == "__main__":
    main()
