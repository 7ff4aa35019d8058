"""The structural equation, written once, and its closed forms.

For one market and day ``t`` the library models total tokens per day as a chatbot baseline plus
an agent layer. Absolute user counts and per-user intensities are not identifiable from volume
data, so everything is relative to a reference date ``t_r``::

    D(t) = b_r * n(t) * ( u(t) * (1 - s * pi(t))  +  rho * pi(t) * k(t) * h(t) )
                         \\_____ chatbot ______/    \\________ agent ________/

======  ==================  ===============================================================
symbol  lever / parameter   meaning
======  ==================  ===============================================================
b_r     ``scale``           chatbot tokens per day at ``t_r`` (when ``s = 0``)
n       ``users``           user base relative to ``t_r``
u       ``chatbot``         chatbot tokens per user per day, relative to ``t_r``
pi      ``penetration``     agent penetration, a share of users in ``[0, 1]``
k       ``complexity``      tokens per agent task, relative to ``t_r``
h       ``usage``           agent tasks per agent user per day, relative to ``t_r``
rho     ``intensity_ratio`` agent-to-chatbot tokens per user per day at ``t_r``
s       ``substitution``    share of agent users who stop counting as chatbot users
======  ==================  ===============================================================

Closed forms: agents equal chatbots when ``pi = u / (rho * k * h + s * u)``
(:func:`break_even_penetration`); CICC's moderate case, break-even at 8% on the reference date,
gives ``rho = (1 - s * 0.08) / 0.08`` (:func:`intensity_ratio_for_break_even`): 12.5 without
substitution, 11.5 with full substitution.

:func:`evaluate` is the one implementation of the equation. It uses only operators and the
curve functions, so it runs on floats, on numpy arrays broadcast over (scenario, draw, date), and
on pytensor tensors inside the PyMC model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.curves import CurveFamily, family
from tokendemand.dates import DateLike, days_since, to_day
from tokendemand.errors import ConfigError

__all__ = [
    "COMPONENTS",
    "LEVERS",
    "POOLING",
    "DateLike",
    "Parameters",
    "Structure",
    "agent_share",
    "break_even_penetration",
    "combine",
    "evaluate",
    "evaluate_levers",
    "growth_multiplier",
    "intensity_ratio_for_break_even",
]

LEVERS: Final[tuple[str, ...]] = ("users", "chatbot", "penetration", "complexity", "usage")
"""The five levers of the equation, in the order reports list them."""

COMPONENTS: Final[tuple[str, ...]] = (
    "total",
    "chatbot",
    "agent",
    "penetration",
    "complexity",
    "usage",
    "users",
    "chatbot_intensity",
    "agent_share",
    "break_even_penetration",
)
"""Names of everything :func:`evaluate` returns. ``chatbot`` and ``agent`` are tokens per day;
``chatbot_intensity`` is the chatbot index ``u``; ``users``, ``complexity``, ``usage`` are the
indices ``n``, ``k``, ``h``."""

POOLING: Final[tuple[str, ...]] = ("partial", "none", "complete")
"""How a fit of several series shares what it learns (:class:`Structure` ``pooling``)."""


@dataclass(frozen=True)
class Structure:
    """Which curve family drives each lever.

    The defaults are the ones fits start from:

    - growing levers saturate: the public series decelerate (the bundled China series grows
      more slowly in 2026 than in 2024-25), which exponential indices cannot follow, and
      exponential indices projected five years ahead explode;
    - users and chatbot intensity both multiply the baseline, so volume figures cannot tell
      their growth apart; both saturate, with priors carrying the split. How this default
      and its variants forecast held-out figures against the baselines is measured by
      ``scripts/backtest_docs.py`` into ``docs/backtest.md``, and what it cannot do is in
      ``docs/limitations.md``;
    - usage is constant: complexity and usage enter only as their product ``k * h``, so
      complexity carries the growth of agent intensity.

    Give a lever its own family when figures speak to it (per-user intensity, tasks per agent
    user). ``pooling`` says how a fit of several series shares what it learns: ``"partial"``
    (default; population -> market -> series, each mature series with its own users growth,
    each market its own chatbot intensity, ``rho`` and penetration, a launching product its
    market times a share diffusing from launch, all drawn from learned populations; one series
    gives the single-series model), ``"none"`` (the same parameters, nothing shared) or
    ``"complete"`` (one set of levers; the model before pooling); equations in
    :mod:`tokendemand.fitting.parametrization`.

    Parameters
    ----------
    penetration
        A name in :data:`~tokendemand.curves.PENETRATION_FAMILIES`.
    users, chatbot, complexity, usage
        Names in :data:`~tokendemand.curves.INDEX_FAMILIES`.
    pooling
        One of :data:`POOLING`.

    Examples
    --------
    >>> Structure(penetration="bass").parameter_names()["penetration"]
    ('ceiling', 'p', 'q', 'launch')
    """

    penetration: str = "logistic"
    users: str = "saturating"
    chatbot: str = "saturating"
    complexity: str = "saturating"
    usage: str = "constant"
    pooling: str = "partial"

    def __post_init__(self) -> None:
        problems = []
        if self.pooling not in POOLING:
            problems.append(f"pooling: {self.pooling!r} is not one of {', '.join(POOLING)}")
        for lever in LEVERS:
            try:
                self.family(lever)
            except ConfigError as error:
                problems.append(f"{lever}: {error}")
        if problems:
            raise ConfigError("invalid Structure:\n  " + "\n  ".join(problems))

    def family(self, lever: str) -> CurveFamily:
        """The curve family of ``lever`` (one of :data:`LEVERS`)."""
        if lever not in LEVERS:
            raise ConfigError(f"unknown lever {lever!r}; levers are: {', '.join(LEVERS)}")
        if lever == "penetration":
            return family(self.penetration, "penetration")
        return family(getattr(self, lever), "index")

    def parameter_names(self) -> dict[str, tuple[str, ...]]:
        """Parameters each lever's family needs, by lever."""
        return {lever: self.family(lever).parameters for lever in LEVERS}

    def to_dict(self) -> dict[str, str]:
        """Family names by lever and the pooling (JSON- and TOML-friendly)."""
        return {**{lever: getattr(self, lever) for lever in LEVERS}, "pooling": self.pooling}

    def evaluate(self, parameters: Parameters, dates: Any) -> pd.DataFrame:
        """Every component of the equation on ``dates``, for scalar parameters.

        Parameters
        ----------
        parameters
            Scalar :class:`Parameters` (one value per parameter).
        dates
            Anything :func:`pandas.to_datetime` turns into dates, e.g. a
            :func:`pandas.date_range`.

        Returns
        -------
        pandas.DataFrame
            One column per name in :data:`COMPONENTS`, indexed by date.

        Examples
        --------
        >>> p = Parameters("2026-03-31", scale=1e14, intensity_ratio=12.5,
        ...                penetration={"ceiling": 0.5, "midpoint": "2028-01-01", "rate": 1.0},
        ...                users={"annual_rate": 0.3, "ceiling_multiple": 2.0},
        ...                chatbot={"annual_rate": 0.3, "ceiling_multiple": 3.0},
        ...                complexity={"annual_rate": 1.0, "ceiling_multiple": 10.0})
        >>> frame = Structure().evaluate(p, ["2026-03-31"])
        >>> round(float(frame["total"].iloc[0] / 1e14), 6)
        1.92139
        """
        index = pd.DatetimeIndex(np.atleast_1d(pd.to_datetime(dates)), name="date")
        t = days_since(index, parameters.reference_date)
        values = evaluate(self, parameters, t)
        columns = {}
        for name in COMPONENTS:
            column = np.asarray(values[name], dtype=float)
            if column.ndim > 1:
                raise ConfigError(
                    "Structure.evaluate needs scalar parameters; for arrays of draws use "
                    "tokendemand.project or tokendemand.structure.evaluate"
                )
            columns[name] = np.broadcast_to(column, t.shape)
        return pd.DataFrame(columns, index=index)


