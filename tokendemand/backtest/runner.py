"""Rolling-origin evaluation: fit up to a cutoff, forecast the figures that came after.

What "before the cutoff" means
------------------------------
Every figure has a **last day**: the last day of its period, or for a ratio the last day of
its period and its base period together. For a cutoff ``c`` (a date):

- the **training** figures are those whose last day is before ``c`` (``last day < c``):
  everything they say was known by the end of the day before ``c``;
- the **held-out** figures are the others whose last day is before ``c + horizon`` (all the
  others when ``horizon`` is ``None``). A figure whose period straddles ``c`` is held out,
  not trained on: part of it lies in the future.

Publication dates are not recorded, so a figure counts as known from its last day (a month's
mean announced on the 24th of the month counts from the 31st).

Default cutoffs
---------------
Each distinct last day of a figure is a candidate cutoff (that figure becomes the first one
held out), kept when at least ``min_train`` level figures (``point``, ``mean``, ``total``,
one-sided ones included) lie before it; ``last`` keeps only the latest few.
"""

from __future__ import annotations

import datetime as _dt
import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.backtest._capture import captured_warnings
from tokendemand.backtest.baselines import BASELINES, forecast_baseline
from tokendemand.backtest.metrics import score
from tokendemand.dates import to_day
from tokendemand.errors import ConfigError, ConvergenceWarning, DataError, TokenDemandError
from tokendemand.observations import LEVEL_KINDS, Observation, Observations

__all__ = ["COLUMNS", "STRUCTURAL", "backtest", "default_cutoffs", "last_day", "split"]

STRUCTURAL: Final = "tokendemand"
"""Method name of the structural model in the backtest table."""

COLUMNS: Final[tuple[str, ...]] = (
    "cutoff",
    "figure",
    "series",
    "market",
    "kind",
    "bound",
    "period_start",
    "period_end",
    "base_start",
    "base_end",
    "lead_days",
    "n_train",
    "method",
    "actual",
    "q05",
    "q25",
    "q50",
    "q75",
    "q95",
    "log_error",
    "crps",
    "interval90",
    "in50",
    "in90",
    "p_bound",
    "status",
    "note",
)
"""Columns of the table :func:`backtest` returns, in order."""

_SCORES: Final = COLUMNS[COLUMNS.index("q05") : COLUMNS.index("in90") + 1]
"""The score columns, q05 to in90: one list, the table's own."""


def last_day(obs: Observation) -> pd.Timestamp:
    """The last day a figure covers: its period's, or for a ratio also its base period's.

    Examples
    --------
    >>> from tokendemand.observations import Observation
    >>> last_day(Observation("s", "m", "mean", 1e12, "2026-03-01", "2026-03-31", source="x"))
    Timestamp('2026-03-31 00:00:00')
    """
    return max(obs.end, obs.base_end) if obs.base_end is not None else obs.end


def _as_list(cutoffs: Any) -> list[Any]:
    """A single date (text, Timestamp, date) as a list of one; an iterable as a list."""
    if isinstance(cutoffs, str | _dt.date | np.datetime64):  # Timestamp is a date
        return [cutoffs]
    return list(cutoffs)


def _as_horizon(horizon: Any) -> pd.Timedelta | None:
    if horizon is None:
        return None
    if isinstance(horizon, int | float):  # pd.Timedelta(365) would be 365 nanoseconds
        raise ConfigError(f"horizon {horizon!r} has no unit; write e.g. '365D'")
    try:
        span = pd.Timedelta(horizon)
    except (TypeError, ValueError):
        raise ConfigError(
            f"horizon {horizon!r} is not a duration; write e.g. '365D', or None for every "
            "later figure"
        ) from None
    if pd.isna(span) or span <= pd.Timedelta(0):
        raise ConfigError(f"horizon must be a positive duration such as '365D', got {horizon!r}")
    return span


def split(
    observations: Observations, cutoff: Any, horizon: Any = None
) -> tuple[Observations, Observations]:
    """Training and held-out figures for one cutoff (see the module docstring).

    Parameters
    ----------
    observations
        All figures.
    cutoff
        A date: figures whose last day is before it are training figures.
    horizon
        A duration such as ``"365D"``: hold out only figures whose last day is before
        ``cutoff + horizon``; ``None`` holds out every later figure.

    Returns
    -------
    train, heldout : Observations
        In the order of ``observations``.

    Examples
    --------
    >>> from tokendemand import datasets
    >>> train, heldout = split(datasets.load("doubao"), "2025-09-30", horizon="100D")
    >>> [o.end.date().isoformat() for o in heldout]
    ['2025-09-30', '2025-12-18']
    >>> max(last_day(o) for o in train) < pd.Timestamp("2025-09-30")
    True
    """
    day = to_day(cutoff, "cutoff", ConfigError)
    span = _as_horizon(horizon)
    train = Observations(o for o in observations if last_day(o) < day)
    heldout = Observations(
        o for o in observations if last_day(o) >= day and (span is None or last_day(o) < day + span)
    )
    return train, heldout


