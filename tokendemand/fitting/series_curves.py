"""The structural equation per series: one curve for each unit and each launching product.

The curves are evaluated only at the ``(curve, node)`` points some figure reads
(:mod:`tokendemand.fitting.curve_points`).

A fit of several series evaluates the equation once per **unit** (a mature series with its own
users lever, its market's chatbot intensity, ``rho`` and penetration, the shared complexity and
usage) and derives each launching product's curve from its market's reference unit times its share
(:mod:`tokendemand.fitting.design` has the table of what each figure compares with).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from tokendemand.dates import DAYS_PER_YEAR
from tokendemand.fitting.curve_points import CurvePoints
from tokendemand.fitting.parametrization import parameter_dims
from tokendemand.structure import LEVERS, Structure, combine

__all__ = ["launch_share", "series_curves"]


def launch_share(years: Any, ceiling: Any, midpoint: Any, rate: Any, xp: Any = np) -> Any:
    """A launching product's share of its market, ``years`` after its launch.

    ``ceiling / (1 + exp(-rate * (years - midpoint)))``: a logistic diffusion (the Bass curve
    without innovators), half its ceiling ``midpoint`` years after launch.

    Examples
    --------
    >>> round(float(launch_share(1.0, ceiling=0.4, midpoint=1.0, rate=3.0)), 12)
    0.2
    """
    # ceiling * sigmoid(x), written so that far from the midpoint nothing overflows
    return ceiling * xp.exp(-xp.logaddexp(0.0, -rate * (years - midpoint)))


def series_curves(
    structure: Structure,
    values: Mapping[str, Any],
    t: Any,
    points: CurvePoints,
    markets: tuple[str, ...],
    units: tuple[tuple[str, str], ...],
    launches: tuple[tuple[str, str], ...],
    launch_day: Any,
    xp: Any = np,
) -> tuple[dict[str, Any], Any]:
    """The equation per unit, and the curve ``D_s`` of every series, at ``points``.

    Parameters
    ----------
    structure
        Families of the levers and the pooling.
    values
        Structural values (:func:`~tokendemand.fitting.parametrization.structural_values`):
        scalars or tensors, or numpy arrays of draws (``(draws, 1)`` scalars, ``(draws,
        members)`` per-member values).
    t
        Days of the nodes from the reference date, shape ``(nodes,)``.
    points
        The ``(curve, node)`` pairs to evaluate (:func:`~.curve_points.curve_points`).
    markets, units, launches
        The fit's markets, units (the first ``len(markets)`` are the markets' reference series)
        and launching products, as ``(market, series)``.
    launch_day
        Launch date of each launching product, in days from the reference date.
    xp
        ``numpy`` or ``pytensor.tensor``.

    Returns
    -------
    tuple
        The components of :func:`~tokendemand.structure.combine` plus ``rho`` at the unit
        points, shaped ``(..., unit points)`` (a component that does not vary may be a scalar
        that broadcasts), and the curves at the unit points followed by the launch points,
        ``(..., len(points))``, with ``b_r = 1``.
    """
    dims = parameter_dims(structure)
    unit_market = np.array([markets.index(m) for m, _ in units], dtype=np.int64)
    by_dim = {"unit": points.unit, "market": unit_market[points.unit]}
    t = np.asarray(t, dtype=float)

    def column(name: str, index: np.ndarray[Any, np.dtype[np.int64]] | None = None) -> Any:
        """``values[name]`` at each point, shape ``(..., points)`` (a scalar broadcasts)."""
        value = values[name]
        dim = dims.get(name)
        if index is None:
            if dim is None and name in dims:
                return value
            index = by_dim.get(str(dim), points.unit)
        return value[..., index] if xp is np else value[index]

    levers = {}
    for lever in LEVERS:
        params = {p: column(f"{lever}_{p}") for p in structure.family(lever).parameters}
        levers[lever] = structure.family(lever)(t[points.unit_node], params, xp)
    rho = column("intensity_ratio")
    parts = combine(levers, 1.0, rho, values["substitution"])
    parts["rho"] = rho
    total = parts["total"]
    if not len(points.launch):
        return parts, total
    days = t[points.launch_node] - np.asarray(launch_day, dtype=float)[points.launch]
    ceiling = column("launch_ceiling", points.launch)
    midpoint = column("launch_midpoint", points.launch)
    rate = column("launch_rate", points.launch)
    share = launch_share(days / DAYS_PER_YEAR, ceiling, midpoint, rate, xp)
    market_total = total[..., points.launch_base] if xp is np else total[points.launch_base]
    return parts, xp.concatenate([total, market_total * share], axis=-1)
