"""The report section "Which assumption matters most" of ``tokendemand run --sensitivity``.

A :class:`~tokendemand.projection.study.Study` (read from TOML by
:func:`~tokendemand.projection.study.load_study`) is run once on the fit: its table of Sobol'
indices (or one-at-a-time swings) and the matching chart make the section, the posterior draws
standing as one more input beside the scenario settings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tokendemand.projection.study import Study, study_tables
from tokendemand.report.document import FigureBlock, Paragraph, Section, TableBlock
from tokendemand.report.figures import ReportFigure, save_figure
from tokendemand.report.tables import Table

if TYPE_CHECKING:
    from tokendemand.projection.plan import PosteriorSource
    from tokendemand.structure import Parameters

__all__ = ["SENSITIVITY_FIGURE", "SENSITIVITY_TABLE", "sensitivity_section"]

SENSITIVITY_TABLE = "sensitivity"
"""Stem of the section's table (``tables/sensitivity.csv``)."""
SENSITIVITY_FIGURE = "sensitivity"
"""Stem of the section's figure (``figures/sensitivity.png`` and ``.svg``)."""


def sensitivity_section(
    source: Parameters | PosteriorSource,
    study: Study,
    folder: Path,
    market: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Table, ReportFigure, Section]:
    """Run ``study`` on ``source`` (the fit) once; its table, its chart (saved into ``folder``)
    and the section."""
    from matplotlib import pyplot as plt

    from tokendemand import plotting

    result = study.run(source, market=market)
    ((title, shown),) = study_tables(source, study, result).items()
    table = Table(
        SENSITIVITY_TABLE,
        title,
        "Sobol' indices: the share of the output's variance each input explains alone (first "
        "order) and with its interactions (total); 'parameters' is what the data leave "
        "uncertain (the posterior draws), the others are the study's scenario settings."
        if study.method != "oat"
        else "One at a time: the output with each setting at its low and its high end, the "
        "others at the middle of their ranges; widest swing first.",
        result.reset_index(),
        shown.reset_index().astype(str),
    )
    chart = plotting.tornado if study.method == "oat" else plotting.sobol_bars
    drawn = chart(result)
    png = save_figure(drawn, folder, SENSITIVITY_FIGURE)
    figure = ReportFigure(
        SENSITIVITY_FIGURE,
        title,
        "Source: tokendemand sensitivity study of the fit "
        f"({study.method}, output {result.attrs.get('output', '')}).",
        png,
        float(drawn.get_figwidth()),
    )
    plt.close(drawn)
    if progress is not None:
        progress(SENSITIVITY_FIGURE)
    section = Section(
        "Which assumption matters most",
        "sensitivity",
        (
            Paragraph(
                "How much each uncertain assumption moves one answer, over the ranges the "
                "study file gives, with the posterior draws as one more input."
            ),
            FigureBlock(figure),
            TableBlock(table),
        ),
    )
    return table, figure, section
