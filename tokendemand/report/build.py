"""The report's sections, assembled from computed tables, figures and sentences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from tokendemand.dates import iso
from tokendemand.observations import observed_levels
from tokendemand.report.answers import (
    attribution_table,
    break_even_table,
    crossing_date,
    multiplier_table,
)
from tokendemand.report.document import (
    Block,
    Bullets,
    Callout,
    FigureBlock,
    Paragraph,
    Section,
    TableBlock,
)
from tokendemand.report.evidence import (
    claims_effect_section,
    claims_effect_table,
    claims_section,
    claims_table,
    headline_labels,
    information_section,
    information_table,
)
from tokendemand.report.figures import ReportFigure
from tokendemand.report.markets import (
    market_projections,
    market_sections,
    markets_section,
    markets_table,
)
from tokendemand.report.tables import (
    Table,
    data_table,
    diagnostics_table,
    fmt_share,
    predictive_table,
    priors_table,
    scenarios_table,
    structure_table,
    summary_table,
)
from tokendemand.structure import LEVERS

if TYPE_CHECKING:
    from tokendemand.fitting.result import FitResult
    from tokendemand.projection import Projection

__all__ = ["Tables", "build_sections", "compares_markets", "compute_tables"]

Tables = dict[str, Table]


def compute_tables(
    fit: FitResult,
    projection: Projection,
    horizons: Sequence[pd.Timestamp],
    threshold: float,
    run_info: Mapping[str, str],
    claims: pd.DataFrame | None = None,
    claims_baseline: FitResult | None = None,
    markets: Mapping[str, Projection] | None = None,
) -> Tables:
    """Every table of the report, by name.

    A fit of several markets that are not completely pooled adds the table ``markets``
    (:func:`~tokendemand.report.markets.markets_table`) from ``markets``, each market's
    projection (default: :func:`~tokendemand.report.markets.market_projections` over the
    projection's dates).

    ``claims`` is a table of :func:`~tokendemand.claims.check_claims`; default: the built-in
    claims checked without refits (a claim about a figure the fit saw is then not checked).

    A fit that entered claims (``fit.claims``) adds the table ``claims_effect``
    (:func:`~tokendemand.report.evidence.claims_effect_table`): ``claims_baseline`` is the fit
    without them, default :func:`without_claims(fit)
    <tokendemand.fitting.refit.without_claims>` (one refit with the same sampler
    settings, made only then).
    """
    from tokendemand.claims import check_claims

    market = projection.market or None
    end = projection.dates[-1].normalize()
    information_of_fit = information_table(fit, projection)
    tables = [
        break_even_table(projection, horizons),
        multiplier_table(projection, [*horizons] or [end], threshold),
        attribution_table(projection, end),
        scenarios_table(projection.scenarios, projection.reference_date),
        data_table(fit, market),
        structure_table(fit),
        priors_table(fit),
        diagnostics_table(fit),
        summary_table(fit),
        predictive_table(fit),
        information_of_fit,
        claims_table(check_claims(fit, refit=False) if claims is None else claims),
    ]
    if fit.claims:
        tables.append(_claims_effect(fit, projection, information_of_fit.raw, claims_baseline))
    quantiles = projection.to_frame(
        variables=["total", "chatbot", "agent", "agent_share", "penetration"]
    )
    tables.append(
        Table(
            "projection_quantiles",
            "Projection quantiles",
            "Quantiles over draws of each variable per scenario and date.",
            quantiles,
            quantiles.head(0),
        )
    )
    # under complete pooling every market has the same levers: nothing to compare but the scale
    if compares_markets(fit):
        start = min(projection.dates[0], fit.reference_date)
        if markets is None:
            markets = market_projections(fit, start, end)
        tables.append(markets_table(fit, markets, start, end, threshold))
    info = pd.DataFrame({"item": list(run_info), "value": list(run_info.values())})
    tables.append(Table("run", "How this report was made", "Options and timings.", info, info))
    return {t.name: t for t in tables}


def compares_markets(fit: FitResult) -> bool:
    """Whether the report compares markets and has a section per market: several markets, not
    completely pooled (under complete pooling they share every lever but the scale)."""
    return len(fit.markets) > 1 and fit.structure.pooling != "complete"


def _claims_effect(
    fit: FitResult,
    projection: Projection,
    information_raw: pd.DataFrame,
    baseline: FitResult | None,
) -> Table:
    """The table "What the claims changed": the baseline fit projected as ``projection`` was."""
    from tokendemand.fitting.refit import without_claims
    from tokendemand.projection import project
    from tokendemand.projection.information import information

    without = without_claims(fit) if baseline is None else baseline
    again = project(
        without,
        projection.scenarios,
        until=projection.dates[-1],
        freq=str(projection.dataset.attrs.get("freq", "D")),
        start=projection.dates[0],
        market=projection.market or None,
    )
    # only its posterior columns are used: few prior draws keep the added cost small
    return claims_effect_table(information_raw, information(without, again, prior_draws=100))


def _headlines(
    projection: Projection, tables: Tables, threshold: float, claim_names: Sequence[str] = ()
) -> list[str]:
    """One computed sentence per scenario."""
    be = tables["break_even"].raw.set_index("scenario")
    multiplier = tables["multiplier"].raw
    attribution = tables["attribution"].raw.set_index("scenario")
    labels = headline_labels(tables["information"])
    information = tables["information"].raw
    start, until = projection.dates[0], projection.dates[-1]

    def when(value: object) -> str:
        return crossing_date(value, start, until)

    sentences = []
    for scenario in projection.scenarios:
        name = scenario.name
        row = be.loc[name]
        text = (
            f"{name}: agent tokens reach chatbot tokens {when(row['q50'])} "
            f"(median; 50% interval {when(row['q25'])} to {when(row['q75'])}, "
            f"90% {when(row['q05'])} to {when(row['q95'])})"
        )
        chances = [
            f"{fmt_share(row[c])} {c[2:-1]}" for c in be.columns if str(c).startswith("P(before")
        ]
        if chances:
            text += ", with probability " + ", ".join(chances)
        text += f" [{labels.get((name, 'break-even'), 'not assessed')}]"
        mine = multiplier[multiplier["scenario"] == name]
        if len(mine):
            last = mine.iloc[-1]
            text += (
                f". Daily tokens grow ×{last['median']:.3g} from {iso(projection.reference_date)} "
                f"to {last['end']} (median; P(more than ×{threshold:g}) = "
                f"{fmt_share(last[f'P(multiplier > {threshold:g})'])}) "
                f"[{labels.get((name, 'multiplier'), 'not assessed')}]"
            )
        factors = attribution.loc[name, list(LEVERS)].astype(float)
        top = str(factors.idxmax())
        text += (
            f"; the largest lever is {top} (×{factors[top]:.3g}) "
            f"[{labels.get((name, 'lever:' + top), 'not assessed')}]"
        )
        reference = iso(projection.reference_date)
        shares = information[
            (information["scenario"] == name)
            & (information["quantity"] == f"agent share {reference}")
        ]
        if len(shares):
            share = shares.iloc[0]
            text += (
                f"; the agent share of tokens on {reference} is "
                f"{fmt_share(share['posterior_median'])} (median; 90% "
                f"{fmt_share(share['posterior_q05'])} to {fmt_share(share['posterior_q95'])}) "
                f"[{labels.get((name, 'agent share'), 'not assessed')}]"
            )
        text += "."
        sentences.append(text)
    if claim_names:
        sentences.append(
            "These answers include published claims entered as soft pseudo-observations "
            f"({', '.join(claim_names)}); the section 'What the claims changed' sets them "
            "beside the answers without the claims."
        )
    sentences.append(
        "In brackets: how much of each answer the data decided (decided by the data, partly, "
        "mostly the prior), from the section 'What the data decided'."
    )
    return sentences


def _model_paragraphs(fit: FitResult, projection: Projection) -> list[Block]:
    d = fit.diagnostics
    tuning = fit.idata.posterior.attrs.get("tuning_steps")
    tuned = f" after {int(tuning)} tuning steps" if tuning is not None else ""
    references = "; ".join(f"{m}: {s}" for m, s in fit.design.reference_series.items())
    covered = ", ".join(f"{m}/{s}" for m, s in fit.design.covered) or "none"
    launches = ", ".join(
        f"{m}/{s} (launched {iso(day)})"
        for (m, s), day in zip(
            fit.design.launches,
            fit.reference_date + pd.to_timedelta(fit.design.launch_day, unit="D"),
            strict=True,
        )
    )
    pooling = {
        "partial": "Series are partially pooled: each mature series has its own user-base "
        "growth, each market its own chatbot intensity, ρ and penetration curve, drawn from "
        "population "
        "distributions learned across them.",
        "none": "Series are not pooled: each has its own parameters and priors.",
        "complete": "Series are completely pooled: one set of levers for all of them (each "
        "market keeps its own scale), so agent evidence from any market of the fit informs "
        "the agent layer of the market projected here.",
    }[fit.structure.pooling]
    return [
        Paragraph(
            "Daily tokens are a chatbot baseline plus an agent layer, D(t) = B(t) + A(t), with "
            "B = N·c (users times chatbot tokens per user) and A = N·π·κ·τ (users times agent "
            "penetration, tokens per agent task and agent tasks per agent user per day). The "
            "fit works relative to the reference date t_r: D(t) = b_r·n(t)·[u(t)·(1 − s·π(t)) "
            "+ ρ·π(t)·k(t)·h(t)], where n, u, k and h are indices equal to 1 at t_r, b_r is "
            "chatbot tokens/day at t_r, ρ the agent-to-chatbot intensity ratio and s the "
            "substitution share. Agents match chatbots when π reaches u / (ρ·k·h)."
        ),
        Paragraph(
            f"Reference date {iso(fit.reference_date)}. Method {fit.method} ({fit.sampler}), "
            f"{int(d.get('chains', 0))} chains × {int(d.get('draws', 0))} draws{tuned}. Each "
            "figure enters as a linear aggregate of the latent daily path (a day, a period "
            "mean or a total), on the log scale with a Student-t error whose scale grows as the "
            "figure's confidence falls; one-sided figures are censored. Reference series "
            f"(coverage 1) by market: {references}; sub-series with a coverage factor: "
            f"{covered}"
            + (
                f"; products in their launch phase (their market times a share that diffuses "
                f"from launch): {launches}."
                if launches
                else "."
            )
            + f" {pooling}"
            + "".join(f" Note: {note}." for note in fit.design.notes)
        ),
        Paragraph(
            f"Markets in the fit: {', '.join(fit.markets)}. This report projects "
            f"{projection.market or fit.markets[0]}"
            + (
                " (the first market of the fit unless another was chosen)."
                if len(fit.markets) > 1
                else "."
            )
            + f" The projection runs from {iso(projection.dates[0])} to "
            f"{iso(projection.dates[-1])} on a grid of {len(projection.dates)} dates "
            f"({projection.dataset.attrs.get('freq', '')}); break-even dates are interpolated "
            "between grid dates, multipliers and attributions are exact on their dates."
        ),
    ]


def build_sections(
    fit: FitResult,
    projection: Projection,
    tables: Tables,
    figures: Sequence[ReportFigure],
    threshold: float,
    warnings: Sequence[str],
    notes: Sequence[str],
    files: Sequence[str],
) -> list[Section]:
    """The sections of the report, in order."""
    figure = {f.name: FigureBlock(f) for f in figures}
    top: list[Block] = []
    if warnings:
        top.append(Callout("warning", tuple(warnings)))
    if notes:
        top.append(Callout("note", tuple(notes)))
    top.append(
        Bullets(tuple(_headlines(projection, tables, threshold, [c.name for c in fit.claims])))
    )
    headline = (
        figure["fan_chart"],
        TableBlock(tables["break_even"]),
        figure["break_even_cdf"],
        figure["decomposition"],
        TableBlock(tables["multiplier"]),
        figure["scenarios"],
        TableBlock(tables["attribution"]),
        figure["attribution"],
    )
    market = projection.market or None
    levels = observed_levels(
        fit.observations, market, fit.design.reference_series.get(market) if market else None
    )
    data: list[Block] = [TableBlock(tables["data"])]
    if levels.notes:
        data.append(Paragraph("Not on the fan chart: " + "; ".join(levels.notes) + "."))
    converged = fit.converged()
    verdict = (
        Callout("note", ("The sampler met every convergence threshold.",))
        if converged or fit.method != "nuts"
        else Callout(
            "warning",
            (
                "The sampler did not meet every convergence threshold (see the table): treat "
                "the numbers as a first look and rerun with more draws.",
            ),
        )
    )
    if fit.method != "nuts":
        verdict = Callout("warning", (f"Method {fit.method}: no convergence diagnostics.",))
    compared: list[Section] = []
    if "markets" in tables:
        compared.append(
            markets_section(tables["markets"], market or fit.markets[0], fit.structure.pooling)
        )
        start = min(projection.dates[0], fit.reference_date)
        end = projection.dates[-1].normalize()
        compared += market_sections(fit, tables["markets"], figures, start, end, threshold)
    return [
        Section("Summary", "summary", tuple(top)),
        Section("Headline answers", "answers", headline),
        *compared,
        Section(
            "Scenarios",
            "scenarios",
            (
                Bullets(tuple(f"{s.name}: {s.description}" for s in projection.scenarios)),
                TableBlock(tables["scenarios"]),
            ),
        ),
        Section("Data used", "data", tuple(data)),
        information_section(tables["information"]),
        claims_section(tables["claims"]),
        *(
            [claims_effect_section(fit, tables["claims_effect"])]
            if "claims_effect" in tables
            else []
        ),
        Section(
            "Model and priors",
            "model",
            (
                *_model_paragraphs(fit, projection),
                TableBlock(tables["structure"]),
                TableBlock(tables["priors"]),
                figure["prior_posterior"],
            ),
        ),
        Section(
            "Diagnostics",
            "diagnostics",
            (
                verdict,
                TableBlock(tables["diagnostics"]),
                TableBlock(tables["summary"]),
                TableBlock(tables["posterior_predictive"]),
            ),
        ),
        Section(
            "About this report",
            "about",
            (TableBlock(tables["run"]), Paragraph("Files: " + ", ".join(files) + ".")),
        ),
    ]
