"""Builders for the backtest tests: figures on an exact growth path, scored table rows and a fake
fit result."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from tokendemand.errors import DataError
from tokendemand.observations import Observation, Observations


def obs(kind: str, value: float, start: Any, end: Any = None, **extra: Any) -> Observation:
    return Observation(
        series=str(extra.pop("series", "s")),
        market=str(extra.pop("market", "m")),
        kind=kind,  # type: ignore[arg-type]
        value=value,
        start=start,
        end=end or start,
        source="test",
        **extra,
    )


def growth(dates: list[str], rate: float = 2.0, level: float = 1e12) -> Observations:
    """Points on an exact exponential path: ``level * exp(rate * years since the first)``."""
    first = pd.Timestamp(dates[0])
    return Observations(
        obs("point", level * math.exp(rate * (pd.Timestamp(d) - first).days / 365.25), d)
        for d in dates
    )


def table_of(rows: list[dict[str, Any]]) -> pd.DataFrame:
    defaults = {"crps": math.nan, "log_error": math.nan, "in50": pd.NA, "in90": pd.NA}
    frame = pd.DataFrame([{**defaults, "p_bound": math.nan, "cutoff": "c", **row} for row in rows])
    for name in ("in50", "in90"):
        frame[name] = frame[name].astype("boolean")
    return frame


def scored(method: str, figure: int, crps: float, error: float, in50: bool, in90: bool) -> Any:
    return {
        "status": "scored",
        "method": method,
        "figure": figure,
        "crps": crps,
        "log_error": error,
        "in50": in50,
        "in90": in90,
    }


class FakeResult:
    """Forecasts each held-out figure as log-normal around the last training level."""

    n_draws = 200

    def __init__(self, train: Observations) -> None:
        self.train = train

    def forecast(
        self, observations: Observations, random_seed: int | None = 0
    ) -> np.ndarray[Any, Any]:
        if any(o.series == "unseen" for o in observations):
            raise DataError("the fit did not see m/unseen")
        last = self.train[-1].value
        rng = np.random.default_rng(random_seed)
        scale = np.array([o.days if o.kind == "total" else 1.0 for o in observations])
        return last * scale * np.exp(rng.normal(0.0, 1.0, (self.n_draws, len(observations))))
