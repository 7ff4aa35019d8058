"""The report's claims and information sections, from their tables."""

from __future__ import annotations

import pandas as pd

from tokendemand.claims import COLUMNS
from tokendemand.report.document import to_html, to_markdown
from tokendemand.report.evidence import (
    claims_section,
    claims_table,
    headline_labels,
    information_section,
)
from tokendemand.report.tables import Table


def _information() -> Table:
    raw = pd.DataFrame(
        {
            "scenario": ["posterior"] * 4,
            "quantity": [
                "break-even date",
                "multiplier 2026-03-31 to 2030-12-31",
                "attribution: complexity",
                "agent share 2026-03-31",
            ],
            "label": ["mostly the prior", "partly", "decided by the data", "mostly the prior"],
            "evidence": ["agent shares", "levels", "", "agent shares"],
        }
    )
    return Table("information", "What the data decided", "c", raw, raw)


def test_headline_labels_by_scenario_and_topic() -> None:
    labels = headline_labels(_information())
    assert labels == {
        ("posterior", "break-even"): "mostly the prior",
        ("posterior", "multiplier"): "partly",
        ("posterior", "lever:complexity"): "decided by the data",
        ("posterior", "agent share"): "mostly the prior",
    }


def test_sections_render_in_html_and_markdown() -> None:
    checked = pd.DataFrame(
        [["a", "src", "A holds", 0.5, 0.97, "supported", 0, ""]], columns=list(COLUMNS)
    )
    sections = [information_section(_information()), claims_section(claims_table(checked))]
    markdown = to_markdown("t", "m", sections)
    html = to_html("t", "m", sections)
    for text in (markdown, html):
        assert "Claims against the data" in text and "What the data decided" in text
        assert "A holds" in text and "97%" in text
    # the evidence that would move the answers the prior holds is listed once each
    assert markdown.count("- agent shares") == 1
    assert "1 claims checked: 1 supported" in markdown
