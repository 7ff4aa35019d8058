"""scripts/pooling_docs.py without sampling: which datasets it needs, which series are products,
where the leave-one-product-out cutoffs fall, and coverage by horizon."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

import tokendemand as td
from tests.backtest.helpers import scored, table_of
from tokendemand.errors import DataError


def script() -> Any:
    path = Path(__file__).resolve().parents[2] / "scripts" / "pooling_docs.py"
    spec = importlib.util.spec_from_file_location("pooling_docs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_missing_dataset_is_named() -> None:
    pooling = script()
    with pytest.raises(DataError, match="missing: openrouter, agent_evidence"):
        pooling.check_datasets(["china_national", "doubao"])
    pooling.check_datasets(["china_national", "doubao", "openrouter", "agent_evidence"])


def test_the_pool_counts_each_figure_once() -> None:
    pooling = script()
    figures, assembled = pooling.pool(["china_national", "doubao", "openrouter", "agent_evidence"])
    sizes = [len(td.datasets.load(n)) for n in pooling.REQUIRED]
    assert len(figures) == sum(sizes) and "`openrouter`" in assembled


def test_products_and_first_figure_cutoffs() -> None:
    pooling = script()
    doubao, china = td.datasets.load("doubao"), td.datasets.load("china_national")
    assert pooling.products(china) == []  # a market, no launch: not a product
    assert pooling.products(doubao) == ["doubao"]
    # read with getattr: figures without the attribute at all are no products
    launched = [SimpleNamespace(series="x", launch=pd.Timestamp("2025-01-01")), *china]
    assert pooling.products(launched) == ["x"]
    assert pooling.products([SimpleNamespace(series="y")]) == []
    ends = sorted(o.end for o in doubao)
    assert pooling.first_figure_cutoffs(doubao, (1, 2, 3)) == ends[1:4]
    assert pooling.first_figure_cutoffs(doubao[:2], (1, 2, 3)) == [ends[1]]


def test_coverage_by_horizon_bins_the_lead_days() -> None:
    pooling = script()
    table = table_of(
        [
            {**scored("a", 1, 0.1, 0.0, True, True), "lead_days": 10},
            {**scored("a", 2, 0.1, 0.0, False, True), "lead_days": 20},
            {**scored("a", 3, 0.1, 0.0, False, False), "lead_days": 800},
            {"status": "no forecast", "method": "a", "figure": 4, "lead_days": 30},
        ]
    )
    cover = pooling.coverage_by_horizon(table)
    assert cover.loc[("a", "0-90d")].tolist() == [2, 0.5, 1.0]
    assert cover.loc[("a", ">730d")].tolist() == [1, 0.0, 0.0]


def test_the_pool_is_the_all_dataset_when_bundled() -> None:
    pooling = script()
    figures, assembled = pooling.pool(pooling.available())
    assert assembled == "the `all` dataset" and figures == td.datasets.load("all")


def test_scores_report_one_sided_figures_by_their_probability() -> None:
    """A bound has no CRPS: the scores count it and give the probability of its stated side."""
    pooling = script()
    table = table_of(
        [
            scored("tokendemand", 1, 0.2, 0.0, True, True),
            scored("tokendemand-alone", 1, 0.4, 0.0, False, True),
            {"status": "bound", "method": "tokendemand", "figure": 2, "p_bound": 0.08},
            {"status": "bound", "method": "tokendemand-alone", "figure": 2, "p_bound": 0.05},
        ]
    )
    out = pooling.scores(table)
    assert out.loc["tokendemand", "n"] == 1 and out.loc["tokendemand", "bounds"] == 1
    assert out.loc["tokendemand", "p_bound"] == pytest.approx(0.08)
    assert out.loc["tokendemand-alone", "p_bound"] == pytest.approx(0.05)
    assert out.loc["tokendemand-alone", "tokendemand / method"] == pytest.approx(0.5)