def default_cutoffs(
    observations: Observations, min_train: int = 3, last: int | None = None
) -> list[pd.Timestamp]:
    """Each distinct last day of a figure with ``min_train`` level figures before it.

    Parameters
    ----------
    observations
        All figures.
    min_train
        Level figures (point, mean or total; one-sided ones count) needed before a cutoff.
    last
        Keep only the latest ``last`` cutoffs; ``None`` keeps all.

    Examples
    --------
    >>> from tokendemand import datasets
    >>> [c.date().isoformat() for c in default_cutoffs(datasets.load("china_national"))]
    ['2025-12-31', '2026-03-31']
    """
    if not isinstance(min_train, int) or min_train < 1:
        raise ConfigError(f"min_train must be an integer >= 1, got {min_train!r}")
    if last is not None and (not isinstance(last, int) or last < 1):
        raise ConfigError(f"last must be None or an integer >= 1, got {last!r}")
    level_days = sorted(last_day(o) for o in observations if o.kind in LEVEL_KINDS)
    candidates = sorted({last_day(o) for o in observations})
    kept = [c for c in candidates if sum(d < c for d in level_days) >= min_train]
    return kept if last is None else kept[-last:]


def _seed(random_seed: int | None, *path: int) -> int | None:
    if random_seed is None:
        return None
    return int(np.random.SeedSequence([random_seed, *path]).generate_state(1)[0])


def _structural_forecast(
    model: Any,
    train: Observations,
    heldout: Observations,
    fit_options: dict[str, Any],
    seed: int | None,
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], list[str], bool]:
    """Log samples of the held-out figures, notes per figure, and whether the fit warned."""
    n = len(heldout)
    try:
        with captured_warnings(lambda w: issubclass(w.category, ConvergenceWarning)) as warned:
            result = model.fit(train, random_seed=seed, **fit_options)
    except ConfigError:
        raise  # a bad sampler setting fails every cutoff alike: say so once, at once
    except TokenDemandError as error:
        note = f"the fit failed: {type(error).__name__}: {error}"
        return np.full((1, n), np.nan), [note] * n, False
    # the warning's advice is the same every time: keep what was wrong
    fit_note = "; ".join(w.split(". Try:")[0] for w in warned)
    try:
        draws = np.log(result.forecast(heldout, random_seed=seed))
        notes = [fit_note] * n
    except DataError:
        # some figure the fit cannot predict (a series it did not see): one at a time
        columns, notes = [], []
        for obs in heldout:
            try:
                columns.append(np.log(result.forecast(Observations([obs]), random_seed=seed)))
                notes.append(fit_note)
            except DataError as error:
                columns.append(np.full((result.n_draws, 1), np.nan))
                notes.append(f"no forecast: {error}")
        draws = np.concatenate(columns, axis=1)
    return draws, notes, bool(warned)


