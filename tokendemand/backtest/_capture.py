"""Warnings raised inside a backtest step, kept as notes instead of leaking to the caller."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator

__all__ = ["captured_warnings"]


@contextlib.contextmanager
def captured_warnings(keep: Callable[[warnings.WarningMessage], bool]) -> Iterator[list[str]]:
    """Collect the warnings ``keep`` accepts as one-line notes; re-emit every other warning.

    Yields the list the notes are appended to (when the block ends), each once, in order.
    """
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield notes
    for item in caught:
        if keep(item):
            first_line = str(item.message).strip().splitlines()[0] if str(item.message) else ""
            note = f"{item.category.__name__}: {first_line}".rstrip(": ")
            if note not in notes:
                notes.append(note)
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
