"""Reading observations: every kind in canonical units, tables and files, round trips of random
rows."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.observations.helpers import problems_of, read_text
from tokendemand.errors import DataError
from tokendemand.observations import COLUMNS, KINDS, read_observations
from tokendemand.observations.schema import RATIO_UNIT_KINDS
from tokendemand.units import format_tokens


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
    elif kind in RATIO_UNIT_KINDS:
        row["value"] = repr(draw(st.floats(0.01, 100.0)))
        row["unit"] = "ratio"
        if kind == "ratio":  # a ratio of two periods; an intensity ratio is of one date
            base = start - pd.Timedelta(days=draw(st.integers(1, 400)))
            row["base_start"] = base.date().isoformat()
            end_day = base + pd.Timedelta(days=draw(st.integers(0, 30)))
            row["base_end"] = end_day.date().isoformat()
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