@dataclass(frozen=True, init=False)
class Parameters:
    """Values of the structural parameters for one market.

    Each value may be a float, a numpy array (e.g. one value per posterior draw, shaped to
    broadcast against time) or a pytensor tensor. Values of the date parameters of a family
    (``midpoint``, ``launch``) are days relative to ``reference_date``; a date given for any
    lever value is converted to those days on construction.

    Parameters
    ----------
    reference_date
        The date ``t_r`` at which every index is 1.
    scale
        ``b_r``: chatbot tokens per day at the reference date.
    intensity_ratio
        ``rho``: agent-to-chatbot tokens per user per day at the reference date.
    penetration, users, chatbot, complexity, usage
        Parameter values of each lever's family, by parameter name.
    substitution
        ``s`` in ``[0, 1]``: share of agent users who no longer count as chatbot users.

    Examples
    --------
    >>> p = Parameters("2026-03-31", scale=1e14, intensity_ratio=12.5,
    ...                penetration={"ceiling": 0.5, "midpoint": "2026-04-10", "rate": 1.0})
    >>> p.penetration["midpoint"]
    10.0
    """

    reference_date: pd.Timestamp
    scale: Any
    intensity_ratio: Any
    penetration: Mapping[str, Any]
    users: Mapping[str, Any]
    chatbot: Mapping[str, Any]
    complexity: Mapping[str, Any]
    usage: Mapping[str, Any]
    substitution: Any

    def __init__(
        self,
        reference_date: DateLike,
        scale: Any,
        intensity_ratio: Any,
        penetration: Mapping[str, Any] | None = None,
        users: Mapping[str, Any] | None = None,
        chatbot: Mapping[str, Any] | None = None,
        complexity: Mapping[str, Any] | None = None,
        usage: Mapping[str, Any] | None = None,
        substitution: Any = 0.0,
    ) -> None:
        reference = to_day(reference_date, "reference_date", ConfigError)
        object.__setattr__(self, "reference_date", reference)
        object.__setattr__(self, "scale", scale)
        object.__setattr__(self, "intensity_ratio", intensity_ratio)
        object.__setattr__(self, "substitution", substitution)
        levers = {
            "penetration": penetration,
            "users": users,
            "chatbot": chatbot,
            "complexity": complexity,
            "usage": usage,
        }
        for lever, values in levers.items():
            converted = {}
            for name, value in dict(values or {}).items():
                if isinstance(value, DateLike):
                    value = float(days_since(value, reference)[0])
                converted[name] = value
            object.__setattr__(self, lever, MappingProxyType(converted))

    def lever(self, name: str) -> Mapping[str, Any]:
        """Parameter values of one lever."""
        if name not in LEVERS:
            raise ConfigError(f"unknown lever {name!r}; levers are: {', '.join(LEVERS)}")
        value: Mapping[str, Any] = getattr(self, name)
        return value

    def replace(self, **changes: Any) -> Parameters:
        """A copy with some fields replaced; lever mappings are merged, not overwritten.

        Examples
        --------
        >>> p = Parameters("2026-03-31", 1e14, 12.5, penetration={"ceiling": 0.5, "rate": 1.0})
        >>> dict(p.replace(penetration={"ceiling": 0.3}).penetration)
        {'ceiling': 0.3, 'rate': 1.0}
        """
        names = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ConfigError(
                f"Parameters has no field {', '.join(unknown)}; fields are: {', '.join(names)}"
            )
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        for key, value in changes.items():
            if key in LEVERS:
                current[key] = {**dict(current[key]), **dict(value)}
            else:
                current[key] = value
        return Parameters(**current)

    def date_of(self, days: float) -> pd.Timestamp:
        """The date ``days`` after the reference date (inverse of the stored day offsets)."""
        return self.reference_date + pd.Timedelta(days=float(days))

    def to_dict(self) -> dict[str, Any]:
        """Plain values (floats and lists) by field; dates as ISO text."""

        def plain(value: Any) -> Any:
            array = np.asarray(value, dtype=float)
            return float(array) if array.ndim == 0 else array.tolist()

        out: dict[str, Any] = {
            "reference_date": self.reference_date.date().isoformat(),
            "scale": plain(self.scale),
            "intensity_ratio": plain(self.intensity_ratio),
            "substitution": plain(self.substitution),
        }
        for lever in LEVERS:
            out[lever] = {k: plain(v) for k, v in self.lever(lever).items()}
        return out


