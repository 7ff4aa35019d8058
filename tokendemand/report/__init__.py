"""A report folder ready to paste into research: one self-contained HTML page, Markdown,
figures (PNG and SVG) and tables (CSV). ``tokendemand run`` does all of this; in Python
(fitting is left out of the doctests, which stay quick)::

    import tokendemand as td
    from tokendemand.report import write_report

    fit = td.fit(td.datasets.load("china_national"), random_seed=1)
    # weekly from before the first figure, landing on until="2030-12-31" (365 weeks)
    projection = td.project(fit, start="2024-01-02", freq="7D")
    write_report(fit, projection, "my-report")  # my-report/report.html

The page states the data used (each figure with its source and URL), the model and every
prior with its source, the diagnostics (sampler, posterior against prior, posterior
predictive check), the headline answers (break-even date distribution per scenario, the
probability of more than fivefold growth by given dates, the attribution of growth to the
levers) and every assumption of each scenario. Every number is computed.
"""

from __future__ import annotations

from tokendemand.report.tables import Table
from tokendemand.report.write import FIGURES, TABLES, check_output_folder, write_report

__all__ = ["FIGURES", "TABLES", "Table", "check_output_folder", "write_report"]
