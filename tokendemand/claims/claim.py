"""A published claim as an object: what it says, who said it, and how to test it on draws.

A :class:`Claim` holds a ``test``: a function of an :class:`Evidence` (a set of parameter draws,
posterior or prior, with the fit's observation equation) returning one boolean per draw. The
share of ``True`` draws is the claim's probability under those draws.

A claim may carry ``figures``: the published figures that state it (the 140T national mean of
March 2026 is the figure behind "China's daily average exceeded 140T"). A fit that saw one of
them cannot judge the claim honestly; :func:`~tokendemand.claims.check_claims` refits without
them first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from tokendemand.dates import to_day
from tokendemand.errors import ConfigError, DataError
from tokendemand.fitting.likelihood import ObservationDesign, as_draw_values, natural_scale
from tokendemand.fitting.parametrization import to_parameters
from tokendemand.fitting.pseudo import CLAIM_PREFIX, figure_key
from tokendemand.observations import CONFIDENCES, Confidence, Observation, Observations
from tokendemand.structure import DateLike, Parameters, Structure, evaluate, growth_multiplier

__all__ = ["Claim", "Evidence", "figure_key", "verdict"]

Statement = Callable[[pd.Timestamp | None, float], tuple[Observation, ...]]
"""``stated_as(reference_date, substitution) -> figures`` of a claim (see :class:`Claim`)."""


@dataclass(frozen=True)
class Evidence:
    """Parameter draws of one fit's specification, with its observation equation.

    Build it with :meth:`from_values` (the draws of a fit or of its priors); claims read it
    through :meth:`figure`, :meth:`parameters`, :meth:`multiplier` and
    :meth:`break_even_penetration`.

    Attributes
    ----------
    structure
        Families of the levers.
    design
        The fit's design (reference date, markets, reference series, coverage parameters).
    values
        Structural values shaped for
        :meth:`~tokendemand.fitting.likelihood.ObservationDesign.predict`: ``(draws, 1)`` scalars,
        ``(draws, markets)`` and ``(draws, series)`` vectors.
    draws
        Number of draws.
    """

    structure: Structure
    design: ObservationDesign
    values: Mapping[str, Any]
    draws: int

    @classmethod
    def from_values(
        cls,
        structure: Structure,
        design: ObservationDesign,
        draws: Mapping[str, Any],
        substitution: float,
    ) -> Evidence:
        """Evidence from draws keyed as :meth:`FitResult.draws` returns them (1-D scalars)."""
        values = as_draw_values({k: v for k, v in draws.items() if k != "substitution"})
        values["substitution"] = float(substitution)
        n = len(np.asarray(values["intensity_ratio"]))
        return cls(structure, design, values, n)

    def figure(self, observation: Observation) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The model-side value of ``observation`` per draw, in its canonical unit, no noise.

        Raises
        ------
        DataError
            If the fit did not see the figure's market or sub-series (it cannot predict it).
        """
        design = ObservationDesign.build(Observations([observation]), layout=self.design)
        mu = design.predict(self.structure, self.values, np)
        out: np.ndarray[Any, np.dtype[np.float64]] = natural_scale(design, mu)[:, 0]
        return out

    def parameters(self, market: str | None = None) -> Parameters:
        """Parameters of ``market`` (default: the first) whose values are arrays of draws."""
        index = 0 if market is None else self.markets_index(market)
        flat = {
            k: (np.asarray(v)[:, 0] if np.ndim(v) == 2 and np.shape(v)[1] == 1 else v)
            for k, v in self.values.items()
        }
        return to_parameters(self.structure, flat, self.design.reference_date, market=index)

    def markets_index(self, market: str) -> int:
        """Position of ``market`` in the fit (a ``ConfigError`` if absent)."""
        if market not in self.design.markets:
            raise ConfigError(
                f"market {market!r} is not in this fit; its markets: {list(self.design.markets)}"
            )
        return self.design.markets.index(market)

    def multiplier(
        self, start: DateLike, end: DateLike, market: str | None = None
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        """``D(end) / D(start)`` per draw on the fitted trajectory (no scenario change)."""
        value = growth_multiplier(self.structure, self.parameters(market), start, end)
        return np.broadcast_to(np.asarray(value, dtype=float), (self.draws,))

    def break_even_penetration(
        self, date: DateLike | None = None, market: str | None = None
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Penetration at which agents match chatbots on ``date`` (default: the reference date)."""
        from tokendemand.dates import days_since

        parameters = self.parameters(market)
        when = parameters.reference_date if date is None else date
        t = days_since([when], parameters.reference_date)[0]
        value = evaluate(self.structure, parameters, t)["break_even_penetration"]
        return np.broadcast_to(np.asarray(value, dtype=float), (self.draws,))


@dataclass(frozen=True)
class Claim:
    """A published claim and the test that decides it per draw.

    Parameters
    ----------
    name
        Short identifier (``"cicc_break_even_8pct"``).
    source
        Who said it, where and when.
    statement
        The claim in words, including how it is read (tolerances, windows).
    test
        ``test(evidence) -> bool array`` of shape ``(evidence.draws,)``.
    figures
        Published figures that state the claim; a fit that saw one is refitted without it before
        the claim is checked.
    stated_as
        ``stated_as(reference_date, substitution) -> tuple of Observation``: the claim as
        figures of the schema, for entering it in a fit (:meth:`as_observations`); ``None``
        for a claim that cannot be stated so. ``reference_date`` is the fit's (``None`` outside
        a fit: a claim dated by it then raises); ``substitution`` is the model's substitution
        share. A function may raise :class:`~tokendemand.errors.ConfigError` to say why the
        claim cannot be stated.

    Examples
    --------
    >>> c = Claim("rho_above_10", "example", "rho exceeds 10",
    ...           lambda e: e.parameters().intensity_ratio > 10)
    >>> c.name
    'rho_above_10'
    """

    name: str
    source: str
    statement: str
    test: Callable[[Evidence], Any]
    figures: tuple[Observation, ...] = ()
    stated_as: Statement | None = None

    def __post_init__(self) -> None:
        problems = [
            f"{field} must be non-empty text, got {getattr(self, field)!r}"
            for field in ("name", "source", "statement")
            if not isinstance(getattr(self, field), str) or not getattr(self, field).strip()
        ]
        if not callable(self.test):
            problems.append(f"test must be callable (evidence -> bool per draw), got {self.test!r}")
        object.__setattr__(self, "figures", tuple(self.figures))
        if not all(isinstance(f, Observation) for f in self.figures):
            problems.append("figures must be Observation objects")
        if self.stated_as is not None and not callable(self.stated_as):
            problems.append(
                "stated_as must be callable ((reference_date, substitution) -> figures) or None"
            )
        if problems:
            raise ConfigError(f"invalid claim {self.name!r}: " + "; ".join(problems))

    def as_observations(
        self,
        reference_date: DateLike | None = None,
        *,
        substitution: float = 0.0,
        confidence: Confidence = "low",
    ) -> Observations:
        """The claim as figures of the observation schema, to enter a fit as soft evidence.

        ``fit(observations, claims=[...])`` appends these figures to the data
        (:func:`~tokendemand.fitting.pseudo.claim_observations`), as lift tests calibrate a
        marketing-mix model: the same observation equation judges them, at the stated
        ``confidence``. The default ``low`` makes them soft: the noise multiplier of that grade
        (:attr:`Priors.noise_multiplier <tokendemand.priors.Priors.noise_multiplier>`) widens
        their error, so a claim pulls the posterior without pinning it.

        Parameters
        ----------
        reference_date
            The fit's reference date; needed by a claim read "on the reference date" (CICC's
            break-even) unless the claim was given its own date.
        substitution
            The model's substitution share ``s`` (the break-even claim's intensity ratio is
            ``(1 - s * pi) / pi``).
        confidence
            ``"high"``, ``"medium"`` or ``"low"`` (the default).

        Returns
        -------
        Observations
            Each figure with ``source`` ``"claim: <source>"``, ``note`` naming the claim, and
            ``confidence``.

        Raises
        ------
        ConfigError
            If the claim cannot be stated as figures (the message names it and says why).

        Examples
        --------
        >>> from tokendemand.claims import builtin
        >>> nbs = [c for c in builtin() if c.name == "nbs_march_140t"][0]
        >>> o = nbs.as_observations()[0]
        >>> o.kind, o.bound, o.value, o.confidence, o.source[:7]
        ('mean', 'lower', 140000000000000.0, 'low', 'claim: ')
        """
        if self.stated_as is None:
            raise ConfigError(
                f"claim {self.name!r} cannot be stated as figures: it has no stated_as; give "
                "the Claim a stated_as function, or leave it out of fit(..., claims=...)"
            )
        if confidence not in CONFIDENCES:
            raise ConfigError(
                f"claim {self.name!r}: confidence must be one of {list(CONFIDENCES)}, "
                f"got {confidence!r}"
            )
        when = (
            None
            if reference_date is None
            else to_day(reference_date, "reference_date", ConfigError)
        )
        try:
            stated = tuple(self.stated_as(when, float(substitution)))
        except DataError as error:
            raise ConfigError(f"claim {self.name!r} cannot be stated as figures: {error}") from None
        if not stated or not all(isinstance(f, Observation) for f in stated):
            raise ConfigError(
                f"claim {self.name!r}: stated_as must return one or more Observation objects"
            )
        return Observations(
            replace(
                f,
                source=CLAIM_PREFIX + self.source,
                note=f"claim {self.name}: {self.statement}",
                confidence=confidence,
                url="",
            )
            for f in stated
        )

    def probability(self, evidence: Evidence) -> float:
        """Share of ``evidence``'s draws on which the claim holds."""
        held = np.asarray(self.test(evidence))
        if held.shape != (evidence.draws,):
            raise ConfigError(
                f"claim {self.name!r}: test returned shape {held.shape}, expected one boolean "
                f"per draw ({evidence.draws},)"
            )
        return float(held.astype(bool).mean())


