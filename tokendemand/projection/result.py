"""The projection: the one equation over (scenario x draw x date), and analyses on it.

:func:`project` takes a source of parameter values and a list of
:class:`~tokendemand.scenarios.Scenario`, resolves each scenario into a
:class:`~tokendemand.projection.plan.Plan` and evaluates it for every draw and date. The result,
a :class:`Projection`, wraps an :class:`xarray.Dataset` with dims ``(scenario, draw, date)`` and
the variables asked for (names in :data:`~tokendemand.structure.COMPONENTS`; by default
:data:`DEFAULT_VARIABLES`, what the report, the figures and the analyses read); its methods call
the analyses of :mod:`tokendemand.projection.analyses`. :meth:`Projection.at` computes every
component on any date, stored or not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
import xarray as xr

from tokendemand.dates import days_since, iso, to_day
from tokendemand.errors import ConfigError
from tokendemand.projection import analyses
from tokendemand.projection.plan import (
    DIMS,
    Plan,
    PosteriorSource,
    Source,
    date_grid,
    make_plan,
    resolve_scenarios,
    resolve_source,
)
from tokendemand.scenarios import Scenario
from tokendemand.structure import COMPONENTS, DateLike, Parameters, Structure

__all__ = ["DEFAULT_VARIABLES", "Projection", "project"]

DEFAULT_VARIABLES: Final = ("total", "chatbot", "agent", "penetration", "agent_share")
"""Variables :func:`project` stores by default: what the report, the figures, the notebook
summary and :meth:`Projection.break_even` read. ``variables="all"`` stores every component."""

_BREAK_EVEN_NEEDS: Final = ("agent", "chatbot", "penetration")

_CHUNK_ELEMENTS: Final = 1 << 17
"""Draws are evaluated in blocks of about this many (draw, date) cells: small transients."""


def project(
    source: Parameters | PosteriorSource,
    scenarios: Scenario | str | Iterable[Scenario | str] | None = None,
    until: DateLike = "2030-12-31",
    freq: str = "D",
    start: DateLike | None = None,
    market: str | None = None,
    structure: Structure | None = None,
    variables: Sequence[str] | Literal["all"] | None = None,
    dtype: Any = np.float64,
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
        Families of the levers in calculator mode (default ``Structure()``); a fitted result
        brings its own.
    variables
        Which components to store (names in :data:`~tokendemand.structure.COMPONENTS`);
        ``None``: :data:`DEFAULT_VARIABLES`; ``"all"``: every component. Memory is
        scenarios x draws x dates x variables x the dtype's size.
    dtype
        ``numpy.float64`` (default) or ``numpy.float32`` (half the memory; about 7 significant
        digits). Evaluation is in float64 either way.

    Returns
    -------
    Projection

    Examples
    --------
    >>> from tokendemand.calculator import example_parameters
    >>> proj = project(example_parameters(), ["posterior", "cicc-moderate"], until="2030-12-31")
    >>> dict(proj.dataset.sizes)
    {'scenario': 2, 'draw': 1, 'date': 1737}
    >>> projected = proj.multiplier("2026-03-31", "2030-12-31").sel(scenario="posterior")[0]
    >>> from tokendemand.structure import Structure, growth_multiplier
    >>> direct = growth_multiplier(Structure(), example_parameters(), "2026-03-31", "2030-12-31")
    >>> round(float(projected) / float(direct), 12)
    1.0
    """
    names = _variables(variables)
    kind = np.dtype(dtype)
    if kind not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ConfigError(f"dtype must be numpy.float64 or numpy.float32, got {dtype!r}")
    resolved = resolve_source(source, market, structure)
    chosen = resolve_scenarios(scenarios)
    reference = resolved.parameters.reference_date
    dates = date_grid(start if start is not None else reference, until, freq)
    plans: list[Plan] = []
    problems: list[str] = []
    for scenario in chosen:
        try:
            plans.append(make_plan(resolved, scenario))
        except ConfigError as error:
            problems.append(str(error))
    if problems:
        raise ConfigError("\n".join(problems))
    t = days_since(dates, reference)
    shape = (len(plans), resolved.draws, len(dates))
    data = {name: np.empty(shape, dtype=kind) for name in names}
    step = max(1, _CHUNK_ELEMENTS // len(dates))
    for i, plan in enumerate(plans):
        for low in range(0, resolved.draws, step):
            block = slice(low, min(low + step, resolved.draws))
            values = plan.components(t, block)
            for name in names:
                data[name][i, block] = values[name]
    dataset = xr.Dataset(
        {name: (DIMS, data[name]) for name in names},
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


def _variables(variables: Sequence[str] | Literal["all"] | None) -> tuple[str, ...]:
    if variables is None:
        return DEFAULT_VARIABLES
    if isinstance(variables, str):
        if variables == "all":
            return tuple(COMPONENTS)
        variables = [variables]
    chosen = tuple(dict.fromkeys(variables))
    unknown = [v for v in chosen if v not in COMPONENTS]
    if unknown or not chosen:
        raise ConfigError(
            f"unknown variables {unknown or '(none given)'}; choose among {', '.join(COMPONENTS)}"
            " or pass variables='all'"
        )
    return chosen


class Projection:
    """Projected token demand by scenario, draw and date, with the analyses analysts ask for.

    Made by :func:`project`; immutable. :attr:`dataset` holds the variables asked for (names in
    :data:`~tokendemand.structure.COMPONENTS`) with dims ``(scenario, draw, date)``.
    """

    def __init__(self, dataset: xr.Dataset, plans: tuple[Plan, ...], source: Source) -> None:
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
        >>> from tokendemand.calculator import example_parameters
        >>> proj = project(example_parameters(), "posterior", until="2027-12-31")
        >>> round(float(proj.at("2026-03-31")["total"].squeeze()) / 1e12, 6)
        140.0
        """
        many = dates if not isinstance(dates, DateLike) else [dates]
        index = pd.DatetimeIndex([to_day(d, "date", ConfigError) for d in many], name="date")
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
        first = to_day(start, "start", ConfigError) if start is not None else self.reference_date
        last = to_day(end, "end", ConfigError) if end is not None else self.dates[-1].normalize()
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
        return analyses.multiplier(self, *self._span(start, end))

    def prob_multiplier_above(
        self, x: float, start: DateLike | None = None, end: DateLike | None = None
    ) -> pd.Series:
        """Share of draws whose multiplier exceeds ``x``, by scenario."""
        return analyses.prob_above(self.multiplier(start, end), x)

    def attribution(
        self, start: DateLike | None = None, end: DateLike | None = None
    ) -> xr.DataArray:
        """The multiplier split over the levers: exact Shapley values in log space.

        Returns multiplicative factors with dims ``(scenario, draw, lever)``; their product over
        ``lever`` is :meth:`multiplier` for every draw
        (:func:`~tokendemand.projection.analyses.attribution`).
        """
        return analyses.attribution(self, *self._span(start, end))

    def break_even(self) -> analyses.BreakEven:
        """When agent tokens first reach chatbot tokens (see :class:`~.analyses.BreakEven`)."""
        self._need(_BREAK_EVEN_NEEDS, "break_even()")
        return analyses.break_even(self)

    def _need(self, names: Iterable[str], what: str) -> None:
        missing = [n for n in names if n not in self._dataset.data_vars]
        if missing:
            raise ConfigError(
                f"{what} needs the variables {', '.join(missing)}, which this projection did "
                f"not store; project with variables=[...] including them (or variables='all')"
            )

    def to_frame(
        self,
        quantiles: Sequence[float] = analyses.QUANTILES,
        variables: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Tidy quantiles over draws: columns scenario, date, variable, q05 ... q95, mean.

        ``variables=None``: every stored variable.
        """
        chosen = list(self._dataset.data_vars) if variables is None else list(variables)
        self._need([v for v in chosen if v in COMPONENTS], "to_frame()")
        return analyses.quantile_frame(self._dataset, quantiles, [str(v) for v in chosen])

    def __repr__(self) -> str:
        sizes = self._dataset.sizes
        return (
            f"<Projection {sizes['scenario']} scenarios x {sizes['draw']} draws x "
            f"{sizes['date']} dates, {iso(self.dates[0])} to {iso(self.dates[-1])}, "
            f"reference {iso(self.reference_date)}>"
        )

    def _repr_html_(self) -> str:
        """Summary for Jupyter: per scenario, daily tokens, agent share and break-even."""
        from tokendemand.notebook import projection_html

        return projection_html(self)
