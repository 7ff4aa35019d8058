"""Plots of a token factory: they draw the numbers of the result and refuse bad choices."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand import plotting
from tokendemand.errors import ConfigError
from tokendemand.factory.assumptions import FactoryAssumptions
from tokendemand.factory.economics import TokenFactory, economics
from tokendemand.priors import LogNormal


@pytest.fixture(scope="module")
def factory() -> TokenFactory:
    projection = td.project(
        td.example_parameters(), ["posterior", "cicc-moderate"], until="2028-12-31", freq="MS"
    )
    a = FactoryAssumptions(tokens_per_second_per_gpu=LogNormal(1850.0, 0.3))
    return economics(projection, a, random_seed=4, draws=100)


def test_capacity_fan_draws_gpu_and_mw_medians(factory: TokenFactory) -> None:
    figure = plotting.capacity_fan(factory, scenario="cicc-moderate")
    try:
        gpu_ax, mw_ax = figure.axes
        for ax, variable in ((gpu_ax, "gpus"), (mw_ax, "facility_mw")):
            median = factory.dataset[variable].sel(scenario="cicc-moderate").median("draw")
            np.testing.assert_allclose(ax.lines[0].get_ydata(), median.values)
            assert len(ax.collections) == 2
        assert mw_ax.get_ylabel() == "MW"
    finally:
        plt.close(figure)


def test_revenue_comparison_draws_both_revenues_on_given_axes(factory: TokenFactory) -> None:
    figure, ax = plt.subplots()
    try:
        assert plotting.revenue_comparison(factory, ax=ax) is figure
        labels = [line.get_label() for line in ax.lines]
        assert labels == ["billed per token", "fleet rented by the GPU-hour"]
        rental = factory.dataset["rental_revenue"].sel(scenario="posterior").median("draw")
        np.testing.assert_allclose(ax.lines[1].get_ydata(), rental.values)
        assert ax.get_ylabel() == "USD/day"
    finally:
        plt.close(figure)


def test_a_series_result_and_bad_choices(factory: TokenFactory) -> None:
    days = pd.Series([1e12, 2e12], index=pd.date_range("2026-01-01", periods=2))
    figure = plotting.economics_fan(economics(days), "facility_mw")
    plt.close(figure)
    with pytest.raises(ConfigError, match="unknown scenario 'base'"):
        plotting.economics_fan(factory, scenario="base")
    with pytest.raises(ConfigError, match="unknown variable 'profit'"):
        plotting.economics_fan(factory, "profit")
    with pytest.raises(ConfigError, match="no scenarios"):
        plotting.economics_fan(economics(days), scenario="posterior")
    figure, ax = plt.subplots()
    try:
        with pytest.raises(ConfigError, match="give two axes"):
            plotting.capacity_fan(factory, axes=[ax])
    finally:
        plt.close(figure)
