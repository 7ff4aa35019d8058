"""Benchmark: the default fit against a bare PyMC model of the same equation.

Every fit is timed in this process after a warm-up (so PyTensor's, JAX's and tokendemand's
compile caches are warm, as in the issue's target), best of two. Timed: the default fit
(``DEFAULT_CHAINS`` chains x 1000 draws, NumPyro) of china_national and of doubao, the
china_national fit with ``sampler="pymc"``, and the bare model: what a user would write by hand,
the same equation, priors and likelihood as plain PyMC code with `pm.sample`'s defaults (1000
tune, 1000 draws, jitter+adapt_diag) on 2 chains in 2 processes. Each line gives the wall time,
the minimum bulk ESS per second and the sampler diagnostics; the last line is exactly
``ratio=<float> fit_seconds=<float>``: the default china_national fit over the bare model, and
the default fit's seconds.

Run: ``python bench/fit.py`` (about three minutes on a 2-core machine).
"""

from __future__ import annotations

import logging
import time
import warnings
from typing import Any

import numpy as np

import tokendemand as td
from tokendemand.dates import DAYS_PER_YEAR
from tokendemand.fitting.likelihood import ObservationDesign

SEED = 1


def ours(
    dataset: str = "china_national",
    draws: int = 1000,
    tune: int = 1000,
    sampler: str | None = None,
) -> tuple[float, dict[str, float]]:
    """The library's fit of a bundled dataset (default back end unless ``sampler``)."""
    observations = td.datasets.load(dataset)
    start = time.perf_counter()
    result = td.fit(observations, draws=draws, tune=tune, random_seed=SEED, sampler=sampler)
    return time.perf_counter() - start, dict(result.diagnostics)


def bare(
    draws: int = 1000, tune: int = 1000, nuts_sampler: str = "pymc"
) -> tuple[float, dict[str, float]]:
    """The same model written directly in PyMC, centred, no caching, PyMC defaults.

    ``nuts_sampler`` is passed to ``pm.sample``: the benchmark's reference is PyMC's own
    sampler; ``"numpyro"`` runs the same model without PyTensor's C compile (the bench's test).
    """
    import arviz as az
    import pymc as pm
    import pytensor.tensor as pt

    start = time.perf_counter()
    design = ObservationDesign.build(td.datasets.load("china_national"))
    t = design.t / DAYS_PER_YEAR
    priors = td.Priors()
    with pm.Model(), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        # JAX (started by the default fits) warns at every fork; these chains never use it
        warnings.filterwarnings(
            "ignore", message=r"os\.fork\(\) was called", category=RuntimeWarning
        )

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
        # PyMC's own sampler runs its chains in processes; NumPyro vectorises them
        where: dict[str, Any] = (
            {"cores": 2, "mp_ctx": "fork"}
            if nuts_sampler == "pymc"
            else {"nuts_sampler_kwargs": {"chain_method": "vectorized"}}
        )
        idata = pm.sample(
            draws=draws,
            tune=tune,
            chains=2,
            random_seed=SEED,
            progressbar=False,
            compute_convergence_checks=False,
            nuts_sampler=nuts_sampler,
            **where,
        )
    seconds = time.perf_counter() - start
    rhat = float(az.rhat(idata).to_array().max())
    ess = float(az.ess(idata).to_array().min())
    divergences = float(idata.sample_stats.diverging.sum())
    return seconds, {"max_rhat": rhat, "min_ess_bulk": ess, "divergences": divergences}


def main() -> None:
    logging.getLogger("pymc").setLevel(logging.ERROR)
    warnings.simplefilter("ignore", td.ConvergenceWarning)
    runs: dict[str, Any] = {
        "tokendemand default, china_national": lambda: ours("china_national"),
        "tokendemand default, doubao": lambda: ours("doubao"),
        "tokendemand sampler='pymc', china_national": lambda: ours(sampler="pymc"),
        "bare PyMC model, china_national": bare,
    }
    for run in runs.values():
        run()  # warm the compile caches
    timed = {
        label: min((run() for _ in range(2)), key=lambda pair: pair[0])
        for label, run in runs.items()
    }
    width = max(map(len, timed))
    for label, (seconds, d) in timed.items():
        print(
            f"{label:<{width}}  {seconds:5.1f} s  ESS/s {d['min_ess_bulk'] / seconds:6.1f}  "
            f"(max R-hat {d['max_rhat']:.3f}, min bulk ESS {d['min_ess_bulk']:.0f}, "
            f"divergences {d['divergences']:.0f})"
        )
    ours_seconds = timed["tokendemand default, china_national"][0]
    bare_seconds = timed["bare PyMC model, china_national"][0]
    print(f"ratio={ours_seconds / bare_seconds:.3f} fit_seconds={ours_seconds:.2f}")


if __name__ == "__main__":
    main()
