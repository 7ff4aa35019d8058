"""Write docs/pooling.md: does fitting a series jointly with the other bundled series (its
analogues) forecast it better than fitting it alone? The rolling-origin study of issue 16.

Every number on the page is computed here; nothing is typed in. Run from the repository root:

    python scripts/pooling_docs.py [--draws 1000] [--chains 2] [--seed 1] [--out docs] [--quick]

Two parts, both :func:`tokendemand.backtest.backtest` with ``analogues``, so each cutoff has a
pooled fit (``tokendemand``), the fit alone (``tokendemand-alone``) and the baselines:

1. **Rolling origin** on ``doubao`` and ``china_national`` at the cutoffs of
   ``scripts/backtest_docs.py`` (:func:`~tokendemand.backtest.default_cutoffs` with its
   defaults: for doubao 5 cutoffs and 15 held-out figures), the analogues being every other
   bundled series (the ``all`` dataset when there is one, else ``china_national``,
   ``doubao``, ``openrouter``, ``agent_evidence`` and ``launches`` if present, less the
   target).
2. **Leave one product out**: each product series with a launch date
   (``observation.launch``) forecast from its first 1, 2 and 3 figures, the analogues being
   every other series. Skipped, with a note, while no bundled figure has a launch date.

It writes ``pooling.md`` and ``pooling_coverage.png`` (coverage of the 50% and 90% intervals
by forecast horizon) to the output folder; ``--page NAME`` names them ``NAME.md`` and
``NAME_coverage.png`` (docs/pooling_china_national.md is ``--targets china_national
--skip-products --page pooling_china_national``). ``--quick`` is a smoke run (100 draws per fit, the
last two cutoffs, forecasts from the first figure only, two products): its numbers are not the
study's.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import sys
import warnings
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

import tokendemand as td
from tokendemand.backtest import (
    ALONE,
    STRUCTURAL,
    backtest,
    backtest_pairwise,
    backtest_summary,
    default_cutoffs,
    last_day,
)
from tokendemand.cli.backtest import load_analogues
from tokendemand.errors import ConvergenceWarning, DataError
from tokendemand.observations import Observations


def _backtest_docs() -> Any:
    """scripts/backtest_docs.py, for its targets, Markdown table and progress lines."""
    path = Path(__file__).resolve().parent / "backtest_docs.py"
    spec = importlib.util.spec_from_file_location("backtest_docs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DOCS = _backtest_docs()
TARGETS: Final[tuple[str, ...]] = DOCS.DATASETS
"""The series of the rolling-origin part: those of docs/backtest.md."""
REQUIRED: Final = ("china_national", "doubao", "openrouter", "agent_evidence")
"""Bundled datasets the study needs."""
OPTIONAL: Final = ("launches",)
"""Bundled datasets used when present."""
FIRST_FIGURES: Final = (1, 2, 3)
"""Leave one product out: forecast from the first 1, 2 and 3 figures of the product."""
BASELINE: Final = "ets"
"""The baseline of the headline ratio."""
HORIZON_DAYS: Final = (0, 90, 180, 365, 730)
"""Left edges of the forecast-horizon bins of the coverage plot (days after the last figure)."""


def available() -> list[str]:
    """Names of the bundled datasets."""
    return [str(name) for name in td.datasets.list_datasets()["name"]]


def check_datasets(names: list[str]) -> None:
    """Fail with the names missing when a dataset the study needs is not bundled."""
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise DataError(
            f"the pooling study needs the bundled datasets {', '.join(REQUIRED)}; missing: "
            f"{', '.join(missing)} (bundled: {', '.join(names)}). Run it on a checkout that has "
            "them."
        )


def pool(names: list[str]) -> tuple[Observations, str]:
    """Every bundled series, counted once, and how it was assembled.

    ``all`` when bundled; otherwise the datasets the study uses (``seed`` repeats figures of
    the others and is left out), a figure two of them share counted once.
    """
    if "all" in names:
        return td.datasets.load("all"), "the `all` dataset"
    used = [*REQUIRED, *(name for name in OPTIONAL if name in names)]
    return load_analogues(used), ", ".join(f"`{name}`" for name in used)


def products(figures: Observations) -> list[str]:
    """Series with a launch date on some figure (``observation.launch``), in order."""
    return list(dict.fromkeys(o.series for o in figures if getattr(o, "launch", None) is not None))


def first_figure_cutoffs(figures: Observations, counts: tuple[int, ...]) -> list[pd.Timestamp]:
    """For each ``k`` in ``counts``, the cutoff before which the first ``k`` distinct last days
    of ``figures`` lie (the next last day), where the series has a later figure."""
    days = sorted({last_day(o) for o in figures})
    return [days[k] for k in counts if k < len(days)]


def run_backtest(
    target: Observations,
    label: str,
    cutoffs: list[pd.Timestamp],
    analogues: Observations,
    args: argparse.Namespace,
) -> tuple[pd.DataFrame, list[str]]:
    """The backtest with analogues, and the convergence warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        table = backtest(
            target,
            cutoffs,
            None,
            analogues,
            draws=args.draws,
            tune=args.draws,
            chains=args.chains,
            random_seed=args.seed,
            progress=DOCS.Progress(label),
        )
    messages = []
    for item in caught:
        if issubclass(item.category, ConvergenceWarning):
            messages.append(str(item.message))
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    return table, messages


