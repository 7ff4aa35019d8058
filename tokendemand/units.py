"""Units of time and of token quantities, in one place.

Time in the model is measured in days relative to a reference date (``t = 0`` at the
reference date); rates and Bass coefficients are per year of :data:`DAYS_PER_YEAR` days.

Every conversion of a token figure lives here:

- :func:`parse_tokens` reads a quantity as it appears in reports (``"28.9T"``,
  ``"1.3 quadrillion"``, ``"140万亿"``, ``"1,200,000 tokens"``) and returns a float;
  :func:`format_tokens` writes one back (``"28.9T"``) for labels and tables.
- :func:`parse_rate` reads a rate unit (``"tokens/week"``, ``"tokens per minute"``,
  ``"/yr"``) and returns its canonical period (:data:`PERIODS`);
  :func:`to_tokens_per_day` converts a rate over any period to tokens per day, using the
  calendar when the dates are known (March has 31 days, February 2024 has 29).

Suffixes understood by :func:`parse_tokens` (the Latin ones in any case):

- 1e3: ``K``, ``thousand``, 千; 1e4: 万
- 1e6: ``M``, ``mn``, ``million``, 百万; 1e7: 千万
- 1e8: 亿; 1e9: ``B``, ``bn``, ``billion``, 十亿; 1e10: 百亿; 1e11: 千亿
- 1e12: ``T``, ``tn``, ``trillion``, 万亿
- 1e15: ``Q``, ``quadrillion``
"""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from numbers import Real
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from tokendemand.dates import DAYS_PER_YEAR, to_day
from tokendemand.errors import DataError

__all__ = [
    "PERIODS",
    "Period",
    "format_tokens",
    "parse_rate",
    "parse_tokens",
    "to_tokens_per_day",
]

# --------------------------------------------------------------------------------------
# token quantities

_MULTIPLIERS: Final[dict[str, int]] = {
    "": 1,
    "k": 10**3,
    "thousand": 10**3,
    "千": 10**3,
    "万": 10**4,
    "m": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "百万": 10**6,
    "千万": 10**7,
    "亿": 10**8,
    "十亿": 10**9,
    "百亿": 10**10,
    "千亿": 10**11,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "t": 10**12,
    "tn": 10**12,
    "trillion": 10**12,
    "万亿": 10**12,
    "q": 10**15,
    "quadrillion": 10**15,
}

_ACCEPTED_TOKENS: Final[str] = (
    "a non-negative number with an optional suffix K, M, B, T, Q (or thousand, million, "
    "billion, trillion, quadrillion, 万, 亿, 万亿) and an optional 'tokens', "
    "e.g. '28.9T', '1.3 quadrillion', '140万亿', '1.2e14', '1,500,000 tokens'"
)

_NUMBER: Final[str] = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
)
_QUANTITY_RE: Final[re.Pattern[str]] = re.compile(
    rf"^(?P<sign>[+-]?)\s*(?P<number>{_NUMBER})\s*(?P<suffix>[^0-9\s.,+-]\S*)?$"
)
_TOKENS_WORD_RE: Final[re.Pattern[str]] = re.compile(r"\s*tokens?$", re.IGNORECASE)


def parse_tokens(text_or_number: object) -> float:
    """Read a token quantity as reports write it.

    Parameters
    ----------
    text_or_number
        A non-negative int or float, or text: a number (thousands commas and an exponent
        allowed), an optional suffix (``K``, ``M``, ``B``, ``T``, ``Q``, the English words,
        or 千, 万, 百万, 千万, 亿, 十亿, 百亿, 千亿, 万亿) and an optional ``tokens``.
        Zero is allowed here; observations reject it as a volume.

    Returns
    -------
    float
        The number of tokens.

    Raises
    ------
    DataError
        For negative, NaN or infinite quantities, booleans, empty text, unknown suffixes and
        anything else that is not a quantity; the message quotes the input and lists the
        accepted forms.

    Examples
    --------
    >>> parse_tokens("28.9T")
    28900000000000.0
    >>> parse_tokens("1.3 quadrillion")
    1300000000000000.0
    >>> parse_tokens("9.22万亿")
    9220000000000.0
    >>> parse_tokens("5亿 tokens")
    500000000.0
    >>> parse_tokens("1,500,000")
    1500000.0
    """
    if isinstance(text_or_number, bool | np.bool_):
        raise DataError(
            f"{text_or_number!r} is a boolean, not a token quantity; give {_ACCEPTED_TOKENS}"
        )
    if isinstance(text_or_number, Real | np.integer | np.floating):
        value = float(text_or_number)
        _check_quantity(value, text_or_number)
        return value
    if not isinstance(text_or_number, str):
        raise DataError(
            f"{text_or_number!r} (a {type(text_or_number).__name__}) is not a token quantity; "
            f"give {_ACCEPTED_TOKENS}"
        )
    text = text_or_number.strip()
    if not text:
        raise DataError(f"{text_or_number!r} is empty; give {_ACCEPTED_TOKENS}")
    match = _QUANTITY_RE.match(_TOKENS_WORD_RE.sub("", text))
    if match is None:
        lowered = text.lower()
        if lowered in {"nan", "inf", "-inf", "+inf", "infinity", "-infinity"}:
            raise DataError(f"{text_or_number!r} is not a finite quantity; give {_ACCEPTED_TOKENS}")
        raise DataError(f"{text_or_number!r} is not a token quantity; give {_ACCEPTED_TOKENS}")
    suffix = (match["suffix"] or "").lower()
    if suffix not in _MULTIPLIERS:
        raise DataError(
            f"{text_or_number!r} has an unknown suffix {match['suffix']!r}; give {_ACCEPTED_TOKENS}"
        )
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only admits decimals
        raise DataError(
            f"{text_or_number!r} is not a token quantity; give {_ACCEPTED_TOKENS}"
        ) from None
    value = float(number * _MULTIPLIERS[suffix])
    if match["sign"] == "-" and value != 0.0:
        raise DataError(
            f"{text_or_number!r} is negative; a token quantity is >= 0: give {_ACCEPTED_TOKENS}"
        )
    _check_quantity(value, text_or_number)
    return value


