"""The report's sections "Claims against the data" and "What the data decided", and the words
the Summary uses to say how much of each headline answer the data decided.

The tables come from :func:`tokendemand.claims.check_claims` and
:func:`tokendemand.projection.information.information`; nothing is typed in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from tokendemand.report.document import Bullets, Paragraph, Section, TableBlock
from tokendemand.report.tables import Table, fmt_date, fmt_number, fmt_share

if TYPE_CHECKING:
    from tokendemand.fitting.result import FitResult
    from tokendemand.projection import Projection

__all__ = [
    "claims_section",
    "claims_table",
    "headline_labels",
    "information_section",
    "information_table",
]


def information_table(fit: FitResult, projection: Projection) -> Table:
    """Every headline answer under the posterior and the prior alone, with its label."""
    from tokendemand.projection.information import information

    raw = information(fit, projection)

    def show(row: pd.Series, side: str) -> str:
        values = [row[f"{side}_q05"], row[f"{side}_median"], row[f"{side}_q95"]]
        if str(row["quantity"]).startswith("P("):
            return fmt_share(values[1])
        if isinstance(values[1], pd.Timestamp):
            return f"{fmt_date(values[1])} ({fmt_date(values[0])} to {fmt_date(values[2])})"
        return f"{fmt_number(values[1])} ({fmt_number(values[0])} to {fmt_number(values[2])})"

    shown = pd.DataFrame(
        {
            "scenario": raw["scenario"],
            "answer": raw["quantity"],
            "posterior (90%)": [show(r, "posterior") for _, r in raw.iterrows()],
            "prior alone (90%)": [show(r, "prior") for _, r in raw.iterrows()],
            "width ratio": [fmt_number(v) for v in raw["width_ratio"]],
            "shift (prior sds)": [fmt_number(v) for v in raw["shift"]],
            "decided by": raw["label"],
            "evidence that would move it": raw["evidence"],
        }
    )
    return Table(
        "information",
        "What the data decided",
        "Each headline answer computed from the posterior and from prior draws of the same model "
        "(same scenarios and dates). Width ratio: the posterior 90% interval's width over the "
        "prior's (days, logs of multipliers and factors, logits of shares; for a probability "
        "P the spread sqrt(P(1-P))). Shift: the move of the median in prior spreads. Decided by "
        "the data when the width ratio is at most 0.5; mostly the prior when it is at least 0.9 "
        "and the median moved less than half a prior spread; partly otherwise.",
        raw,
        shown,
    )


def claims_table(checked: pd.DataFrame) -> Table:
    """The table of :func:`~tokendemand.claims.check_claims`, formatted."""
    shown = pd.DataFrame(
        {
            "claim": checked["statement"],
            "source": checked["source"],
            "prior": [fmt_share(v) for v in checked["prior_probability"]],
            "posterior": [fmt_share(v) for v in checked["posterior_probability"]],
            "verdict": checked["verdict"],
            "note": checked["note"],
        }
    )
    return Table(
        "claims",
        "Claims against the data",
        "Probability of each published claim under the prior and under the posterior of the "
        "same model. A claim about a figure the fit saw is checked on a fit without that figure "
        "(or reported as not checked): a figure never vouches for itself. Supported or "
        "contradicted: the posterior is at least 90% one way and the odds moved at least "
        "threefold; leans: the odds moved threefold, the posterior is less decisive; undecided "
        "by the data: the odds moved less.",
        checked,
        shown,
    )


def headline_labels(table: Table) -> dict[tuple[str, str], str]:
    """``(scenario, topic) -> label`` for the Summary: topics ``break-even``, ``multiplier``,
    ``agent share`` (on the reference date) and each lever's attribution (``lever:<name>``)."""
    out: dict[tuple[str, str], str] = {}
    for _, row in table.raw.iterrows():
        quantity, scenario = str(row["quantity"]), str(row["scenario"])
        if quantity == "break-even date":
            out[(scenario, "break-even")] = str(row["label"])
        elif quantity.startswith("multiplier"):
            out[(scenario, "multiplier")] = str(row["label"])
        elif quantity.startswith("attribution: "):
            out[(scenario, "lever:" + quantity.removeprefix("attribution: "))] = str(row["label"])
        elif quantity.startswith("agent share") and (scenario, "agent share") not in out:
            out[(scenario, "agent share")] = str(row["label"])
    return out


def information_section(table: Table) -> Section:
    """The section "What the data decided"."""
    raw = table.raw
    weak = raw[raw["label"].isin(["mostly the prior", "partly"])]
    needs = sorted(set(weak["evidence"]) - {""})
    blocks: list[Any] = [
        Paragraph(
            "Which answers rest on the data and which on the priors: each answer recomputed "
            "from the priors alone and compared with the posterior."
        ),
        TableBlock(table),
    ]
    if needs:
        blocks.append(Paragraph("Evidence that would move the answers the prior still holds:"))
        blocks.append(Bullets(tuple(needs)))
    return Section("What the data decided", "information", tuple(blocks))


def claims_section(table: Table) -> Section:
    """The section "Claims against the data"."""
    counts = table.raw["verdict"].value_counts()
    summary = ", ".join(f"{int(n)} {verdict}" for verdict, n in counts.items())
    return Section(
        "Claims against the data",
        "claims",
        (Paragraph(f"{len(table.raw)} claims checked: {summary}."), TableBlock(table)),
    )