def scores(table: pd.DataFrame) -> pd.DataFrame:
    """Per method: figures scored, mean log CRPS, coverage, and tokendemand's mean CRPS over
    the method's on the figures both scored."""
    columns = ["n", "crps", "cover50", "cover90", "bounds", "p_bound"]
    summary = backtest_summary(table, common=False)[columns]
    pairwise = backtest_pairwise(table)
    ratio = pairwise["crps_reference"] / pairwise["crps_method"]
    summary[f"{STRUCTURAL} / method"] = ratio.reindex(summary.index)
    summary["n both"] = pairwise["n"].reindex(summary.index)
    return summary


def headline(table: pd.DataFrame, unit: str = "cutoffs") -> str:
    """The two ratios of issue 16, over the figures both methods scored; ``unit`` names what
    the table's cutoffs stand for."""
    pairwise = backtest_pairwise(table)
    parts = []
    for other in (ALONE, BASELINE):
        if other not in pairwise.index or int(pairwise.loc[other, "n"]) == 0:
            parts.append(f"{STRUCTURAL} / {other}: no figure both scored")
            continue
        row = pairwise.loc[other]
        parts.append(
            f"{STRUCTURAL} / {other} = {row['crps_reference'] / row['crps_method']:.2f} "
            f"(mean log CRPS {row['crps_reference']:.3f} against {row['crps_method']:.3f} "
            f"on {int(row['n'])} figures; {STRUCTURAL} better at {int(row['reference_wins'])} "
            f"of {int(row['cutoffs'])} {unit})"
        )
    return "; ".join(parts) + "."


FORMATS: dict[str, Any] = {
    "crps": DOCS.three,
    "cover50": DOCS.percent,
    "cover90": DOCS.percent,
    "bounds": lambda v: str(int(v)),
    "p_bound": DOCS.percent,
    f"{STRUCTURAL} / method": lambda v: f"{v:.2f}",
    "n both": lambda v: str(int(v)),
}


def horizon_labels() -> list[str]:
    """Labels of the horizon bins, in order: ``0-90d`` ... ``>730d``."""
    edges = [*HORIZON_DAYS, np.inf]
    return [f"{a}-{b:.0f}d" if np.isfinite(b) else f">{a}d" for a, b in itertools.pairwise(edges)]


def coverage_by_horizon(table: pd.DataFrame) -> pd.DataFrame:
    """Share of scored figures inside the 50% and 90% intervals, by method and horizon bin."""
    scored = table[table["status"] == "scored"].copy()
    scored["horizon"] = pd.cut(
        scored["lead_days"], [*HORIZON_DAYS, np.inf], right=False, labels=horizon_labels()
    )
    for name in ("in50", "in90"):
        scored[name] = scored[name].astype(float)
    return scored.groupby(["method", "horizon"], observed=True).agg(
        n=("in90", "size"), cover50=("in50", "mean"), cover90=("in90", "mean")
    )


