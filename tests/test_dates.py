"""The one date module: reading, writing and measuring dates, each caller's error class."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tokendemand.dates import days_since, iso, span, to_day
from tokendemand.errors import ConfigError, DataError


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-31",
        " 2026-03-31 ",
        dt.date(2026, 3, 31),
        pd.Timestamp("2026-03-31"),
        np.datetime64("2026-03-31"),
    ],
)
def test_every_date_form_reads_as_midnight(value: object) -> None:
    assert to_day(value, "x") == pd.Timestamp("2026-03-31")


def test_a_time_of_day_is_dropped_unless_whole_days_are_required() -> None:
    assert to_day(pd.Timestamp("2026-03-31 13:00"), "x") == pd.Timestamp("2026-03-31")
    with pytest.raises(DataError, match="time of day"):
        to_day(pd.Timestamp("2026-03-31 13:00"), "x", whole=True)
    with pytest.raises(DataError, match="time zone"):
        to_day(pd.Timestamp("2026-03-31", tz="UTC"), "x", whole=True)
    with pytest.raises(DataError, match="not a date"):
        to_day("31/03/2026", "x", whole=True)


@pytest.mark.parametrize("value", [20260331, 1.5, True, None, "soon", "2026-02-30", pd.NaT])
@pytest.mark.parametrize("error", [DataError, ConfigError])
def test_bad_dates_raise_the_callers_error_naming_the_field(
    value: object, error: type[DataError] | type[ConfigError]
) -> None:
    with pytest.raises(error, match=r"^cutoff: .*(date|YYYY-MM-DD)"):
        to_day(value, "cutoff", error)


def test_writing_and_measuring() -> None:
    day = pd.Timestamp("2026-05-18")
    assert iso(day) == "2026-05-18" and iso(None) == ""
    assert span(day, day) == "2026-05-18"
    assert span(day, pd.Timestamp("2026-05-24")) == "2026-05-18..2026-05-24"
    assert days_since("2027-03-31", "2026-03-31").tolist() == [365.0]
    assert days_since(pd.Timestamp("2026-03-31 12:00"), "2026-03-31").tolist() == [0.5]