def evaluate(structure: Structure, parameters: Parameters, t: Any, xp: Any = np) -> dict[str, Any]:
    """Every component of the equation at times ``t`` (days from the reference date).

    This is the one implementation of the structural equation. Shapes broadcast as the
    operators do: scalar parameters with ``t`` of shape ``(T,)`` give ``(T,)``; parameters
    shaped ``(S, D, 1)`` give ``(S, D, T)``.

    Parameters
    ----------
    structure
        Families of the levers.
    parameters
        Values (floats, arrays or tensors).
    t
        Days relative to ``parameters.reference_date``.
    xp
        Array namespace: ``numpy`` or ``pytensor.tensor``.

    Returns
    -------
    dict
        Keyed by :data:`COMPONENTS`.
    """
    levers = evaluate_levers(structure, parameters, t, xp)
    return combine(levers, parameters.scale, parameters.intensity_ratio, parameters.substitution)


def evaluate_levers(
    structure: Structure, parameters: Parameters, t: Any, xp: Any = np
) -> dict[str, Any]:
    """Each lever's curve at times ``t``, keyed by :data:`LEVERS`.

    The first half of :func:`evaluate`; :func:`combine` is the second. Projections call the two
    separately when a scenario transforms a lever's path in between.

    Examples
    --------
    >>> p = Parameters("2026-03-31", 1e14, 12.5,
    ...                users={"annual_rate": 0.3, "ceiling_multiple": 2.0},
    ...                chatbot={"annual_rate": 0.3, "ceiling_multiple": 3.0},
    ...                complexity={"annual_rate": 1.0, "ceiling_multiple": 10.0},
    ...                penetration={"ceiling": 0.5, "midpoint": 0.0, "rate": 1.0})
    >>> float(evaluate_levers(Structure(), p, 0.0)["penetration"])
    0.25
    """
    return {lever: structure.family(lever)(t, parameters.lever(lever), xp) for lever in LEVERS}


