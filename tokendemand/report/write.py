"""``write_report``: one folder with the HTML page, the Markdown, figures and tables.

Everything is written into a hidden temporary folder next to the destination and moved into
place at the end, so a failure never leaves a half-written report that looks complete.
"""

from __future__ import annotations

import datetime as _dt
import shutil
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Final

from tokendemand.dates import iso, to_day
from tokendemand.errors import ConfigError, NotFittedError
from tokendemand.plotting._style import pick_scenario
from tokendemand.report.answers import default_horizons
from tokendemand.report.build import build_sections, compares_markets, compute_tables
from tokendemand.report.document import to_html, to_markdown
from tokendemand.report.factory import (
    FACTORY_TABLES,
    factory_figures,
    factory_section,
    factory_tables,
    run_factory,
)
from tokendemand.report.figures import draw_figures
from tokendemand.report.markets import market_figures, market_projections
from tokendemand.report.sensitivity import sensitivity_section

if TYPE_CHECKING:
    import pandas as pd

    from tokendemand.factory import FactoryAssumptions
    from tokendemand.fitting.result import FitResult
    from tokendemand.projection import Projection
    from tokendemand.projection.study import Study

__all__ = ["FIGURES", "TABLES", "check_output_folder", "write_report"]

FIGURES: Final[tuple[str, ...]] = (
    "fan_chart",
    "break_even_cdf",
    "decomposition",
    "scenarios",
    "attribution",
    "prior_posterior",
    "factory_capacity",
    "factory_revenue",
)
"""Stems of the figures every report holds (``figures/<stem>.png`` and ``.svg``)."""

TABLES: Final[tuple[str, ...]] = (
    "break_even",
    "multiplier",
    "attribution",
    "scenarios",
    "data",
    "structure",
    "priors",
    "diagnostics",
    "summary",
    "posterior_predictive",
    "information",
    "claims",
    "projection_quantiles",
    "run",
    *FACTORY_TABLES,
)
"""Stems of the tables every report holds (``tables/<stem>.csv``); a fit of several markets
adds ``markets`` (:mod:`tokendemand.report.markets`) and a fit that entered claims adds
``claims_effect`` ("What the claims changed")."""


def _check(fit: FitResult, projection: Projection) -> None:
    if not all(hasattr(fit, a) for a in ("idata", "summary", "markets", "reference_date")):
        raise NotFittedError(
            f"a report needs a fitted result, got {type(fit).__name__}: fit first "
            "(fit = td.fit(observations)) and pass it with its projection"
        )
    if projection.dataset.attrs.get("source") != "posterior":
        raise NotFittedError(
            "the projection is not from a fit (calculator mode), so there is no posterior to "
            "report; project the fit: td.project(fit, ...)"
        )
    problems = []
    if projection.market and projection.market not in fit.markets:
        problems.append(
            f"the projection's market {projection.market!r} is not in the fit "
            f"({', '.join(fit.markets)}); project this fit"
        )
    if projection.reference_date != fit.reference_date:
        problems.append(
            f"the projection's reference date {iso(projection.reference_date)} differs from "
            f"the fit's {iso(fit.reference_date)}; project this fit"
        )
    if problems:
        raise ConfigError("cannot report:\n  " + "\n  ".join(problems))


def check_output_folder(out_dir: str | Path) -> Path:
    """The absolute path of ``out_dir`` if a report may be written there.

    It may be missing, empty or hold an earlier report (``report.html``), which is replaced.

    Raises
    ------
    ConfigError
        If it is a file, or a non-empty folder without ``report.html``.
    """
    out = Path(out_dir).expanduser().absolute()
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} exists and is not a folder; choose another output folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "report.html").is_file():
        raise ConfigError(
            f"{out} exists, is not empty and holds no report.html; refusing to replace it. "
            "Choose another output folder or empty it."
        )
    return out


