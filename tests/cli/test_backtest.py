"""The backtest command: what it writes and prints, with a fake fit."""

from __future__ import annotations

import argparse
import warnings
from typing import Any

import pandas as pd
import pytest

import tokendemand as td
from tests.backtest.helpers import FakeResult
from tests.cli.helpers import run
from tokendemand.backtest import ALONE, BASELINES, STRUCTURAL
from tokendemand.cli import backtest as backtest_cli
from tokendemand.errors import ConfigError, ConvergenceWarning
from tokendemand.fitting.model import TokenDemandModel
from tokendemand.observations import Observations


def test_cli_writes_table_summary_and_plot(
    recorded: list[Observations], tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="tokendemand")
    backtest_cli.add_backtest_command(parser.add_subparsers(dest="command"))
    out = tmp_path / "bt"
    command = "backtest --dataset china_national --draws 50 --seed 3 --out"
    args = parser.parse_args([*command.split(), str(out)])
    assert args.handler(args) == 0
    table = pd.read_csv(out / "backtest.csv")
    summary = pd.read_csv(out / "summary.csv", index_col="method")
    assert len(table) == 12 and list(summary.index) == [STRUCTURAL, *BASELINES]
    assert (out / "backtest.png").stat().st_size > 0
    pairwise = pd.read_csv(out / "pairwise.csv", index_col="method")
    assert list(pairwise.index) == list(BASELINES)
    assert (pairwise["n"] <= summary.loc[STRUCTURAL, "scored"]).all()
    printed = capsys.readouterr()
    assert "Backtest of china_national: 2 cutoff(s), 12 rows" in printed.out
    assert "tokendemand against each baseline, over the figures both scored" in printed.out
    assert "cutoff 2025-12-31 (1/2)" in printed.err
    csv = tmp_path / "data.csv"
    td.datasets.load("doubao").to_csv(csv)
    command = "backtest --baselines none --cutoff 2026-03-31 --out"
    args = parser.parse_args([*command.split(), str(out), "--data", str(csv)])
    assert args.handler(args) == 0
    assert set(pd.read_csv(out / "backtest.csv")["method"]) == {STRUCTURAL}
    args = parser.parse_args(["backtest", "--target-accept", "1.5", "--out", str(out)])
    with pytest.raises(ConfigError, match=r"target_accept must be in \[0.5, 1\) or None, got 1.5"):
        args.handler(args)


def test_cli_prints_convergence_warnings_as_lines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    def unsure_fit(self: TokenDemandModel, observations: Observations, **options: Any) -> Any:
        warnings.warn("the posterior is not reliable yet", ConvergenceWarning, stacklevel=2)
        return FakeResult(observations)

    monkeypatch.setattr(TokenDemandModel, "fit", unsure_fit)
    parser = argparse.ArgumentParser(prog="tokendemand")
    backtest_cli.add_backtest_command(parser.add_subparsers(dest="command"))
    argv = ["backtest", "--dataset", "china_national", "--baselines", "none", "--out"]
    args = parser.parse_args([*argv, str(tmp_path)])
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # one escaping would fail here
        assert args.handler(args) == 0
    err = capsys.readouterr().err
    expected = "tokendemand: warning: the structural fits at 2 of 2 cutoffs did not converge"
    assert expected in err and "ConvergenceWarning" not in err


def test_cli_analogues_from_datasets_and_files(
    recorded: list[Observations], tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="tokendemand")
    backtest_cli.add_backtest_command(parser.add_subparsers(dest="command"))
    csv = tmp_path / "doubao.csv"
    td.datasets.load("doubao").to_csv(csv)
    out = tmp_path / "pooled"
    command = "backtest --dataset china_national --analogues openrouter --draws 50 --out"
    args = parser.parse_args([*command.split(), str(out), "--analogues", str(csv)])
    assert args.handler(args) == 0
    summary = pd.read_csv(out / "summary.csv", index_col="method")
    assert list(summary.index) == [STRUCTURAL, ALONE, *BASELINES]
    pairwise = pd.read_csv(out / "pairwise.csv", index_col="method")
    assert list(pairwise.index) == [ALONE, *BASELINES]
    table = pd.read_csv(out / "backtest.csv")
    assert set(table["series"]) == {"china_national"}
    printed = capsys.readouterr()
    assert f"Backtest of china_national with analogues openrouter, {csv}: 2 cutoff(s)" in (
        printed.out
    )
    assert "tokendemand against each other method, over the figures both scored" in printed.out
    assert f"cutoff 2025-12-31 (1/2): {ALONE}: fitting on 3 figures" in printed.err
    pooled, alone = recorded[0], recorded[1]
    assert {o.series for o in pooled} > {o.series for o in alone} == {"china_national"}
    assert {"doubao", "openrouter_total"} <= {o.series for o in pooled}
    # a shared figure counts once: the CSV again, and the target's own dataset, add nothing
    again = [*command.split(), str(out), "--analogues", str(csv), "--analogues", str(csv)]
    args = parser.parse_args([*again, "--analogues", "china_national"])
    recorded.clear()
    assert args.handler(args) == 0
    assert len(recorded[0]) == len(pooled)


def test_cli_says_which_analogues_it_cannot_find(
    recorded: list[Observations], tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "backtest", "--analogues", "opnrouter", "--out", str(tmp_path))
    assert status == 1 and "no bundled dataset 'opnrouter'" in err and "openrouter" in err
    missing = str(tmp_path / "nowhere.csv")
    status, _, err = run(capsys, "backtest", "--analogues", missing, "--out", str(tmp_path))
    assert status == 1 and "nowhere.csv" in err
    assert recorded == []


def test_cli_analogues_all_holds_the_target_once(
    recorded: list[Observations], tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["backtest", "--analogues", "all", "--baselines", "none", "--cutoff", "2025-09-30"]
    status, out, _ = run(capsys, *command, "--out", str(tmp_path))
    assert status == 0 and "Backtest of doubao with analogues all: 1 cutoff(s), 6 rows" in out
    pooled, alone = recorded
    doubao = [o for o in pooled if o.series == "doubao"]
    assert doubao == list(alone) and len(pooled) > len(alone)
