"""The report's sections "Claims against the data" and "What the data decided", and the words
the Summary uses to say how much of each headline answer the data decided.

The tables come from :func:`tokendemand.claims.check_claims` and
:func:`tokendemand.projection.information.information`; nothing is typed in. A fit that entered
claims (``fit(..., claims=[...])``) also gets "What the claims changed": its headline answers
beside those of the same model refitted without the claims.
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
    "claims_effect_section",
    "claims_effect_table",
    "claims_section",
    "claims_table",
    "headline_labels",
    "information_section",
    "information_table",
]


def _show(row: pd.Series, side: str) -> str:
    """A row of :func:`~tokendemand.projection.information.information` as ``median (q05 to
    q95)``, or the probability of a ``P(...)`` row."""
    values = [row[f"{side}_q05"], row[f"{side}_median"], row[f"{side}_q95"]]
    if str(row["quantity"]).startswith("P("):
        return fmt_share(values[1])
    if isinstance(values[1], pd.Timestamp):
        return f"{fmt_date(values[1])} ({fmt_date(values[0])} to {fmt_date(values[2])})"
    return f"{fmt_number(values[1])} ({fmt_number(values[0])} to {fmt_number(values[2])})"


def information_table(fit: FitResult, projection: Projection) -> Table:
    """Every headline answer under the posterior and the prior alone, with its label."""
    from tokendemand.projection.information import information

    raw = information(fit, projection)
    shown = pd.DataFrame(
        {
            "scenario": raw["scenario"],
            "answer": raw["quantity"],
            "posterior (90%)": [_show(r, "posterior") for _, r in raw.iterrows()],
            "prior alone (90%)": [_show(r, "prior") for _, r in raw.iterrows()],
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


def claims_effect_table(information_raw: pd.DataFrame, baseline: pd.DataFrame) -> Table:
    """Each headline answer of a fit that entered claims beside the same answer without them.

    Parameters
    ----------
    information_raw
        :func:`~tokendemand.projection.information.information` of the fit with the claims
        (the raw table of :func:`information_table`).
    baseline
        The same, of the fit refitted without the claims
        (:func:`~tokendemand.fitting.refit.without_claims`)
        and projected with the same scenarios and grid.
    """
    keys = ["scenario", "quantity"]
    sides = ["q05", "median", "q95"]
    merged = information_raw[[*keys, *(f"posterior_{q}" for q in sides)]].merge(
        baseline[[*keys, *(f"posterior_{q}" for q in sides)]],
        on=keys,
        suffixes=("", "_without"),
        how="inner",
        validate="one_to_one",
    )
    raw = pd.DataFrame({"scenario": merged["scenario"], "quantity": merged["quantity"]})
    for q in sides:
        raw[f"with_{q}"] = merged[f"posterior_{q}"]
        raw[f"without_{q}"] = merged[f"posterior_{q}_without"]
    shown = pd.DataFrame(
        {
            "scenario": raw["scenario"],
            "answer": raw["quantity"],
            "with the claims (90%)": [_show(r, "with") for _, r in raw.iterrows()],
            "without them (90%)": [_show(r, "without") for _, r in raw.iterrows()],
        }
    )
    return Table(
        "claims_effect",
        "What the claims changed",
        "Each headline answer from this fit, which entered published claims as soft "
        "pseudo-observations, and from the same model refitted on the data alone (same "
        "priors, reference date, sampler and settings): median and 90% interval, or the "
        "probability.",
        raw,
        shown,
    )


def claims_effect_section(fit: FitResult, table: Table) -> Section:
    """The section "What the claims changed": the claims entered and :func:`claims_effect_table`."""
    entered = [
        f"{r.name} ({r.confidence} confidence): {r.statement}; "
        + (
            ", ".join(f.describe() for f in r.figures) + " entered"
            if r.figures
            else "no figure entered"
        )
        + ("".join(f"; {s}" for s in r.skipped))
        for r in fit.claims
    ]
    return Section(
        "What the claims changed",
        "claims_effect",
        (
            Paragraph(
                f"This fit entered {len(fit.claims)} published claim(s) as soft "
                "pseudo-observations (their rows in the data table have source 'claim: ...'); "
                "a claim figure that repeats a data figure was not entered twice:"
            ),
            Bullets(tuple(entered)),
            TableBlock(table),
        ),
    )
