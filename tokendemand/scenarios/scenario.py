"""The Scenario: what changes from the fitted trajectory, and its TOML table form."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from tokendemand.dates import iso
from tokendemand.errors import ConfigError
from tokendemand.scenarios.changes import (
    Change,
    Pin,
    change_from_table,
    check_change,
    optional_date,
    to_number,
)
from tokendemand.structure import LEVERS, DateLike

__all__ = ["Scenario", "scenario_from_mapping"]


_SCENARIO_FIELDS: Final = (
    "name",
    "description",
    *LEVERS,
    "start",
    "intensity_ratio",
    "break_even_penetration",
    "substitution",
    "recalibrate",
    "source",
)


@dataclass(frozen=True, init=False)
class Scenario:
    """What changes from the fitted trajectory, lever by lever.

    Parameters
    ----------
    name
        Short identifier, used as the ``scenario`` coordinate of a projection.
    description
        One sentence saying what the scenario assumes.
    users, chatbot, penetration, complexity, usage
        ``None`` (the posterior), or a :class:`Scale`, :class:`Growth`, :class:`Pin` or
        :class:`Override` (see the module docstring).
    start
        When changes begin (a change may carry its own ``start``); ``None``: the reference date.
    intensity_ratio
        ``rho`` for every draw.
    break_even_penetration
        Alternatively, the break-even penetration at the reference date; each draw gets
        ``rho = intensity_ratio_for_break_even(value, s)`` with its own substitution ``s``
        (exact while the indices are 1 there, i.e. unless a change starts before that date).
    substitution
        ``s`` in ``[0, 1]`` for every draw.
    recalibrate
        Reset ``b_r`` per draw so that the reference-date total is unchanged (default ``True``:
        the data pinned that total; only the split and the path change).
    source
        Where the assumption comes from.

    Raises
    ------
    ConfigError
        Listing every problem at once: unknown levers or options, wrong kinds of change,
        penetration outside ``[0, 1]``, non-positive factors, unknown parameter names, ...

    Examples
    --------
    >>> from tokendemand.scenarios import Scale, Scenario
    >>> s = Scenario("agents-2x", "adoption twice as fast", penetration=Scale(2.0))
    >>> s.changes
    {'penetration': Scale(factor=2.0, start=None)}
    >>> Scenario("typo", penetraton=Scale(2.0))
    Traceback (most recent call last):
    ...
    tokendemand.errors.ConfigError: invalid scenario 'typo':
      unknown lever or option 'penetraton' (did you mean 'penetration'?)
    """

    name: str
    description: str
    users: Change | None
    chatbot: Change | None
    penetration: Change | None
    complexity: Change | None
    usage: Change | None
    start: pd.Timestamp | None
    intensity_ratio: float | None
    break_even_penetration: float | None
    substitution: float | None
    recalibrate: bool
    source: str

    def __init__(
        self,
        name: str,
        description: str = "",
        *,
        penetration: Change | None = None,
        complexity: Change | None = None,
        usage: Change | None = None,
        chatbot: Change | None = None,
        users: Change | None = None,
        start: DateLike | None = None,
        intensity_ratio: float | None = None,
        break_even_penetration: float | None = None,
        substitution: float | None = None,
        recalibrate: bool = True,
        source: str = "",
        **unknown: Any,
    ) -> None:
        problems: list[str] = []
        for key in unknown:
            hint = difflib.get_close_matches(key, _SCENARIO_FIELDS, n=1)
            problems.append(
                f"unknown lever or option {key!r}"
                + (f" (did you mean {hint[0]!r}?)" if hint else f"; levers: {', '.join(LEVERS)}")
            )
        if not isinstance(name, str) or not name.strip():
            problems.append(f"name must be a non-empty string, got {name!r}")
        for label, text in (("description", description), ("source", source)):
            if not isinstance(text, str):
                problems.append(f"{label} must be a string, got {text!r}")
        changes = {
            "users": users,
            "chatbot": chatbot,
            "penetration": penetration,
            "complexity": complexity,
            "usage": usage,
        }
        for lever, change in changes.items():
            if change is not None:
                problems.extend(check_change(lever, change))
        numbers: dict[str, float | None] = {}
        rules: dict[str, tuple[Any, float, float, bool, str]] = {
            # value, low, high, low bound included, rule
            "intensity_ratio": (intensity_ratio, 0.0, math.inf, False, "must be positive"),
            "break_even_penetration": (
                break_even_penetration,
                0.0,
                1.0,
                False,
                "must be in (0, 1]",
            ),
            "substitution": (substitution, 0.0, 1.0, True, "must be in [0, 1]"),
        }
        for label, (value, low, high, closed, rule) in rules.items():
            numbers[label] = None
            if value is None:
                continue
            try:
                number = to_number(value, label)
            except ConfigError as error:
                problems.append(str(error))
                continue
            if not (low <= number if closed else low < number) or number > high:
                problems.append(f"{label} {rule}, got {number}")
            numbers[label] = number
        if intensity_ratio is not None and break_even_penetration is not None:
            problems.append(
                "give intensity_ratio or break_even_penetration, not both "
                "(the break-even penetration determines rho)"
            )
        if not isinstance(recalibrate, bool):
            problems.append(f"recalibrate must be true or false, got {recalibrate!r}")
        stamp: pd.Timestamp | None = None
        try:
            stamp = optional_date(start, "start")
        except ConfigError as error:
            problems.append(str(error))
        for lever, change in changes.items():
            if isinstance(change, Pin):
                first = change.points[0][0]
                begin = change.start if change.start is not None else stamp
                if begin is not None and first < begin:
                    problems.append(
                        f"{lever}: the first pinned date {iso(first)} is before the change "
                        f"starts ({iso(begin)}); drop the point or start earlier"
                    )
        if problems:
            raise ConfigError(f"invalid scenario {name!r}:\n  " + "\n  ".join(problems))
        values: dict[str, Any] = {
            "name": name,
            "description": description,
            **changes,
            "start": stamp,
            **numbers,
            "recalibrate": recalibrate,
            "source": source,
        }
        for key, value in values.items():
            object.__setattr__(self, key, value)

    @property
    def changes(self) -> dict[str, Change]:
        """The levers this scenario changes, in :data:`~tokendemand.structure.LEVERS` order."""
        found = {lever: getattr(self, lever) for lever in LEVERS}
        return {lever: change for lever, change in found.items() if change is not None}

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields replaced (validated again).

        Examples
        --------
        >>> from tokendemand.scenarios import Growth, builtin
        >>> builtin("posterior").replace(name="mine", usage=Growth(0.3)).changes
        {'usage': Growth(annual_rate=0.3, start=None)}
        """
        current: dict[str, Any] = {key: getattr(self, key) for key in _SCENARIO_FIELDS}
        current.update(changes)
        name = current.pop("name")
        description = current.pop("description")
        return Scenario(name, description, **current)

    def assumptions(self, reference: pd.Timestamp | None = None) -> list[tuple[str, str]]:
        """Every assumption of the scenario as (item, value) rows, unchanged levers included.

        ``reference`` dates the default start of the changes (else: "the reference date").
        """
        rows: list[tuple[str, str]] = [("assumes", self.description or "—")]
        if self.source:
            rows.append(("source", self.source))
        if self.start is not None:
            rows.append(("changes start", iso(self.start)))
        else:
            rows.append(("changes start", iso(reference) if reference else "the reference date"))
        for lever in LEVERS:
            change = self.changes.get(lever)
            rows.append((lever, "as fitted" if change is None else change.describe()))
        if self.intensity_ratio is not None:
            rows.append(("intensity ratio rho", f"{self.intensity_ratio:g}"))
        if self.break_even_penetration is not None:
            rows.append(
                (
                    "break-even penetration on the reference date",
                    f"{self.break_even_penetration:.3g} (rho follows per draw)",
                )
            )
        if self.substitution is not None:
            rows.append(("substitution share s", f"{self.substitution:g}"))
        rows.append(
            (
                "recalibrate",
                "yes: reference-date total kept as fitted"
                if self.recalibrate
                else "no: the posterior scale is kept",
            )
        )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The scenario as a table of the TOML format (fields left at defaults omitted)."""
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        if self.source:
            out["source"] = self.source
        if self.start is not None:
            out["start"] = iso(self.start)
        for label in ("intensity_ratio", "break_even_penetration", "substitution"):
            if getattr(self, label) is not None:
                out[label] = getattr(self, label)
        if not self.recalibrate:
            out["recalibrate"] = False
        for lever, change in self.changes.items():
            out[lever] = change.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Build a scenario from a table of the TOML format (see :func:`load_toml`).

        Examples
        --------
        >>> Scenario.from_dict({"name": "x", "complexity": {"per_year": 2.0}}).complexity
        Growth(annual_rate=0.6931471805599453, start=None)
        """
        scenario, problems = scenario_from_mapping(data)
        if scenario is None:
            name = data.get("name", "?") if isinstance(data, Mapping) else "?"
            raise ConfigError(f"invalid scenario {name!r}:\n  " + "\n  ".join(problems))
        return scenario


def scenario_from_mapping(data: Any) -> tuple[Scenario | None, list[str]]:
    """A scenario from a TOML-style table, or every problem found."""
    if not isinstance(data, Mapping):
        return None, [f"expected a table of scenario fields, got {data!r}"]
    problems: list[str] = []
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if key in LEVERS:
            try:
                fields[key] = change_from_table(key, value)
            except ConfigError as error:
                problems.append(str(error))
        else:
            fields[key] = value
    if "name" not in fields:
        problems.append("every scenario needs a name")
    # the rest of the table is checked even when a lever's table or the name is bad, so that
    # one reading of the file lists every problem
    name = fields.pop("name", "unnamed")
    description = fields.pop("description", "")
    try:
        scenario = Scenario(name, description, **fields)
    except ConfigError as error:
        problems.extend(line.strip() for line in str(error).splitlines()[1:])
        return None, problems
    return (None, problems) if problems else (scenario, [])
