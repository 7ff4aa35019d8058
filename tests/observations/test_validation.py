"""Validation while reading: every kind of bad row, all reported at once, and duplicates."""

from __future__ import annotations

import re

import pytest

from tests.observations.helpers import problems_of, read_text

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