def verdict(prior: float, posterior: float, decisive: float = 0.9, factor: float = 3.0) -> str:
    """A verdict in words from the prior and posterior probability of a claim.

    The data decide a claim when the posterior odds differ from the prior odds by at least
    ``factor`` (a Bayes factor of 3 by default: "substantial" on Jeffreys' scale) and the
    posterior probability is at least ``decisive`` (or at most ``1 - decisive``).

    ========================================  =====================================
    situation                                 verdict
    ========================================  =====================================
    posterior >= decisive, odds up by factor  ``supported``
    posterior <= 1 - decisive, odds down      ``contradicted``
    odds up (down) by factor, not decisive    ``leans supported`` (``leans contradicted``)
    odds moved less than factor               ``undecided by the data``
    either probability NaN                    ``not testable``
    ========================================  =====================================

    Examples
    --------
    >>> verdict(0.5, 0.97), verdict(0.5, 0.02), verdict(0.95, 0.96)
    ('supported', 'contradicted', 'undecided by the data')
    """
    if math.isnan(prior) or math.isnan(posterior):
        return "not testable"
    eps = 1e-4

    def odds(p: float) -> float:
        p = min(max(p, eps), 1.0 - eps)
        return p / (1.0 - p)

    change = odds(posterior) / odds(prior)
    if change >= factor:
        return "supported" if posterior >= decisive else "leans supported"
    if change <= 1.0 / factor:
        return "contradicted" if posterior <= 1.0 - decisive else "leans contradicted"
    return "undecided by the data"
