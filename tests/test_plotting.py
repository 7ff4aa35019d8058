"""Plotting: each function draws what it should, in token units, without global side effects.

Most tests use calculator-mode projections (no sampling); one short fit, shared by the module,
serves the fan chart with the fit's own figures and the prior-posterior panels.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Iterator

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

import tokendemand as td
from tokendemand import observations, plotting
from tokendemand.errors import ConfigError, ConvergenceWarning
from tokendemand.plotting import _style
from tokendemand.plotting._style import choose_log, printable


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def projection() -> td.Projection:
    """Calculator mode with 40 draws of the intensity ratio, two scenarios, weekly grid."""
    params = td.example_parameters()
    draws = params.replace(intensity_ratio=np.linspace(6.0, 20.0, 40))
    return td.project(
        draws,
        ["posterior", "fast-adoption"],
        until="2030-12-31",
        freq="W",
        start="2024-01-01",
        market="china",
    )


@pytest.fixture(scope="module")
def fit() -> td.FitResult:
    """One short fit for the module: too few draws for the ESS threshold, so the convergence
    warning is expected and filtered here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        return td.fit(
            td.datasets.load("china_national"), draws=200, tune=200, chains=2, random_seed=1
        )


def _labelled(ax: matplotlib.axes.Axes) -> list[str]:
    """Labels of the lines meant for a legend (matplotlib names the others '_child...')."""
    return [
        str(line.get_label()) for line in ax.get_lines() if not line.get_label().startswith("_")
    ]


def _tick_labels(figure: Figure) -> list[str]:
    figure.canvas.draw()
    return [t.get_text() for t in figure.axes[0].get_yticklabels()]


# --------------------------------------------------------------------------- side effects


def test_import_does_not_load_matplotlib() -> None:
    code = (
        "import sys, tokendemand, tokendemand.plotting, tokendemand.report; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_global_rcparams_are_left_alone(projection: td.Projection) -> None:
    before = dict(matplotlib.rcParams)
    plotting.fan_chart(projection, observations=td.datasets.load("china_national"))
    plotting.scenario_comparison(projection)
    plotting.decomposition(projection)
    plotting.break_even_cdf(projection)
    plotting.attribution_waterfall(projection)
    assert dict(matplotlib.rcParams) == before


# ------------------------------------------------------------------------------ fan chart


def test_fan_chart_bands_median_and_figures(projection: td.Projection) -> None:
    observations = td.datasets.load("china_national")
    figure = plotting.fan_chart(projection, observations=observations)
    ax = figure.axes[0]
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2  # 90% and 50%
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0] == "median"
    # 4 one-day figures (one a lower bound: a triangle) and the March mean (a bar over its
    # 31 days plus a triangle: it is "over 140T")
    figure_lines = [line for line in ax.get_lines() if line.get_gid() == "figure"]
    markers = [line.get_marker() for line in figure_lines if line.get_linestyle() == "None"]
    bars = [line for line in figure_lines if line.get_linestyle() != "None"]
    assert sorted(markers) == sorted(["o", "o", "o", "^", "^"])
    assert len(bars) == 1
    days = np.diff(bars[0].get_xdata().astype("datetime64[D]")).astype(int)
    assert days.tolist() == [31]
    assert ax.get_yscale() == "log"
    assert any(label.endswith("T") for label in _tick_labels(figure))
    texts = [t.get_text() for legend in _legends(ax) for t in legend.get_texts()]
    assert "50% interval" in texts and "90% interval" in texts
    assert any("lower bound" in t for t in texts)
    assert any(t.startswith("period mean or total") for t in texts)
    assert any(t.startswith("National Data Administration") for t in texts)
    assert isinstance(figure, Figure)


def _legends(ax: matplotlib.axes.Axes) -> list[matplotlib.legend.Legend]:
    found = [a for a in ax.get_children() if isinstance(a, matplotlib.legend.Legend)]
    return found


def test_fan_chart_says_what_it_leaves_out() -> None:
    seed = td.datasets.load("seed")
    proj = td.project(
        td.example_parameters(), "posterior", until="2027-12-31", freq="W", market="openrouter"
    )
    figure = plotting.fan_chart(proj, observations=seed, series="openrouter_total")
    texts = [t.get_text() for legend in _legends(figure.axes[0]) for t in legend.get_texts()]
    assert any("ratio figure" in t and "not a level" in t for t in texts)
    assert any("openrouter_china_models" in t and "sub-series" in t for t in texts)
    # the weekly total is drawn per day, as a bar over its 7 days
    drawn = [line for line in figure.axes[0].get_lines() if line.get_gid() == "figure"]
    bars = [line for line in drawn if line.get_linestyle() != "None"]
    assert len(bars) == 1
    assert bars[0].get_ydata()[0] == pytest.approx(28.9e12 / 7)


def test_observed_levels_divides_totals_by_days() -> None:
    levels = observations.observed_levels(td.datasets.load("seed"), "openrouter")
    totals = levels.frame[levels.frame["kind"] == "total"]
    assert totals["per_day"].tolist() == pytest.approx([28.9e12 / 7, 9.22e12 / 7, 4.93e12 / 7])
    assert all("not a level" in note for note in levels.notes)


