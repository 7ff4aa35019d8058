"""The report's token-factory section, without a fit: tables, figures, HTML and Markdown; and
``tokendemand run --economics`` refusing a bad file before any fitting."""

from __future__ import annotations

from pathlib import Path

import pytest

import tokendemand as td
from tokendemand import cli
from tokendemand.cli import common
from tokendemand.report.document import to_html, to_markdown
from tokendemand.report.factory import (
    FACTORY_TABLES,
    factory_figures,
    factory_section,
    factory_tables,
    run_factory,
)


@pytest.fixture(scope="module")
def projection() -> td.Projection:
    parameters = td.example_parameters()
    return td.project(parameters, ["posterior", "cicc-moderate"], until="2028-12-31", freq="W")


def test_section_renders_its_tables_and_figures(projection: td.Projection, tmp_path: Path) -> None:
    plant = run_factory(projection, None, random_seed=0)
    tables = factory_tables(plant)
    assert tuple(tables) == FACTORY_TABLES
    capacity = tables["factory_capacity"].raw
    assert set(capacity["variable"]) == {"gpus", "it_mw", "facility_mw", "energy_gwh_per_year"}
    # the tables are the economics of the projection: GPUs on the first date, scenario posterior
    first = capacity[(capacity["variable"] == "gpus") & (capacity["scenario"] == "posterior")]
    gpus = plant.dataset["gpus"].sel(scenario="posterior").isel(date=0)
    assert float(first["median"].iloc[0]) == pytest.approx(float(gpus.median()))
    figures = factory_figures(plant, tmp_path, "posterior")
    assert [f.name for f in figures] == ["factory_capacity", "factory_revenue"]
    for f in figures:
        assert (tmp_path / f"{f.name}.png").stat().st_size > 1000
        assert (tmp_path / f"{f.name}.svg").is_file()
    section = factory_section(tables, figures)
    html = to_html("t", "m", [section])
    markdown = to_markdown("t", "m", [section])
    assert "What the demand means for token factories" in html
    assert "What the demand means for token factories" in markdown
    for table in tables.values():
        assert table.title in html and table.title in markdown
    assert 'id="fig-factory_revenue"' in html


def test_run_refuses_a_bad_economics_file_before_fitting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_fit(*args: object, **kwargs: object) -> None:
        raise AssertionError("bad input must be caught before fitting")

    monkeypatch.setattr("tokendemand.fitting.model.fit", no_fit)
    bad = tmp_path / "factory.toml"
    bad.write_text("pue = 0.5\nutilization = 1.5\n", encoding="utf-8")
    status = cli.main(["run", "--economics", str(bad), "--out", str(tmp_path / "report")])
    out, err = capsys.readouterr()
    assert out == ""
    assert status == common.EXIT_INVALID
    assert err.startswith("tokendemand: error:") and "pue" in err and "utilization" in err
    assert not (tmp_path / "report").exists()
