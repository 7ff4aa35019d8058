"""The structural model against each baseline, pair by pair, and the docs script that states it."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.backtest.helpers import scored, table_of
from tokendemand.backtest import STRUCTURAL, backtest_pairwise
from tokendemand.errors import DataError


def test_pairwise_compares_over_the_figures_both_scored_and_drops_each_cutoff() -> None:
    def at(cutoff: str, row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "cutoff": cutoff}

    table = table_of(
        [
            # cutoff c1: the reference loses by 0.6 on figure 1
            at("c1", scored("tokendemand", 1, 0.8, 0.0, True, True)),
            at("c1", scored("ets", 1, 0.2, 0.0, True, True)),
            at("c1", scored("arima", 1, 0.9, 0.0, True, True)),
            # cutoff c2: it wins by 0.1 on figures 2 and 3; ets has no forecast for figure 4
            at("c2", scored("tokendemand", 2, 0.1, 0.0, True, True)),
            at("c2", scored("ets", 2, 0.2, 0.0, True, True)),
            at("c2", scored("tokendemand", 3, 0.3, 0.0, True, True)),
            at("c2", scored("ets", 3, 0.4, 0.0, True, True)),
            at("c2", scored("tokendemand", 4, 5.0, 0.0, True, True)),
            at("c2", {"status": "no forecast", "figure": 4, "method": "ets"}),
            # cutoff c3: it wins by 0.1 on figure 5; a bound is never scored
            at("c3", scored("tokendemand", 5, 0.2, 0.0, True, True)),
            at("c3", scored("ets", 5, 0.3, 0.0, True, True)),
            at("c3", {"status": "bound", "figure": 6, "method": "tokendemand", "p_bound": 0.9}),
            at("c3", {"status": "bound", "figure": 6, "method": "ets", "p_bound": 0.1}),
            at("c3", {"status": "no forecast", "figure": 5, "method": "loglinear"}),
        ]
    )
    pairs = backtest_pairwise(table)
    assert list(pairs.index) == ["ets", "arima", "loglinear"]
    ets = pairs.loc["ets"]
    assert (ets["n"], ets["cutoffs"], ets["reference_wins"]) == (4, 3, 2)  # figure 4 left out
    assert ets["crps_reference"] == pytest.approx((0.8 + 0.1 + 0.3 + 0.2) / 4)
    assert ets["crps_method"] == pytest.approx((0.2 + 0.2 + 0.4 + 0.3) / 4)
    assert ets["difference"] == pytest.approx((0.6 - 0.1 - 0.1 - 0.1) / 4)
    # without c1: -0.1 on each of 3 figures; without c2: (0.6 - 0.1) / 2; without c3: 0.4 / 3
    assert ets["drop_one_min"] == pytest.approx(-0.1)
    assert ets["drop_one_max"] == pytest.approx(0.25)
    arima = pairs.loc["arima"]  # one shared figure, one cutoff: nothing to drop
    assert (arima["n"], arima["cutoffs"], arima["reference_wins"]) == (1, 1, 1)
    assert arima["difference"] == pytest.approx(-0.1)
    assert math.isnan(arima["drop_one_min"]) and math.isnan(arima["drop_one_max"])
    loglinear = pairs.loc["loglinear"]  # no figure in common
    assert (loglinear["n"], loglinear["cutoffs"], loglinear["reference_wins"]) == (0, 0, 0)
    assert math.isnan(loglinear["difference"])
    # any method can be the reference
    assert backtest_pairwise(table, reference="ets").loc[STRUCTURAL, "difference"] == (
        pytest.approx(-ets["difference"])
    )


def test_pairwise_says_what_is_wrong_with_its_input() -> None:
    table = table_of([scored("tokendemand", 1, 0.1, 0.0, True, True)])
    with pytest.raises(DataError, match="reference 'ets' is not a method of the table"):
        backtest_pairwise(table, reference="ets")
    with pytest.raises(DataError, match="missing: crps"):
        backtest_pairwise(table.drop(columns="crps"))


def test_docs_script_states_each_pairwise_comparison_whichever_way_it_falls() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "backtest_docs.py"
    spec = importlib.util.spec_from_file_location("backtest_docs", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    table = table_of(
        [
            scored("tokendemand", 1, 0.2, 0.0, True, True),
            scored("tokendemand", 2, 0.6, 0.0, True, True),
            scored("ets", 1, 0.1, 0.0, True, True),
            scored("ets", 2, 0.3, 0.0, True, True),
            scored("loglinear", 1, 0.5, 0.0, True, True),
            {"status": "no forecast", "figure": 2, "method": "loglinear"},
            {"status": "no forecast", "figure": 1, "method": "arima"},
            {"status": "no forecast", "figure": 2, "method": "arima"},
        ]
    )
    sentence = script.pairwise(table)
    assert "ets on 2 figures: tokendemand 0.400, ets 0.200 (ets better)" in sentence
    assert "loglinear on 1 figure: tokendemand 0.200, loglinear 0.500 (tokendemand better)" in (
        sentence
    )
    assert "arima" not in sentence  # it scored nothing: no comparison to state
    by_cutoff = table_of(
        [
            {**scored("tokendemand", 1, 0.9, 0.0, True, True), "cutoff": "c1"},
            {**scored("ets", 1, 0.1, 0.0, True, True), "cutoff": "c1"},
            {**scored("tokendemand", 2, 0.1, 0.0, True, True), "cutoff": "c2"},
            {**scored("ets", 2, 0.2, 0.0, True, True), "cutoff": "c2"},
        ]
    )
    assert script.pairwise(by_cutoff) == (
        "Pairwise, over every figure both the structural model and a baseline scored (mean "
        "CRPS): ets on 2 figures: tokendemand 0.500, ets 0.150 (ets better overall; tokendemand "
        "wins 1 of 2 cutoffs; leaving out one cutoff can reverse it (-0.100 to +0.800))."
    )
