"""Write docs/backtest.md: the backtest of the bundled doubao and china_national series.

Every number on the page is computed here; nothing is typed in. Run from the repository root:

    python scripts/backtest_docs.py [--draws 1000] [--seed 1] [--out docs]

It fits the structural model once per cutoff and writes
``backtest.md`` and one figure per dataset (``backtest_<name>.png``) to the output folder; the
page lists every forecast.
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

import tokendemand as td
from tokendemand.backtest import (
    STRUCTURAL,
    backtest,
    backtest_pairwise,
    backtest_summary,
    plot_backtest,
)
from tokendemand.backtest.baselines import ARIMA_AR_MIN, GRID_DAYS, MIN_FIGURES
from tokendemand.errors import ConvergenceWarning
from tokendemand.units import format_tokens

DATASETS = ("doubao", "china_national")
USERS_SOURCE = td.Priors.source("users_annual_rate")


def markdown(frame: pd.DataFrame, formats: dict[str, Any], index: bool = True) -> str:
    """A GitHub-flavoured Markdown table, each column formatted by ``formats`` (or ``str``)."""
    shown = frame.reset_index() if index else frame
    header = [str(c) for c in shown.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for _, row in shown.iterrows():
        cells = []
        for column in shown.columns:
            value = row[column]
            missing = (
                value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
            )
            cells.append("–" if missing else formats.get(str(column), str)(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def percent(value: float) -> str:
    return f"{value:.0%}"


def three(value: float) -> str:
    return f"{value:.3f}"


SUMMARY_FORMATS: dict[str, Any] = {
    "crps": three,
    "abs_log_error": three,
    "bias": three,
    "cover50": percent,
    "cover90": percent,
    "p_bound": lambda v: f"{v:.2f}",
}


def verdict(name: str, summary: pd.DataFrame) -> str:
    """The issue's two checks, stated from the numbers."""
    stats = {
        str(method): {column: float(summary[column].loc[method]) for column in summary.columns}
        for method in summary.index
    }
    mine = stats.pop(STRUCTURAL)
    scored = {method: row["crps"] for method, row in stats.items() if row["n"] > 0}
    if mine["n"] == 0:
        return f"On `{name}` no exact held-out figure was scored, so neither check applies."
    lines = []
    if not scored:
        lines.append(
            f"No baseline could forecast an exact held-out figure of `{name}`, so the CRPS "
            "comparison has nothing to compare with."
        )
    else:
        best = min(scored, key=lambda method: scored[method])
        gap = mine["crps"] - scored[best]
        outcome = (
            f"at most the best baseline's ({best}, {scored[best]:.3f})."
            if gap <= 0
            else f"above the best baseline's ({best}, {scored[best]:.3f}): worse by {gap:.3f} "
            f"({gap / scored[best]:.0%})."
        )
        lines.append(
            f"On `{name}`, over the {mine['n']:.0f} held-out figure{'s' if mine['n'] != 1 else ''} "
            "every method scored, the "
            f"structural model's mean CRPS is {mine['crps']:.3f}, {outcome}"
        )
    covered = mine["cover90"]
    lines.append(
        f"Its 90% intervals cover {covered:.0%} of {'those figures' if mine['n'] != 1 else 'it'} "
        f"({'meets' if covered >= 0.8 else 'misses'} the 80% bar); its median is "
        f"{'below' if mine['bias'] < 0 else 'above'} the figure by {abs(mine['bias']):.2f} in "
        "natural log on average."
    )
    return " ".join(lines)


PAIRWISE_FORMATS: dict[str, Any] = {
    name: three
    for name in ("crps_reference", "crps_method", "difference", "drop_one_min", "drop_one_max")
}


