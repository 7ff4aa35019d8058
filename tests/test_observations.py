"""Observations: reading, validation (every problem at once), the collection, the operator."""

from __future__ import annotations

import doctest
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokendemand.observations as observations_module
from tokendemand.errors import DataError
from tokendemand.observations import (
    COLUMNS,
    KINDS,
    Observation,
    Observations,
    aggregation_weights,
    daily_grid,
    read_observations,
)
from tokendemand.units import format_tokens

HEADER = (
    "series,market,kind,date,period_start,period_end,base_start,base_end,"
    "value,unit,source,url,confidence,bound,note"
)


def read_text(*rows: str, header: str = HEADER, **kwargs: Any) -> Observations:
    return read_observations(io.StringIO("\n".join((header, *rows)) + "\n"), **kwargs)


def problems_of(*rows: str, header: str = HEADER, **kwargs: Any) -> str:
    with pytest.raises(DataError) as caught:
        read_text(*rows, header=header, **kwargs)
    return str(caught.value)


def make(kind: str = "point", value: float = 1e12, start: str = "2026-03-31", **kw: Any) -> Any:
    return Observation(
        kw.pop("series", "s"),
        kw.pop("market", "m"),
        kind,  # type: ignore[arg-type]
        value,
        start,  # type: ignore[arg-type]
        kw.pop("end", start),
        source=kw.pop("source", "src"),
        **kw,
    )


def test_docstring_examples_run() -> None:
    result = doctest.testmod(observations_module, raise_on_error=False)
    assert result.attempted >= 10
    assert result.failed == 0


# ------------------------------------------------------------------------- reading, valid


def test_reads_every_kind_in_canonical_units() -> None:
    obs = read_text(
        "a,m,point,2026-03-31,,,,,120T,tokens/day,src,,high,,",
        "a,m,mean,,2026-03-01,2026-03-31,,,140万亿,tokens/day,src,,,lower,",
        "a,m,total,,2026-05-18,2026-05-24,,,28.9T,tokens,src,,,,",
        "a,m,ratio,,2026-05-18,2026-05-24,2026-05-11,2026-05-17,1.074,ratio,src,,,,",
        "a,m,ratio,2026-03-31,,,2025-12-31,2025-12-31,2,ratio,src,,,lower,doubled",
        "b,m,share,2026-05-20,,,,,31.9,%,src,,,,",
        "a,m,penetration,,2026-01-01,2026-03-31,,,0.08,fraction,src,,low,,",
        "a,m,agent_share,2026-03-31,,,,,0.5,fraction,src,,,upper,",
        "g,google,point,2025-05-20,,,,,480 trillion,tokens/month,src,,,,",
        "o,openai,point,2025-10-06,,,,,6 billion,tokens per minute,src,,,,",
    )
    assert list(obs.kinds) == [
        "point",
        "mean",
        "total",
        "ratio",
        "ratio",
        "share",
        "penetration",
        "agent_share",
        "point",
        "point",
    ]
    assert obs.values.tolist() == pytest.approx(
        [1.2e14, 1.4e14, 2.89e13, 1.074, 2.0, 0.319, 0.08, 0.5, 480e12 / 31, 6e9 * 1440],
        rel=1e-15,
    )
    assert obs[1].bound == "lower" and obs[0].bound is None
    assert obs[0].confidence == "high" and obs[1].confidence == "medium"  # medium by default
    assert obs[2].days == 7 and obs[3].base_days == 7 and obs[4].base_days == 1
    assert obs[8].unit == "tokens/month" and obs[8].value_text == "480 trillion"


def test_monthly_rate_over_a_period_follows_the_calendar() -> None:
    obs = read_text("a,m,mean,,2024-02-01,2024-02-29,,,29T,tokens/month,src,,,,")
    assert obs[0].value == 1e12


