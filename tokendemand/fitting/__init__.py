"""Fitting: the structural model in PyMC, its samplers, and the result of a fit.

* :class:`TokenDemandModel` and :func:`fit` build the model over a latent daily grid and sample
  it (NumPyro's NUTS on the JAX-compiled graph by default) -> :class:`FitResult`;
* :func:`load_fit` reads a saved result back; :func:`simulate` draws synthetic figures from
  known parameters (for recovery tests and examples).

Modules, from the top: :mod:`~tokendemand.fitting.model` (build and fit),
:mod:`~tokendemand.fitting.result` (:class:`FitResult`), :mod:`~tokendemand.fitting.io` (the
saved folder), :mod:`~tokendemand.fitting.diagnostics`, :mod:`~tokendemand.fitting.simulate`,
:mod:`~tokendemand.fitting.parametrization` (standard normals -> structural values, the
partial pooling), :mod:`~tokendemand.fitting.likelihood` (the likelihood of each figure),
:mod:`~tokendemand.fitting.design` (the observation equation),
:mod:`~tokendemand.fitting.series_curves` (the equation per series) and
:mod:`~tokendemand.fitting.layout` (which series is modelled how). The samplers and their
compile caches are private modules.
"""

from __future__ import annotations

from tokendemand.fitting.model import TokenDemandModel, fit
from tokendemand.fitting.options import DEFAULT_SAMPLER, METHODS, SAMPLERS
from tokendemand.fitting.result import FitResult, load_fit
from tokendemand.fitting.simulate import simulate

__all__ = [
    "DEFAULT_SAMPLER",
    "METHODS",
    "SAMPLERS",
    "FitResult",
    "TokenDemandModel",
    "fit",
    "load_fit",
    "simulate",
]
