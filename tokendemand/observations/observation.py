"""One observation: a public figure in canonical units, validated when it is made."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from tokendemand.dates import span, to_day
from tokendemand.errors import DataError
from tokendemand.observations.checks import (
    Problem,
    field_problems,
    launch_problems,
    shape_problems,
    unit_problems,
)
from tokendemand.observations.schema import _CANONICAL_UNITS, KINDS, Bound, Confidence, Kind

__all__ = ["Observation"]


@dataclass(frozen=True)
class Observation:
    """One public figure, in canonical units.

    Parameters
    ----------
    series, market
        What was measured and the market it belongs to.
    kind
        One of :data:`KINDS` (see :mod:`tokendemand.observations`).
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
    proxy
        Empty for a figure that measures its ``kind`` directly; otherwise the name of what it
        measures instead (``programming_share`` for an agent share, ``org_adoption`` for a
        penetration): the figure enters through its own bias term, estimated
        (:mod:`tokendemand.observations`, "Proxy figures").
    launch
        ``None`` for a mature series; for a product in its launch phase, the day of its public
        launch (anything :class:`pandas.Timestamp` accepts; stored as a midnight Timestamp).
        It may not be after the figure's first day (:mod:`tokendemand.observations`, "Launch
        phases").
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
    proxy: str = ""
    launch: pd.Timestamp | None = None
    value_text: str | None = field(default=None, compare=False)

    @classmethod
    def _from_checked(cls, **values: Any) -> Observation:
        """An observation from fields the caller has already checked and converted.

        :func:`~tokendemand.observations.read_observations` checks each CSV row once, with
        row numbers in its messages; this makes the object without checking it again.
        """
        obs = object.__new__(cls)
        for item in fields(cls):
            value = values[item.name] if item.name in values else item.default
            object.__setattr__(obs, item.name, value)
        return obs

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        for name in (
            "series",
            "market",
            "source",
            "url",
            "note",
            "unit",
            "kind",
            "confidence",
            "proxy",
        ):
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
        for name in ("start", "end", "base_start", "base_end", "launch"):
            raw = getattr(self, name)
            if raw is None and name not in ("start", "end"):
                continue
            try:
                object.__setattr__(self, name, to_day(raw, whole=True))
            except DataError as error:
                problems.append((name, str(error)))
        if not problems:
            if self.kind in KINDS and not self.unit:
                object.__setattr__(self, "unit", _CANONICAL_UNITS[self.kind])
            problems.extend(field_problems(self))
            if self.kind in KINDS:
                problems.extend(shape_problems(self, {"start": "start", "end": "end"}))
                problems.extend(launch_problems(self))
            if not problems:
                problems.extend(unit_problems(self))
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
        text = f"{self.series} {self.kind} {span(self.start, self.end)}"
        if self.base_start is not None and self.base_end is not None:
            text += f" over {span(self.base_start, self.base_end)}"
        return text if self.bound is None else f"{text} ({self.bound} bound)"
