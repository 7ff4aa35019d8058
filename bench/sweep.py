"""Benchmark: a sweep of 10,000 scenarios x 500 draws to two reduced outputs.

Outputs: the multiplier D(2028-12-31) / D(2026-03-31) and the break-even date (to 2030-12-31).
The reference is hand-written numpy for the same structure and space: the equation written out
for logistic penetration and saturating indices, the same coarse-to-fine break-even search, the
same blocks of cells; it knows nothing of plans, scenarios or outputs. The same sweep then runs
on a 2-worker dask LocalCluster. Prints the sweep's time over the reference's, the peak resident
memory of this process (MB, reference and local sweep included) and whether the cluster's
results equal the local ones; the last line is
``ratio=<float> peak_mb=<float> dask_equal=<True|False>``.

Run: ``python bench/sweep.py [--rows 10000] [--draws 500]``
"""

from __future__ import annotations

import argparse
import math
import resource
import time
from typing import Any

import numpy as np

from tokendemand.calculator import example_parameters
from tokendemand.dates import DAYS_PER_YEAR, days_since
from tokendemand.projection.outputs import BreakEvenDate, Multiplier
from tokendemand.projection.space import sample_space
from tokendemand.projection.sweep import CHUNK_SIZE, sweep
from tokendemand.structure import Parameters

START, END, UNTIL = "2026-03-31", "2028-12-31", "2030-12-31"
RANGES = {
    "penetration.scale": (0.5, 2.0),
    "complexity.per_year": (1.5, 4.0),
    "break_even_penetration": (0.04, 0.15),
}
NS_PER_DAY = 86_400 * 10**9


def source(draws: int, seed: int = 1) -> Parameters:
    """Calculator-mode draws around the example parameters."""
    rng = np.random.default_rng(seed)
    return example_parameters().replace(
        penetration={"rate": rng.uniform(0.6, 1.4, draws)},
        users={"annual_rate": rng.uniform(0.2, 0.4, draws)},
        chatbot={"annual_rate": rng.uniform(0.2, 0.4, draws)},
        complexity={"annual_rate": rng.uniform(0.6, 1.4, draws)},
    )


def _saturating(t: Any, rate: Any, multiple: Any) -> Any:
    r = rate * multiple / (multiple - 1.0)
    return multiple / (1.0 + (multiple - 1.0) * np.exp(-r * t / DAYS_PER_YEAR))


def _agent_chatbot(t: Any, c: dict[str, Any]) -> tuple[Any, Any]:
    """Agent and chatbot tokens per day at ``t`` (days from the reference date) for a block."""
    pi = c["ceiling"] / (
        1.0 + np.exp(-c["rate"] * (c["speed"] * t - c["midpoint"]) / DAYS_PER_YEAR)
    )
    n = _saturating(t, c["n_rate"], c["n_multiple"])
    u = _saturating(t, c["u_rate"], c["u_multiple"])
    k = np.exp(c["growth"] * t / DAYS_PER_YEAR)
    return c["scale"] * n * c["rho"] * pi * k, c["scale"] * n * u


def _crossed(t: Any, c: dict[str, Any]) -> Any:
    agent, chatbot = _agent_chatbot(t, c)
    return agent >= chatbot


