"""Reduced outputs of a sweep: one number (or date) per scenario and draw.

A sweep never stores the (scenario x draw x date) cube; it evaluates each output directly from
a :class:`~tokendemand.projection.plan.Plan`:

=========================  ==================================================================
output                     value per scenario and draw
=========================  ==================================================================
:class:`Total`             tokens per day on ``date``
:class:`AgentShare`        agent share of tokens on ``date``
:class:`Multiplier`        ``D(end) / D(start)``
:class:`BreakEvenDate`     the first date on which agent tokens reach chatbot tokens
                           (``NaT`` if not by ``until``), as :class:`~tokendemand.projection.
                           BreakEven` finds it on a daily grid from ``start``
=========================  ==================================================================

The break-even search looks at every ``step``-th day first, then narrows the first bracket that
crossed eightfold until it is one day wide, then interpolates ``agent - chatbot`` linearly
within that day as :class:`~tokendemand.projection.BreakEven` does. With ``step=1`` it reads
every day; with a larger step it misses only a crossing that reverses within ``step`` days.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.dates import DAYS_PER_YEAR, days_since, iso, to_day
from tokendemand.errors import ConfigError
from tokendemand.projection.plan import Plan, _apply, _shape
from tokendemand.scenarios import Scale
from tokendemand.structure import DateLike, break_even_penetration

__all__ = [
    "OUTPUT_KINDS",
    "AgentShare",
    "BreakEvenDate",
    "Multiplier",
    "Output",
    "Total",
    "evaluate_outputs",
    "name_outputs",
    "numeric",
    "output_from_dict",
]

_NS_PER_DAY: Final = 86_400 * 10**9


def _day(value: DateLike | None, what: str) -> pd.Timestamp | None:
    return None if value is None else to_day(value, what, ConfigError)


@dataclass(frozen=True, init=False)
class Total:
    """Total tokens per day on ``date``."""

    date: pd.Timestamp

    def __init__(self, date: DateLike) -> None:
        object.__setattr__(self, "date", to_day(date, "Total date", ConfigError))

    @property
    def name(self) -> str:
        """The variable name in a sweep's dataset."""
        return f"total_{iso(self.date)}"

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this output."""
        return {"kind": "total", "date": iso(self.date)}


@dataclass(frozen=True, init=False)
class AgentShare:
    """Agent share of tokens on ``date``."""

    date: pd.Timestamp

    def __init__(self, date: DateLike) -> None:
        object.__setattr__(self, "date", to_day(date, "AgentShare date", ConfigError))

    @property
    def name(self) -> str:
        """The variable name in a sweep's dataset."""
        return f"agent_share_{iso(self.date)}"

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this output."""
        return {"kind": "agent_share", "date": iso(self.date)}


@dataclass(frozen=True, init=False)
class Multiplier:
    """``D(end) / D(start)``; ``start=None`` is the reference date."""

    end: pd.Timestamp
    start: pd.Timestamp | None

    def __init__(self, end: DateLike, start: DateLike | None = None) -> None:
        first, last = _day(start, "Multiplier start"), to_day(end, "Multiplier end", ConfigError)
        if first is not None and last <= first:
            raise ConfigError(f"Multiplier end {iso(last)} must be after start {iso(first)}")
        object.__setattr__(self, "end", last)
        object.__setattr__(self, "start", first)

    @property
    def name(self) -> str:
        """The variable name in a sweep's dataset."""
        begin = "reference" if self.start is None else iso(self.start)
        return f"multiplier_{begin}_{iso(self.end)}"

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this output."""
        table = {"kind": "multiplier", "end": iso(self.end)}
        return table if self.start is None else {**table, "start": iso(self.start)}


@dataclass(frozen=True, init=False)
class BreakEvenDate:
    """The first date, from ``start`` to ``until``, when agent tokens reach chatbot tokens.

    ``start=None`` is the reference date; ``step`` is the coarse search step in days (see the
    module docstring). In :func:`numeric` terms: years after the reference date, with draws that
    do not cross by ``until`` counted at ``until`` (censored).
    """

    until: pd.Timestamp
    start: pd.Timestamp | None
    step: int

    def __init__(
        self, until: DateLike = "2030-12-31", start: DateLike | None = None, step: int = 64
    ) -> None:
        first, last = (
            _day(start, "BreakEvenDate start"),
            to_day(until, "BreakEvenDate until", ConfigError),
        )
        if first is not None and last <= first:
            raise ConfigError(f"BreakEvenDate until {iso(last)} must be after start {iso(first)}")
        if not isinstance(step, int) or isinstance(step, bool) or step < 1:
            raise ConfigError(f"BreakEvenDate step must be a positive number of days, got {step!r}")
        object.__setattr__(self, "until", last)
        object.__setattr__(self, "start", first)
        object.__setattr__(self, "step", step)

    @property
    def name(self) -> str:
        """The variable name in a sweep's dataset."""
        return "break_even"

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this output."""
        table: dict[str, Any] = {"kind": "break_even", "until": iso(self.until), "step": self.step}
        return table if self.start is None else {**table, "start": iso(self.start)}


Output = Total | AgentShare | Multiplier | BreakEvenDate
"""Any reduced output."""

OUTPUT_KINDS: Final[dict[str, Any]] = {
    "total": Total,
    "agent_share": AgentShare,
    "multiplier": Multiplier,
    "break_even": BreakEvenDate,
}
"""Output classes by the ``kind`` of their TOML table (and the ``output`` name in sensitivity)."""


def output_from_dict(table: Mapping[str, Any]) -> Output:
    """An output from its table, e.g. ``{"kind": "multiplier", "end": "2028-12-31"}``.

    Examples
    --------
    >>> output_from_dict({"kind": "multiplier", "start": "2026-03-31", "end": "2028-12-31"}).name
    'multiplier_2026-03-31_2028-12-31'
    """
    if not isinstance(table, Mapping) or table.get("kind") not in OUTPUT_KINDS:
        raise ConfigError(
            f"an output is a table with kind = one of {', '.join(OUTPUT_KINDS)} and its "
            f"arguments, got {table!r}"
        )
    arguments = {k: v for k, v in table.items() if k != "kind"}
    try:
        output: Output = OUTPUT_KINDS[table["kind"]](**arguments)
    except TypeError as error:
        raise ConfigError(f"output {table['kind']!r}: {error}") from None
    return output


def name_outputs(outputs: Output | Sequence[Output] | Mapping[str, Output]) -> dict[str, Output]:
    """Outputs by variable name (their own ``name`` unless a mapping names them)."""
    if isinstance(outputs, Total | AgentShare | Multiplier | BreakEvenDate):
        outputs = [outputs]
    items = (
        list(outputs.items())
        if isinstance(outputs, Mapping)
        else [(getattr(o, "name", ""), o) for o in outputs]
    )
    problems = [
        f"{o!r} is not an output: use Total, AgentShare, Multiplier or BreakEvenDate"
        for _, o in items
        if not isinstance(o, Total | AgentShare | Multiplier | BreakEvenDate)
    ]
    names = [n for n, _ in items]
    problems += [
        f"two outputs are named {n!r}; name them with a dict"
        for n in set(names)
        if names.count(n) > 1
    ]
    if not items:
        problems.append("no outputs given")
    if problems:
        raise ConfigError("invalid outputs:\n  " + "\n  ".join(sorted(problems)))
    return dict(items)


def numeric(output: Output, values: Any, reference: pd.Timestamp) -> Any:
    """Values of ``output`` as floats: break-even dates as years after ``reference``, censored
    at ``until``; the others unchanged."""
    if not isinstance(output, BreakEvenDate):
        return np.asarray(values, dtype=float)
    stamps = np.asarray(values, dtype="datetime64[ns]")
    censored = np.where(np.isnat(stamps), output.until.as_unit("ns").to_datetime64(), stamps)
    since = (censored - reference.as_unit("ns").to_datetime64()).astype(np.int64)
    return since / (_NS_PER_DAY * DAYS_PER_YEAR)


# --------------------------------------------------------------------------- evaluation


_CROSSING_LEVERS: Final = ("penetration", "chatbot", "complexity", "usage")
"""The levers that decide whether agents reach chatbots (users and the scale cancel)."""


def _crossed(plan: Plan, t: Any) -> Any:
    """Whether agent tokens reach chatbot tokens at ``t``: penetration >= its break-even.

    The levers come from the plan's families and changes exactly as :meth:`Plan.levers`
    computes them, skipping what the test does not need: the users index, and a lever's
    unchanged path where its change does not read it (a penetration speed-up re-evaluates the
    curve at scaled times; after its start a change replaces the path).
    """
    p = _shape(plan.parameters, slice(None))
    changes = {lever: (change, t0) for lever, change, t0 in plan.changes}
    levers: dict[str, Any] = {}
    for lever in _CROSSING_LEVERS:
        family = plan.structure.family(lever)
        if lever not in changes:
            levers[lever] = family(t, p.lever(lever))
            continue
        change, t0 = changes[lever]
        if isinstance(change, Scale):  # an index's scaled growth reads its path
            needed = lever != "penetration"
        else:  # Growth and Pin replace the path after their start
            needed = bool(np.any(np.asarray(t) <= t0))
        path = family(t, p.lever(lever)) if needed else 0.0
        levers[lever] = _apply(change, lever, plan, p, path, t, t0)
    threshold = break_even_penetration(
        levers["chatbot"], levers["complexity"], levers["usage"], p.intensity_ratio, p.substitution
    )
    return levers["penetration"] >= threshold


def _break_even(plan: Plan, output: BreakEvenDate, cells: int) -> Any:
    reference = plan.parameters.reference_date
    start = output.start if output.start is not None else reference
    first = float(days_since(start, reference)[0])
    last = float(days_since(output.until, reference)[0])
    grid = np.append(np.arange(first, last, output.step), last)
    crossed = _crossed(plan, grid)
    crossed = np.broadcast_to(crossed, (cells, grid.size))
    any_crossed = crossed.any(axis=1)
    j = crossed.argmax(axis=1)
    active = any_crossed & (j > 0)
    # brackets (lo, hi]: lo not crossed, hi crossed; inactive cells get a harmless empty one
    lo = np.where(active, grid[np.maximum(j - 1, 0)], last)
    hi = np.where(active, grid[j], last)
    rows = np.arange(cells)
    width = output.step
    while width > 1:
        sub = max(1, width // 8)
        k = np.arange(1, math.ceil(width / sub) + 1)
        t = np.minimum(lo[:, None] + sub * k, hi[:, None])
        found = np.broadcast_to(_crossed(plan, t), t.shape)
        # the bracket's top is crossed by construction; cells whose top is not (inactive) keep it
        i = np.where(found.any(axis=1), found.argmax(axis=1), k.size - 1)
        lo = np.where(i > 0, t[rows, np.maximum(i - 1, 0)], lo)
        hi = t[rows, i]
        width = sub
    values = plan.components(np.stack([lo, hi], axis=1))
    gap = np.broadcast_to(values["agent"] - values["chatbot"], (cells, 2))
    before, after = gap[:, 0], gap[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(active, before / (before - after), 0.0)
    # whole days in integers (days * ns per day overflows a float's exact range)
    offset_ns = np.round(lo).astype(np.int64) * _NS_PER_DAY
    offset_ns += np.round(fraction * (hi - lo) * _NS_PER_DAY).astype(np.int64)
    when = reference.as_unit("ns").to_datetime64() + offset_ns.astype("timedelta64[ns]")
    when = np.where(any_crossed & (j == 0), start.as_unit("ns").to_datetime64(), when)
    return np.where(any_crossed, when, np.datetime64("NaT", "ns"))


def evaluate_outputs(plan: Plan, outputs: Mapping[str, Output], cells: int) -> dict[str, Any]:
    """Every output for the ``cells`` draws of ``plan``, as 1-D arrays by name."""
    reference = plan.parameters.reference_date
    dates: list[pd.Timestamp] = []
    for output in outputs.values():
        if isinstance(output, Total | AgentShare):
            dates.append(output.date)
        elif isinstance(output, Multiplier):
            dates += [output.start if output.start is not None else reference, output.end]
    unique = sorted(set(dates))
    where = {d: i for i, d in enumerate(unique)}
    values: dict[str, Any] = {}
    if unique:
        values = plan.components(days_since(unique, reference))
    out: dict[str, Any] = {}
    for name, output in outputs.items():
        if isinstance(output, Total):
            total = np.broadcast_to(values["total"], (cells, len(unique)))
            out[name] = total[:, where[output.date]]
        elif isinstance(output, AgentShare):
            share = np.broadcast_to(values["agent_share"], (cells, len(unique)))
            out[name] = share[:, where[output.date]]
        elif isinstance(output, Multiplier):
            total = np.broadcast_to(values["total"], (cells, len(unique)))
            begin = output.start if output.start is not None else reference
            out[name] = total[:, where[output.end]] / total[:, where[begin]]
        else:
            out[name] = _break_even(plan, output, cells)
    return out