def test_dataframe_input_with_numbers_and_timestamps() -> None:
    frame = pd.DataFrame(
        {
            "series": ["a", "a"],
            "market": ["m", "m"],
            "kind": ["point", "total"],
            "date": [pd.Timestamp("2026-03-31"), None],
            "period_start": [None, "2026-05-18"],
            "period_end": [None, "2026-05-24"],
            "value": [1.2e14, 28.9e12],
            "unit": ["tokens/day", "tokens"],
            "source": ["s", "s"],
        },
        index=[10, 20],
    )
    obs = read_observations(frame)
    assert obs.values.tolist() == [1.2e14, 2.89e13]
    assert obs[0].start == pd.Timestamp("2026-03-31")


def test_optional_columns_may_be_absent_and_declared_extras_are_ignored() -> None:
    obs = read_text(
        "a,m,src,point,2026-03-31,1T,tokens/day,whatever",
        header="series,market,source,kind,date,value,unit,scope",
        extra_columns=["scope"],
    )
    assert len(obs) == 1 and obs[0].url == "" and obs[0].note == ""


def test_empty_table_gives_an_empty_collection() -> None:
    assert len(read_text()) == 0


# ------------------------------------------------------------------------ reading, invalid


BAD_ROWS = [
    # (row text, field the error must name, fragment of the message)
    ("a,m,point,2026-03-31,,,,,-5T,tokens/day,src,,,,", "value", "negative"),
    ("a,m,point,2026-03-31,,,,,0,tokens/day,src,,,,", "value", "must be > 0"),
    ("a,m,total,,2026-03-01,2026-03-07,,,0T,tokens,src,,,,", "value", "must be > 0"),
    ("a,m,point,2026-03-31,,,,,nan,tokens/day,src,,,,", "value", "not a finite"),
    ("a,m,point,2026-03-31,,,,,abc,tokens/day,src,,,,", "value", "not a token quantity"),
    ("a,m,point,2026-03-31,,,,,,tokens/day,src,,,,", "value", "is empty"),
    ("a,m,point,2026-03-31,,,,,1T,tokens/fortnight,src,,,,", "unit", "not a rate"),
    ("a,m,total,,2026-03-01,2026-03-07,,,1T,tokens/week,src,,,,", "unit", "not a quantity"),
    ("a,m,ratio,,2026-03-08,2026-03-14,2026-03-01,2026-03-07,1.1,%,src,,,,", "unit", "ratio"),
    ("a,m,share,2026-03-31,,,,,0.3,tokens,src,,,,", "unit", "fraction"),
    ("a,m,point,2026-03-31,,,,,1T,,src,,,,", "unit", "is empty"),
    ("a,m,point,31/03/2026,,,,,1T,tokens/day,src,,,,", "date", "YYYY-MM-DD"),
    ("a,m,point,2026-02-30,,,,,1T,tokens/day,src,,,,", "date", "not a calendar date"),
    ("a,m,mean,,2026-03-31,2026-03-01,,,1T,tokens/day,src,,,,", "period_end", "before"),
    ("a,m,mean,,2026-03-01,2026-03-31,,,1T,tokens/month,src,,,,X", None, None),  # valid control
    ("a,m,share,2026-03-31,,,,,1.5,fraction,src,,,,", "value", "[0, 1]"),
    ("a,m,penetration,2026-03-31,,,,,150,%,src,,,,", "value", "[0, 1]"),
    ("a,m,agent_share,2026-03-31,,,,,-0.1,fraction,src,,,,", "value", "[0, 1]"),
    ("a,m,ratio,,2026-03-08,2026-03-14,2026-03-01,2026-03-07,0,ratio,src,,,,", "value", "> 0"),
    ("a,m,ratio,,2026-03-08,2026-03-14,2026-03-01,2026-03-07,-2,ratio,src,,,,", "value", "> 0"),
    ("a,m,ratio,,2026-03-08,2026-03-14,,,1.1,ratio,src,,,,", "base_start/base_end", "needs"),
    ("a,m,ratio,,2026-03-08,2026-03-14,2026-03-01,,1.1,ratio,src,,,,", "base_end", "empty"),
    (
        "a,m,ratio,,2026-03-08,2026-03-14,2026-03-07,2026-03-01,1.1,ratio,src,,,,",
        "base_end",
        "before",
    ),
    ("a,m,ratio,,2026-03-08,2026-03-14,2026-03-08,2026-03-14,1.1,ratio,src,,,,", "base", "equals"),
    ("a,m,mean,,2026-03-01,2026-03-31,2026-02-01,2026-02-28,1T,tokens/day,src,,,,", "base", "only"),
    ("a,m,point,,2026-03-01,2026-03-31,,,1T,tokens/day,src,,,,", "period_end", "kind=mean"),
    ("a,m,point,2026-03-31,2026-03-01,2026-03-31,,,1T,tokens/day,src,,,,", "date", "either"),
    ("a,m,point,,,,,,1T,tokens/day,src,,,,", "date", "is empty"),
    ("a,m,mean,,2026-03-01,,,,1T,tokens/day,src,,,,", "period_end", "is empty"),
    ("a,m,weird,2026-03-31,,,,,1T,tokens/day,src,,,,", "kind", "not a kind"),
    ("a,m,point,2026-03-31,,,,,1T,tokens/day,src,,sure,,", "confidence", "high, medium or low"),
    ("a,m,point,2026-03-31,,,,,1T,tokens/day,src,,,maybe,", "bound", "lower or upper"),
    (",m,point,2026-03-31,,,,,1T,tokens/day,src,,,,", "series", "is empty"),
    ("a,,point,2026-03-31,,,,,1T,tokens/day,src,,,,", "market", "is empty"),
    ("a,m,point,2026-03-31,,,,,1T,tokens/day,,,,,", "source", "is empty"),
]


