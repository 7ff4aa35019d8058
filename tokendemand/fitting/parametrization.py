"""From independent standard normals to structural parameters: the non-centred parametrization.

The PyMC model samples one ``N(0, 1)`` variable per free parameter (vectors for per-market and
per-series parameters); :func:`structural_values` maps them to the values of
:class:`~tokendemand.structure.Parameters` through each prior's transform. The same function runs
on pytensor tensors (inside the model) and on numpy arrays (prior draws, simulation), so the
model, its prior predictive and the projections agree by construction.

Sampled coordinates (each ``z`` standard normal):

- every :class:`~tokendemand.priors.Priors` field a lever's family needs (``<lever>_<param>``),
  except that a penetration family with an anchor samples ``penetration_now`` and
  ``penetration_headroom`` in place of its ceiling and date parameter;
- ``intensity_ratio``; ``noise``;
- ``total_reference`` per market: the log of the market's total tokens/day on the reference date,
  ``centre + scale_sigma * z`` (centre from the data, see :mod:`tokendemand.fitting.likelihood`).
  The chatbot scale ``b_r`` follows: ``b_r = total_reference / (1 - s*pi_r + rho*pi_r)``. Sampling
  the total instead of ``b_r`` keeps the one quantity the data pin tightly apart from ``rho`` and
  ``pi_r``, which they do not;
- ``coverage`` per non-reference series;
- ``proxy_bias`` per proxy name (:mod:`tokendemand.observations`, "Proxy figures"): added to a
  proxy figure's model side on the likelihood scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from tokendemand.priors import Prior, Priors
from tokendemand.structure import LEVERS, Parameters, Structure

__all__ = [
    "FreeParameter",
    "free_parameters",
    "structural_values",
    "to_parameters",
]


@dataclass(frozen=True)
class FreeParameter:
    """One sampled coordinate: its name, prior and dimension (``None``, market or series)."""

    name: str
    prior: Prior
    dim: str | None = None


def free_parameters(structure: Structure, priors: Priors) -> tuple[FreeParameter, ...]:
    """The sampled coordinates of ``structure`` under ``priors``, in a fixed order.

    ``total_reference`` (per market) is listed with a placeholder prior: its centre comes from the
    data and is applied in :func:`structural_values`.
    """
    out = [FreeParameter("intensity_ratio", priors.intensity_ratio)]
    penetration = structure.family("penetration")
    anchored = penetration.anchor[0] if penetration.anchor else None
    if anchored is not None:
        out.append(FreeParameter("penetration_now", priors.penetration_now))
        out.append(FreeParameter("penetration_headroom", priors.penetration_headroom))
    for name in penetration.parameters:
        if anchored is not None and name in ("ceiling", anchored):
            continue
        out.append(FreeParameter(f"penetration_{name}", priors.for_lever("penetration", name)))
    for lever in LEVERS:
        if lever == "penetration":
            continue
        for name in structure.family(lever).parameters:
            out.append(FreeParameter(f"{lever}_{name}", priors.for_lever(lever, name)))
    out.append(FreeParameter("noise", priors.noise))
    out.append(FreeParameter("coverage", priors.coverage, "series"))
    out.append(FreeParameter("proxy_bias", priors.proxy_bias, "proxy"))
    return tuple(p for p in out if p.prior.sampled)


def structural_values(
    structure: Structure,
    priors: Priors,
    z: Mapping[str, Any],
    total_centre: Any,
    xp: Any = np,
) -> dict[str, Any]:
    """Structural values from standard normals ``z`` (keyed by :class:`FreeParameter` name).

    Parameters
    ----------
    structure, priors
        The model specification.
    z
        Standard-normal coordinates: one entry per sampled free parameter, plus
        ``"total_reference"`` (per market). Scalars or arrays; arrays of draws must broadcast
        (e.g. shape ``(draws, 1)`` for scalars and ``(draws, markets)`` for per-market values).
    total_centre
        Prior centre of the log total on the reference date, per market.
    xp
        ``numpy`` or ``pytensor.tensor``.

    Returns
    -------
    dict
        ``intensity_ratio``, ``substitution``, ``noise``, ``coverage`` (per series),
        ``proxy_bias`` (per proxy),
        ``total_reference`` and ``scale`` (per market), and ``<lever>_<param>`` for every family
        parameter of every lever (penetration date parameters in days from the reference date).
    """
    values: dict[str, Any] = {}

    def prior_value(name: str, prior: Prior) -> Any:
        return prior.from_standard(z[name], xp) if prior.sampled else prior.from_standard(0.0, xp)

    values["intensity_ratio"] = prior_value("intensity_ratio", priors.intensity_ratio)
    values["substitution"] = priors.substitution.from_standard(0.0, xp)
    values["noise"] = prior_value("noise", priors.noise)
    values["coverage"] = prior_value("coverage", priors.coverage) if "coverage" in z else xp.ones(0)
    values["proxy_bias"] = (
        prior_value("proxy_bias", priors.proxy_bias) if "proxy_bias" in z else xp.zeros(0)
    )

    penetration = structure.family("penetration")
    anchored = penetration.anchor
    for name in penetration.parameters:
        if anchored is not None and name in ("ceiling", anchored[0]):
            continue
        values[f"penetration_{name}"] = prior_value(
            f"penetration_{name}", priors.for_lever("penetration", name)
        )
    if anchored is not None:
        now = prior_value("penetration_now", priors.penetration_now)
        headroom = prior_value("penetration_headroom", priors.penetration_headroom)
        ceiling = now + (1.0 - now) * headroom
        others = {
            name: values[f"penetration_{name}"]
            for name in penetration.parameters
            if name not in ("ceiling", anchored[0])
        }
        values["penetration_ceiling"] = ceiling
        values[f"penetration_{anchored[0]}"] = anchored[1](now, ceiling=ceiling, **others, xp=xp)
        values["penetration_now"] = now
    else:
        params = {n: values[f"penetration_{n}"] for n in penetration.parameters}
        now = penetration(0.0, params, xp)
        values["penetration_now"] = now
    for lever in LEVERS:
        if lever == "penetration":
            continue
        for name in structure.family(lever).parameters:
            values[f"{lever}_{name}"] = prior_value(
                f"{lever}_{name}", priors.for_lever(lever, name)
            )

    rho = values["intensity_ratio"]
    s = values["substitution"]
    log_total = total_centre + priors.scale_sigma * z["total_reference"]
    values["total_reference"] = xp.exp(log_total)
    # On the reference date every index is 1, so D(t_r) = b_r * (1 - s*pi_r + rho*pi_r).
    values["scale"] = values["total_reference"] / (1.0 + (rho - s) * now)
    return values


def to_parameters(
    structure: Structure,
    values: Mapping[str, Any],
    reference_date: Any,
    market: int | slice = 0,
) -> Parameters:
    """:class:`~tokendemand.structure.Parameters` of one market from :func:`structural_values`.

    ``values`` holding arrays of draws (per-market arrays indexed on their last axis) give
    Parameters whose values are those arrays.
    """
    levers = {
        lever: {name: values[f"{lever}_{name}"] for name in structure.family(lever).parameters}
        for lever in LEVERS
    }
    scale = values["scale"]
    return Parameters(
        reference_date,
        scale=scale[..., market] if np.ndim(scale) else scale,
        intensity_ratio=values["intensity_ratio"],
        substitution=values["substitution"],
        **levers,
    )
