"""Documented example parameters for calculator mode (no fit needed).

The example describes China's national token volume on its reference date, 2026-03-31, with
CICC's moderate usage case for the agent intensity. The levels and growth rates are
*illustrative assumptions chosen to be plausible*, not fitted values; each is listed with the
reasoning behind it in :data:`EXAMPLE_ASSUMPTIONS`. Fit the model (``tokendemand run``) for
values that the public figures support.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from tokendemand.structure import (
    Parameters,
    Structure,
    agent_share,
    intensity_ratio_for_break_even,
)

__all__ = ["EXAMPLE_ASSUMPTIONS", "example_parameters", "example_structure"]

_REFERENCE_DATE: Final = "2026-03-31"
_TOTAL_AT_REFERENCE: Final = 1.4e14  # China daily average, March 2026 (NDA/SCIO): "over 140T"
_BREAK_EVEN: Final = 0.08  # CICC moderate usage scenario (press reports, May 2026)
_PENETRATION: Final = {"ceiling": 0.5, "midpoint": "2028-12-31", "rate": 1.0}
# (annual rate on the reference date, long-run multiple of the reference level)
_GROWTH: Final = {"users": (0.30, 2.5), "chatbot": (0.30, 3.0), "complexity": (1.0, 10.0)}

EXAMPLE_ASSUMPTIONS: Final[dict[str, str]] = {
    "reference_date": f"{_REFERENCE_DATE}: the date of China's latest national figure",
    "total at reference": (
        "140T tokens/day, China's average daily tokens in March 2026 (National Data "
        "Administration, press conference 2026-03-24)"
    ),
    "intensity_ratio": (
        f"CICC moderate usage case: agents match chatbots at {_BREAK_EVEN:.0%} penetration, "
        f"so rho = {intensity_ratio_for_break_even(_BREAK_EVEN):g}"
    ),
    "penetration": (
        "logistic, ceiling 50% of users, midpoint 2028-12-31, rate 1.0/year: an assumption, "
        "about 3% of users on agents at the reference date"
    ),
    "users": (
        "user base grows 30%/year now (continuous rate; ChatGPT weekly users grew about that "
        "from Oct 2025 to Feb 2026) and levels off at 2.5x today's: an assumption"
    ),
    "chatbot": (
        "chatbot tokens per user grow 30%/year now and level off at 3x today's: an assumption"
    ),
    "complexity": (
        "tokens per agent task grow 100%/year now, below the 3-4x/year growth of tokens per "
        "request on OpenRouter in 2025 (a16z/OpenRouter, Dec 2025), levelling off at 10x "
        "today's: an assumption"
    ),
    "usage": "agent tasks per agent user per day constant (carried by complexity)",
}
"""Each example value and the reason for it."""


def example_structure() -> Structure:
    """The structure of the example: the default :class:`~tokendemand.structure.Structure`."""
    return Structure()


def example_parameters() -> Parameters:
    """Example parameters for calculator mode (see :data:`EXAMPLE_ASSUMPTIONS`).

    The chatbot scale is set so that the total on the reference date is 140T tokens/day.

    Examples
    --------
    >>> p = example_parameters()
    >>> p.intensity_ratio
    12.5
    >>> total = example_structure().evaluate(p, [p.reference_date])["total"].iloc[0]
    >>> round(float(total) / 1e12, 6)
    140.0
    """
    rho = intensity_ratio_for_break_even(_BREAK_EVEN)
    base = Parameters(
        _REFERENCE_DATE,
        scale=1.0,
        intensity_ratio=rho,
        penetration=_PENETRATION,
        **{
            lever: {"annual_rate": rate, "ceiling_multiple": ceiling}
            for lever, (rate, ceiling) in _GROWTH.items()
        },
    )
    penetration = float(example_structure().family("penetration")(0.0, base.penetration, np))
    share = float(agent_share(penetration, rho))
    # D(t_r) = b_r * (1 + rho * pi) and agent share = rho*pi / (1 + rho*pi), so
    # b_r = D(t_r) * (1 - share).
    return base.replace(scale=_TOTAL_AT_REFERENCE * (1.0 - share))
