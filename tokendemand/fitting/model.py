"""The structural model in PyMC, and fitting it.

:class:`TokenDemandModel` holds a specification (a :class:`~tokendemand.structure.Structure` and
:class:`~tokendemand.priors.Priors`); :meth:`TokenDemandModel.fit` builds the PyMC model for a
set of observations and returns an immutable :class:`~tokendemand.fitting.result.FitResult`.

The model, in one paragraph: one standard normal per free parameter (see
:mod:`tokendemand.fitting.parametrization`), mapped through the priors to the structural values; the
one structural equation evaluated on the days the figures touch; each figure compared with its
linear aggregate of that daily path (:mod:`tokendemand.fitting.likelihood`) on the log scale (logit
for penetration and agent share) with a Student-t error whose scale grows as the figure's confidence
falls; one-sided figures ("over 140T") enter as censored values through the Student-t tail.

Methods: ``"nuts"`` (the default; NumPyro, PyMC or nutpie, see
:data:`~tokendemand.fitting.options.SAMPLERS`), ``"map"`` (one point, the posterior mode; no
uncertainty) and ``"advi"`` (mean-field variational; known to miss where NUTS does not: a quick look
only, and it warns).
"""

from __future__ import annotations

import contextlib
import functools
import json
import time
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from tokendemand.errors import ConfigError, ConvergenceWarning
from tokendemand.fitting._compile_cache import cached, fingerprint
from tokendemand.fitting._progress import FitProgress
from tokendemand.fitting._pymc import (
    find_map,
    fit_advi,
    initial_points,
    sample_nutpie,
    sample_pymc,
)
from tokendemand.fitting.likelihood import ObservationDesign
from tokendemand.fitting.options import (
    DEFAULT_CHAINS,
    checked_options,
)
from tokendemand.fitting.parametrization import free_parameters, structural_values
from tokendemand.fitting.posterior import recorded_names, structural_draws
from tokendemand.fitting.pseudo import ClaimRecord, StatedClaim, claim_observations
from tokendemand.fitting.result import FitResult
from tokendemand.observations import Confidence, Observations
from tokendemand.priors import Priors
from tokendemand.structure import Structure

