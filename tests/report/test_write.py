"""write_report on one short fit: the folder, the HTML and Markdown, computed numbers, failures and
bad arguments."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand.dates import iso
from tokendemand.errors import ConfigError
from tokendemand.report import FIGURES, TABLES, write_report
from tokendemand.report import write as report_write
from tokendemand.report.answers import crossing_date
from tokendemand.report.tables import fmt_share

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(
    fit: td.FitResult, projection: td.Projection, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("reports") / "report"
    return write_report(
        fit,
        projection,
        out,
        warnings=["a recorded warning"],
        notes=["a quick-run note"],
        run_info={"command": "tokendemand run --quick"},
    )


def test_folder_holds_every_file(report: Path) -> None:
    assert (report / "report.html").is_file() and (report / "report.md").is_file()
    for name in FIGURES:
        for suffix in ("png", "svg"):
            path = report / "figures" / f"{name}.{suffix}"
            assert path.is_file() and path.stat().st_size > 1000, path
    for name in TABLES:
        assert (report / "tables" / f"{name}.csv").is_file(), name
    assert sorted(p.name for p in (report / "figures").iterdir()) == sorted(
        f"{n}.{s}" for n in FIGURES for s in ("png", "svg")
    )
    # nothing half-written left beside it
    assert [p.name for p in report.parent.iterdir()] == [report.name]


def test_html_is_self_contained_and_embeds_every_figure(report: Path) -> None:
    page = (report / "report.html").read_text(encoding="utf-8")
    images = re.findall(r'<img [^>]*src="([^"]*)"', page)
    assert len(images) == len(FIGURES)
    assert all(src.startswith("data:image/png;base64,") for src in images)
    for name in FIGURES:
        assert f'id="fig-{name}"' in page
    # nothing to load: no external sources, stylesheets or scripts
    assert not re.search(r'\ssrc="(?!data:)', page)
    assert "<link" not in page and "<script" not in page and "@import" not in page
    assert "a recorded warning" in page and "a quick-run note" in page


def test_markdown_references_figures_and_tables(report: Path) -> None:
    text = (report / "report.md").read_text(encoding="utf-8")
    for name in FIGURES:
        assert f"](figures/{name}.png)" in text
    assert "| scenario |" in text
    assert "tables/break_even.csv" in text


def test_numbers_are_computed_from_the_projection(report: Path, projection: td.Projection) -> None:
    table = pd.read_csv(report / "tables" / "break_even.csv", index_col="scenario")
    result = projection.break_even()
    for horizon in ("2027-12-31", "2028-12-31", "2030-12-31"):
        column = f"P(before {horizon})"
        expected = result.prob_before(horizon)
        assert table[column].to_numpy() == pytest.approx(expected.to_numpy())
    page = (report / "report.html").read_text(encoding="utf-8")
    first = projection.dataset["scenario"].values[0]
    assert fmt_share(float(result.prob_before("2028-12-31")[first])) in page
    median = result.to_frame(quantiles=(0.5,)).loc[first, "q50"]
    assert crossing_date(median, result.start, result.until) in page

    multiplier = pd.read_csv(report / "tables" / "multiplier.csv")
    row = multiplier[(multiplier["scenario"] == first) & (multiplier["end"] == "2030-12-31")]
    values = projection.multiplier(projection.reference_date, "2030-12-31").sel(scenario=first)
    assert float(row["median"].iloc[0]) == pytest.approx(float(np.median(values)))
    assert float(row["P(multiplier > 5)"].iloc[0]) == pytest.approx(float((values > 5).mean()))

    attribution = pd.read_csv(report / "tables" / "attribution.csv", index_col="scenario")
    levers = attribution.loc[first, list(td.structure.LEVERS)].astype(float)
    assert float(np.prod(levers)) == pytest.approx(float(attribution.loc[first, "total"]))

    # the Summary states the agent share on the reference date, not only its label
    reference = projection.reference_date
    share = projection.at(reference)["agent_share"].sel(scenario=first).values.ravel()
    assert (
        f"the agent share of tokens on {iso(reference)} is "
        f"{fmt_share(float(np.median(share)))} (median; 90% "
    ) in page


def test_report_states_data_model_diagnostics_and_assumptions(
    report: Path, fit: td.FitResult
) -> None:
    page = (report / "report.html").read_text(encoding="utf-8")
    for obs in fit.observations:
        for url in obs.url.split(" ; "):
            assert f'href="{url.strip()}"' in page
    priors = pd.read_csv(report / "tables" / "priors.csv")
    assert list(priors["parameter"]) == [row["parameter"] for row in fit.priors.table()]
    summary = pd.read_csv(report / "tables" / "summary.csv")
    assert "learned_from" in summary.columns
    check = pd.read_csv(report / "tables" / "posterior_predictive.csv")
    assert len(check) == len(fit.observations) and "check" in check.columns
    scenarios = pd.read_csv(report / "tables" / "scenarios.csv")
    for scenario in td.scenarios.builtin():
        rows = scenarios[scenarios["scenario"] == scenario.name]
        assert scenario.description in set(rows["value"])
        assert set(td.structure.LEVERS) <= set(rows["item"])
    assert "Scale" not in page  # changes are described in words, not reprs


def test_replacing_a_report_and_refusing_other_folders(
    fit: td.FitResult, projection: td.Projection, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    write_report(fit, projection, out)
    (out / "stale.txt").write_text("from an earlier run")
    write_report(fit, projection, out)
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep me")
    with pytest.raises(ConfigError, match="refusing to replace"):
        write_report(fit, projection, other)
    assert (other / "mine.txt").read_text() == "keep me"


def test_a_failure_leaves_nothing_that_looks_complete(
    fit: td.FitResult,
    projection: td.Projection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(report_write, "draw_figures", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        write_report(fit, projection, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_bad_arguments(fit: td.FitResult, projection: td.Projection, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="outside the projection"):
        write_report(fit, projection, tmp_path / "a", horizons=["2035-12-31"])
    calculator = td.project(td.example_parameters(), until="2027-12-31", freq="W")
    with pytest.raises(td.NotFittedError, match="not from a fit"):
        write_report(fit, calculator, tmp_path / "b")
    with pytest.raises(td.NotFittedError, match="needs a fitted result, got Parameters"):
        write_report(td.example_parameters(), calculator, tmp_path / "b")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="threshold"):
        write_report(fit, projection, tmp_path / "c", threshold=0.0)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="not a folder"):
        write_report(fit, projection, tmp_path / "file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
