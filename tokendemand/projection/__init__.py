"""Projection: the one equation evaluated over scenarios, draws and dates, and what to ask of it.

* :func:`project` -> :class:`Projection` (an :class:`xarray.Dataset` over
  ``(scenario, draw, date)``) with its analyses: :meth:`Projection.multiplier`,
  :meth:`Projection.attribution`, :meth:`Projection.break_even` (:class:`BreakEven`);
* :func:`goal_seek` -> :class:`GoalSeek`: which lever value gives a target multiplier by a date.

Modules: :mod:`~tokendemand.projection.plan` (sources and scenarios resolved into plans),
:mod:`~tokendemand.projection.result` (:func:`project`, :class:`Projection`),
:mod:`~tokendemand.projection.analyses` and :mod:`~tokendemand.projection.goal_seek`.
"""

from __future__ import annotations

from tokendemand.projection.analyses import BreakEven
from tokendemand.projection.goal_seek import GoalSeek, goal_seek
from tokendemand.projection.plan import DIMS, PosteriorSource
from tokendemand.projection.result import Projection, project

__all__ = ["DIMS", "BreakEven", "GoalSeek", "PosteriorSource", "Projection", "goal_seek", "project"]
