"""One method against each other, figure for figure, and whether one cutoff decides it.

:func:`~tokendemand.backtest.backtest_summary` averages over the figures *every* method scored,
which drops a figure as soon as one method could not forecast it. :func:`backtest_pairwise`
compares the structural model with each other method (each baseline; in a backtest with
analogues also the fit alone, ``tokendemand-alone``) over every figure *both* scored, and shows
how the verdict depends on single cutoffs: the figures held out at one cutoff share one fit,
so they are not independent evidence, and a rolling-origin backtest of a short series has few
cutoffs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from tokendemand.backtest.runner import STRUCTURAL
from tokendemand.errors import DataError

__all__ = ["backtest_pairwise"]

_COLUMNS = ("cutoff", "figure", "method", "status", "crps")
_SCORES = ("crps_reference", "crps_method", "difference", "drop_one_min", "drop_one_max")
_RESULT = (
    "n",
    "cutoffs",
    "crps_reference",
    "crps_method",
    "difference",
    "reference_wins",
    "drop_one_min",
    "drop_one_max",
)


def backtest_pairwise(table: pd.DataFrame, reference: str = STRUCTURAL) -> pd.DataFrame:
    """``reference`` against each other method, over the figures both scored.

    Parameters
    ----------
    table
        The table :func:`~tokendemand.backtest.backtest` returns (at least the columns
        ``cutoff, figure, method, status, crps``).
    reference
        The method the others are compared with (default: the structural model).

    Returns
    -------
    pandas.DataFrame
        Indexed by the other methods (in order of appearance; one that shares no scored figure
        with ``reference`` has ``n`` 0 and no scores), columns:

        - ``n``: held-out figures both scored; ``cutoffs``: the cutoffs they were held out at;
        - ``crps_reference``, ``crps_method``: mean CRPS of each over those figures;
        - ``difference``: ``crps_reference - crps_method`` (negative: the reference is
          better);
        - ``reference_wins``: cutoffs at which the reference's mean CRPS over the shared
          figures is the lower;
        - ``drop_one_min``, ``drop_one_max``: the smallest and largest ``difference`` left
          when the figures of any one cutoff are dropped (a jackknife over cutoffs; undefined
          with one cutoff). When they have opposite signs, a single cutoff decides which
          method is better.

    Raises
    ------
    DataError
        If ``table`` lacks a column, or ``reference`` is not one of its methods.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "cutoff": ["c1", "c1", "c2", "c2", "c2", "c2"], "figure": [1, 1, 2, 2, 3, 3],
    ...     "method": ["tokendemand", "ets"] * 3, "status": ["scored"] * 6,
    ...     "crps": [0.9, 0.1, 0.1, 0.2, 0.2, 0.3]})
    >>> row = backtest_pairwise(table).loc["ets"]
    >>> int(row["n"]), round(float(row["difference"]), 3), int(row["reference_wins"])
    (3, 0.2, 1)
    >>> round(float(row["drop_one_min"]), 3), round(float(row["drop_one_max"]), 3)
    (-0.1, 0.8)
    """
    missing = [name for name in _COLUMNS if name not in table.columns]
    if missing:
        raise DataError(
            f"backtest_pairwise needs the columns {', '.join(_COLUMNS)} of a backtest table; "
            f"missing: {', '.join(missing)}"
        )
    methods = list(dict.fromkeys(table["method"]))
    if reference not in methods:
        raise DataError(
            f"reference {reference!r} is not a method of the table; its methods are: "
            f"{', '.join(map(str, methods))}"
        )
    scored = table[table["status"] == "scored"]
    scores = scored.pivot_table(
        index=["cutoff", "figure"], columns="method", values="crps", aggfunc="first"
    )
    rows = [
        {"method": method, **_compare(scores, reference, method)}
        for method in methods
        if method != reference
    ]
    return pd.DataFrame(rows, columns=["method", *_RESULT]).set_index("method")


def _compare(scores: pd.DataFrame, reference: str, method: str) -> dict[str, Any]:
    pair = [reference, method]
    both = scores[pair].dropna() if set(pair) <= set(scores.columns) else scores.iloc[:0]
    if both.empty:
        return {"n": 0, "cutoffs": 0, "reference_wins": 0, **dict.fromkeys(_SCORES, math.nan)}
    gap = (both[reference] - both[method]).astype(float)
    cutoff = both.index.get_level_values("cutoff")
    per_cutoff = gap.groupby(cutoff).agg(["sum", "size"])
    total, count = float(per_cutoff["sum"].sum()), int(per_cutoff["size"].sum())
    if len(per_cutoff) > 1:
        dropped = (total - per_cutoff["sum"].to_numpy()) / (count - per_cutoff["size"].to_numpy())
        low, high = float(np.min(dropped)), float(np.max(dropped))
    else:
        low = high = math.nan
    return {
        "n": count,
        "cutoffs": len(per_cutoff),
        "crps_reference": float(both[reference].mean()),
        "crps_method": float(both[method].mean()),
        "difference": total / count,
        "reference_wins": int((per_cutoff["sum"] < 0).sum()),
        "drop_one_min": low,
        "drop_one_max": high,
    }
