"""Goal seek: the lever value that gives a target growth multiplier by a date.

"What complexity growth gets daily tokens to 5x by 2030?" :func:`goal_seek` changes one lever of
a base scenario from ``start`` on and solves ``D(by) / D(start) = target``: with
:func:`scipy.optimize.brentq` for one value (the median over draws), and with
:func:`scipy.optimize.elementwise.find_root` for every draw at once (``per_draw=True``). What it
solves for:

===========  ==================================================  ============================
``what``     index lever (users, chatbot, complexity, usage)     penetration
===========  ==================================================  ============================
``"rate"``   continuous annual growth rate from ``start``        speed factor of adoption
             (:class:`~tokendemand.scenarios.Growth`),           (:class:`~tokendemand.
             bounds ``(-5, 5)``                                  scenarios.Scale`),
                                                                 bounds ``(0.001, 1000)``
``"level"``  level on ``by`` relative to the reference date      share on ``by``, bounds
             (:class:`~tokendemand.scenarios.Pin`, linear from   ``(0, 1)``
             ``start``), bounds ``(1e-6, 1e6)``
===========  ==================================================  ============================

By default one value serves every draw and the **median** multiplier over draws hits the
target; with ``per_draw=True`` each draw gets its own value. The answer comes back with the
scenario that applies it, so projecting that scenario again reproduces the target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
import xarray as xr
from scipy.optimize import brentq
from scipy.optimize.elementwise import find_root

from tokendemand.dates import days_since, iso, to_day
from tokendemand.errors import ConfigError
from tokendemand.projection._cells import batched_change
from tokendemand.projection.plan import (
    Plan,
    PosteriorSource,
    make_plan,
    resolve_scenarios,
    resolve_source,
)
from tokendemand.scenarios import Change, Growth, Pin, Scale, Scenario
from tokendemand.structure import LEVERS, DateLike, Parameters, Structure, combine

__all__ = ["DEFAULT_BOUNDS", "GoalSeek", "goal_seek"]

DEFAULT_BOUNDS: Final[dict[tuple[str, str], tuple[float, float]]] = {
    ("index", "rate"): (-5.0, 5.0),
    ("index", "level"): (1e-6, 1e6),
    ("penetration", "rate"): (1e-3, 1e3),
    ("penetration", "level"): (0.0, 1.0),
}
"""Search range by (lever kind, what): the "lever's range" that a target must be reached in."""

_LOG_SCALE: Final = {("index", "level"), ("penetration", "rate")}  # searched in log space


@dataclass(frozen=True)
class GoalSeek:
    """The answer of :func:`goal_seek`.

    Attributes
    ----------
    lever, what
        What was solved for (see the module docstring).
    value
        The answer; with ``per_draw=True`` the median of :attr:`values`.
    values
        Per draw (dims ``draw``) with ``per_draw=True``, else ``None``; ``NaN`` for draws that
        cannot reach the target when ``unreachable="nan"``.
    target, start, by
        The multiplier sought, ``D(by) / D(start)``.
    achieved
        Median over draws of the multiplier under :attr:`scenario` (equals ``target`` unless
        ``per_draw=True``).
    change, scenario
        The change that applies :attr:`value`, and the base scenario with it.
    bounds
        The range searched.
    """

    lever: str
    what: Literal["rate", "level"]
    value: float
    values: xr.DataArray | None
    target: float
    start: pd.Timestamp
    by: pd.Timestamp
    achieved: float
    change: Change
    scenario: Scenario
    bounds: tuple[float, float]

    def __str__(self) -> str:
        if self.what == "level":
            answer = f"{self.lever} at {self.value:.4g} on {iso(self.by)}"
        elif self.lever == "penetration":
            answer = f"adoption running {self.value:.4g}x the fitted pace"
        else:
            answer = (
                f"{self.lever} growing {math.exp(self.value):.4g}x a year "
                f"(continuous rate {self.value:.4g})"
            )
        how = "per-draw median" if self.values is not None else "median over draws"
        return (
            f"{answer} from {iso(self.start)} gives D({iso(self.by)}) / D({iso(self.start)}) = "
            f"{self.target:g} ({how})"
        )

    def _repr_html_(self) -> str:
        from tokendemand.notebook import goal_seek_html

        return goal_seek_html(self)


def _change(lever: str, what: str, value: float, start: pd.Timestamp, by: pd.Timestamp) -> Change:
    if what == "level":
        return Pin([(by, value)], start=start)
    if lever == "penetration":
        return Scale(value, start=start)
    return Growth(value, start=start)


def _check(
    lever: str,
    what: str,
    target: float,
    start: pd.Timestamp,
    by: pd.Timestamp,
    bounds: tuple[float, float] | None,
    unreachable: str,
) -> tuple[float, float]:
    problems: list[str] = []
    if lever not in LEVERS:
        problems.append(f"unknown lever {lever!r}; levers are: {', '.join(LEVERS)}")
    if what not in ("rate", "level"):
        problems.append(f"what must be 'rate' or 'level', got {what!r}")
    if not (isinstance(target, int | float) and math.isfinite(target) and target > 0):
        problems.append(f"target_multiplier must be a positive number, got {target!r}")
    if by <= start:
        problems.append(f"by ({iso(by)}) must be after start ({iso(start)})")
    if unreachable not in ("raise", "nan"):
        problems.append(f"unreachable must be 'raise' or 'nan', got {unreachable!r}")
    kind = "penetration" if lever == "penetration" else "index"
    default = DEFAULT_BOUNDS.get((kind, what), (math.nan, math.nan))
    low, high = (float(b) for b in bounds) if bounds is not None else default
    if not low < high:
        problems.append(f"bounds must be (low, high) with low < high, got {bounds}")
    elif (kind, what) in _LOG_SCALE and low <= 0.0:
        problems.append(f"bounds for the {kind} {what} must be positive, got {bounds}")
    elif (kind, what) == ("penetration", "level") and not 0.0 <= low < high <= 1.0:
        problems.append(f"penetration levels are shares: bounds must lie in [0, 1], got {bounds}")
    if problems:
        raise ConfigError("invalid goal seek:\n  " + "\n  ".join(problems))
    return low, high


def goal_seek(
    source: Parameters | PosteriorSource,
    target_multiplier: float,
    by: DateLike,
    lever: str,
    start: DateLike | None = None,
    what: Literal["rate", "level"] = "rate",
    per_draw: bool = False,
    *,
    scenario: Scenario | str = "posterior",
    market: str | None = None,
    structure: Structure | None = None,
    bounds: tuple[float, float] | None = None,
    unreachable: Literal["raise", "nan"] = "raise",
) -> GoalSeek:
    """Solve for the value of one lever that gives ``D(by) / D(start) = target_multiplier``.

    Parameters
    ----------
    source
        As for :func:`~tokendemand.projection.project`.
    target_multiplier
        The growth multiple sought, e.g. ``5.0``.
    by
        The date by which it is reached.
    lever
        One of :data:`~tokendemand.structure.LEVERS`.
    start
        Start of the change and of the multiplier; default the reference date.
    what
        ``"rate"`` or ``"level"`` (see the module docstring).
    per_draw
        Solve every draw separately (one brentq per draw) instead of the median over draws.
    scenario
        The base scenario whose ``lever`` is replaced (default ``"posterior"``).
    market, structure
        As for :func:`~tokendemand.projection.project`.
    bounds
        The range searched; default :data:`DEFAULT_BOUNDS`.
    unreachable
        With ``per_draw=True``: ``"raise"`` if any draw cannot reach the target, or ``"nan"``.

    Raises
    ------
    ConfigError
        When no value in ``bounds`` reaches the target (the message gives the reachable range),
        or on invalid arguments.

    Examples
    --------
    >>> from tokendemand.calculator import example_parameters
    >>> answer = goal_seek(example_parameters(), 20.0, "2028-12-31", "complexity")
    >>> print(answer)  # doctest: +ELLIPSIS
    complexity growing ...x a year (continuous rate ...) from 2026-03-31 gives ... = 20 ...
    >>> round(answer.achieved, 6)
    20.0
    """
    resolved = resolve_source(source, market, structure)
    reference = resolved.parameters.reference_date
    first = to_day(start, "start", ConfigError) if start is not None else reference
    last = to_day(by, "by", ConfigError)
    low, high = _check(lever, what, target_multiplier, first, last, bounds, unreachable)
    kind = "penetration" if lever == "penetration" else "index"
    logged = (kind, what) in _LOG_SCALE
    base = resolve_scenarios(scenario)[0]
    plan = make_plan(resolved, base.replace(**{lever: None}))
    t = days_since([first, last], reference)

    def multipliers(value: float, draws: slice) -> Any:
        x = math.exp(value) if logged else value
        trial: Plan = replace(
            plan, changes=(*plan.changes, (lever, _change(lever, what, x, first, last), t[0]))
        )
        total = trial.components(t, draws)["total"]
        return total[:, 1] / total[:, 0]

    span = (math.log(low), math.log(high)) if logged else (low, high)
    describe = f"{kind} {what} of {lever}" if kind == "index" else f"penetration {what}"

    def solve(draws: slice) -> float | None:
        def gap(value: float) -> float:
            return float(np.median(multipliers(value, draws))) - target_multiplier

        ends = (gap(span[0]), gap(span[1]))
        if ends[0] == 0.0 or ends[1] == 0.0:
            return span[0] if ends[0] == 0.0 else span[1]
        if (ends[0] > 0.0) == (ends[1] > 0.0):
            return None
        root: float = brentq(gap, *span, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=500)
        return root

    def unreachable_message(draws: slice, count: str) -> str:
        ends = [float(np.median(multipliers(v, draws))) for v in span]
        return (
            f"no {describe} in [{low:g}, {high:g}] gives {target_multiplier:g}x between "
            f"{iso(first)} and {iso(last)}{count}: the multiplier runs from {min(ends):.4g} to "
            f"{max(ends):.4g} over that range; widen bounds=, move by=, or seek another lever"
        )

    values: xr.DataArray | None = None
    if per_draw:
        every = _every_draw(plan, lever, what, logged, span, first, t, target_multiplier)
        found = np.exp(every) if logged else every
        missing = np.nonzero(np.isnan(found))[0]
        if missing.size and unreachable == "raise":
            draws = slice(int(missing[0]), int(missing[0]) + 1)
            count = f" for {missing.size} of {resolved.draws} draws (e.g. draw {int(missing[0])})"
            raise ConfigError(unreachable_message(draws, count))
        values = xr.DataArray(found, dims=("draw",), coords={"draw": np.arange(resolved.draws)})
        if np.all(np.isnan(found)):
            raise ConfigError(unreachable_message(slice(None), " for any draw"))
        answer = float(np.nanmedian(found))
    else:
        root = solve(slice(None))
        if root is None:
            raise ConfigError(unreachable_message(slice(None), " (median over draws)"))
        answer = math.exp(root) if logged else root
    change = _change(lever, what, answer, first, last)
    value_for_median = math.log(answer) if logged else answer
    achieved = float(np.median(multipliers(value_for_median, slice(None))))
    solved = base.replace(
        name=f"{base.name}:{lever}-{what}-for-{target_multiplier:g}x",
        description=f"{base.description}; {lever} {what} set by goal seek".lstrip("; "),
        **{lever: change},
    )
    return GoalSeek(
        lever=lever,
        what=what,
        value=answer,
        values=values,
        target=float(target_multiplier),
        start=first,
        by=last,
        achieved=achieved,
        change=change,
        scenario=solved,
        bounds=(low, high),
    )


def _every_draw(
    plan: Plan,
    lever: str,
    what: str,
    logged: bool,
    span: tuple[float, float],
    first: pd.Timestamp,
    t: Any,
    target: float,
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The searched value (log value if ``logged``) for every draw; NaN where unreachable.

    One vectorised bracketing solve over the draws: each evaluation changes ``lever`` with one
    value per draw (a rate or speed as a change holding an array; a level is the lever's value
    on ``by``, which is what a pin there gives) and evaluates the one equation for those draws.
    """
    count = len(np.atleast_1d(plan.parameters.scale))
    if what == "level":
        p, base = plan.levers(t)

    def gap(value: Any, draws: Any) -> Any:
        index = np.asarray(draws).astype(np.int64)
        x = np.exp(value) if logged else value
        if what == "level":
            levers = {k: np.broadcast_to(v, (count, 2))[index] for k, v in base.items()}
            levers[lever] = np.stack([levers[lever][:, 0], x], axis=1)
            scalars = [np.broadcast_to(v, (count, 1))[index] for v in _scalars(p)]
            total = combine(levers, *scalars)["total"]
        else:
            kind = Scale if lever == "penetration" else Growth
            trial = replace(
                plan,
                parameters=_subset(plan.parameters, index),
                changes=(*plan.changes, (lever, batched_change(kind, x[:, None], first), t[0])),
            )
            total = np.broadcast_to(trial.components(t)["total"], (index.size, 2))
        return total[:, 1] / total[:, 0] - target

    draws = np.arange(count, dtype=float)
    low, high = np.full(count, span[0]), np.full(count, span[1])
    at_low, at_high = gap(low, draws), gap(high, draws)
    found = np.full(count, np.nan)
    found[at_low == 0.0] = span[0]
    found[(at_high == 0.0) & (at_low != 0.0)] = span[1]
    bracketed = (at_low != 0.0) & (at_high != 0.0) & ((at_low > 0.0) != (at_high > 0.0))
    if bracketed.any():
        result = find_root(
            gap,
            (low[bracketed], high[bracketed]),
            args=(draws[bracketed],),
            tolerances={"xatol": 1e-14, "xrtol": 4 * np.finfo(float).eps},
            maxiter=500,
        )
        found[bracketed] = np.where(result.success, result.x, np.nan)
    return found


def _scalars(p: Parameters) -> tuple[Any, Any, Any]:
    return p.scale, p.intensity_ratio, p.substitution


def _subset(parameters: Parameters, index: Any) -> Parameters:
    """The parameters of some draws (every value an array over draws)."""
    levers = {
        lever: {k: np.asarray(v)[index] for k, v in parameters.lever(lever).items()}
        for lever in LEVERS
    }
    return Parameters(
        parameters.reference_date,
        scale=np.asarray(parameters.scale)[index],
        intensity_ratio=np.asarray(parameters.intensity_ratio)[index],
        substitution=np.asarray(parameters.substitution)[index],
        **levers,
    )
