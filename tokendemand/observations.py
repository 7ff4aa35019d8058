"""Observations: public figures in every shape they come in, and the operator that links them
to a latent daily series.

Each figure becomes one :class:`Observation` of a *series* (what was measured, e.g.
``doubao``) in a *market* (``china``, ``openrouter``). Its ``kind`` says how the figure relates
to the daily token volume ``x(t)`` of the series:

===============  ==================================================  ===========================
kind             the figure is                                       canonical value
===============  ==================================================  ===========================
``point``        the level on one date ("120T tokens/day")            tokens/day
``mean``         the mean daily level over a period ("140T daily      tokens/day
                 average in March")
``total``        the tokens over a period ("28.9T in the week")       tokens
``ratio``        mean level over the period / mean level over the     unitless (1.074 for +7.4%)
                 base period ("+7.4% week on week")
``share``        a sub-series' fraction of its market                 fraction in [0, 1]
``penetration``  agent penetration, a fraction of users               fraction in [0, 1]
``agent_share``  the agent fraction of tokens                         fraction in [0, 1]
===============  ==================================================  ===========================

Any figure may be one-sided: ``bound = "lower"`` for "over 140T", ``"upper"`` for "below 1T";
the model treats it as censored. A point-to-point ratio ("doubled in 3 months") is a ratio of
two one-day periods; a ratio of two totals over periods of equal length ("+7.4% on the previous
week") equals the ratio of their means.

The CSV schema
--------------
One row per figure; rows are numbered from 1 for the first data row (the header is not
counted, so row ``n`` is line ``n + 1`` of the file). Columns:

================  ========  ================================================================
column            required  content
================  ========  ================================================================
``series``        yes       name of the measured series, e.g. ``doubao``
``market``        yes       market the series belongs to, e.g. ``china``
``kind``          yes       one of :data:`KINDS`
``value``         yes       a number or, for volumes, text such as ``28.9T``, ``140万亿``
                            (see :func:`~tokendemand.units.parse_tokens`)
``unit``          yes       ``point``/``mean``: a rate (``tokens/day``, ``tokens/week``,
                            ``tokens/month``, ``tokens per minute`` ...); ``total``:
                            ``tokens``; ``ratio``: ``ratio``; ``share``, ``penetration``,
                            ``agent_share``: ``fraction`` or ``%``. A parenthetical
                            qualifier such as ``(derived)`` is kept but ignored.
``source``        yes       the publication, e.g. ``a16z, State of AI (2025-12-04)``
``date``                    ``YYYY-MM-DD``: the day of a one-day figure
``period_start``            ``YYYY-MM-DD``, first day of the period (inclusive)
``period_end``              ``YYYY-MM-DD``, last day of the period (inclusive)
``base_start``              ratios only: first day of the base period
``base_end``                ratios only: last day of the base period
``url``                     where the figure can be checked; several separated by " ; "
``confidence``              ``high``, ``medium`` (the default) or ``low``
``bound``                   empty, ``lower`` ("over ...") or ``upper`` ("below ...")
``note``                    free text: how the date was set, what the figure covers
================  ========  ================================================================

Give either ``date`` or both ``period_start`` and ``period_end``: ``date`` is shorthand for a
one-day period. A ``point`` needs one day; ``mean`` and ``total`` usually a period; a ``ratio``
needs its period and ``base_start``, ``base_end``; shares and penetrations take either. Rates
over months, quarters and years are converted with the calendar of the period
(:func:`~tokendemand.units.to_tokens_per_day`). Other columns are an error unless named in
``extra_columns`` (they are then ignored).

Every problem in the file is reported at once, in one :class:`~tokendemand.errors.DataError`
naming the row, the field, what was wrong and the fix: missing columns, unknown kinds, units,
confidence or bounds, unparseable values or dates, non-positive or NaN volumes and ratios,
fractions outside [0, 1], periods ending before they start, and duplicates. Two rows with the
same series, market, kind, period, base period and bound are duplicates: rejected when their
values differ (a conflict) and also when they are equal (the same figure counted twice: keep
one row and list both sources in it). Nothing is dropped silently.

Worked example
--------------
"Google processes 480 trillion tokens a month", said of April 2025, is the mean daily level
over April expressed per month; April has 30 days, so it reads as 16T tokens/day. Had it been
"over 480 trillion", the row would also say ``bound = lower``; had it been a run-rate quoted
on a date with no month attached, it would be ``kind = point`` with that ``date``.

>>> import io
>>> row = '''series,market,kind,period_start,period_end,value,unit,source,confidence
... google_total,google,mean,2025-04-01,2025-04-30,480 trillion,tokens/month,Google blog,medium
... '''
>>> obs = read_observations(io.StringIO(row))
>>> obs[0].kind, obs[0].value, obs[0].days
('mean', 16000000000000.0, 30)

The aggregation operator
------------------------
The model keeps a latent daily series on a grid (:func:`daily_grid`). Each observation is a
linear operator on it: :func:`aggregation_weights` returns the matrices ``W`` and ``B`` such
that the model-side value of a level is ``W @ x`` and of a ratio ``(W @ x) / (B @ x)``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from types import SimpleNamespace
from typing import Any, Final, Literal, cast, get_args, overload

import numpy as np
import pandas as pd

from tokendemand.errors import DataError
from tokendemand.units import parse_rate, parse_tokens, to_tokens_per_day

__all__ = [
    "BOUNDS",
    "COLUMNS",
    "CONFIDENCES",
    "KINDS",
    "REQUIRED_COLUMNS",
    "Bound",
    "Confidence",
    "Kind",
    "Observation",
    "Observations",
    "aggregation_weights",
    "daily_grid",
    "read_observations",
]

Kind = Literal["point", "mean", "total", "ratio", "share", "penetration", "agent_share"]
Confidence = Literal["high", "medium", "low"]
Bound = Literal["lower", "upper"]

KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
"""Every observation kind."""
CONFIDENCES: Final[tuple[Confidence, ...]] = get_args(Confidence)
"""Confidence grades, most trusted first."""
BOUNDS: Final[tuple[Bound, ...]] = get_args(Bound)
"""One-sided observations: ``lower`` ("over 140T") and ``upper`` ("below 1T")."""

REQUIRED_COLUMNS: Final[tuple[str, ...]] = ("series", "market", "source", "kind", "value", "unit")
"""Columns every observation CSV must have."""
COLUMNS: Final[tuple[str, ...]] = (
    "series",
    "market",
    "kind",
    "date",
    "period_start",
    "period_end",
    "base_start",
    "base_end",
    "value",
    "unit",
    "source",
    "url",
    "confidence",
    "bound",
    "note",
)
"""Every column of the schema, in the order :meth:`Observations.to_csv` writes them."""

_LEVEL_KINDS: Final[frozenset[str]] = frozenset({"point", "mean"})
_FRACTION_KINDS: Final[frozenset[str]] = frozenset({"share", "penetration", "agent_share"})
_CANONICAL_UNITS: Final[dict[str, str]] = {
    "point": "tokens/day",
    "mean": "tokens/day",
    "total": "tokens",
    "ratio": "ratio",
    "share": "fraction",
    "penetration": "fraction",
    "agent_share": "fraction",
}
_UNIT_HINTS: Final[dict[str, str]] = {
    "point": "a rate such as 'tokens/day', 'tokens/week' or 'tokens/month'",
    "mean": "a rate such as 'tokens/day', 'tokens/week' or 'tokens/month'",
    "total": "'tokens' (a total over the period; for a rate use kind=mean)",
    "ratio": "'ratio' (a plain number: 1.074 for +7.4%, 2 for doubled)",
    "share": "'fraction' (0.23) or '%' (23)",
    "penetration": "'fraction' (0.23) or '%' (23)",
    "agent_share": "'fraction' (0.23) or '%' (23)",
}
_DATE_RE: Final[re.Pattern[str]] = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARENTHETICAL_RE: Final[re.Pattern[str]] = re.compile(r"\([^()]*\)")

Problem = tuple[str, str]  # (field, what was wrong and the fix)


# ------------------------------------------------------------------------------ Observation


@dataclass(frozen=True)
class Observation:
    """One public figure, in canonical units.

    Parameters
    ----------
    series, market
        What was measured and the market it belongs to.
    kind
        One of :data:`KINDS` (see the module docstring).
    value
        The figure in canonical units: tokens/day for ``point`` and ``mean``, tokens for
        ``total``, a unitless ratio for ``ratio``, a fraction for ``share``, ``penetration``
        and ``agent_share``.
    start, end
        Inclusive first and last day of the period; equal for a one-day figure. Anything
        :class:`pandas.Timestamp` accepts; stored as midnight Timestamps.
    source
        The publication.
    base_start, base_end
        Ratios only: the inclusive base period of the denominator; ``None`` otherwise.
    url, note
        Where to check the figure; how its date was set or what it covers.
    confidence
        ``"high"``, ``"medium"`` or ``"low"``.
    bound
        ``None`` for an exact figure, ``"lower"`` or ``"upper"`` for a one-sided one.
    unit
        The unit as written in the source (``"tokens/week"``); empty means the canonical unit.
    value_text
        The value as written (``"28.9T"``), converted with ``unit`` to ``value``; ``None`` when
        ``value`` was given in canonical units (``unit`` must then be canonical). Kept so that
        :meth:`Observations.to_csv` writes the figure as it was read; not compared by ``==``.

    Raises
    ------
    DataError
        Listing every problem with the fields.

    Examples
    --------
    >>> week = Observation("openrouter_total", "openrouter", "total", 28.9e12,
    ...                    "2026-05-18", "2026-05-24", source="press coverage")
    >>> week.days, week.unit, week.start.date().isoformat()
    (7, 'tokens', '2026-05-18')
    """

    series: str
    market: str
    kind: Kind
    value: float
    start: pd.Timestamp
    end: pd.Timestamp
    source: str
    base_start: pd.Timestamp | None = None
    base_end: pd.Timestamp | None = None
    url: str = ""
    confidence: Confidence = "medium"
    bound: Bound | None = None
    note: str = ""
    unit: str = ""
    value_text: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        for name in ("series", "market", "source", "url", "note", "unit", "kind", "confidence"):
            raw = getattr(self, name)
            if not isinstance(raw, str):
                problems.append((name, f"{raw!r} is not text; give a string"))
            else:
                object.__setattr__(self, name, raw.strip())
        if self.value_text is not None:
            if isinstance(self.value_text, str):
                object.__setattr__(self, "value_text", self.value_text.strip())
            else:
                problems.append(("value_text", f"{self.value_text!r} is not text"))
        if isinstance(self.value, bool) or not isinstance(self.value, int | float | np.number):
            problems.append(("value", f"{self.value!r} is not a number; give a float"))
        else:
            object.__setattr__(self, "value", float(self.value))
        for name in ("start", "end", "base_start", "base_end"):
            raw = getattr(self, name)
            if raw is None and name.startswith("base"):
                continue
            try:
                object.__setattr__(self, name, _to_day(raw))
            except DataError as error:
                problems.append((name, str(error)))
        if not problems:
            if self.kind in KINDS and not self.unit:
                object.__setattr__(self, "unit", _CANONICAL_UNITS[self.kind])
            problems.extend(_field_problems(self))
            if self.kind in KINDS:
                problems.extend(_shape_problems(self, {"start": "start", "end": "end"}))
            if not problems:
                problems.extend(_unit_problems(self))
        if problems:
            details = "; ".join(f"{field}: {message}" for field, message in problems)
            raise DataError(f"invalid observation of series {self.series!r}: {details}")

    @property
    def days(self) -> int:
        """Number of days in the period (1 for a date)."""
        return int((self.end - self.start).days) + 1

    @property
    def base_days(self) -> int:
        """Number of days in the base period of a ratio (0 for other kinds)."""
        if self.base_start is None or self.base_end is None:
            return 0
        return int((self.base_end - self.base_start).days) + 1

    def describe(self) -> str:
        """A one-line label: series, kind and dates, for messages and plots.

        Examples
        --------
        >>> Observation("doubao", "china", "point", 1.2e14, "2026-03-31", "2026-03-31",
        ...             source="x").describe()
        'doubao point 2026-03-31'
        """
        text = f"{self.series} {self.kind} {_span(self.start, self.end)}"
        if self.base_start is not None and self.base_end is not None:
            text += f" over {_span(self.base_start, self.base_end)}"
        return text if self.bound is None else f"{text} ({self.bound} bound)"


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


def _unit_core(unit: str) -> str:
    return re.sub(r"\s+", " ", _PARENTHETICAL_RE.sub(" ", unit)).strip().lower()


def _convert(
    kind: str, value: object, unit: str, start: pd.Timestamp, end: pd.Timestamp
) -> tuple[float | None, list[Problem]]:
    """The canonical value of ``value`` written in ``unit``, or the problems that prevent it."""
    core = _unit_core(unit)
    if kind in _LEVEL_KINDS:
        try:
            per = parse_rate(unit)
        except DataError:
            return None, [("unit", f"{unit!r} is not a rate; a {kind} needs {_UNIT_HINTS[kind]}")]
        try:
            return to_tokens_per_day(cast(Any, value), per, start, end), []
        except DataError as error:
            return None, [("value", f"{error}")]
    if kind == "total":
        if core not in {"tokens", "token"}:
            return None, [
                ("unit", f"{unit!r} is not a quantity; a total needs {_UNIT_HINTS[kind]}")
            ]
        try:
            return parse_tokens(value), []
        except DataError as error:
            return None, [("value", f"{error}")]
    if core not in {"ratio", "fraction", "%", "percent"} or (kind == "ratio") != (core == "ratio"):
        return None, [("unit", f"{unit!r} does not fit kind {kind!r}; give {_UNIT_HINTS[kind]}")]
    percent = core in {"%", "percent"}
    text = value.strip() if isinstance(value, str) else value
    if percent and isinstance(text, str) and text.endswith("%"):
        text = text[:-1].strip()
    try:
        if isinstance(text, bool):
            raise ValueError
        number = float(cast(Any, text))
    except (TypeError, ValueError):
        example = "1.074" if kind == "ratio" else ("23" if percent else "0.23")
        return None, [("value", f"{value!r} is not a plain number; write e.g. {example}")]
    return (number / 100.0 if percent else number), []


def _field_problems(obs: Any) -> list[Problem]:
    """Problems with the fields that stand alone: names, kind, confidence, bound."""
    problems: list[Problem] = [
        (name, f"is empty; give the {name}") for name in _NAMED if not getattr(obs, name)
    ]
    if obs.kind not in KINDS:
        problems.append(("kind", f"{obs.kind!r} is not a kind; use one of {', '.join(KINDS)}"))
    if obs.confidence not in CONFIDENCES:
        problems.append(("confidence", f"{obs.confidence!r} is unknown; use high, medium or low"))
    if obs.bound is not None and obs.bound not in BOUNDS:
        problems.append(
            ("bound", f"{obs.bound!r} is unknown; leave it empty or use lower or upper")
        )
    return problems


_NAMED: Final[tuple[str, ...]] = ("series", "market", "source")


def _shape_problems(obs: Any, labels: dict[str, str]) -> list[Problem]:
    """Problems with the period, the base period and the value of a known kind.

    ``labels`` name the fields holding ``start`` and ``end``; ``obs.value`` may be ``None``
    when it could not be parsed.
    """
    problems: list[Problem] = []
    start, end, kind = obs.start, obs.end, obs.kind
    if end < start:
        problems.append(
            (labels["end"], f"period ends {_iso(end)} before it starts {_iso(start)}; swap them")
        )
    if kind == "point" and end != start:
        problems.append(
            (
                labels["end"],
                f"a point is one day but the period is {_span(start, end)}; give a date, "
                "or use kind=mean for a daily average over the period",
            )
        )
    base = "base_start/base_end"
    if kind != "ratio":
        if obs.base_start is not None or obs.base_end is not None:
            problems.append((base, f"only a ratio has a base period; leave it empty for {kind}"))
    elif obs.base_start is None or obs.base_end is None:
        problems.append((base, "a ratio needs base_start and base_end (equal for one day)"))
    elif obs.base_end < obs.base_start:
        problems.append(
            (
                "base_end",
                f"base period ends {_iso(obs.base_end)} before it starts "
                f"{_iso(obs.base_start)}; swap them",
            )
        )
    elif (obs.base_start, obs.base_end) == (start, end):
        problems.append((base, "the base period equals the period; a ratio compares two"))

    value = obs.value
    if value is None:
        pass
    elif math.isnan(value) or math.isinf(value):
        problems.append(("value", f"{value!r} is not a finite number; give the figure"))
    elif kind in _FRACTION_KINDS and not 0.0 <= value <= 1.0:
        problems.append(
            (
                "value",
                f"a {kind} is a fraction in [0, 1] but got {value!r}"
                f"{_as_written(obs)}; "
                "write 0.23 with unit 'fraction' or 23 with unit '%'",
            )
        )
    elif kind == "ratio" and value <= 0.0:
        problems.append(
            ("value", f"a ratio must be > 0 but got {value!r}; a 10% fall is 0.9, doubling 2")
        )
    elif kind not in _FRACTION_KINDS and value <= 0.0:
        problems.append(
            ("value", f"a volume must be > 0 but got {value!r}; give the reported token count")
        )
    return problems


def _as_written(obs: Any) -> str:
    text = getattr(obs, "value_text", None)
    return f" (from {text!r} {obs.unit})" if text else ""


def _unit_problems(obs: Observation) -> list[Problem]:
    """Does ``value`` agree with ``value_text`` in ``unit`` (or ``unit`` with canonical units)?"""
    text = obs.value_text if obs.value_text is not None else repr(obs.value)
    canonical, problems = _convert(obs.kind, text, obs.unit, obs.start, obs.end)
    if problems or canonical is None:
        return problems
    if obs.value_text is None and canonical != obs.value:
        return [
            (
                "unit",
                f"value is in canonical units but unit is {obs.unit!r}; use unit "
                f"{_CANONICAL_UNITS[obs.kind]!r} or pass value_text as written in {obs.unit!r}",
            )
        ]
    if not math.isclose(canonical, obs.value, rel_tol=1e-12):
        return [
            (
                "value",
                f"value {obs.value!r} disagrees with {obs.value_text!r} in {obs.unit!r} "
                f"({canonical!r}); make them consistent",
            )
        ]
    return []


# ----------------------------------------------------------------------------- Observations


def _duplicates(items: Sequence[Observation]) -> list[tuple[int, int, bool]]:
    """Pairs (first, later, conflicting) of duplicate observations, by position."""
    seen: dict[tuple[Any, ...], int] = {}
    pairs: list[tuple[int, int, bool]] = []
    for position, obs in enumerate(items):
        key = (
            obs.series,
            obs.market,
            obs.kind,
            obs.start,
            obs.end,
            obs.base_start,
            obs.base_end,
            obs.bound,
        )
        if key in seen:
            first = seen[key]
            pairs.append((first, position, items[first].value != obs.value))
        else:
            seen[key] = position
    return pairs


def _duplicate_message(first: Observation, conflicting: bool) -> str:
    if conflicting:
        return (
            f"conflicting duplicates of {first.describe()}: same series, "
            "market, kind and period but different values; keep the figure you trust, or give "
            "the other its own series name if it measures something else"
        )
    return (
        f"exact duplicates of {first.describe()}: the same figure twice would count twice; "
        "keep one row and list both sources in it"
    )


class Observations(Sequence[Observation]):
    """A validated, immutable collection of :class:`Observation`.

    Supports ``len``, iteration, indexing (a slice gives an ``Observations``), ``==`` (same
    observations in the same order) and ``+`` (concatenation, validated again). Duplicates
    (see the module docstring) are rejected.

    The arrays :attr:`values`, :attr:`kinds`, :attr:`series`, :attr:`markets`,
    :attr:`sources`, :attr:`confidence` and :attr:`bounds` hold one entry per observation, in
    order; :meth:`to_frame` gives the same as a DataFrame.

    Parameters
    ----------
    observations
        The observations, in order.

    Raises
    ------
    DataError
        If some observations are duplicates, naming them by position.
    """

    __slots__ = ("_items",)

    def __init__(self, observations: Iterable[Observation] = ()) -> None:
        items = tuple(observations)
        for position, item in enumerate(items):
            if not isinstance(item, Observation):
                raise TypeError(
                    f"observations[{position}] is a {type(item).__name__}, not an Observation"
                )
        lines = [
            f"  observations[{first}] and [{later}]: "
            f"{_duplicate_message(items[first], conflicting)}"
            for first, later, conflicting in _duplicates(items)
        ]
        if lines:
            raise DataError(
                f"{len(lines)} duplicate observation(s) (positions are 0-based):\n"
                + "\n".join(lines)
            )
        self._items: tuple[Observation, ...] = items

    # -- the sequence protocol
    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Observation]:
        return iter(self._items)

    @overload
    def __getitem__(self, index: int) -> Observation: ...
    @overload
    def __getitem__(self, index: slice) -> Observations: ...
    def __getitem__(self, index: int | slice) -> Observation | Observations:
        if isinstance(index, slice):
            return Observations(self._items[index])
        return self._items[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Observations):
            return NotImplemented
        return self._items == other._items

    def __hash__(self) -> int:
        return hash(self._items)

    def __add__(self, other: Observations) -> Observations:
        if not isinstance(other, Observations):
            return NotImplemented
        return Observations(self._items + other._items)

    def __repr__(self) -> str:
        series = sorted(set(self.series.tolist()))
        return f"Observations(n={len(self)}, series={series})"

    # -- arrays for the model
    @property
    def values(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Values in canonical units (see :class:`Observation`)."""
        return np.array([obs.value for obs in self._items], dtype=np.float64)

    @property
    def kinds(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Kinds, one of :data:`KINDS` each."""
        return np.array([obs.kind for obs in self._items], dtype=np.str_)

    @property
    def series(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Series names."""
        return np.array([obs.series for obs in self._items], dtype=np.str_)

    @property
    def markets(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Market names."""
        return np.array([obs.market for obs in self._items], dtype=np.str_)

    @property
    def sources(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Sources (publications)."""
        return np.array([obs.source for obs in self._items], dtype=np.str_)

    @property
    def confidence(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Confidence grades: ``high``, ``medium`` or ``low``."""
        return np.array([obs.confidence for obs in self._items], dtype=np.str_)

    @property
    def bounds(self) -> np.ndarray[Any, np.dtype[np.object_]]:
        """``None`` (exact), ``"lower"`` or ``"upper"``; ``obs.bounds == "lower"`` is a mask."""
        return np.array([obs.bound for obs in self._items], dtype=object)

    def date_range(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """Earliest and latest day any observation touches, ratio base periods included.

        Raises
        ------
        DataError
            If the collection is empty.
        """
        if not self._items:
            raise DataError("no observations, so no date range; load or read some first")
        starts = [obs.start for obs in self._items]
        starts += [obs.base_start for obs in self._items if obs.base_start is not None]
        ends = [obs.end for obs in self._items]
        ends += [obs.base_end for obs in self._items if obs.base_end is not None]
        return min(starts), max(ends)

    def to_frame(self) -> pd.DataFrame:
        """One row per observation; columns are the :class:`Observation` fields plus ``days``.

        ``start``, ``end``, ``base_start`` and ``base_end`` are datetime columns (NaT where a
        ratio base does not apply); ``bound`` holds ``None``, ``"lower"`` or ``"upper"``.
        """
        names = [f.name for f in fields(Observation)]
        frame = pd.DataFrame(
            {name: [getattr(obs, name) for obs in self._items] for name in names},
            columns=names,
        )
        for name in ("start", "end", "base_start", "base_end"):
            frame[name] = pd.to_datetime(frame[name])
        frame["value"] = frame["value"].astype(np.float64)
        frame["days"] = np.array([obs.days for obs in self._items], dtype=np.int64)
        frame["bound"] = pd.Series([obs.bound for obs in self._items], dtype=object)
        return frame

    def filter(
        self,
        series: str | Iterable[str] | None = None,
        market: str | Iterable[str] | None = None,
        source: str | None = None,
        kind: str | Iterable[str] | None = None,
        confidence: str | Iterable[str] | None = None,
    ) -> Observations:
        """The observations that match every criterion given.

        Parameters
        ----------
        series, market, kind, confidence
            A name or several; an observation matches if it has one of them.
        source
            Text that the source must contain (case-insensitive), e.g. ``"a16z"``.

        Raises
        ------
        DataError
            For a kind or confidence that does not exist, or a series or market that no
            observation has (usually a typo); the message lists the names present.
        """
        wanted: dict[str, set[str]] = {}
        for name, given, allowed, what in (
            ("series", series, {obs.series for obs in self._items}, "present"),
            ("market", market, {obs.market for obs in self._items}, "present"),
            ("kind", kind, set(KINDS), "that exist"),
            ("confidence", confidence, set(CONFIDENCES), "that exist"),
        ):
            if given is None:
                continue
            names = {given} if isinstance(given, str) else set(given)
            unknown = sorted(names - allowed)
            if unknown:
                raise DataError(
                    f"no {name} {', '.join(map(repr, unknown))} here; "
                    f"{name} values {what}: {', '.join(sorted(allowed)) or 'none'}"
                )
            wanted[name] = names
        needle = source.lower() if source is not None else None
        return Observations(
            obs
            for obs in self._items
            if all(getattr(obs, name) in names for name, names in wanted.items())
            and (needle is None or needle in obs.source.lower())
        )

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str | None:
        """Write the observations in the CSV schema of :func:`read_observations`.

        Values and units are written as they were read (``28.9T``, ``tokens/week``), so reading
        the file again gives an equal collection.

        Parameters
        ----------
        path
            File to write (UTF-8); ``None`` returns the text instead.
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for obs in self._items:
            one_day = obs.start == obs.end
            row = {
                "series": obs.series,
                "market": obs.market,
                "kind": obs.kind,
                "date": _iso(obs.start) if one_day else "",
                "period_start": "" if one_day else _iso(obs.start),
                "period_end": "" if one_day else _iso(obs.end),
                "base_start": _iso(obs.base_start),
                "base_end": _iso(obs.base_end),
                "value": obs.value_text if obs.value_text is not None else repr(obs.value),
                "unit": obs.unit,
                "source": obs.source,
                "url": obs.url,
                "confidence": obs.confidence,
                "bound": obs.bound or "",
                "note": obs.note,
            }
            writer.writerow([row[column] for column in COLUMNS])
        text = buffer.getvalue()
        if path is None:
            return text
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return None


def _iso(day: pd.Timestamp | None) -> str:
    return "" if day is None else day.date().isoformat()


# ---------------------------------------------------------------------------------- reading


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
        unit=_text(row.get("unit")),
        value_text=_text(row.get("value")),
        value=None,
    )
    problems = _field_problems(draft)
    dates: dict[str, pd.Timestamp | None] = dict.fromkeys(_DATE_COLUMNS)
    for column in _DATE_COLUMNS:
        if not _is_missing(row.get(column)):
            try:
                dates[column] = _to_day(row.get(column))
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
        if draft.unit and draft.value_text and draft.end >= draft.start:
            draft.value, value_problems = _convert(
                draft.kind, draft.value_text, draft.unit, draft.start, draft.end
            )
            problems.extend(value_problems)
        reported = {name for name, _ in problems}
        problems.extend(
            (name, message)
            for name, message in _shape_problems(draft, labels)
            if not (name.startswith("base") and reported & set(_DATE_COLUMNS[3:]))
        )
    if problems:
        return None, problems
    return Observation(**vars(draft)), []


_DATE_COLUMNS: Final[tuple[str, ...]] = (
    "date",
    "period_start",
    "period_end",
    "base_start",
    "base_end",
)


def read_observations(
    data: str | os.PathLike[str] | pd.DataFrame | io.TextIOBase,
    *,
    extra_columns: Iterable[str] = (),
) -> Observations:
    """Read observations from a CSV file or a DataFrame in the schema of this module.

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
    for first, later, conflicting in _duplicates(parsed):
        lines.append(
            f"  rows {rows[first]} and {rows[later]}: "
            f"{_duplicate_message(parsed[first], conflicting)}"
        )
    if lines:
        raise DataError(
            f"{len(lines)} problem(s) in observations from {origin} "
            "(rows are 1-based data rows, not counting the header: row 1 is line 2 of a "
            "CSV file):\n" + "\n".join(lines)
        )
    return Observations(parsed)


def _read_frame(
    data: str | os.PathLike[str] | pd.DataFrame | io.TextIOBase,
) -> tuple[str, pd.DataFrame]:
    if isinstance(data, pd.DataFrame):
        return "a DataFrame", data.reset_index(drop=True)
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


# ------------------------------------------------------------------------ the daily operator


def daily_grid(observations: Observations, start: Any = None, end: Any = None) -> pd.DatetimeIndex:
    """Daily dates from ``start`` to ``end`` inclusive, by default covering every observation.

    Parameters
    ----------
    observations
        Their :meth:`~Observations.date_range` gives the default bounds.
    start, end
        Explicit bounds (anything :class:`pandas.Timestamp` accepts) to extend the grid,
        e.g. to a projection horizon. A grid that leaves out an observation's days makes
        :func:`aggregation_weights` raise.

    Returns
    -------
    pandas.DatetimeIndex
        Consecutive days, frequency ``"D"``, named ``"date"``.

    Raises
    ------
    DataError
        If a bound is not a date, ``end`` is before ``start``, or there are no observations
        and no bounds.

    Examples
    --------
    >>> obs = Observations([Observation("s", "m", "total", 7e12, "2026-05-18", "2026-05-24",
    ...                                 source="x")])
    >>> grid = daily_grid(obs)
    >>> len(grid), grid[0].date().isoformat(), grid[-1].date().isoformat()
    (7, '2026-05-18', '2026-05-24')
    """
    if start is None or end is None:
        first, last = observations.date_range()
        start = first if start is None else start
        end = last if end is None else end
    first_day, last_day = _to_day(start), _to_day(end)
    if last_day < first_day:
        raise DataError(f"grid end {_iso(last_day)} is before its start {_iso(first_day)}")
    return pd.date_range(first_day, last_day, freq="D", name="date")


def aggregation_weights(
    observations: Observations, grid: pd.DatetimeIndex
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]:
    """The linear operators that map a daily series on ``grid`` to each observation.

    Parameters
    ----------
    observations
        ``n_obs`` observations.
    grid
        Consecutive days (:func:`daily_grid`).

    Returns
    -------
    W, B : numpy.ndarray
        Float arrays of shape ``(n_obs, len(grid))``. Row ``i`` of ``W`` is observation
        ``i``'s operator: a ``point`` is 1 on its day; a ``mean``, the numerator of a
        ``ratio``, and a ``share``, ``penetration`` or ``agent_share`` are ``1 / days`` on each
        day of the period (1 on a single day); a ``total`` is 1 on each day (tokens/day
        summed over days give tokens). ``B`` holds the ratio base-period means (``1 / base
        days`` on each base day) and zeros for other kinds. The model-side value of a level
        is ``W @ x``, of a ratio ``(W @ x) / (B @ x)``.

    Raises
    ------
    DataError
        If the grid is not consecutive days, or some observation's days fall outside it
        (each such observation is named).

    Examples
    --------
    >>> obs = Observations([
    ...     Observation("s", "m", "total", 7e12, "2026-05-18", "2026-05-24", source="x"),
    ...     Observation("s", "m", "ratio", 1.074, "2026-05-18", "2026-05-24", source="x",
    ...                 base_start="2026-05-11", base_end="2026-05-17"),
    ... ])
    >>> W, B = aggregation_weights(obs, daily_grid(obs))
    >>> W.shape, float(W[0].sum()), float(W[1].sum().round(12)), float(B[0].sum())
    ((2, 14), 7.0, 1.0, 0.0)
    >>> B[1].nonzero()[0].tolist(), W[1].nonzero()[0].tolist()
    ([0, 1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12, 13])
    """
    if not isinstance(grid, pd.DatetimeIndex) or len(grid) == 0:
        raise DataError("the grid must be a non-empty pandas.DatetimeIndex of days (daily_grid)")
    if grid.tz is not None or not (grid == grid.normalize()).all():
        raise DataError("the grid must hold timezone-naive midnight dates; use daily_grid")
    steps = np.asarray((grid[1:] - grid[:-1]) / pd.Timedelta(days=1), dtype=np.float64)
    if not np.all(steps == 1.0):
        raise DataError("the grid must be consecutive days without gaps; use daily_grid")
    origin, size = grid[0], len(grid)
    weights = np.zeros((len(observations), size), dtype=np.float64)
    base = np.zeros((len(observations), size), dtype=np.float64)
    outside: list[str] = []

    def span(first: pd.Timestamp, last: pd.Timestamp) -> tuple[int, int] | None:
        lo, hi = int((first - origin).days), int((last - origin).days)
        return (lo, hi) if lo >= 0 and hi < size else None

    for i, obs in enumerate(observations):
        positions = span(obs.start, obs.end)
        base_positions = None
        if obs.base_start is not None and obs.base_end is not None:
            base_positions = span(obs.base_start, obs.base_end)
            if base_positions is None:
                positions = None
        if positions is None:
            outside.append(f"  observations[{i}] ({obs.describe()})")
            continue
        lo, hi = positions
        weights[i, lo : hi + 1] = 1.0 if obs.kind == "total" else 1.0 / (hi - lo + 1)
        if base_positions is not None:
            blo, bhi = base_positions
            base[i, blo : bhi + 1] = 1.0 / (bhi - blo + 1)
    if outside:
        raise DataError(
            f"{len(outside)} observation(s) fall outside the grid {_iso(origin)}.."
            f"{_iso(grid[-1])}; extend the grid (daily_grid(observations, start, end)) or "
            "filter them out:\n" + "\n".join(outside)
        )
    return weights, base
