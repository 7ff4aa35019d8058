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
    Rolling-origin backtest against baselines (:mod:`tokendemand.backtest_cli`).
``tokendemand calc``
    Calculator mode: evaluate the structural equation with the documented example parameters
    (:mod:`tokendemand.examples`) and print, per year, daily tokens, the agent share, the
    break-even penetration and the growth multiplier since the reference date.

Exit status: 0 on success; 1 when the input is wrong (a malformed CSV, an unknown dataset, a
bad TOML, an unusable output folder) or ``validate`` finds problems, with the message on
stderr and no traceback; 2 for a wrong command line (argparse's usage errors, a bad date).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import textwrap
import time
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from tokendemand.errors import ConvergenceWarning, TokenDemandError
from tokendemand.examples import EXAMPLE_ASSUMPTIONS, example_parameters, example_structure
from tokendemand.model import DEFAULT_SAMPLER, SAMPLERS

if TYPE_CHECKING:
    from tokendemand.fit_result import FitResult
    from tokendemand.observations import Observations
    from tokendemand.scenarios import Scenario

__all__ = [
    "DEFAULT_DATASET",
    "DEFAULT_OUT",
    "DEFAULT_SEED",
    "EXIT_INVALID",
    "EXIT_USAGE",
    "QUICK",
    "calculator_table",
    "convergence_warnings_printed",
    "main",
]

DEFAULT_DATASET: Final = "china_national"
DEFAULT_OUT: Final = "tokendemand-report"
DEFAULT_SEED: Final = 1
"""Seed of a bare ``tokendemand run``: the same report every time."""
DEFAULT_DRAWS: Final = 1000
QUICK: Final = {"draws": 300, "tune": 300}
"""Draws and tuning steps per chain of ``run --quick``."""
EXIT_INVALID: Final = 1
EXIT_USAGE: Final = 2
_GRID_DAYS: Final = 7
"""Spacing of the projection grid of ``run`` (weekly: light on memory, smooth charts)."""


# ------------------------------------------------------------------------------ calculator


def calculator_table(until: str = "2030-12-31") -> pd.DataFrame:
    """Yearly table of the example parameters, from the reference date to ``until``.

    Rows are the reference date and each 31 December up to ``until``.

    Returns
    -------
    pandas.DataFrame
        Columns ``total`` (tokens/day), ``agent_share``, ``penetration``,
        ``break_even_penetration`` and ``multiplier`` (total over the reference-date total).
    """
    parameters = example_parameters()
    end = pd.Timestamp(until)
    if end <= parameters.reference_date:
        raise TokenDemandError(
            f"--until {until} must be after the reference date {parameters.reference_date.date()}"
        )
    year_ends = pd.date_range(parameters.reference_date, end, freq="YE")
    dates = pd.DatetimeIndex([parameters.reference_date]).append(year_ends).unique()
    frame = example_structure().evaluate(parameters, dates)
    frame["multiplier"] = frame["total"] / frame["total"].iloc[0]
    columns = ["total", "agent_share", "penetration", "break_even_penetration", "multiplier"]
    return frame[columns]


def _format_table(frame: pd.DataFrame) -> str:
    from tokendemand.units import format_tokens

    shown = pd.DataFrame(
        {
            "tokens/day": [format_tokens(v) for v in frame["total"]],
            "agent share": [f"{v:.1%}" for v in frame["agent_share"]],
            "penetration": [f"{v:.1%}" for v in frame["penetration"]],
            "break-even pen.": [f"{v:.2%}" for v in frame["break_even_penetration"]],
            "x ref": [f"{v:.2f}" for v in frame["multiplier"]],
        },
        index=[d.date().isoformat() for d in frame.index],
    )
    return shown.to_string()


def _calc(args: argparse.Namespace) -> int:
    table = calculator_table(args.until.date().isoformat())
    print("Calculator mode: example parameters (assumptions, not a fit)")
    for name, reason in EXAMPLE_ASSUMPTIONS.items():
        print(f"  {name}: {reason}")
    print()
    print(_format_table(table))
    return 0


# ------------------------------------------------------------------------------------- run


class _Progress:
    """Progress lines on stderr, each with the seconds since the command started."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def __call__(self, message: str) -> None:
        print(f"[{self.elapsed():6.1f}s] {message}", file=sys.stderr, flush=True)


def _load_observations(args: argparse.Namespace) -> tuple[Observations, str]:
    from tokendemand import datasets
    from tokendemand.observations import read_observations

    if args.data is not None:
        return read_observations(args.data), f"file {args.data}"
    name = args.dataset or DEFAULT_DATASET
    return datasets.load(name), f"bundled dataset {name}"


def _load_scenarios(path: str | None) -> tuple[list[Scenario], str]:
    from tokendemand.scenarios import builtin, load_toml

    if path is None:
        return list(builtin()), "built-in scenarios"
    chosen = list(load_toml(path))
    if all(s.name != "posterior" for s in chosen):
        chosen.insert(0, builtin("posterior"))  # the fitted trajectory, for comparison
        return chosen, f"file {path}, with the built-in 'posterior' for comparison"
    return chosen, f"file {path}"


@contextlib.contextmanager
def convergence_warnings_printed() -> Iterator[list[str]]:
    """Print each convergence warning raised inside as a ``tokendemand: warning:`` line.

    A command line shows a sentence, not a Python warning with a file and line. Yields the
    list the messages are appended to (when the block ends); other warnings pass through.
    """
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        yield messages
    for item in caught:
        if issubclass(item.category, ConvergenceWarning):
            messages.append(str(item.message))
            print(f"tokendemand: warning: {item.message}", file=sys.stderr, flush=True)
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)


def _fit(
    observations: Observations, options: dict[str, Any], progress: _Progress
) -> tuple[FitResult, list[str]]:
    """Fit, turning convergence warnings into messages (other warnings pass through)."""
    from tokendemand.model import fit

    with convergence_warnings_printed() as messages:
        result = fit(observations, **options)
    return result, messages


def _run(args: argparse.Namespace) -> int:
    progress = _Progress()
    observations, data_label = _load_observations(args)
    scenarios, scenario_label = _load_scenarios(args.scenarios)
    last = observations.date_range()[1]
    until: pd.Timestamp = args.until
    if until <= last:
        raise TokenDemandError(
            f"--until {until.date()} must be after the last figure ({last.date()})"
        )
    from tokendemand.report import check_output_folder

    check_output_folder(args.out)  # before the fitting
    markets = list(dict.fromkeys(str(m) for m in observations.markets))
    market = args.market if args.market is not None else markets[0]
    if market not in markets:
        raise TokenDemandError(
            f"--market {market!r} is not in the data; its markets: {', '.join(markets)}"
        )
    first = observations.filter(market=market).date_range()[0]  # the fan chart starts there
    draws = (
        args.draws if args.draws is not None else (QUICK["draws"] if args.quick else DEFAULT_DRAWS)
    )
    tune = args.tune if args.tune is not None else (QUICK["tune"] if args.quick else DEFAULT_DRAWS)
    options = {
        "draws": draws,
        "tune": tune,
        "chains": args.chains,
        "random_seed": args.seed,
        "sampler": args.sampler,
    }
    if args.max_draws is not None:
        options["max_draws"] = args.max_draws
    progress(
        f"fitting {len(observations)} figures ({data_label}): {args.chains} chains x {draws} "
        f"draws after {tune} tuning steps, seed {args.seed}, sampler {args.sampler}"
    )
    fit_start = progress.elapsed()
    fit, fit_warnings = _fit(observations, options, progress)
    fit_seconds = progress.elapsed() - fit_start
    drawn = int(fit.diagnostics["draws"])
    more = f"; {draws} draws fell short of the diagnostics, carried on to {drawn}"
    progress(f"fitted in {fit_seconds:.1f}s" + (more if drawn > draws else ""))

    from tokendemand.projection import project

    progress(f"projecting {len(scenarios)} scenarios for {market} to {until.date()}")
    project_start = progress.elapsed()
    projection = project(
        fit,
        scenarios,
        until=until,
        freq=f"{_GRID_DAYS}D",
        start=min(first, fit.reference_date),
        market=market if len(fit.markets) > 1 else None,
    )
    project_seconds = progress.elapsed() - project_start
    progress(f"projected in {project_seconds:.1f}s; drawing figures and writing the report")

    from tokendemand.report import write_report

    notes = []
    if args.quick:
        notes.append(
            f"Quick run (--quick): {args.chains} chains x {draws} draws after {tune} tuning "
            "steps, for a first look. Run without --quick for numbers to quote."
        )
    if len(markets) > 1:
        notes.append(
            f"The data cover markets {', '.join(markets)}; this report projects {market} "
            "(choose another with --market)."
        )
    run_info = {
        "command": "tokendemand " + " ".join(args.argv),
        "data": data_label,
        "scenarios": scenario_label,
        "market": market,
        "draws, tune, chains": f"{drawn}, {tune}, {args.chains}"
        + (f" ({draws} draws asked for fell short of the diagnostics)" if drawn > draws else ""),
        "seed": str(args.seed),
        "until": until.date().isoformat(),
        "fit seconds": f"{fit_seconds:.1f}",
        "projection seconds": f"{project_seconds:.1f}",
    }
    out = write_report(
        fit,
        projection,
        args.out,
        warnings=fit_warnings,
        notes=notes,
        run_info=run_info,
        progress=lambda name: progress(f"figure {name}"),
    )
    progress("report written")
    print(f"report: {out / 'report.html'}")
    return 0


# ------------------------------------------------------------------------------ the others


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(text, width=96, initial_indent=indent, subsequent_indent=indent)


def _datasets(args: argparse.Namespace) -> int:
    from tokendemand.datasets import list_datasets

    table = list_datasets()
    for row in table.itertuples(index=False):
        print(f"{row.name} ({row.n_observations} figures)")
        print(_wrap(str(row.description)))
        print(_wrap(f"sources: {row.sources}"))
    print(f"\nfit one with: tokendemand run --dataset NAME (default {DEFAULT_DATASET})")
    return 0


def _scenarios(args: argparse.Namespace) -> int:
    from tokendemand.report.tables import scenario_assumptions
    from tokendemand.scenarios import builtin, load_toml

    chosen = load_toml(args.file) if args.file is not None else builtin()
    for scenario in chosen:
        print(scenario.name)
        for item, value in scenario_assumptions(scenario):
            print(_wrap(f"{item}: {value}"))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from tokendemand.observations import read_observations

    observations = read_observations(args.csv)
    first, last = observations.date_range()
    series = ", ".join(dict.fromkeys(str(s) for s in observations.series))
    markets = ", ".join(dict.fromkeys(str(m) for m in observations.markets))
    print(
        f"{args.csv}: valid, {len(observations)} figures from {first.date()} to {last.date()}; "
        f"markets: {markets}; series: {series}"
    )
    return 0


# ---------------------------------------------------------------------------------- parser


def _date(text: str) -> pd.Timestamp:
    problem = argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD")
    try:
        stamp = pd.Timestamp(text)
    except (TypeError, ValueError):
        raise problem from None
    if pd.isna(stamp):
        raise problem
    return stamp.normalize()


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokendemand",
        description="Forecast AI token demand: chatbot baseline plus agent layer.",
        epilog="Run 'tokendemand COMMAND --help' for the options of a command.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        return sub

    run = command(
        "run",
        "fit, project and write a report folder (the main job)",
        "Fit the model to public figures, project scenarios and write a report folder:\n"
        "report.html (self-contained), report.md, figures/*.png|svg, tables/*.csv.\n"
        f"A bare 'tokendemand run' fits the bundled {DEFAULT_DATASET} figures with seed "
        f"{DEFAULT_SEED},\nprojects the built-in scenarios to 2030-12-31 and writes "
        f"./{DEFAULT_OUT}.",
    )
    source = run.add_mutually_exclusive_group()
    source.add_argument("--data", metavar="CSV", help="observations CSV file")
    source.add_argument(
        "--dataset",
        metavar="NAME",
        help=f"bundled dataset (default {DEFAULT_DATASET}; see 'tokendemand datasets')",
    )
    run.add_argument(
        "--scenarios",
        metavar="TOML",
        help="scenario file (default: the built-ins); 'posterior' is added for comparison",
    )
    run.add_argument(
        "--market", help="market to project when the data cover several (default: the first)"
    )
    run.add_argument(
        "--until",
        type=_date,
        default=_date("2030-12-31"),
        metavar="DATE",
        help="end of the projection (default 2030-12-31)",
    )
    run.add_argument(
        "--out", default=DEFAULT_OUT, metavar="DIR", help=f"report folder (default {DEFAULT_OUT})"
    )
    run.add_argument(
        "--draws", type=_positive, metavar="N", help=f"draws per chain (default {DEFAULT_DRAWS})"
    )
    run.add_argument(
        "--tune",
        type=_positive,
        metavar="N",
        help=f"tuning steps per chain (default {DEFAULT_DRAWS})",
    )
    run.add_argument(
        "--max-draws",
        type=_positive,
        metavar="N",
        help="most draws per chain when the draws fall short of the diagnostics and the chains "
        "carry on (default 3 x draws; sampler numpyro only)",
    )
    run.add_argument("--chains", type=_positive, default=2, metavar="N", help="chains (default 2)")
    run.add_argument(
        "--sampler",
        choices=SAMPLERS,
        default=DEFAULT_SAMPLER,
        help=f"NUTS back end (default {DEFAULT_SAMPLER})",
    )
    run.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="N",
        help=f"random seed (default {DEFAULT_SEED})",
    )
    run.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK['draws']} draws after {QUICK['tune']} tuning steps: a first look "
        "(the report says so)",
    )
    run.set_defaults(handler=_run)

    listing = command("datasets", "list the bundled datasets", "List the bundled datasets.")
    listing.set_defaults(handler=_datasets)

    scenarios = command(
        "scenarios",
        "list scenarios with their assumptions",
        "List the built-in scenarios (or a TOML file's) with every assumption.",
    )
    scenarios.add_argument("--file", metavar="TOML", help="scenario file to list instead")
    scenarios.set_defaults(handler=_scenarios)

    validate = command(
        "validate",
        "check an observations CSV",
        "Check an observations CSV: exit 0 when valid, 1 with every bad row listed otherwise.",
    )
    validate.add_argument("csv", metavar="CSV", help="observations CSV file")
    validate.set_defaults(handler=_validate)

    calc = command(
        "calc",
        "calculator mode: the equation with documented example parameters",
        "Evaluate the equation with the documented example parameters (no fit).",
    )
    calc.add_argument(
        "--until",
        type=_date,
        default=_date("2030-12-31"),
        metavar="DATE",
        help="last date of the table (default 2030-12-31)",
    )
    calc.set_defaults(handler=_calc)

    from tokendemand.backtest_cli import add_backtest_command

    add_backtest_command(commands)
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
