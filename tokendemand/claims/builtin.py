"""The claims of the May 2026 press piece the project started from, each with its reading.

=============================  ==============================================================
name                           reading
=============================  ==============================================================
``cicc_break_even_8pct``       on the fit's reference date, the break-even penetration
                               ``u / (rho*k*h)`` lies within ``tolerance`` (default 2 points)
                               of 8%, i.e. ``rho`` between about 10 and 16.7 (12.5 exactly at
                               8%)
``cicc_growth_5x``             ``D(end) / D(start) > 5`` on the fitted trajectory of market
                               ``china``, window 2026-03-31 to 2030-12-31 by default
``nbs_march_140t``             China's daily mean over March 2026 exceeds 140T tokens/day
``doubao_doubled_3m``          Doubao's 2026-03-31 level is at least twice its 2025-12-31 level
``openrouter_wow_7_4pct``      OpenRouter's week 2026-05-18..24 over the week before is
                               1.074 within ``tolerance`` (default 0.02)
``openrouter_china_over_us``   in that week Chinese-developed models' tokens on OpenRouter
                               exceed US-developed models'
=============================  ==============================================================

CICC states no horizon for "more than 5x"; the default window starts on 2026-03-31, the last day of
the latest national figure the press piece quotes (March 2026), and ends on 2030-12-31, the end of
the window sell-side capacity cases (and this library's default projection) run to. Both are
arguments of :func:`cicc_growth`.

The CICC break-even claim is also where the default prior on ``rho`` comes from
(:class:`~tokendemand.priors.Priors`), so its prior probability is high by construction; what
matters is whether the data move it.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from tokendemand.claims.claim import Claim, Evidence
from tokendemand.observations import Observation
from tokendemand.structure import DateLike

__all__ = [
    "builtin",
    "cicc_break_even",
    "cicc_growth",
    "doubao_doubled",
    "nbs_march_140t",
    "openrouter_china_over_us",
    "openrouter_week_on_week",
]


def _day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


_PRESS: Final = "press coverage of OpenRouter rankings and NDA figures, May 2026"
_CICC: Final = "CICC research, moderate usage scenario (as reported in the press, May 2026)"


def cicc_break_even(pi_star: float = 0.08, tolerance: float = 0.02) -> Claim:
    """Agents match chatbots at ``pi_star`` penetration (+- ``tolerance``) on the reference date."""
    low, high = pi_star - tolerance, pi_star + tolerance

    def test(evidence: Evidence) -> object:
        value = evidence.break_even_penetration()
        return (value >= low) & (value <= high)

    return Claim(
        "cicc_break_even_8pct",
        _CICC,
        f"agent tokens match chatbot tokens at {pi_star:.0%} agent penetration; read as: on "
        f"the reference date the break-even penetration lies in [{low:.0%}, {high:.0%}] "
        f"(rho between {1 / high:.3g} and {1 / low:.3g})",
        test,
    )


def cicc_growth(
    factor: float = 5.0,
    start: DateLike = "2026-03-31",
    end: DateLike = "2030-12-31",
    market: str = "china",
) -> Claim:
    """Daily tokens grow more than ``factor`` times between ``start`` and ``end``."""

    def test(evidence: Evidence) -> object:
        return evidence.multiplier(start, end, market) > factor

    return Claim(
        "cicc_growth_5x",
        _CICC,
        f"daily token consumption grows more than {factor:g}x; read as D({end})/D({start}) > "
        f"{factor:g} in market {market} on the fitted trajectory",
        test,
    )


def nbs_march_140t() -> Claim:
    """China's daily average exceeded 140T tokens in March 2026."""
    figure = Observation(
        "china_national",
        "china",
        "mean",
        140e12,
        _day("2026-03-01"),
        _day("2026-03-31"),
        source=_PRESS,
    )

    def test(evidence: Evidence) -> object:
        return evidence.figure(figure) > 140e12

    return Claim(
        "nbs_march_140t",
        "National Data Administration (press conference 2026-03-24), via the press, May 2026",
        "China's daily token consumption averaged more than 140T tokens/day in March 2026",
        test,
        (figure,),
    )


def doubao_doubled() -> Claim:
    """Doubao doubled to 120T tokens a day within three months (2025-12-31 to 2026-03-31)."""
    figure = Observation(
        "doubao",
        "china",
        "ratio",
        2.0,
        _day("2026-03-31"),
        _day("2026-03-31"),
        source=_PRESS,
        base_start=_day("2025-12-31"),
        base_end=_day("2025-12-31"),
    )

    def test(evidence: Evidence) -> object:
        return evidence.figure(figure) >= 2.0

    return Claim(
        "doubao_doubled_3m",
        "Volcano Engine (2026-04-02), via the press, May 2026",
        "Doubao's daily tokens doubled within three months: the 2026-03-31 level is at least "
        "twice the 2025-12-31 level",
        test,
        (figure,),
    )


def openrouter_week_on_week(growth: float = 0.074, tolerance: float = 0.02) -> Claim:
    """OpenRouter grew ``growth`` week on week in May 18-24 2026, within ``tolerance``."""
    figure = Observation(
        "openrouter_total",
        "openrouter",
        "ratio",
        1.0 + growth,
        _day("2026-05-18"),
        _day("2026-05-24"),
        source=_PRESS,
        base_start=_day("2026-05-11"),
        base_end=_day("2026-05-17"),
    )
    low, high = 1.0 + growth - tolerance, 1.0 + growth + tolerance

    def test(evidence: Evidence) -> object:
        value = evidence.figure(figure)
        return (value >= low) & (value <= high)

    return Claim(
        "openrouter_wow_7_4pct",
        _PRESS,
        f"OpenRouter tokens grew {growth:.1%} week on week in 2026-05-18..24; read as growth "
        f"between {low - 1:.1%} and {high - 1:.1%}",
        test,
        (figure,),
    )


def openrouter_china_over_us() -> Claim:
    """Chinese-developed models used more than US-developed ones on OpenRouter, May 18-24 2026."""
    china = Observation(
        "openrouter_china_models",
        "openrouter",
        "total",
        9.22e12,
        _day("2026-05-18"),
        _day("2026-05-24"),
        source=_PRESS,
    )
    us = Observation(
        "openrouter_us_models",
        "openrouter",
        "total",
        4.93e12,
        _day("2026-05-18"),
        _day("2026-05-24"),
        source=_PRESS,
    )

    def test(evidence: Evidence) -> object:
        return evidence.figure(china) > evidence.figure(us)

    return Claim(
        "openrouter_china_over_us",
        _PRESS,
        "Chinese-developed models processed more tokens than US-developed models on OpenRouter "
        "in the week 2026-05-18..24",
        test,
        (china, us),
    )


def builtin() -> tuple[Claim, ...]:
    """The seed's claims with their default readings (see the module table).

    Examples
    --------
    >>> [c.name for c in builtin()][:2]
    ['cicc_break_even_8pct', 'cicc_growth_5x']
    """
    return (
        cicc_break_even(),
        cicc_growth(),
        nbs_march_140t(),
        doubao_doubled(),
        openrouter_week_on_week(),
        openrouter_china_over_us(),
    )
