"""A fit refitted on its data alone: what claims entered as figures changed.

:func:`without_claims` is the baseline of the report's "What the claims changed"
(:mod:`tokendemand.fitting.pseudo` has how claims enter a fit).
"""

from __future__ import annotations

from typing import Any

from tokendemand.fitting.model import TokenDemandModel
from tokendemand.fitting.result import FitResult

__all__ = ["without_claims"]


def without_claims(fit: FitResult, **changes: Any) -> FitResult:
    """``fit``'s model refitted on its data alone (:meth:`FitResult.data_observations`).

    Same structure, priors, reference date and series, method, sampler and sampler settings
    (draws, tune, chains, seed, target acceptance, as recorded in ``fit.options``); ``changes``
    override any of them. What the claims changed is the difference between ``fit`` and this
    refit. A fit without claims is returned as is.
    """
    if not fit.claims:
        return fit
    options: dict[str, Any] = {
        k: v for k, v in fit.options.items() if k not in ("cores",) and v is not None
    }
    options["method"] = fit.method
    if fit.method == "nuts":
        options["sampler"] = fit.sampler
    else:
        options = {k: v for k, v in options.items() if k in ("draws", "random_seed", "method")}
    options.update(changes)
    return TokenDemandModel(fit.structure, fit.priors).fit(
        fit.data_observations(),
        reference_date=fit.reference_date,
        reference_series=dict(fit.design.reference_series),
        **options,
    )
