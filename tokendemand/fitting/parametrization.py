"""From independent standard normals to structural parameters: the non-centred parametrization.

The PyMC model samples one ``N(0, 1)`` variable per free parameter (vectors for per-market,
per-series and per-launch parameters); :func:`structural_values` maps them to structural values
through each prior's transform. The same function runs on pytensor tensors (inside the model) and
on numpy arrays (prior draws, simulation), so the model, its prior predictive and the projections
agree by construction.

Sampled coordinates (each ``z`` standard normal), with the dimension each carries under
``Structure(pooling=...)`` (``complete``: the dimensions marked * are absent, one value for all):

- every :class:`~tokendemand.priors.Priors` field a lever's family needs (``<lever>_<param>``):
  ``users`` and ``chatbot`` per ``unit`` * (each mature series with level or ratio figures; the
  first ``market`` units are the markets' reference series), ``penetration`` per ``market`` *,
  ``complexity`` and ``usage`` shared. A penetration family with an anchor samples
  ``penetration_now`` and ``penetration_headroom`` in place of its ceiling and date parameter;
- ``intensity_ratio`` per ``market`` *; ``noise``, and ``noise_ratio_factor`` and
  ``noise_share_factor`` when ratio or share figures are present (their noise is ``noise`` times
  the factor);
- ``total_reference`` per market: the log of the market's total tokens/day on the reference date,
  ``centre + scale_sigma * z`` (centre from the data, see :mod:`tokendemand.fitting.likelihood`).
  The chatbot scale ``b_r`` follows: ``b_r = total_reference / (1 - s*pi_r + rho*pi_r)``. Sampling
  the total instead of ``b_r`` keeps the one quantity the data pin tightly apart from ``rho`` and
  ``pi_r``, which they do not;
- ``coverage`` per covered ``series`` (a mature sub-series' share of its market on the reference
  date);
- ``launch_ceiling``, ``launch_midpoint``, ``launch_rate`` per ``launch`` (a product with a launch
  date; not under ``complete``);
- ``proxy_bias`` per proxy name (:mod:`tokendemand.observations`, "Proxy figures"): added to a
  proxy figure's model side on the likelihood scale.

**Partial pooling.** Under ``pooling="partial"`` a parameter with a ``market``, ``unit`` or
``launch`` dimension of two or more members is drawn from a population (non-centred)::

    z_i = location + spread * e_i,   location ~ N(0, 1),   e_i ~ N(0, 1),
    spread = pooling_spread prior (in prior-sd units; a LogNormal, or Fixed)

and the member's value is its prior's transform of ``z_i``. ``location`` is the population's
centre on the prior's standard scale (recorded in natural units as ``<name>_location``) and
``spread`` how far members stray from it (``<name>_spread``): near 0 the members share one value
(complete pooling), large they are independent (no pooling). With one member the parameter is
sampled as under ``none``, so a fit of one series is the single-series model.

A unit's or launch's population has a market level when its members belong to two or more
markets (``nested``)::

    z_i = location + market_spread * m_g(i) + spread * e_i,   m_g ~ N(0, 1) per market group g

so the members of one market share an offset, recorded in natural units as ``<name>_market``:
a product launching in China learns first from China's launches, then from every market's.

The default ``pooling_spread`` is ``Fixed``: each population's spread is held at its value and
only its location is learned, so ``z_i`` is linear in the sampled coordinates. A learned spread
(a LogNormal) bends the posterior into funnels wherever a member's figures pin ``z_i`` while the
spread is free (``e_i`` must then move as ``1 / spread``); in the joint fit of every bundled
series that kept NUTS at its deepest trees without converging (issue 16's notes).

Users and chatbot intensity are informed by volume figures only, so they are pooled across the
markets and units that have volume figures: a market known through agent evidence alone adds no
member to their populations. With one such member (China's national volumes beside agent
evidence from other markets) they are sampled as under ``none``: a population of one informed
member leaves its location and spread to the prior, and the member's value on a curved ridge
between them, which the sampler crosses with divergent transitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from tokendemand.priors import Prior, Priors
from tokendemand.structure import LEVERS, Parameters, Structure

__all__ = [
    "DIMENSIONS",
    "LAUNCH_PARAMETERS",
    "NESTED_DIMENSIONS",
    "FreeParameter",
    "free_parameters",
    "market_level_names",
    "parameter_dims",
    "structural_values",
    "to_parameters",
]

DIMENSIONS: Final[tuple[str, ...]] = ("market", "unit", "launch", "series", "proxy")
"""Dimensions a sampled parameter may carry (sizes from the observation design)."""
LAUNCH_PARAMETERS: Final[tuple[str, ...]] = ("ceiling", "midpoint", "rate")
"""Parameters of a launching product's share curve (priors ``launch_<name>``)."""
_UNIT_LEVERS: Final = ("users",)
_MARKET_LEVERS: Final = ("penetration", "chatbot")
_POOLED_DIMS: Final = ("market", "unit", "launch")
NESTED_DIMENSIONS: Final[tuple[str, ...]] = ("unit", "launch")
"""Dimensions whose members belong to markets: pooled population -> market -> member."""
_VOLUME_LEVERS: Final = tuple(f"{lever}_" for lever in (*_UNIT_LEVERS, "chatbot"))
"""Levers only volume figures inform: pooled across the members that have them."""


