"""Token quantities and rates: parsing, formatting and conversion to tokens per day."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokendemand.units as units
from tokendemand.dates import DAYS_PER_YEAR, days_since
from tokendemand.errors import DataError
from tokendemand.units import (
    PERIODS,
    format_tokens,
    parse_rate,
    parse_tokens,
    to_tokens_per_day,
)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(units, raise_on_error=False)
    assert result.attempted > 10
    assert result.failed == 0


def test_days_since_is_unchanged() -> None:
    assert days_since(["2026-03-30", "2026-04-01"], "2026-03-31").tolist() == [-1.0, 1.0]
    assert DAYS_PER_YEAR == 365.25


# ---------------------------------------------------------------------------- parse_tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28.9T", 28.9e12),
        ("28.9 trillion", 28.9e12),
        ("28.9 Trillion tokens", 28.9e12),
        ("1.3 quadrillion", 1.3e15),
        ("500B", 500e9),
        ("500bn", 500e9),
        ("120 billion", 120e9),
        ("9.22万亿", 9.22e12),
        ("5亿", 5e8),
        ("140万亿", 140e12),
        ("1200亿", 120e9),
        ("3千亿", 3e11),
        ("1.2e14", 1.2e14),
        ("1.2E+14 tokens", 1.2e14),
        ("3 million", 3e6),
        ("6M", 6e6),
        ("6m", 6e6),
        ("1.5K", 1500.0),
        ("1.5k", 1500.0),
        ("2 thousand", 2000.0),
        ("2Q", 2e15),
        ("7tn", 7e12),
        ("1,200,000", 1.2e6),
        ("1,200,000 tokens", 1.2e6),
        ("1,234.5", 1234.5),
        ("  42  ", 42.0),
        ("42 token", 42.0),
        ("28.9Ttokens", 28.9e12),
        (".5K", 500.0),
        ("+3T", 3e12),
        ("0", 0.0),
        ("0T", 0.0),
        (12, 12.0),
        (3.5, 3.5),
        (0, 0.0),
        (np.int64(7), 7.0),
        (np.float32(2.5), 2.5),
    ],
)
def test_parse_tokens_accepts(text: object, expected: float) -> None:
    assert parse_tokens(text) == pytest.approx(expected, rel=1e-15)


def test_parse_tokens_is_exact_for_decimal_text() -> None:
    # the mantissa is read as a decimal, so '28.9T' is the float nearest 2.89e13
    assert parse_tokens("28.9T") == 2.89e13
    assert parse_tokens("9.22万亿") == 9.22e12
    assert parse_tokens("20.6T") == 2.06e13


@pytest.mark.parametrize(
    "bad",
    [
        "-5T",
        "-1",
        -1,
        -0.5,
        float("nan"),
        float("inf"),
        "nan",
        "inf",
        "",
        "   ",
        "abc",
        "5X",
        "5 zillion",
        "1.5e",
        "1,2",
        "12,34,567",
        "5 T T",
        "tokens",
        "T5",
        True,
        False,
        None,
        [5],
    ],
)
def test_parse_tokens_rejects_and_quotes_the_input(bad: object) -> None:
    with pytest.raises(DataError) as caught:
        parse_tokens(bad)
    message = str(caught.value)
    assert repr(bad) in message
    assert "28.9T" in message  # the accepted forms are listed


def test_parse_tokens_names_the_unknown_suffix() -> None:
    with pytest.raises(DataError, match="unknown suffix 'X'"):
        parse_tokens("5X")


# --------------------------------------------------------------------------- format_tokens


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (28.9e12, "28.9T"),
        (1.3e15, "1.3Q"),
        (500e9, "500B"),
        (120e6, "120M"),
        (1500.0, "1.5K"),
        (12.0, "12"),
        (0.0, "0"),
        (0.5, "0.5"),
        (999.0, "999"),
        (1000.0, "1K"),
        (999_960_000_000.0, "1T"),  # rounding carries into the next suffix
        (2.894e13, "28.9T"),
        (1.2e18, "1200Q"),
        (-28.9e12, "-28.9T"),
    ],
)
def test_format_tokens(value: float, expected: str) -> None:
    assert format_tokens(value) == expected


def test_format_tokens_digits() -> None:
    assert format_tokens(28_937e9, digits=5) == "28.937T"
    assert format_tokens(28_937e9, digits=1) == "30T"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_format_tokens_rejects_non_finite(bad: float) -> None:
    with pytest.raises(DataError, match="not a finite"):
        format_tokens(bad)


@pytest.mark.parametrize("digits", [0, -1, 1.5, True])
def test_format_tokens_rejects_bad_digits(digits: object) -> None:
    with pytest.raises(ValueError, match="digits"):
        format_tokens(1.0, digits=digits)  # type: ignore[arg-type]


@given(
    value=st.floats(min_value=1e-6, max_value=1e21, allow_nan=False, allow_infinity=False),
    digits=st.integers(min_value=1, max_value=8),
)
def test_format_then_parse_round_trips_to_the_shown_precision(value: float, digits: int) -> None:
    text = format_tokens(value, digits=digits)
    back = parse_tokens(text)
    # rounding to `digits` significant digits moves the value by at most half a unit in
    # the last shown place
    half_unit = 0.5 * 10 ** (math.floor(math.log10(value)) - digits + 1)
    assert abs(back - value) <= half_unit * (1 + 1e-9)
    # and what is shown is stable
    assert format_tokens(back, digits=digits) == text


# ------------------------------------------------------------------------------- parse_rate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tokens/minute", "minute"),
        ("tokens per minute", "minute"),
        ("tokens/min", "minute"),
        ("tokens/hour", "hour"),
        ("tokens per hour", "hour"),
        ("tokens/day", "day"),
        ("Tokens/Day", "day"),
        ("tokens a day", "day"),
        ("daily", "day"),
        ("tokens/day (derived)", "day"),
        ("tokens/day (upper bound, derived)", "day"),
        ("tokens/week", "week"),
        ("tokens / week", "week"),
        ("tokens/wk", "week"),
        ("tokens/week (approx peak)", "week"),
        ("tokens/month", "month"),
        ("tokens per month", "month"),
        ("tokens/quarter", "quarter"),
        ("tokens/quarter (derived)", "quarter"),
        ("tokens/year", "year"),
        ("/yr", "year"),
        ("tokens/year (annualized run-rate)", "year"),
        ("per annum", "year"),
        ("day", "day"),
    ],
)
def test_parse_rate_accepts(text: str, expected: str) -> None:
    assert parse_rate(text) == expected
    assert parse_rate(text) in PERIODS


@pytest.mark.parametrize(
    "bad", ["tokens", "", "tokens/fortnight", "tokens/2 days", "dollars", "tokens/day/week", 5]
)
def test_parse_rate_rejects(bad: object) -> None:
    with pytest.raises(DataError) as caught:
        parse_rate(bad)  # type: ignore[arg-type]
    assert repr(bad) in str(caught.value)
    assert "tokens/day" in str(caught.value)


# ------------------------------------------------------------------------ to_tokens_per_day


@pytest.mark.parametrize(
    ("per", "factor"),
    [("minute", 1440.0), ("hour", 24.0), ("day", 1.0), ("week", 1 / 7)],
)
def test_fixed_length_periods(per: str, factor: float) -> None:
    assert to_tokens_per_day(7e9, per) == pytest.approx(7e9 * factor, rel=1e-15)
    # dates do not change fixed-length periods
    assert to_tokens_per_day(7e9, per, "2024-02-01", "2024-02-29") == pytest.approx(
        7e9 * factor, rel=1e-15
    )


def test_without_dates_months_quarters_and_years_use_average_lengths() -> None:
    assert to_tokens_per_day(DAYS_PER_YEAR / 12, "month") == pytest.approx(1.0, rel=1e-15)
    assert to_tokens_per_day(DAYS_PER_YEAR / 4, "quarter") == pytest.approx(1.0, rel=1e-15)
    assert to_tokens_per_day(DAYS_PER_YEAR, "tokens/year") == pytest.approx(1.0, rel=1e-15)


def test_calendar_aware_months() -> None:
    # a per-month figure for a whole March divides by 31, exactly
    assert to_tokens_per_day("480T", "tokens/month", "2026-03-01", "2026-03-31") == 480e12 / 31
    # February 2024 (leap year) has 29 days, February 2026 has 28
    assert to_tokens_per_day(29.0, "month", "2024-02-01", "2024-02-29") == 1.0
    assert to_tokens_per_day(28.0, "month", "2026-02-01", "2026-02-28") == 1.0
    # a single date: the length of that date's month, whichever argument carries it
    assert to_tokens_per_day(29.0, "month", "2024-02-10") == 1.0
    assert to_tokens_per_day(29.0, "month", period_end="2024-02-10") == 1.0
    assert to_tokens_per_day(30.0, "month", "2026-04-15", "2026-04-15") == 1.0
    # two whole months: a per-month rate is (2 months) / (61 days) per day
    assert to_tokens_per_day(61.0, "month", "2026-03-01", "2026-04-30") == pytest.approx(2.0)
    # part of two months: mean over days of 1 / (length of the day's month)
    expected = (1 * (1 / 31) + 1 * (1 / 30)) / 2
    assert to_tokens_per_day(1.0, "month", "2026-03-31", "2026-04-01") == pytest.approx(expected)


def test_calendar_aware_quarters_and_years() -> None:
    assert to_tokens_per_day(90.0, "quarter", "2025-01-01", "2025-03-31") == 1.0
    assert to_tokens_per_day(91.0, "quarter", "2024-02-10") == 1.0  # Q1 2024: 31+29+31
    assert to_tokens_per_day(92.0, "quarter", "2025-08-01") == 1.0  # Q3: 31+31+30
    assert to_tokens_per_day(366.0, "year", "2024-07-01") == 1.0
    assert to_tokens_per_day(365.0, "tokens/year (annualized run-rate)", "2025-07-01") == 1.0


def test_to_tokens_per_day_rejects_bad_input() -> None:
    with pytest.raises(DataError, match="before"):
        to_tokens_per_day(1.0, "month", "2026-03-31", "2026-03-01")
    with pytest.raises(DataError, match="not a date"):
        to_tokens_per_day(1.0, "month", "someday")
    with pytest.raises(DataError, match="not a rate unit"):
        to_tokens_per_day(1.0, "tokens")
    with pytest.raises(DataError, match="negative"):
        to_tokens_per_day(-1.0, "day")
