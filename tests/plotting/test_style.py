"""Plot styling: global rcParams untouched, log scales, printable text and font fallback."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

import tokendemand as td
from tokendemand import plotting
from tokendemand.plotting import _style
from tokendemand.plotting._style import choose_log, printable


def test_global_rcparams_are_left_alone(projection: td.Projection) -> None:
    before = dict(matplotlib.rcParams)
    plotting.fan_chart(projection, observations=td.datasets.load("china_national"))
    plotting.scenario_comparison(projection)
    plotting.decomposition(projection)
    plotting.break_even_cdf(projection)
    plotting.attribution_waterfall(projection)
    assert dict(matplotlib.rcParams) == before


def fallback_fonts(monkeypatch: pytest.MonkeyPatch, families: tuple[str, ...]) -> None:
    """Make ``families`` the fallback candidates, as if they were the CJK fonts installed."""
    monkeypatch.setattr(_style, "CJK_FAMILIES", families)
    _style.text_families.cache_clear()
    _style._charmap.cache_clear()


@pytest.fixture
def fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    monkeypatch.undo()
    _style.text_families.cache_clear()
    _style._charmap.cache_clear()


def test_choose_log_and_printable(monkeypatch: pytest.MonkeyPatch, fonts: None) -> None:
    assert choose_log([1e11, 1e15], None) is True
    assert choose_log([1e14, 2e14], None) is False
    assert choose_log([0.0, 1e15], None) is False
    assert choose_log([1.0, 2.0], True) is True
    fallback_fonts(monkeypatch, ())  # no CJK font installed
    assert printable("IT之家 (163.com)") == "IT?? (163.com)"


def test_text_falls_back_to_an_installed_font_for_glyphs_dejavu_lacks(
    monkeypatch: pytest.MonkeyPatch, fonts: None
) -> None:
    # No CJK font on the test machines: matplotlib's STIX font stands in for one. It has
    # combining enclosing marks (U+20DD) that DejaVu Sans lacks.
    text = "market \u20dd"
    fallback_fonts(monkeypatch, ("Not Installed Sans", "STIXGeneral"))
    assert _style.text_families() == ("DejaVu Sans", "STIXGeneral")
    assert printable(text) == text
    fig, ax = plt.subplots()
    _style.style_axes(ax, f"total in {printable(text)}")
    ax.plot([0, 1], [0, 1], label=printable(text))
    _style.legend(ax)
    (title,) = [t for t in ax.findobj(Text) if t.get_text().startswith("total in")]
    assert title.get_fontfamily() == ["DejaVu Sans", "STIXGeneral"]
    legend = ax.get_legend()
    assert legend is not None
    assert legend.get_texts()[0].get_fontfamily() == ["DejaVu Sans", "STIXGeneral"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would be a warning
        fig.canvas.draw()
    fallback_fonts(monkeypatch, ())
    assert printable(text) == "market ?"
