"""report_tables: medians and 90% intervals on a few dates per scenario."""

from __future__ import annotations

import pandas as pd
import pytest

import tokendemand as td
from tokendemand.errors import ConfigError
from tokendemand.factory.assumptions import FactoryAssumptions
from tokendemand.factory.economics import TokenFactory, economics
from tokendemand.factory.tables import (
    CAPACITY_VARIABLES,
    MONEY_TABLE_VARIABLES,
    report_dates,
    report_tables,
    summary,
)
from tokendemand.priors import LogNormal


@pytest.fixture(scope="module")
def factory() -> TokenFactory:
    projection = td.project(
        td.example_parameters(), ["posterior", "cicc-moderate"], until="2028-12-31", freq="MS"
    )
    a = FactoryAssumptions(tokens_per_second_per_gpu=LogNormal(1850.0, 0.3))
    return economics(projection, a, random_seed=2, draws=400)


def test_report_dates_are_the_start_and_year_ends() -> None:
    grid = pd.date_range("2026-03-31", "2028-12-31", freq="MS").union(
        pd.DatetimeIndex(["2026-03-31", "2028-12-31"])
    )
    assert [d.date().isoformat() for d in report_dates(grid)] == [
        "2026-03-31",
        "2026-12-01",
        "2027-12-01",
        "2028-12-31",
    ]
    long = pd.date_range("2020-01-01", "2040-01-01", freq="YS")
    assert len(report_dates(long)) == 6
    with pytest.raises(ConfigError, match="no dates"):
        report_dates(pd.DatetimeIndex([]))


def test_tables_hold_each_variable_per_scenario_and_date(factory: TokenFactory) -> None:
    tables = report_tables(factory)
    capacity, money = tables["capacity"], tables["money"]
    assert list(capacity.columns) == [
        "scenario",
        "date",
        "variable",
        "unit",
        "median",
        "low",
        "high",
    ]
    dates = report_dates(factory.dates)
    assert len(capacity) == 2 * len(dates) * len(CAPACITY_VARIABLES)
    assert len(money) == 2 * len(dates) * len(MONEY_TABLE_VARIABLES)
    assert (capacity["low"] < capacity["median"]).all()
    assert (capacity["median"] < capacity["high"]).all()
    gpus = factory.dataset["gpus"].sel(scenario="posterior", date=dates[-1])
    row = capacity.query("scenario == 'posterior' and variable == 'gpus'").iloc[-1]
    assert row["median"] == pytest.approx(float(gpus.median("draw")), rel=1e-12)
    assert row["low"] == pytest.approx(float(gpus.quantile(0.05, "draw")), rel=1e-12)
    assert set(money["unit"]) == {"USD/day", "ratio"}
    assert list(tables["assumptions"]["field"]) == list(FactoryAssumptions.names())


def test_summary_of_a_series_and_dates_off_the_grid() -> None:
    days = pd.Series([1e12, 2e12], index=pd.date_range("2026-01-01", periods=2))
    result = economics(days)
    table = summary(result, ["gpus"], ["2026-01-02"])
    assert list(table.columns) == ["date", "variable", "unit", "median", "low", "high"]
    assert table["median"].iloc[0] == pytest.approx(
        result.dataset["gpus"].isel(date=1).item(), rel=1e-12
    )
    with pytest.raises(ConfigError, match="not on the result's grid"):
        summary(result, ["gpus"], ["2027-01-01"])
