"""The report's tables of data, model, diagnostics and scenarios (nothing typed in), and the
formatting shared with :mod:`tokendemand.report.answers`.

Each function returns a :class:`Table`: the raw numbers (written to ``tables/*.csv``) and the
same rows formatted for reading (HTML and Markdown).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from tokendemand.dates import iso
from tokendemand.fitting.pseudo import CLAIM_PREFIX
from tokendemand.observations import FRACTION_KINDS, RATE_KINDS, observed_levels
from tokendemand.units import format_tokens

if TYPE_CHECKING:
    from tokendemand.fitting.result import FitResult
    from tokendemand.scenarios import Scenario

__all__ = [
    "Table",
    "data_table",
    "diagnostics_table",
    "fmt_date",
    "fmt_number",
    "fmt_share",
    "predictive_table",
    "priors_table",
    "scenarios_table",
    "structure_table",
    "summary_table",
]

_TOKEN_PARAMETERS: Final = ("total_reference", "scale")
"""Parameters in tokens/day (shown as 206T rather than 2.06e+14)."""


@dataclass(frozen=True)
class Table:
    """A table of the report.

    Attributes
    ----------
    name
        File stem of ``tables/<name>.csv``.
    title, caption
        Heading and one paragraph saying what the rows are.
    raw
        The numbers, as written to the CSV file.
    shown
        Strings for reading; same rows, possibly fewer or renamed columns.
    links
        Columns of ``shown`` that hold URLs (rendered as links).
    """

    name: str
    title: str
    caption: str
    raw: pd.DataFrame
    shown: pd.DataFrame
    links: tuple[str, ...] = field(default=())


# ------------------------------------------------------------------------------- formatting


def fmt_number(value: Any, digits: int = 3) -> str:
    """A number to ``digits`` significant digits; ``—`` for NaN."""
    number = float(value)
    if math.isnan(number):
        return "—"
    if number != 0 and (abs(number) >= 1e6 or abs(number) < 1e-3):
        return f"{number:.{digits - 1}e}"
    if abs(number) >= 10**digits:
        return f"{number:,.0f}"
    return f"{number:.{digits}g}"


def fmt_share(value: Any) -> str:
    """A probability or fraction as a percentage (``<1%`` and ``>99%`` at the ends)."""
    number = float(value)
    if math.isnan(number):
        return "—"
    if 0 < number < 0.01:
        return "<1%"
    if 0.99 < number < 1:
        return ">99%"
    return f"{number:.0%}"


def fmt_date(value: Any, missing: str = "—") -> str:
    """An ISO date, or ``missing`` for NaT."""
    return missing if pd.isna(value) else iso(pd.Timestamp(value))


def _fmt_value(kind: str, value: float) -> str:
    if kind in RATE_KINDS:
        return f"{format_tokens(value)} tokens/day"
    if kind == "total":
        return f"{format_tokens(value)} tokens"
    if kind == "ratio":
        return f"×{value:.4g}"
    if kind in FRACTION_KINDS:
        return f"{value:.1%}"
    return fmt_number(value)


def _period(start: Any, end: Any) -> str:
    first, last = fmt_date(start), fmt_date(end)
    return first if first == last else f"{first} to {last}"


# ------------------------------------------------------------------------------------ data


def data_table(fit: FitResult, market: str | None) -> Table:
    """Every figure the model was fitted to, with its source and URL."""
    frame = fit.observations.to_frame()
    reference = fit.design.reference_series
    drawn: set[tuple[Any, ...]] = set()
    if market is not None:
        levels = observed_levels(fit.observations, market, reference.get(market))
        records: list[Any] = levels.frame.to_dict("records")
        drawn = {
            (r["series"], pd.Timestamp(r["start"]), pd.Timestamp(r["end"]), r["kind"])
            for r in records
        }
    on_chart = [
        "yes" if (r.series, r.start, r.end, r.kind) in drawn else "no" for r in frame.itertuples()
    ]
    raw = frame[
        ["series", "market", "kind", "start", "end", "base_start", "base_end", "value", "unit"]
    ].copy()
    raw["bound"] = frame["bound"]
    raw["confidence"] = frame["confidence"]
    raw["source"] = frame["source"]
    raw["url"] = frame["url"]
    raw["note"] = frame["note"]
    raw["on_fan_chart"] = on_chart
    shown = pd.DataFrame(
        {
            "series": frame["series"],
            "kind": frame["kind"],
            "period": [_period(s, e) for s, e in zip(frame["start"], frame["end"], strict=True)],
            "figure": [
                ("over " if b == "lower" else "under " if b == "upper" else "")
                + _fmt_value(k, v)
                + (f" vs {_period(bs, be)}" if k == "ratio" else "")
                for k, v, b, bs, be in zip(
                    frame["kind"],
                    frame["value"],
                    frame["bound"],
                    frame["base_start"],
                    frame["base_end"],
                    strict=True,
                )
            ],
            "confidence": frame["confidence"],
            "source": frame["source"],
            "url": frame["url"],
            "on fan chart": on_chart,
        }
    )
    markets = ", ".join(dict.fromkeys(frame["market"]))
    claimed = int(frame["source"].str.startswith(CLAIM_PREFIX).sum())
    return Table(
        "data",
        "Figures the model was fitted to",
        f"{len(frame)} published figures ({markets}), as the model read them: volumes in "
        "tokens/day or tokens, ratios as multiples, shares as percentages. A figure marked "
        "'over' or 'under' is one-sided and enters the fit as censored."
        + (
            f" {claimed} of them are published claims entered as soft pseudo-observations "
            f"(source '{CLAIM_PREFIX}...'), not data."
            if claimed
            else ""
        ),
        raw,
        shown,
        links=("url",),
    )


# ----------------------------------------------------------------------------------- model


def structure_table(fit: FitResult) -> Table:
    """Curve family of each lever."""
    spec = fit.structure.to_dict()
    raw = pd.DataFrame({"lever": list(spec), "family": [str(v) for v in spec.values()]})
    return Table(
        "structure",
        "Structure",
        "Curve family of each lever of the structural equation, and how series are pooled.",
        raw,
        raw.copy(),
    )


def priors_table(fit: FitResult) -> Table:
    """Every prior with its source (:meth:`Priors.table <tokendemand.priors.Priors.table>`)."""
    raw = pd.DataFrame(fit.priors.table())
    return Table(
        "priors",
        "Priors",
        "Every prior of the model and where its default comes from.",
        raw,
        raw.copy(),
    )


# ----------------------------------------------------------------------------- diagnostics


def diagnostics_table(fit: FitResult) -> Table:
    """The sampler diagnostics and fit timings."""
    rows = [(k, float(v)) for k, v in fit.diagnostics.items()]
    rows += [(f"seconds_{k}", float(v)) for k, v in fit.timings.items()]
    raw = pd.DataFrame(rows, columns=["diagnostic", "value"])
    shown = pd.DataFrame(
        {"diagnostic": raw["diagnostic"], "value": [fmt_number(v, 4) for v in raw["value"]]}
    )
    return Table(
        "diagnostics",
        "Sampler diagnostics",
        "R-hat should be at most 1.01, bulk ESS at least 400 and divergences 0 "
        "(FitResult.diagnostics; thresholds of tokendemand.fitting.result).",
        raw,
        shown,
    )


def summary_table(fit: FitResult) -> Table:
    """Posterior beside prior per parameter, with what the data taught."""
    raw = fit.summary().reset_index()
    shown = pd.DataFrame({"parameter": raw["parameter"]})
    tokens = raw["parameter"].str.startswith(_TOKEN_PARAMETERS)
    for column in ("mean", "sd", "q03", "q97", "prior_mean", "prior_sd"):
        shown[column] = [
            format_tokens(v) if is_tokens and math.isfinite(v) else fmt_number(v)
            for v, is_tokens in zip(raw[column], tokens, strict=True)
        ]
    for column in ("sd_ratio", "shift"):
        shown[column] = [fmt_number(v) for v in raw[column]]
    shown["learned_from"] = raw["learned_from"]
    shown["r_hat"] = [fmt_number(v, 4) for v in raw["r_hat"]]
    shown["ess_bulk"] = ["—" if math.isnan(v) else f"{v:.0f}" for v in raw["ess_bulk"]]
    return Table(
        "summary",
        "Posterior against prior",
        "Posterior mean, sd and central 94% interval (q03 to q97) beside the prior; sd_ratio "
        "is posterior over prior spread and shift the move of the median in prior spreads; "
        "total_reference and scale are in tokens/day. "
        "learned_from: 'data' when the spread shrank below half, 'prior' when it barely moved.",
        raw,
        shown,
    )


def predictive_table(fit: FitResult) -> Table:
    """Each figure beside replicated figures drawn from the posterior."""
    raw = fit.posterior_predictive()
    verdicts = []
    for bound, p in zip(raw["bound"], raw["p_above"], strict=True):
        if bound == "lower":
            ok = p >= 0.05
        elif bound == "upper":
            ok = p <= 0.95
        else:
            ok = 0.05 <= p <= 0.95
        verdicts.append("consistent" if ok else "tension")
    raw = raw.assign(check=verdicts)
    kinds = raw["kind"]
    shown = pd.DataFrame(
        {
            "series": raw["series"],
            "kind": kinds,
            "bound": [b if isinstance(b, str) else "" for b in raw["bound"]],
            "observed": [_fmt_value(k, v) for k, v in zip(kinds, raw["observed"], strict=True)],
            "replicated 5%": [_fmt_value(k, v) for k, v in zip(kinds, raw["q05"], strict=True)],
            "median": [_fmt_value(k, v) for k, v in zip(kinds, raw["q50"], strict=True)],
            "95%": [_fmt_value(k, v) for k, v in zip(kinds, raw["q95"], strict=True)],
            "P(replicate > observed)": [fmt_share(p) for p in raw["p_above"]],
            "check": verdicts,
        }
    )
    return Table(
        "posterior_predictive",
        "Posterior predictive check",
        "Each figure beside figures replicated from the posterior (with observation noise). "
        "'tension' marks an exact figure outside the replicates' 90% range, or a bound the "
        "replicates mostly violate.",
        raw,
        shown,
    )


# ------------------------------------------------------------------------------- scenarios


def scenarios_table(scenarios: Iterable[Scenario], reference: pd.Timestamp) -> Table:
    """Every assumption of every scenario."""
    rows = [
        {"scenario": s.name, "item": item, "value": value}
        for s in scenarios
        for item, value in s.assumptions(reference)
    ]
    raw = pd.DataFrame(rows, columns=["scenario", "item", "value"])
    return Table(
        "scenarios",
        "Scenario assumptions",
        "What each scenario changes from the fitted trajectory; levers 'as fitted' follow "
        "the posterior.",
        raw,
        raw.copy(),
    )