@pytest.mark.parametrize(("row", "field", "fragment"), BAD_ROWS)
def test_each_kind_of_bad_row(row: str, field: str | None, fragment: str | None) -> None:
    good = "z,m,point,2026-03-31,,,,,1T,tokens/day,src,,,,"
    if field is None:
        assert len(read_text(good, row)) == 2
        return
    message = problems_of(good, row)
    assert f"row 2, {field}" in message
    assert fragment is not None and fragment in message
    assert "row 1," not in message  # the good row is not blamed
    assert "1-based data rows" in message  # the convention is stated


def test_several_bad_rows_give_one_error_naming_every_row() -> None:
    rows = [row for row, field, _ in BAD_ROWS if field is not None]
    good = "z,m,point,2026-03-31,,,,,1T,tokens/day,src,,,,"
    message = problems_of(good, *rows, good.replace("z,", "y,"))
    for number in range(2, len(rows) + 2):
        assert re.search(rf"^  row {number}, ", message, re.MULTILINE), f"row {number} missing"
    assert not re.search(r"^  row 1, ", message, re.MULTILINE)
    assert not re.search(rf"^  row {len(rows) + 2}, ", message, re.MULTILINE)


def test_a_row_with_several_problems_lists_each() -> None:
    message = problems_of("a,m,weird,2026-03-31,,,,,1T,tokens/day,,,sure,maybe,")
    for field in ("kind", "confidence", "bound", "source"):
        assert f"row 1, {field}" in message


def test_reversed_dates_do_not_hide_a_bad_unit_or_value() -> None:
    message = problems_of("a,m,mean,,2026-03-31,2026-03-01,,,1T,tokens/fortnight,src,,,,")
    assert "row 1, period_end" in message and "before" in message
    assert "row 1, unit" in message and "not a rate" in message
    message = problems_of("a,m,mean,,2026-03-31,2026-03-01,,,-1T,tokens/day,src,,,,")
    assert "row 1, period_end" in message and "row 1, value" in message


@pytest.mark.parametrize(
    "row",
    [
        "a,m,point,2026-03-31,,,,,x,tokens/fortnight,src,,,,",
        "a,m,total,,2026-03-01,2026-03-07,,,x,tokens/week,src,,,,",
    ],
)
def test_a_bad_unit_does_not_hide_a_bad_value(row: str) -> None:
    message = problems_of(row)
    assert "row 1, unit" in message
    assert "row 1, value: 'x' is not a token quantity" in message


