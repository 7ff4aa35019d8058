"""Progress of a NumPyro fit on stderr: compile status, draws done, divergences so far.

A tqdm bar: its description is the stage (compiling, warm-up, sampling, drawing more), its count
the NUTS iterations of all chains, its postfix the divergent transitions after warm-up. The
sampler reports each iteration through :func:`report` (a JAX host callback, see
:func:`~tokendemand.fitting._numpyro.sample_numpyro`); a background thread redraws the bar at
least every :data:`REFRESH_SECONDS`, so a log shows the fit is alive while XLA compiles.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Final

import numpy as np

__all__ = ["REFRESH_SECONDS", "FitProgress", "report"]

REFRESH_SECONDS: Final = 1.0
"""Longest time between two redraws of the bar."""

_current: FitProgress | None = None
_lock = threading.Lock()


class FitProgress:
    """A progress bar of ``chains x (tune + draws)`` NUTS iterations (a context manager).

    Parameters
    ----------
    chains, tune, draws
        The fit's chains, warm-up steps and draws per chain.
    """

    def __init__(self, chains: int, tune: int, draws: int) -> None:
        from tqdm.auto import tqdm

        self.tune = tune
        self.iterations = 0
        self.divergences = 0
        self._stage = "compiling"
        self._bar = tqdm(
            total=chains * (tune + draws),
            desc=self._stage,
            unit="it",
            file=sys.stderr,
            mininterval=0.5,
            dynamic_ncols=True,
        )
        self._bar.set_postfix_str("divergences 0", refresh=False)
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, daemon=True)

    def __enter__(self) -> FitProgress:
        global _current
        with _lock:
            _current = self
        self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        global _current
        self._stop.set()
        self._ticker.join()
        with _lock:
            _current = None
            self._bar.refresh()
            self._bar.close()

    def stage(self, text: str) -> None:
        """Show ``text`` as the stage (``"compiling (cached)"``, ``"drawing more"``, ...)."""
        with _lock:
            self._stage = text
            self._bar.set_description_str(text, refresh=True)

    def next_pass(self, tune: int, text: str) -> None:
        """A second warm-up pass of ``tune`` steps starts, shown as ``text``: the sampler numbers
        its iterations from 1 again, and those after its ``tune`` are the draws."""
        with _lock:
            self.tune = tune
            self._stage = text
            self._bar.set_description_str(text, refresh=True)

    def extend(self, iterations: int) -> None:
        """Add ``iterations`` to the total (the chains carry on)."""
        with _lock:
            self._bar.total += iterations
            self._bar.refresh()

    def step(self, i: Any, diverging: Any) -> None:
        """Count one iteration per chain in ``i`` (iteration numbers) and ``diverging``."""
        numbers = np.ravel(np.asarray(i))
        divergent = np.ravel(np.asarray(diverging)) & (numbers > self.tune)
        with _lock:
            self.iterations += len(numbers)
            # a new stage is shown at once: a short stage may end before the next refresh
            if self._stage.startswith("compiling"):
                self._stage = "warm-up"
                self._bar.set_description_str(self._stage, refresh=True)
            if self._stage.startswith("warm-up") and numbers.min() > self.tune:
                self._stage = "sampling"
                self._bar.set_description_str(self._stage, refresh=True)
            if divergent.any():
                self.divergences += int(divergent.sum())
                self._bar.set_postfix_str(f"divergences {self.divergences}", refresh=False)
            self._bar.update(len(numbers))

    def _tick(self) -> None:
        while not self._stop.wait(REFRESH_SECONDS):
            with _lock:
                self._bar.refresh()


def report(i: Any, diverging: Any) -> None:
    """The sampler's host callback: one NUTS iteration (per chain) done."""
    progress = _current
    if progress is not None:
        progress.step(i, diverging)
