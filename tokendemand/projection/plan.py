"""Plans: a source of parameter values and each scenario resolved against it.

A source is either

* :class:`~tokendemand.structure.Parameters` ("calculator mode"): scalar values give one draw;
  1-D arrays of a common length ``n`` give ``n`` draws; or
* a fitted result, anything satisfying :class:`PosteriorSource` (every posterior draw).

:func:`resolve_source` checks a source once; :func:`make_plan` resolves one
:class:`~tokendemand.scenarios.Scenario` against it into a :class:`Plan`, whose
:meth:`Plan.components` evaluates :func:`~tokendemand.structure.evaluate_levers` and
:func:`~tokendemand.structure.combine` (the two halves of the one equation) with the scenario's
changes applied to the lever paths in between. :func:`tokendemand.projection.project` and the
sweeps evaluate plans; nothing here builds the full (scenario x draw x date) cube.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, Protocol

import numpy as np
import pandas as pd

from tokendemand.dates import DAYS_PER_YEAR, days_since, iso, to_day
from tokendemand.errors import ConfigError
from tokendemand.scenarios import Change, Growth, Override, Pin, Scale, Scenario, builtin
from tokendemand.structure import (
    LEVERS,
    DateLike,
    Parameters,
    Structure,
    combine,
    evaluate,
    evaluate_levers,
    intensity_ratio_for_break_even,
)

__all__ = [
    "DIMS",
    "Plan",
    "PosteriorSource",
    "Source",
    "date_grid",
    "dotted_values",
    "make_plan",
    "parameters_from",
    "resolve_scenarios",
    "resolve_source",
]

DIMS: Final = ("scenario", "draw", "date")
"""Dimensions of every variable of a projection."""


class PosteriorSource(Protocol):
    """What :func:`project` needs from a fitted result.

    ``posterior_parameters(market)`` returns :class:`~tokendemand.structure.Parameters` whose
    values are 1-D arrays of shape ``(n_draws,)`` (chains stacked).
    """

    @property
    def structure(self) -> Structure:
        """Families of the levers the fit used."""
        ...

    @property
    def markets(self) -> tuple[str, ...]:
        """Markets the fit covers."""
        ...

    def posterior_parameters(self, market: str | None = None) -> Parameters:
        """Posterior draws of every parameter for one market."""
        ...


@dataclass(frozen=True)
class Source:
    structure: Structure
    parameters: Parameters  # every value a float64 array of shape (draws,)
    draws: int
    market: str | None
    kind: str  # "parameters" or "posterior"


def dotted_values(parameters: Parameters) -> dict[str, Any]:
    """Every value of ``parameters`` by a dotted name (``penetration.ceiling``)."""
    out: dict[str, Any] = {
        "scale": parameters.scale,
        "intensity_ratio": parameters.intensity_ratio,
        "substitution": parameters.substitution,
    }
    for lever in LEVERS:
        out.update({f"{lever}.{k}": v for k, v in parameters.lever(lever).items()})
    return out


def parameters_from(reference_date: Any, values: Mapping[str, Any]) -> Parameters:
    """:class:`~tokendemand.structure.Parameters` from a dotted-name mapping
    (:func:`dotted_values`)."""
    levers: dict[str, dict[str, Any]] = {lever: {} for lever in LEVERS}
    for name, value in values.items():
        if "." in name:
            lever, key = name.split(".", 1)
            levers[lever][key] = value
    return Parameters(
        reference_date,
        scale=values["scale"],
        intensity_ratio=values["intensity_ratio"],
        substitution=values["substitution"],
        **levers,
    )


def _rebuild(parameters: Parameters, values: Mapping[str, Any]) -> Parameters:
    """``parameters`` with values replaced from a dotted-name mapping."""
    return parameters_from(parameters.reference_date, values)


def _as_draws(parameters: Parameters) -> tuple[Parameters, int]:
    """Every value as a float64 array of one common length (the number of draws)."""
    arrays: dict[str, np.ndarray[Any, np.dtype[np.float64]]] = {}
    problems: list[str] = []
    for name, value in dotted_values(parameters).items():
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            problems.append(f"{name}: expected a number or a 1-D array of draws, got {value!r}")
            continue
        if array.ndim > 1:
            problems.append(f"{name}: expected a number or a 1-D array, got shape {array.shape}")
        elif not np.all(np.isfinite(array)):
            problems.append(f"{name}: has NaN or infinite values")
        else:
            arrays[name] = np.atleast_1d(array)
    sizes = sorted({a.size for a in arrays.values()} - {1})
    if len(sizes) > 1:
        problems.append(f"arrays of draws have different lengths {sizes}; give one length")
    if problems:
        raise ConfigError("cannot project these parameters:\n  " + "\n  ".join(problems))
    draws = sizes[0] if sizes else 1
    full = {k: np.broadcast_to(v, (draws,)).copy() for k, v in arrays.items()}
    return _rebuild(parameters, full), draws


def resolve_source(
    source: Parameters | PosteriorSource, market: str | None, structure: Structure | None
) -> Source:
    """Check ``source`` once: its parameters as arrays of draws, its structure and market.

    Raises
    ------
    ConfigError
        For parameters that are not numbers or 1-D arrays of one length, a source that is
        neither :class:`~tokendemand.structure.Parameters` nor a fitted result, a structure
        that differs from the fit's, or a market the fit does not cover.
    """
    if isinstance(source, Parameters):
        parameters, draws = _as_draws(source)
        return Source(structure or Structure(), parameters, draws, market, "parameters")
    if not all(hasattr(source, a) for a in ("structure", "markets", "posterior_parameters")):
        raise ConfigError(
            "source must be Parameters (calculator mode) or a fitted result with .structure, "
            f".markets and .posterior_parameters(market); got {type(source).__name__}"
        )
    if structure is not None and structure != source.structure:
        raise ConfigError(
            f"structure {structure.to_dict()} differs from the fit's "
            f"{source.structure.to_dict()}; leave structure=None with a fitted result"
        )
    markets = tuple(source.markets)
    if market is None and len(markets) > 1:
        raise ConfigError(f"the fit covers markets {', '.join(markets)}: pass market=one of them")
    if market is not None and market not in markets:
        raise ConfigError(f"unknown market {market!r}; the fit covers: {', '.join(markets)}")
    chosen = market if market is not None else (markets[0] if markets else None)
    parameters, draws = _as_draws(source.posterior_parameters(chosen))
    return Source(source.structure, parameters, draws, chosen, "posterior")


def resolve_scenarios(
    scenarios: Scenario | str | Iterable[Scenario | str] | None,
) -> list[Scenario]:
    """The scenarios to project: ``None`` for every built-in, names looked up, all problems
    raised at once as one :class:`~tokendemand.errors.ConfigError`."""
    if scenarios is None:
        return list(builtin())
    items = [scenarios] if isinstance(scenarios, Scenario | str) else list(scenarios)
    problems: list[str] = []
    chosen: list[Scenario] = []
    for item in items:
        if isinstance(item, Scenario):
            chosen.append(item)
        elif isinstance(item, str):
            try:
                chosen.append(builtin(item))
            except ConfigError as error:
                problems.append(str(error))
        else:
            problems.append(f"expected a Scenario or a built-in name, got {item!r}")
    names = [s.name for s in chosen]
    problems += [
        f"scenario name {n!r} is used twice" for n in sorted(set(names)) if names.count(n) > 1
    ]
    if not items:
        problems.append("no scenarios given; pass None for the built-ins")
    if problems:
        raise ConfigError("invalid scenarios:\n  " + "\n  ".join(problems))
    return chosen


# ----------------------------------------------------------------------------- the engine


def _apply(change: Change, lever: str, plan: Plan, p: Parameters, x: Any, t: Any, t0: float) -> Any:
    """Lever values ``x`` at ``t`` transformed by ``change`` from day ``t0`` on."""
    family = plan.structure.family(lever)
    values = p.lever(lever)
    after = t > t0
    if isinstance(change, Scale) and lever == "penetration":
        return family(np.where(after, t0 + change.factor * (t - t0), t), values)
    at_start = family(t0, values)
    if isinstance(change, Scale):
        return np.where(after, at_start * (x / at_start) ** change.factor, x)
    if isinstance(change, Growth):
        return np.where(after, at_start * np.exp(change.annual_rate * (t - t0) / DAYS_PER_YEAR), x)
    if isinstance(change, Pin):
        days = days_since([d for d, _ in change.points], p.reference_date)
        levels = np.array([v for _, v in change.points])
        out = np.where(t >= days[0], np.interp(t, days, levels), x)
        if days[0] > t0:
            bridge = at_start + (levels[0] - at_start) * ((t - t0) / (days[0] - t0))
            out = np.where(after & (t < days[0]), bridge, out)
        return out
    raise TypeError(f"unexpected change {change!r}")  # pragma: no cover - Scenario checks kinds


def _shape(parameters: Parameters, draws: slice) -> Parameters:
    """Parameters of some draws, shaped ``(d, 1)`` to broadcast against dates."""
    return _rebuild(parameters, {k: v[draws, None] for k, v in dotted_values(parameters).items()})


@dataclass(frozen=True)
class Plan:
    """One scenario resolved against a source: parameters per draw and the path changes."""

    scenario: Scenario
    structure: Structure
    parameters: Parameters  # float64 arrays (draws,), overrides applied, scale recalibrated
    changes: tuple[tuple[str, Change, float], ...]  # (lever, change, start day)

    def levers(self, t: Any, draws: slice = slice(None)) -> tuple[Parameters, dict[str, Any]]:
        """The shaped parameters of ``draws`` and their lever values at ``t`` after the changes."""
        p = _shape(self.parameters, draws)
        values = evaluate_levers(self.structure, p, t)
        for lever, change, t0 in self.changes:
            values[lever] = _apply(change, lever, self, p, values[lever], t, t0)
        return p, values

    def components(self, t: Any, draws: slice = slice(None)) -> dict[str, Any]:
        """Every component at ``t`` for ``draws``: arrays ``(d, len(t))`` or broadcastable."""
        p, values = self.levers(t, draws)
        return combine(values, p.scale, p.intensity_ratio, p.substitution)


def make_plan(source: Source, scenario: Scenario) -> Plan:
    """Resolve ``scenario`` against the source's structure and draws (problems raised once)."""
    base = source.parameters
    reference = base.reference_date
    scenario_start = scenario.start if scenario.start is not None else reference
    problems: list[str] = []
    overrides: dict[str, dict[str, Any]] = {}
    changes: list[tuple[str, Change, float]] = []
    for lever, change in scenario.changes.items():
        if isinstance(change, Override):
            family = source.structure.family(lever)
            unknown = sorted(set(change.values) - set(family.parameters))
            if unknown:
                problems.append(
                    f"{lever}: the structure's {family.name!r} family has no parameter "
                    f"{', '.join(unknown)}; it takes {', '.join(family.parameters) or 'none'}"
                )
            overrides[lever] = change.values
            continue
        start = change.start if change.start is not None else scenario_start
        if isinstance(change, Pin) and change.points[0][0] < start:
            problems.append(
                f"{lever}: the first pinned date {iso(change.points[0][0])} is before the change "
                f"starts ({iso(start)}); give start= or drop the point"
            )
        changes.append((lever, change, float(days_since(start, reference)[0])))
    if problems:
        raise ConfigError(
            f"scenario {scenario.name!r} does not fit this source:\n  " + "\n  ".join(problems)
        )
    values = dotted_values(base.replace(**overrides) if overrides else base)
    if scenario.substitution is not None:
        values["substitution"] = scenario.substitution
    if scenario.intensity_ratio is not None:
        values["intensity_ratio"] = scenario.intensity_ratio
    if scenario.break_even_penetration is not None:
        pi_star = scenario.break_even_penetration
        s = np.broadcast_to(np.asarray(values["substitution"], dtype=float), (source.draws,))
        values["intensity_ratio"] = np.array(
            [intensity_ratio_for_break_even(pi_star, float(x)) for x in s]
        )
    full = {
        k: np.broadcast_to(np.asarray(v, dtype=float), (source.draws,)).copy()
        for k, v in values.items()
    }
    plan = Plan(scenario, source.structure, _rebuild(base, full), tuple(changes))
    scalars = (scenario.substitution, scenario.intensity_ratio, scenario.break_even_penetration)
    touched = bool(overrides or changes) or any(v is not None for v in scalars)
    if scenario.recalibrate and touched:
        zero = np.zeros(1)
        before = evaluate(source.structure, _shape(base, slice(None)), zero)
        after = plan.components(zero)
        full["scale"] = full["scale"] * (before["total"] / after["total"])[:, 0]
        plan = replace(plan, parameters=_rebuild(base, full))
    return plan


def date_grid(start: DateLike, until: DateLike, freq: str) -> pd.DatetimeIndex:
    """Dates from ``start`` to ``until`` at ``freq``, both ends included."""
    first, last = to_day(start, "start", ConfigError), to_day(until, "until", ConfigError)
    if last < first:
        raise ConfigError(f"until ({iso(last)}) is before start ({iso(first)}); swap them")
    try:
        dates = pd.date_range(first, last, freq=freq, name="date")
    except (TypeError, ValueError) as error:
        raise ConfigError(
            f"freq {freq!r} is not a pandas frequency such as 'D', 'W', 'MS': {error}"
        ) from None
    # The grid always starts on ``start`` and ends on ``until``, whatever the frequency's
    # anchor, so analyses at those dates (break-even before ``until``) read the grid exactly.
    return dates.union(pd.DatetimeIndex([first, last])).rename("date")