def _check_quantity(value: float, original: object) -> None:
    if math.isnan(value) or math.isinf(value):
        raise DataError(f"{original!r} is not a finite quantity; give {_ACCEPTED_TOKENS}")
    if value < 0:
        raise DataError(
            f"{original!r} is negative; a token quantity is >= 0: give {_ACCEPTED_TOKENS}"
        )


_FORMAT_STEPS: Final[tuple[tuple[float, str], ...]] = (
    (1e15, "Q"),
    (1e12, "T"),
    (1e9, "B"),
    (1e6, "M"),
    (1e3, "K"),
    (1.0, ""),
)


def format_tokens(value: float, digits: int = 3) -> str:
    """Write a token quantity compactly: ``"28.9T"``, ``"1.3Q"``, ``"500B"``, ``"12"``.

    The inverse of :func:`parse_tokens` to the precision shown: the value is rounded to
    ``digits`` significant digits, trailing zeros are dropped and the largest suffix
    (K = 1e3, M = 1e6, B = 1e9, T = 1e12, Q = 1e15) that keeps the number at least 1 is
    used. Negative values get a leading ``-`` (useful for differences on axes) although
    :func:`parse_tokens` rejects them.

    Parameters
    ----------
    value
        Tokens (or tokens per day: the suffixes are the same).
    digits
        Significant digits to keep, at least 1.

    Returns
    -------
    str

    Raises
    ------
    DataError
        If ``value`` is NaN or infinite.
    ValueError
        If ``digits`` is smaller than 1.

    Examples
    --------
    >>> format_tokens(2.89e13), format_tokens(1.3e15), format_tokens(5e11)
    ('28.9T', '1.3Q', '500B')
    >>> format_tokens(1.2e8), format_tokens(1500), format_tokens(12)
    ('120M', '1.5K', '12')
    >>> format_tokens(999_960_000_000)
    '1T'
    >>> parse_tokens(format_tokens(2.894e13))
    28900000000000.0
    """
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
        raise ValueError(f"digits must be an integer >= 1, got {digits!r}")
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise DataError(f"{value!r} is not a finite token quantity and cannot be formatted")
    if number == 0.0:
        return "0"
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    rounded = float(f"{magnitude:.{digits - 1}e}")  # round to significant digits first
    for size, suffix in _FORMAT_STEPS:
        if rounded >= size or size == 1.0:
            mantissa = np.format_float_positional(
                rounded / size, precision=digits, unique=False, fractional=False, trim="-"
            )
            return f"{sign}{mantissa}{suffix}"
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------------------
# rates

Period = Literal["minute", "hour", "day", "week", "month", "quarter", "year"]
"""A canonical rate period, as :func:`parse_rate` returns it."""

PERIODS: Final[tuple[Period, ...]] = ("minute", "hour", "day", "week", "month", "quarter", "year")
"""The rate periods, shortest first."""

_PERIOD_ALIASES: Final[dict[str, Period]] = {
    **dict.fromkeys(("min", "mins", "minute", "minutes", "minutely"), "minute"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "hourly"), "hour"),
    **dict.fromkeys(("d", "day", "days", "daily"), "day"),
    **dict.fromkeys(("wk", "wks", "week", "weeks", "weekly"), "week"),
    **dict.fromkeys(("mo", "mon", "mth", "month", "months", "monthly"), "month"),
    **dict.fromkeys(("qtr", "quarter", "quarters", "quarterly"), "quarter"),
    **dict.fromkeys(
        ("y", "yr", "yrs", "year", "years", "yearly", "annum", "annual", "annually"), "year"
    ),
}

_FIXED_DAYS: Final[dict[Period, float]] = {
    "minute": 1.0 / 1440.0,
    "hour": 1.0 / 24.0,
    "day": 1.0,
    "week": 7.0,
    "month": DAYS_PER_YEAR / 12.0,
    "quarter": DAYS_PER_YEAR / 4.0,
    "year": DAYS_PER_YEAR,
}