def test_conflicting_duplicates_are_rejected_naming_both_rows() -> None:
    message = problems_of(
        "a,m,point,2026-03-31,,,,,1T,tokens/day,src,,,,",
        "b,m,point,2026-03-31,,,,,1T,tokens/day,src,,,,",
        "a,m,point,2026-03-31,,,,,2T,tokens/day,other,,,,",
    )
    assert "rows 1 and 3: conflicting duplicates" in message


def test_exact_duplicates_are_rejected_too() -> None:
    message = problems_of(
        "a,m,point,2026-03-31,,,,,1T,tokens/day,src,,,,",
        "a,m,point,2026-03-31,,,,,1000B,tokens/day,other,,,,",
    )
    assert "rows 1 and 2: exact duplicates" in message
    assert "keep one row" in message


def test_a_bound_and_an_exact_figure_for_one_period_are_not_duplicates() -> None:
    obs = read_text(
        "a,m,point,2026-03-31,,,,,1T,tokens/day,src,,,,",
        "a,m,point,2026-03-31,,,,,1T,tokens/day,src,,,lower,",
    )
    assert len(obs) == 2


def test_missing_and_unknown_columns_are_reported_together() -> None:
    message = problems_of("a,m,1T,x", header="series,market,value,scope")
    assert "missing required column(s) source, kind, unit" in message
    assert "unknown column(s) 'scope'" in message
    assert "extra_columns=['scope']" in message


def test_repeated_columns_are_rejected() -> None:
    with pytest.raises(DataError, match="repeated column"):
        read_observations(
            pd.DataFrame(
                [["a", "m", "s", "point", "1T", "tokens/day", "x"]],
                columns=["series", "market", "source", "kind", "value", "unit", "series"],
            )
        )


def test_unreadable_inputs(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no file"):
        read_observations(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match="is empty"):
        read_observations(empty)


# ---------------------------------------------------------------------------- Observation


def test_observation_defaults_and_canonical_unit() -> None:
    obs = make("total", 7e12, "2026-05-18", end="2026-05-24")
    assert obs.unit == "tokens" and obs.value_text is None and obs.confidence == "medium"
    assert obs.start == pd.Timestamp("2026-05-18") and obs.days == 7 and obs.base_days == 0
    assert obs.describe() == "s total 2026-05-18..2026-05-24"


def test_observation_rejects_a_unit_that_disagrees_with_canonical_value() -> None:
    with pytest.raises(DataError, match="canonical units"):
        make("point", 7e12, unit="tokens/week")
    # with the text as written, the same unit is fine
    obs = make("point", 1e12, unit="tokens/week", value_text="7T")
    assert obs.value == 1e12
    with pytest.raises(DataError, match="disagrees"):
        make("point", 2e12, unit="tokens/week", value_text="7T")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"start": "2026-03-31 12:00:00"}, "not a date"),
        ({"start": pd.Timestamp("2026-03-31 12:00")}, "time of day"),
        ({"start": pd.Timestamp("2026-03-31", tz="UTC")}, "time zone"),
        ({"value": float("nan")}, "not a finite"),
        ({"value": True}, "not a number"),
        ({"value": -1.0}, "> 0"),
        ({"kind": "level"}, "not a kind"),
        ({"confidence": "certain"}, "high, medium or low"),
        ({"bound": "over"}, "lower or upper"),
        ({"source": "  "}, "source: is empty"),
        ({"kind": "ratio", "value": 1.1}, "needs base_start"),
    ],
)
def test_observation_validates(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(DataError, match=re.escape(fragment)):
        make(**kwargs)


def test_observation_is_frozen_and_hashable() -> None:
    obs = make()
    with pytest.raises(AttributeError):
        obs.value = 2.0  # type: ignore[misc]
    assert hash(obs) == hash(make())
    assert obs == make(value_text="1T", unit="tokens/day")  # value_text is not compared


# --------------------------------------------------------------------------- Observations


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


_RATE_UNITS = ["tokens/day", "tokens/week", "tokens/month", "tokens per minute", "tokens/year"]
_WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=12)


