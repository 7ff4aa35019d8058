"""Benchmark: the main job, or a joint fit of several bundled datasets, cold and warm.

Times ``tokendemand run`` (the main job: every bundled series fitted jointly, 4 chains x 1000
draws, the report) or ``tokendemand run --dataset NAME`` in fresh processes:

- **cold**: PyTensor's compile directory, JAX's cache and tokendemand's compiled-graph cache all
  empty (a temporary ``PYTENSOR_FLAGS=compiledir=...``), as on a fresh machine;
- **warm**: the same command again with those caches filled by the cold run;
- **reference**: ``tokendemand run --dataset china_national`` warm, the single-series job, in the
  same session, so that the ratios below compare like with like on a shared, noisy machine.

It prints one line per run (wall seconds, and the fit's part from the run's own progress
lines) and then ``cold_seconds=<float> warm_seconds=<float> warm_over_reference=<float>``.
The pooling issue's targets for the joint fit on a 2-core machine are warm < 30 s and
cold < 90 s.

Run: ``python bench/pooled.py`` (the main job; minutes: it fits every bundled series twice) or
``python bench/pooled.py --dataset NAME``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(args: list[str], compiledir: Path, out: Path) -> tuple[float, str]:
    """Wall seconds of ``tokendemand run ARGS`` in a fresh process, and its stderr."""
    env = dict(os.environ, PYTENSOR_FLAGS=f"compiledir={compiledir}", OMP_NUM_THREADS="1")
    env["MPLBACKEND"] = "Agg"
    command = [sys.executable, "-m", "tokendemand", "run", "--out", str(out), *args]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return seconds, done.stderr


def fitted_seconds(log: str) -> str:
    """The run's own 'fitted in Xs' figure, if it printed one."""
    found = re.search(r"fitted in ([0-9.]+)s", log)
    return f"fit {found.group(1)} s" if found else "fit time not printed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", help="bundled dataset(s), NAME or NAME+NAME (default: none)")
    args = parser.parse_args()
    chosen = ["--dataset", args.dataset] if args.dataset else []
    name = args.dataset or "main job"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        compiledir = root / "compiledir"
        compiledir.mkdir()
        timed = {}
        timed[f"cold, {name}"] = run(chosen, compiledir, root / "cold")
        timed[f"warm, {name}"] = run(chosen, compiledir, root / "warm")
        run(["--dataset", "china_national"], compiledir, root / "warmup")
        timed["reference: warm, china_national"] = run(
            ["--dataset", "china_national"], compiledir, root / "reference"
        )
    width = max(map(len, timed))
    for label, (seconds, log) in timed.items():
        print(f"{label:<{width}}  {seconds:6.1f} s  ({fitted_seconds(log)})")
    cold, warm = timed[f"cold, {name}"][0], timed[f"warm, {name}"][0]
    reference = timed["reference: warm, china_national"][0]
    ratio = warm / reference
    print(f"cold_seconds={cold:.1f} warm_seconds={warm:.1f} warm_over_reference={ratio:.2f}")


if __name__ == "__main__":
    main()
