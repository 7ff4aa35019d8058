"""The report's sensitivity section, on calculator-mode draws: one run of the study, its table,
its chart and the section in HTML and Markdown; and a bad study file refused before fitting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import tokendemand as td
from tokendemand import cli
from tokendemand.cli import common
from tokendemand.projection.study import load_study
from tokendemand.report.document import to_html, to_markdown
from tokendemand.report.sensitivity import sensitivity_section

STUDY = """
version = 1
title = "What decides the multiplier"
method = "{method}"
n = 64
seed = 3

[output]
kind = "multiplier"
start = 2026-03-31
end = 2028-12-31

[space]
"complexity.per_year" = [1.5, 4.0]
intensity_ratio = [5.0, 20.0]
"""


@pytest.mark.parametrize("method", ["sobol", "oat"])
def test_section_from_a_study_file(method: str, tmp_path: Path) -> None:
    path = tmp_path / "study.toml"
    path.write_text(STUDY.format(method=method), encoding="utf-8")
    study = load_study(path)
    base = td.example_parameters()
    draws = base.replace(intensity_ratio=np.linspace(8.0, 16.0, 8))
    table, figure, section = sensitivity_section(draws, study, tmp_path)
    assert (
        figure.name == "sensitivity" and figure.png == (tmp_path / "sensitivity.png").read_bytes()
    )
    assert (tmp_path / "sensitivity.svg").is_file()
    inputs = set(table.raw["input"])
    # the study ran once, on these draws: the table is the study's own result
    expected = study.run(draws)
    assert inputs == set(expected.index)
    if method == "sobol":
        assert "parameters" in inputs  # the posterior draws are an input of their own
        np.testing.assert_allclose(
            table.raw.set_index("input")["total"], expected["total"].loc[list(table.raw["input"])]
        )
    html, markdown = to_html("t", "m", [section]), to_markdown("t", "m", [section])
    for page in (html, markdown):
        assert "Which assumption matters most" in page and "What decides the multiplier" in page
    assert 'id="fig-sensitivity"' in html


def test_run_refuses_a_bad_study_file_before_fitting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_fit(*args: object, **kwargs: object) -> None:
        raise AssertionError("bad input must be caught before fitting")

    monkeypatch.setattr("tokendemand.fitting.model.fit", no_fit)
    bad = tmp_path / "study.toml"
    bad.write_text('method = "guess"\n', encoding="utf-8")
    status = cli.main(["run", "--sensitivity", str(bad), "--out", str(tmp_path / "report")])
    out, err = capsys.readouterr()
    assert status == common.EXIT_INVALID and out == ""
    assert "invalid study file" in err and "method must be" in err and "[space]" in err
    assert not (tmp_path / "report").exists()
