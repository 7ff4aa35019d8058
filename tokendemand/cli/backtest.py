"""The ``tokendemand backtest`` command: a rolling-origin backtest written to a folder.

::

    tokendemand backtest [--dataset NAME | --data CSV] [--analogues NAME|CSV ...] [--out DIR]
                         [--draws N] [--seed N] [--tune N] [--target-accept P]
                         [--horizon 365D] [--cutoff DATE ...] [--baselines LIST]

writes ``backtest.csv`` (one row per cutoff, held-out figure and method), ``summary.csv`` (one
row per method, over the figures every method scored), ``pairwise.csv`` (the structural model
against each other method over the figures both scored) and ``backtest.png`` (forecast intervals
beside the held-out figures) to the output folder, and prints both tables. The default data are
the bundled ``doubao`` series.

``--analogues`` (a bundled dataset name, or a path to an observations CSV file; repeat it for
several, a figure they share counts once) fits the target jointly with those figures before
each cutoff; the tables then compare that pooled fit (``tokendemand``) with the fit on the
target alone (``tokendemand-alone``) and the baselines (see
:func:`tokendemand.backtest.backtest`).

:func:`add_backtest_command` adds the command to an ``argparse`` sub-parser set; the handler
it registers (``args.handler``) returns the exit status.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tokendemand.backtest import (
    ALONE,
    BASELINES,
    STRUCTURAL,
    analogue_figures,
    backtest,
    backtest_pairwise,
    backtest_summary,
    plot_backtest,
)
from tokendemand.cli.common import convergence_warnings_printed
from tokendemand.errors import ConfigError
from tokendemand.observations import Observations

__all__ = ["add_backtest_command", "load_analogues", "run_backtest_command"]

DEFAULT_DATASET = "doubao"


def add_backtest_command(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``backtest`` to ``subparsers`` (from ``ArgumentParser.add_subparsers``).

    Returns the new sub-parser; its ``handler`` default is :func:`run_backtest_command`.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="tokendemand")
    >>> _ = add_backtest_command(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["backtest", "--dataset", "china_national", "--draws", "200"])
    >>> args.dataset, args.draws, args.handler is run_backtest_command
    ('china_national', 200, True)
    """
    text = (
        "rolling-origin backtest: fit before each cutoff, forecast the later figures, score "
        "the structural model against ETS, ARIMA and log-linear baselines"
    )
    command: argparse.ArgumentParser = subparsers.add_parser(
        "backtest", help=text, description=text
    )
    source = command.add_mutually_exclusive_group()
    source.add_argument(
        "--dataset",
        metavar="NAME",
        help=f"a bundled dataset (default {DEFAULT_DATASET}; see 'tokendemand datasets')",
    )
    source.add_argument("--data", metavar="CSV", type=Path, help="an observations CSV file")
    command.add_argument(
        "--analogues",
        metavar="NAME|CSV",
        action="append",
        help="figures of other series to fit jointly with the target before each cutoff: a "
        "bundled dataset, or a path to a CSV file (ending .csv); repeat for several. The tables "
        f"then compare {STRUCTURAL} (pooled) with {ALONE} (the target alone)",
    )
    command.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=Path("backtest"),
        help="output folder (default ./backtest)",
    )
    command.add_argument(
        "--draws", metavar="N", type=int, default=1000, help="draws per chain per fit (1000)"
    )
    command.add_argument(
        "--tune", metavar="N", type=int, default=None, help="tuning steps per fit (= draws)"
    )
    command.add_argument(
        "--target-accept",
        metavar="P",
        type=float,
        default=None,
        help="NUTS target acceptance rate of each fit, in [0.5, 1) (default: the sampler's)",
    )
    command.add_argument("--seed", metavar="N", type=int, default=0, help="random seed (0)")
    command.add_argument(
        "--horizon",
        metavar="SPAN",
        default=None,
        help="hold out only figures within this span of the cutoff, e.g. 365D (default: all)",
    )
    command.add_argument(
        "--cutoff",
        metavar="DATE",
        action="append",
        dest="cutoffs",
        help="a cutoff date; repeat for several (default: each figure date with 3 level "
        "figures before it)",
    )
    command.add_argument(
        "--baselines",
        metavar="LIST",
        default=",".join(BASELINES),
        help=f"comma-separated baselines, or 'none' (default {','.join(BASELINES)})",
    )
    command.set_defaults(handler=run_backtest_command)
    return command


def load_analogues(names: list[str]) -> Observations:
    """The figures of ``--analogues``: each a bundled dataset name or a CSV path.

    A value ending in ``.csv`` or holding a path separator is read as a file
    (:func:`~tokendemand.observations.read_observations`); any other is a bundled dataset
    (:func:`tokendemand.datasets.load`, whose error lists the names). A figure several of them
    hold counts once (:func:`~tokendemand.backtest.analogue_figures`).

    Examples
    --------
    >>> both = load_analogues(["china_national", "openrouter", "china_national"])
    >>> len(both) == len(load_analogues(["china_national"])) + len(load_analogues(["openrouter"]))
    True
    """
    from tokendemand import datasets
    from tokendemand.observations import read_observations

    combined = Observations()
    for name in names:
        is_file = name.lower().endswith(".csv") or "/" in name or "\\" in name
        figures = read_observations(Path(name)) if is_file else datasets.load(name)
        combined = combined + analogue_figures(combined, figures)
    return combined


def run_backtest_command(args: argparse.Namespace) -> int:
    """Run the backtest ``args`` describe, write the files and print the two tables."""
    from tokendemand import datasets
    from tokendemand.observations import read_observations

    if args.data is not None:
        observations = read_observations(args.data)
        label = str(args.data)
    else:
        label = args.dataset or DEFAULT_DATASET
        observations = datasets.load(label)
    baselines = [] if args.baselines.strip() == "none" else args.baselines.split(",")
    baselines = [name.strip() for name in baselines if name.strip()]
    if args.draws < 1:
        raise ConfigError(f"--draws must be at least 1, got {args.draws}")
    analogues = None if not args.analogues else load_analogues(args.analogues)

    def progress(line: str) -> None:
        print(f"backtest: {line}", file=sys.stderr, flush=True)

    with convergence_warnings_printed():
        table = backtest(
            observations,
            args.cutoffs,
            args.horizon,
            analogues,
            baselines=baselines,
            draws=args.draws,
            tune=args.tune,
            target_accept=args.target_accept,
            random_seed=args.seed,
            progress=progress,
        )
    summary = backtest_summary(table)
    pairwise = backtest_pairwise(table)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "backtest.csv", index=False)
    summary.to_csv(out / "summary.csv")
    pairwise.to_csv(out / "pairwise.csv")
    import matplotlib.pyplot as plt

    figure = plot_backtest(table)
    figure.savefig(out / "backtest.png", dpi=120)
    plt.close(figure)
    number = "{:.3f}".format
    pooled = f" with analogues {', '.join(args.analogues)}" if args.analogues else ""
    print(f"Backtest of {label}{pooled}: {table['cutoff'].nunique()} cutoff(s), {len(table)} rows")
    print("Figures every method scored:")
    print(summary.to_string(float_format=number))
    if len(pairwise):
        other = "other method" if args.analogues else "baseline"
        print(
            f"{STRUCTURAL} against each {other}, over the figures both scored (difference: "
            f"{STRUCTURAL} minus the {other}; negative: {STRUCTURAL} better):"
        )
        print(pairwise.to_string(float_format=number))
    written = ", ".join(str(out / n) for n in ("backtest.csv", "summary.csv", "pairwise.csv"))
    print(f"wrote {written}, {out / 'backtest.png'}")
    return 0
