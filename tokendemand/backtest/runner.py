"""Rolling-origin evaluation: fit up to a cutoff, forecast the figures that came after.

Which figures a fit at a cutoff sees, the target's and its analogues', and which are held out
is :mod:`tokendemand.backtest.splits`; this module runs the fits and the baselines at each
cutoff and scores them.
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
from tokendemand.backtest.splits import (
    as_horizon,
    default_cutoffs,
    last_day,
    split,
    training_figures,
)
from tokendemand.dates import to_day
from tokendemand.errors import ConfigError, ConvergenceWarning, DataError, TokenDemandError
from tokendemand.observations import Observation, Observations

__all__ = [
    "ALONE",
    "COLUMNS",
    "STRUCTURAL",
    "backtest",
    "default_cutoffs",
    "last_day",
    "split",
    "training_figures",
]

STRUCTURAL: Final = "tokendemand"
"""Method name of the structural model in the backtest table (with analogues: the pooled fit)."""

ALONE: Final = "tokendemand-alone"
"""Method name of the structural model fitted on the target alone, in a backtest with
analogues."""

Forecast = tuple[np.ndarray[Any, np.dtype[np.float64]], list[str]]
"""Log samples of the held-out figures (draws x figures) and one note per figure."""

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


def _as_list(cutoffs: Any) -> list[Any]:
    """A single date (text, Timestamp, date) as a list of one; an iterable as a list."""
    if isinstance(cutoffs, str | _dt.date | np.datetime64):  # Timestamp is a date
        return [cutoffs]
    return list(cutoffs)


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
    analogues: Observations | None = None,
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

    With ``analogues``, the structural model is fitted twice at each cutoff: jointly with the
    analogue figures before the cutoff (method ``"tokendemand"``) and on the target's figures
    alone (``"tokendemand-alone"``, the fit the backtest makes without analogues), so every
    table built from the result (:func:`~tokendemand.backtest.backtest_summary`,
    :func:`~tokendemand.backtest.backtest_pairwise`) compares the two beside the baselines.
    The baselines see the target's figures only. Only the target's held-out figures are
    scored.

    Parameters
    ----------
    observations
        The target: the figures to forecast (and fit on, before each cutoff).
    cutoffs
        A date or several; default :func:`default_cutoffs` of ``observations`` with
        ``min_train``.
    horizon
        Hold out only figures whose last day is within this duration of the cutoff (e.g.
        ``"365D"``); ``None`` holds out every later figure. See :func:`split`.
    analogues
        Figures of other series to fit jointly with the target (an
        :class:`~tokendemand.observations.Observations`, e.g. other bundled datasets), or
        ``None``. At each cutoff only analogue figures whose last day is before it enter the
        fit, the rule the target's figures follow (:func:`training_figures`). They may include
        the target's own figures (e.g. every bundled series, the target among them): those
        count once, as the target's, and are held out after the cutoff like the others. At a
        cutoff before which no analogue figure ends, the pooled fit would be the fit alone:
        it is not repeated, its ``tokendemand`` rows are the ``tokendemand-alone`` forecasts
        and their ``note`` says so; a warning is raised when that holds at every cutoff.
    model
        A :class:`~tokendemand.fitting.model.TokenDemandModel` (structure and priors); default the
        default model. The pooled and the alone fit use the same model.
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
        Seed of everything (each fit and simulation gets its own seed derived from it; the
        pooled and the alone fit at a cutoff share theirs).
    progress
        Called with a line of text before each fit (e.g. ``print``).

    Returns
    -------
    pandas.DataFrame
        One row per (cutoff, held-out figure, method), columns :data:`COLUMNS`: the figure
        (``figure`` is its position in ``observations``; ``lead_days`` counts days from the
        last day of the latest training figure of the target to the figure's last day;
        ``n_train`` the figures the method was fitted on, analogue figures included), the
        ``method`` (``"tokendemand"``, with analogues also ``"tokendemand-alone"``, or a
        baseline), ``actual`` (canonical units), the forecast quantiles and scores of
        :func:`.metrics.score`, and ``status``: ``"scored"``, ``"bound"`` (a one-sided
        figure: only ``p_bound``) or ``"no forecast"``, with the reason in ``note``. No row is
        dropped.

    Warns
    -----
    ConvergenceWarning
        Once, naming the cutoffs whose structural fit did not converge (their rows say so in
        ``note``); raise ``draws`` and ``tune``.
    UserWarning
        When no analogue figure ends before any cutoff: ``tokendemand`` is then
        ``tokendemand-alone`` throughout.

    Raises
    ------
    ConfigError
        For a bad option (``analogues`` that is not an ``Observations`` among them), a cutoff
        with no training figure or no held-out figure, or no cutoff at all.
    DataError
        If an analogue figure repeats a target figure with another value.

    Examples
    --------
    ``backtest(datasets.load("doubao"), analogues=datasets.load("openrouter"))`` fits doubao
    with and without the OpenRouter series at each cutoff; ``backtest_summary`` of the result
    has the rows ``tokendemand``, ``tokendemand-alone``, ``ets``, ``arima``, ``loglinear``.
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
    if analogues is not None and not isinstance(analogues, Observations):
        problems.append(
            "analogues must be an Observations (e.g. datasets.load('openrouter')) or None, got "
            f"{type(analogues).__name__}"
        )
    span = as_horizon(horizon)
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
    structural = [STRUCTURAL] if analogues is None else [STRUCTURAL, ALONE]
    methods = [*structural, *baselines]
    rows: list[dict[str, Any]] = []
    unconverged: list[str] = []
    alone_only: list[str] = []
    for j, (day, (train, heldout)) in enumerate(zip(days, splits, strict=True)):
        step = f"cutoff {day.date()} ({j + 1}/{len(days)})"
        seed = _seed(random_seed, j)
        if analogues is None:
            if progress is not None:
                progress(f"{step}: fitting on {len(train)} figures, forecasting {len(heldout)}")
            samples, notes, warned = _structural_forecast(model, train, heldout, fit_options, seed)
            forecasts = {STRUCTURAL: (samples, notes)}
            fitted = {STRUCTURAL: len(train)}
            if warned:
                unconverged.append(day.date().isoformat())
        else:
            forecasts, fitted, failed = _pooled_and_alone(
                model,
                observations,
                analogues,
                day,
                train,
                heldout,
                fit_options,
                seed,
                step,
                progress,
            )
            unconverged += [f"{day.date()} {method}" for method in failed]
            if fitted[STRUCTURAL] == fitted[ALONE]:
                alone_only.append(day.date().isoformat())
        for k, method in enumerate(baselines, start=1):
            forecasts[method] = forecast_baseline(
                method, train, heldout, n_samples=n_samples, random_seed=_seed(random_seed, j, k)
            )
            fitted[method] = len(train)
        latest = max(last_day(o) for o in train)
        for i, obs in enumerate(heldout):
            for method in methods:
                samples, notes = forecasts[method]
                row = _row(obs, position[id(obs)], method, samples[:, i], notes[i])
                row.update(
                    cutoff=day, n_train=fitted[method], lead_days=(last_day(obs) - latest).days
                )
                rows.append(row)
    if unconverged:
        fits = (
            f"the structural fits at {len(unconverged)} of {len(days)} cutoffs"
            if analogues is None
            else f"{len(unconverged)} of the structural fits"
        )
        warnings.warn(
            f"{fits} did not converge ({', '.join(unconverged)}); their forecasts are less "
            "reliable (see the note column). Raise draws and tune (or target_accept).",
            ConvergenceWarning,
            stacklevel=2,
        )
    if alone_only and len(alone_only) == len(days):
        warnings.warn(
            "no analogue figure ends before any cutoff, so every pooled fit is the fit alone: "
            f"{STRUCTURAL} and {ALONE} are the same forecasts. Give analogues with figures "
            f"before {days[0].date()} or later cutoffs.",
            UserWarning,
            stacklevel=2,
        )
    return _table(rows)


def _pooled_and_alone(
    model: Any,
    target: Observations,
    analogues: Observations,
    day: pd.Timestamp,
    train: Observations,
    heldout: Observations,
    fit_options: dict[str, Any],
    seed: int | None,
    step: str,
    progress: Callable[[str], None] | None,
) -> tuple[dict[str, Forecast], dict[str, int], list[str]]:
    """The pooled and the alone forecasts at one cutoff, the figures each was fitted on, and
    the methods whose fit did not converge."""
    pooled = training_figures(target, analogues, day)
    extra = len(pooled) - len(train)
    forecasts: dict[str, Forecast] = {}
    failed: list[str] = []
    if extra:
        series = {o.series for o in pooled[len(train) :]}  # the target's come first
        if progress is not None:
            progress(
                f"{step}: {STRUCTURAL}: fitting on {len(train)} figures and {extra} analogue "
                f"figures ({len(series)} series), forecasting {len(heldout)}"
            )
        samples, notes, warned = _structural_forecast(model, pooled, heldout, fit_options, seed)
        forecasts[STRUCTURAL] = (samples, notes)
        if warned:
            failed.append(STRUCTURAL)
    if progress is not None:
        progress(f"{step}: {ALONE}: fitting on {len(train)} figures, forecasting {len(heldout)}")
    samples, notes, warned = _structural_forecast(model, train, heldout, fit_options, seed)
    forecasts[ALONE] = (samples, notes)
    if warned:
        failed.append(ALONE)
    if not extra:
        if progress is not None:
            progress(f"{step}: {STRUCTURAL}: no analogue figure before the cutoff, the fit alone")
        same = f"no analogue figure before the cutoff: the {ALONE} forecast"
        forecasts[STRUCTURAL] = (samples, ["; ".join(filter(None, [same, n])) for n in notes])
    return forecasts, {STRUCTURAL: len(pooled), ALONE: len(train)}, failed


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