_ACCEPTED_RATES: Final[str] = (
    "a rate such as 'tokens/day', 'tokens/week', 'tokens per minute', 'tokens/month', "
    "'tokens/quarter', '/yr' (a trailing parenthetical like '(annualized run-rate)' is ignored)"
)

_PARENTHETICAL_RE: Final[re.Pattern[str]] = re.compile(r"\([^()]*\)")
_RATE_RE: Final[re.Pattern[str]] = re.compile(
    r"^(?:tokens?)?\s*(?:/|\bper\b|\ba\b|\beach\b)?\s*(?P<period>[a-z]+)$"
)


def parse_rate(unit_text: str) -> Period:
    """Read a rate unit and return its canonical period.

    Parameters
    ----------
    unit_text
        ``"tokens/day"``, ``"tokens per week"``, ``"tokens/month"``, ``"/yr"``,
        ``"tokens daily"``... Case and spaces do not matter; parenthetical qualifiers such
        as ``"(annualized run-rate)"`` or ``"(derived)"`` are ignored.

    Returns
    -------
    str
        One of :data:`PERIODS`.

    Raises
    ------
    DataError
        If the text is not a token rate (``"tokens"`` alone is a quantity, not a rate).

    Examples
    --------
    >>> parse_rate("tokens/week"), parse_rate("tokens per minute"), parse_rate("/yr")
    ('week', 'minute', 'year')
    >>> parse_rate("tokens/year (annualized run-rate)")
    'year'
    """
    if not isinstance(unit_text, str):
        raise DataError(f"{unit_text!r} is not a rate unit; give {_ACCEPTED_RATES}")
    core = _PARENTHETICAL_RE.sub(" ", unit_text).strip().lower()
    core = re.sub(r"\s+", " ", core)
    match = _RATE_RE.match(core)
    if match is None or match["period"] not in _PERIOD_ALIASES:
        raise DataError(f"{unit_text!r} is not a rate unit; give {_ACCEPTED_RATES}")
    return _PERIOD_ALIASES[match["period"]]


def _period_days_on(period: Period, day: pd.Timestamp) -> int:
    """Days in the calendar month, quarter or year containing ``day``."""
    if period == "month":
        return calendar.monthrange(day.year, day.month)[1]
    if period == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        return sum(calendar.monthrange(day.year, m)[1] for m in range(first_month, first_month + 3))
    return 366 if calendar.isleap(day.year) else 365


def to_tokens_per_day(
    value: float | str,
    per: str,
    period_start: Any = None,
    period_end: Any = None,
) -> float:
    """Convert a token rate per ``per`` to tokens per day.

    Minutes, hours, days and weeks have fixed lengths (x1440, x24, x1, /7). Months,
    quarters and years follow the calendar when the dates are known: a rate on a day is
    divided by the length of the month (quarter, year) containing that day, and a rate
    over the inclusive period ``period_start..period_end`` by the average of those lengths
    over the days of the period. A per-month figure for 2026-03-01..2026-03-31 is thus
    divided by 31, one for February 2024 by 29, and one for March and April 2026 together
    by 61 / 2. Without any date the average lengths are used: a month is
    ``DAYS_PER_YEAR / 12`` = 30.4375 days, a quarter ``DAYS_PER_YEAR / 4``, a year
    :data:`DAYS_PER_YEAR`.

    Parameters
    ----------
    value
        The rate: a number or any text :func:`parse_tokens` reads (``"480T"``).
    per
        A canonical period (:data:`PERIODS`) or any unit text :func:`parse_rate` reads
        (``"tokens/month"``).
    period_start, period_end
        Inclusive dates the rate refers to. Give one of them (or both equal) for a rate on
        a single day.

    Returns
    -------
    float
        Tokens per day.

    Raises
    ------
    DataError
        For an invalid quantity, unit or date, or ``period_end`` before ``period_start``.

    Examples
    --------
    >>> to_tokens_per_day(6e9, "minute")
    8640000000000.0
    >>> to_tokens_per_day("7T", "tokens/week")
    1000000000000.0
    >>> to_tokens_per_day("31T", "month", "2026-03-01", "2026-03-31")
    1000000000000.0
    >>> to_tokens_per_day("29T", "tokens/month", "2024-02-10")
    1000000000000.0
    >>> to_tokens_per_day(30.4375, "month")
    1.0
    """
    tokens = parse_tokens(value)
    period = parse_rate(per)
    if period in ("minute", "hour", "day", "week"):
        return tokens / _FIXED_DAYS[period]
    if period_start is None and period_end is None:
        return tokens / _FIXED_DAYS[period]
    start = to_day(period_start if period_start is not None else period_end, "period_start")
    end = to_day(period_end if period_end is not None else period_start, "period_end")
    if end < start:
        raise DataError(
            f"period_end {end.date()} is before period_start {start.date()}; "
            "swap them or fix the dates"
        )
    # mean over the days of the period of 1 / (length of the month containing the day),
    # computed exactly so that a whole March gives tokens / 31 to the last bit
    days = pd.date_range(start, end, freq="D")
    lengths = Counter(_period_days_on(period, day) for day in days)
    share = sum((Fraction(count, length) for length, count in lengths.items()), Fraction(0))
    return float(Fraction(tokens) * share / len(days))
