"""Penetration curves and growth indices: small, pure, closed-form functions.

Every function takes time ``t`` in days, every rate and both Bass coefficients per year
(:data:`~tokendemand.units.DAYS_PER_YEAR` days), and an array namespace ``xp``: ``numpy``
(the default) or ``pytensor.tensor``. The same code therefore runs in projections (numpy
arrays, broadcast over draws and dates) and inside the PyMC model (tensors); there is no
second copy to drift. Only operators and ``xp.exp``, ``xp.log``, ``xp.maximum`` are used.

Penetration families give a share in ``[0, ceiling]``:

=========  ==========================================================================
logistic   ``ceiling / (1 + exp(-rate * (t - midpoint) / Y))``
bass       ``ceiling * (1 - e) / (1 + (q / p) * e)``, ``e = exp(-(p + q) * max(t - launch, 0) / Y)``
gompertz   ``ceiling * exp(-exp(-rate * (t - midpoint) / Y))``
=========  ==========================================================================

Growth indices are 1 at ``t_ref``:

===========  ========================================================================
exponential  ``exp(annual_rate * (t - t_ref) / Y)``
saturating   ``C / (1 + (C - 1) * exp(-r * (t - t_ref) / Y))``,
             ``C = ceiling_multiple``, ``r = annual_rate * C / (C - 1)``
constant     ``1``
===========  ========================================================================

``saturating`` is a logistic curve in levels: it grows at ``annual_rate`` (in log terms) at
``t_ref``, faster before (up to ``r``) and slower after, levelling off at ``ceiling_multiple``
times its reference value. Going back in time it falls exponentially (log-linearly), so fits
over a long history stay well behaved. It needs ``ceiling_multiple > 1`` and a positive rate.

A family (:class:`CurveFamily`) names a function and its parameters; the registries
:data:`PENETRATION_FAMILIES` and :data:`INDEX_FAMILIES` are what a
:class:`~tokendemand.structure.Structure` chooses from. Adding a family is a function plus one
registry entry; model and projection code do not change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from tokendemand.dates import DAYS_PER_YEAR
from tokendemand.errors import ConfigError

__all__ = [
    "INDEX_FAMILIES",
    "PENETRATION_FAMILIES",
    "CurveFamily",
    "bass",
    "bass_launch",
    "constant",
    "exponential",
    "family",
    "gompertz",
    "gompertz_midpoint",
    "logistic",
    "logistic_midpoint",
    "saturating",
]


def logistic(t: Any, ceiling: Any, midpoint: Any, rate: Any, xp: Any = np) -> Any:
    """Logistic penetration: half the ceiling at ``midpoint``.

    Parameters
    ----------
    t
        Time in days.
    ceiling
        Long-run penetration, a share in ``(0, 1]``.
    midpoint
        Day at which penetration is ``ceiling / 2``.
    rate
        Steepness per year; the share goes from 27% to 73% of the ceiling in ``2 / rate`` years.
    xp
        Array namespace: ``numpy`` or ``pytensor.tensor``.

    Examples
    --------
    >>> float(logistic(100.0, ceiling=0.4, midpoint=100.0, rate=1.0))
    0.2
    """
    # ceiling / (1 + exp(-x)), written so that decades from the midpoint nothing overflows
    return ceiling * xp.exp(-xp.logaddexp(0.0, -rate * (t - midpoint) / DAYS_PER_YEAR))


def bass(t: Any, ceiling: Any, p: Any, q: Any, launch: Any, xp: Any = np) -> Any:
    """Bass diffusion: cumulative adoption share, zero before ``launch``.

    Parameters
    ----------
    t
        Time in days.
    ceiling
        Market potential as a share in ``(0, 1]``.
    p, q
        Coefficients of innovation and imitation, per year (``p > 0``).
    launch
        Day adoption starts.
    xp
        Array namespace: ``numpy`` or ``pytensor.tensor``.

    Examples
    --------
    >>> float(bass(0.0, ceiling=0.5, p=0.03, q=0.38, launch=0.0))
    0.0
    """
    elapsed = xp.maximum(t - launch, 0.0) / DAYS_PER_YEAR
    decay = xp.exp(-(p + q) * elapsed)
    return ceiling * (1.0 - decay) / (1.0 + (q / p) * decay)


def gompertz(t: Any, ceiling: Any, midpoint: Any, rate: Any, xp: Any = np) -> Any:
    """Gompertz penetration: ``ceiling / e`` at its inflection day ``midpoint``.

    Parameters
    ----------
    t
        Time in days.
    ceiling
        Long-run penetration, a share in ``(0, 1]``.
    midpoint
        Inflection day, where penetration is ``ceiling / e`` and grows fastest.
    rate
        Steepness per year.
    xp
        Array namespace: ``numpy`` or ``pytensor.tensor``.
    """
    return ceiling * xp.exp(-xp.exp(-rate * (t - midpoint) / DAYS_PER_YEAR))


def exponential(t: Any, annual_rate: Any, t_ref: Any = 0.0, xp: Any = np) -> Any:
    """Exponential growth index, 1 at ``t_ref`` and ``exp(annual_rate)`` a year later.

    Parameters
    ----------
    t
        Time in days.
    annual_rate
        Continuous growth rate per year (``log(2)`` doubles every year).
    t_ref
        Day at which the index is 1.
    xp
        Array namespace: ``numpy`` or ``pytensor.tensor``.

    Examples
    --------
    >>> round(float(exponential(365.25, annual_rate=np.log(2.0))), 12)
    2.0
    """
    return xp.exp(annual_rate * (t - t_ref) / DAYS_PER_YEAR)


def saturating(
    t: Any, annual_rate: Any, ceiling_multiple: Any, t_ref: Any = 0.0, xp: Any = np
) -> Any:
    """Logistic growth index: 1 at ``t_ref``, growing at ``annual_rate`` there, levelling off
    at ``ceiling_multiple``.

    ``C / (1 + (C - 1) * exp(-r * (t - t_ref) / Y))`` with ``C = ceiling_multiple`` and
    ``r = annual_rate * C / (C - 1)``, so the log-growth rate is ``annual_rate`` at ``t_ref``,
    ``r`` long before it (growth was faster in the past) and falls to 0 as the index
    approaches ``C``.

    Parameters
    ----------
    t
        Time in days.
    annual_rate
        Continuous growth rate per year at ``t_ref`` (``> 0``).
    ceiling_multiple
        Long-run value of the index relative to ``t_ref`` (``> 1``).
    t_ref
        Day at which the index is 1.
    xp
        Array namespace: ``numpy`` or ``pytensor.tensor``.

    Examples
    --------
    >>> float(saturating(0.0, annual_rate=0.5, ceiling_multiple=4.0))
    1.0
    >>> round(float(saturating(1e5, annual_rate=0.5, ceiling_multiple=4.0)), 12)
    4.0
    """
    excess = ceiling_multiple - 1.0
    rate = annual_rate * ceiling_multiple / excess
    return ceiling_multiple / (1.0 + excess * xp.exp(-rate * (t - t_ref) / DAYS_PER_YEAR))


def constant(t: Any, xp: Any = np) -> Any:
    """Index fixed at 1 (the lever does not change); same shape as ``t``.

    Examples
    --------
    >>> constant(np.array([-5.0, 0.0, 5.0])).tolist()
    [1.0, 1.0, 1.0]
    """
    return xp.ones_like(t) if hasattr(t, "shape") else 1.0


def logistic_midpoint(level: Any, ceiling: Any, rate: Any, xp: Any = np) -> Any:
    """Midpoint (day) that puts a logistic curve at ``level`` on day 0.

    Inverse of :func:`logistic` in its midpoint, for ``0 < level < ceiling``.

    Examples
    --------
    >>> m = logistic_midpoint(0.05, ceiling=0.5, rate=1.0)
    >>> round(float(logistic(0.0, 0.5, m, 1.0)), 12)
    0.05
    """
    return DAYS_PER_YEAR / rate * xp.log(ceiling / level - 1.0)


def gompertz_midpoint(level: Any, ceiling: Any, rate: Any, xp: Any = np) -> Any:
    """Inflection day that puts a Gompertz curve at ``level`` on day 0 (``0 < level < ceiling``).

    Examples
    --------
    >>> m = gompertz_midpoint(0.05, ceiling=0.5, rate=1.0)
    >>> round(float(gompertz(0.0, 0.5, m, 1.0)), 12)
    0.05
    """
    return DAYS_PER_YEAR / rate * xp.log(-xp.log(level / ceiling))


def bass_launch(level: Any, ceiling: Any, p: Any, q: Any, xp: Any = np) -> Any:
    """Launch day that puts a Bass curve at ``level`` on day 0 (``0 < level < ceiling``).

    Examples
    --------
    >>> launch = bass_launch(0.05, ceiling=0.5, p=0.03, q=0.38)
    >>> round(float(bass(0.0, 0.5, 0.03, 0.38, launch)), 12)
    0.05
    """
    adopted = level / ceiling
    decay = (1.0 - adopted) / (1.0 + adopted * q / p)
    return DAYS_PER_YEAR * xp.log(decay) / (p + q)


@dataclass(frozen=True)
class CurveFamily:
    """A named curve: its function, its parameters and what it describes.

    Parameters
    ----------
    name
        Registry key, e.g. ``"logistic"``.
    function
        The curve, called as ``function(t, **values, xp=xp)``.
    parameters
        Names of the values it needs, in order.
    kind
        ``"penetration"`` (a share) or ``"index"`` (1 at the reference date).
    date_parameters
        Parameters that are days (e.g. ``midpoint``), so a date may be given for them.
    anchor
        For penetration families: ``(name, function)``, where ``function(level, **others,
        xp=xp)`` returns the date parameter ``name`` that puts the curve at ``level`` on day 0,
        given the family's other parameters by name. The model samples the level on the
        reference date instead of the date parameter: the data and surveys speak to the level.
    """

    name: str
    function: Callable[..., Any]
    parameters: tuple[str, ...]
    kind: Literal["penetration", "index"]
    date_parameters: tuple[str, ...] = ()
    anchor: tuple[str, Callable[..., Any]] | None = None

    def __call__(self, t: Any, values: Mapping[str, Any], xp: Any = np) -> Any:
        """Evaluate the curve at ``t`` with parameter ``values`` (extra keys are an error)."""
        missing = [p for p in self.parameters if p not in values]
        extra = [k for k in values if k not in self.parameters]
        if missing or extra:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(missing)}")
            if extra:
                problems.append(f"unknown {', '.join(extra)}")
            raise ConfigError(
                f"{self.kind} family {self.name!r} takes parameters "
                f"({', '.join(self.parameters) or 'none'}): {'; '.join(problems)}"
            )
        return self.function(t, **{p: values[p] for p in self.parameters}, xp=xp)


PENETRATION_FAMILIES: dict[str, CurveFamily] = {
    "logistic": CurveFamily(
        "logistic",
        logistic,
        ("ceiling", "midpoint", "rate"),
        "penetration",
        ("midpoint",),
        ("midpoint", logistic_midpoint),
    ),
    "bass": CurveFamily(
        "bass",
        bass,
        ("ceiling", "p", "q", "launch"),
        "penetration",
        ("launch",),
        ("launch", bass_launch),
    ),
    "gompertz": CurveFamily(
        "gompertz",
        gompertz,
        ("ceiling", "midpoint", "rate"),
        "penetration",
        ("midpoint",),
        ("midpoint", gompertz_midpoint),
    ),
}
"""Penetration families by name."""

INDEX_FAMILIES: dict[str, CurveFamily] = {
    "exponential": CurveFamily("exponential", exponential, ("annual_rate",), "index"),
    "saturating": CurveFamily(
        "saturating", saturating, ("annual_rate", "ceiling_multiple"), "index"
    ),
    "constant": CurveFamily("constant", constant, (), "index"),
}
"""Growth-index families by name; in a structure each is 1 at the reference date."""


def family(name: str, kind: Literal["penetration", "index"]) -> CurveFamily:
    """Look up a family by name, with an error that lists the valid names.

    Examples
    --------
    >>> family("bass", "penetration").parameters
    ('ceiling', 'p', 'q', 'launch')
    """
    registry = PENETRATION_FAMILIES if kind == "penetration" else INDEX_FAMILIES
    try:
        return registry[name]
    except KeyError:
        raise ConfigError(
            f"unknown {kind} family {name!r}; choose one of: {', '.join(sorted(registry))}"
        ) from None
