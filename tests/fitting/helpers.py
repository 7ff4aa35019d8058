"""Builders for the fitting tests: hypothetical parameters and observations on the reference date
2026-03-31."""

from __future__ import annotations

from tokendemand.observations import Observation
from tokendemand.structure import Parameters

REF = "2026-03-31"


def truth() -> Parameters:
    return Parameters(
        REF,
        scale=8e13,
        intensity_ratio=11.0,
        penetration={"ceiling": 0.45, "midpoint": "2028-06-30", "rate": 0.7},
        users={"annual_rate": 0.4, "ceiling_multiple": 2.2},
        chatbot={"annual_rate": 0.6, "ceiling_multiple": 3.5},
        complexity={"annual_rate": 1.0, "ceiling_multiple": 8.0},
    )


def obs(
    kind: str, value: float, start: str, end: str | None = None, **extra: object
) -> Observation:
    return Observation(
        series=str(extra.pop("series", "national")),
        market=str(extra.pop("market", "china")),
        kind=kind,  # type: ignore[arg-type]
        value=value,
        start=start,
        end=end or start,
        source="test",
        **extra,  # type: ignore[arg-type]
    )
