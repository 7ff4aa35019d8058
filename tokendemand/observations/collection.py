"""A validated, immutable collection of observations, its arrays for the model and its CSV
form."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from typing import Any, overload

import numpy as np
import pandas as pd

from tokendemand.dates import iso
from tokendemand.errors import DataError
from tokendemand.observations.checks import (
    duplicate_message,
    duplicates,
    launch_conflicts,
    launch_message,
)
from tokendemand.observations.observation import Observation
from tokendemand.observations.schema import COLUMNS, CONFIDENCES, KINDS

__all__ = ["Observations"]


class Observations(Sequence[Observation]):
    """A validated, immutable collection of :class:`Observation`.

    Supports ``len``, iteration, indexing (a slice gives an ``Observations``), ``==`` (same
    observations in the same order) and ``+`` (concatenation, validated again). Duplicates
    (see :mod:`tokendemand.observations`) are rejected.

    The arrays :attr:`values`, :attr:`kinds`, :attr:`series`, :attr:`markets`,
    :attr:`sources`, :attr:`confidence` and :attr:`bounds` hold one entry per observation, in
    order; :meth:`to_frame` gives the same as a DataFrame.

    Parameters
    ----------
    observations
        The observations, in order.

    Raises
    ------
    DataError
        If some observations are duplicates, naming them by position.
    """

    __slots__ = ("_items",)

    def __init__(self, observations: Iterable[Observation] = ()) -> None:
        items = tuple(observations)
        for position, item in enumerate(items):
            if not isinstance(item, Observation):
                raise TypeError(
                    f"observations[{position}] is a {type(item).__name__}, not an Observation"
                )
        lines = [
            f"  observations[{first}] and [{later}]: {duplicate_message(items[first], conflicting)}"
            for first, later, conflicting in duplicates(items)
        ]
        for market, series, launches in launch_conflicts(items):
            where = {
                launch: "observations[" + "], [".join(map(str, positions)) + "]"
                for launch, positions in launches.items()
            }
            lines.append(f"  {launch_message(market, series, where)}")
        if lines:
            raise DataError(
                f"{len(lines)} problem(s) with these observations, duplicates or launch dates "
                "(positions are 0-based):\n" + "\n".join(lines)
            )
        self._items: tuple[Observation, ...] = items

    @classmethod
    def _from_checked(cls, items: Iterable[Observation]) -> Observations:
        """A collection of observations known to hold no duplicates (checked once, where they
        were read, filtered or sliced from a checked collection)."""
        made = object.__new__(cls)
        made._items = tuple(items)
        return made

    # -- the sequence protocol
    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Observation]:
        return iter(self._items)

    @overload
    def __getitem__(self, index: int) -> Observation: ...
    @overload
    def __getitem__(self, index: slice) -> Observations: ...
    def __getitem__(self, index: int | slice) -> Observation | Observations:
        if isinstance(index, slice):
            return Observations._from_checked(self._items[index])
        return self._items[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Observations):
            return NotImplemented
        return self._items == other._items

    def __hash__(self) -> int:
        return hash(self._items)

    def __add__(self, other: Observations) -> Observations:
        if not isinstance(other, Observations):
            return NotImplemented
        return Observations(self._items + other._items)

    def _repr_html_(self) -> str:
        """The figures as a table, for Jupyter."""
        from tokendemand.notebook import observations_html

        return observations_html(self.to_frame())

    def __repr__(self) -> str:
        series = sorted(set(self.series.tolist()))
        return f"Observations(n={len(self)}, series={series})"

    # -- arrays for the model
    @property
    def values(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Values in canonical units (see :class:`Observation`)."""
        return np.array([obs.value for obs in self._items], dtype=np.float64)

    @property
    def kinds(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Kinds, one of :data:`KINDS` each."""
        return np.array([obs.kind for obs in self._items], dtype=np.str_)

    @property
    def series(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Series names."""
        return np.array([obs.series for obs in self._items], dtype=np.str_)

    @property
    def markets(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Market names."""
        return np.array([obs.market for obs in self._items], dtype=np.str_)

    @property
    def sources(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Sources (publications)."""
        return np.array([obs.source for obs in self._items], dtype=np.str_)

    @property
    def confidence(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Confidence grades: ``high``, ``medium`` or ``low``."""
        return np.array([obs.confidence for obs in self._items], dtype=np.str_)

    @property
    def launches(self) -> np.ndarray[Any, np.dtype[np.object_]]:
        """Launch days (:class:`pandas.Timestamp`) of launch-phase series, ``None`` for mature
        ones."""
        return np.array([obs.launch for obs in self._items], dtype=object)

    @property
    def bounds(self) -> np.ndarray[Any, np.dtype[np.object_]]:
        """``None`` (exact), ``"lower"`` or ``"upper"``; ``obs.bounds == "lower"`` is a mask."""
        return np.array([obs.bound for obs in self._items], dtype=object)

    def date_range(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """Earliest and latest day any observation touches, ratio base periods included.

        Raises
        ------
        DataError
            If the collection is empty.
        """
        if not self._items:
            raise DataError("no observations, so no date range; load or read some first")
        starts = [obs.start for obs in self._items]
        starts += [obs.base_start for obs in self._items if obs.base_start is not None]
        ends = [obs.end for obs in self._items]
        ends += [obs.base_end for obs in self._items if obs.base_end is not None]
        return min(starts), max(ends)

    def to_frame(self) -> pd.DataFrame:
        """One row per observation; columns are the :class:`Observation` fields plus ``days``.

        ``start``, ``end``, ``base_start``, ``base_end`` and ``launch`` are datetime columns
        (NaT where a ratio base does not apply, and where a series is mature); ``bound``
        holds ``None``, ``"lower"`` or ``"upper"``.
        """
        names = [f.name for f in fields(Observation)]
        frame = pd.DataFrame(
            {name: [getattr(obs, name) for obs in self._items] for name in names},
            columns=names,
        )
        for name in ("start", "end", "base_start", "base_end", "launch"):
            frame[name] = pd.to_datetime(frame[name])
        frame["value"] = frame["value"].astype(np.float64)
        frame["days"] = np.array([obs.days for obs in self._items], dtype=np.int64)
        frame["bound"] = pd.Series([obs.bound for obs in self._items], dtype=object)
        return frame

    def filter(
        self,
        series: str | Iterable[str] | None = None,
        market: str | Iterable[str] | None = None,
        source: str | None = None,
        kind: str | Iterable[str] | None = None,
        confidence: str | Iterable[str] | None = None,
        launched: bool | None = None,
    ) -> Observations:
        """The observations that match every criterion given.

        Parameters
        ----------
        series, market, kind, confidence
            A name or several; an observation matches if it has one of them.
        source
            Text that the source must contain (case-insensitive), e.g. ``"a16z"``.
        launched
            ``True`` keeps the figures of products in their launch phase (with a ``launch``
            date), ``False`` those of mature series; ``None`` keeps both.

        Raises
        ------
        DataError
            For a kind or confidence that does not exist, or a series or market that no
            observation has (usually a typo); the message lists the names present.
        """
        wanted: dict[str, set[str]] = {}
        for name, given, allowed, what in (
            ("series", series, {obs.series for obs in self._items}, "present"),
            ("market", market, {obs.market for obs in self._items}, "present"),
            ("kind", kind, set(KINDS), "that exist"),
            ("confidence", confidence, set(CONFIDENCES), "that exist"),
        ):
            if given is None:
                continue
            names = {given} if isinstance(given, str) else set(given)
            unknown = sorted(names - allowed)
            if unknown:
                raise DataError(
                    f"no {name} {', '.join(map(repr, unknown))} here; "
                    f"{name} values {what}: {', '.join(sorted(allowed)) or 'none'}"
                )
            wanted[name] = names
        needle = source.lower() if source is not None else None
        return Observations._from_checked(
            obs
            for obs in self._items
            if all(getattr(obs, name) in names for name, names in wanted.items())
            and (needle is None or needle in obs.source.lower())
            and (launched is None or (obs.launch is not None) == launched)
        )

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str | None:
        """Write the observations in the CSV schema of :func:`read_observations`.

        Values and units are written as they were read (``28.9T``, ``tokens/week``), so reading
        the file again gives an equal collection.

        Parameters
        ----------
        path
            File to write (UTF-8); ``None`` returns the text instead.
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for obs in self._items:
            one_day = obs.start == obs.end
            row = {
                "series": obs.series,
                "market": obs.market,
                "kind": obs.kind,
                "date": iso(obs.start) if one_day else "",
                "period_start": "" if one_day else iso(obs.start),
                "period_end": "" if one_day else iso(obs.end),
                "base_start": iso(obs.base_start),
                "base_end": iso(obs.base_end),
                "value": obs.value_text if obs.value_text is not None else repr(obs.value),
                "unit": obs.unit,
                "source": obs.source,
                "url": obs.url,
                "confidence": obs.confidence,
                "bound": obs.bound or "",
                "proxy": obs.proxy,
                "launch": iso(obs.launch),
                "note": obs.note,
            }
            writer.writerow([row[column] for column in COLUMNS])
        text = buffer.getvalue()
        if path is None:
            return text
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return None
