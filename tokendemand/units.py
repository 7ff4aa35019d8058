"""Units of time and of token quantities, in one place.

Time in the model is measured in days relative to a reference date (``t = 0`` at the
reference date); rates and Bass coefficients are per year of :data:`DAYS_PER_YEAR` days.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DAYS_PER_YEAR",
    "days_since",
]

DAYS_PER_YEAR: float = 365.25
"""Length of the year that every annual rate refers to (Julian year, in days)."""


def days_since(dates: Any, reference_date: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Days from ``reference_date`` to each of ``dates`` (negative before it).

    Parameters
    ----------
    dates
        Anything :func:`pandas.to_datetime` accepts: one date or many.
    reference_date
        The date where ``t = 0``.

    Returns
    -------
    numpy.ndarray
        Float days, at least one-dimensional; fractions of a day are kept.

    Examples
    --------
    >>> days_since(["2026-03-30", "2026-04-01"], "2026-03-31").tolist()
    [-1.0, 1.0]
    """
    index = pd.DatetimeIndex(np.atleast_1d(pd.to_datetime(dates)))
    delta = (index - pd.Timestamp(reference_date)) / pd.Timedelta(days=1)
    return np.asarray(delta, dtype=np.float64)
