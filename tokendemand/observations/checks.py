"""Checks: every problem with an observation's fields, period, unit and value, and with
duplicates, each as a (field, what was wrong and the fix) pair; unit conversion to canonical
units.

These helpers gather problems instead of raising, so that
:class:`~tokendemand.observations.Observation` and
:func:`~tokendemand.observations.read_observations` can report every problem at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Final, Protocol, cast

import pandas as pd

from tokendemand.dates import iso, span
from tokendemand.errors import DataError
from tokendemand.observations.schema import (
    _CANONICAL_UNITS,
    _UNIT_HINTS,
    BOUNDS,
    CONFIDENCES,
    FRACTION_KINDS,
    KINDS,
    LEVEL_KINDS,
    PROXY_KINDS,
    RATIO_UNIT_KINDS,
)
from tokendemand.units import parse_rate, parse_tokens, to_tokens_per_day

_PARENTHETICAL_RE: Final[re.Pattern[str]] = re.compile(r"\([^()]*\)")

__all__ = [
    "Figure",
    "Problem",
    "convert",
    "duplicate_message",
    "duplicates",
    "field_problems",
    "launch_conflicts",
    "launch_message",
    "launch_problems",
    "shape_problems",
    "unit_problems",
]

Problem = tuple[str, str]
"""A problem: (field, what was wrong and the fix)."""


class Figure(Protocol):
    """What the checks read of an observation (an :class:`Observation` once it is made)."""

    @property
    def series(self) -> str: ...

    @property
    def market(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def value(self) -> float: ...

    @property
    def start(self) -> pd.Timestamp: ...

    @property
    def end(self) -> pd.Timestamp: ...

    @property
    def base_start(self) -> pd.Timestamp | None: ...

    @property
    def base_end(self) -> pd.Timestamp | None: ...

    @property
    def unit(self) -> str: ...

    @property
    def bound(self) -> str | None: ...

    @property
    def value_text(self) -> str | None: ...

    def describe(self) -> str:
        """One line naming the figure."""
        ...


def _unit_core(unit: str) -> str:
    return re.sub(r"\s+", " ", _PARENTHETICAL_RE.sub(" ", unit)).strip().lower()


def _volume_unit_problem(kind: str, unit: str, core: str) -> str | None:
    """What is wrong with ``unit`` for a volume of ``kind`` (``None`` when it fits)."""
    if kind == "total":
        if core in {"tokens", "token"}:
            return None
        return f"{unit!r} is not a quantity; a total needs {_UNIT_HINTS[kind]}"
    try:
        parse_rate(unit)
    except DataError:
        return f"{unit!r} is not a rate; a {kind} needs {_UNIT_HINTS[kind]}"
    return None


def convert(
    kind: str, value: object, unit: str, start: pd.Timestamp, end: pd.Timestamp
) -> tuple[float | None, list[Problem]]:
    """The canonical value of ``value`` written in ``unit``, or the problems that prevent it."""
    core = _unit_core(unit)
    if kind in LEVEL_KINDS:
        unit_problem = _volume_unit_problem(kind, unit, core)
        if unit_problem is not None:
            # a bad unit does not hide a bad value: read the quantity on its own too
            found: list[Problem] = [("unit", unit_problem)]
            try:
                parse_tokens(cast(Any, value))
            except DataError as error:
                found.append(("value", str(error)))
            return None, found
        try:
            if kind == "total":
                return parse_tokens(cast(Any, value)), []
            return to_tokens_per_day(cast(Any, value), parse_rate(unit), start, end), []
        except DataError as error:
            return None, [("value", f"{error}")]
    if core not in {"ratio", "fraction", "%", "percent"} or (kind in RATIO_UNIT_KINDS) != (
        core == "ratio"
    ):
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
        example = "1.074" if kind in RATIO_UNIT_KINDS else ("23" if percent else "0.23")
        return None, [("value", f"{value!r} is not a plain number; write e.g. {example}")]
    return (number / 100.0 if percent else number), []


def field_problems(obs: Any) -> list[Problem]:
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
    proxy = getattr(obs, "proxy", "")
    if proxy and obs.kind in KINDS and obs.kind not in PROXY_KINDS:
        problems.append(
            (
                "proxy",
                f"a {obs.kind} cannot be a proxy; a proxy stands for one of "
                f"{', '.join(PROXY_KINDS)} (leave proxy empty for a direct figure)",
            )
        )
    if proxy and not proxy.replace("_", "").isalnum():
        problems.append(
            ("proxy", f"{proxy!r} is not a name; use letters, digits and _ (programming_share)")
        )
    return problems


_NAMED: Final[tuple[str, ...]] = ("series", "market", "source")


def shape_problems(obs: Any, labels: dict[str, str]) -> list[Problem]:
    """Problems with the period, the base period and the value of a known kind.

    ``labels`` name the fields holding ``start`` and ``end``; ``obs.value`` may be ``None``
    when it could not be parsed.
    """
    problems: list[Problem] = []
    start, end, kind = obs.start, obs.end, obs.kind
    if end < start:
        problems.append(
            (labels["end"], f"period ends {iso(end)} before it starts {iso(start)}; swap them")
        )
    if kind == "point" and end != start:
        problems.append(
            (
                labels["end"],
                f"a point is one day but the period is {span(start, end)}; give a date, "
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
                f"base period ends {iso(obs.base_end)} before it starts "
                f"{iso(obs.base_start)}; swap them",
            )
        )
    elif (obs.base_start, obs.base_end) == (start, end):
        problems.append((base, "the base period equals the period; a ratio compares two"))

    value = obs.value
    if value is None:
        pass
    elif math.isnan(value) or math.isinf(value):
        problems.append(("value", f"{value!r} is not a finite number; give the figure"))
    elif kind in FRACTION_KINDS and not 0.0 <= value <= 1.0:
        problems.append(
            (
                "value",
                f"a {kind} is a fraction in [0, 1] but got {value!r}"
                f"{_as_written(obs)}; "
                "write 0.23 with unit 'fraction' or 23 with unit '%'",
            )
        )
    elif kind in RATIO_UNIT_KINDS and value <= 0.0:
        problems.append(
            ("value", f"a ratio must be > 0 but got {value!r}; a 10% fall is 0.9, doubling 2")
        )
    elif kind not in FRACTION_KINDS and value <= 0.0:
        problems.append(
            ("value", f"a volume must be > 0 but got {value!r}; give the reported token count")
        )
    return problems


def _as_written(obs: Any) -> str:
    text = getattr(obs, "value_text", None)
    return f" (from {text!r} {obs.unit})" if text else ""


def launch_problems(obs: Any) -> list[Problem]:
    """Problems with the launch date of a figure whose period has been read.

    A product's figures describe it after its launch: a launch after the first day the
    figure touches (its period or, for a ratio, its base period) is an error.
    """
    launch = getattr(obs, "launch", None)
    if launch is None:
        return []
    first = obs.start if obs.base_start is None else min(obs.start, obs.base_start)
    if launch <= first:
        return []
    return [
        (
            "launch",
            f"launch {iso(launch)} is after the figure's first day {iso(first)}; a product's "
            "figures come after its launch: correct the launch (or the date), or leave launch "
            "empty for a mature series",
        )
    ]


def launch_conflicts(items: Sequence[Any]) -> list[tuple[str, str, dict[str, list[int]]]]:
    """Series whose figures disagree on the launch date, with the positions of each launch.

    All figures of one (market, series) must carry the same launch, or none. Returns
    ``(market, series, {launch as YYYY-MM-DD or "none": positions})`` per series that mixes
    launches, in order of first appearance.
    """
    groups: dict[tuple[str, str], dict[str, list[int]]] = {}
    for position, obs in enumerate(items):
        launch = getattr(obs, "launch", None)
        label = "none" if launch is None else iso(launch)
        groups.setdefault((obs.market, obs.series), {}).setdefault(label, []).append(position)
    return [
        (market, series, launches)
        for (market, series), launches in groups.items()
        if len(launches) > 1
    ]


def launch_message(market: str, series: str, where: dict[str, str]) -> str:
    """The message for a series whose figures disagree on the launch; ``where`` maps each
    launch (or ``"none"``) to the rows or positions that carry it."""
    listed = "; ".join(f"launch {launch} in {rows}" for launch, rows in where.items())
    return (
        f"series {series!r} of market {market!r} has different launch dates ({listed}); give "
        "every figure of a series the same launch date, or leave launch empty in all of them "
        "for a mature series"
    )


def unit_problems(obs: Figure) -> list[Problem]:
    """Does ``value`` agree with ``value_text`` in ``unit`` (or ``unit`` with canonical units)?"""
    text = obs.value_text if obs.value_text is not None else repr(obs.value)
    canonical, problems = convert(obs.kind, text, obs.unit, obs.start, obs.end)
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


def duplicates(items: Sequence[Figure]) -> list[tuple[int, int, bool]]:
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


def duplicate_message(first: Figure, conflicting: bool) -> str:
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
