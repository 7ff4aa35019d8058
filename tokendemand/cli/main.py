"""The ``tokendemand`` command line.

Commands
--------
``tokendemand run``
    The main job: fit the model to the bundled figures (or a CSV), project the built-in
    scenarios (or a TOML file's), and write a report folder (``report.html``, ``report.md``,
    figures, tables). A bare ``tokendemand run`` uses ``china_national`` and a fixed seed, so
    it is reproducible.
``tokendemand datasets``
    The bundled datasets.
``tokendemand scenarios``
    The built-in scenarios (or a TOML file's) with every assumption.
``tokendemand validate CSV``
    Check a file of observations; every bad row is reported.
``tokendemand backtest``
    Rolling-origin backtest against baselines (:mod:`tokendemand.cli.backtest`).
``tokendemand calc``
    Calculator mode: evaluate the structural equation with the documented example parameters
    (:mod:`tokendemand.calculator`) and print, per year, daily tokens, the agent share, the
    break-even penetration and the growth multiplier since the reference date.

Exit status: 0 on success; 1 when the input is wrong (a malformed CSV, an unknown dataset, a
bad TOML, an unusable output folder) or ``validate`` finds problems, with the message on
stderr and no traceback; 2 for a wrong command line (argparse's usage errors, a bad date).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tokendemand.cli import commands
from tokendemand.cli.backtest import add_backtest_command
from tokendemand.cli.common import (
    DEFAULT_DATASET,
    DEFAULT_OUT,
    DEFAULT_SEED,
    EXIT_INVALID,
    EXIT_USAGE,
    date_argument,
    positive_argument,
)
from tokendemand.cli.run import DEFAULT_DRAWS, QUICK, run
from tokendemand.errors import TokenDemandError
from tokendemand.fitting.options import DEFAULT_CHAINS, DEFAULT_SAMPLER, SAMPLERS
from tokendemand.structure import POOLING

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokendemand",
        description="Forecast AI token demand: chatbot baseline plus agent layer.",
        epilog="Run 'tokendemand COMMAND --help' for the options of a command.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        sub = subparsers.add_parser(
            name,
            help=help_text,
            description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        return sub

    run_command = command(
        "run",
        "fit, project and write a report folder (the main job)",
        "Fit the model to public figures, project scenarios and write a report folder:\n"
        "report.html (self-contained), report.md, figures/*.png|svg, tables/*.csv.\n"
        f"A bare 'tokendemand run' fits every bundled series ('{DEFAULT_DATASET}': the volumes "
        "of three\nmarkets, launch histories and the agent evidence) jointly, partially pooled, "
        f"with\nseed {DEFAULT_SEED}. It projects the built-in scenarios to 2030-12-31 and writes\n"
        f"./{DEFAULT_OUT}, with a section per market and a table comparing them.\n"
        "'--dataset NAME' fits one bundled dataset; names joined by '+' fit several together.",
    )
    source = run_command.add_mutually_exclusive_group()
    source.add_argument("--data", metavar="CSV", help="observations CSV file")
    source.add_argument(
        "--dataset",
        metavar="NAME",
        help=f"bundled dataset, or several joined by '+' (default {DEFAULT_DATASET}; "
        "see 'tokendemand datasets')",
    )
    run_command.add_argument(
        "--scenarios",
        metavar="TOML",
        help="scenario file (default: the built-ins); 'posterior' is added for comparison",
    )
    run_command.add_argument(
        "--market", help="market to project when the data cover several (default: the first)"
    )
    run_command.add_argument(
        "--until",
        type=date_argument,
        default=date_argument("2030-12-31"),
        metavar="DATE",
        help="end of the projection (default 2030-12-31)",
    )
    run_command.add_argument(
        "--out", default=DEFAULT_OUT, metavar="DIR", help=f"report folder (default {DEFAULT_OUT})"
    )
    run_command.add_argument(
        "--draws",
        type=positive_argument,
        metavar="N",
        help=f"draws per chain (default {DEFAULT_DRAWS})",
    )
    run_command.add_argument(
        "--tune",
        type=positive_argument,
        metavar="N",
        help=f"tuning steps per chain (default {DEFAULT_DRAWS})",
    )
    run_command.add_argument(
        "--max-draws",
        type=positive_argument,
        metavar="N",
        help="most draws per chain when the draws fall short of the diagnostics and the chains "
        "carry on (default 3 x draws; sampler numpyro only)",
    )
    run_command.add_argument(
        "--chains",
        type=positive_argument,
        metavar="N",
        help=f"chains (default {DEFAULT_CHAINS}; --quick: {QUICK['chains']})",
    )
    run_command.add_argument(
        "--sampler",
        choices=SAMPLERS,
        default=DEFAULT_SAMPLER,
        help=f"NUTS back end (default {DEFAULT_SAMPLER})",
    )
    run_command.add_argument(
        "--pooling",
        choices=POOLING,
        help="pooling across series and markets (default: partial)",
    )
    run_command.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="N",
        help=f"random seed (default {DEFAULT_SEED})",
    )
    run_command.add_argument(
        "--economics",
        metavar="TOML",
        help="token-factory assumptions for the report's factory section (default: the "
        "bundled ones; see tokendemand.factory.load_assumptions)",
    )
    run_command.add_argument(
        "--sensitivity",
        metavar="TOML",
        help="a sensitivity study whose results make a report section 'Which assumption "
        "matters most' (format: tokendemand.projection.study)",
    )
    run_command.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK['chains']} chains x {QUICK['draws']} draws after {QUICK['tune']} tuning "
        "steps, not carrying on: a first look (the report says so)",
    )
    run_command.add_argument(
        "--quiet",
        action="store_true",
        help="no progress on stderr (the fit's stages, its progress bar, the report's steps)",
    )
    run_command.set_defaults(handler=run)

    listing = command("datasets", "list the bundled datasets", "List the bundled datasets.")
    listing.set_defaults(handler=commands.list_datasets)

    scenarios = command(
        "scenarios",
        "list scenarios with their assumptions",
        "List the built-in scenarios (or a TOML file's) with every assumption.",
    )
    scenarios.add_argument("--file", metavar="TOML", help="scenario file to list instead")
    scenarios.set_defaults(handler=commands.list_scenarios)

    validate = command(
        "validate",
        "check an observations CSV",
        "Check an observations CSV: exit 0 when valid, 1 with every bad row listed otherwise.",
    )
    validate.add_argument("csv", metavar="CSV", help="observations CSV file")
    validate.set_defaults(handler=commands.validate)

    calc = command(
        "calc",
        "calculator mode: the equation with documented example parameters",
        "Evaluate the equation with the documented example parameters (no fit).",
    )
    calc.add_argument(
        "--until",
        type=date_argument,
        default=date_argument("2030-12-31"),
        metavar="DATE",
        help="last date of the table (default 2030-12-31)",
    )
    calc.set_defaults(handler=commands.calc)

    add_backtest_command(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tokendemand`` console script; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as stop:  # --help (0) or a usage error (2): argparse has printed
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    args.argv = arguments
    try:
        status: int = args.handler(args)
    except TokenDemandError as error:
        print(f"tokendemand: error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        print(f"tokendemand: error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("tokendemand: interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