@dataclass(frozen=True)
class FreeParameter:
    """One sampled coordinate: its name, prior, dimension, whether it is partially pooled and
    whether its population has a market level (``nested``: members of two or more markets)."""

    name: str
    prior: Prior
    dim: str | None = None
    pooled: bool = False
    nested: bool = False


def parameter_dims(structure: Structure) -> dict[str, str | None]:
    """Dimension of every structural lever parameter, ``intensity_ratio`` and ``penetration_now``.

    ``market`` for ``rho``, the penetration curve and chatbot intensity, ``unit`` for users,
    ``None`` for the shared ones (every one under ``pooling="complete"``).
    """
    per_member = structure.pooling != "complete"
    market = "market" if per_member else None
    unit = "unit" if per_member else None
    dims: dict[str, str | None] = {"intensity_ratio": market, "penetration_now": market}
    for lever in LEVERS:
        dim = market if lever in _MARKET_LEVERS else unit if lever in _UNIT_LEVERS else None
        for name in structure.family(lever).parameters:
            dims[f"{lever}_{name}"] = dim
    return dims


def market_level_names(structure: Structure) -> tuple[str, ...]:
    """Structural names that take one value per market (unit ``i`` is market ``i``'s)."""
    return tuple(name for name, dim in parameter_dims(structure).items() if dim is not None)


def free_parameters(
    structure: Structure, priors: Priors, sizes: Mapping[str, int] | None = None
) -> tuple[FreeParameter, ...]:
    """The sampled coordinates of ``structure`` under ``priors``, in a fixed order.

    ``total_reference`` (per market) is not listed: its centre comes from the data and the model
    samples it itself.

    Parameters
    ----------
    structure, priors
        The model specification.
    sizes
        Members of each dimension (:data:`DIMENSIONS`) and the numbers of ``ratio`` and
        ``share`` figures, as :attr:`~tokendemand.fitting.design.ObservationDesign.sizes` gives
        them. ``None`` lists every coordinate the specification can have (for checks), pooled
        as for two members.
    """
    if sizes is None:
        nested = {f"{dim}_market": 2 for dim in NESTED_DIMENSIONS}
        sizes = {**dict.fromkeys(DIMENSIONS, 2), **nested, "ratio": 1}
    sizes = dict(sizes)
    sizes.setdefault("share", sizes.get("ratio", 0))
    dims = parameter_dims(structure)

    def parameter(name: str, prior: Prior, dim: str | None) -> FreeParameter:
        members = sizes.get(str(dim), 0)
        if name.startswith(_VOLUME_LEVERS) and dim in ("market", "unit"):
            members = sizes.get(f"{dim}_volumes", members)
        pooled = structure.pooling == "partial" and dim in _POOLED_DIMS and members > 1
        nested = pooled and dim in NESTED_DIMENSIONS and sizes.get(f"{dim}_market", 0) > 1
        return FreeParameter(name, prior, dim, pooled, nested)

    out = [parameter("intensity_ratio", priors.intensity_ratio, dims["intensity_ratio"])]
    penetration = structure.family("penetration")
    anchored = penetration.anchor[0] if penetration.anchor else None
    market = dims["penetration_now"]
    if anchored is not None:
        out.append(parameter("penetration_now", priors.penetration_now, market))
        out.append(parameter("penetration_headroom", priors.penetration_headroom, market))
    for name in penetration.parameters:
        if anchored is not None and name in ("ceiling", anchored):
            continue
        out.append(
            parameter(
                f"penetration_{name}",
                priors.for_lever("penetration", name),
                dims[f"penetration_{name}"],
            )
        )
    for lever in LEVERS:
        if lever == "penetration":
            continue
        for name in structure.family(lever).parameters:
            key = f"{lever}_{name}"
            out.append(parameter(key, priors.for_lever(lever, name), dims[key]))
    out.append(FreeParameter("noise", priors.noise))
    if sizes.get("ratio", 0):
        out.append(FreeParameter("noise_ratio_factor", priors.noise_ratio_factor))
    if sizes.get("share", 0):
        out.append(FreeParameter("noise_share_factor", priors.noise_share_factor))
    out.append(FreeParameter("coverage", priors.coverage, "series"))
    if structure.pooling != "complete":
        for name in LAUNCH_PARAMETERS:
            out.append(parameter(f"launch_{name}", getattr(priors, f"launch_{name}"), "launch"))
    out.append(FreeParameter("proxy_bias", priors.proxy_bias, "proxy"))
    return tuple(p for p in out if p.prior.sampled and (p.dim is None or sizes.get(p.dim, 0) > 0))


