"""The schema's vocabulary: observation kinds, confidence grades, bounds, the canonical unit of
each kind and the CSV columns (see :mod:`tokendemand.observations`)."""

from __future__ import annotations

from typing import Final, Literal, get_args

__all__ = [
    "BOUNDS",
    "COLUMNS",
    "CONFIDENCES",
    "FRACTION_KINDS",
    "KINDS",
    "LEVEL_KINDS",
    "PROXY_KINDS",
    "RATE_KINDS",
    "REQUIRED_COLUMNS",
    "Bound",
    "Confidence",
    "Kind",
]

Kind = Literal[
    "point", "mean", "total", "ratio", "share", "penetration", "agent_share", "intensity_ratio"
]
Confidence = Literal["high", "medium", "low"]
Bound = Literal["lower", "upper"]

KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
"""Every observation kind."""
CONFIDENCES: Final[tuple[Confidence, ...]] = get_args(Confidence)
"""Confidence grades, most trusted first."""
BOUNDS: Final[tuple[Bound, ...]] = get_args(Bound)
"""One-sided observations: ``lower`` ("over 140T") and ``upper`` ("below 1T")."""

REQUIRED_COLUMNS: Final[tuple[str, ...]] = ("series", "market", "source", "kind", "value", "unit")
"""Columns every observation CSV must have."""
COLUMNS: Final[tuple[str, ...]] = (
    "series",
    "market",
    "kind",
    "date",
    "period_start",
    "period_end",
    "base_start",
    "base_end",
    "value",
    "unit",
    "source",
    "url",
    "confidence",
    "bound",
    "proxy",
    "launch",
    "note",
)
"""Every column of the schema, in the order :meth:`Observations.to_csv` writes them."""

LEVEL_KINDS: Final[tuple[Kind, ...]] = ("point", "mean", "total")
"""Kinds that measure a volume of tokens: on a day, as a daily mean, or as a period total."""
RATE_KINDS: Final[tuple[Kind, ...]] = ("point", "mean")
"""Level kinds given as tokens per unit of time (converted to tokens per day)."""
FRACTION_KINDS: Final[tuple[Kind, ...]] = ("share", "penetration", "agent_share")
"""Kinds whose value is a fraction in [0, 1]."""
PROXY_KINDS: Final[tuple[Kind, ...]] = ("penetration", "agent_share", "intensity_ratio")
"""Kinds a proxy figure may stand for (``proxy`` column): each proxy gets its own bias term."""
RATIO_UNIT_KINDS: Final[tuple[Kind, ...]] = ("ratio", "intensity_ratio")
"""Kinds whose unit is ``ratio`` (a plain positive number)."""
_CANONICAL_UNITS: Final[dict[str, str]] = {
    "point": "tokens/day",
    "mean": "tokens/day",
    "total": "tokens",
    "ratio": "ratio",
    "share": "fraction",
    "penetration": "fraction",
    "agent_share": "fraction",
    "intensity_ratio": "ratio",
}
_UNIT_HINTS: Final[dict[str, str]] = {
    "point": "a rate such as 'tokens/day', 'tokens/week' or 'tokens/month'",
    "mean": "a rate such as 'tokens/day', 'tokens/week' or 'tokens/month'",
    "total": "'tokens' (a total over the period; for a rate use kind=mean)",
    "ratio": "'ratio' (a plain number: 1.074 for +7.4%, 2 for doubled)",
    "share": "'fraction' (0.23) or '%' (23)",
    "penetration": "'fraction' (0.23) or '%' (23)",
    "agent_share": "'fraction' (0.23) or '%' (23)",
    "intensity_ratio": "'ratio' (agent tokens per agent user over chatbot tokens per user, 12.5)",
}

_DATE_COLUMNS: Final[tuple[str, ...]] = (
    "date",
    "period_start",
    "period_end",
    "base_start",
    "base_end",
)
