"""Observations, the collection: sequence protocol, arrays, frames, filters and CSV."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.observations.helpers import make, read_text
from tokendemand.errors import DataError
from tokendemand.observations import COLUMNS, Observation, Observations, read_observations


@pytest.fixture
def sample() -> Observations:
    return read_text(
        "doubao,china,point,2026-03-31,,,,,120T,tokens/day,Volcano Engine,,high,,",
        "doubao,china,ratio,2026-03-31,,,2025-12-31,2025-12-31,2,ratio,press,,,lower,",
        "openrouter_total,openrouter,total,,2026-05-18,2026-05-24,,,28.9T,tokens,press,,,,",
        "china_national,china,mean,,2026-03-01,2026-03-31,,,140T,tokens/day,NDA,,low,lower,",
    )


def test_collection_protocol(sample: Observations) -> None:
    assert len(sample) == 4
    assert [obs.series for obs in sample][:2] == ["doubao", "doubao"]
    assert isinstance(sample[0], Observation)
    assert isinstance(sample[1:3], Observations) and len(sample[1:3]) == 2
    assert sample[-1].series == "china_national"
    assert sample[:2] + sample[2:] == sample
    assert sample != sample[:3]
    assert sample != "not observations"
    assert hash(sample) == hash(sample[:2] + sample[2:])
    assert "n=4" in repr(sample)
    with pytest.raises(TypeError, match="not an Observation"):
        Observations([sample[0], "x"])  # type: ignore[list-item]


def test_adding_duplicates_is_rejected(sample: Observations) -> None:
    with pytest.raises(DataError, match=r"observations\[0\] and \[4\]: exact duplicates"):
        sample + sample[:1]


def test_arrays(sample: Observations) -> None:
    assert sample.values.dtype == np.float64
    assert sample.kinds.tolist() == ["point", "ratio", "total", "mean"]
    assert sample.markets.tolist() == ["china", "china", "openrouter", "china"]
    assert sample.series.tolist()[2] == "openrouter_total"
    assert sample.sources.tolist()[0] == "Volcano Engine"
    assert sample.confidence.tolist() == ["high", "medium", "medium", "low"]
    assert (sample.bounds == "lower").tolist() == [False, True, False, True]
    assert sample.bounds[0] is None


def test_to_frame(sample: Observations) -> None:
    frame = sample.to_frame()
    assert list(frame.columns[:7]) == [
        "series",
        "market",
        "kind",
        "value",
        "start",
        "end",
        "source",
    ]
    assert {"base_start", "base_end", "confidence", "bound", "unit", "days"} <= set(frame.columns)
    assert frame["days"].tolist() == [1, 1, 7, 31]
    assert frame["bound"].tolist() == [None, "lower", None, "lower"]
    assert pd.isna(frame["base_start"][0])
    assert frame["base_start"][1] == pd.Timestamp("2025-12-31")
    assert Observations().to_frame().shape[0] == 0


def test_filter(sample: Observations) -> None:
    assert len(sample.filter(market="china")) == 3
    assert len(sample.filter(series=["doubao", "china_national"], kind="ratio")) == 1
    assert len(sample.filter(source="PRESS")) == 2  # case-insensitive substring
    assert len(sample.filter(confidence="low")) == 1
    assert len(sample.filter(market="china", kind="total")) == 0
    with pytest.raises(DataError, match=r"no series 'dubao'.*doubao"):
        sample.filter(series="dubao")
    with pytest.raises(DataError, match="no kind 'level'"):
        sample.filter(kind="level")


def test_date_range_includes_ratio_base_periods(sample: Observations) -> None:
    assert sample.date_range() == (pd.Timestamp("2025-12-31"), pd.Timestamp("2026-05-24"))
    with pytest.raises(DataError, match="no observations"):
        Observations().date_range()


def test_to_csv_writes_the_schema_and_reads_back(sample: Observations, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert sample.to_csv(path) is None
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert "28.9T" in text  # the value as written
    again = read_observations(path)
    assert again == sample
    assert [o.value_text for o in again] == [o.value_text for o in sample]
    assert sample.to_csv() == text


def test_hand_built_observations_round_trip() -> None:
    obs = Observations(
        [
            make("point", 1.2e14),
            make(
                "ratio",
                1.074,
                "2026-05-18",
                end="2026-05-24",
                base_start="2026-05-11",
                base_end="2026-05-17",
            ),
            make("share", 0.319, series="china_models"),
        ]
    )
    text = obs.to_csv()
    assert text is not None
    assert read_observations(io.StringIO(text)) == obs