def _block(c: dict[str, Any], t_end: float, last: float, step: int) -> tuple[Any, Any]:
    """Multipliers and break-even offsets (ns from the reference date, -1 for never)."""
    agent, chatbot = _agent_chatbot(np.array([0.0, t_end]), c)
    total = agent + chatbot
    multiplier = total[:, 1] / total[:, 0]
    cells = total.shape[0]
    grid = np.append(np.arange(0.0, last, step), last)
    hit = _crossed(grid, c)
    any_hit, j = hit.any(axis=1), hit.argmax(axis=1)
    active = any_hit & (j > 0)
    lo = np.where(active, grid[np.maximum(j - 1, 0)], last)
    hi = np.where(active, grid[j], last)
    index = np.arange(cells)
    width = step
    while width > 1:
        sub = max(1, width // 8)
        k = np.arange(1, math.ceil(width / sub) + 1)
        t = np.minimum(lo[:, None] + sub * k, hi[:, None])
        found = _crossed(t, c)
        i = np.where(found.any(axis=1), found.argmax(axis=1), k.size - 1)
        lo = np.where(i > 0, t[index, np.maximum(i - 1, 0)], lo)
        hi = t[index, i]
        width = sub
    a, b = _agent_chatbot(np.stack([lo, hi], axis=1), c)
    gap = a - b
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(active, gap[:, 0] / (gap[:, 0] - gap[:, 1]), 0.0)
    offset = np.round(lo).astype(np.int64) * NS_PER_DAY
    offset += np.round(fraction * (hi - lo) * NS_PER_DAY).astype(np.int64)
    offset = np.where(any_hit & (j == 0), 0, offset)
    return multiplier, np.where(any_hit, offset, -1)


def reference(p: Parameters, table: Any, step: int = 64) -> tuple[Any, Any]:
    """Hand-written numpy: both outputs for every (row, draw), in blocks of cells."""
    values = [p.scale, *p.penetration.values(), *p.users.values(), *p.chatbot.values()]
    draws = max(np.asarray(v).size for v in [*values, *p.complexity.values()])
    t_end = float(days_since(END, p.reference_date)[0])
    last = float(days_since(UNTIL, p.reference_date)[0])
    rows = table.shape[0]
    multiplier = np.empty((rows, draws))
    offset = np.empty((rows, draws), dtype=np.int64)
    per_rows = max(1, CHUNK_SIZE // draws)
    for low in range(0, rows, per_rows):
        block = table[low : low + per_rows]

        def tile(x: Any, count: int = block.shape[0]) -> Any:
            return np.tile(np.broadcast_to(np.asarray(x, dtype=float), (draws,)), count)[:, None]

        c = {
            "speed": np.repeat(block[:, 0], draws)[:, None],
            "growth": np.log(np.repeat(block[:, 1], draws))[:, None],
            "rho": 1.0 / np.repeat(block[:, 2], draws)[:, None],
            "ceiling": tile(p.penetration["ceiling"]),
            "midpoint": tile(p.penetration["midpoint"]),
            "rate": tile(p.penetration["rate"]),
            "n_rate": tile(p.users["annual_rate"]),
            "n_multiple": tile(p.users["ceiling_multiple"]),
            "u_rate": tile(p.chatbot["annual_rate"]),
            "u_multiple": tile(p.chatbot["ceiling_multiple"]),
            "scale": tile(p.scale),
        }
        m, o = _block(c, t_end, last, step)
        multiplier[low : low + per_rows] = m.reshape(-1, draws)
        offset[low : low + per_rows] = o.reshape(-1, draws)
    stamps = p.reference_date.as_unit("ns").to_datetime64() + offset.astype("timedelta64[ns]")
    return multiplier, np.where(offset < 0, np.datetime64("NaT", "ns"), stamps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--no-dask", action="store_true", help="skip the LocalCluster run")
    args = parser.parse_args()
    p = source(args.draws)
    space = sample_space(RANGES, args.rows, method="latin", seed=2)
    outputs = {"multiplier": Multiplier(END, START), "break_even": BreakEvenDate(UNTIL)}

    start = time.perf_counter()
    m_ref, be_ref = reference(p, space.to_numpy())
    reference_s = time.perf_counter() - start
    start = time.perf_counter()
    local = sweep(p, space, outputs)
    sweep_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    agree_m = float(np.max(np.abs(local["multiplier"].values / m_ref - 1.0)))
    mine = local["break_even"].values
    same_never = bool(np.array_equal(np.isnat(mine), np.isnat(be_ref)))
    both = ~np.isnat(mine) & ~np.isnat(be_ref)
    apart_ns = int(np.max(np.abs((mine[both] - be_ref[both]).astype(np.int64)), initial=0))
    print(f"cells: {args.rows} scenarios x {args.draws} draws")
    print(f"reference (hand-written numpy): {reference_s:.2f} s")
    print(f"sweep (local):                  {sweep_s:.2f} s")
    print(f"largest relative multiplier difference from the reference: {agree_m:.2e}")
    print(
        f"break-even dates: the same draws never cross: {same_never}; "
        f"largest difference from the reference: {apart_ns} ns (rounding of the interpolation)"
    )

    dask_equal = False
    if not args.no_dask:
        from distributed import Client, LocalCluster

        with (
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            start = time.perf_counter()
            remote = sweep(p, space, outputs, scheduler=client)
            print(f"sweep (2-worker LocalCluster):  {time.perf_counter() - start:.2f} s")
        dask_equal = bool(remote.identical(local))
    print(f"ratio={sweep_s / reference_s:.3f} peak_mb={peak_mb:.1f} dask_equal={dask_equal}")


if __name__ == "__main__":
    main()
