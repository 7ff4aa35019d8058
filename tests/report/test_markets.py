"""A joint fit of several markets: the report compares them and gives each a section (plumbing:
a FitResult of random standard-normal draws for every bundled series, no sampling)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand.dates import iso
from tokendemand.errors import ConvergenceWarning
from tokendemand.fitting.design import ObservationDesign
from tokendemand.fitting.parametrization import free_parameters
from tokendemand.report import write_report
from tokendemand.report.answers import crossing_date
from tokendemand.report.build import compares_markets
from tokendemand.structure import Structure

UNTIL = pd.Timestamp("2028-12-31")


def random_fit(pooling: str = "partial", chains: int = 2, draws: int = 60) -> td.FitResult:
    """A FitResult of every bundled series whose draws are standard normals shrunk by 0.3."""
    import arviz as az

    structure, priors = Structure(pooling=pooling), td.Priors()
    design = ObservationDesign.build(td.datasets.load("all"), pooling=pooling)
    rng = np.random.default_rng(2)
    posterior = {}
    for parameter in free_parameters(structure, priors, design.sizes):
        size = (design.sizes[parameter.dim],) if parameter.dim else ()
        if size == (0,):
            continue
        posterior[f"z_{parameter.name}"] = 0.3 * rng.standard_normal((chains, draws, *size))
        if parameter.pooled:
            posterior[f"z_{parameter.name}_location"] = 0.3 * rng.standard_normal((chains, draws))
        if parameter.nested:
            groups = design.sizes[f"{parameter.dim}_market"]
            posterior[f"z_{parameter.name}_market"] = 0.3 * rng.standard_normal(
                (chains, draws, groups)
            )
    posterior["z_total_reference"] = 0.3 * rng.standard_normal((chains, draws, len(design.markets)))
    stats = {"diverging": np.zeros((chains, draws), dtype=bool)}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, message=".*ArviZ.*refactor.*")
        idata = az.from_dict(posterior=posterior, sample_stats=stats)
    return td.FitResult.from_inference(
        idata, structure=structure, priors=priors, design=design, method="nuts", sampler="test"
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[td.FitResult, Path]:
    fit = random_fit()
    market = fit.markets[1]
    start = UNTIL - pd.Timedelta(weeks=160)
    projection = td.project(fit, until=UNTIL, freq="7D", start=start, market=market)
    out = tmp_path_factory.mktemp("markets") / "report"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        return fit, write_report(fit, projection, out)


def test_every_market_has_a_section_a_fan_chart_and_a_row(
    report: tuple[td.FitResult, Path],
) -> None:
    fit, folder = report
    markdown = (folder / "report.md").read_text()
    html = (folder / "report.html").read_text()
    table = pd.read_csv(folder / "tables" / "markets.csv")
    assert len(fit.markets) >= 3 and table["market"].tolist() == list(fit.markets)
    headings = re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)
    compared = headings.index("Markets compared")
    assert headings[compared + 1 : compared + 1 + len(fit.markets)] == [
        f"Market: {m}" for m in fit.markets
    ]
    for market in fit.markets:
        stem = "market_" + "".join(c if c.isalnum() else "_" for c in market.lower())
        assert (folder / "figures" / f"{stem}.png").stat().st_size > 1000
        assert (folder / "figures" / f"{stem}.svg").is_file()
        assert f"figures/{stem}.png" in markdown and f"Market: {market}" in html
        figures = len(fit.observations.filter(market=market))
        assert table.loc[table["market"] == market, "figures"].item() == figures


def test_a_market_section_states_its_row_of_the_table(report: tuple[td.FitResult, Path]) -> None:
    fit, folder = report
    markdown = (folder / "report.md").read_text()
    table = pd.read_csv(folder / "tables" / "markets.csv").set_index("market")
    start = min(UNTIL - pd.Timedelta(weeks=160), fit.reference_date)
    for market in fit.markets:
        section = markdown.split(f"## Market: {market}")[1].split("\n## ")[0]
        row = table.loc[market]
        median = crossing_date(row["break_even_median"], start, UNTIL)
        assert f"agent tokens reach chatbot tokens {median} (median" in section
        assert f"grow ×{row['multiplier_median']:.3g} from {iso(fit.reference_date)}" in section
        assert f"agents hold {row['agent_share_median']:.0%} of tokens on {iso(UNTIL)}" in section
        assert f"{market}: {row['figures']} figures" in section


def test_only_a_fit_of_several_markets_not_completely_pooled_compares_them() -> None:
    assert compares_markets(random_fit(draws=5))
    assert not compares_markets(random_fit("complete", draws=5))


def test_the_prior_posterior_figure_shows_the_projected_markets_parameters(
    report: tuple[td.FitResult, Path],
) -> None:
    from tokendemand.plotting.parameters import parameter_draws

    fit, folder = report
    market = fit.markets[1]
    labels = list(parameter_draws(fit, prior_draws=10))
    members = [label[label.index("[") + 1 : -1] for label in labels if "[" in label]
    others = [m for m in members if m != market and not m.startswith(f"{market}/")]
    assert others and len(others) < len(labels)
    markdown = (folder / "report.md").read_text()
    assert (
        f"Shown: the shared parameters, the population locations and {market}'s own; the "
        f"{len(others)} parameters of other markets and their series are in the posterior summary"
    ) in markdown
