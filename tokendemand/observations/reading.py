"""Reading observations from a CSV file or a DataFrame in the schema of
:mod:`tokendemand.observations`, reporting every problem at once."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any, Final, cast

import numpy as np
import pandas as pd

from tokendemand.dates import to_day
from tokendemand.errors import DataError
from tokendemand.observations.checks import (
    Problem,
    convert,
    duplicate_message,
    duplicates,
    field_problems,
    launch_conflicts,
    launch_message,
    launch_problems,
    shape_problems,
)
from tokendemand.observations.collection import Observations
from tokendemand.observations.observation import Observation
from tokendemand.observations.schema import (
    _DATE_COLUMNS,
    _UNIT_HINTS,
    COLUMNS,
    KINDS,
    REQUIRED_COLUMNS,
)

__all__ = ["read_observations"]


def _is_missing(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    try:
        return bool(pd.isna(cast(Any, raw)))
    except (TypeError, ValueError):
        return False


def _text(raw: object) -> str:
    if _is_missing(raw):
        return ""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, float | np.floating):
        return repr(float(raw))
    if isinstance(raw, int | np.integer) and not isinstance(raw, bool):
        return str(int(raw))
    return str(raw).strip()


def _parse_row(row: dict[str, object]) -> tuple[Observation | None, list[Problem]]:
    """One CSV row to an Observation, or every problem found in the row."""
    draft = SimpleNamespace(
        **{name: _text(row.get(name)) for name in ("series", "market", "source", "url", "note")},
        kind=_text(row.get("kind")).lower(),
        confidence=_text(row.get("confidence")).lower() or "medium",
        bound=_text(row.get("bound")).lower() or None,
        proxy=_text(row.get("proxy")),
        unit=_text(row.get("unit")),
        value_text=_text(row.get("value")),
        value=None,
        launch=None,
    )
    problems = field_problems(draft)
    if not _is_missing(row.get("launch")):
        try:
            draft.launch = to_day(row.get("launch"), whole=True)
        except DataError as error:
            problems.append(("launch", str(error)))
    dates: dict[str, pd.Timestamp | None] = dict.fromkeys(_DATE_COLUMNS)
    for column in _DATE_COLUMNS:
        if not _is_missing(row.get(column)):
            try:
                dates[column] = to_day(row.get(column), whole=True)
            except DataError as error:
                problems.append((column, str(error)))
    given = {column: not _is_missing(row.get(column)) for column in _DATE_COLUMNS}
    labels = {"start": "date", "end": "date"}
    if given["date"] and (given["period_start"] or given["period_end"]):
        problems.append(("date", "give either date (one day) or period_start and period_end"))
    elif given["date"]:
        draft.start = draft.end = dates["date"]
    elif given["period_start"] and given["period_end"]:
        draft.start, draft.end = dates["period_start"], dates["period_end"]
        labels = {"start": "period_start", "end": "period_end"}
    elif given["period_start"] or given["period_end"]:
        missing = "period_start" if given["period_end"] else "period_end"
        problems.append((missing, "is empty; a period needs period_start and period_end"))
    else:
        problems.append(("date", "is empty; give date, or period_start and period_end"))
    if given["base_start"] != given["base_end"]:
        missing = "base_start" if given["base_end"] else "base_end"
        problems.append((missing, "is empty; a base period needs base_start and base_end"))
    draft.base_start, draft.base_end = dates["base_start"], dates["base_end"]
    if not draft.unit:
        problems.append(("unit", f"is empty; give {_UNIT_HINTS.get(draft.kind, 'the unit')}"))
    if not draft.value_text:
        problems.append(("value", "is empty; give the figure, e.g. 28.9T"))

    dated = getattr(draft, "start", None) is not None and getattr(draft, "end", None) is not None
    if draft.kind in KINDS and dated:
        if draft.unit and draft.value_text:
            # with the dates reversed the shape check reports them; the unit and value are
            # still read (over the first day alone) so that their own problems show too
            reversed_dates = draft.end < draft.start
            end = draft.start if reversed_dates else draft.end
            value, value_problems = convert(
                draft.kind, draft.value_text, draft.unit, draft.start, end
            )
            draft.value = None if reversed_dates else value
            problems.extend(value_problems)
        reported = {name for name, _ in problems}
        problems.extend(
            (name, message)
            for name, message in shape_problems(draft, labels)
            if not (name.startswith("base") and reported & set(_DATE_COLUMNS[3:]))
        )
        if not reported & set(_DATE_COLUMNS):
            problems.extend(launch_problems(draft))
    if problems:
        return None, problems
    return Observation._from_checked(**vars(draft)), []


def read_observations(
    data: str | os.PathLike[str] | pd.DataFrame | io.TextIOBase,
    *,
    extra_columns: Iterable[str] = (),
) -> Observations:
    """Read observations from a CSV file or a DataFrame in the schema of this package.

    Parameters
    ----------
    data
        A path to a UTF-8 CSV file, an open text file, or a DataFrame with the schema's
        columns (cells may be text, numbers or Timestamps; the index is ignored).
    extra_columns
        Columns that may be present besides the schema's; they are ignored. Any other
        unknown column is an error.

    Returns
    -------
    Observations
        In the order of the rows.

    Raises
    ------
    DataError
        One error listing every problem: missing or unknown columns, then each bad row with
        its row number (1-based data rows: row 1 is the line after the header), the field,
        what was wrong and the fix, then duplicate rows.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "series": ["openrouter_total"], "market": ["openrouter"], "kind": ["total"],
    ...     "period_start": ["2026-05-18"], "period_end": ["2026-05-24"],
    ...     "value": ["28.9T"], "unit": ["tokens"], "source": ["press coverage"]})
    >>> read_observations(frame)[0].value
    28900000000000.0
    """
    origin, frame = _read_frame(data)
    columns = [str(c).strip() for c in frame.columns]
    allowed = set(COLUMNS) | {str(c).strip() for c in extra_columns}
    structure: list[str] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        structure.append(
            f"  missing required column(s) {', '.join(missing)}; the header needs "
            f"{', '.join(REQUIRED_COLUMNS)}"
        )
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        structure.append(
            f"  unknown column(s) {', '.join(map(repr, unknown))}; rename them to schema "
            f"columns ({', '.join(COLUMNS)}) or pass extra_columns={unknown!r} to ignore them"
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        structure.append(f"  repeated column(s) {', '.join(repeated)}; keep one of each")
    if structure:
        raise DataError(f"cannot read observations from {origin}:\n" + "\n".join(structure))

    frame = frame.set_axis(columns, axis=1)
    lines: list[str] = []
    parsed: list[Observation] = []
    rows: list[int] = []
    for number, record in enumerate(frame.to_dict(orient="records"), start=1):
        obs, problems = _parse_row({str(k): v for k, v in record.items()})
        for name, message in problems:
            lines.append(f"  row {number}, {name}: {message}")
        if obs is not None:
            parsed.append(obs)
            rows.append(number)
    for first, later, conflicting in duplicates(parsed):
        lines.append(
            f"  rows {rows[first]} and {rows[later]}: "
            f"{duplicate_message(parsed[first], conflicting)}"
        )
    for market, series, launches in launch_conflicts(parsed):
        where = {
            launch: _rows_text([rows[position] for position in positions])
            for launch, positions in launches.items()
        }
        lines.append(
            f"  {_rows_text([rows[p] for ps in launches.values() for p in ps], True)}: "
            f"{launch_message(market, series, where)}"
        )
    if lines:
        raise DataError(
            f"{len(lines)} problem(s) in observations from {origin} "
            "(rows are 1-based data rows, not counting the header: row 1 is line 2 of a "
            "CSV file):\n" + "\n".join(lines)
        )
    return Observations._from_checked(parsed)


def _rows_text(rows: list[int], sort: bool = False) -> str:
    """``row 3`` or ``rows 3, 5`` (sorted when ``sort``)."""
    listed = sorted(rows) if sort else rows
    return ("row " if len(listed) == 1 else "rows ") + ", ".join(map(str, listed))


_FRAME_COLUMNS: Final = ("start", "end", "value_text", "days")
"""Columns of :meth:`Observations.to_frame` that the CSV schema writes differently."""


def _schema_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of :meth:`Observations.to_frame` in the CSV schema's columns.

    A one-day period becomes ``date``, a longer one ``period_start`` and ``period_end``;
    ``value`` is the figure as written (``value_text``) where there is one, and ``days`` goes
    (it follows from the period). Other columns pass through, so unknown ones are still
    reported.
    """
    out = frame.drop(columns=list(_FRAME_COLUMNS))
    start, end = frame["start"], frame["end"]
    one_day = (start == end).to_numpy()
    out["date"] = start.where(one_day, None)
    out["period_start"] = start.where(~one_day, None)
    out["period_end"] = end.where(~one_day, None)
    written = frame["value_text"]
    out["value"] = written.where(written.notna(), frame["value"].map(repr))
    return out


def _read_frame(
    data: str | os.PathLike[str] | pd.DataFrame | io.TextIOBase,
) -> tuple[str, pd.DataFrame]:
    if isinstance(data, pd.DataFrame):
        frame = data.reset_index(drop=True)
        if set(_FRAME_COLUMNS) <= {str(c) for c in frame.columns}:
            return "a DataFrame written by Observations.to_frame", _schema_frame(frame)
        return "a DataFrame", frame
    origin = repr(os.fspath(data)) if isinstance(data, str | os.PathLike) else "a text stream"
    try:
        frame = pd.read_csv(
            cast(Any, data), dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8"
        )
    except FileNotFoundError:
        raise DataError(f"no file {origin}; check the path") from None
    except pd.errors.EmptyDataError:
        raise DataError(
            f"{origin} is empty; it needs a header with {', '.join(REQUIRED_COLUMNS)}"
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataError(f"{origin} is not a readable UTF-8 CSV file: {error}") from None
    return origin, frame
