"""Replicated figures: draws of the parameters through the observation equation and its noise.

Shared by the predictive checks of a fit and its forecasts of held-out figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from tokendemand.design import TARGETS, ObservationDesign
from tokendemand.priors import Priors
from tokendemand.structure import Structure

__all__ = ["as_draw_values", "natural_scale", "replicate"]


def replicate(
    design: ObservationDesign,
    structure: Structure,
    priors: Priors,
    values: Mapping[str, Any],
    random_seed: int | None,
) -> np.ndarray[Any, Any]:
    """Replicated figures (original units), one row per draw in ``values``.

    ``values`` as :func:`~tokendemand.parametrization.structural_values` returns for arrays of
    draws (``(draws, 1)`` scalars). Noise is Student-t on the likelihood scale, as in the model.
    """
    rng = np.random.default_rng(random_seed)
    mu = design.predict(structure, values, np)
    sd = np.asarray(values["noise"]) * design.noise_multiplier(priors.noise_multiplier)
    y = mu + sd * rng.standard_t(priors.student_t_nu, size=mu.shape)
    return natural_scale(design, y)


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
