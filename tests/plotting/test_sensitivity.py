"""Tornado and Sobol' bar charts: drawn on the given axes, from the tables sensitivity returns."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from tokendemand import plotting
from tokendemand.calculator import example_parameters
from tokendemand.errors import ConfigError
from tokendemand.projection import sensitivity

SPACE = {"complexity.per_year": (1.5, 4.0), "intensity_ratio": (5.0, 20.0)}


def draws() -> object:
    rng = np.random.default_rng(2)
    return example_parameters().replace(complexity={"annual_rate": rng.uniform(0.5, 1.2, 16)})


def test_tornado_draws_one_pair_of_bars_per_input() -> None:
    table = sensitivity(draws(), SPACE, "multiplier", method="oat", end="2028-12-31")  # type: ignore[arg-type]
    figure, ax = plt.subplots()
    assert plotting.tornado(table, ax=ax) is figure
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == table.index[0]  # the widest swing on top
    assert len(ax.patches) == 2 * len(table)
    plt.close(figure)


def test_sobol_bars_draw_first_order_and_total() -> None:
    table = sensitivity(draws(), SPACE, "multiplier", n=128, end="2028-12-31")  # type: ignore[arg-type]
    figure = plotting.sobol_bars(table)
    ax = figure.axes[0]
    assert len(ax.patches) == 2 * len(table)
    assert {t.get_text() for t in ax.get_yticklabels()} == set(table.index)
    plt.close(figure)


def test_charts_name_the_table_they_need() -> None:
    with pytest.raises(ConfigError, match="method='oat'"):
        plotting.tornado(pd.DataFrame({"first_order": [0.1]}))
    with pytest.raises(ConfigError, match="method='sobol'"):
        plotting.sobol_bars(pd.DataFrame({"low": [0.1]}))
