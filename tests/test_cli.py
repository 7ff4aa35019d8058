"""The command line: every command, every kind of bad input, the exit codes.

Commands run in-process through :func:`tokendemand.cli.main`; one test starts the module as a
subprocess. Bad input of ``run`` is caught before any fitting; the one real ``run`` of the
module (a short fit) is marked slow.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tokendemand as td
from tokendemand import cli
from tokendemand.cli import common
from tokendemand.report import FIGURES, TABLES
from tokendemand.scenarios import BUILTIN_NAMES, example_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


@pytest.fixture
def good_csv(tmp_path: Path) -> Path:
    path = tmp_path / "good.csv"
    td.datasets.load("china_national").to_csv(path)
    return path


@pytest.fixture
def bad_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(
        "series,market,kind,date,value,unit,source\n"
        "x,china,point,2026-01-01,-5T,tokens/day,a\n"
        "x,china,point,2026-02-01,10T,tokens/day,b\n"
        "x,china,point,not-a-date,10T,tokens/day,c\n"
        "x,china,point,2026-03-01,10T,tokens/fortnight,d\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def bad_toml(tmp_path: Path) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text('[[scenario]]\nname = "x"\npenetraton = { scale = 2.0 }\n', encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------- help


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


# ------------------------------------------------------------------------- listing commands


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


# ---------------------------------------------------------------------------------- validate


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


# ------------------------------------------------------------------------- run: bad input


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--dataset", "nope"], "no bundled dataset 'nope'"),
        (["--until", "2020-01-01"], "must be after the last figure"),
        (["--dataset", "seed", "--market", "mars"], "--market 'mars' is not in the data"),
        (["--data", "{missing}"], "no file"),
        (["--data", "{bad_csv}"], "problem(s) in observations"),
        (["--scenarios", "{bad_toml}"], "invalid scenario file"),
        (["--scenarios", "{missing}"], "cannot read scenario file"),
        (["--out", "{occupied}"], "refusing to replace it"),
    ],
)
def test_run_bad_input_fails_before_fitting(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    bad_csv: Path,
    bad_toml: Path,
    arguments: list[str],
    message: str,
) -> None:
    def no_fit(*args: object, **kwargs: object) -> None:
        raise AssertionError("bad input must be caught before fitting")

    monkeypatch.setattr("tokendemand.fitting.model.fit", no_fit)
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine")
    paths = {
        "missing": str(tmp_path / "missing"),
        "bad_csv": str(bad_csv),
        "bad_toml": str(bad_toml),
        "occupied": str(occupied),
    }
    filled = [a.format(**paths) for a in arguments]
    status, out, err = run(capsys, "run", "--out", str(tmp_path / "report"), *filled)
    assert status == common.EXIT_INVALID
    assert err.startswith("tokendemand: error:") and message in err
    assert out == ""
    assert not (tmp_path / "report").exists()


# ------------------------------------------------------------------------------ run: a fit


@pytest.mark.slow
def test_run_writes_the_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "report"
    status, out, err = run(
        capsys,
        "run",
        "--quick",
        "--chains",
        "2",
        "--draws",
        "100",
        "--max-draws",
        "200",
        "--tune",
        "150",
        "--until",
        "2029-12-31",
        "--scenarios",
        str(example_path()),
        "--out",
        str(out_dir),
    )
    assert status == 0
    # the last line says where the report is; progress went to stderr
    assert out.strip().splitlines()[-1] == f"report: {out_dir / 'report.html'}"
    steps = ("fitting 5 figures", "sampler numpyro", "fitted in", "projecting 5 scenarios")
    for step in (*steps, "figure fan_chart"):
        assert step in err
    assert "report written" in err.strip().splitlines()[-1]
    # few draws: the chains carried on as far as allowed, and the convergence warning is a
    # warning line and part of the report
    assert "100 draws fell short of the diagnostics, carried on to 200" in err
    assert "tokendemand: warning: the posterior is not reliable yet" in err
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    assert "the posterior is not reliable yet" in page
    assert "Quick run (--quick): 2 chains x 100 draws after 150 tuning steps" in page
    assert "200, 150, 2 (100 draws asked for fell short of the diagnostics)" in page
    for name in FIGURES:
        assert (out_dir / "figures" / f"{name}.png").is_file()
    for name in TABLES:
        assert (out_dir / "tables" / f"{name}.csv").is_file()
    scenarios = [s.name for s in td.scenarios.load_toml(example_path())]
    for name in ["posterior", *scenarios]:
        assert name in page
    assert "P(before 2028-12-31)" in page and "P(before 2030-12-31)" not in page
