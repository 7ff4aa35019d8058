"""What the commands share: defaults, exit codes, argument types, progress and warnings."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
import warnings
from collections.abc import Iterator
from typing import Final

import pandas as pd

from tokendemand.dates import to_day
from tokendemand.errors import ConfigError, ConvergenceWarning

__all__ = [
    "DEFAULT_DATASET",
    "DEFAULT_OUT",
    "DEFAULT_SEED",
    "EXIT_INVALID",
    "EXIT_USAGE",
    "Progress",
    "convergence_warnings_printed",
    "date_argument",
    "positive_argument",
]

DEFAULT_DATASET: Final = "all"
"""Data of a bare ``tokendemand run``: every bundled series (volumes of three markets, launch
histories, agent evidence), fitted jointly under partial pooling."""
DEFAULT_OUT: Final = "tokendemand-report"
DEFAULT_SEED: Final = 1
"""Seed of a bare ``tokendemand run``: the same report every time."""
EXIT_INVALID: Final = 1
EXIT_USAGE: Final = 2


class Progress:
    """Progress lines on stderr, each with the seconds since the command started."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        """Seconds since the command started."""
        return time.perf_counter() - self.start

    def __call__(self, message: str) -> None:
        print(f"[{self.elapsed():6.1f}s] {message}", file=sys.stderr, flush=True)


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


def date_argument(text: str) -> pd.Timestamp:
    """An ``argparse`` type: a date written ``YYYY-MM-DD``, at midnight."""
    try:
        return to_day(text, "", ConfigError)
    except ConfigError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def positive_argument(text: str) -> int:
    """An ``argparse`` type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return number