def structural_values(
    structure: Structure,
    priors: Priors,
    z: Mapping[str, Any],
    total_centre: Any,
    xp: Any = np,
    groups: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Structural values from standard normals ``z`` (keyed by :class:`FreeParameter` name).

    Parameters
    ----------
    structure, priors
        The model specification.
    z
        Standard-normal coordinates: one entry per sampled free parameter; for a pooled one also
        ``<name>_location`` and ``<name>_spread``; and ``"total_reference"`` (per market). Scalars
        or arrays; arrays of draws must broadcast (e.g. shape ``(draws, 1)`` for scalars and
        ``(draws, members)`` for per-member values). A parameter missing from ``z`` takes its
        prior's median (it has no member in the data).
    total_centre
        Prior centre of the log total on the reference date, per market.
    xp
        ``numpy`` or ``pytensor.tensor``.
    groups
        For a parameter with a market level (``<name>_market`` in ``z``, one standard normal
        per market group): each member's group, by dimension (``unit``, ``launch``), as
        :attr:`~tokendemand.fitting.design.ObservationDesign.market_groups` gives it.

    Returns
    -------
    dict
        ``intensity_ratio``, ``substitution``, ``noise``, ``noise_ratio_factor``,
        ``noise_share_factor``, ``coverage`` (per series), ``proxy_bias`` (per proxy),
        ``launch_<name>`` (per launch), ``total_reference`` and ``scale`` (per market),
        ``<lever>_<param>`` for every family parameter of every lever (penetration date
        parameters in days from the reference date), ``<name>_location`` and
        ``<name>_spread`` of every pooled parameter, and ``<name>_market`` (per market group)
        of every nested one.
    """
    values: dict[str, Any] = {}
    dims: dict[str, str | None] = {
        **parameter_dims(structure),
        **{f"launch_{name}": "launch" for name in LAUNCH_PARAMETERS},
    }

    def standard(name: str, prior: Prior) -> Any:
        if f"{name}_location" not in z:
            return z[name]
        location = z[f"{name}_location"]
        if priors.pooling_spread.sampled:
            spread = priors.pooling_spread.from_standard(z[f"{name}_spread"], xp)
        else:  # a Fixed spread: one value, shaped as the location (one per draw)
            spread = priors.pooling_spread.from_standard(0.0, xp) + 0.0 * location
        values[f"{name}_spread"] = spread
        if f"{name}_market" not in z:
            return location + spread * z[name]
        # population -> market -> member
        if priors.pooling_market_spread.sampled:
            raise NotImplementedError(
                "a learned pooling_market_spread is not implemented: give it a Fixed value"
            )
        market_spread = priors.pooling_market_spread.from_standard(0.0, xp)
        market = location + market_spread * z[f"{name}_market"]
        values[f"{name}_market"] = prior.from_standard(market, xp)
        if groups is None:
            raise ValueError(f"{name} has a market level: pass the members' groups")
        return market[..., groups[str(dims[name])]] + spread * z[name]

    def prior_value(name: str, prior: Prior) -> Any:
        if not prior.sampled or name not in z:
            return prior.from_standard(0.0, xp)
        if f"{name}_location" in z:
            values[f"{name}_location"] = prior.from_standard(z[f"{name}_location"], xp)
        return prior.from_standard(standard(name, prior), xp)

    values["intensity_ratio"] = prior_value("intensity_ratio", priors.intensity_ratio)
    values["substitution"] = priors.substitution.from_standard(0.0, xp)
    values["noise"] = prior_value("noise", priors.noise)
    values["noise_ratio_factor"] = prior_value("noise_ratio_factor", priors.noise_ratio_factor)
    values["noise_share_factor"] = prior_value("noise_share_factor", priors.noise_share_factor)
    values["coverage"] = prior_value("coverage", priors.coverage) if "coverage" in z else xp.ones(0)
    values["proxy_bias"] = (
        prior_value("proxy_bias", priors.proxy_bias) if "proxy_bias" in z else xp.zeros(0)
    )
    for name in LAUNCH_PARAMETERS:
        key = f"launch_{name}"
        values[key] = prior_value(key, getattr(priors, key)) if key in z else xp.ones(0)

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
    market: int = 0,
) -> Parameters:
    """:class:`~tokendemand.structure.Parameters` of one market from :func:`structural_values`.

    ``values`` holding arrays of draws (per-market and per-unit arrays indexed on their last
    axis; unit ``i`` is market ``i``'s reference series) give Parameters whose values are those
    arrays.
    """
    per_market = set(market_level_names(structure))

    def pick(name: str) -> Any:
        value = values[name]
        return value[..., market] if name in per_market else value

    levers = {
        lever: {name: pick(f"{lever}_{name}") for name in structure.family(lever).parameters}
        for lever in LEVERS
    }
    scale = values["scale"]
    return Parameters(
        reference_date,
        scale=scale[..., market] if np.ndim(scale) else scale,
        intensity_ratio=pick("intensity_ratio"),
        substitution=values["substitution"],
        **levers,
    )
