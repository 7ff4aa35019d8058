"""The likelihood of a fit's figures, and replicated figures, pointwise in numpy.

The model side of each figure is :meth:`~tokendemand.fitting.design.ObservationDesign.predict`
(:mod:`tokendemand.fitting.design`, re-exported here). Around it each figure has a Student-t
error on the likelihood scale (log, or logit for penetration and agent share) with scale
``noise`` times its noise factor (1 for a level, ``noise_ratio_factor`` for a ratio,
``noise_share_factor`` for a share) times its confidence multiplier; a one-sided figure
contributes the tail probability beyond its bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from tokendemand.fitting.design import KIND_TARGET, TARGETS, ObservationDesign
from tokendemand.priors import Priors
from tokendemand.structure import Structure

__all__ = [
    "KIND_TARGET",
    "TARGETS",
    "ObservationDesign",
    "as_draw_values",
    "log_likelihood",
    "natural_scale",
    "noise_sd",
    "replicate",
]


def noise_sd(
    design: ObservationDesign, priors: Priors, values: Mapping[str, Any]
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Scale of each figure's error on the likelihood scale, per draw in ``values``."""
    multiplier = design.noise_multiplier(priors.noise_multiplier)
    out: np.ndarray[Any, np.dtype[np.float64]] = (
        np.asarray(values["noise"]) * design.noise_factor(values) * multiplier
    )
    return out


def replicate(
    design: ObservationDesign,
    structure: Structure,
    priors: Priors,
    values: Mapping[str, Any],
    random_seed: int | None,
) -> np.ndarray[Any, Any]:
    """Replicated figures (original units), one row per draw in ``values``.

    ``values`` as :func:`~tokendemand.fitting.parametrization.structural_values` returns for arrays
    of draws (``(draws, 1)`` scalars). Noise is Student-t on the likelihood scale, as in the model.
    """
    rng = np.random.default_rng(random_seed)
    mu = design.predict(structure, values, np)
    sd = noise_sd(design, priors, values)
    y = mu + sd * rng.standard_t(priors.student_t_nu, size=mu.shape)
    return natural_scale(design, y)


def log_likelihood(
    design: ObservationDesign,
    structure: Structure,
    priors: Priors,
    values: Mapping[str, Any],
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Log-likelihood of each figure under each draw in ``values``: shape ``(draws, rows)``.

    The terms the PyMC model adds up (numpy, pointwise): on the likelihood scale, a Student-t
    with ``priors.student_t_nu`` degrees of freedom around :meth:`ObservationDesign.predict`,
    scale :func:`noise_sd`; its density for an exact figure,
    its upper tail for a lower bound ("over 140T") and its lower tail for an upper bound.
    ``values`` as for :func:`replicate`. ArviZ's ``loo`` and ``compare`` use these terms.
    """
    from scipy import stats

    mu = design.predict(structure, values, np)
    sigma = noise_sd(design, priors, values)
    standard = (design.y - mu) / sigma
    t = stats.t(priors.student_t_nu)
    out: np.ndarray[Any, np.dtype[np.float64]] = np.where(
        design.bound == 0,
        t.logpdf(standard) - np.log(sigma),
        np.where(design.bound > 0, t.logsf(standard), t.logcdf(standard)),
    )
    return out


def natural_scale(design: ObservationDesign, y: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Values on the likelihood scale (log, or logit) back in the figures' own units."""
    logit_rows = np.isin(
        design.target, [TARGETS.index("penetration"), TARGETS.index("agent_share")]
    )
    natural: np.ndarray[Any, np.dtype[np.float64]] = np.where(
        logit_rows, 1.0 / (1.0 + np.exp(-y)), np.exp(y)
    )
    return natural


def as_draw_values(draws: Mapping[str, np.ndarray[Any, Any]]) -> dict[str, Any]:
    """Draw arrays shaped for :meth:`ObservationDesign.predict`: scalars as ``(draws, 1)``."""
    return {k: (v[:, None] if np.ndim(v) == 1 else v) for k, v in draws.items()}
