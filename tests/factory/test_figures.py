"""The bundled figures: one row per item, each with a source and a confidence."""

from __future__ import annotations

import pytest

from tokendemand.errors import DataError
from tokendemand.factory.assumptions import FactoryAssumptions
from tokendemand.factory.figures import COLUMNS, figure, figures
from tokendemand.priors import CONFIDENCE_LEVELS


def test_every_row_is_sourced_and_rated() -> None:
    table = figures()
    assert tuple(table.columns) == COLUMNS
    assert table["source"].str.strip().ne("").all()
    assert set(table["confidence"]) <= set(CONFIDENCE_LEVELS)
    assert table["item"].is_unique
    assert table["date"].notna().all()


def test_every_item_a_default_cites_is_bundled() -> None:
    bundled = set(figures()["item"])
    cited = {item for name in FactoryAssumptions.names() for item in FactoryAssumptions.items(name)}
    assert cited, "FactoryAssumptions cites no rows"
    assert cited <= bundled, f"cited but not bundled: {sorted(cited - bundled)}"


def test_figure_reads_values_and_names_unknown_items() -> None:
    assert figure("deepseek_prod_avg_nodes") == 226.75
    assert figure("deepseek_prod_input_cache_hit_share") == 0.563
    with pytest.raises(DataError, match="no bundled economics figure 'nope'"):
        figure("nope")


def test_figures_returns_a_copy() -> None:
    table = figures()
    table.loc[:, "value"] = 0.0
    assert figure("deepseek_prod_daily_cost") == 87072.0
