"""Jupyter HTML summaries of a fit and a projection."""

from __future__ import annotations

import re

import pytest

import tokendemand as td

pytestmark = pytest.mark.slow


def test_notebook_summaries(fit: td.FitResult, projection: td.Projection) -> None:
    page = fit._repr_html_()
    assert "<table>" in page and "intensity_ratio" in page and "learned from" in page
    assert "2 chains × 200 draws" in page
    assert re.search(r"\d+(\.\d+)?T to \d", page)  # token scales in T, not 1.4e+14
    summary = projection._repr_html_()
    assert "<table>" in summary and "break-even (median)" in summary
    for scenario in projection.scenarios:
        assert scenario.name in summary
    assert "<script" not in page + summary
