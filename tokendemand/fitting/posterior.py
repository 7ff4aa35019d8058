"""What a posterior records: the structural quantities computed from the sampled coordinates.

The sampler draws standard normals (:mod:`tokendemand.fitting.parametrization`); a fit keeps the
structural quantities they map to (:func:`recorded_names`), computed after sampling with the same
function the model uses (:func:`structural_posterior`), and compares them with prior draws of the
same quantities (:func:`prior_values`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from tokendemand.fitting.likelihood import ObservationDesign
from tokendemand.fitting.parametrization import (
    LAUNCH_PARAMETERS,
    free_parameters,
    parameter_dims,
    structural_values,
)
from tokendemand.priors import Priors
from tokendemand.structure import LEVERS, Structure

__all__ = [
    "prior_values",
    "recorded_names",
    "standard_draws",
    "structural_draws",
    "structural_posterior",
]


def recorded_names(
    structure: Structure, priors: Priors, design: ObservationDesign
) -> list[tuple[str, str | None]]:
    """Structural quantities kept in the posterior, with their dimension.

    Per-market and per-unit quantities carry a dimension unless the pooling is complete (one
    value for all); a pooled parameter also records its population ``<name>_location``
    (natural units) and ``<name>_spread`` (prior-sd units), and a nested one its market
    groups' locations ``<name>_market`` (natural units, dimension ``<dim>_market``).
    """
    sizes = design.sizes
    dims = parameter_dims(structure)
    names: list[tuple[str, str | None]] = [
        ("intensity_ratio", dims["intensity_ratio"]),
        ("penetration_now", dims["penetration_now"]),
    ]
    for lever in LEVERS:
        for name in structure.family(lever).parameters:
            names.append((f"{lever}_{name}", dims[f"{lever}_{name}"]))
    names.append(("noise", None))
    if sizes["ratio"]:
        names.append(("noise_ratio_factor", None))
    if sizes["share"]:
        names.append(("noise_share_factor", None))
    names += [("total_reference", "market"), ("scale", "market")]
    if design.covered:
        names.append(("coverage", "series"))
    if design.launches:
        names += [(f"launch_{name}", "launch") for name in LAUNCH_PARAMETERS]
    if design.proxies:
        names.append(("proxy_bias", "proxy"))
    for parameter in free_parameters(structure, priors, sizes):
        if parameter.pooled:
            names += [(f"{parameter.name}_location", None), (f"{parameter.name}_spread", None)]
        if parameter.nested:
            names.append((f"{parameter.name}_market", f"{parameter.dim}_market"))
    return names


def standard_draws(
    structure: Structure, priors: Priors, design: ObservationDesign, n: int, rng: Any
) -> dict[str, Any]:
    """``n`` draws of every sampled standard normal of the model (numpy).

    Keyed as :func:`~tokendemand.fitting.parametrization.structural_values` reads them: scalars
    shaped ``(n, 1)``, per-member values ``(n, members)``.
    """
    sizes = design.sizes
    z: dict[str, Any] = {}
    for parameter in free_parameters(structure, priors, sizes):
        if parameter.dim is not None:
            if not sizes[parameter.dim]:
                continue
            z[parameter.name] = rng.standard_normal((n, sizes[parameter.dim]))
        else:
            z[parameter.name] = rng.standard_normal((n, 1))
        if parameter.pooled:
            z[f"{parameter.name}_location"] = rng.standard_normal((n, 1))
            z[f"{parameter.name}_spread"] = rng.standard_normal((n, 1))
        if parameter.nested:
            groups = sizes[f"{parameter.dim}_market"]
            z[f"{parameter.name}_market"] = rng.standard_normal((n, groups))
    z["total_reference"] = rng.standard_normal((n, len(design.markets)))
    return z


def prior_values(
    structure: Structure,
    priors: Priors,
    design: ObservationDesign,
    n: int,
    random_seed: int | None,
) -> dict[str, Any]:
    """``n`` prior draws of the :func:`recorded_names` quantities (numpy, seeded)."""
    rng = np.random.default_rng(random_seed)
    z = standard_draws(structure, priors, design, n, rng)
    values = structural_values(structure, priors, z, design.total_centre, np, design.market_groups)
    out: dict[str, Any] = {}
    for name, dim in recorded_names(structure, priors, design):
        array = np.asarray(values[name], dtype=float)
        out[name] = np.broadcast_to(array, (n, 1)).reshape(n) if dim is None else array
    out["substitution"] = values["substitution"]
    return out


def structural_posterior(
    unconstrained: Any, structure: Structure, priors: Priors, design: ObservationDesign
) -> Any:
    """The structural quantities (:func:`recorded_names`) of draws of the sampled coordinates.

    ``unconstrained`` is an ``xarray.Dataset`` of the ``z_<name>`` standard normals, dimensions
    ``(chain, draw, ...)``; the result is a Dataset of the same draws, in natural units, with
    ``market`` and ``series`` coordinates (numpy, post hoc).
    """
    import xarray as xr

    z: dict[str, Any] = {}
    for name in unconstrained.data_vars:
        if str(name).startswith("z_"):
            draws = np.asarray(unconstrained[name].values, dtype=float)
            # scalars get a trailing axis so they broadcast against per-market values
            z[str(name)[2:]] = draws[..., None] if draws.ndim == 2 else draws
    chain, draw = unconstrained.sizes["chain"], unconstrained.sizes["draw"]
    sizes = design.sizes
    for parameter in free_parameters(structure, priors, sizes):
        if parameter.nested and f"{parameter.name}_market" not in z:
            # A fit saved before populations had a market level: its members were
            # location + spread * e, which is this model with every market offset at 0.
            groups = sizes[f"{parameter.dim}_market"]
            z[f"{parameter.name}_market"] = np.zeros((chain, draw, groups))
    values = structural_values(structure, priors, z, design.total_centre, np, design.market_groups)
    new: dict[str, Any] = {}
    for name, dim in recorded_names(structure, priors, design):
        array = np.asarray(values[name], dtype=float)
        if dim is None:
            new[name] = (("chain", "draw"), np.broadcast_to(array, (chain, draw, 1))[..., 0])
        else:
            new[name] = (("chain", "draw", dim), np.broadcast_to(array, (chain, draw, sizes[dim])))
    used = {dim for _, dim in recorded_names(structure, priors, design) if dim is not None}
    coords: dict[str, Any] = {
        "chain": unconstrained["chain"].values,
        "draw": unconstrained["draw"].values,
        **{dim: labels for dim, labels in design.coords.items() if dim in used},
    }
    return xr.Dataset(new, coords=coords, attrs=dict(unconstrained.attrs))


def structural_draws(
    sampled: Mapping[str, np.ndarray[Any, Any]],
    structure: Structure,
    priors: Priors,
    design: ObservationDesign,
) -> np.ndarray[Any, Any]:
    """The :func:`recorded_names` quantities of draws of the sampled coordinates, side by side:
    shape ``(chain, draw, quantities)``, what the fit's R-hat and ESS are computed on.

    ``sampled`` maps each value variable (``z_<name>``) to its draws ``(chain, draw, ...)``.
    """
    import xarray as xr

    dataset = xr.Dataset(
        {
            name: (("chain", "draw", *(f"{name}_{i}" for i in range(np.ndim(v) - 2))), v)
            for name, v in sampled.items()
        }
    )
    posterior = structural_posterior(dataset, structure, priors, design)
    chain, draw = posterior.sizes["chain"], posterior.sizes["draw"]
    return np.concatenate(
        [
            np.asarray(posterior[name].values).reshape(chain, draw, -1)
            for name in posterior.data_vars
        ],
        axis=-1,
    )
