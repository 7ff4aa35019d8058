"""The structural model in PyMC, and fitting it.

:class:`TokenDemandModel` holds a specification (a :class:`~tokendemand.structure.Structure` and
:class:`~tokendemand.priors.Priors`); :meth:`TokenDemandModel.fit` builds the PyMC model for a
set of observations and returns an immutable :class:`~tokendemand.fit_result.FitResult`.

The model, in one paragraph: one standard normal per free parameter (see
:mod:`tokendemand.parametrization`), mapped through the priors to the structural values; the one
structural equation evaluated on the days the figures touch; each figure compared with its
linear aggregate of that daily path (:mod:`tokendemand.design`) on the log scale (logit for
penetration and agent share) with a Student-t error whose scale grows as the figure's confidence
falls; one-sided figures ("over 140T") enter as censored values through the Student-t tail.

Methods: ``"nuts"`` (the default; NumPyro, PyMC or nutpie, see :data:`SAMPLERS`), ``"map"``
(one point, the posterior mode; no uncertainty) and ``"advi"`` (mean-field variational; known to
miss where NUTS does not: a quick look only, and it warns).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import time
import warnings
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final, Literal

import numpy as np

from tokendemand.compile_cache import cached, fingerprint
from tokendemand.design import TARGETS, ObservationDesign
from tokendemand.errors import ConfigError, ConvergenceWarning
from tokendemand.fit_result import FitResult, recorded_names
from tokendemand.observations import Observations
from tokendemand.parametrization import free_parameters, structural_values
from tokendemand.priors import Priors
from tokendemand.structure import Structure

__all__ = [
    "DEFAULT_SAMPLER",
    "DEFAULT_TARGET_ACCEPT",
    "METHODS",
    "SAMPLERS",
    "TokenDemandModel",
    "fit",
]

METHODS: Final[tuple[str, ...]] = ("nuts", "map", "advi")
SAMPLERS: Final[tuple[str, ...]] = ("numpyro", "pymc", "nutpie")
"""NUTS back ends: NumPyro in JAX, PyMC's own, or nutpie (``pip install 'tokendemand[nutpie]'``)."""

DEFAULT_SAMPLER: Final = "numpyro"
"""NumPyro's NUTS on the JAX-compiled model (:mod:`tokendemand.numpyro_sampler`).

``bench/fit.py`` measures the back ends on the bundled data. On a 2-core machine with warm
caches, NumPyro's default fit of ``china_national`` took 3.5 s and PyMC's 25.6 s (each PyMC
gradient costs about ten times as much and is called from Python); nutpie samples fast but
compiles its model anew in every process (14-31 s)."""

DEFAULT_TARGET_ACCEPT: Final[Mapping[str, float]] = MappingProxyType({"numpyro": 0.95, "pymc": 0.9})
"""NUTS target acceptance rate by sampler, when ``fit`` is not given one (nutpie uses its own)."""


_JAX_FORK_WARNING: Final = r"os\.fork\(\) was called"


