"""The level figures of a market in tokens per day, and what a chart of them leaves out.

A fan chart of tokens/day and the report's table of figures show the same published levels:
:func:`observed_levels` selects them once (a ``total`` divided by its days, ``point`` and
``mean`` as given) and says, in words, which figures it leaves out and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokendemand.observations.collection import Observations
from tokendemand.observations.schema import LEVEL_KINDS

__all__ = ["ObservedLevels", "observed_levels"]


@dataclass(frozen=True)
class ObservedLevels:
    """The published figures a fan chart of tokens/day can show, and what it leaves out.

    Attributes
    ----------
    frame
        One row per figure drawn: ``series``, ``source``, ``url``, ``kind``, ``bound``,
        ``start``, ``end`` (inclusive), ``days`` and ``per_day`` (tokens/day: a ``total``
        divided by its days, ``point`` and ``mean`` as given).
    notes
        One sentence per group of figures left out and why (ratios and shares are not levels;
        sub-series are measured on their own scale).
    """

    frame: pd.DataFrame
    notes: tuple[str, ...]


def observed_levels(
    observations: Observations, market: str | None = None, series: str | None = None
) -> ObservedLevels:
    """The level figures of one market (and series) in tokens/day.

    Parameters
    ----------
    observations
        Any observations.
    market
        Keep this market only (``None`` or empty: every market).
    series
        Keep this series only, e.g. the market's reference series
        (``fit.design.reference_series[market]``): other series cover part of the market
        (a coverage factor) and sit on another scale.

    Examples
    --------
    >>> from tokendemand import datasets
    >>> levels = observed_levels(datasets.load("seed"), "openrouter", "openrouter_total")
    >>> levels.frame[["kind", "days", "per_day"]].values.tolist()
    [['total', 7, 4128571428571.4287]]
    >>> levels.notes[0]
    '1 ratio figure of openrouter_total not shown: not a level'
    """
    frame = observations.to_frame()
    if market:
        frame = frame[frame["market"] == market]
    notes: list[str] = []
    is_level = frame["kind"].isin(LEVEL_KINDS)
    others = frame[~is_level]
    if series is not None:
        others = others[others["series"] == series]
    for kind, group in others.groupby("kind", sort=True):
        count = len(group)
        names = ", ".join(sorted(set(group["series"])))
        notes.append(
            f"{count} {kind} figure{'s' if count > 1 else ''} of {names} not shown: not a level"
        )
    levels = frame[is_level]
    if series is not None:
        sub = levels[levels["series"] != series]
        for name, group in sub.groupby("series", sort=True):
            count = len(group)
            notes.append(
                f"{count} level figure{'s' if count > 1 else ''} of {name} not shown: a "
                "sub-series on its own scale"
            )
        levels = levels[levels["series"] == series]
    per_day = np.where(
        levels["kind"] == "total", levels["value"] / levels["days"], levels["value"]
    ).astype(float)
    drawn = pd.DataFrame(
        {
            "series": levels["series"].to_numpy(),
            "source": levels["source"].to_numpy(),
            "url": levels["url"].to_numpy(),
            "kind": levels["kind"].to_numpy(),
            "bound": levels["bound"].to_numpy(),
            "start": levels["start"].to_numpy(),
            "end": levels["end"].to_numpy(),
            "days": levels["days"].to_numpy(),
            "per_day": per_day,
        }
    )
    return ObservedLevels(drawn.reset_index(drop=True), tuple(notes))
