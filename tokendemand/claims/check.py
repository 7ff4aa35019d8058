"""Checking claims against a fit: prior and posterior probability, and a verdict in words.

How a claim about a figure the fit saw is checked: :func:`check_claims` refits the fit's model
(same structure, priors, reference date) on its observations without the claim's figures
(:func:`~tokendemand.claims.claim.figure_key`: same series, market, kind and periods, whatever the
value or bound), and evaluates the claim on that posterior. A claim must not be its own evidence:
checked on the full fit, "over 140T in March" would be supported by the 140T figure itself.
A fit that entered the claim itself (``fit(..., claims=[...])``) is refitted without the
figures the claim entered, too. Claims sharing the same held-out figures share one refit. A
refit is the honest alternative to reading the claim off a posterior predictive that already
conditions on it; its cost is one fit per distinct set of held-out figures (``draws`` and
``tune`` set its size).

The prior probability is the claim evaluated on prior draws of the same model (the fit it is
checked on, or the refit), so the two probabilities differ only by what the data say.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import pandas as pd

from tokendemand.claims.builtin import builtin
from tokendemand.claims.claim import Claim, Evidence, figure_key, verdict
from tokendemand.errors import ConfigError, ConvergenceWarning, DataError, NotFittedError
from tokendemand.observations import Observations

__all__ = ["COLUMNS", "check_claims"]

COLUMNS = (
    "claim",
    "source",
    "statement",
    "prior_probability",
    "posterior_probability",
    "verdict",
    "held_out",
    "note",
)
"""Columns of :func:`check_claims`' table."""


def _evidence(fit: Any, prior: bool, n: int, random_seed: int) -> Evidence:
    substitution = float(fit.priors.substitution.from_standard(0.0))
    draws = fit.prior_draws(n, random_seed) if prior else fit.draws()
    return Evidence.from_values(fit.structure, fit.design, draws, substitution)


def _probability(claim: Claim, evidence: Evidence) -> tuple[float, str]:
    try:
        return claim.probability(evidence), ""
    except (DataError, ConfigError) as error:
        return float("nan"), f"not testable with this fit: {error}"


def check_claims(
    source: Any,
    claims: Iterable[Claim] | None = None,
    *,
    draws: int = 500,
    tune: int = 500,
    prior_draws: int = 2000,
    random_seed: int = 0,
    refit: bool = True,
) -> pd.DataFrame:
    """Prior and posterior probability of each claim, and a verdict in words.

    Parameters
    ----------
    source
        A :class:`~tokendemand.fitting.result.FitResult`.
    claims
        Claims to check; default :func:`~tokendemand.claims.builtin`.
    draws, tune
        Size of each refit without a claim's figures (NUTS draws and tuning steps per chain;
        MAP and ADVI fits are refitted with their own method).
    prior_draws
        Prior draws each prior probability is computed from.
    random_seed
        Seed of the refits and of the prior draws.
    refit
        ``False``: no refit; a claim whose figures the fit saw is reported as not checked
        (probabilities NaN, verdict ``not testable``, the note says why), so a quick look never
        lets a figure vouch for itself.

    Returns
    -------
    pandas.DataFrame
        One row per claim, columns :data:`COLUMNS`: ``held_out`` counts the figures left out of
        the refit (0: the fit itself was used); ``note`` says why a claim could not be tested
        (its market or series is not in the fit) or that a refit did not converge. The verdict is
        :func:`~tokendemand.claims.claim.verdict` of the two probabilities.

    Raises
    ------
    NotFittedError
        If ``source`` is not a fitted result.
    """
    if not all(hasattr(source, a) for a in ("draws", "prior_draws", "design", "observations")):
        raise NotFittedError(
            f"check_claims needs a fitted result (td.fit(...)), got {type(source).__name__}"
        )
    chosen = tuple(builtin() if claims is None else claims)
    if not all(isinstance(c, Claim) for c in chosen):
        raise ConfigError("claims must be Claim objects (see tokendemand.claims.Claim)")
    refits: dict[frozenset[Any], tuple[Any, str]] = {}
    rows = []
    for claim in chosen:
        keys = frozenset(figure_key(f) for f in claim.figures) | frozenset(
            figure_key(f)
            for record in getattr(source, "claims", ())
            if record.name == claim.name
            for f in record.figures
        )
        held = [o for o in source.observations if figure_key(o) in keys]
        fit, note = source, ""
        if held:
            held_keys = frozenset(figure_key(o) for o in held)
            if not refit:
                refits[held_keys] = (
                    None,
                    "not checked: the fit saw the claim's own figure(s); check_claims with "
                    "refit=True refits without them",
                )
            elif held_keys not in refits:
                refits[held_keys] = _refit(source, held_keys, draws, tune, random_seed)
            fit, note = refits[held_keys]
        if fit is None:
            prior = posterior = float("nan")
        else:
            prior, prior_note = _probability(claim, _evidence(fit, True, prior_draws, random_seed))
            posterior, post_note = _probability(claim, _evidence(fit, False, 0, random_seed))
            note = "; ".join(n for n in (note, prior_note or post_note) if n)
        rows.append(
            {
                "claim": claim.name,
                "source": claim.source,
                "statement": claim.statement,
                "prior_probability": prior,
                "posterior_probability": posterior,
                "verdict": verdict(prior, posterior),
                "held_out": len(held),
                "note": note,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _refit(
    fit: Any, held: frozenset[Any], draws: int, tune: int, random_seed: int
) -> tuple[Any, str]:
    """The fit's model refitted without the ``held`` figures, and a note."""
    from tokendemand.fitting.model import TokenDemandModel

    kept = Observations(o for o in fit.observations if figure_key(o) not in held)
    if len(kept) == 0:
        return None, "not testable: the fit has no figure besides the claim's own"
    present = {(o.market, o.series) for o in kept}
    reference_series = {m: s for m, s in fit.design.reference_series.items() if (m, s) in present}
    method = fit.method if fit.method in ("map", "advi") else "nuts"
    options: dict[str, Any] = {"method": method, "random_seed": random_seed}
    if method == "nuts":
        options.update(draws=draws, tune=tune)
        if fit.sampler in ("numpyro", "pymc", "nutpie"):
            options["sampler"] = fit.sampler
    note = f"refitted without {len(held)} figure(s) that state the claim"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            refit = TokenDemandModel(fit.structure, fit.priors).fit(
                kept,
                reference_date=fit.reference_date,
                reference_series=reference_series,
                **options,
            )
        except (DataError, ConfigError) as error:
            return None, f"not testable without its own figures: {error}"
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        note += " (the refit did not meet every convergence threshold)"
    for w in caught:
        if not issubclass(w.category, ConvergenceWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return refit, note
