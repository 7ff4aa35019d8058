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

Each claim also states itself as figures of the observation schema, so that
``fit(observations, claims=[...])`` can enter it as a soft pseudo-observation
(:meth:`Claim.as_observations <tokendemand.claims.Claim.as_observations>`):

=============================  ==============================================================
name                           as figures (series, market: kind, value, period)
=============================  ==============================================================
``cicc_break_even_8pct``       ``agent_intensity_ratio``, china: ``intensity_ratio``
                               ``(1 - s * pi_star) / pi_star`` (12.5 at 8% without
                               substitution) on the reference date (or the claim's ``date``)
``cicc_growth_5x``             ``china_national``, china: ``ratio`` lower bound 5, the day
                               ``end`` over the day ``start``
``nbs_march_140t``             ``china_national``, china: ``mean`` lower bound 140T tokens/day
                               over March 2026
``doubao_doubled_3m``          ``doubao``, china: ``point`` 120T tokens/day on 2026-03-31, and
                               ``ratio`` lower bound 2 of 2026-03-31 over 2025-12-31
``openrouter_wow_7_4pct``      ``openrouter_total``, openrouter: ``ratio`` 1.074 of the week
                               2026-05-18..24 over the week before
``openrouter_china_over_us``   none: the schema has no figure comparing two series (a ``ratio``
                               compares one market's total over two periods, a ``share`` one
                               series with its whole market), so "more than" between two series
                               cannot be stated; :meth:`~tokendemand.claims.Claim.as_observations`
                               raises and says so. Enter the two weekly totals as data instead.
=============================  ==============================================================

The figures are exact where the claim gives a value (120T, +7.4%, 8%) and one-sided where it
says "more than" or "at least" (140T, 5x, doubled), matching how the claim is tested.

CICC states no horizon for "more than 5x"; the default window starts on 2026-03-31, the last day of
the latest national figure the press piece quotes (March 2026), and ends on 2030-12-31, the end of
the window sell-side capacity cases (and this library's default projection) run to. Both are
arguments of :func:`cicc_growth`.

The CICC break-even claim is also where the default prior on ``rho`` comes from
(:class:`~tokendemand.priors.Priors`), so its prior probability is high by construction; what
matters is whether the data move it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import pandas as pd

from tokendemand.claims.claim import Claim, Evidence
from tokendemand.dates import to_day
from tokendemand.errors import ConfigError
from tokendemand.observations import Observation
from tokendemand.structure import DateLike, intensity_ratio_for_break_even

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


def cicc_break_even(
    pi_star: float = 0.08,
    tolerance: float = 0.02,
    date: DateLike | None = None,
    market: str = "china",
) -> Claim:
    """Agents match chatbots at ``pi_star`` penetration (+- ``tolerance``) on the reference date.

    ``date`` (default: the fit's reference date) dates the claim; ``market`` is the market its
    figure is entered in by :meth:`Claim.as_observations`: an ``intensity_ratio`` of
    ``(1 - s * pi_star) / pi_star`` (agents match chatbots when ``rho*k*h/u`` reaches it;
    :func:`~tokendemand.structure.intensity_ratio_for_break_even`).

    Examples
    --------
    >>> figure = cicc_break_even().as_observations("2026-03-31")[0]
    >>> figure.kind, figure.value, figure.start.date().isoformat()
    ('intensity_ratio', 12.5, '2026-03-31')
    """
    low, high = pi_star - tolerance, pi_star + tolerance
    name = "cicc_break_even_8pct"
    fixed = None if date is None else to_day(date, "date", ConfigError)

    def test(evidence: Evidence) -> object:
        value = evidence.break_even_penetration(fixed)
        return (value >= low) & (value <= high)

    def stated_as(reference_date: pd.Timestamp | None, substitution: float) -> tuple[Observation]:
        when = fixed if fixed is not None else reference_date
        if when is None:
            raise ConfigError(
                f"claim {name!r} is read on the fit's reference date: give reference_date, or "
                "date the claim with cicc_break_even(date=...)"
            )
        return (
            Observation(
                "agent_intensity_ratio",
                market,
                "intensity_ratio",
                intensity_ratio_for_break_even(pi_star, substitution),
                when,
                when,
                source=_CICC,
            ),
        )

    when_text = "the reference date" if fixed is None else fixed.date().isoformat()
    return Claim(
        name,
        _CICC,
        f"agent tokens match chatbot tokens at {pi_star:.0%} agent penetration; read as: on "
        f"{when_text} the break-even penetration lies in [{low:.0%}, {high:.0%}] "
        f"(rho between {1 / high:.3g} and {1 / low:.3g})",
        test,
        stated_as=stated_as,
    )


def cicc_growth(
    factor: float = 5.0,
    start: DateLike = "2026-03-31",
    end: DateLike = "2030-12-31",
    market: str = "china",
    series: str = "china_national",
) -> Claim:
    """Daily tokens grow more than ``factor`` times between ``start`` and ``end``.

    As a figure (:meth:`Claim.as_observations`): a lower-bound ``ratio`` ``factor`` of the day
    ``end`` over the day ``start``, labelled ``series`` of ``market`` (a ratio compares the
    market's total, whatever the series).

    Examples
    --------
    >>> figure = cicc_growth().as_observations()[0]
    >>> figure.kind, figure.value, figure.bound, figure.base_start.date().isoformat()
    ('ratio', 5.0, 'lower', '2026-03-31')
    """
    first = to_day(start, "start", ConfigError)
    last = to_day(end, "end", ConfigError)

    def test(evidence: Evidence) -> object:
        return evidence.multiplier(start, end, market) > factor

    def stated_as(reference_date: pd.Timestamp | None, substitution: float) -> tuple[Observation]:
        return (
            Observation(
                series,
                market,
                "ratio",
                factor,
                last,
                last,
                source=_CICC,
                base_start=first,
                base_end=first,
                bound="lower",
            ),
        )

    return Claim(
        "cicc_growth_5x",
        _CICC,
        f"daily token consumption grows more than {factor:g}x; read as D({end})/D({start}) > "
        f"{factor:g} in market {market} on the fitted trajectory",
        test,
        stated_as=stated_as,
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
        stated_as=lambda reference_date, substitution: (replace(figure, bound="lower"),),
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

    level = Observation(
        "doubao", "china", "point", 120e12, _day("2026-03-31"), _day("2026-03-31"), source=_PRESS
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
        stated_as=lambda reference_date, substitution: (level, replace(figure, bound="lower")),
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
        stated_as=lambda reference_date, substitution: (figure,),
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

    name = "openrouter_china_over_us"

    def test(evidence: Evidence) -> object:
        return evidence.figure(china) > evidence.figure(us)

    def stated_as(reference_date: pd.Timestamp | None, substitution: float) -> tuple[Observation]:
        raise ConfigError(
            f"claim {name!r} cannot be stated as figures: it compares two series (Chinese- and "
            "US-developed models' tokens), and the observation schema has no figure of one "
            "series over another (a ratio compares one market's total over two periods; a "
            "share is one series over its whole market). Enter the two weekly totals as data "
            "(kind total, market openrouter) instead, or leave the claim out"
        )

    return Claim(
        name,
        _PRESS,
        "Chinese-developed models processed more tokens than US-developed models on OpenRouter "
        "in the week 2026-05-18..24",
        test,
        (china, us),
        stated_as=stated_as,
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
