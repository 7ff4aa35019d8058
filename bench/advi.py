"""Benchmark: ``fit(method="advi")`` on the JAX log density against PyMC's own ADVI.

Both fit the same mean-field approximation of the same model (doubao's default fit) with the
same number of steps, in this process: tokendemand's (:mod:`tokendemand.fitting._advi`, one
compiled JAX loop) and the reference, ``pm.fit(method="advi")`` on the PyMC model, which
compiles the objective for PyTensor's C back end. Each is timed twice: the first call pays for
compiling (on a cold PyTensor cache, ``PYTENSOR_FLAGS=compiledir=<empty folder>``, the
reference's first call is what a fresh machine sees), the second shows the steps alone. It
also prints both approximations' means and standard deviations of the users growth rate, so
that a speed-up that changed the answer would show. The last line is exactly
``ratio=<float> first_ratio=<float>``: ours over the reference, second and first calls.

Run: ``python bench/advi.py`` (about a minute on a warm cache).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np

import tokendemand as td
from tokendemand.fitting._advi import ADVI_ITERATIONS, fit_advi
from tokendemand.fitting.model import TokenDemandModel

SEED = 1
DRAWS = 2000
NAME = "z_users_annual_rate"


def model(dataset: str = "doubao") -> Any:
    """The PyMC model of a default fit of ``dataset``."""
    spec = TokenDemandModel(td.Structure(), td.Priors())
    return spec.build(spec.design(td.datasets.load(dataset)), deterministics=False)


def ours(pymc_model: Any, iterations: int = ADVI_ITERATIONS) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    draws, _ = fit_advi(pymc_model, DRAWS, SEED, iterations)
    return time.perf_counter() - start, np.ravel(draws[NAME])


def reference(pymc_model: Any, iterations: int = ADVI_ITERATIONS) -> tuple[float, np.ndarray]:
    import pymc as pm

    logging.getLogger("pymc").setLevel(logging.ERROR)
    start = time.perf_counter()
    with pymc_model:
        approximation = pm.fit(n=iterations, method="advi", random_seed=SEED, progressbar=False)
        idata = approximation.sample(DRAWS, random_seed=SEED)
    return time.perf_counter() - start, np.ravel(idata.posterior[NAME].values)


def main(iterations: int = ADVI_ITERATIONS) -> None:
    pymc_model = model()
    seconds: dict[str, list[float]] = {"ours": [], "reference": []}
    for name, run in (("ours", ours), ("reference", reference)):
        for call in ("first", "second"):
            elapsed, draws = run(pymc_model, iterations)
            seconds[name].append(elapsed)
            print(
                f"{name:9s} {call:6s} {elapsed:7.2f} s  {NAME}: mean {draws.mean():+.3f} "
                f"sd {draws.std():.3f}",
                flush=True,
            )
    print(last_line(seconds))


def last_line(seconds: dict[str, list[float]]) -> str:
    """``ratio=<ours over reference, second calls> first_ratio=<the same, first calls>``."""
    ratio = seconds["ours"][1] / seconds["reference"][1]
    first = seconds["ours"][0] / seconds["reference"][0]
    return f"ratio={ratio:.3f} first_ratio={first:.3f}"


if __name__ == "__main__":
    main()