def pairwise(table: pd.DataFrame) -> str:
    """The structural model against each baseline over the figures both scored.

    The common set of :func:`verdict` drops every figure any method could not forecast (the
    log-linear trend needs more figures than the others); this sentence shows what that set
    leaves out, baseline by baseline, whichever way it falls, and whether one cutoff decides it
    (:func:`tokendemand.backtest.backtest_pairwise`).
    """
    parts = []
    for method, row in backtest_pairwise(table).iterrows():
        n, cutoffs = int(row["n"]), int(row["cutoffs"])
        if n == 0:  # a baseline that scored nothing leaves the pair empty
            continue
        mine, theirs = float(row["crps_reference"]), float(row["crps_method"])
        better = "tokendemand" if mine <= theirs else method
        part = (
            f"{method} on {n} figure{'s' if n != 1 else ''}: tokendemand {mine:.3f}, "
            f"{method} {theirs:.3f} ({better} better{' overall' if cutoffs > 1 else ''}"
        )
        if cutoffs > 1:
            low, high = float(row["drop_one_min"]), float(row["drop_one_max"])
            kept = high <= 0 if mine <= theirs else low > 0
            part += f"; tokendemand wins {int(row['reference_wins'])} of {cutoffs} cutoffs; " + (
                "leaving out any one cutoff keeps that verdict"
                if kept
                else f"leaving out one cutoff can reverse it ({low:+.3f} to {high:+.3f})"
            )
        parts.append(part + ")")
    if not parts:
        return ""
    return (
        "Pairwise, over every figure both the structural model and a baseline scored (mean "
        "CRPS): " + "; ".join(parts) + "."
    )


def detail(table: pd.DataFrame) -> str:
    frame = table[
        ["cutoff", "period_end", "method", "actual", "q05", "q50", "q95", "crps", "in90", "status"]
    ].copy()
    frame["cutoff"] = frame["cutoff"].dt.date
    frame["period_end"] = frame["period_end"].dt.date
    tokens = {name: format_tokens for name in ("actual", "q05", "q50", "q95")}
    return markdown(
        frame,
        {**tokens, "crps": three, "in90": lambda v: "yes" if v else "no"},
        index=False,
    )


YOUNG = "doubao"
"""The bundled series that starts months after a product's launch."""


def young_variants() -> dict[str, tuple[str, Any]]:
    """Specifications a user might try on a young series instead of the default: label ->
    (what changes, model)."""
    from tokendemand.priors import LogNormal, Normal

    return {
        "wider growth rates": (
            "users_annual_rate N(0.3, 1.0), chatbot_annual_rate N(0.5, 1.4)",
            td.TokenDemandModel(
                priors=td.Priors().replace(
                    users_annual_rate=Normal(0.3, 1.0), chatbot_annual_rate=Normal(0.5, 1.4)
                )
            ),
        ),
        "wider ceilings": (
            "users and chatbot ceiling_multiple LogNormal(6, 0.8, lower=1)",
            td.TokenDemandModel(
                priors=td.Priors().replace(
                    users_ceiling_multiple=LogNormal(6.0, 0.8, lower=1.0),
                    chatbot_ceiling_multiple=LogNormal(6.0, 0.8, lower=1.0),
                )
            ),
        ),
        "exponential users": (
            "Structure(users='exponential')",
            td.TokenDemandModel(structure=td.Structure(users="exponential")),
        ),
    }


