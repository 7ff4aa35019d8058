"""The optional launch column: a product's public launch day, read, checked and written back."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.observations.helpers import HEADER, make, problems_of, read_text
from tokendemand.errors import DataError
from tokendemand.observations import COLUMNS, Observations, read_observations

WITH_LAUNCH = HEADER.replace(",note", ",launch,note")


def test_launch_is_a_schema_column_after_proxy() -> None:
    assert COLUMNS.index("launch") == COLUMNS.index("proxy") + 1


def test_launch_is_read_as_a_day_and_round_trips_through_csv_and_frame() -> None:
    observations = read_text(
        "ernie,china,point,2024-05-16,,,,,250B,tokens/day,call,,medium,,2023-08-31,",
        "ernie,china,point,2024-08-22,,,,,1T,tokens/day,call,,medium,lower,2023-08-31,",
        "china_national,china,point,2025-06-30,,,,,30T,tokens/day,NDA,,high,,,",
        header=WITH_LAUNCH,
    )
    assert [o.launch for o in observations] == [pd.Timestamp("2023-08-31")] * 2 + [None]
    assert observations.launches.tolist() == [pd.Timestamp("2023-08-31")] * 2 + [None]
    text = observations.to_csv()
    assert text is not None and "2023-08-31" in text.splitlines()[1]
    assert read_observations(io.StringIO(text)) == observations
    frame = observations.to_frame()
    assert frame["launch"].dtype.kind == "M"
    assert frame["launch"].iloc[0] == pd.Timestamp("2023-08-31") and pd.isna(frame["launch"][2])
    assert read_observations(frame) == observations
    assert len(observations.filter(launched=True)) == 2
    assert observations.filter(launched=False).series.tolist() == ["china_national"]


def test_a_file_without_the_launch_column_still_reads_as_mature() -> None:
    observations = read_text("doubao,china,point,2026-03-31,,,,,120T,tokens/day,x,,high,,")
    assert observations[0].launch is None
    assert "launch" not in HEADER


def test_a_launch_after_the_first_day_of_the_figure_is_an_error_naming_the_row() -> None:
    message = problems_of(
        "ernie,china,point,2024-05-16,,,,,250B,tokens/day,call,,medium,,2024-06-01,",
        header=WITH_LAUNCH,
    )
    assert "row 1, launch: launch 2024-06-01 is after the figure's first day 2024-05-16" in message
    assert "leave launch empty for a mature series" in message
    # a ratio's first day is the start of its base period
    message = problems_of(
        "p,china,ratio,2024-06-30,,,2024-03-31,2024-03-31,2,ratio,x,,medium,,2024-05-01,",
        header=WITH_LAUNCH,
    )
    assert "row 1, launch" in message and "first day 2024-03-31" in message
    with pytest.raises(DataError, match="launch 2024-06-01 is after"):
        make(start="2024-05-16", launch="2024-06-01")
    assert make(start="2024-05-16", launch="2024-05-16").launch == pd.Timestamp("2024-05-16")


def test_an_unreadable_launch_is_an_error() -> None:
    message = problems_of(
        "ernie,china,point,2024-05-16,,,,,250B,tokens/day,call,,medium,,Aug 2023,",
        header=WITH_LAUNCH,
    )
    assert "row 1, launch" in message and "YYYY-MM-DD" in message


def test_figures_of_one_series_with_different_launches_are_an_error_naming_the_rows() -> None:
    message = problems_of(
        "ernie,china,point,2024-05-16,,,,,250B,tokens/day,call,,medium,,2023-08-31,",
        "other,china,point,2024-05-16,,,,,1T,tokens/day,call,,medium,,,",
        "ernie,china,point,2024-08-22,,,,,1T,tokens/day,call,,medium,lower,2023-03-16,",
        "ernie,china,point,2024-09-22,,,,,2T,tokens/day,call,,medium,,,",
        header=WITH_LAUNCH,
    )
    assert "rows 1, 3, 4: series 'ernie' of market 'china' has different launch dates" in message
    assert "launch 2023-08-31 in row 1; launch 2023-03-16 in row 3; launch none in row 4" in (
        message
    )
    assert "'other'" not in message
    # the same series name in another market is another series
    read_text(
        "ernie,china,point,2024-05-16,,,,,250B,tokens/day,call,,medium,,2023-08-31,",
        "ernie,global,point,2024-05-16,,,,,250B,tokens/day,call,,medium,,,",
        header=WITH_LAUNCH,
    )


def test_combining_collections_checks_the_launches_too() -> None:
    launched = Observations([make(start="2024-05-16", launch="2023-08-31")])
    mature = Observations([make(start="2024-08-22")])
    with pytest.raises(DataError, match=r"launch 2023-08-31 in observations\[0\]; launch none"):
        launched + mature
    assert len(launched + Observations([make(start="2024-08-22", launch="2023-08-31")])) == 2