def plot_coverage(studies: dict[str, pd.DataFrame]) -> Any:
    """One column per study, rows 50% and 90% coverage by horizon, one line per method (nudged
    sideways so that methods with equal shares do not hide each other)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        2, len(studies), figsize=(4.2 * len(studies) + 1, 6.0), squeeze=False, sharey=True
    )
    labels = horizon_labels()
    for column, (label, table) in enumerate(studies.items()):
        cover = coverage_by_horizon(table)
        for row, (name, level) in enumerate((("cover50", 0.5), ("cover90", 0.9))):
            ax = axes[row][column]
            methods = list(dict.fromkeys(table["method"]))
            for m, method in enumerate(methods):
                if method not in cover.index.get_level_values("method"):
                    continue
                part = cover.loc[method]
                nudge = 0.06 * (m - (len(methods) - 1) / 2)  # equal shares stay visible
                x = [labels.index(str(h)) + nudge for h in part.index]
                ax.plot(x, part[name], marker="o", label=method)
            ax.axhline(level, color="grey", linestyle=":", linewidth=1)
            ax.set_ylim(-0.05, 1.05)
            ax.set_xticks(range(len(labels)), labels)
            ax.set_title(f"{label}: {level:.0%} intervals", fontsize=9)
            ax.tick_params(axis="x", labelsize=8)
    for row in axes:
        row[0].set_ylabel("share of figures inside")
    for ax in axes[-1]:
        ax.set_xlabel("days from the last training figure")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="center right", fontsize=8)
    fig.tight_layout(rect=(0.0, 0.0, 0.82, 1.0))
    return fig


def leave_one_out(
    figures: Observations, args: argparse.Namespace
) -> tuple[str, pd.DataFrame | None]:
    """The leave-one-product-out section, and its table of every forecast (None if skipped)."""
    launched = products(figures)
    if not launched:
        note = (
            "No bundled figure has a launch date (`observation.launch`), so the leave-one-"
            "product-out part is skipped; it runs once the datasets record launches."
        )
        print(note, file=sys.stderr)
        return note, None
    counts = FIRST_FIGURES[:1] if args.quick else FIRST_FIGURES
    tables, single, convergence = [], [], []
    for series in launched[:2] if args.quick else launched:
        target = Observations(o for o in figures if o.series == series)
        cutoffs = first_figure_cutoffs(target, counts)
        if not cutoffs:
            print(f"{series}: one figure date only, nothing to hold out", file=sys.stderr)
            single.append(series)
            continue
        table, caught = run_backtest(target, f"{series} (first figures)", cutoffs, figures, args)
        convergence += [f"{series}: {message}" for message in caught]
        dates = sorted({last_day(o) for o in target})
        table["first_figures"] = [dates.index(c) for c in table["cutoff"]]
        tables.append(table)
    if not tables:
        return "No product series has a figure after its first; nothing to forecast.", None
    every = pd.concat(tables, ignore_index=True)
    sections = [
        f"{len(launched)} product series with a launch date: {', '.join(launched)}. Each is "
        "forecast from its first figures (the figures of its first 1, 2 or 3 dates), fitted "
        "alone and jointly with every other series' figures that end before the cutoff; the "
        "baselines need 3 level figures and say so below that."
        + (
            f" Not forecast, having figures of one date only: {', '.join(single)}."
            if single
            else ""
        )
    ]
    for k, part in every.groupby("first_figures"):
        # the cutoff of one product is not the other's: a figure is (series, cutoff, figure)
        keyed = part.assign(cutoff=part["series"] + " " + part["cutoff"].astype(str))
        sections += [
            f"**From the first {k} figure date{'s' if k != 1 else ''}** "
            f"({keyed['cutoff'].nunique()} products): {headline(keyed, 'products')}",
            DOCS.markdown(scores(keyed), FORMATS),
        ]
    sections += [f"Sampler: {message}" for message in convergence]
    return "\n\n".join(sections), every


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--chains", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--quick", action="store_true", help="a smoke run, not the study")
    parser.add_argument(
        "--market", help="only analogues of this market (e.g. china); default every market"
    )
    parser.add_argument(
        "--targets",
        default=",".join(TARGETS),
        help=f"comma-separated rolling-origin targets (default {','.join(TARGETS)})",
    )
    parser.add_argument(
        "--skip-products", action="store_true", help="leave out the leave-one-product-out part"
    )
    parser.add_argument(
        "--page", default="pooling", help="name of the page written (NAME.md, NAME_coverage.png)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.draws = min(args.draws, 100)
    args.out.mkdir(parents=True, exist_ok=True)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = available()
    try:
        check_datasets(names)
    except DataError as error:
        print(f"pooling_docs: error: {error}", file=sys.stderr)
        return 1
    figures, assembled = pool(names)
    if args.market:
        figures = figures.filter(market=args.market)
        assembled += f", market {args.market} only"
    print(f"analogues: {len(figures)} figures from {assembled}", file=sys.stderr)

    sections = []
    studies: dict[str, pd.DataFrame] = {}
    for name in args.targets.split(","):
        target = td.datasets.load(name)
        cutoffs = default_cutoffs(target, last=2 if args.quick else None)
        table, convergence = run_backtest(target, name, cutoffs, figures, args)
        studies[name] = table
        held = table.drop_duplicates(["cutoff", "figure"])
        others = sorted({o.series for o in figures} - {o.series for o in target})
        sections += [
            f"### `{name}`",
            f"{len(cutoffs)} cutoffs ({', '.join(str(c.date()) for c in cutoffs)}), "
            f"{len(held)} held-out figures; analogues: {len(others)} other series.",
            headline(table),
            DOCS.markdown(scores(table), FORMATS),
            *(f"Sampler: {message}" for message in convergence),
        ]
    loo_text, loo_table = (
        ("The leave-one-product-out part was not run (--skip-products).", None)
        if args.skip_products
        else leave_one_out(figures, args)
    )
    if loo_table is not None:
        studies["leave one product out"] = loo_table
    figure = plot_coverage(studies)
    picture = f"{args.page}_coverage.png"
    figure.savefig(args.out / picture, dpi=110)
    plt.close(figure)

    smoke = " A smoke run (--quick): too few draws and cutoffs to conclude anything." * args.quick
    rolling = "\n\n".join(sections)
    command = (
        f"python scripts/pooling_docs.py --draws {args.draws} --chains {args.chains} "
        f"--seed {args.seed}"
        + (" --quick" if args.quick else "")
        + (f" --market {args.market}" if args.market else "")
        + (f" --targets {args.targets}" if args.targets != ",".join(TARGETS) else "")
        + (" --skip-products" if args.skip_products else "")
        + (f" --page {args.page}" if args.page != "pooling" else "")
    )
    page = f"""# Pooling: forecasting a series with its analogues