def combine(
    levers: Mapping[str, Any], scale: Any, intensity_ratio: Any, substitution: Any = 0.0
) -> dict[str, Any]:
    """The equation from already evaluated lever values: every entry of :data:`COMPONENTS`.

    Parameters
    ----------
    levers
        Values of ``users``, ``chatbot``, ``penetration``, ``complexity`` and ``usage`` (as from
        :func:`evaluate_levers`), broadcastable against each other and the scalars.
    scale, intensity_ratio, substitution
        ``b_r``, ``rho`` and ``s``.

    Examples
    --------
    >>> levers = {"users": 1.0, "chatbot": 1.0, "penetration": 0.08, "complexity": 1.0,
    ...           "usage": 1.0}
    >>> out = combine(levers, scale=1.0, intensity_ratio=12.5)
    >>> round(out["agent"] / out["chatbot"], 12)
    1.0
    """
    n = levers["users"]
    u = levers["chatbot"]
    pi = levers["penetration"]
    k = levers["complexity"]
    h = levers["usage"]
    rho = intensity_ratio
    s = substitution
    if isinstance(s, int | float) and s == 0:
        # The same value without the zero term: PyTensor's rewriter can loop on ``0.0 * pi``.
        chatbot = scale * n * u
    else:
        chatbot = scale * n * u * (1.0 - s * pi)
    agent = scale * n * rho * pi * k * h
    total = chatbot + agent
    return {
        "total": total,
        "chatbot": chatbot,
        "agent": agent,
        "penetration": pi,
        "complexity": k,
        "usage": h,
        "users": n,
        "chatbot_intensity": u,
        "agent_share": agent / total,
        "break_even_penetration": break_even_penetration(u, k, h, rho, s),
    }


def break_even_penetration(
    chatbot: Any, complexity: Any, usage: Any, intensity_ratio: Any, substitution: Any = 0.0
) -> Any:
    """Penetration at which agent tokens equal chatbot tokens: ``u / (rho*k*h + s*u)``.

    Parameters
    ----------
    chatbot, complexity, usage
        The indices ``u``, ``k``, ``h`` (1 at the reference date).
    intensity_ratio
        ``rho``.
    substitution
        ``s``.

    Examples
    --------
    >>> break_even_penetration(1.0, 1.0, 1.0, 12.5)
    0.08
    """
    return chatbot / (intensity_ratio * complexity * usage + substitution * chatbot)


def agent_share(
    penetration: Any,
    intensity_ratio: Any,
    chatbot: Any = 1.0,
    complexity: Any = 1.0,
    usage: Any = 1.0,
    substitution: Any = 0.0,
) -> Any:
    """Agent share of tokens ``A / D``.

    Examples
    --------
    >>> agent_share(0.08, 12.5)
    0.5
    """
    agent = intensity_ratio * penetration * complexity * usage
    return agent / (chatbot * (1.0 - substitution * penetration) + agent)


def intensity_ratio_for_break_even(pi_star: float, substitution: float = 0.0) -> float:
    """``rho`` such that agents equal chatbots at penetration ``pi_star`` on the reference date.

    Parameters
    ----------
    pi_star
        Break-even penetration, in ``(0, 1]``.
    substitution
        ``s`` in ``[0, 1]``.

    Examples
    --------
    >>> intensity_ratio_for_break_even(0.08)
    12.5
    >>> round(intensity_ratio_for_break_even(0.08, substitution=1.0), 12)
    11.5
    """
    if not 0.0 < pi_star <= 1.0:
        raise ConfigError(f"break-even penetration must be in (0, 1], got {pi_star}")
    if not 0.0 <= substitution <= 1.0:
        raise ConfigError(f"substitution must be in [0, 1], got {substitution}")
    return (1.0 - substitution * pi_star) / pi_star


def growth_multiplier(
    structure: Structure, parameters: Parameters, start: DateLike, end: DateLike
) -> Any:
    """``D(end) / D(start)``: how many times daily tokens grow between two dates.

    Works for scalar parameters and for arrays of draws (one multiplier per draw).
    """
    t = days_since([start, end], parameters.reference_date)
    total_start = evaluate(structure, parameters, t[0])["total"]
    total_end = evaluate(structure, parameters, t[1])["total"]
    return total_end / total_start
