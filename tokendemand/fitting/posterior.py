"""What a posterior records: the structural quantities computed from the sampled coordinates.

The sampler draws standard normals (:mod:`tokendemand.fitting.parametrization`); a fit keeps the
structural quantities they map to (:func:`recorded_names`), computed after sampling with the same
function the model uses (:func:`structural_posterior`), and compares them with prior draws of the
same quantities (:func:`prior_values`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tokendemand.fitting.likelihood import ObservationDesign
from tokendemand.fitting.parametrization import free_parameters, structural_values
from tokendemand.priors import Priors
from tokendemand.structure import LEVERS, Structure

__all__ = ["prior_values", "recorded_names", "structural_posterior"]


def recorded_names(
    structure: Structure, priors: Priors, design: ObservationDesign
) -> list[tuple[str, str | None]]:
    """Structural quantities kept in the posterior, with their dimension."""
    names: list[tuple[str, str | None]] = [("intensity_ratio", None), ("penetration_now", None)]
    for lever in LEVERS:
        for name in structure.family(lever).parameters:
            names.append((f"{lever}_{name}", None))
    names += [("noise", None), ("total_reference", "market"), ("scale", "market")]
    if design.covered:
        names.append(("coverage", "series"))
    if design.proxies:
        names.append(("proxy_bias", "proxy"))
    return names


def prior_values(
    structure: Structure,
    priors: Priors,
    design: ObservationDesign,
    n: int,
    random_seed: int | None,
) -> dict[str, Any]:
    """``n`` prior draws of the :func:`recorded_names` quantities (numpy, seeded)."""
    rng = np.random.default_rng(random_seed)
    z: dict[str, Any] = {}
    sizes = {"series": len(design.covered), "proxy": len(design.proxies)}
    for parameter in free_parameters(structure, priors):
        if parameter.dim is not None:
            if sizes[parameter.dim]:
                z[parameter.name] = rng.standard_normal((n, sizes[parameter.dim]))
        else:
            z[parameter.name] = rng.standard_normal((n, 1))
    z["total_reference"] = rng.standard_normal((n, len(design.markets)))
    values = structural_values(structure, priors, z, design.total_centre, np)
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
    values = structural_values(structure, priors, z, design.total_centre, np)
    chain, draw = unconstrained.sizes["chain"], unconstrained.sizes["draw"]
    sizes = {
        "market": len(design.markets),
        "series": len(design.covered),
        "proxy": len(design.proxies),
    }
    new: dict[str, Any] = {}
    for name, dim in recorded_names(structure, priors, design):
        array = np.asarray(values[name], dtype=float)
        if dim is None:
            new[name] = (("chain", "draw"), np.broadcast_to(array, (chain, draw, 1))[..., 0])
        else:
            new[name] = (("chain", "draw", dim), np.broadcast_to(array, (chain, draw, sizes[dim])))
    coords: dict[str, Any] = {
        "chain": unconstrained["chain"].values,
        "draw": unconstrained["draw"].values,
        "market": list(design.markets),
    }
    if design.covered:
        coords["series"] = [f"{m}/{s}" for m, s in design.covered]
    if design.proxies:
        coords["proxy"] = list(design.proxies)
    return xr.Dataset(new, coords=coords, attrs=dict(unconstrained.attrs))
