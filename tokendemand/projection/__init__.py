"""Projection: the one equation evaluated over scenarios, draws and dates, and what to ask of it.

* :func:`project` -> :class:`Projection` (an :class:`xarray.Dataset` over
  ``(scenario, draw, date)``) with its analyses: :meth:`Projection.multiplier`,
  :meth:`Projection.attribution`, :meth:`Projection.break_even` (:class:`BreakEven`);
* :func:`goal_seek` -> :class:`GoalSeek`: which lever value gives a target multiplier by a date;
* :func:`sweep`: many scenarios (a space, :func:`sample_space`) to reduced outputs
  (:class:`Total`, :class:`AgentShare`, :class:`Multiplier`, :class:`BreakEvenDate`) over
  ``(scenario, draw)``, in blocks, here or as dask tasks;
* :func:`sensitivity`: Sobol' indices (the posterior draws as one input) or one-at-a-time
  swings of one output; :func:`load_study` and :func:`study_tables` for studies in TOML.

Modules: :mod:`~tokendemand.projection.plan` (sources and scenarios resolved into plans),
:mod:`~tokendemand.projection.result` (:func:`project`, :class:`Projection`),
:mod:`~tokendemand.projection.analyses`, :mod:`~tokendemand.projection.goal_seek`,
:mod:`~tokendemand.projection.space` (scenario spaces), :mod:`~tokendemand.projection.outputs`,
:mod:`~tokendemand.projection.sweep`, :mod:`~tokendemand.projection.sensitivity` and
:mod:`~tokendemand.projection.study`.
"""

from __future__ import annotations

from tokendemand.projection.analyses import BreakEven
from tokendemand.projection.goal_seek import GoalSeek, goal_seek
from tokendemand.projection.outputs import AgentShare, BreakEvenDate, Multiplier, Total
from tokendemand.projection.plan import DIMS, PosteriorSource
from tokendemand.projection.result import DEFAULT_VARIABLES, Projection, project
from tokendemand.projection.sensitivity import sensitivity
from tokendemand.projection.space import row_scenario, sample_space
from tokendemand.projection.study import load_study, study_tables
from tokendemand.projection.sweep import sweep

__all__ = [
    "DEFAULT_VARIABLES",
    "DIMS",
    "AgentShare",
    "BreakEven",
    "BreakEvenDate",
    "GoalSeek",
    "Multiplier",
    "PosteriorSource",
    "Projection",
    "Total",
    "goal_seek",
    "load_study",
    "project",
    "row_scenario",
    "sample_space",
    "sensitivity",
    "study_tables",
    "sweep",
]
