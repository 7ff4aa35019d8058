"""tokendemand run: bad input fails before fitting; one real run writes the report (slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

import tokendemand as td
from tests.cli.helpers import run
from tokendemand.cli import common
from tokendemand.report import FIGURES, TABLES
from tokendemand.scenarios import example_path


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
    figures = len(td.datasets.load(common.DEFAULT_DATASET))  # a bare run: every series
    steps = (f"fitting {figures} figures", "sampler numpyro", "partial pooling", "fitted in")
    steps = (*steps, "projecting 5 scenarios")
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
    markets = list(dict.fromkeys(o.market for o in td.datasets.load("all")))
    assert len(markets) == 3 and "Markets compared" in page
    for market in markets:  # a section and a fan chart per market
        assert f"Market: {market}" in page
        assert (out_dir / "figures" / f"market_{market}.png").is_file()
    for name in FIGURES:
        assert (out_dir / "figures" / f"{name}.png").is_file()
    for name in TABLES:
        assert (out_dir / "tables" / f"{name}.csv").is_file()
    scenarios = [s.name for s in td.scenarios.load_toml(example_path())]
    for name in ["posterior", *scenarios]:
        assert name in page
    assert "P(before 2028-12-31)" in page and "P(before 2030-12-31)" not in page