@contextlib.contextmanager
def _quiet_known_warnings() -> Iterator[None]:
    """Silence the two warnings this stack emits that say nothing about the user's fit."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*could not link to a BLAS.*")
        warnings.filterwarnings(
            "ignore", category=FutureWarning, message=".*ArviZ is undergoing a major refactor.*"
        )
        yield


class TokenDemandModel:
    """A structural token-demand model: which families drive the levers and the priors.

    Parameters
    ----------
    structure
        Curve family of each lever.
    priors
        Priors of every parameter (defaults cite their sources).

    Examples
    --------
    >>> model = TokenDemandModel()
    >>> model.structure.penetration
    'logistic'
    """

    def __init__(self, structure: Structure | None = None, priors: Priors | None = None) -> None:
        self.structure = structure if structure is not None else Structure()
        self.priors = priors if priors is not None else Priors()
        if not isinstance(self.structure, Structure):
            raise ConfigError(f"structure must be a Structure, got {type(self.structure).__name__}")
        if not isinstance(self.priors, Priors):
            raise ConfigError(f"priors must be a Priors, got {type(self.priors).__name__}")
        free_parameters(self.structure, self.priors)  # every lever parameter has a prior

    def __repr__(self) -> str:
        return f"TokenDemandModel(structure={self.structure!r})"

    def design(
        self,
        observations: Observations,
        reference_date: Any = None,
        reference_series: Mapping[str, str] | None = None,
    ) -> ObservationDesign:
        """The arrays the model is built from (:class:`~tokendemand.design.ObservationDesign`)."""
        return ObservationDesign.build(observations, reference_date, reference_series)

    def build(self, design: ObservationDesign, deterministics: bool = True) -> Any:
        """The PyMC model for ``design`` (a ``pymc.Model``).

        Parameters
        ----------
        design
            Observations as arrays.
        deterministics
            Record the structural parameters as ``pm.Deterministic`` (for exploring the model
            with PyMC's own tools). :meth:`fit` leaves them out and computes them from the
            draws afterwards with the same function, which samples faster.
        """
        import pymc as pm
        import pytensor.tensor as pt

        coords: dict[str, Any] = {
            "market": list(design.markets),
            "series": [f"{market}/{series}" for market, series in design.covered],
        }
        # The transforms keep every parameter inside its support, so PyMC's runtime
        # parameter checks are dead weight in every gradient evaluation.
        with pm.Model(coords=coords, check_bounds=False) as model:
            z: dict[str, Any] = {}
            for parameter in free_parameters(self.structure, self.priors):
                if parameter.dim == "series":
                    if design.covered:
                        z[parameter.name] = pm.Normal(
                            f"z_{parameter.name}", 0.0, 1.0, dims="series"
                        )
                else:
                    z[parameter.name] = pm.Normal(f"z_{parameter.name}", 0.0, 1.0)
            z["total_reference"] = pm.Normal("z_total_reference", 0.0, 1.0, dims="market")
            values = structural_values(self.structure, self.priors, z, design.total_centre, pt)
            if deterministics:
                for name, dims in recorded_names(self.structure, self.priors, design):
                    pm.Deterministic(name, values[name], dims=dims)

            noise = values["noise"]
            multiplier = design.noise_multiplier(self.priors.noise_multiplier)
            nu = self.priors.student_t_nu
            for rows, mu in design.predict_blocks(self.structure, values, pt):
                target = TARGETS[design.target[rows[0]]]
                bounds = design.bound[rows]
                for code, kind in ((0, "exact"), (1, "lower"), (-1, "upper")):
                    where = np.flatnonzero(bounds == code)
                    if len(where) == 0:
                        continue
                    part = slice(where[0], where[-1] + 1)  # contiguous: rows sorted by bound
                    sigma = noise * multiplier[rows[part]]
                    y = design.y[rows[part]]
                    if kind == "exact":
                        pm.StudentT(
                            f"{target}_observed", nu=nu, mu=mu[part], sigma=sigma, observed=y
                        )
                    else:
                        dist = pm.StudentT.dist(nu=nu, mu=mu[part], sigma=sigma)
                        tail = pm.logccdf(dist, y) if kind == "lower" else pm.logcdf(dist, y)
                        pm.Potential(f"{target}_{kind}_bounds", tail.sum())
        return model

    def fit(
        self,
        observations: Observations,
        *,
        draws: int = 1000,
        tune: int = 1000,
        chains: int = 2,
        random_seed: int | None = None,
        method: Literal["nuts", "map", "advi"] = "nuts",
        sampler: str | None = None,
        target_accept: float | None = None,
        reference_date: Any = None,
        reference_series: Mapping[str, str] | None = None,
        progressbar: bool = False,
        cores: int | None = None,
        max_draws: int | None = None,
    ) -> FitResult:
        """Fit the model to ``observations``.

        Parameters
        ----------
        observations
            Figures in any mix of shapes (:mod:`tokendemand.observations`).
        draws, tune, chains
            NUTS draws kept per chain, tuning steps per chain, chains. For ``"advi"``, ``draws``
            is the number of draws taken from the fitted approximation.
        random_seed
            Seed for reproducible results.
        method
            ``"nuts"``, ``"map"`` or ``"advi"``.
        sampler
            NUTS back end: ``"numpyro"``, ``"pymc"`` or ``"nutpie"``; default
            :data:`DEFAULT_SAMPLER`.
        target_accept
            NUTS target acceptance rate; default :data:`DEFAULT_TARGET_ACCEPT` of the sampler
            (0.95 for NumPyro, whose trajectories through this posterior's heavy tails are
            otherwise too short for 400 effective draws from some seeds; 0.9 for PyMC).
        reference_date
            ``t = 0`` of the relative parametrization; default: the last day with a figure.
        reference_series
            Reference series by market (coverage 1); default: the series with most levels.
        progressbar
            Show sampler progress.
        cores
            Chains run at once (default: ``min(chains, CPUs)``); ``1`` runs them one after
            the other (with ``"pymc"``, in this process).
        max_draws
            NumPyro only: when the draws miss the bulk ESS or R-hat threshold and no transition
            diverged, the chains carry on, ``draws`` more at a time, up to ``max_draws`` per
            chain (default ``3 * draws``; ``draws`` turns it off). ``diagnostics["draws"]``
            says how many were drawn.

        Returns
        -------
        FitResult
            Posterior, observations, specification and diagnostics. A
            :class:`~tokendemand.errors.ConvergenceWarning` says what to try when the
            diagnostics are poor.
        """
        problems = []
        if method not in METHODS:
            problems.append(f"method must be one of {METHODS}, got {method!r}")
        for name, value, low in (("draws", draws, 1), ("tune", tune, 0), ("chains", chains, 1)):
            if not isinstance(value, int) or value < low:
                problems.append(f"{name} must be an integer >= {low}, got {value!r}")
        chosen = sampler if sampler is not None else DEFAULT_SAMPLER
        if target_accept is None:
            target_accept = DEFAULT_TARGET_ACCEPT.get(chosen, 0.9)
        if max_draws is not None and (
            not isinstance(max_draws, int) or (isinstance(draws, int) and max_draws < draws)
        ):
            problems.append(f"max_draws must be an integer >= draws ({draws}), got {max_draws!r}")
        if max_draws is not None and not (method == "nuts" and chosen == "numpyro"):
            problems.append(
                "max_draws applies to NUTS with sampler='numpyro' only (the other back ends "
                "cannot carry on from their adapted chains); leave it unset"
            )
        if not 0.5 <= target_accept < 1.0:
            problems.append(f"target_accept must be in [0.5, 1), got {target_accept}")
        if method == "nuts" and chosen not in SAMPLERS:
            problems.append(f"sampler must be one of {SAMPLERS}, got {chosen!r}")
        if method == "nuts" and chosen == "nutpie" and importlib.util.find_spec("nutpie") is None:
            problems.append("sampler='nutpie' needs nutpie: pip install 'tokendemand[nutpie]'")
        if method == "nuts" and chosen == "numpyro":
            missing = [m for m in ("jax", "numpyro") if importlib.util.find_spec(m) is None]
            if missing:
                problems.append(
                    f"sampler='numpyro' needs {' and '.join(missing)} (tokendemand's own "
                    "dependencies: reinstall tokendemand), or pass sampler='pymc'"
                )
        if problems:
            raise ConfigError("cannot fit:\n  " + "\n  ".join(problems))

        timings: dict[str, float] = {}
        start = time.perf_counter()
        design = self.design(observations, reference_date, reference_series)
        with _quiet_known_warnings():
            model = self.build(design, deterministics=False)
            timings["build"] = time.perf_counter() - start
            start = time.perf_counter()
            rng = np.random.default_rng(random_seed)
            if method == "nuts" and chosen == "nutpie":
                idata = _sample_nutpie(model, draws, tune, chains, random_seed, progressbar)
            elif method == "nuts" and chosen == "numpyro":
                from tokendemand.numpyro_sampler import jax_log_density, sample_numpyro

                log_density = jax_log_density(model, self._cache_key(model, design), chains)
                timings["compile"] = time.perf_counter() - start
                start = time.perf_counter()
                idata = sample_numpyro(
                    model,
                    log_density,
                    _initial_points(model, chains, rng),
                    draws,
                    tune,
                    int(rng.integers(2**31)),
                    target_accept,
                    progressbar,
                    cores,
                    3 * draws if max_draws is None else max_draws,
                )
            elif method == "nuts":
                logp_dlogp = self._compiled_logp_dlogp(model, design)
                timings["compile"] = time.perf_counter() - start
                start = time.perf_counter()
                idata = _sample_pymc(
                    model,
                    logp_dlogp,
                    _initial_points(model, chains, rng),
                    draws,
                    tune,
                    random_seed,
                    rng,
                    progressbar,
                    target_accept,
                    cores,
                )
            elif method == "map":
                idata = _find_map(model, random_seed, progressbar)
            else:
                idata = _fit_advi(model, draws, random_seed, progressbar)
            timings["sample"] = time.perf_counter() - start
        result = FitResult.from_inference(
            idata,
            structure=self.structure,
            priors=self.priors,
            design=design,
            method=method,
            sampler=chosen if method == "nuts" else method,
            timings=timings,
        )
        if method == "advi":
            warnings.warn(
                "method='advi' is a quick look: mean-field ADVI understates uncertainty and can "
                "miss the posterior entirely on this model; use method='nuts' for results",
                ConvergenceWarning,
                stacklevel=2,
            )
        elif method == "nuts":
            result.warn_if_unconverged(stacklevel=2)
        return result

    def _cache_key(self, model: Any, design: ObservationDesign) -> str:
        """Compile-cache key of ``model`` built from ``design`` under this specification."""
        parts: list[bytes | str] = [
            json.dumps(
                {"structure": self.structure.to_dict(), "priors": self.priors.to_dict()},
                sort_keys=True,
            ),
            json.dumps([v.name for v in model.value_vars]),
            json.dumps([design.markets, design.covered, design.confidence.tolist()]),
        ]
        for array in (
            design.t,
            design.weights,
            design.base_weights,
            design.y,
            design.bound,
            design.target,
            design.market_index,
            design.coverage_index,
            design.total_centre,
        ):
            parts.append(np.ascontiguousarray(array).tobytes())
        return fingerprint(parts)

    def _compiled_logp_dlogp(self, model: Any, design: ObservationDesign) -> Any:
        """PyMC's log density and gradient for ``model``, from the compile cache when it can."""

        def build() -> Any:
            return model.logp_dlogp_function(ravel_inputs=True)

        function = cached(self._cache_key(model, design), build)
        if [v.name for v in function._grad_vars] != [v.name for v in model.value_vars]:
            function = build()  # a stale entry of another layout: never sample with it
        # NUTS passes float64 vectors of the right size; skipping PyTensor's input checks
        # saves a fifth of each gradient evaluation. (Setting ``trust_input`` on PyMC's
        # wrapper, as PyMC does, does not reach the compiled function.)
        function._pytensor_function.trust_input = True
        return function


def fit(observations: Observations, **options: Any) -> FitResult:
    """Fit the default :class:`TokenDemandModel`; ``options`` go to :meth:`TokenDemandModel.fit`
    (``structure=`` and ``priors=`` go to the model)."""
    model = TokenDemandModel(options.pop("structure", None), options.pop("priors", None))
    return model.fit(observations, **options)


def _initial_points(model: Any, chains: int, rng: np.random.Generator) -> list[dict[str, Any]]:
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


def _sample_pymc(
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
        warnings.filterwarnings("ignore", message=_JAX_FORK_WARNING, category=RuntimeWarning)
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


def _sample_nutpie(
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


def _find_map(model: Any, seed: int | None, progressbar: bool) -> Any:
    import arviz as az
    import pymc as pm

    with model, contextlib.redirect_stdout(io.StringIO()):
        point = pm.find_MAP(progressbar=progressbar, seed=seed)
    posterior = {
        name: np.asarray(value)[None, None, ...]
        for name, value in point.items()
        if not name.endswith(("_log__", "_logodds__", "_interval__"))
    }
    dims = {name: list(model.named_vars_to_dims.get(name, ())) for name in posterior}
    return az.from_dict(posterior=posterior, coords=model.coords, dims=dims)


def _fit_advi(model: Any, draws: int, seed: int | None, progressbar: bool) -> Any:
    import pymc as pm

    with model:
        approximation = pm.fit(n=20_000, method="advi", random_seed=seed, progressbar=progressbar)
        return approximation.sample(draws, random_seed=seed)


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
