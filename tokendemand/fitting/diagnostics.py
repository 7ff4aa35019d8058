"""Sampler diagnostics and what a fit learned: the checks behind every FitResult.

:func:`sampler_diagnostics` computes R-hat, effective sample sizes, divergences and tree depth
on the structural quantities; :func:`convergence_problems` turns them into the sentences of a
:class:`~tokendemand.errors.ConvergenceWarning`; :func:`learned_from` labels a parameter by how
far the data moved it from its prior.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any, Final

import numpy as np

__all__ = [
    "ESS_MIN",
    "RHAT_MAX",
    "convergence_problems",
    "learned_from",
    "sampler_diagnostics",
]

RHAT_MAX: Final = 1.01
"""Largest acceptable rank-normalised split R-hat (Vehtari et al. 2021)."""
ESS_MIN: Final = 400
"""Smallest acceptable bulk effective sample size of any parameter (Vehtari et al. 2021)."""


def sampler_diagnostics(idata: Any, names: list[str], method: str) -> dict[str, float]:
    """``chains, draws, max_rhat, min_ess_bulk, min_ess_tail, divergences, mean_tree_depth``.

    Computed over ``names`` (constant quantities are skipped); NaN where a statistic does not
    apply (one chain, MAP, ADVI).
    """
    import arviz as az

    posterior = idata.posterior
    out: dict[str, float] = {
        "chains": float(posterior.sizes["chain"]),
        "draws": float(posterior.sizes["draw"]),
    }
    if method != "nuts":
        out.update(max_rhat=math.nan, min_ess_bulk=math.nan, min_ess_tail=math.nan)
        out.update(divergences=0.0, mean_tree_depth=math.nan)
        return out
    sampled = [n for n in names if float(np.nanstd(posterior[n].values)) > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if posterior.sizes["chain"] > 1:
            rhat = az.rhat(posterior, var_names=sampled)
            out["max_rhat"] = float(np.nanmax([float(rhat[n].max()) for n in sampled]))
        else:
            out["max_rhat"] = math.nan
        bulk = az.ess(posterior, var_names=sampled, method="bulk")
        tail = az.ess(posterior, var_names=sampled, method="tail")
    out["min_ess_bulk"] = float(min(float(bulk[n].min()) for n in sampled))
    out["min_ess_tail"] = float(min(float(tail[n].min()) for n in sampled))
    stats = idata.sample_stats
    out["divergences"] = float(np.asarray(stats["diverging"]).sum())
    depth_name = "tree_depth" if "tree_depth" in stats else "depth"
    out["mean_tree_depth"] = (
        float(np.asarray(stats[depth_name]).mean()) if depth_name in stats else math.nan
    )
    return out


def convergence_problems(d: Mapping[str, float]) -> list[str]:
    """Each threshold the diagnostics ``d`` miss, as a phrase (empty when none)."""
    problems = []
    if d.get("max_rhat", math.nan) > RHAT_MAX:
        problems.append(f"max R-hat {d['max_rhat']:.3f} > {RHAT_MAX}")
    if d.get("min_ess_bulk", math.nan) < ESS_MIN:
        problems.append(f"min bulk ESS {d['min_ess_bulk']:.0f} < {ESS_MIN}")
    if d.get("divergences", 0.0) > 0:
        problems.append(f"{int(d['divergences'])} divergent transitions")
    return problems


def learned_from(ratio: float, shift: float) -> str:
    """``data``, ``weak``, ``prior`` or ``fixed`` from the spread ratio and the shift."""
    if math.isnan(ratio):
        return "fixed"
    if ratio < 0.5:
        return "data"
    if ratio > 0.9 and abs(shift) < 0.5:
        return "prior"
    return "weak"