def test_fan_chart_on_a_given_axes_and_bad_scenario(projection: td.Projection) -> None:
    figure, ax = plt.subplots()
    assert plotting.fan_chart(projection, ax=ax, variable="agent_share") is figure
    assert ax.get_yscale() == "linear"
    with pytest.raises(ConfigError, match="unknown scenario 'nope'"):
        plotting.fan_chart(projection, scenario="nope")
    with pytest.raises(ConfigError, match="unknown variable"):
        plotting.fan_chart(projection, variable="tokens")


# ----------------------------------------------------------------------- other level charts


def test_scenario_comparison_one_line_and_band_per_scenario(projection: td.Projection) -> None:
    figure = plotting.scenario_comparison(projection)
    ax = figure.axes[0]
    assert _labelled(ax) == ["posterior", "fast-adoption"]
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 2
    assert ax.get_yscale() == "log"
    without = plotting.scenario_comparison(projection, band=False, scenarios=["posterior"])
    assert len(without.axes[0].collections) == 0
    assert _labelled(without.axes[0]) == ["posterior"]


def test_decomposition_stacks_chatbot_and_agent(projection: td.Projection) -> None:
    figure = plotting.decomposition(projection, start=projection.reference_date)
    ax = figure.axes[0]
    stacks = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert [c.get_label() for c in stacks] == ["chatbot (median)", "agent (median)"]
    assert ax.get_yscale() == "linear"
    labels = _tick_labels(figure)
    assert any(label.endswith(("T", "Q")) for label in labels)


# --------------------------------------------------------------------------------- analyses


def test_break_even_cdf_one_curve_per_scenario(projection: td.Projection) -> None:
    figure = plotting.break_even_cdf(projection)
    ax = figure.axes[0]
    curves = [line for line in ax.get_lines() if line.get_label().startswith(("post", "fast"))]
    assert len(curves) == 2
    for curve in curves:
        y = np.asarray(curve.get_ydata(), dtype=float)
        assert np.all(np.diff(y) >= 0) and 0.0 <= y[0] and y[-1] <= 1.0
    assert ax.get_ylim() == pytest.approx((0.0, 1.02))
    assert f"not by {projection.dates[-1].date()}" in curves[0].get_label()


def test_attribution_waterfall_bars_multiply_to_total(projection: td.Projection) -> None:
    factors = plotting.attribution_factors(projection, "posterior")
    levers = factors.drop("total")
    assert float(np.prod(levers)) == pytest.approx(float(factors["total"]))
    assert float(factors["total"]) == pytest.approx(
        float(np.exp(np.log(projection.multiplier().sel(scenario="posterior")).mean()))
    )
    figure = plotting.attribution_waterfall(projection, "posterior")
    ax = figure.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 6
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == [*td.structure.LEVERS, "total"]
    notes = [t.get_text() for t in ax.texts]
    assert len(notes) == 6 and all(n.startswith("×") for n in notes)
    total_bar = bars[-1]
    assert total_bar.get_y() == pytest.approx(1.0)
    assert total_bar.get_y() + total_bar.get_height() == pytest.approx(float(factors["total"]))


# ------------------------------------------------------------------------------- helpers


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


# -------------------------------------------------------------------------------- with a fit


@pytest.mark.slow
def test_fan_chart_from_a_fit_draws_the_reference_series(fit: td.FitResult) -> None:
    proj = td.project(fit, "posterior", until="2028-12-31", freq="W", start="2024-01-01")
    figure = plotting.fan_chart(proj, fit)
    ax = figure.axes[0]
    drawn = [line for line in ax.get_lines() if line.get_gid() == "figure"]
    assert len(drawn) == 6  # 5 figures, the bounded March mean as a bar and a triangle
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 2


@pytest.mark.slow
def test_prior_posterior_one_panel_per_parameter(fit: td.FitResult) -> None:
    names = list(plotting.parameter_draws(fit, prior_draws=500))
    assert "intensity_ratio" in names and "total_reference[china]" in names
    figure = plotting.prior_posterior(fit, prior_draws=500)
    visible = [ax for ax in figure.axes if ax.get_visible()]
    assert len(visible) == len(names)
    for ax in visible:
        assert [p.get_label() for p in ax.patches] == ["prior", "posterior"]
    titles = [ax.get_title(loc="left") for ax in visible]
    assert titles == names
    assert visible[names.index("total_reference[china]")].get_xscale() == "log"
    one, ax = plt.subplots()
    assert plotting.prior_posterior(fit, "intensity_ratio", ax=ax, prior_draws=500) is one
    with pytest.raises(ConfigError, match="need 2 axes"):
        plotting.prior_posterior(fit, ["intensity_ratio", "noise"], ax=ax)
    with pytest.raises(ConfigError, match="unknown parameter"):
        plotting.prior_posterior(fit, "rho")