def young_series(tables: dict[str, pd.DataFrame], changes: dict[str, str]) -> str:
    """One row per variant: CRPS at the earliest cutoff, at the later ones, coverage, warnings."""
    rows = []
    for label, table in tables.items():
        mine = table[(table["method"] == STRUCTURAL) & (table["status"] == "scored")]
        first = mine["cutoff"].min()
        early, later = mine[mine["cutoff"] == first], mine[mine["cutoff"] > first]
        warned = table.loc[
            (table["method"] == STRUCTURAL) & table["note"].str.contains("ConvergenceWarning"),
            "cutoff",
        ].nunique()
        rows.append(
            {
                "specification": label,
                "change": changes[label],
                f"crps, earliest cutoff ({first.date()}, {len(early)} figures)": early[
                    "crps"
                ].mean(),
                f"crps, later cutoffs ({len(later)} figures)": later["crps"].mean(),
                f"crps, all {len(mine)}": mine["crps"].mean(),
                "cover90": mine["in90"].mean(),
                "fits that warned": f"{warned} of {table['cutoff'].nunique()}",
            }
        )
    frame = pd.DataFrame(rows)
    crps = [str(c) for c in frame.columns if str(c).startswith("crps")]
    best = [str(frame.set_index("specification")[c].idxmin()) for c in crps]
    shown = markdown(frame, {**dict.fromkeys(crps, three), "cover90": percent}, index=False)
    return (
        f"{shown}\n\nLowest CRPS at the earliest cutoff: {best[0]}; at the later cutoffs: "
        f"{best[1]}; over all figures: {best[2]}."
    )


class Progress:
    """Prints each backtest step of one dataset to stderr."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, line: str) -> None:
        print(f"{self.name}: {line}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sections = []
    tables: dict[str, pd.DataFrame] = {}
    for name in DATASETS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            table = backtest(
                td.datasets.load(name),
                draws=args.draws,
                random_seed=args.seed,
                progress=Progress(name),
            )
        tables[name] = table
        convergence = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
        figure = plot_backtest(table)
        figure.savefig(args.out / f"backtest_{name}.png", dpi=110)
        plt.close(figure)
        common, every = backtest_summary(table), backtest_summary(table, common=False)
        cutoffs = ", ".join(str(c.date()) for c in sorted(table["cutoff"].unique()))
        firsts = table.drop_duplicates(["cutoff", "method"])
        notes = "\n".join(
            f"- {method} at {cutoff.date()}: {note}"
            for cutoff, method, note in zip(
                firsts["cutoff"], firsts["method"], firsts["note"], strict=True
            )
            if note
        )
        sections.append(
            "\n\n".join(
                [
                    f"## `{name}`",
                    f"{len(td.datasets.load(name))} figures; cutoffs {cutoffs}; {len(table)} rows.",
                    verdict(name, common) + " " + pairwise(table),
                    "Figures every method scored (`backtest_summary(table)`):",
                    markdown(common, SUMMARY_FORMATS),
                    "Every figure each method scored (`backtest_summary(table, common=False)`):",
                    markdown(every, SUMMARY_FORMATS),
                    "The structural model against each baseline over the figures both scored "
                    "(`backtest_pairwise(table)`; `difference` is tokendemand's mean CRPS minus "
                    "the baseline's, negative when tokendemand is better; `reference_wins` counts "
                    "the cutoffs where tokendemand is better; `drop_one_min` and `drop_one_max` "
                    "bound the difference when the figures of any one cutoff are left out):",
                    markdown(backtest_pairwise(table), PAIRWISE_FORMATS),
                    f"![backtest of {name}](backtest_{name}.png)",
                    "<details><summary>Every forecast</summary>\n\n" + detail(table) + "\n\n"
                    "</details>",
                    "Notes (model used, warnings, why a row has no forecast):\n\n" + notes,
                    *(f"Sampler: {message}" for message in convergence),
                ]
            )
        )

    variants = young_variants()
    young_tables = {"default": tables[YOUNG]}  # the backtest above
    changes = {"default": "nothing", **{label: change for label, (change, _) in variants.items()}}
    for label, (_, model) in variants.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # counted from the notes
            young_tables[label] = backtest(
                td.datasets.load(YOUNG),
                model=model,
                baselines=(),
                draws=args.draws,
                random_seed=args.seed,
                progress=Progress(f"{YOUNG} ({label})"),
            )
    young = young_series(young_tables, changes)

    page = f"""# Backtest

*Generated by `python scripts/backtest_docs.py --draws {args.draws} --seed {args.seed}`
(tokendemand {td.__version__}); every number below is computed by that script.*

