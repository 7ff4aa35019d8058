"""Property tests: whatever a user hands the readers, they answer with a result or a clear error.

``read_observations`` gets arbitrary bytes (and CSV-shaped text built from the schema's columns
and plausible cells); ``load_toml`` gets arbitrary text (and TOML-shaped text built from the
scenario keys). Each must return, or raise DataError / ConfigError with a message: never any
other exception.
"""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tokendemand.errors import ConfigError, DataError
from tokendemand.observations import COLUMNS, Observations, read_observations
from tokendemand.scenarios import load_toml

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "doubao",
            "china",
            "point",
            "mean",
            "total",
            "ratio",
            "share",
            "penetration",
            "agent_share",
            "2025-01-31",
            "2024-02-30",
            "2025-13-01",
            "0",
            "-1",
            "1e400",
            "nan",
            "inf",
            "120B",
            "1.3T",
            "140万亿",
            "tokens/day",
            "tokens/month",
            "tokens/week",
            "high",
            "medium",
            "low",
            "lower",
            "upper",
            '"a,b"',
            '"',
        ]
    ),
    st.text(alphabet=string.printable + "万亿é\x00", max_size=12),
)


def csv_text(columns: list[str], rows: list[list[str]]) -> str:
    return "\n".join([",".join(columns), *(",".join(row) for row in rows)]) + "\n"


CSV_LIKE = st.builds(
    csv_text,
    st.one_of(
        st.just(list(COLUMNS)),
        st.lists(st.sampled_from([*COLUMNS, "extra", ""]), min_size=1, max_size=16),
    ),
    st.lists(st.lists(CELLS, min_size=0, max_size=17), max_size=5),
).map(lambda text: text.encode("utf-8"))


def read_bytes(content: bytes) -> Observations | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "figures.csv"
        path.write_bytes(content)
        try:
            return read_observations(path)
        except DataError as error:
            assert str(error).strip(), "a DataError without a message"
            return None


@FUZZ
@given(st.binary(max_size=400))
def test_read_observations_of_any_bytes(content: bytes) -> None:
    result = read_bytes(content)
    assert result is None or isinstance(result, Observations)


@FUZZ
@given(CSV_LIKE)
def test_read_observations_of_csv_shaped_bytes(content: bytes) -> None:
    result = read_bytes(content)
    assert result is None or isinstance(result, Observations)


TOML_VALUES = st.sampled_from(
    [
        '"x"',
        "1",
        "-1",
        "0.0",
        "1e400",
        "nan",
        "inf",
        "true",
        "2026-07-01",
        '"2026-07-01"',
        '"2026-02-30"',
        "[]",
        "[[2028-12-31, 0.25]]",
        '[["2028-12-31", "x"]]',
        "{ scale = 2.0 }",
        "{ growth = 0.1 }",
        "{ per_year = 4.0 }",
        "{ per_year = -4.0 }",
        "{ pin = [[2028-12-31, 0.25], [2027-12-31, 0.40]] }",
        "{ override = { ceiling = 0.3 } }",
        "{ override = { nothing = 1 } }",
        "{ scale = 2.0, growth = 1.0 }",
        "{ start = 2026-01-01, scale = 1.0 }",
        "{}",
    ]
)
TOML_KEYS = st.sampled_from(
    [
        "name",
        "description",
        "source",
        "start",
        "intensity_ratio",
        "break_even_penetration",
        "substitution",
        "recalibrate",
        "users",
        "chatbot",
        "penetration",
        "complexity",
        "usage",
        "unknown",
    ]
)


def toml_text(version: str | None, tables: list[list[tuple[str, str]]]) -> str:
    lines = [] if version is None else [f"version = {version}"]
    for pairs in tables:
        lines.append("[[scenario]]")
        lines.extend(f"{key} = {value}" for key, value in pairs)
    return "\n".join(lines) + "\n"


TOML_LIKE = st.builds(
    toml_text,
    st.one_of(st.none(), st.sampled_from(["1", "2", '"1"'])),
    st.lists(st.lists(st.tuples(TOML_KEYS, TOML_VALUES | st.just('"s"')), max_size=5), max_size=3),
)


def load_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenarios.toml"
        path.write_text(text, encoding="utf-8")
        try:
            load_toml(path)
        except ConfigError as error:
            assert str(error).strip(), "a ConfigError without a message"


@FUZZ
@given(st.text(max_size=300))
def test_load_toml_of_any_text(text: str) -> None:
    load_text(text)


@FUZZ
@given(TOML_LIKE)
def test_load_toml_of_toml_shaped_text(text: str) -> None:
    load_text(text)
