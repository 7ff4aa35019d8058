"""The parser: help of every command, the module as a script and usage errors (exit 2)."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

import tokendemand as td
from tests.cli.helpers import run
from tokendemand.cli import common
from tokendemand.cli.run import _load_observations, _pooling


def test_help_of_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for command in ("run", "datasets", "scenarios", "validate", "calc", "backtest"):
        assert command in out
        status, out_command, _ = run(capsys, command, "--help")
        assert status == 0 and f"usage: tokendemand {command}" in out_command
    _, out, _ = run(capsys, "run", "--help")
    for option in ("--data", "--dataset", "--scenarios", "--until", "--out", "--draws"):
        assert option in out
    assert "--seed" in out and "--quick" in out


@pytest.mark.parametrize("module", ["tokendemand", "tokendemand.cli"])
def test_module_runs_as_a_script(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "usage: tokendemand" in done.stdout and "run" in done.stdout


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            capsys,
        )[0]
        == common.EXIT_USAGE
    )  # a command is required
    assert run(capsys, "frobnicate")[0] == common.EXIT_USAGE
    status, _, err = run(capsys, "run", "--until", "2030-13-45")
    assert status == common.EXIT_USAGE and "'2030-13-45' is not a date" in err
    status, _, err = run(capsys, "run", "--draws", "0")
    assert status == common.EXIT_USAGE and "not a positive whole number" in err
    status, _, err = run(capsys, "run", "--data", "x.csv", "--dataset", "seed")
    assert status == common.EXIT_USAGE and "not allowed with" in err
    status, _, err = run(capsys, "run", "--sampler", "stan")
    assert status == common.EXIT_USAGE and "invalid choice: 'stan'" in err and "numpyro" in err
    assert run(capsys, "calc", "--until", "soon")[0] == common.EXIT_USAGE


def test_the_main_job_fits_every_bundled_series() -> None:
    observations, label = _load_observations(argparse.Namespace(data=None, dataset=None))
    assert label == f"bundled dataset {common.DEFAULT_DATASET}"
    assert observations == td.datasets.load("all")
    kinds = {o.kind for o in observations}
    assert {"agent_share", "intensity_ratio", "penetration", "ratio"} <= kinds
    assert len({o.market for o in observations}) >= 3


def test_the_main_job_pools_partially_and_options_override_it() -> None:
    def pooling(**given: str | None) -> str:
        return _pooling(
            argparse.Namespace(**{"data": None, "dataset": None, "pooling": None, **given})
        )

    assert pooling() == "partial"
    assert pooling(dataset="doubao") == "partial"
    assert pooling(data="my.csv") == "partial"
    assert pooling(pooling="none") == "none"
    assert pooling(dataset="all", pooling="complete") == "complete"
