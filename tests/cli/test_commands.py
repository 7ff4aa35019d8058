"""The small commands: datasets, scenarios, calc and validate."""

from __future__ import annotations

from pathlib import Path

import pytest

import tokendemand as td
from tests.cli.helpers import run
from tokendemand.cli import common
from tokendemand.scenarios import BUILTIN_NAMES, example_path


def test_datasets_lists_every_bundled_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "datasets")
    assert status == 0
    for name in td.datasets.list_datasets()["name"]:
        assert f"{name} (" in out


def test_scenarios_lists_builtins_with_assumptions(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "scenarios")
    assert status == 0
    for scenario in td.scenarios.builtin():
        assert f"\n{scenario.name}\n" in f"\n{out}"
    assert "penetration: growth (penetration: pace) multiplied by" in out
    assert len(BUILTIN_NAMES) == 4
    status, out, _ = run(capsys, "scenarios", "--file", str(example_path()))
    assert status == 0
    for scenario in td.scenarios.load_toml(example_path()):
        assert scenario.name in out and scenario.description[:30] in " ".join(out.split())


def test_scenarios_bad_toml(capsys: pytest.CaptureFixture[str], bad_toml: Path) -> None:
    status, _, err = run(capsys, "scenarios", "--file", str(bad_toml))
    assert status == common.EXIT_INVALID
    assert "penetraton" in err and "did you mean 'penetration'" in err
    assert err.startswith("tokendemand: error:")


def test_calc(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "calc", "--until", "2028-12-31")
    assert status == 0
    assert "2028-12-31" in out and "140T" in out
    status, _, err = run(capsys, "calc", "--until", "2020-01-01")
    assert status == common.EXIT_INVALID and "after the reference date" in err


def test_validate_good_file(capsys: pytest.CaptureFixture[str], good_csv: Path) -> None:
    status, out, _ = run(capsys, "validate", str(good_csv))
    assert status == 0
    assert "valid, 5 figures" in out and "china_national" in out


def test_validate_reports_every_bad_row(capsys: pytest.CaptureFixture[str], bad_csv: Path) -> None:
    status, _, err = run(capsys, "validate", str(bad_csv))
    assert status == common.EXIT_INVALID
    assert "row 1" in err and "row 3" in err and "row 4" in err and "row 2" not in err
    assert "not-a-date" in err and "tokens/fortnight" in err


def test_validate_missing_or_unreadable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "validate", str(tmp_path / "missing.csv"))
    assert status == common.EXIT_INVALID and "missing.csv" in err
    status, _, err = run(capsys, "validate", str(tmp_path))  # a folder
    assert status == common.EXIT_INVALID and err.startswith("tokendemand: error:")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\xff\xfe\x01")
    status, _, err = run(capsys, "validate", str(binary))
    assert status == common.EXIT_INVALID and "UTF-8" in err