@st.composite
def valid_rows(draw: st.DrawFn, index: int) -> dict[str, str]:
    kind = draw(st.sampled_from(KINDS))
    start = pd.Timestamp("2020-01-01") + pd.Timedelta(days=draw(st.integers(0, 4000)))
    length = 1 if kind == "point" else draw(st.integers(1, 120))
    end = start + pd.Timedelta(days=length - 1)
    row = {
        "series": f"{draw(_WORDS).strip()}#{index}",  # unique: no duplicates by accident
        "market": draw(st.sampled_from(["china", "openrouter", "市场 x"])),
        "kind": kind,
        "source": draw(_WORDS).strip() or "src",
        "url": draw(st.sampled_from(["", "https://example.org/a?b=1,2"])),
        "confidence": draw(st.sampled_from(["high", "medium", "low", ""])),
        "bound": draw(st.sampled_from(["", "lower", "upper"])),
        "note": draw(_WORDS),
    }
    if length == 1 and draw(st.booleans()):
        row["date"] = start.date().isoformat()
    else:
        row["period_start"], row["period_end"] = start.date().isoformat(), end.date().isoformat()
    if kind in ("point", "mean", "total"):
        volume = draw(st.floats(1.0, 1e17, allow_nan=False))
        style = draw(st.sampled_from(["repr", "short", "words"]))
        if style == "repr":
            row["value"] = repr(volume)
        elif style == "short":
            row["value"] = format_tokens(volume, digits=draw(st.integers(1, 6)))
        else:
            row["value"] = f"{volume / 1e12!r} trillion"
        row["unit"] = "tokens" if kind == "total" else draw(st.sampled_from(_RATE_UNITS))
    elif kind == "ratio":
        row["value"] = repr(draw(st.floats(0.01, 100.0)))
        row["unit"] = "ratio"
        base = start - pd.Timedelta(days=draw(st.integers(1, 400)))
        row["base_start"] = base.date().isoformat()
        row["base_end"] = (base + pd.Timedelta(days=draw(st.integers(0, 30)))).date().isoformat()
    else:
        if draw(st.booleans()):
            row["value"], row["unit"] = repr(draw(st.floats(0.0, 1.0))), "fraction"
        else:
            row["value"], row["unit"] = repr(draw(st.floats(0.0, 100.0))), "%"
    return row


@st.composite
def valid_tables(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 8))
    rows = [draw(valid_rows(i)) for i in range(n)]
    return pd.DataFrame(
        [[row.get(column, "") for column in COLUMNS] for row in rows],
        columns=list(COLUMNS),
        dtype=object,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=valid_tables())
def test_random_valid_rows_round_trip_through_csv(table: pd.DataFrame) -> None:
    first = read_observations(table)
    assert len(first) == len(table)
    text = first.to_csv()
    assert text is not None
    second = read_observations(io.StringIO(text))
    assert second == first
    assert [o.value_text for o in second] == [o.value_text for o in first]
    assert second.to_csv() == text


# -------------------------------------------------------------------- the daily operator


@pytest.fixture
def mixed() -> Observations:
    return Observations(
        [
            make("point", 1e12, "2026-01-03"),
            make("mean", 1e12, "2026-01-02", end="2026-01-05"),
            make("total", 1e12, "2026-01-01", end="2026-01-07"),
            make(
                "ratio",
                1.5,
                "2026-01-08",
                end="2026-01-10",
                base_start="2026-01-01",
                base_end="2026-01-02",
            ),
            make("share", 0.3, "2026-01-04", end="2026-01-06"),
            make("penetration", 0.1, "2026-01-09"),
        ]
    )


