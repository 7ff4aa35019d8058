"""Claims entered in a fit as soft pseudo-observations, as lift tests calibrate marketing-mix
models, and the record a fit keeps of them.

A claim (:class:`~tokendemand.claims.Claim`, or anything with the :class:`StatedClaim` interface)
states itself as figures in the ordinary schema (:meth:`Claim.as_observations
<tokendemand.claims.Claim.as_observations>`): a lower-bound mean for "over 140T in March", a
ratio for "+7.4% week on week", an ``intensity_ratio`` for "agents match chatbots at 8%".
:func:`claim_observations` appends them to the data, so the one observation equation
(:mod:`tokendemand.fitting.likelihood`) judges them; no second likelihood is needed.

Rules:

- softness: each figure enters at the claim's stated confidence (default ``low``), so the
  noise multiplier of that grade (:attr:`Priors.noise_multiplier
  <tokendemand.priors.Priors.noise_multiplier>`) widens its error;
- marking: its ``source`` reads ``claim: <the claim's source>`` (:data:`CLAIM_PREFIX`) and its
  ``note`` names the claim, so reports and the data table tell claims from data;
- no double counting: a claim figure that is the same figure (:func:`figure_key`: series,
  market, kind, period and base period, whatever the value or bound) as a data figure, or as a
  figure of an earlier claim, is skipped with a :class:`ClaimSkippedWarning` naming both. The
  data figure already carries the published number; entering the claim too would count one
  publication twice. The skip is kept in the fit's :class:`ClaimRecord`;
- a claim about a market none of the data cover is an error: it would be the only evidence on
  that market's level, not a calibration of a fitted one.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import pandas as pd

from tokendemand.errors import ConfigError
from tokendemand.observations import Confidence, Observation, Observations

__all__ = [
    "CLAIM_PREFIX",
    "ClaimRecord",
    "ClaimSkippedWarning",
    "StatedClaim",
    "claim_observations",
    "data_observations",
    "figure_key",
]

CLAIM_PREFIX: Final = "claim: "
"""Start of the ``source`` of every figure a claim entered a fit with."""

FigureKey = tuple[str, str, str, Any, Any, Any, Any]


class ClaimSkippedWarning(UserWarning):
    """A claim's figure was not entered because the data already hold the same figure."""


class StatedClaim(Protocol):
    """What :func:`claim_observations` needs of a claim (:class:`~tokendemand.claims.Claim`)."""

    name: str
    source: str
    statement: str

    def as_observations(
        self,
        reference_date: Any = None,
        *,
        substitution: float = 0.0,
        confidence: Confidence = "low",
    ) -> Observations:
        """The claim as figures of the schema."""
        ...


def figure_key(observation: Observation) -> FigureKey:
    """What makes two figures the same figure: series, market, kind, period and base period.

    The value and the bound are left out: "over 140T" and "140T" of the same month are one
    figure for the purpose of holding it out or of counting it once.
    """
    o = observation
    return (o.series, o.market, o.kind, o.start, o.end, o.base_start, o.base_end)


def _key_text(key: Sequence[Any]) -> list[Any]:
    return [None if v is None else (v.date().isoformat() if hasattr(v, "date") else v) for v in key]


@dataclass(frozen=True)
class ClaimRecord:
    """A claim a fit entered: who said what, and which figures it entered or skipped.

    Attributes
    ----------
    name, source, statement
        As on the claim.
    confidence
        The confidence its figures entered at.
    figures
        The figures it entered (they are among the fit's observations).
    skipped
        One sentence per figure left out as a duplicate of a data figure.
    """

    name: str
    source: str
    statement: str
    confidence: str
    figures: tuple[Observation, ...]
    skipped: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the figures by their :func:`figure_key` (the values are in the data)."""
        return {
            "name": self.name,
            "source": self.source,
            "statement": self.statement,
            "confidence": self.confidence,
            "figures": [_key_text(figure_key(f)) for f in self.figures],
            "skipped": list(self.skipped),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], observations: Observations) -> ClaimRecord:
        """The record :meth:`to_dict` wrote, its figures found again in ``observations``."""
        by_key = {tuple(_key_text(figure_key(o))): o for o in observations}
        keys = [tuple(k) for k in data["figures"]]
        missing = [k for k in keys if k not in by_key]
        if missing:
            raise ValueError(f"claim {data['name']!r} names figures not in the data: {missing}")
        return cls(
            name=str(data["name"]),
            source=str(data["source"]),
            statement=str(data["statement"]),
            confidence=str(data["confidence"]),
            figures=tuple(by_key[k] for k in keys),
            skipped=tuple(str(s) for s in data.get("skipped", ())),
        )


def claim_observations(
    claims: Iterable[StatedClaim],
    observations: Observations,
    reference_date: pd.Timestamp,
    *,
    substitution: float = 0.0,
    confidence: Confidence = "low",
) -> tuple[Observations, tuple[ClaimRecord, ...]]:
    """``observations`` with the claims' figures appended, and a record of each claim.

    Parameters
    ----------
    claims
        Claims with :meth:`~tokendemand.claims.Claim.as_observations`.
    observations
        The data.
    reference_date
        The fit's reference date (a claim "on the reference date" is dated by it).
    substitution
        The model's substitution share (the CICC break-even claim's intensity ratio depends on
        it).
    confidence
        Confidence its figures enter at (default ``low``: the widest errors).

    Returns
    -------
    (Observations, tuple of ClaimRecord)

    Raises
    ------
    ConfigError
        If a claim cannot be stated as figures (naming it), is given twice, or is about a
        market the data do not cover.

    Warns
    -----
    ClaimSkippedWarning
        For each claim figure already among the data (see the module docstring).
    """
    chosen = list(claims)
    names = [c.name for c in chosen]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"claims {twice} are given more than once; give each claim once")
    markets = {o.market for o in observations}
    seen: dict[FigureKey, str] = {figure_key(o): f"data ({o.source})" for o in observations}
    # a claim about a product in its launch phase carries the product's launch date
    launches = {(o.market, o.series): o.launch for o in observations}
    added: list[Observation] = []
    records = []
    for claim in chosen:
        stated = claim.as_observations(
            reference_date, substitution=substitution, confidence=confidence
        )
        outside = sorted({o.market for o in stated} - markets)
        if outside:
            raise ConfigError(
                f"claim {claim.name!r} is about market(s) {outside}, which none of the data "
                f"cover (markets: {sorted(markets)}); a claim calibrates a market the data fit: "
                "add that market's figures or leave the claim out"
            )
        entered, skipped = [], []
        for figure in stated:
            launch = launches.get((figure.market, figure.series))
            if launch is not None and figure.launch is None:
                figure = dataclasses.replace(figure, launch=launch)
            key = figure_key(figure)
            if key in seen:
                text = (
                    f"claim {claim.name!r}: {figure.describe()} not entered, the same figure is "
                    f"already in the fit from {seen[key]}"
                )
                warnings.warn(text, ClaimSkippedWarning, stacklevel=3)
                skipped.append(text)
                continue
            seen[key] = f"claim {claim.name!r}"
            entered.append(figure)
        added.extend(entered)
        records.append(
            ClaimRecord(
                claim.name,
                claim.source,
                claim.statement,
                confidence,
                tuple(entered),
                tuple(skipped),
            )
        )
    combined = observations + Observations(added) if added else observations
    return combined, tuple(records)


def data_observations(observations: Observations, records: Iterable[ClaimRecord]) -> Observations:
    """``observations`` without the figures the claims in ``records`` entered."""
    entered = {figure_key(f) for r in records for f in r.figures}
    return Observations(o for o in observations if figure_key(o) not in entered)