*Generated by `{command}` (tokendemand {td.__version__}); every number below is computed by
that script.{smoke}*

Does a series forecast better when it is fitted jointly with other series, its *analogues*?
Each cutoff of a rolling-origin backtest (see [Backtest](backtest.md)) has two structural fits
with the same model and sampler ({args.chains} chains x {args.draws} draws): `{STRUCTURAL}`,
fitted on the target's figures and every analogue figure that ends before the cutoff, and
`{ALONE}`, fitted on the target's figures only. The baselines see the target only, and only
the target's held-out figures are scored. The analogues are {assembled}: {len(figures)}
figures of {len(set(figures.series.tolist()))} series; the target's own figures among them
count once, as the target's, and are held out after the cutoff like the others.

Columns: `n` figures the method scored, `crps` their mean CRPS of the natural log (lower is
better), `cover50` and `cover90` the share inside the central 50% and 90% intervals;
`{STRUCTURAL} / method` is `{STRUCTURAL}`'s mean CRPS divided by the method's over the
`n both` figures both scored (below 1: pooling better). A one-sided figure ("over 1T") has no
CRPS: `bounds` counts them, and `p_bound` is the mean forecast probability of the side they
state (higher is better).

## Rolling origin

{rolling}

## Leave one product out

{loo_text}

## Coverage by horizon

![coverage of the 50% and 90% intervals by horizon]({picture})

Share of the scored figures inside each method's central 50% and 90% intervals, by days from
the target's last training figure to the figure's last day; the dotted lines are the nominal
levels.
"""
    (args.out / f"{args.page}.md").write_text(page, encoding="utf-8")
    print(f"wrote {args.out / f'{args.page}.md'}, {args.out / picture}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
