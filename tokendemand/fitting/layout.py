"""Which series a fit models how: reference series, growth units, launches and coverage.

A fit of several series lays them out once (:func:`series_layout`), from the figures alone:

- each market has a **reference series**, the one whose level is the market's level: the mature
  series (no launch date) with the most level figures, ties going to the first seen; a market
  whose series all carry a launch date takes its launching series with the most level figures,
  treated as mature (:attr:`SeriesLayout.notes` says so); a market with no level figure at all
  (agent evidence only) has none;
- **units** are the curves with their own growth levers: one per market (its reference series,
  or the market itself when it has none) first, in market order, then every other mature series
  with level, ratio or share figures;
- **launches** are the series with a launch date (other than a reference series), when launch
  phases are used (not under ``pooling="complete"``): their level is the market's times a share
  that diffuses from launch;
- **covered** series are the mature non-reference series with level or share figures: each has
  a coverage factor (its share of its market on the reference date).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.errors import ConfigError
from tokendemand.observations.schema import LEVEL_KINDS

__all__ = ["SERIES_TARGETS", "SeriesLayout", "series_layout", "total_centres", "unseen_members"]

SERIES_TARGETS: Final[tuple[str, ...]] = ("level", "ratio", "share")
"""Targets that speak to a series' own level or growth (the agent targets speak to a market)."""


@dataclass(frozen=True)
class SeriesLayout:
    """How the series of a fit are modelled (built by :func:`series_layout`)."""

    markets: tuple[str, ...]
    reference_series: Mapping[str, str]
    units: tuple[tuple[str, str], ...]
    launches: tuple[tuple[str, str], ...]
    launch_dates: tuple[pd.Timestamp, ...]
    covered: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()


def series_layout(
    rows: Sequence[Any],
    targets: Sequence[str],
    requested: Mapping[str, str] | None = None,
    use_launch: bool = True,
) -> SeriesLayout:
    """Lay out the series of ``rows`` (observations, with their model target in ``targets``).

    Parameters
    ----------
    rows
        Observations (objects with ``market``, ``series`` and an optional ``launch``).
    targets
        Model target of each row (``level``, ``ratio``, ``share``, or an agent target).
    requested
        Reference series by market, overriding the default choice.
    use_launch
        Model series with a launch date as launching products (``False``: as mature series).

    Raises
    ------
    ConfigError
        If ``requested`` names a market or series not in the rows.
    """
    markets = tuple(dict.fromkeys(o.market for o in rows))
    launch: dict[tuple[str, str], pd.Timestamp | None] = {}
    counts: dict[str, Counter[tuple[str, str]]] = {m: Counter() for m in markets}
    seen: dict[str, set[str]] = {m: set() for m in markets}
    modelled: list[tuple[str, str]] = []
    for o, target in zip(rows, targets, strict=True):
        key = (o.market, o.series)
        seen[o.market].add(o.series)
        day = getattr(o, "launch", None)
        launch[key] = pd.Timestamp(day) if day is not None and use_launch else None
        if target == "level":
            counts[o.market][key] += 1
        if target in SERIES_TARGETS and key not in modelled:
            modelled.append(key)

    chosen: dict[str, str] = {}
    notes: list[str] = []
    for market in markets:
        mature = Counter({k: n for k, n in counts[market].items() if launch[k] is None})
        if mature:
            chosen[market] = mature.most_common(1)[0][0][1]
        elif counts[market]:
            key = counts[market].most_common(1)[0][0]
            chosen[market] = key[1]
            notes.append(
                f"market {market!r} has no mature series: its launching series {key[1]!r} is "
                "its reference and is modelled as mature (its launch date is not used)"
            )
    problems = []
    for market, series in dict(requested or {}).items():
        if market not in markets:
            problems.append(
                f"reference_series names market {market!r}, not in the data {list(markets)}"
            )
        elif series not in seen[market]:
            problems.append(
                f"reference series {series!r} has no figure in market {market!r}; "
                f"its series are {sorted(seen[market])}"
            )
        else:
            chosen[market] = series
    if problems:
        raise ConfigError("; ".join(problems))

    references = {(m, s) for m, s in chosen.items()}
    units = [(m, chosen.get(m, "")) for m in markets]
    launches: list[tuple[str, str]] = []
    covered: list[tuple[str, str]] = []
    for key in modelled:
        if key in references:
            continue
        if launch[key] is not None:
            launches.append(key)
            continue
        units.append(key)
        if any(
            (o.market, o.series) == key and t in ("level", "share")
            for o, t in zip(rows, targets, strict=True)
        ):
            covered.append(key)
    return SeriesLayout(
        markets=markets,
        reference_series=chosen,
        units=tuple(units),
        launches=tuple(launches),
        launch_dates=tuple(pd.Timestamp(day) for k in launches if (day := launch[k]) is not None),
        covered=tuple(covered),
        notes=tuple(notes),
    )


def total_centres(
    rows: list[Any], markets: tuple[str, ...], chosen: Mapping[str, str], reference: pd.Timestamp
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Prior centre of each market's log total on ``reference``: the log of its reference
    series' level figure nearest that date (a total divided by its days), exact figures first."""
    centres = np.zeros(len(markets))
    for i, market in enumerate(markets):
        candidates = [
            o
            for o in rows
            if o.market == market and o.series == chosen.get(market) and o.kind in LEVEL_KINDS
        ]
        if not candidates:
            continue  # a market with ratios only: its level is not identified and not used
        best = min(
            candidates,
            key=lambda o: (o.bound is not None, abs((pd.Timestamp(o.end) - reference).days)),
        )
        per_day = float(best.value)
        if best.kind == "total":
            per_day /= (pd.Timestamp(best.end) - pd.Timestamp(best.start)).days + 1
        centres[i] = np.log(per_day)
    return centres


def unseen_members(
    rows: Sequence[Any],
    targets: Sequence[str],
    curves: Mapping[tuple[str, str], int],
    covered: Sequence[tuple[str, str]],
    launches: Sequence[tuple[str, str]],
    reference_series: Mapping[str, str],
    markets: Sequence[str],
) -> list[str]:
    """Series and markets of ``rows`` that a fit's layout has no curve or coverage for.

    Each is named ``market/series`` (or ``market <name>``), sorted; empty when the layout
    predicts every row (a fit's layout applied to held-out figures).
    """
    pairs = list(zip(rows, targets, strict=True))
    on_curves = {
        f"{o.market}/{o.series}"
        for o, t in pairs
        if t in SERIES_TARGETS and (o.market, o.series) not in curves
    }
    levels = {
        f"{o.market}/{o.series}"
        for o, t in pairs
        if t in ("level", "share")
        and (o.market, o.series) not in covered
        and (o.market, o.series) not in launches
        and reference_series.get(o.market) != o.series
    }
    return sorted(
        on_curves | levels | {f"market {o.market}" for o in rows if o.market not in markets}
    )
