"""Benchmark: 4 NUTS chains against 2, in time and in how reliably the diagnostics warn.

R-hat thresholds (1.01) assume at least 4 chains: with 2, a chain stuck in another mode is
flagged less often. This script fits china_national and doubao with the default settings
(1000 tune, 1000 draws, NumPyro, carrying on up to 3000 draws) for several seeds in three
set-ups, each in its own process (JAX fixes its device count when it starts):

- ``2 parallel``: 2 chains on 2 XLA host devices (the default until now);
- ``4 vectorized``: 4 chains vectorised on one device, as tokendemand runs them when JAX has
  fewer host devices than chains (2 here);
- ``4 parallel``: 4 chains on 4 host devices sharing the machine's cores.

Each process warms the compile caches with one untimed fit first. Per set-up and dataset it
prints the median wall time of a fit, how many seeds warned (ConvergenceWarning), carried on
past 1000 draws, and the largest R-hat seen; the last line is exactly
``ratio=<float>``: the median time of ``4 vectorized`` over ``2 parallel`` (all fits, both
datasets), measured in the same run.

Run: ``python bench/chains.py [--seeds N] [--setups "2 parallel,4 vectorized"]`` (default 5
seeds and all three set-ups; about 15 minutes on 2 idle cores).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from typing import Any

SETUPS: dict[str, tuple[int, int]] = {
    "2 parallel": (2, 2),  # chains, XLA host devices
    "4 vectorized": (4, 2),
    "4 parallel": (4, 4),
}
DATASETS = ("china_national", "doubao")


def worker(chains: int, seeds: int) -> None:
    """Fit every dataset with every seed in this process; one JSON line per fit."""
    import tokendemand as td
    from tokendemand.errors import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        td.fit(td.datasets.load("doubao"), chains=chains, random_seed=0)  # warm the caches
    for dataset in DATASETS:
        observations = td.datasets.load(dataset)
        for seed in range(1, seeds + 1):
            start = time.perf_counter()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                result = td.fit(observations, chains=chains, random_seed=seed)
            seconds = time.perf_counter() - start
            d = result.diagnostics
            line = {
                "dataset": dataset,
                "seed": seed,
                "seconds": seconds,
                "warned": any(issubclass(w.category, ConvergenceWarning) for w in caught),
                "draws": d["draws"],
                "max_rhat": d["max_rhat"],
                "min_ess_bulk": d["min_ess_bulk"],
                "divergences": d["divergences"],
            }
            print(json.dumps(line), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument(
        "--setups", default=",".join(SETUPS), help="comma-separated set-ups to run (default all)"
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker, args.seeds)
        return
    results: dict[str, list[dict[str, Any]]] = {}
    for label in args.setups.split(","):
        chains, devices = SETUPS[label]
        env = dict(os.environ)
        env["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={devices}"
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(chains), "--seeds", str(args.seeds)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results[label] = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
        for row in results[label]:
            print(label, json.dumps(row), flush=True)
    print()
    for label, rows in results.items():
        for dataset in DATASETS:
            mine = [r for r in rows if r["dataset"] == dataset]
            print(
                f"{label:<13} {dataset:<15} "
                f"median {statistics.median(r['seconds'] for r in mine):6.1f} s"
                f"  warned {sum(r['warned'] for r in mine)}/{len(mine)}"
                f"  carried on {sum(r['draws'] > 1000 for r in mine)}/{len(mine)}"
                f"  max R-hat {max(r['max_rhat'] for r in mine):.3f}"
                f"  min ESS {min(r['min_ess_bulk'] for r in mine):.0f}"
                f"  divergences {sum(r['divergences'] for r in mine):.0f}"
            )
    four = statistics.median(r["seconds"] for r in results["4 vectorized"])
    two = statistics.median(r["seconds"] for r in results["2 parallel"])
    print(f"ratio={four / two:.3f}")


if __name__ == "__main__":
    main()