__all__ = ["TokenDemandModel", "fit"]


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
        """The arrays the model is built from (:class:`~.likelihood.ObservationDesign`)."""
        return ObservationDesign.build(
            observations, reference_date, reference_series, pooling=self.structure.pooling
        )

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

        sizes = design.sizes
        # The transforms keep every parameter inside its support, so PyMC's runtime
        # parameter checks are dead weight in every gradient evaluation.
        with pm.Model(coords=design.coords, check_bounds=False) as model:
            z: dict[str, Any] = {}
            for parameter in free_parameters(self.structure, self.priors, sizes):
                name = parameter.name
                if parameter.dim is None:
                    z[name] = pm.Normal(f"z_{name}", 0.0, 1.0)
                elif sizes[parameter.dim]:
                    z[name] = pm.Normal(f"z_{name}", 0.0, 1.0, dims=parameter.dim)
                if parameter.pooled:
                    z[f"{name}_location"] = pm.Normal(f"z_{name}_location", 0.0, 1.0)
                    if self.priors.pooling_spread.sampled:  # else a Fixed spread
                        z[f"{name}_spread"] = pm.Normal(f"z_{name}_spread", 0.0, 1.0)
                if parameter.nested:
                    market = f"{parameter.dim}_market"
                    z[f"{name}_market"] = pm.Normal(f"z_{name}_market", 0.0, 1.0, dims=market)
            z["total_reference"] = pm.Normal("z_total_reference", 0.0, 1.0, dims="market")
            values = structural_values(
                self.structure, self.priors, z, design.total_centre, pt, design.market_groups
            )
            if deterministics:
                for name, dims in recorded_names(self.structure, self.priors, design):
                    pm.Deterministic(name, values[name], dims=dims)

            # One Student-t over every exact figure and one tail term per kind of bound: the
            # blocks' rows of each bound kind are contiguous, so they join by slices.
            multiplier = design.noise_multiplier(self.priors.noise_multiplier)
            nu = self.priors.student_t_nu
            joined: dict[str, tuple[list[Any], list[Any]]] = {}
            for rows, mu in design.predict_blocks(self.structure, values, pt):
                bounds = design.bound[rows]
                for code, kind in ((0, "exact"), (1, "lower"), (-1, "upper")):
                    where = np.flatnonzero(bounds == code)
                    if len(where):
                        part = slice(where[0], where[-1] + 1)
                        joined.setdefault(kind, ([], []))[0].append(rows[part])
                        joined[kind][1].append(mu[part])
            for kind, (row_parts, mu_parts) in joined.items():
                rows = np.concatenate(row_parts)
                mu = mu_parts[0] if len(mu_parts) == 1 else pt.concatenate(mu_parts)
                factor = design.noise_factor(values, rows)
                sigma = values["noise"] * factor * multiplier[rows]
                if kind == "exact":
                    pm.StudentT("observed", nu=nu, mu=mu, sigma=sigma, observed=design.y[rows])
                else:
                    dist = pm.StudentT.dist(nu=nu, mu=mu, sigma=sigma)
                    y = design.y[rows]
                    tail = pm.logccdf(dist, y) if kind == "lower" else pm.logcdf(dist, y)
                    pm.Potential(f"{kind}_bounds", tail.sum())
        return model

    def fit(
        self,
        observations: Observations,
        *,
        draws: int = 1000,
        tune: int = 1000,
        chains: int = DEFAULT_CHAINS,
        random_seed: int | None = None,
        method: Literal["nuts", "map", "advi"] = "nuts",
        sampler: str | None = None,
        target_accept: float | None = None,
        reference_date: Any = None,
        reference_series: Mapping[str, str] | None = None,
        progressbar: bool = False,
        cores: int | None = None,
        max_draws: int | None = None,
        claims: Iterable[StatedClaim] | None = None,
        claim_confidence: Confidence = "low",
    ) -> FitResult:
        """Fit the model to ``observations``.

        Parameters
        ----------
        observations
            Figures in any mix of shapes (:mod:`tokendemand.observations`).
        draws, tune, chains
            NUTS draws kept per chain, tuning steps per chain, chains (default
            :data:`~tokendemand.fitting.options.DEFAULT_CHAINS`). For ``"advi"``, ``draws``
            is the number of draws taken from the fitted approximation.
        random_seed
            Seed for reproducible results.
        method
            ``"nuts"``, ``"map"`` or ``"advi"``.
        sampler
            NUTS back end: ``"numpyro"``, ``"pymc"`` or ``"nutpie"``; default
            :data:`~tokendemand.fitting.options.DEFAULT_SAMPLER`.
        target_accept
            NUTS target acceptance rate; default
            :data:`~tokendemand.fitting.options.DEFAULT_TARGET_ACCEPT` of the sampler (0.95 for
            NumPyro, whose trajectories through this posterior's heavy tails are otherwise too short
            for 400 effective draws from some seeds; 0.9 for PyMC).
        reference_date
            ``t = 0`` of the relative parametrization; default: the last day with a figure.
        reference_series
            Reference series by market (coverage 1); default: the series with most levels.
        progressbar
            Show the sampler's progress on stderr, as PyMC's ``progressbar`` does: with NumPyro,
            a bar of the stage (compiling, and whether the compiled model came from the cache;
            warm-up; sampling), the iterations done and the divergent transitions so far,
            redrawn at least every second; the other back ends show their own.
        cores
            Chains run at once (default: ``min(chains, CPUs)``); ``1`` runs them one after
            the other (with ``"pymc"``, in this process).
        max_draws
            NumPyro only: when the draws miss the bulk ESS or R-hat threshold and no transition
            diverged, the chains carry on, ``draws`` more at a time, up to ``max_draws`` per
            chain (default ``3 * draws``; ``draws`` turns it off). ``diagnostics["draws"]``
            says how many were drawn.
        claims
            Claims (:class:`~tokendemand.claims.Claim`) entered as soft pseudo-observations,
            as lift tests calibrate marketing-mix models: each states itself as figures
            (:meth:`~tokendemand.claims.Claim.as_observations`) that are appended to
            ``observations`` at ``claim_confidence`` (default ``low``, so the noise multiplier
            of that grade widens them) with ``source`` ``"claim: ..."``. A claim figure that is
            already a data figure is skipped with a warning, not counted twice; the reference
            date and series stay those of the data alone
            (:mod:`tokendemand.fitting.pseudo`). ``FitResult.claims`` records them.
        claim_confidence
            Confidence the claims' figures enter at.

        Returns
        -------
        FitResult
            Posterior, observations, specification and diagnostics. A
            :class:`~tokendemand.errors.ConvergenceWarning` says what to try when the
            diagnostics are poor.
        """
        chosen, target_accept = checked_options(
            method, draws, tune, chains, sampler, target_accept, max_draws
        )
        timings: dict[str, float] = {}
        start = time.perf_counter()
        show = progressbar and method == "nuts" and chosen == "numpyro"
        with FitProgress(chains, tune, draws) if show else contextlib.nullcontext() as progress:
            if progress is not None:
                progress.stage("building the model")
            records: tuple[ClaimRecord, ...] = ()
            if claims is not None:
                data = self.design(observations, reference_date, reference_series)
                observations, records = claim_observations(
                    claims,
                    observations,
                    data.reference_date,
                    substitution=float(self.priors.substitution.from_standard(0.0)),
                    confidence=claim_confidence,
                )
                reference_date, reference_series = data.reference_date, data.reference_series
            design = self.design(observations, reference_date, reference_series)
            with _quiet_known_warnings():
                model = self.build(design, deterministics=False)
                timings["build"] = time.perf_counter() - start
                rng = np.random.default_rng(random_seed)
                if method == "nuts":
                    idata = self._sample(
                        model,
                        design,
                        chosen,
                        timings,
                        rng,
                        draws=draws,
                        tune=tune,
                        chains=chains,
                        random_seed=random_seed,
                        target_accept=target_accept,
                        progressbar=progressbar,
                        cores=cores,
                        max_draws=3 * draws if max_draws is None else max_draws,
                        progress=progress,
                    )
                else:
                    start = time.perf_counter()
                    if method == "map":
                        idata = find_map(model, random_seed, progressbar)
                    else:
                        idata = fit_advi(model, draws, random_seed, progressbar)
                    timings["sample"] = time.perf_counter() - start
            if progress is not None:
                progress.stage("log-likelihood and predictive draws")
            result = FitResult.from_inference(
                idata,
                structure=self.structure,
                priors=self.priors,
                design=design,
                method=method,
                sampler=chosen if method == "nuts" else method,
                timings=timings,
            )
            options: dict[str, Any] = {"draws": draws, "tune": tune, "chains": chains}
            options.update(random_seed=random_seed, target_accept=target_accept)
            options.update(max_draws=max_draws, cores=cores)
            result = replace(result, claims=records, options=MappingProxyType(options))
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

    def _sample(
        self,
        model: Any,
        design: ObservationDesign,
        sampler: str,
        timings: dict[str, float],
        rng: np.random.Generator,
        *,
        draws: int,
        tune: int,
        chains: int,
        random_seed: int | None,
        target_accept: float,
        progressbar: bool,
        cores: int | None,
        max_draws: int,
        progress: FitProgress | None,
    ) -> Any:
        """NUTS with ``sampler``; compile and sampling times go into ``timings``."""
        start = time.perf_counter()
        if sampler == "nutpie":
            idata = sample_nutpie(model, draws, tune, chains, random_seed, progressbar)
        elif sampler == "numpyro":
            from tokendemand.fitting._jax import jax_log_density
            from tokendemand.fitting._numpyro import sample_numpyro

            log_density = jax_log_density(model, self._cache_key(model, design), chains, progress)
            timings["compile"] = time.perf_counter() - start
            start = time.perf_counter()
            idata = sample_numpyro(
                model,
                log_density,
                initial_points(model, chains, rng),
                draws,
                tune,
                int(rng.integers(2**31)),
                target_accept,
                progress,
                cores,
                max_draws,
                judged=functools.partial(
                    structural_draws, structure=self.structure, priors=self.priors, design=design
                ),
            )
        else:
            logp_dlogp = self._compiled_logp_dlogp(model, design)
            timings["compile"] = time.perf_counter() - start
            start = time.perf_counter()
            idata = sample_pymc(
                model,
                logp_dlogp,
                initial_points(model, chains, rng),
                draws,
                tune,
                random_seed,
                rng,
                progressbar,
                target_accept,
                cores,
            )
        timings["sample"] = time.perf_counter() - start
        return idata

    def _cache_key(self, model: Any, design: ObservationDesign) -> str:
        """Compile-cache key of ``model`` built from ``design`` under this specification."""
        parts: list[bytes | str] = [
            json.dumps(
                {"structure": self.structure.to_dict(), "priors": self.priors.to_dict()},
                sort_keys=True,
            ),
            json.dumps([v.name for v in model.value_vars]),
            json.dumps(
                [
                    design.markets,
                    design.covered,
                    design.proxies,
                    design.confidence.tolist(),
                    design.units,
                    design.launches,
                ]
            ),
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
            design.proxy_index,
            design.total_centre,
            design.launch_day,
            design.curve_index,
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


def fit(
    observations: Observations,
    *,
    structure: Structure | None = None,
    priors: Priors | None = None,
    draws: int = 1000,
    tune: int = 1000,
    chains: int = DEFAULT_CHAINS,
    random_seed: int | None = None,
    method: Literal["nuts", "map", "advi"] = "nuts",
    sampler: str | None = None,
    target_accept: float | None = None,
    reference_date: Any = None,
    reference_series: Mapping[str, str] | None = None,
    progressbar: bool = False,
    cores: int | None = None,
    max_draws: int | None = None,
    claims: Iterable[StatedClaim] | None = None,
    claim_confidence: Confidence = "low",
) -> FitResult:
    """Fit a :class:`TokenDemandModel` of ``structure`` and ``priors`` to ``observations``.

    Parameters
    ----------
    observations
        Figures in any mix of shapes (:mod:`tokendemand.observations`).
    structure, priors
        The model's specification (defaults: ``Structure()``, ``Priors()``).
    draws, tune, chains, random_seed, method, sampler, target_accept, reference_date, \
reference_series, progressbar, cores, max_draws, claims, claim_confidence
        As for :meth:`TokenDemandModel.fit`; ``claims`` enters published claims as soft
        pseudo-observations at ``claim_confidence`` (default ``low``).

    Returns
    -------
    FitResult
        Posterior, observations, specification and diagnostics.
    """
    return TokenDemandModel(structure, priors).fit(
        observations,
        draws=draws,
        tune=tune,
        chains=chains,
        random_seed=random_seed,
        method=method,
        sampler=sampler,
        target_accept=target_accept,
        reference_date=reference_date,
        reference_series=reference_series,
        progressbar=progressbar,
        cores=cores,
        max_draws=max_draws,
        claims=claims,
        claim_confidence=claim_confidence,
    )
