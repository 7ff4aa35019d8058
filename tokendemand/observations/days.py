"""Days: reading a date of the schema (``YYYY-MM-DD``, or a date-like object) as a midnight
Timestamp, and writing a day or a period back as text."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.errors import DataError

_DATE_RE: Final[re.Pattern[str]] = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start == end:
        return start.date().isoformat()
    return f"{start.date().isoformat()}..{end.date().isoformat()}"


def _to_day(raw: object) -> pd.Timestamp:
    """A midnight, timezone-naive Timestamp, or DataError saying why not."""
    if isinstance(raw, str):
        text = raw.strip()
        if not _DATE_RE.match(text):
            raise DataError(f"{raw!r} is not a date; write YYYY-MM-DD, e.g. 2026-03-31")
        try:
            return pd.Timestamp(text)
        except ValueError:
            raise DataError(f"{raw!r} is not a calendar date; check month and day") from None
    if isinstance(raw, pd.Timestamp | _dt.datetime | _dt.date | np.datetime64):
        stamp: Any = pd.Timestamp(raw)
        if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
            raise DataError(f"{raw!r} is not a date; write YYYY-MM-DD, e.g. 2026-03-31")
        if stamp.tzinfo is not None:
            raise DataError(f"{raw!r} has a time zone; give a plain date (YYYY-MM-DD)")
        if stamp != stamp.normalize():
            raise DataError(f"{raw!r} has a time of day; give a whole date (YYYY-MM-DD)")
        return stamp
    raise DataError(f"{raw!r} is not a date; write YYYY-MM-DD, e.g. 2026-03-31")


def _iso(day: pd.Timestamp | None) -> str:
    return "" if day is None else day.date().isoformat()
