"""Benchmark: the default fit of china_national against a bare PyMC model of the same equation.

Both are timed in this process after one warm-up each (so PyTensor's and tokendemand's
compile caches are warm, as in the issue's target). The bare model is what a user would write
by hand: the same equation, priors and likelihood as plain PyMC code with `pm.sample`'s
defaults (1000 tune, 1000 draws, jitter+adapt_diag) on 2 chains in 2 processes, as ours.
It prints both wall times, the ratio, and the sampler diagnostics of each; the last line is
exactly ``ratio=<float> fit_seconds=<float>``.

Run: ``python bench/fit.py`` (about two minutes on a 2-core machine).
"""

from __future__ import annotations

import logging
import time
import warnings

import numpy as np

import tokendemand as td
from tokendemand.design import ObservationDesign
from tokendemand.units import DAYS_PER_YEAR

SEED = 1


def ours() -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    result = td.fit(td.datasets.load("china_national"), random_seed=SEED)
    return time.perf_counter() - start, dict(result.diagnostics)


def bare() -> tuple[float, dict[str, float]]:
    """The same model written directly in PyMC, centred, no caching, PyMC defaults."""
    import arviz as az
    import pymc as pm
    import pytensor.tensor as pt

    start = time.perf_counter()
    design = ObservationDesign.build(td.datasets.load("china_national"))
    t = design.t / DAYS_PER_YEAR
    priors = td.Priors()
    with pm.Model(), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        rho = pm.LogNormal("rho", np.log(12.5), 0.5)
        now = pm.LogitNormal("now", np.log(0.05 / 0.95), 0.8)
        headroom = pm.LogitNormal("headroom", np.log(0.45 / 0.55), 1.0)
        rate = pm.LogNormal("rate", np.log(0.41), 0.75)
        g_users = pm.Normal("g_users", 0.3, 0.5)
        c_users = 1.0 + pm.LogNormal("c_users_excess", np.log(1.5), 0.6)
        g_complexity = pm.Normal("g_complexity", 1.1, 0.5)
        c_complexity = 1.0 + pm.LogNormal("c_complexity_excess", np.log(9.0), 0.8)
        noise = pm.LogNormal("noise", np.log(0.15), 0.5)
        log_total = pm.Normal("log_total", design.total_centre[0], priors.scale_sigma)

        ceiling = now + (1 - now) * headroom
        midpoint = pt.log(ceiling / now - 1) / rate
        pi = ceiling / (1 + pt.exp(-rate * (t - midpoint)))

        def saturating(g, c):  # type: ignore[no-untyped-def]
            return c / (1 + (c - 1) * pt.exp(-g * c / (c - 1) * t))

        unit = saturating(g_users, c_users) * (
            1 + rho * pi * saturating(g_complexity, c_complexity)
        )
        mu = log_total - pt.log(1 + rho * now) + pt.log((unit[None, :] * design.weights).sum(-1))
        sigma = noise * np.array([priors.noise_multiplier[c] for c in design.confidence])
        exact, lower = np.flatnonzero(design.bound == 0), np.flatnonzero(design.bound == 1)
        pm.StudentT("y", nu=4, mu=mu[exact], sigma=sigma[exact], observed=design.y[exact])
        tail = pm.StudentT.dist(nu=4, mu=mu[lower], sigma=sigma[lower])
        pm.Potential("lower", pm.logccdf(tail, design.y[lower]).sum())
        idata = pm.sample(
            chains=2,
            cores=2,
            random_seed=SEED,
            progressbar=False,
            mp_ctx="fork",
            compute_convergence_checks=False,
        )
    seconds = time.perf_counter() - start
    rhat = float(az.rhat(idata).to_array().max())
    ess = float(az.ess(idata).to_array().min())
    divergences = float(idata.sample_stats.diverging.sum())
    return seconds, {"max_rhat": rhat, "min_ess_bulk": ess, "divergences": divergences}


def main() -> None:
    logging.getLogger("pymc").setLevel(logging.ERROR)
    warnings.simplefilter("ignore", td.ConvergenceWarning)
    ours()  # warm the compile caches
    bare()
    ours_seconds, ours_diag = min((ours() for _ in range(2)), key=lambda pair: pair[0])
    bare_seconds, bare_diag = min((bare() for _ in range(2)), key=lambda pair: pair[0])

    def show(d: dict[str, float]) -> str:
        return (
            f"max R-hat {d['max_rhat']:.3f}, min bulk ESS {d['min_ess_bulk']:.0f}, "
            f"divergences {d['divergences']:.0f}"
        )

    print(f"tokendemand default fit: {ours_seconds:.1f} s ({show(ours_diag)})")
    print(f"bare PyMC model:         {bare_seconds:.1f} s ({show(bare_diag)})")
    print(f"ratio={ours_seconds / bare_seconds:.3f} fit_seconds={ours_seconds:.2f}")


if __name__ == "__main__":
    main()
