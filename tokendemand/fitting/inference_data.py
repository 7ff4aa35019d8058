"""A fit's full ArviZ ``InferenceData``: what PyMC users expect to find in ``fit.idata``.

:func:`inference_data` turns a sampler's draws of the standard-normal coordinates into the
groups ArviZ's functions read:

==========================  ================================================================
group                       contents
==========================  ================================================================
``posterior``               the structural quantities
                            (:func:`~tokendemand.fitting.posterior.recorded_names`)
``unconstrained_posterior`` the sampled ``z_<name>`` standard normals
``sample_stats``            the sampler's statistics (NUTS only)
``log_likelihood``          ``figures``: each figure's log-likelihood under each draw
                            (:func:`~tokendemand.fitting.likelihood.log_likelihood`), so
                            ``az.loo`` and ``az.compare`` work
``posterior_predictive``    ``figures``: replicated figures, in the figures' own units
``prior``                   :data:`PRIOR_DRAWS` draws of the structural quantities
``prior_predictive``        ``figures`` replicated from the prior draws
``observed_data``           ``figures``: the published values
==========================  ================================================================

Every ``figures`` variable has the dimension ``figure`` (one per observation, in order) with
the coordinates ``series``, ``market``, ``kind`` and ``bound``. The replicates are seeded, so the
same draws give the same groups.
"""

from __future__ import annotations

import warnings
from typing import Any, Final

import numpy as np

from tokendemand.fitting.likelihood import (
    ObservationDesign,
    as_draw_values,
    log_likelihood,
    replicate,
)
from tokendemand.fitting.posterior import prior_values, recorded_names, structural_posterior
from tokendemand.priors import Priors
from tokendemand.structure import Structure

__all__ = ["FIGURES", "PRIOR_DRAWS", "inference_data"]

PRIOR_DRAWS: Final = 1000
"""Draws in the ``prior`` and ``prior_predictive`` groups."""
FIGURES: Final = "figures"
"""Name of the observed variable in the per-figure groups."""


def inference_data(
    sampled: Any,
    structure: Structure,
    priors: Priors,
    design: ObservationDesign,
    random_seed: int = 0,
) -> Any:
    """The full ``arviz.InferenceData`` of a fit from its sampled coordinates.

    Parameters
    ----------
    sampled
        An ``InferenceData`` whose ``posterior`` (or ``unconstrained_posterior``) holds the
        ``z_<name>`` draws, with ``sample_stats`` when a sampler made them.
    structure, priors, design
        The fit's specification and observations.
    random_seed
        Seed of the replicated figures and the prior draws.

    Returns
    -------
    arviz.InferenceData
        The groups of the module table.
    """
    import arviz as az
    import xarray as xr

    groups = sampled.groups()
    source = (
        sampled.unconstrained_posterior
        if "unconstrained_posterior" in groups
        else sampled.posterior
    )
    unconstrained = source[[n for n in source.data_vars if str(n).startswith("z_")]]
    posterior = structural_posterior(unconstrained, structure, priors, design)
    posterior.attrs = dict(sampled.posterior.attrs)
    chain, draw = posterior.sizes["chain"], posterior.sizes["draw"]
    figure_coords = _figure_coords(design)
    figure_dims = ("chain", "draw", "figure")

    def per_figure(array: np.ndarray[Any, Any], chains: int, draws: int) -> Any:
        return xr.Dataset(
            {FIGURES: (figure_dims, array.reshape(chains, draws, len(design)))},
            coords={"chain": np.arange(chains), "draw": np.arange(draws), **figure_coords},
        )

    values = _draw_values(posterior, structure, priors, design)
    prior = prior_values(structure, priors, design, PRIOR_DRAWS, random_seed)
    prior_dataset = _as_dataset(prior, structure, priors, design)
    observed = np.array([float(o.value) for o in design.observations])
    out: dict[str, Any] = {
        "posterior": posterior,
        "unconstrained_posterior": unconstrained,
        "log_likelihood": per_figure(
            log_likelihood(design, structure, priors, values), chain, draw
        ),
        "posterior_predictive": per_figure(
            replicate(design, structure, priors, values, random_seed), chain, draw
        ),
        "prior": prior_dataset,
        "prior_predictive": per_figure(
            replicate(design, structure, priors, as_draw_values(prior), random_seed),
            1,
            PRIOR_DRAWS,
        ),
        "observed_data": xr.Dataset({FIGURES: (("figure",), observed)}, coords=figure_coords),
    }
    if "sample_stats" in groups:
        out["sample_stats"] = sampled.sample_stats
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", category=FutureWarning, message=".*ArviZ is undergoing a major refactor.*"
        )
        return az.InferenceData(**out)


def _figure_coords(design: ObservationDesign) -> dict[str, Any]:
    frame = design.observations.to_frame()
    return {
        "figure": np.arange(len(design)),
        "series": ("figure", frame["series"].astype(str).to_numpy()),
        "market": ("figure", frame["market"].astype(str).to_numpy()),
        "kind": ("figure", frame["kind"].astype(str).to_numpy()),
        "bound": ("figure", np.array([str(o.bound or "exact") for o in design.observations])),
    }


def _draw_values(
    posterior: Any, structure: Structure, priors: Priors, design: ObservationDesign
) -> dict[str, Any]:
    """The posterior's structural draws shaped for the observation equation, chains stacked."""
    draws = {}
    for name, _ in recorded_names(structure, priors, design):
        array = np.asarray(posterior[name].values, dtype=float)
        draws[name] = array.reshape(-1, *array.shape[2:])
    values = as_draw_values(draws)
    values["substitution"] = float(priors.substitution.from_standard(0.0))
    return values


def _as_dataset(
    draws: dict[str, Any], structure: Structure, priors: Priors, design: ObservationDesign
) -> Any:
    """Prior draws as a one-chain Dataset of the structural quantities."""
    import xarray as xr

    variables = {}
    for name, dim in recorded_names(structure, priors, design):
        array = np.asarray(draws[name], dtype=float)[None, ...]
        variables[name] = (("chain", "draw") if dim is None else ("chain", "draw", dim), array)
    coords: dict[str, Any] = {
        "chain": [0],
        "draw": np.arange(PRIOR_DRAWS),
        "market": list(design.markets),
    }
    if design.covered:
        coords["series"] = [f"{m}/{s}" for m, s in design.covered]
    return xr.Dataset(variables, coords=coords)
