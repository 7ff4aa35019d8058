"""Scores of a probabilistic forecast against the figure that came true.

Every method (the structural model and each baseline) hands over the same thing: samples of
the held-out figure in its own shape and canonical units. The scores are computed from those
samples in one place, so all methods are scored identically:

=============  ==================================================================
score          definition
=============  ==================================================================
``q05..q95``   quantiles of the samples (canonical units)
``log_error``  ``ln(q50 / actual)``: positive when the forecast was too high
``crps``       continuous ranked probability score of the samples of ``ln(value)``
               at ``ln(actual)`` (lower is better; 0 is a perfect point forecast)
``interval90`` interval (Winkler) score of the central 90% interval, on natural logs
               (:func:`interval_score`; lower is better)
``in50``       ``q25 <= actual <= q75``: inside the central 50% interval
``in90``       ``q05 <= actual <= q95``: inside the central 90% interval
=============  ==================================================================

CRPS is taken on natural logs so that series of any size compare: a CRPS of 0.1 is roughly a
10% miss. The estimator is the empirical energy form, ``E|X - y| - E|X - X'| / 2`` over the
samples' empirical distribution (the form ``properscoring.crps_ensemble`` computes), exact for
that distribution, from sorted samples in ``O(m log m)`` (:func:`crps_from_samples`). The
interval score rewards a narrow 90% interval and charges ``2 / 0.1 = 20`` times each miss
outside it (Gneiting and Raftery 2007, section 6.2), so it weighs sharpness against coverage,
which ``in90`` alone does not.

One-sided figures ("over 140T") have no value to miss by, so they get no CRPS, log error or
coverage; instead ``p_bound`` is the forecast probability of the side the figure states
(``P(X >= bound)`` for a lower bound). :func:`backtest_summary` counts them apart.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.errors import DataError

__all__ = ["QUANTILES", "backtest_summary", "crps_from_samples", "interval_score", "score"]

QUANTILES: Final[tuple[float, ...]] = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles reported per forecast, as columns ``q05, q25, q50, q75, q95``."""

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def crps_from_samples(samples: Any, actual: Any) -> FloatArray:
    """CRPS of the empirical distribution of ``samples`` at ``actual``, exactly.

    The empirical energy form of the estimator, as ``properscoring.crps_ensemble`` computes it
    (not the "fair" form, which divides the spread term by ``m (m - 1)``).

    With the samples sorted, ``x_(1) <= ... <= x_(m)``, the energy form
    ``CRPS = E|X - y| - E|X - X'| / 2`` of the empirical distribution is::

        mean(|x_i - y|) - sum((2 i - m - 1) x_(i)) / m**2        (i = 1..m)

    which needs one sort instead of the ``m**2`` pairs.

    Parameters
    ----------
    samples
        Array of shape ``(..., m)``: ``m`` samples of each forecast.
    actual
        Array broadcastable to ``samples.shape[:-1]``: the values that came true.

    Returns
    -------
    numpy.ndarray
        Shape ``samples.shape[:-1]``; NaN where a sample or the actual value is not finite.

    Examples
    --------
    A point forecast scores its absolute error:

    >>> float(crps_from_samples([2.0, 2.0, 2.0], 5.0))
    3.0

    Two equally likely values 0 and 1, truth 0: ``E|X - 0| = 0.5``, ``E|X - X'| = 0.5``:

    >>> float(crps_from_samples([0.0, 1.0], 0.0))
    0.25
    """
    x = np.sort(np.asarray(samples, dtype=np.float64), axis=-1)
    if x.ndim == 0 or x.shape[-1] == 0:
        raise DataError("crps_from_samples needs at least one sample per forecast")
    y = np.asarray(actual, dtype=np.float64)[..., None]
    m = x.shape[-1]
    weights = (2.0 * np.arange(1, m + 1) - m - 1.0) / float(m) ** 2
    spread = (x * weights).sum(axis=-1)
    with np.errstate(invalid="ignore"):
        crps: FloatArray = np.abs(x - y).mean(axis=-1) - spread
    finite = np.isfinite(x).all(axis=-1) & np.isfinite(y[..., 0])
    return np.where(finite, np.maximum(crps, 0.0), np.nan)


