"""The small commands: ``calc``, ``datasets``, ``scenarios`` and ``validate``."""

from __future__ import annotations

import argparse
import textwrap

import pandas as pd

from tokendemand.calculator import EXAMPLE_ASSUMPTIONS, example_parameters, example_structure
from tokendemand.cli.common import DEFAULT_DATASET
from tokendemand.errors import ConfigError

__all__ = ["calc", "calculator_table", "list_datasets", "list_scenarios", "validate"]


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
        raise ConfigError(
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


def calc(args: argparse.Namespace) -> int:
    """``tokendemand calc``: the example parameters as a yearly table."""
    table = calculator_table(args.until.date().isoformat())
    print("Calculator mode: example parameters (assumptions, not a fit)")
    for name, reason in EXAMPLE_ASSUMPTIONS.items():
        print(f"  {name}: {reason}")
    print()
    print(_format_table(table))
    return 0


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(text, width=96, initial_indent=indent, subsequent_indent=indent)


def list_datasets(args: argparse.Namespace) -> int:
    """``tokendemand datasets``: the bundled datasets and their sources."""
    from tokendemand import datasets

    table = datasets.list_datasets()
    for row in table.itertuples(index=False):
        print(f"{row.name} ({row.n_observations} figures)")
        print(_wrap(str(row.description)))
        print(_wrap(f"sources: {row.sources}"))
    print(
        f"\nfit one with: tokendemand run --dataset NAME, several with NAME+NAME "
        f"(default {DEFAULT_DATASET})"
    )
    return 0


def list_scenarios(args: argparse.Namespace) -> int:
    """``tokendemand scenarios``: each scenario with every assumption."""
    from tokendemand.scenarios import builtin, load_toml

    chosen = load_toml(args.file) if args.file is not None else builtin()
    for scenario in chosen:
        print(scenario.name)
        for item, value in scenario.assumptions():
            print(_wrap(f"{item}: {value}"))
    return 0


def validate(args: argparse.Namespace) -> int:
    """``tokendemand validate CSV``: every problem of a file of figures, or a summary."""
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