def write_report(
    fit: FitResult,
    projection: Projection,
    out_dir: str | Path = "tokendemand-report",
    *,
    title: str | None = None,
    horizons: Iterable[object] | None = None,
    threshold: float = 5.0,
    warnings: Sequence[str] = (),
    notes: Sequence[str] = (),
    run_info: Mapping[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
    factory: FactoryAssumptions | None = None,
    random_seed: int | None = 0,
    sensitivity: Study | None = None,
    claims: pd.DataFrame | None = None,
    claims_baseline: FitResult | None = None,
) -> Path:
    """Write the report of ``fit`` and ``projection`` into the folder ``out_dir``.

    The folder holds ``report.html`` (one self-contained page: figures embedded as PNG, style
    inline, nothing loaded from the network), ``report.md``, ``figures/<name>.png`` and
    ``.svg`` for each name in :data:`FIGURES`, and ``tables/<name>.csv`` for each name in
    :data:`TABLES`. Every number in it is computed from ``fit`` and ``projection``.

    Parameters
    ----------
    fit
        The fitted result.
    projection
        ``td.project(fit, ...)`` for one market of the fit; start it before the first figure
        to show the fit against the data in the fan chart.
    out_dir
        Destination folder. An existing report there is replaced; any other non-empty folder
        is refused.
    title
        Page title; default names the market.
    horizons
        Dates for P(break-even before date) and the multiplier table; default the year-ends
        2027, 2028 and 2030 within the projection.
    threshold
        Growth multiple whose probability is reported (CICC: "more than 5x").
    warnings, notes
        Sentences shown at the top (e.g. convergence warnings of the fit, a quick-run note).
    run_info
        Items of the "How this report was made" table (options, timings).
    progress
        Called with the name of each figure once drawn.
    factory
        Assumptions of the section "What the demand means for token factories"
        (:class:`~tokendemand.factory.FactoryAssumptions`); default the bundled ones.
    random_seed
        Seed of the draws of the factory assumptions' priors (one per posterior draw).
    sensitivity
        A study (:func:`~tokendemand.projection.study.load_study`) whose results make a
        section "Which assumption matters most" (``tables/sensitivity.csv``,
        ``figures/sensitivity.png``); none by default.
    claims
        The section "Claims against the data": a table of
        :func:`~tokendemand.claims.check_claims` (with its refits); default the built-in claims
        checked without refits, a claim about a figure the fit saw being reported as not checked.
    claims_baseline
        For a fit that entered claims (``fit(..., claims=[...])``): the same model fitted
        without them, for the section "What the claims changed"; default
        :func:`without_claims(fit) <tokendemand.fitting.refit.without_claims>`, one
        refit with the fit's sampler settings. Unused (and no refit made) for a fit without
        claims.

    Returns
    -------
    pathlib.Path
        The folder (absolute).

    Raises
    ------
    NotFittedError
        If ``fit`` is not a fitted result, or ``projection`` is from calculator mode.
    ConfigError
        If the projection is not of this fit, a horizon falls outside it, or ``out_dir``
        cannot be used.
    """
    _check(fit, projection)
    out = check_output_folder(out_dir)
    reference, last = projection.reference_date, projection.dates[-1]
    if horizons is None:
        chosen = default_horizons(projection)
    else:
        chosen = sorted(to_day(h, "horizon", ConfigError) for h in horizons)
        outside = [iso(h) for h in chosen if not reference < h <= last]
        if outside:
            raise ConfigError(
                f"horizons {', '.join(outside)} are outside the projection after the reference "
                f"date ({iso(reference)} to {iso(last)}); project further or drop them"
            )
    if not threshold > 0:
        raise ConfigError(f"threshold must be positive, got {threshold}")
    market = projection.market or (fit.markets[0] if fit.markets else "")
    heading = title or f"Token demand: {market}"
    generated = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta = (
        f"Generated {generated} by tokendemand {version('tokendemand')}. "
        f"Reference date {iso(reference)}; "
        f"projection to {iso(last)}; {projection.dataset.sizes['draw']} posterior draws; "
        f"scenarios: {', '.join(s.name for s in projection.scenarios)}."
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f".{out.name}.{uuid.uuid4().hex}.partial"
    try:
        work.mkdir()  # with the user's umask, unlike tempfile.mkdtemp
        (work / "figures").mkdir()
        (work / "tables").mkdir()
        markets = None
        if compares_markets(fit):
            start = min(projection.dates[0], fit.reference_date)
            markets = market_projections(fit, start, projection.dates[-1].normalize())
        tables = compute_tables(
            fit,
            projection,
            chosen,
            threshold,
            dict(run_info or {}),
            claims=claims,
            claims_baseline=claims_baseline,
            markets=markets,
        )
        plant = run_factory(projection, factory, random_seed)
        plant_tables = factory_tables(plant)
        tables.update(plant_tables)
        for table in tables.values():
            table.raw.to_csv(work / "tables" / f"{table.name}.csv", index=False)
        figures = draw_figures(fit, projection, work / "figures", progress)
        plant_figures = factory_figures(
            plant, work / "figures", pick_scenario(projection, None), progress
        )
        figures = [*figures, *plant_figures]
        if markets is not None:
            figures += market_figures(fit, markets, work / "figures", progress)
        study_section = None
        if sensitivity is not None:
            study_table, study_figure, study_section = sensitivity_section(
                fit, sensitivity, work / "figures", projection.market or None, progress
            )
            tables[study_table.name] = study_table
            study_table.raw.to_csv(work / "tables" / f"{study_table.name}.csv", index=False)
            figures.append(study_figure)
        files = [
            "report.html",
            "report.md",
            *(f"figures/{f.name}.png" for f in figures),
            *(f"figures/{f.name}.svg" for f in figures),
            *(f"tables/{name}.csv" for name in tables),
        ]
        sections = build_sections(
            fit, projection, tables, figures, threshold, warnings, notes, files
        )
        after = [s.anchor for s in sections].index("scenarios") + 1
        sections.insert(after, factory_section(plant_tables, plant_figures))
        if study_section is not None:
            sections.insert(after + 1, study_section)
        (work / "report.md").write_text(to_markdown(heading, meta, sections), encoding="utf-8")
        (work / "report.html").write_text(to_html(heading, meta, sections), encoding="utf-8")
        _replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return out


def _replace(work: Path, out: Path) -> None:
    """Move ``work`` to ``out``, replacing an earlier report there."""
    if not out.exists():
        work.rename(out)
        return
    stale = out.parent / f".{out.name}.{uuid.uuid4().hex}.old"
    out.rename(stale)
    try:
        work.rename(out)
    except BaseException:
        stale.rename(out)
        raise
    shutil.rmtree(stale, ignore_errors=True)
