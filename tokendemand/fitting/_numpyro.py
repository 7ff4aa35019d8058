"""NUTS in JAX through NumPyro: the default back end of :meth:`TokenDemandModel.fit`; and the
MAP point of ``method="map"`` (:func:`find_map`), on the same JAX log density
(:mod:`tokendemand.fitting._jax`: its start-up, caches and the log density itself).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Final

import numpy as np

from tokendemand.fitting._jax import (
    FlatLayout,
    compilation_cache,
    start_jax,
    uncached_log_density,
    without_widget_warning,
)
from tokendemand.fitting._progress import FitProgress, report

__all__ = [
    "DIAGONAL_SHARE",
    "FIRST_WINDOW",
    "MAP_MAX_EVALUATIONS",
    "find_map",
    "regularised_covariance",
    "sample_numpyro",
]

MAP_MAX_EVALUATIONS: Final = 5000
"""Most evaluations of the log density by :func:`find_map` (PyMC's ``find_MAP`` default)."""

DIAGONAL_SHARE: Final = 2 / 3
"""Share of NUTS's warm-up steps that adapt a diagonal mass matrix, before the dense one is set
from their draws (:func:`sample_numpyro`)."""

FIRST_WINDOW: Final = 25
"""Draws of NumPyro's first mass-matrix window. A model with fewer coordinates warms up in
NumPyro's one pass: its windows' dense estimates are not singular, and a second pass would only
add a compiled program to load (``python bench/warmup.py --dataset china_national``)."""


def find_map(model: Any, start: dict[str, np.ndarray[Any, Any]]) -> dict[str, np.ndarray[Any, Any]]:
    """The maximum a posteriori point of ``model``, by value variable: L-BFGS-B from ``start``
    on the JAX-compiled log density and its gradient.

    The objective is PyMC's ``find_MAP``'s (the model's log density; its free variables are
    untransformed standard normals, so there is no Jacobian term to leave out), with its
    optimiser and its limit of :data:`MAP_MAX_EVALUATIONS` evaluations; JAX compiles the
    graph in seconds where PyTensor's C back end takes much longer on a cold cache.
    """
    from scipy.optimize import minimize

    jax, function = uncached_log_density(model)
    flat = FlatLayout.of(model, start)

    def negative(position: Any) -> Any:
        return -function(*flat.values(position))[0]

    value_and_grad = jax.jit(jax.value_and_grad(negative))

    def objective(x: np.ndarray[Any, Any]) -> tuple[float, np.ndarray[Any, Any]]:
        value, grad = value_and_grad(x)
        return float(value), np.asarray(grad, dtype=float)

    with compilation_cache(jax):
        found = minimize(
            objective,
            flat.position(start),
            jac=True,
            method="L-BFGS-B",
            options={"maxfun": MAP_MAX_EVALUATIONS},
        )
    return flat.point(found.x)


def sample_numpyro(
    model: Any,
    log_density: Callable[..., Any],
    initial: Sequence[dict[str, np.ndarray]],
    draws: int,
    tune: int,
    seed: int,
    target_accept: float,
    progress: FitProgress | None,
    cores: int | None,
    max_draws: int | None = None,
    judged: Callable[[dict[str, np.ndarray[Any, Any]]], np.ndarray[Any, Any]] | None = None,
) -> Any:
    """NUTS with a dense mass matrix adapted in warm-up; an ``arviz.InferenceData``.

    The warm-up has two passes (:func:`_warm_up`): the first :data:`DIAGONAL_SHARE` of the
    ``tune`` steps adapt a diagonal mass matrix and the step size, in NumPyro's windows; the dense
    mass matrix is the covariance of that pass's second half, over all chains; the rest of the
    steps adapt the step size to it. NumPyro's own dense adaptation estimates the matrix from its
    first windows (25, 50, 100 draws), fewer draws than a joint fit has coordinates: singular
    estimates that send its trajectories to the depth limit, most of the fit's time
    (``python bench/warmup.py`` compares the two). A model with fewer coordinates than
    :data:`FIRST_WINDOW` keeps NumPyro's one pass.

    When the draws fall short of the convergence thresholds
    (:data:`~tokendemand.fitting.diagnostics.ESS_MIN` bulk ESS,
    :data:`~tokendemand.fitting.diagnostics.RHAT_MAX` R-hat, on the quantities ``judged``) without
    any divergent transition, the chains carry on from where they stopped, with the step size and
    mass matrix of the warm-up, ``draws`` more at a time, until the thresholds are met or
    ``max_draws`` per chain are drawn. Divergences end it at once: they point at the posterior's
    geometry, which more draws do not mend.

    Parameters
    ----------
    model
        The ``pymc.Model`` (its value variables, coordinates and dimensions name the draws).
    log_density
        :func:`~tokendemand.fitting._jax.jax_log_density` of ``model``.
    initial
        One starting point per chain, keyed by value-variable name.
    draws, tune
        Draws kept and warm-up steps, per chain.
    seed
        Seed of the sampler.
    target_accept
        Target acceptance probability of the step-size adaptation.
    progress
        Where to report each iteration (a bar on stderr), or ``None``.
    cores
        ``1`` runs the chains one after the other; otherwise in parallel when JAX has a host
        device per chain, vectorised on one device when it has fewer.
    max_draws
        Most draws per chain when the chains carry on (default ``draws``: they do not).
    judged
        The quantities whose ESS and R-hat decide whether the chains carry on, ``(chain, draw,
        quantities)``, from the draws by value variable (default: the sampled coordinates). The
        fit judges the structural quantities its diagnostics report, so that a fit that could
        carry on does not stop short of them.
    """
    chains = len(initial)
    jax = start_jax(chains)  # started by jax_log_density already: returns the module
    import arviz as az
    import jax.numpy as jnp

    with without_widget_warning():
        from numpyro.infer import MCMC, NUTS

    flat = FlatLayout.of(model, initial[0])

    def potential(position: Any) -> Any:
        return -log_density(*flat.values(position))

    if cores == 1 or chains == 1:
        chain_method = "sequential"
    elif jax.local_device_count() >= chains:
        chain_method = "parallel"
    else:
        chain_method = "vectorized"
    nuts = NUTS if progress is None else _reporting_nuts()

    def make(num_warmup: int, options: dict[str, Any]) -> Any:
        kernel = nuts(potential_fn=potential, target_accept_prob=target_accept, **options)
        return MCMC(
            kernel,
            num_warmup=num_warmup,
            num_samples=draws,
            num_chains=chains,
            chain_method=chain_method,
            progress_bar=False,
        )

    positions = jnp.asarray(np.stack([flat.position(p) for p in initial]))
    fields = ("num_steps", "diverging", "energy", "accept_prob", "potential_energy")
    blocks: list[np.ndarray[Any, Any]] = []
    extras: list[dict[str, np.ndarray[Any, Any]]] = []

    def collect() -> None:
        blocks.append(np.asarray(mcmc.get_samples(group_by_chain=True)))
        extras.append(
            {k: np.asarray(v) for k, v in mcmc.get_extra_fields(group_by_chain=True).items()}
        )

    with compilation_cache(jax):
        mcmc, start = _warm_up(make, jax.random.PRNGKey(seed), positions, tune, progress)
        mcmc.run(**start, extra_fields=fields)
        collect()
        limit = draws if max_draws is None else max_draws

        def short() -> bool:
            drawn = np.concatenate(blocks, axis=1)
            quantities = drawn if judged is None else judged(flat.point(drawn))
            return _short(quantities, np.concatenate([e["diverging"] for e in extras], axis=1))

        while len(blocks) * draws + draws <= limit and short():
            if progress is not None:
                progress.extend(chains * draws)
                progress.stage("drawing more (ESS or R-hat short)")
            mcmc.post_warmup_state = mcmc.last_state
            mcmc.run(mcmc.post_warmup_state.rng_key, extra_fields=fields)
            collect()
    posterior = flat.point(np.concatenate(blocks, axis=1))
    extra = {k: np.concatenate([e[k] for e in extras], axis=1) for k in extras[0]}
    steps = extra["num_steps"].astype(np.int64)
    sample_stats = {
        "diverging": extra["diverging"].astype(bool),
        "n_steps": steps,
        "tree_depth": np.floor(np.log2(np.maximum(steps, 1))).astype(np.int64) + 1,
        "energy": extra["energy"],
        "acceptance_rate": extra["accept_prob"],
        "lp": -extra["potential_energy"],
    }
    dims = {name: list(model.named_vars_to_dims.get(name, ())) for name in flat.names}
    return az.from_dict(
        posterior=posterior, sample_stats=sample_stats, coords=model.coords, dims=dims
    )


def _warm_up(
    make: Callable[[int, dict[str, Any]], Any],
    key: Any,
    positions: Any,
    tune: int,
    progress: FitProgress | None,
) -> tuple[Any, dict[str, Any]]:
    """A NumPyro ``MCMC`` to warm up by ``tune`` steps per chain from ``positions`` (one row per
    chain) and the arguments of its ``run``, which draws.

    ``make(num_warmup, kernel_options)`` builds the ``MCMC``. The first
    :data:`DIAGONAL_SHARE` of the steps adapt a diagonal mass matrix (NumPyro's windows); the
    covariance of their second half, over all chains and regularised as NumPyro and Stan
    regularise theirs, is the dense mass matrix that the remaining steps adapt the step size to.
    With fewer than three steps, or fewer coordinates than :data:`FIRST_WINDOW`, there is one
    pass, NumPyro's own dense adaptation, in the same compiled program as the draws (its ``run``
    warms up first); otherwise the returned ``MCMC`` is warmed up (``post_warmup_state`` set).
    """
    import jax
    import jax.numpy as jnp

    diagonal_tune = round(DIAGONAL_SHARE * tune)
    dense_tune = tune - diagonal_tune
    if diagonal_tune < 2 or dense_tune < 1 or positions.shape[-1] < FIRST_WINDOW:
        return make(tune, {"dense_mass": True}), {"rng_key": key, "init_params": positions}
    first, second = jax.random.split(key)
    diagonal = make(diagonal_tune, {"dense_mass": False})
    diagonal.warmup(first, init_params=positions, collect_warmup=True)
    kept = np.asarray(diagonal.get_samples(group_by_chain=True))[:, diagonal_tune // 2 :]
    covariance = regularised_covariance(kept.reshape(-1, kept.shape[-1]))
    dense = make(
        dense_tune,
        {
            "dense_mass": True,
            "inverse_mass_matrix": jnp.asarray(covariance),
            "adapt_mass_matrix": False,
        },
    )
    if progress is not None:
        progress.next_pass(dense_tune, "warm-up (dense mass matrix)")
    dense.warmup(second, init_params=diagonal.last_state.z)
    return dense, {"rng_key": dense.post_warmup_state.rng_key}


def regularised_covariance(draws: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The covariance of ``draws`` (one row per draw) shrunk towards ``1e-3`` times the identity
    by ``5 / (n + 5)``, ``n`` the number of draws: the regularisation of Stan's and NumPyro's
    mass-matrix estimates, which keeps it positive definite with fewer draws than coordinates.

    Examples
    --------
    >>> regularised_covariance(np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0],
    ...                                  [1.0, 1.0]])).round(4).tolist()
    [[0.5005, 0.0], [0.0, 0.5005]]
    """
    n = draws.shape[0]
    covariance = np.atleast_2d(np.cov(draws, rowvar=False))
    weight = 5.0 / (n + 5.0)
    shrunk: np.ndarray[Any, Any] = (1.0 - weight) * covariance + weight * 1e-3 * np.eye(
        len(covariance)
    )
    return shrunk


@functools.cache
def _reporting_nuts() -> type:
    """NumPyro's NUTS reporting each iteration to :func:`~tokendemand.fitting._progress.report`."""
    import jax

    with without_widget_warning():
        from numpyro.infer import NUTS

    class ReportingNUTS(NUTS):  # type: ignore[misc]
        def sample(self, state: Any, model_args: Any, model_kwargs: Any) -> Any:
            new = super().sample(state, model_args, model_kwargs)
            jax.debug.callback(report, new.i, new.diverging)
            return new

    return ReportingNUTS


def _short(flat: np.ndarray[Any, Any], diverging: np.ndarray[Any, Any]) -> bool:
    """Whether draws ``(chain, draw, coordinate)`` miss the ESS or R-hat threshold while no
    transition diverged: the case that more draws from the same chains can mend."""
    import arviz as az

    from tokendemand.fitting.diagnostics import convergence_problems

    if diverging.any():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        draws = az.convert_to_dataset({"x": flat})
        ess = float(np.nanmin(az.ess(draws, method="bulk")["x"].values))
        rhat = float(np.nanmax(az.rhat(draws)["x"].values)) if flat.shape[0] > 1 else 1.0
    return bool(convergence_problems({"min_ess_bulk": ess, "max_rhat": rhat}))
