"""A report folder ready to paste into research: one self-contained HTML page, Markdown,
figures (PNG and SVG) and tables (CSV).

>>> import tokendemand as td                                  # doctest: +SKIP
>>> fit = td.fit(td.datasets.load("china_national"), random_seed=1)  # doctest: +SKIP
>>> projection = td.project(fit, start="2024-01-01", freq="W")  # doctest: +SKIP
>>> write_report(fit, projection, "my-report")                # doctest: +SKIP

The page states the data used (each figure with its source and URL), the model and every
prior with its source, the diagnostics (sampler, posterior against prior, posterior
predictive check), the headline answers (break-even date distribution per scenario, the
probability of more than fivefold growth by given dates, the attribution of growth to the
levers) and every assumption of each scenario. Every number is computed.
"""

from __future__ import annotations

from tokendemand.report.tables import Table
from tokendemand.report.write import FIGURES, TABLES, write_report

__all__ = ["FIGURES", "TABLES", "Table", "write_report"]
