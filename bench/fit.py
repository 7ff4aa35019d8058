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
from typing import Any

import numpy as np

import tokendemand as td
from tokendemand.design import ObservationDesign
from tokendemand.units import DAYS_PER_YEAR

SEED = 1


def ours(draws: int = 1000, tune: int = 1000) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    result = td.fit(td.datasets.load("china_national"), draws=draws, tune=tune, random_seed=SEED)
    return time.perf_counter() - start, dict(result.diagnostics)


def bare(draws: int = 1000, tune: int = 1000) -> tuple[float, dict[str, float]]:
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

        # The library's default priors, written as plain PyMC distributions.
        def lognormal(name: str, prior: td.priors.LogNormal) -> Any:
            return prior.lower + pm.LogNormal(name, np.log(prior.median - prior.lower), prior.sigma)

        def logitnormal(name: str, prior: td.priors.LogitNormal) -> Any:
            return pm.LogitNormal(name, np.log(prior.median / (1 - prior.median)), prior.sigma)

        def normal(name: str, prior: td.priors.Normal) -> Any:
            return pm.Normal(name, prior.mu, prior.sigma)

        rho = lognormal("rho", priors.intensity_ratio)
        now = logitnormal("now", priors.penetration_now)
        headroom = logitnormal("headroom", priors.penetration_headroom)
        rate = lognormal("rate", priors.penetration_rate)
        g_users = normal("g_users", priors.users_annual_rate)
        c_users = lognormal("c_users", priors.users_ceiling_multiple)
        g_chatbot = normal("g_chatbot", priors.chatbot_annual_rate)
        c_chatbot = lognormal("c_chatbot", priors.chatbot_ceiling_multiple)
        g_complexity = normal("g_complexity", priors.complexity_annual_rate)
        c_complexity = lognormal("c_complexity", priors.complexity_ceiling_multiple)
        noise = lognormal("noise", priors.noise)
        log_total = pm.Normal("log_total", design.total_centre[0], priors.scale_sigma)

        ceiling = now + (1 - now) * headroom
        midpoint = pt.log(ceiling / now - 1) / rate
        pi = ceiling / (1 + pt.exp(-rate * (t - midpoint)))

        def saturating(g, c):  # type: ignore[no-untyped-def]
            return c / (1 + (c - 1) * pt.exp(-g * c / (c - 1) * t))

        unit = saturating(g_users, c_users) * (
            saturating(g_chatbot, c_chatbot) + rho * pi * saturating(g_complexity, c_complexity)
        )
        mu = log_total - pt.log(1 + rho * now) + pt.log((unit[None, :] * design.weights).sum(-1))
        sigma = noise * np.array([priors.noise_multiplier[c] for c in design.confidence])
        exact, lower = np.flatnonzero(design.bound == 0), np.flatnonzero(design.bound == 1)
        pm.StudentT(
            "y", nu=priors.student_t_nu, mu=mu[exact], sigma=sigma[exact], observed=design.y[exact]
        )
        tail = pm.StudentT.dist(nu=priors.student_t_nu, mu=mu[lower], sigma=sigma[lower])
        pm.Potential("lower", pm.logccdf(tail, design.y[lower]).sum())
        idata = pm.sample(
            draws=draws,
            tune=tune,
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