def test_daily_grid(mixed: Observations) -> None:
    grid = daily_grid(mixed)
    assert grid[0] == pd.Timestamp("2026-01-01") and grid[-1] == pd.Timestamp("2026-01-10")
    assert len(grid) == 10 and grid.freqstr == "D" and grid.name == "date"
    wide = daily_grid(mixed, end="2030-12-31")
    assert wide[0] == grid[0] and wide[-1] == pd.Timestamp("2030-12-31")
    assert len(daily_grid(Observations(), "2026-01-01", "2026-01-31")) == 31
    with pytest.raises(DataError, match="before its start"):
        daily_grid(mixed, start="2026-02-01", end="2026-01-01")
    with pytest.raises(DataError, match="no observations"):
        daily_grid(Observations())


def test_aggregation_weights_closed_forms(mixed: Observations) -> None:
    grid = daily_grid(mixed)
    weights, base = aggregation_weights(mixed, grid)
    assert weights.shape == base.shape == (6, 10)
    assert weights.dtype == base.dtype == np.float64
    # point: one-hot on its day
    assert weights[0].tolist() == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    # mean over 4 days: 1/4 each, sums to 1
    assert weights[1].tolist() == [0, 0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0, 0]
    # total over 7 days: 1 each, sums to the number of days
    assert weights[2].sum() == 7.0 and set(weights[2][:7]) == {1.0}
    # ratio: numerator and base are means over their periods
    assert weights[3].sum() == pytest.approx(1.0) and base[3].sum() == pytest.approx(1.0)
    assert base[3].tolist() == [0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]
    # share and penetration: means over their period, or 1 on the date
    assert weights[4].sum() == pytest.approx(1.0) and weights[5].tolist()[8] == 1.0
    # only ratios have base weights
    assert np.all(base[[0, 1, 2, 4, 5]] == 0.0)


def test_weights_applied_to_a_known_series(mixed: Observations) -> None:
    grid = daily_grid(mixed)
    weights, base = aggregation_weights(mixed, grid)
    x = np.arange(1.0, 11.0)  # 1, 2, ..., 10 tokens/day
    levels = weights @ x
    assert levels[0] == 3.0  # day 3
    assert levels[1] == pytest.approx((2 + 3 + 4 + 5) / 4)
    assert levels[2] == pytest.approx(sum(range(1, 8)))  # tokens over the week
    assert levels[3] / (base @ x)[3] == pytest.approx(((8 + 9 + 10) / 3) / 1.5)
    # exponential growth: a week-on-week ratio of equal weeks is exp(7 g)
    growth = 0.05
    week = Observations(
        [
            make(
                "ratio",
                1.4,
                "2026-01-08",
                end="2026-01-14",
                base_start="2026-01-01",
                base_end="2026-01-07",
            )
        ]
    )
    w, b = aggregation_weights(week, daily_grid(week))
    series = np.exp(growth * np.arange(14))
    assert (w @ series) / (b @ series) == pytest.approx(np.exp(7 * growth))


def test_weights_outside_the_grid_name_the_observations(mixed: Observations) -> None:
    short = pd.date_range("2026-01-03", "2026-01-08", freq="D")
    with pytest.raises(DataError) as caught:
        aggregation_weights(mixed, short)
    message = str(caught.value)
    for position in (1, 2, 3, 5):
        assert f"observations[{position}]" in message
    assert "observations[0]" not in message and "observations[4]" not in message
    assert "s ratio 2026-01-08..2026-01-10 over 2026-01-01..2026-01-02" in message


@pytest.mark.parametrize(
    "grid",
    [
        pd.DatetimeIndex(["2026-01-01", "2026-01-03"]),
        pd.date_range("2026-01-01", periods=3, freq="D", tz="UTC"),
        pd.date_range("2026-01-01 06:00", periods=3, freq="D"),
        pd.DatetimeIndex([]),
    ],
)
def test_weights_need_a_daily_grid(grid: pd.DatetimeIndex) -> None:
    with pytest.raises(DataError, match="grid"):
        aggregation_weights(Observations([make(start="2026-01-01")]), grid)
