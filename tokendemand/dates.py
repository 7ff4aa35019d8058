"""Dates: the one place a date is read, written and measured.

Every date tokendemand takes (a figure's day or period, a reference date, a scenario's start, a
backtest cutoff, a projection's end) is read by :func:`to_day` into a midnight, timezone-naive
:class:`pandas.Timestamp`; every date it writes goes through :func:`iso` or :func:`span`;
every distance between dates is :func:`days_since`. The caller chooses the error a bad date
raises: :class:`~tokendemand.errors.DataError` for figures and files,
:class:`~tokendemand.errors.ConfigError` for options and scenarios.

Examples
--------
>>> to_day("2026-03-31", "reference_date")
Timestamp('2026-03-31 00:00:00')
>>> span(to_day("2026-05-18", "start"), to_day("2026-05-24", "end"))
'2026-05-18..2026-05-24'
>>> days_since(["2026-03-30", "2026-04-01"], "2026-03-31").tolist()
[-1.0, 1.0]
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.errors import DataError, TokenDemandError

__all__ = ["DAYS_PER_YEAR", "DateLike", "days_since", "iso", "span", "to_day"]

DateLike = str | _dt.date | pd.Timestamp | np.datetime64
"""What a date may be given as: ``"YYYY-MM-DD"`` text, a date, a Timestamp or a datetime64."""

DAYS_PER_YEAR: Final[float] = 365.25
"""Length of the year that every annual rate refers to (Julian year, in days)."""

_DATE_RE: Final[re.Pattern[str]] = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HOW: Final = "write YYYY-MM-DD, e.g. 2026-03-31"


def to_day(
    value: object,
    what: str = "",
    error: type[TokenDemandError] = DataError,
    *,
    whole: bool = False,
) -> pd.Timestamp:
    """Read one date as a midnight, timezone-naive Timestamp.

    Parameters
    ----------
    value
        Text ``YYYY-MM-DD``, a :class:`datetime.date` or ``datetime``, a Timestamp or a
        ``numpy.datetime64``. Numbers are refused (``20260331`` is not read as a date).
    what
        What the date is (a field, a row, an option), named first in the error message;
        empty where the caller names it already.
    error
        The exception class raised for a bad date (``DataError`` or ``ConfigError``).
    whole
        Refuse a time of day or a time zone instead of dropping the time (figures are whole
        days); text must then be exactly ``YYYY-MM-DD``.

    Returns
    -------
    pandas.Timestamp
        Midnight of the day.

    Raises
    ------
    TokenDemandError
        Of class ``error``: what was wrong and how to write the date.
    """
    head = f"{what}: " if what else ""
    if isinstance(value, str):
        text = value.strip()
        if whole and not _DATE_RE.match(text):
            raise error(f"{head}{value!r} is not a date; {_HOW}")
        candidate: object = text
    elif isinstance(value, pd.Timestamp | _dt.datetime | _dt.date | np.datetime64):
        candidate = value
    else:
        raise error(f"{head}{value!r} is not a date; {_HOW}")
    try:
        stamp: Any = pd.Timestamp(candidate)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        if whole and isinstance(candidate, str):  # shaped like a date: month or day is off
            raise error(f"{head}{value!r} is not a calendar date; check month and day") from None
        raise error(f"{head}{value!r} is not a date; {_HOW}") from None
    if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
        raise error(f"{head}a date is missing; {_HOW}")
    if stamp.tzinfo is not None:
        if whole:
            raise error(f"{head}{value!r} has a time zone; give a plain date (YYYY-MM-DD)")
        stamp = stamp.tz_localize(None)
    if whole and stamp != stamp.normalize():
        raise error(f"{head}{value!r} has a time of day; give a whole date (YYYY-MM-DD)")
    day: pd.Timestamp = stamp.normalize()
    return day


def iso(day: pd.Timestamp | None) -> str:
    """``YYYY-MM-DD`` of ``day``; empty text for ``None``."""
    return "" if day is None else day.date().isoformat()


def span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """``start..end`` as text, or the one day when they are the same."""
    return iso(start) if start == end else f"{iso(start)}..{iso(end)}"


def days_since(dates: Any, reference_date: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Days from ``reference_date`` to each of ``dates`` (negative before it).

    Parameters
    ----------
    dates
        Anything :func:`pandas.to_datetime` accepts: one date or many.
    reference_date
        The date where ``t = 0``.

    Returns
    -------
    numpy.ndarray
        Float days, at least one-dimensional; fractions of a day are kept.
    """
    index = pd.DatetimeIndex(np.atleast_1d(pd.to_datetime(dates)))
    delta = (index - pd.Timestamp(reference_date)) / pd.Timedelta(days=1)
    return np.asarray(delta, dtype=np.float64)
