"""The ``tokendemand`` command line.

Commands
--------
``tokendemand calc``
    Calculator mode: evaluate the structural equation with the documented example parameters
    (:mod:`tokendemand.examples`) and print, per year, daily tokens, the agent share, the
    break-even penetration and the growth multiplier since the reference date.
``tokendemand run``
    The main job. At this stage it runs calculator mode.

Errors the user can fix (bad input, bad options) exit with status 2 and a one-line message,
without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from tokendemand.errors import TokenDemandError
from tokendemand.examples import EXAMPLE_ASSUMPTIONS, example_parameters, example_structure

__all__ = ["calculator_table", "main"]


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
    table = calculator_table(args.until)
    print("Calculator mode: example parameters (assumptions, not a fit)")
    for name, reason in EXAMPLE_ASSUMPTIONS.items():
        print(f"  {name}: {reason}")
    print()
    print(_format_table(table))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokendemand",
        description="Forecast AI token demand: chatbot baseline plus agent layer.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in (
        ("run", "the main job (at this stage: calculator mode with the example parameters)"),
        ("calc", "calculator mode: the equation with documented example parameters"),
    ):
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument(
            "--until", default="2030-12-31", help="last date of the table (default 2030-12-31)"
        )
        command.set_defaults(handler=_calc)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tokendemand`` console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args)
    except TokenDemandError as error:
        print(f"tokendemand: error: {error}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