def backtest(
    observations: Observations,
    cutoffs: Any = None,
    horizon: Any = None,
    *,
    model: Any = None,
    baselines: Sequence[str] = BASELINES,
    draws: int = 1000,
    tune: int | None = None,
    chains: int = 2,
    target_accept: float | None = None,
    n_samples: int = 1000,
    min_train: int = 3,
    random_seed: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Rolling-origin backtest of the structural model against statsmodels baselines.

    For each cutoff, the structural model is fitted to the figures before it, and it and each
    baseline forecast every held-out figure in its own shape (a held-out weekly total as a
    weekly total); each forecast is scored against the figure (:mod:`.metrics`).

    Parameters
    ----------
    observations
        All figures.
    cutoffs
        A date or several; default :func:`default_cutoffs` with ``min_train``.
    horizon
        Hold out only figures whose last day is within this duration of the cutoff (e.g.
        ``"365D"``); ``None`` holds out every later figure. See :func:`split`.
    model
        A :class:`~tokendemand.fitting.model.TokenDemandModel` (structure and priors); default the
        default model.
    baselines
        Baselines to run (:data:`~tokendemand.backtest.baselines.BASELINES`); may be empty.
    draws, tune, chains, target_accept
        Sampler settings of each structural fit (``tune`` defaults to ``draws``;
        ``target_accept`` to the sampler's default, see :meth:`TokenDemandModel.fit
        <tokendemand.fitting.TokenDemandModel.fit>`). The defaults are the fit's, so a fit whose
        draws fall short of 400 effective draws carries on, up to ``3 * draws``, before it
        warns.
    n_samples
        Simulated paths per baseline forecast.
    min_train
        Level figures needed before each default cutoff.
    random_seed
        Seed of everything (each fit and simulation gets its own seed derived from it).
    progress
        Called with a line of text before each fit (e.g. ``print``).

    Returns
    -------
    pandas.DataFrame
        One row per (cutoff, held-out figure, method), columns :data:`COLUMNS`: the figure
        (``figure`` is its position in ``observations``; ``lead_days`` counts days from the
        last day of the latest training figure to the figure's last day; ``n_train`` the
        training figures), the ``method`` (``"tokendemand"`` or a baseline), ``actual``
        (canonical units), the forecast quantiles and scores of :func:`.metrics.score`, and
        ``status``: ``"scored"``, ``"bound"`` (a one-sided figure: only ``p_bound``) or
        ``"no forecast"``, with the reason in ``note``. No row is dropped.

    Warns
    -----
    ConvergenceWarning
        Once, naming the cutoffs whose structural fit did not converge (their rows say so in
        ``note``); raise ``draws`` and ``tune``.

    Raises
    ------
    ConfigError
        For a bad option, a cutoff with no training figure or no held-out figure, or no
        cutoff at all.
    """
    from tokendemand.fitting.model import TokenDemandModel

    problems: list[str] = []
    unknown = [b for b in baselines if b not in BASELINES]
    if unknown or isinstance(baselines, str):
        problems.append(f"baselines must be a sequence of {', '.join(BASELINES)}: {baselines!r}")
    if model is None:
        model = TokenDemandModel()
    elif not isinstance(model, TokenDemandModel):
        problems.append(f"model must be a TokenDemandModel, got {type(model).__name__}")
    if target_accept is not None and not (
        isinstance(target_accept, int | float) and 0.5 <= target_accept < 1.0
    ):
        problems.append(f"target_accept must be in [0.5, 1) or None, got {target_accept!r}")
    if not isinstance(n_samples, int) or n_samples < 1:
        problems.append(f"n_samples must be an integer >= 1, got {n_samples!r}")
    span = _as_horizon(horizon)
    days = (
        default_cutoffs(observations, min_train)
        if cutoffs is None
        else sorted({to_day(c, "cutoff", ConfigError) for c in _as_list(cutoffs)})
    )
    if not days:
        problems.append(
            f"no cutoff: no date has {min_train} level figures before it; pass cutoffs= or "
            "lower min_train"
        )
    splits = [split(observations, day, span) for day in days]
    for day, (train, heldout) in zip(days, splits, strict=True):
        if not train:
            problems.append(f"cutoff {day.date()} has no figure before it to fit")
        if not heldout:
            problems.append(f"cutoff {day.date()} holds out no figure within the horizon")
    if problems:
        raise ConfigError("cannot backtest:\n  " + "\n  ".join(problems))

    position = {id(obs): i for i, obs in enumerate(observations)}
    fit_options = {
        "draws": draws,
        "tune": draws if tune is None else tune,
        "chains": chains,
        "target_accept": target_accept,
    }
    methods = [STRUCTURAL, *baselines]
    rows: list[dict[str, Any]] = []
    unconverged: list[str] = []
    for j, (day, (train, heldout)) in enumerate(zip(days, splits, strict=True)):
        if progress is not None:
            progress(
                f"cutoff {day.date()} ({j + 1}/{len(days)}): fitting on {len(train)} figures, "
                f"forecasting {len(heldout)}"
            )
        samples, notes, warned = _structural_forecast(
            model, train, heldout, fit_options, _seed(random_seed, j)
        )
        forecasts = {STRUCTURAL: (samples, notes)}
        if warned:
            unconverged.append(day.date().isoformat())
        for k, method in enumerate(baselines, start=1):
            forecasts[method] = forecast_baseline(
                method, train, heldout, n_samples=n_samples, random_seed=_seed(random_seed, j, k)
            )
        latest = max(last_day(o) for o in train)
        for i, obs in enumerate(heldout):
            for method in methods:
                samples, notes = forecasts[method]
                row = _row(obs, position[id(obs)], method, samples[:, i], notes[i])
                row.update(cutoff=day, n_train=len(train), lead_days=(last_day(obs) - latest).days)
                rows.append(row)
    if unconverged:
        warnings.warn(
            f"the structural fits at {len(unconverged)} of {len(days)} cutoffs did not converge "
            f"({', '.join(unconverged)}); their forecasts are less reliable (see the note "
            "column). Raise draws and tune (or target_accept).",
            ConvergenceWarning,
            stacklevel=2,
        )
    return _table(rows)


def _row(
    obs: Observation,
    figure: int,
    method: str,
    log_samples: np.ndarray[Any, np.dtype[np.float64]],
    note: str,
) -> dict[str, Any]:
    """The row of one forecast, without its cutoff, ``n_train`` and ``lead_days``."""
    row: dict[str, Any] = {
        "figure": figure,
        "series": obs.series,
        "market": obs.market,
        "kind": obs.kind,
        "bound": obs.bound,
        "period_start": obs.start,
        "period_end": obs.end,
        "base_start": obs.base_start,
        "base_end": obs.base_end,
        "method": method,
        "actual": obs.value,
        **dict.fromkeys(_SCORES, math.nan),
        "p_bound": math.nan,
        "in50": pd.NA,
        "in90": pd.NA,
    }
    if not np.isfinite(log_samples).all():
        row.update(status="no forecast", note=note or f"{method} gave no finite forecast")
        return row
    row.update(score(log_samples, obs.value, obs.bound))
    row.update(status="scored" if obs.bound is None else "bound", note=note)
    return row


def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    for name in ("cutoff", "period_start", "period_end", "base_start", "base_end"):
        table[name] = pd.to_datetime(table[name])
    for name in ("in50", "in90"):
        table[name] = table[name].astype("boolean")
    table["bound"] = table["bound"].astype(object)
    return table
