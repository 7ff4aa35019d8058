"""Scenarios: what changes from the fitted trajectory, lever by lever.

A :class:`Scenario` leaves each lever (``users``, ``chatbot``, ``penetration``, ``complexity``,
``usage``) to the posterior or changes it in one of four ways, from the scenario's ``start``
(the reference date unless given):

==========================  ====================================================================
mode                        effect after ``start`` (before it the lever is the posterior's)
==========================  ====================================================================
``Scale(f)``                an index's log-growth since ``start`` is multiplied by ``f``; for
                            penetration, time runs ``f`` times faster (``pi(s + f * (t - s))``).
                            Continuous at ``start``.
``Growth(r)``               an index grows at the continuous annual rate ``r`` from its value at
                            ``start`` (``Growth.per_year(4.0)``: four times a year). Indices only.
``Pin([(date, value)...])`` the lever follows the points, linearly interpolated and held after
                            the last; between ``start`` and the first point it moves linearly
                            from its posterior value at ``start`` to the first value. Index
                            values are relative to the reference date (where every index is 1).
``Override(name=value)``    the lever's family parameters are replaced, e.g.
                            ``Override(ceiling=0.6)``: a different curve over the **whole** path.
==========================  ====================================================================

A scenario may also set ``intensity_ratio`` (``rho``), or ``break_even_penetration`` (``rho``
then follows per draw from :func:`~tokendemand.structure.intensity_ratio_for_break_even` and the
draw's substitution share), and ``substitution``. With ``recalibrate=True`` (the default) the
scale ``b_r`` is reset per draw so that total tokens on the reference date stay what the data
pinned; ``recalibrate=False`` keeps the posterior's ``b_r``.

Built-in scenarios come from :func:`builtin`; :func:`load_toml` reads a file of scenarios in the
format of :func:`example_path` (shown in full in its docstring).
"""

from __future__ import annotations

from tokendemand.scenarios.catalog import (
    BASS_PQ_AVERAGE,
    BASS_PQ_LOWER_QUARTILE,
    BASS_PQ_UPPER_QUARTILE,
    BUILTIN_NAMES,
    FORMAT_VERSION,
    builtin,
    example_path,
    load_toml,
)
from tokendemand.scenarios.changes import Change, Growth, Override, Pin, Scale
from tokendemand.scenarios.scenario import Scenario

__all__ = [
    "BASS_PQ_AVERAGE",
    "BASS_PQ_LOWER_QUARTILE",
    "BASS_PQ_UPPER_QUARTILE",
    "BUILTIN_NAMES",
    "FORMAT_VERSION",
    "Change",
    "Growth",
    "Override",
    "Pin",
    "Scale",
    "Scenario",
    "builtin",
    "example_path",
    "load_toml",
]
