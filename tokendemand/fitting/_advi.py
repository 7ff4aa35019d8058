"""Mean-field ADVI on the JAX-compiled log density: ``fit(method="advi")``.

The approximation is PyMC's ``pm.fit(method="advi")``: independent normals on the model's free
(standard-normal) coordinates, fitted by stochastic gradient ascent on the evidence lower bound
with one Monte Carlo draw per step (Kucukelbir et al. 2017). Only the optimiser differs: Adam
(Kingma and Ba 2015) instead of PyMC's windowed Adagrad. The whole loop is one compiled JAX
scan, where PyMC compiles the same objective for PyTensor's C back end; ``bench/advi.py`` times
the two and prints both answers.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np

from tokendemand.fitting._jax import FlatLayout, compilation_cache, uncached_log_density

__all__ = ["ADVI_ITERATIONS", "ADVI_LEARNING_RATE", "fit_advi"]

ADVI_ITERATIONS: Final = 20_000
"""Optimisation steps (as many as tokendemand asked of PyMC's ``pm.fit`` before)."""
ADVI_LEARNING_RATE: Final = 0.01
"""Adam's step size on the means and the log standard deviations."""
_ADAM_BETAS: Final = (0.9, 0.999)
_ADAM_EPSILON: Final = 1e-8


def fit_advi(
    model: Any,
    draws: int,
    seed: int | None,
    iterations: int = ADVI_ITERATIONS,
) -> tuple[dict[str, np.ndarray[Any, Any]], np.ndarray[Any, Any]]:
    """Fit the mean-field approximation of ``model`` and draw from it.

    Parameters
    ----------
    model
        A ``pymc.Model`` whose free variables are standard normals.
    draws
        Draws taken from the fitted approximation.
    seed
        Seeds the optimisation's Monte Carlo draws and the final draws (``None``: 0).
    iterations
        Optimisation steps.

    Returns
    -------
    draws, elbo
        Draws by value variable, each shaped ``(1, draws, ...)``, and the negative evidence
        lower bound's one-draw estimate at every step (its trace: it should level off).
    """
    jax, function = uncached_log_density(model)
    import jax.numpy as jnp

    start = model.initial_point()
    flat = FlatLayout.of(model, start)
    size = flat.position(start).size

    def negative_elbo(params: Any, noise: Any) -> Any:
        mean, log_sd = params
        position = mean + jnp.exp(log_sd) * noise
        # entropy of the normals, up to a constant: the sum of their log standard deviations
        return -(function(*flat.values(position))[0] + jnp.sum(log_sd))

    gradient = jax.value_and_grad(negative_elbo)
    beta1, beta2 = _ADAM_BETAS

    def step(state: Any, key: Any) -> Any:
        params, first, second, t = state
        value, grads = gradient(params, jax.random.normal(key, (size,)))
        t = t + 1
        first = tuple(beta1 * m + (1 - beta1) * g for m, g in zip(first, grads, strict=True))
        second = tuple(beta2 * v + (1 - beta2) * g**2 for v, g in zip(second, grads, strict=True))
        params = tuple(
            p
            - ADVI_LEARNING_RATE
            * (m / (1 - beta1**t))
            / (jnp.sqrt(v / (1 - beta2**t)) + _ADAM_EPSILON)
            for p, m, v in zip(params, first, second, strict=True)
        )
        return (params, first, second, t), value

    def optimise(key: Any) -> Any:
        zeros = jnp.zeros(size)
        # PyMC's start: the prior median, standard deviations softplus(0)
        params = (jnp.asarray(flat.position(start)), jnp.full(size, np.log(np.log(2.0))))
        state = (params, (zeros, zeros), (zeros, zeros), 0)
        (params, _, _, _), trace = jax.lax.scan(step, state, jax.random.split(key, iterations))
        return params, trace

    key = jax.random.PRNGKey(0 if seed is None else seed)
    fit_key, draw_key = jax.random.split(key)
    with compilation_cache(jax):
        (mean, log_sd), trace = jax.jit(optimise)(fit_key)
    noise = jax.random.normal(draw_key, (1, draws, size))
    positions = np.asarray(mean + jnp.exp(log_sd) * noise)
    return flat.point(positions), np.asarray(trace)
