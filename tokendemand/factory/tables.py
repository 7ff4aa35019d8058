"""Report-ready tables of a :class:`~tokendemand.factory.economics.TokenFactory`.

:func:`report_tables` gives the frames a report section "What the demand means for token
factories" needs: capacity (GPUs, MW, energy), money (token against rental revenue, serving
cost, margin) as medians with 90% intervals on a few dates per scenario, and the assumptions
with their sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import pandas as pd

from tokendemand.errors import ConfigError
from tokendemand.factory.economics import TokenFactory

__all__ = [
    "CAPACITY_VARIABLES",
    "MONEY_TABLE_VARIABLES",
    "report_dates",
    "report_tables",
    "summary",
]

CAPACITY_VARIABLES: Final = ("gpus", "it_mw", "facility_mw", "energy_gwh_per_year")
MONEY_TABLE_VARIABLES: Final = (
    "token_revenue",
    "rental_revenue",
    "serving_cost",
    "margin",
    "revenue_ratio",
)
_MAX_DATES: Final = 6


def report_dates(dates: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """A few dates to tabulate: the first, and the last date of each year on the grid.

    At most six, spread evenly when there are more years.

    Examples
    --------
    >>> grid = pd.date_range("2026-03-31", "2028-06-30", freq="D")
    >>> [d.date().isoformat() for d in report_dates(grid)]
    ['2026-03-31', '2026-12-31', '2027-12-31', '2028-06-30']
    """
    index = pd.DatetimeIndex(dates).sort_values()
    if index.empty:
        raise ConfigError("no dates to tabulate")
    year_ends = pd.Series(index, index=index).groupby(index.year).max()
    chosen = pd.DatetimeIndex([index[0], *year_ends]).unique()
    if len(chosen) > _MAX_DATES:
        positions = [round(i * (len(chosen) - 1) / (_MAX_DATES - 1)) for i in range(_MAX_DATES)]
        chosen = chosen[sorted(set(positions))]
    return chosen


def summary(
    factory: TokenFactory,
    variables: Sequence[str],
    dates: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """Median and 90% interval of ``variables`` on ``dates``, one row per scenario and date.

    Parameters
    ----------
    factory
        From :func:`~tokendemand.factory.economics.economics`.
    variables
        Names of :data:`~tokendemand.factory.economics.UNITS`.
    dates
        Dates on the result's grid; default :func:`report_dates`.

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario`` (when the result has scenarios), ``date``, ``variable``,
        ``unit``, ``median``, ``low`` (5%), ``high`` (95%).
    """
    chosen = report_dates(factory.dates) if dates is None else pd.DatetimeIndex(list(dates))
    missing = chosen.difference(factory.dates)
    if len(missing):
        raise ConfigError(
            f"dates not on the result's grid: {[d.date().isoformat() for d in missing]}; "
            f"it runs {factory.dates[0].date()} to {factory.dates[-1].date()}"
        )
    quantiles = {v: factory.quantiles(v).sel(date=chosen) for v in variables}
    scenarios = (
        [str(s) for s in factory.dataset["scenario"].values]
        if "scenario" in factory.dataset.dims
        else [None]
    )
    rows: list[dict[str, Any]] = []
    for scenario in scenarios:
        for date in chosen:
            for variable, q in quantiles.items():
                cell = q.sel(date=date) if scenario is None else q.sel(scenario=scenario, date=date)
                low, median, high = (float(x) for x in cell.values)
                row: dict[str, Any] = {} if scenario is None else {"scenario": scenario}
                row.update(
                    date=date,
                    variable=variable,
                    unit=factory.unit(variable),
                    median=median,
                    low=low,
                    high=high,
                )
                rows.append(row)
    return pd.DataFrame(rows)


def report_tables(
    factory: TokenFactory, dates: Sequence[Any] | None = None
) -> dict[str, pd.DataFrame]:
    """The tables of a report section on token factories.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"capacity"``: :data:`CAPACITY_VARIABLES` by scenario and date (:func:`summary`);
        ``"money"``: :data:`MONEY_TABLE_VARIABLES` likewise; ``"assumptions"``: the
        assumptions' ``table()``, each field with its value, unit, rows and source.

    Examples
    --------
    >>> import pandas as pd
    >>> from tokendemand.factory.economics import economics
    >>> days = pd.Series([776e9, 900e9], index=pd.date_range("2025-02-28", periods=2))
    >>> tables = report_tables(economics(days))
    >>> sorted(tables), list(tables["money"]["variable"][:2])
    (['assumptions', 'capacity', 'money'], ['token_revenue', 'rental_revenue'])
    """
    return {
        "capacity": summary(factory, CAPACITY_VARIABLES, dates),
        "money": summary(factory, MONEY_TABLE_VARIABLES, dates),
        "assumptions": factory.assumptions.table(),
    }
