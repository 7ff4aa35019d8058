"""Projection: the structural equation over (scenario x draw x date), and analyses on it.

:func:`project` takes a source of parameter values and a list of
:class:`~tokendemand.scenarios.Scenario` and evaluates
:func:`~tokendemand.structure.evaluate_levers` and :func:`~tokendemand.structure.combine` (the
two halves of :func:`~tokendemand.structure.evaluate`, the one implementation of the equation)
for every scenario, draw and date. In between, each scenario's changes transform the lever
paths (see :mod:`tokendemand.scenarios`). The result, a :class:`Projection`, wraps an
:class:`xarray.Dataset` with dims ``(scenario, draw, date)`` and one variable per name in
:data:`~tokendemand.structure.COMPONENTS`.

A source is either

* :class:`~tokendemand.structure.Parameters` ("calculator mode"): scalar values give one draw;
  1-D arrays of a common length ``n`` give ``n`` draws; or
* a fitted result, anything satisfying :class:`PosteriorSource` (every posterior draw).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, Final, Protocol

import numpy as np
import pandas as pd
import xarray as xr

from tokendemand import analysis
from tokendemand.errors import ConfigError
from tokendemand.scenarios import Change, Growth, Override, Pin, Scale, Scenario, builtin
from tokendemand.scenarios.changes import iso, to_date
from tokendemand.structure import (
    COMPONENTS,
    LEVERS,
    DateLike,
    Parameters,
    Structure,
    combine,
    evaluate,
    evaluate_levers,
    intensity_ratio_for_break_even,
)
from tokendemand.units import DAYS_PER_YEAR, days_since

__all__ = ["DIMS", "PosteriorSource", "Projection", "project"]

DIMS: Final = ("scenario", "draw", "date")
"""Dimensions of every variable of a projection."""

_CHUNK_ELEMENTS: Final = 1 << 17
"""Draws are evaluated in blocks of about this many (draw, date) cells: small transients."""


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
class _Source:
    structure: Structure
    parameters: Parameters  # every value a float64 array of shape (draws,)
    draws: int
    market: str | None
    kind: str  # "parameters" or "posterior"


def _numbers(parameters: Parameters) -> dict[str, Any]:
    """Every value of ``parameters`` by a dotted name (``penetration.ceiling``)."""
    out: dict[str, Any] = {
        "scale": parameters.scale,
        "intensity_ratio": parameters.intensity_ratio,
        "substitution": parameters.substitution,
    }
    for lever in LEVERS:
        out.update({f"{lever}.{k}": v for k, v in parameters.lever(lever).items()})
    return out


def _rebuild(parameters: Parameters, values: Mapping[str, Any]) -> Parameters:
    """``parameters`` with values replaced from a dotted-name mapping."""
    levers: dict[str, dict[str, Any]] = {lever: {} for lever in LEVERS}
    for name, value in values.items():
        if "." in name:
            lever, key = name.split(".", 1)
            levers[lever][key] = value
    return Parameters(
        parameters.reference_date,
        scale=values["scale"],
        intensity_ratio=values["intensity_ratio"],
        substitution=values["substitution"],
        **levers,
    )


def _as_draws(parameters: Parameters) -> tuple[Parameters, int]:
    """Every value as a float64 array of one common length (the number of draws)."""
    arrays: dict[str, np.ndarray[Any, np.dtype[np.float64]]] = {}
    problems: list[str] = []
    for name, value in _numbers(parameters).items():
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


def _resolve_source(
    source: Parameters | PosteriorSource, market: str | None, structure: Structure | None
) -> _Source:
    if isinstance(source, Parameters):
        parameters, draws = _as_draws(source)
        return _Source(structure or Structure(), parameters, draws, market, "parameters")
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
    return _Source(source.structure, parameters, draws, chosen, "posterior")


def _resolve_scenarios(
    scenarios: Scenario | str | Iterable[Scenario | str] | None,
) -> list[Scenario]:
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


def _apply(
    change: Change, lever: str, plan: _Plan, p: Parameters, x: Any, t: Any, t0: float
) -> Any:
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
    return _rebuild(parameters, {k: v[draws, None] for k, v in _numbers(parameters).items()})


@dataclass(frozen=True)
class _Plan:
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


def _plan(source: _Source, scenario: Scenario) -> _Plan:
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
    values = _numbers(base.replace(**overrides) if overrides else base)
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
    plan = _Plan(scenario, source.structure, _rebuild(base, full), tuple(changes))
    scalars = (scenario.substitution, scenario.intensity_ratio, scenario.break_even_penetration)
    touched = bool(overrides or changes) or any(v is not None for v in scalars)
    if scenario.recalibrate and touched:
        zero = np.zeros(1)
        before = evaluate(source.structure, _shape(base, slice(None)), zero)
        after = plan.components(zero)
        full["scale"] = full["scale"] * (before["total"] / after["total"])[:, 0]
        plan = replace(plan, parameters=_rebuild(base, full))
    return plan


def _grid(start: DateLike, until: DateLike, freq: str) -> pd.DatetimeIndex:
    first, last = to_date(start, "start"), to_date(until, "until")
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


def project(
    source: Parameters | PosteriorSource,
    scenarios: Scenario | str | Iterable[Scenario | str] | None = None,
    until: DateLike = "2030-12-31",
    freq: str = "D",
    start: DateLike | None = None,
    market: str | None = None,
    structure: Structure | None = None,
) -> Projection:
    """Evaluate the equation for every scenario, draw and date.

    Parameters
    ----------
    source
        :class:`~tokendemand.structure.Parameters` (calculator mode: floats for one draw, or
        1-D arrays of draws) or a fitted result (:class:`PosteriorSource`).
    scenarios
        A :class:`~tokendemand.scenarios.Scenario`, a built-in name, or a sequence of them;
        ``None``: every built-in (:func:`tokendemand.scenarios.builtin`).
    until
        Last date of the projection.
    freq
        pandas frequency of the date grid (``"D"``, ``"W"``, ``"MS"``, ...); the grid always
        includes ``start`` and ``until`` themselves.
    start
        First date; ``None``: the reference date. Earlier dates give fan charts over the
        observed period.
    market
        Which market of a multi-market fit; a label only in calculator mode.
    structure
        Families of the levers in calculator mode (default :class:`Structure()`); a fitted result
        brings its own.

    Returns
    -------
    Projection

    Examples
    --------
    >>> from tokendemand.examples import example_parameters
    >>> proj = project(example_parameters(), ["posterior", "cicc-moderate"], until="2030-12-31")
    >>> dict(proj.dataset.sizes)
    {'scenario': 2, 'draw': 1, 'date': 1737}
    >>> projected = proj.multiplier("2026-03-31", "2030-12-31").sel(scenario="posterior")[0]
    >>> from tokendemand.structure import Structure, growth_multiplier
    >>> direct = growth_multiplier(Structure(), example_parameters(), "2026-03-31", "2030-12-31")
    >>> round(float(projected) / float(direct), 12)
    1.0
    """
    resolved = _resolve_source(source, market, structure)
    chosen = _resolve_scenarios(scenarios)
    reference = resolved.parameters.reference_date
    dates = _grid(start if start is not None else reference, until, freq)
    plans: list[_Plan] = []
    problems: list[str] = []
    for scenario in chosen:
        try:
            plans.append(_plan(resolved, scenario))
        except ConfigError as error:
            problems.append(str(error))
    if problems:
        raise ConfigError("\n".join(problems))
    t = days_since(dates, reference)
    shape = (len(plans), resolved.draws, len(dates))
    data = {name: np.empty(shape, dtype=np.float64) for name in COMPONENTS}
    step = max(1, _CHUNK_ELEMENTS // len(dates))
    for i, plan in enumerate(plans):
        for low in range(0, resolved.draws, step):
            block = slice(low, min(low + step, resolved.draws))
            values = plan.components(t, block)
            for name in COMPONENTS:
                data[name][i, block] = values[name]
    dataset = xr.Dataset(
        {name: (DIMS, data[name]) for name in COMPONENTS},
        coords={
            "scenario": [p.scenario.name for p in plans],
            "draw": np.arange(resolved.draws),
            "date": dates,
        },
        attrs={
            "reference_date": iso(reference),
            "market": resolved.market or "",
            "source": resolved.kind,
            "structure": str(resolved.structure.to_dict()),
            "freq": freq,
        },
    )
    return Projection(dataset, tuple(plans), resolved)


class Projection:
    """Projected token demand by scenario, draw and date, with the analyses analysts ask for.

    Made by :func:`project`; immutable. :attr:`dataset` holds the variables named in
    :data:`~tokendemand.structure.COMPONENTS` with dims ``(scenario, draw, date)``.
    """

    def __init__(self, dataset: xr.Dataset, plans: tuple[_Plan, ...], source: _Source) -> None:
        self._dataset = dataset
        self._plans = plans
        self._source = source

    @property
    def dataset(self) -> xr.Dataset:
        """The projected variables, dims ``(scenario, draw, date)``."""
        return self._dataset

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """The scenarios, in the order of the ``scenario`` dimension."""
        return tuple(plan.scenario for plan in self._plans)

    @property
    def parameters(self) -> Mapping[str, Parameters]:
        """Per scenario, the parameter values used for each draw (arrays of shape ``(draws,)``).

        Scenario overrides are applied and ``scale`` is recalibrated where the scenario asks;
        path changes (scale, growth, pin) are transformations and live in :attr:`scenarios`.
        """
        return MappingProxyType({plan.scenario.name: plan.parameters for plan in self._plans})

    @property
    def structure(self) -> Structure:
        """Families of the levers."""
        return self._source.structure

    @property
    def reference_date(self) -> pd.Timestamp:
        """The date where every index is 1."""
        return self._source.parameters.reference_date

    @property
    def market(self) -> str | None:
        """The market projected (``None`` in calculator mode without a label)."""
        return self._source.market

    @property
    def dates(self) -> pd.DatetimeIndex:
        """The date grid."""
        return pd.DatetimeIndex(self._dataset.indexes["date"])

    def at(self, dates: DateLike | Sequence[DateLike]) -> xr.Dataset:
        """Every component on any dates, computed exactly (not interpolated from the grid).

        Examples
        --------
        >>> from tokendemand.examples import example_parameters
        >>> proj = project(example_parameters(), "posterior", until="2027-12-31")
        >>> round(float(proj.at("2026-03-31")["total"].squeeze()) / 1e12, 6)
        140.0
        """
        many = dates if not isinstance(dates, DateLike) else [dates]
        index = pd.DatetimeIndex([to_date(d, "date") for d in many], name="date")
        t = days_since(index, self.reference_date)
        draws = self._source.draws
        stacked = {name: np.empty((len(self._plans), draws, len(index))) for name in COMPONENTS}
        for i, plan in enumerate(self._plans):
            values = plan.components(t)
            for name in COMPONENTS:
                stacked[name][i] = values[name]
        return xr.Dataset(
            {name: (DIMS, stacked[name]) for name in COMPONENTS},
            coords={
                "scenario": self._dataset["scenario"].values,
                "draw": self._dataset["draw"].values,
                "date": index,
            },
        )

    def _span(
        self, start: DateLike | None, end: DateLike | None
    ) -> tuple[pd.Timestamp, pd.Timestamp]:
        first = to_date(start, "start") if start is not None else self.reference_date
        last = to_date(end, "end") if end is not None else self.dates[-1].normalize()
        return first, last

    def multiplier(
        self, start: DateLike | None = None, end: DateLike | None = None
    ) -> xr.DataArray:
        """``D(end) / D(start)`` per scenario and draw.

        Parameters
        ----------
        start
            Default: the reference date.
        end
            Default: the last date of the projection.
        """
        return analysis.multiplier(self, *self._span(start, end))

    def prob_multiplier_above(
        self, x: float, start: DateLike | None = None, end: DateLike | None = None
    ) -> pd.Series:
        """Share of draws whose multiplier exceeds ``x``, by scenario."""
        return analysis.prob_above(self.multiplier(start, end), x)

    def attribution(
        self, start: DateLike | None = None, end: DateLike | None = None
    ) -> xr.DataArray:
        """The multiplier split over the levers: exact Shapley values in log space.

        Returns multiplicative factors with dims ``(scenario, draw, lever)``; their product over
        ``lever`` is :meth:`multiplier` for every draw (:func:`tokendemand.analysis.attribution`).
        """
        return analysis.attribution(self, *self._span(start, end))

    def break_even(self) -> analysis.BreakEven:
        """When agent tokens first reach chatbot tokens (see :class:`~.analysis.BreakEven`)."""
        return analysis.break_even(self)

    def to_frame(
        self,
        quantiles: Sequence[float] = analysis.QUANTILES,
        variables: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Tidy quantiles over draws: columns scenario, date, variable, q05 ... q95, mean."""
        return analysis.quantile_frame(self._dataset, quantiles, variables)

    def __repr__(self) -> str:
        sizes = self._dataset.sizes
        return (
            f"<Projection {sizes['scenario']} scenarios x {sizes['draw']} draws x "
            f"{sizes['date']} dates, {iso(self.dates[0])} to {iso(self.dates[-1])}, "
            f"reference {iso(self.reference_date)}>"
        )

    def _repr_html_(self) -> str:
        """Summary for Jupyter: per scenario, daily tokens, agent share and break-even."""
        from tokendemand.display import projection_html

        return projection_html(self)
