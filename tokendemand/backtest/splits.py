"""Which figures a fit at a cutoff sees, and which it is scored on.

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

Analogues
---------
Figures of other series fitted jointly with the target (:func:`training_figures`) follow the
same rule, through the same function (:func:`split`): an analogue figure enters the fit at
``c`` only if its last day is before ``c``, and it is never scored. An analogue figure that is
also one of the target's (the same series, market, kind, periods and bound: the key that makes
two observations duplicates) is the target's figure: it is counted once and held out like the
target's (:func:`analogue_figures`).

Default cutoffs
---------------
Each distinct last day of a target figure is a candidate cutoff (that figure becomes the first
one held out), kept when at least ``min_train`` level figures (``point``, ``mean``, ``total``,
one-sided ones included) lie before it; ``last`` keeps only the latest few.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tokendemand.dates import to_day
from tokendemand.errors import ConfigError, DataError
from tokendemand.observations import LEVEL_KINDS, Observation, Observations
from tokendemand.observations.checks import duplicates

__all__ = [
    "analogue_figures",
    "as_horizon",
    "default_cutoffs",
    "last_day",
    "split",
    "training_figures",
]


def last_day(obs: Observation) -> pd.Timestamp:
    """The last day a figure covers: its period's, or for a ratio also its base period's.

    Examples
    --------
    >>> from tokendemand.observations import Observation
    >>> last_day(Observation("s", "m", "mean", 1e12, "2026-03-01", "2026-03-31", source="x"))
    Timestamp('2026-03-31 00:00:00')
    """
    return max(obs.end, obs.base_end) if obs.base_end is not None else obs.end


def as_horizon(horizon: Any) -> pd.Timedelta | None:
    """A horizon as a positive duration, or ``None`` (every later figure).

    Raises
    ------
    ConfigError
        For a number without a unit, text that is not a duration, or a duration that is not
        positive.
    """
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
    span = as_horizon(horizon)
    train = Observations(o for o in observations if last_day(o) < day)
    heldout = Observations(
        o for o in observations if last_day(o) >= day and (span is None or last_day(o) < day + span)
    )
    return train, heldout


def analogue_figures(target: Observations, analogues: Observations) -> Observations:
    """The figures of ``analogues`` that are not already figures of ``target``.

    Two figures are the same figure when they share the key that makes observations
    duplicates (series, market, kind, period, base period and bound; see
    :mod:`tokendemand.observations`). ``analogues`` may hold the target's own figures (e.g.
    every bundled series, the target among them): those are dropped here, so each figure is
    fitted once and the target's are held out by the target's rule.

    Parameters
    ----------
    target
        The figures being forecast.
    analogues
        Figures of other series (may include some of ``target``'s).

    Returns
    -------
    Observations
        The rest of ``analogues``, in their order.

    Raises
    ------
    ConfigError
        If ``analogues`` is not an :class:`~tokendemand.observations.Observations`.
    DataError
        If an analogue figure has the key of a target figure but another value: which of
        the two is right is for the user to say.

    Examples
    --------
    >>> from tokendemand import datasets
    >>> doubao, china = datasets.load("doubao"), datasets.load("china_national")
    >>> len(analogue_figures(doubao, china + doubao)) == len(china)
    True
    """
    if not isinstance(analogues, Observations):
        raise ConfigError(
            f"analogues must be an Observations (e.g. datasets.load('openrouter') or "
            f"read_observations('file.csv')), got {type(analogues).__name__}"
        )
    both = [*target, *analogues]
    n = len(target)
    repeated: set[int] = set()
    conflicts: list[str] = []
    for first, later, conflicting in duplicates(both):
        # target and analogues are each free of duplicates: a pair spans the two
        repeated.add(later - n)
        if conflicting:
            conflicts.append(
                f"  analogues[{later - n}] ({both[later].value!r}) and the target's figure "
                f"[{first}] ({both[first].value!r}): {both[first].describe()}"
            )
    if conflicts:
        raise DataError(
            f"{len(conflicts)} analogue figure(s) repeat a target figure with another value "
            "(positions are 0-based); correct one of them or drop it from the analogues:\n"
            + "\n".join(conflicts)
        )
    return Observations(o for i, o in enumerate(analogues) if i not in repeated)


def training_figures(
    target: Observations, analogues: Observations | None, cutoff: Any
) -> Observations:
    """The figures fitted at ``cutoff``: the target's and the analogues' before it.

    Both go through :func:`split`, the one rule of what a fit may see: a figure whose last day
    is on or after ``cutoff`` never enters. Analogue figures that are target figures count once
    (:func:`analogue_figures`).

    Parameters
    ----------
    target
        The figures being forecast.
    analogues
        Figures of other series fitted jointly (may include some of ``target``'s), or
        ``None``.
    cutoff
        A date.

    Returns
    -------
    Observations
        The target's training figures, then the analogues', each in their order.

    Examples
    --------
    >>> from tokendemand import datasets
    >>> doubao, china = datasets.load("doubao"), datasets.load("china_national")
    >>> fitted = training_figures(doubao, china + doubao, "2025-03-31")
    >>> [(o.series, o.end.date().isoformat()) for o in fitted]  # doctest: +NORMALIZE_WHITESPACE
    [('doubao', '2024-05-15'), ('doubao', '2024-09-30'), ('doubao', '2024-12-18'),
     ('china_national', '2024-01-15'), ('china_national', '2025-01-15')]
    """
    own, _ = split(target, cutoff)
    if analogues is None:
        return own
    others, _ = split(analogue_figures(target, analogues), cutoff)
    return own + others


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
