"""PyMC's own NUTS, nutpie, MAP and ADVI: the back ends other than NumPyro (MAP optimises the
JAX log density of :mod:`tokendemand.fitting._jax`).

Private to :mod:`tokendemand.fitting`: :meth:`TokenDemandModel.fit
<tokendemand.fitting.TokenDemandModel.fit>` chooses among them.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import Any, Final

import numpy as np

__all__ = ["find_map", "fit_advi", "initial_points", "sample_nutpie", "sample_pymc"]

JAX_FORK_WARNING: Final = r"os\.fork\(\) was called"


def initial_points(model: Any, chains: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """One starting point per chain: a uniform jitter in [-1, 1] around the prior median.

    Every free variable is a standard normal (as PyMC's ``"jitter+adapt_full"`` starts).
    ``initial_point()`` compiles a function on every call: once for the shapes, not once per
    variable and chain.
    """
    shapes = {name: np.shape(value) for name, value in model.initial_point().items()}
    return [
        {v.name: rng.uniform(-1.0, 1.0, size=shapes[v.name]) for v in model.value_vars}
        for _ in range(chains)
    ]


def sample_pymc(
    model: Any,
    logp_dlogp: Any,
    initial: list[dict[str, Any]],
    draws: int,
    tune: int,
    seed: int | None,
    rng: np.random.Generator,
    progressbar: bool,
    target_accept: float,
    cores: int | None,
) -> Any:
    import pymc as pm
    from pymc.step_methods.hmc.quadpotential import QuadPotentialFullAdapt

    chains = len(initial)
    cores = cores if cores is not None else min(chains, os.cpu_count() or 1)
    options: dict[str, Any] = {}
    if cores > 1:
        options["mp_ctx"] = "fork"
    size = sum(int(np.size(value)) for value in initial[0].values())
    mean = np.mean(
        [np.concatenate([np.ravel(p[v.name]) for v in model.value_vars]) for p in initial], axis=0
    )
    with model, _silenced_pymc_logging(), warnings.catch_warnings():
        # A dense mass matrix takes about half the leapfrog steps of a diagonal one here.
        warnings.filterwarnings("ignore", message="QuadPotentialFullAdapt is an experimental")
        # After a NumPyro fit, JAX warns at every fork; the forked chains run PyTensor's C code
        # and never touch JAX or its threads.
        warnings.filterwarnings("ignore", message=JAX_FORK_WARNING, category=RuntimeWarning)
        potential = QuadPotentialFullAdapt(size, mean, np.eye(size), 10, rng=rng)
        step = pm.NUTS(
            vars=model.value_vars,
            potential=potential,
            target_accept=target_accept,
            logp_dlogp_func=logp_dlogp,
            rng=rng,
        )
        return pm.sample(
            draws=draws,
            tune=tune,
            chains=chains,
            cores=cores,
            step=step,
            initvals=initial,
            random_seed=seed,
            progressbar=progressbar,
            compute_convergence_checks=False,
            **options,
        )


def sample_nutpie(
    model: Any, draws: int, tune: int, chains: int, seed: int | None, progressbar: bool
) -> Any:
    import nutpie

    compiled = nutpie.compile_pymc_model(model)
    return nutpie.sample(
        compiled,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed if seed is not None else int(np.random.default_rng().integers(2**31)),
        progress_bar=progressbar,
        save_warmup=False,
    )


def find_map(model: Any, seed: int | None, progressbar: bool) -> Any:
    """The MAP point of ``model`` as a one-draw ``arviz.InferenceData``.

    Optimised on the JAX log density (:func:`tokendemand.fitting._numpyro.find_map`, PyMC's
    ``find_MAP`` objective and optimiser): compiling it for PyTensor's C back end took most of
    a MAP fit. It starts at the prior median, without jitter, so ``seed`` and ``progressbar``
    (there is nothing to show) do not change it.
    """
    import arviz as az

    from tokendemand.fitting._numpyro import find_map as jax_find_map

    point = jax_find_map(model, model.initial_point())
    posterior = {name: np.asarray(value)[None, None, ...] for name, value in point.items()}
    dims = {name: list(model.named_vars_to_dims.get(name, ())) for name in posterior}
    return az.from_dict(posterior=posterior, coords=model.coords, dims=dims)


def fit_advi(model: Any, draws: int, seed: int | None, progressbar: bool) -> Any:
    """``draws`` from the mean-field ADVI approximation of ``model``, an ``arviz.InferenceData``.

    Fitted on the JAX log density (:func:`tokendemand.fitting._advi.fit_advi`: PyMC's
    approximation and objective, Adam's steps, one compiled loop with no progress to show, so
    ``progressbar`` does not change it; ``bench/advi.py`` times it against PyMC's).
    """
    import arviz as az

    from tokendemand.fitting._advi import fit_advi as jax_fit_advi

    posterior, _ = jax_fit_advi(model, draws, seed)
    dims = {name: list(model.named_vars_to_dims.get(name, ())) for name in posterior}
    return az.from_dict(posterior=posterior, coords=model.coords, dims=dims)


@contextlib.contextmanager
def _silenced_pymc_logging() -> Iterator[None]:
    """PyMC logs its sampler set-up at INFO; keep the user's console for our progress."""
    import logging

    logger = logging.getLogger("pymc")
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)