def interval_score(lower: Any, upper: Any, actual: Any, alpha: float = 0.1) -> FloatArray:
    """Interval (Winkler) score of the central ``1 - alpha`` interval ``[lower, upper]``.

    ``(upper - lower) + 2 / alpha * (lower - y) [y < lower] + 2 / alpha * (y - upper) [y > upper]``
    (Gneiting and Raftery 2007, eq. 43): the width, plus a penalty for each miss. Lower is
    better; a proper score for the ``alpha / 2`` and ``1 - alpha / 2`` quantiles.

    Parameters
    ----------
    lower, upper
        The interval's ends (arrays broadcast together with ``actual``).
    actual
        The values that came true.
    alpha
        One minus the interval's probability: ``0.1`` for a central 90% interval.

    Returns
    -------
    numpy.ndarray
        The scores, in the units of the arguments.

    Raises
    ------
    DataError
        If ``alpha`` is not in ``(0, 1)``.

    Examples
    --------
    >>> float(interval_score(1.0, 3.0, 2.0))  # inside: the width
    2.0
    >>> float(interval_score(1.0, 3.0, 4.0))  # one above: width + 20 x the miss
    22.0
    """
    if not 0.0 < alpha < 1.0:
        raise DataError(f"alpha must be in (0, 1), got {alpha!r}")
    low = np.asarray(lower, dtype=np.float64)
    high = np.asarray(upper, dtype=np.float64)
    y = np.asarray(actual, dtype=np.float64)
    out: FloatArray = (
        (high - low)
        + 2.0 / alpha * np.maximum(low - y, 0.0)
        + 2.0 / alpha * np.maximum(y - high, 0.0)
    )
    return out


def score(log_samples: Any, actual: float, bound: str | None = None) -> dict[str, Any]:
    """Every score of one forecast (see the module table).

    Parameters
    ----------
    log_samples
        1-D samples of the natural log of the figure (canonical units); all finite. Logs,
        so that heavy-tailed forecasts neither overflow nor underflow.
    actual
        The figure that came true, in canonical units (positive).
    bound
        ``None`` for an exact figure, ``"lower"`` or ``"upper"`` for a one-sided one: then
        ``crps``, ``interval90``, ``log_error``, ``in50`` and ``in90`` are missing and
        ``p_bound`` is set.

    Returns
    -------
    dict
        ``q05, q25, q50, q75, q95`` (canonical units), ``log_error, crps, interval90, in50,
        in90, p_bound``.

    Raises
    ------
    DataError
        If ``log_samples`` is empty or not finite, or ``actual`` is not positive.

    Examples
    --------
    >>> import numpy as np
    >>> s = score(np.log([1.0, 2.0, 4.0]), 2.0)
    >>> round(s["q50"], 12), s["log_error"], s["in50"], s["in90"]
    (2.0, 0.0, True, True)
    >>> score(np.log([1.0, 2.0, 4.0]), 3.0, bound="lower")["p_bound"]
    0.3333333333333333
    """
    x = np.asarray(log_samples, dtype=np.float64).reshape(-1)
    if x.size == 0 or not np.isfinite(x).all():
        raise DataError(
            f"forecast log samples must be finite; got {x.size} samples, "
            f"{int((~np.isfinite(x)).sum())} not finite"
        )
    if not actual > 0 or not math.isfinite(actual):
        raise DataError(f"the actual value must be a positive number, got {actual!r}")
    y = math.log(actual)
    log_quantiles = np.quantile(x, QUANTILES)
    with np.errstate(over="ignore"):
        quantiles = np.exp(log_quantiles)
    out: dict[str, Any] = {
        f"q{round(100 * q):02d}": float(v) for q, v in zip(QUANTILES, quantiles, strict=True)
    }
    q05, q25, q50, q75, q95 = (float(v) for v in log_quantiles)
    if bound is None:
        out.update(
            log_error=q50 - y,
            crps=float(crps_from_samples(x, y)),
            interval90=float(interval_score(q05, q95, y, alpha=0.1)),
            in50=bool(q25 <= y <= q75),
            in90=bool(q05 <= y <= q95),
            p_bound=math.nan,
        )
    elif bound in ("lower", "upper"):
        side = x >= y if bound == "lower" else x <= y
        out.update(
            log_error=math.nan,
            crps=math.nan,
            interval90=math.nan,
            in50=pd.NA,
            in90=pd.NA,
            p_bound=float(side.mean()),
        )
    else:
        raise DataError(f"bound must be None, 'lower' or 'upper', got {bound!r}")
    return out