How well does the structural model forecast figures it has not seen, against what an analyst
would otherwise use? `td.backtest` answers with a rolling-origin evaluation (see
`tokendemand.backtest`):

- **Cutoffs.** Each date on which a figure ends, with at least 3 level figures before it. A
  figure is *before* a cutoff when its last day (for a ratio, the last day of its period and
  base period) is before the cutoff; the model is fitted on those figures only, and every
  later figure is held out and forecast in its own shape (a weekly total as a weekly total).
- **Structural model** (`tokendemand`): the default `TokenDemandModel`, NUTS with
  2 chains x {args.draws} draws per cutoff; forecasts are posterior predictive draws
  (`FitResult.forecast`), observation noise included. A fit sees no figure of the series from
  its cutoff on, but its priors are the library's defaults, set from sources published up to
  the present, after the early cutoffs; for instance the user-growth prior:
  "{USERS_SOURCE}". An analyst forecasting at an early cutoff could not have used those
  sources.
- **Analogues** (`backtest(..., analogues=...)`, `tokendemand backtest --analogues NAME|CSV`):
  figures of other series fitted jointly with the target at each cutoff. An analogue figure
  enters the fit only if its last day is before the cutoff, by the rule the target's figures
  follow (`tokendemand.backtest.training_figures`); an analogue figure that is one of the
  target's (as when the analogues are every bundled series) counts once and is held out like
  the target's. The table then has two structural methods: `tokendemand`, the pooled fit, and
  `tokendemand-alone`, the fit on the target's figures only; the baselines see the target only,
  and only the target's held-out figures are scored, so the summary and the pairwise table
  compare the two fits beside the baselines. At a cutoff before which no analogue figure ends,
  the pooled fit would be the fit alone: it is not repeated, its rows are the
  `tokendemand-alone` forecasts and their note says so, and a warning is raised when that
  holds at every cutoff. This page uses no analogues; `pooling.md`
  (`scripts/pooling_docs.py`) does.
- **Baselines**, fitted to the log daily rate of the same series with statsmodels:
  `ets` (exponential smoothing, damped additive trend), `arima` (ARIMA(1,1,0) with drift from
  {ARIMA_AR_MIN} figures, a random walk with drift below that) and `loglinear` (OLS of the log
  level on time, exact Student-t predictive). Public figures are irregular: `ets` and `arima`
  run on a {GRID_DAYS}-day grid whose weeks without a figure are *missing* values for the
  Kalman filter (no interpolated data), and forecasts are simulated daily paths turned into
  each held-out figure by the same aggregation operator as the model. They need
  {MIN_FIGURES["ets"]} (`loglinear`: {MIN_FIGURES["loglinear"]}) level figures before a cutoff;
  with fewer, the row has no forecast and says why. statsmodels cannot censor, so a one-sided
  figure enters a baseline at its stated value.
- **Scores**, identical for every method and computed from forecast samples: CRPS of the
  natural log of the figure (exact for the samples; lower is better, roughly the size of a
  relative miss), log error `ln(median / actual)`, and whether the figure fell in the central
  50% and 90% intervals. One-sided figures ("over 140T") are not scored but counted
  (`bounds`); `p_bound` is the forecast probability of the side they state.

The summary compares methods over the figures every method could forecast (`n`); the second
table shows each method over all it could forecast.

{chr(10).join(sections)}

## Young series

`{YOUNG}` starts in the month the product launched, and from its first three figures the
default forecasts far too little growth (the earliest cutoff above). The same backtest of the
structural model under specifications a user might try instead (mean CRPS of the log figures;
the default row repeats the backtest above):

{young}

The defaults stay as they are: their sources describe markets, not launches, and these
alternatives were compared on this one series. For a series only months old, try wider
growth-rate priors and compare the backtests.
"""
    (args.out / "backtest.md").write_text(page, encoding="utf-8")
    print(f"wrote {args.out / 'backtest.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