def backtest_summary(table: pd.DataFrame, common: bool = True) -> pd.DataFrame:
    """One row per method: how often it could forecast, and how well.

    Parameters
    ----------
    table
        The table :func:`~tokendemand.backtest.backtest` returns (at least the columns
        ``cutoff, figure, method, status, crps, log_error, in50, in90, p_bound``).
    common
        Average the scores over the held-out figures that every method scored (the default),
        so that the means compare like with like; a method that scored no figure at all (too
        few figures before every cutoff) is left out of that intersection rather than emptying
        it. ``False`` averages each method over all the figures it scored.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``method`` (in order of appearance), columns:

        - ``rows``: rows of the method; ``scored``: exact figures it forecast;
          ``bounds``: one-sided figures (never in the scores below); ``no_forecast``: rows
          where it could not forecast (the table's ``note`` says why);
        - ``n``: figures averaged over; ``crps``: mean CRPS (natural logs);
          ``interval90``: mean interval score of the 90% intervals (natural logs);
          ``abs_log_error``: mean ``|log_error|``; ``bias``: mean ``log_error``;
          ``cover50``, ``cover90``: share of actuals inside the 50% and 90% intervals;
        - ``p_bound``: mean forecast probability of the side each bound states.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "cutoff": ["2026-01-01"] * 2, "figure": [7, 7],
    ...     "method": ["a", "b"], "status": ["scored", "scored"],
    ...     "crps": [0.1, 0.3], "log_error": [0.2, -0.4],
    ...     "in50": [True, False], "in90": [True, True], "p_bound": [float("nan")] * 2})
    >>> columns = ["n", "crps", "abs_log_error", "cover90"]
    >>> backtest_summary(table)[columns]  # doctest: +NORMALIZE_WHITESPACE
            n  crps  abs_log_error  cover90
    method
    a       1   0.1            0.2      1.0
    b       1   0.3            0.4      1.0
    """
    methods = list(dict.fromkeys(table["method"]))
    figure = table["cutoff"].map(str) + "|" + table["figure"].map(str)
    scored = table["status"] == "scored"
    if common:
        by_method = [set(figure[scored & (table["method"] == m)]) for m in methods]
        shared = set.intersection(*[s for s in by_method if s] or [set()])
        averaged = scored & figure.isin(shared)
    else:
        averaged = scored
    rows = []
    for method in methods:
        mine = table["method"] == method
        part = table[mine & averaged]
        bounds = table[mine & (table["status"] == "bound")]
        rows.append(
            {
                "method": method,
                "rows": int(mine.sum()),
                "scored": int((mine & scored).sum()),
                "bounds": len(bounds),
                "no_forecast": int((mine & (table["status"] == "no forecast")).sum()),
                "n": len(part),
                "crps": _mean(part["crps"]),
                "interval90": _mean(part["interval90"]) if "interval90" in part else math.nan,
                "abs_log_error": _mean(part["log_error"].abs()),
                "bias": _mean(part["log_error"]),
                "cover50": _mean(part["in50"].astype(float)),
                "cover90": _mean(part["in90"].astype(float)),
                "p_bound": _mean(bounds["p_bound"]),
            }
        )
    return pd.DataFrame(rows).set_index("method")


def _mean(values: pd.Series[Any]) -> float:
    return float(values.mean()) if len(values) else math.nan
