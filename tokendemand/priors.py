"""Typed priors with cited defaults.

Every prior is a standard normal pushed through a transform (:meth:`Prior.from_standard`), so
the PyMC model samples independent ``N(0, 1)`` variables (a non-centred parametrization with
good geometry) and the same transform gives prior draws in numpy. The families:

================  =============================================  ==========================
prior             value from a standard normal ``z``             support
================  =============================================  ==========================
``Normal``        ``mu + sigma * z``                             real line
``LogNormal``     ``lower + (median - lower) * exp(sigma * z)``  ``(lower, inf)``
``LogitNormal``   ``1 / (1 + exp(-(logit(median) + sigma * z)))``  ``(0, 1)``
``Fixed``         ``value`` (not sampled)                        one point
================  =============================================  ==========================

:class:`Priors` has one field per structural parameter. The prior of parameter ``P`` of lever
``L`` (see :mod:`tokendemand.curves`) is the field ``L_P`` (``complexity_annual_rate``,
``penetration_rate``, ...), so a new curve family needs only new fields here. Penetration is
parametrized by its level on the reference date (``penetration_now``) and the share of
non-adopters who eventually adopt (``penetration_headroom``): ``ceiling = now + (1 - now) *
headroom``; the family's date parameter (midpoint, launch) follows in closed form. Misspelt
field names fail at once, and :meth:`Priors.replace` checks every value and reports all problems
together.
"""

from __future__ import annotations

import abc
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np

from tokendemand.errors import ConfigError

__all__ = [
    "CONFIDENCE_LEVELS",
    "Fixed",
    "LogNormal",
    "LogitNormal",
    "Normal",
    "Prior",
    "Priors",
]

CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "medium", "low")


def _sigmoid(x: Any, xp: Any) -> Any:
    return 1.0 / (1.0 + xp.exp(-x))


class Prior(abc.ABC):
    """Base of the prior families: a transform of one standard normal variable."""

    kind: ClassVar[str]
    sampled: ClassVar[bool] = True

    @abc.abstractmethod
    def from_standard(self, z: Any, xp: Any = np) -> Any:
        """The parameter value for standard-normal ``z`` (works on numpy and pytensor)."""

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray[Any, Any]:
        """``size`` independent prior draws."""
        return np.asarray(self.from_standard(rng.standard_normal(size), np), dtype=float)

    def quantile(self, q: float) -> float:
        """The ``q`` quantile of the prior (exact: the transforms are monotone)."""
        from scipy.special import ndtri

        return float(self.from_standard(float(ndtri(q)), np))

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": ..., <fields>}``, the form :meth:`Priors.from_dict` reads."""
        return {"kind": self.kind, **{f.name: getattr(self, f.name) for f in fields(self)}}  # type: ignore[arg-type]

    def describe(self) -> str:
        """Short text: family, arguments and the central 94% interval."""
        args = ", ".join(f"{f.name}={getattr(self, f.name):g}" for f in fields(self))  # type: ignore[arg-type]
        if not self.sampled:
            return f"{self.kind}({args})"
        return f"{self.kind}({args}); 94%: {self.quantile(0.03):.3g} to {self.quantile(0.97):.3g}"


@dataclass(frozen=True)
class Normal(Prior):
    """Normal prior ``N(mu, sigma)``."""

    kind: ClassVar[str] = "Normal"
    mu: float
    sigma: float

    def __post_init__(self) -> None:
        _check_positive(self, "sigma")

    def from_standard(self, z: Any, xp: Any = np) -> Any:
        return self.mu + self.sigma * z


@dataclass(frozen=True)
class LogNormal(Prior):
    """Log-normal prior above ``lower``: ``log(x - lower) ~ N(log(median - lower), sigma)``."""

    kind: ClassVar[str] = "LogNormal"
    median: float
    sigma: float
    lower: float = 0.0

    def __post_init__(self) -> None:
        _check_positive(self, "sigma")
        if not self.median > self.lower:
            raise ConfigError(
                f"LogNormal median must exceed its lower bound {self.lower}, got {self.median}"
            )

    def from_standard(self, z: Any, xp: Any = np) -> Any:
        return self.lower + (self.median - self.lower) * xp.exp(self.sigma * z)


@dataclass(frozen=True)
class LogitNormal(Prior):
    """Prior on ``(0, 1)``: ``logit(x) ~ N(logit(median), sigma)``."""

    kind: ClassVar[str] = "LogitNormal"
    median: float
    sigma: float

    def __post_init__(self) -> None:
        _check_positive(self, "sigma")
        if not 0.0 < self.median < 1.0:
            raise ConfigError(f"LogitNormal median must be in (0, 1), got {self.median}")

    def from_standard(self, z: Any, xp: Any = np) -> Any:
        logit = math.log(self.median / (1.0 - self.median))
        return _sigmoid(logit + self.sigma * z, xp)


@dataclass(frozen=True)
class Fixed(Prior):
    """A parameter held at ``value`` (not sampled)."""

    kind: ClassVar[str] = "Fixed"
    sampled: ClassVar[bool] = False
    value: float

    def from_standard(self, z: Any, xp: Any = np) -> Any:
        return self.value

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray[Any, Any]:
        return np.full(size, float(self.value))

    def quantile(self, q: float) -> float:
        return float(self.value)


def _check_positive(prior: Prior, name: str) -> None:
    value = getattr(prior, name)
    if not (isinstance(value, int | float) and value > 0 and math.isfinite(value)):
        raise ConfigError(f"{type(prior).__name__} {name} must be a positive number, got {value!r}")


_FAMILIES: dict[str, type[Prior]] = {
    cls.kind: cls for cls in (Normal, LogNormal, LogitNormal, Fixed)
}


def _prior(default: Prior, source: str) -> Any:
    return field(default=default, metadata={"source": source})


@dataclass(frozen=True)
class Priors:
    """Priors of every structural parameter, with the published figures behind the defaults.

    Each field's source is in ``Priors.source(name)``; ``Priors().table()`` lists them all.

    Examples
    --------
    >>> Priors().intensity_ratio
    LogNormal(median=12.5, sigma=0.5, lower=0.0)
    >>> Priors().replace(intensity_ratio=LogNormal(11.5, 0.3)).intensity_ratio.median
    11.5
    """

    intensity_ratio: Prior = _prior(
        LogNormal(12.5, 0.5),
        "CICC moderate usage case (press, May 2026): agents match chatbots at 8% penetration, "
        "rho = 1/0.08 = 12.5; sigma 0.5 spans the 4x (single agent) to 15x (multi-agent) "
        "per-interaction ratios (Anthropic engineering blog, Jun 2025) times a few tasks a day",
    )
    penetration_now: Prior = _prior(
        LogitNormal(0.05, 0.8),
        "agent penetration on the reference date; adoption surveys bracket it: Gartner <5% of "
        "enterprise apps embed agents (end 2025), 11% of organisations deployed agents (Dec "
        "2025, low confidence), McKinsey 23% of organisations scaling agents in one function "
        "(Nov 2025, organisations not users); 94% interval about 1% to 20%",
    )
    penetration_headroom: Prior = _prior(
        LogitNormal(0.45, 1.0),
        "share of today's non-adopters who eventually use agents, so ceiling = now + (1 - now) "
        "* headroom, about 50% of users; Gartner forecasts 40% of enterprise apps with agents "
        "by end 2026 and 93% of IT leaders plan agents within two years (MuleSoft 2025)",
    )
    penetration_rate: Prior = _prior(
        LogNormal(0.41, 0.75),
        "logistic/Gompertz steepness per year: Bass p + q = 0.03 + 0.38 (Sultan, Farley and "
        "Lehmann 1990 meta-analysis; for small p a Bass curve is close to a logistic of rate "
        "p + q); sigma 0.75 covers the published q range 0.08 (telephone) to 1.76 (cellular)",
    )
    penetration_p: Prior = _prior(
        LogNormal(0.03, 0.7),
        "Bass coefficient of innovation: meta-analysis average 0.03 (Sultan, Farley and Lehmann "
        "1990, in bass_parameters.csv)",
    )
    penetration_q: Prior = _prior(
        LogNormal(0.38, 0.6),
        "Bass coefficient of imitation: meta-analysis average 0.38 (Sultan, Farley and Lehmann "
        "1990, in bass_parameters.csv)",
    )
    users_annual_rate: Prior = _prior(
        Normal(0.3, 0.5),
        "user-base growth per year on the reference date: ChatGPT weekly users 800M (Oct "
        "2025) to 900M (Feb 2026), about 0.3/year; faster earlier (100M to 900M, Nov 2023 to "
        "Feb 2026, 0.95/year)",
    )
    chatbot_annual_rate: Prior = _prior(
        Normal(0.5, 0.7),
        "chatbot tokens per user per day, growth per year on the reference date: weakly "
        "informative; reasoning models and longer contexts raised tokens per request 3-4x in "
        "2025 (a16z/OpenRouter State of AI, Dec 2025), chatbots a part of that",
    )
    complexity_annual_rate: Prior = _prior(
        Normal(1.1, 0.5),
        "tokens per agent task, growth per year on the reference date: completion tokens per "
        "request about 3x and prompt tokens about 4x over the year to Nov 2025 on OpenRouter "
        "(a16z/OpenRouter State of AI, Dec 2025): log(3) = 1.1",
    )
    usage_annual_rate: Prior = _prior(
        Normal(0.3, 0.7),
        "agent tasks per agent user per day, growth per year: weakly informative (used only "
        "when usage has its own family; by default it is constant)",
    )
    users_ceiling_multiple: Prior = _prior(
        LogNormal(2.5, 0.6, lower=1.0),
        "saturating users: long-run user base over today's; China had over 700M monthly "
        "users of mobile AI apps in Q3 2025 (QuestMobile) among about 1.1B internet users, "
        "ChatGPT 900M weekly users (Feb 2026) among about 5.5B; 94% interval about 1.4x to 6x",
    )
    chatbot_ceiling_multiple: Prior = _prior(
        LogNormal(3.0, 0.6, lower=1.0),
        "saturating chatbot intensity: long-run tokens per chatbot user over today's; weakly "
        "informative",
    )
    complexity_ceiling_multiple: Prior = _prior(
        LogNormal(10.0, 0.8, lower=1.0),
        "saturating complexity: long-run tokens per agent task over today's; weakly "
        "informative (tokens per request grew 3-4x in 2025 alone)",
    )
    usage_ceiling_multiple: Prior = _prior(
        LogNormal(5.0, 0.8, lower=1.0),
        "saturating usage: long-run agent tasks per user over today's; weakly informative",
    )
    substitution: Prior = _prior(
        Fixed(0.0),
        "share of agent users who stop counting as chatbot users; DESIGN default 0 (CICC's 8% "
        "then gives rho = 12.5; with 1 it gives 11.5)",
    )
    noise: Prior = _prior(
        LogNormal(0.15, 0.5),
        "scale of the log error of a high-confidence figure (rounding, definitions, dates): "
        "about 15%, 94% interval 6% to 40%",
    )
    coverage: Prior = _prior(
        LogNormal(0.5, 1.5),
        "a sub-series' share of its market's reference series (e.g. Doubao within China): "
        "weakly informative, 94% interval 3% to 840%",
    )
    proxy_bias: Prior = _prior(
        Normal(0.0, 1.0),
        "bias of a proxy figure (a figure measuring something related to a penetration, agent "
        "share or intensity ratio, named in its proxy column) on the likelihood scale (logit "
        "for fractions, log for ratios), one per proxy name: centred on no bias, sd 1 lets the "
        "proxy's odds (or ratio) differ from the quantity's by a factor e either way (94% "
        "interval: a factor 6.5); estimated with the rest",
    )
    noise_ratio_factor: Prior = _prior(
        LogNormal(0.25, 0.6),
        "noise of a ratio figure (this period over an earlier one, from one source) relative to "
        "a level figure's: both periods share the source's definitions and coverage, so most of "
        "a level's error cancels; a quarter, 94% interval about 8% to 75%; learned across series",
    )
    noise_share_factor: Prior = _prior(
        LogNormal(0.5, 0.6),
        "noise of a share figure (a series' part of its market) relative to a level figure's: "
        "numerator and denominator usually come from one source; a half, 94% interval about "
        "16% to 150%; learned across series",
    )
    pooling_spread: Prior = _prior(
        Fixed(0.5),
        "partial pooling: spread of a series' (or market's) parameter around the population "
        "location, in units of that parameter's prior sd; 0.5 lets series differ by half a "
        "prior sd typically. Held fixed: with a learned spread (LogNormal(0.5, 0.75), 94% "
        "interval 0.12 to 2) the joint fit of every bundled series did not converge, its "
        "populations of 2 to 12 members bending the posterior into funnels (see the "
        "limitations page)",
    )
    pooling_market_spread: Prior = _prior(
        Fixed(0.5),
        "partial pooling of series and launches of two or more markets: spread of a market's "
        "offset around the population location, in prior-sd units (the series of the market "
        "then stray from it by pooling_spread); 0.5 lets markets differ by half a prior sd "
        "typically. Held fixed: a learned one is not implemented",
    )
    launch_ceiling: Prior = _prior(
        LogNormal(0.2, 1.5),
        "a launching product's long-run share of its market's tokens (its launch curve's "
        "ceiling): weakly informative, 94% interval about 1% to 340% (a product's own count may "
        "include uses its market's total leaves out, e.g. Doubao's internal ByteDance use)",
    )
    launch_midpoint: Prior = _prior(
        LogNormal(1.0, 0.8),
        "years from a product's launch to the midpoint of its share's logistic diffusion: weakly "
        "informative, 94% interval about 0.2 to 11 years",
    )
    launch_rate: Prior = _prior(
        LogNormal(3.0, 0.7),
        "steepness per year of a launching product's share curve (a logistic, the Bass curve "
        "without innovators): the share grows about e^3 = 20x a year early on; 94% interval "
        "about 0.8 to 11 per year, from telephone-like diffusion to the months-long ramps of "
        "AI products",
    )
    scale_sigma: float = field(
        default=2.0,
        metadata={
            "source": "sd of the log of each market's total on the reference date around the log "
            "of its reference series' level figure nearest that date (set from the data, "
            "explicitly): a factor e^2 = 7.4 either way"
        },
    )
    noise_multiplier: Mapping[str, float] = field(
        default_factory=lambda: {"high": 1.0, "medium": 2.0, "low": 4.0},
        metadata={
            "source": "noise multiplier by the confidence of a figure (data README: high = "
            "stated by the company or an official body; low = secondary or approximate)"
        },
    )
    student_t_nu: float = field(
        default=4.0,
        metadata={"source": "degrees of freedom of the robust Student-t likelihood"},
    )

    def __post_init__(self) -> None:
        problems = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("Prior",) and not isinstance(value, Prior):
                problems.append(
                    f"{f.name}: expected a Prior (Normal, LogNormal, ...), got {value!r}"
                )
        if not (isinstance(self.scale_sigma, int | float) and self.scale_sigma > 0):
            problems.append(f"scale_sigma: must be a positive number, got {self.scale_sigma!r}")
        if not (isinstance(self.student_t_nu, int | float) and self.student_t_nu > 0):
            problems.append(f"student_t_nu: must be a positive number, got {self.student_t_nu!r}")
        multipliers = dict(self.noise_multiplier)
        if set(multipliers) != set(CONFIDENCE_LEVELS) or not all(
            isinstance(v, int | float) and v > 0 for v in multipliers.values()
        ):
            problems.append(
                "noise_multiplier: needs a positive number for each of high, medium, low; got "
                f"{multipliers!r}"
            )
        if not isinstance(self.substitution, Fixed):
            problems.append("substitution: only Fixed(value) is supported (it is not identified)")
        elif not 0.0 <= self.substitution.value <= 1.0:
            problems.append(f"substitution: must be in [0, 1], got {self.substitution.value}")
        if problems:
            raise ConfigError("invalid Priors:\n  " + "\n  ".join(problems))
        object.__setattr__(self, "noise_multiplier", dict(multipliers))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every field name."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def source(cls, name: str) -> str:
        """Where the default of field ``name`` comes from."""
        for f in fields(cls):
            if f.name == name:
                return str(f.metadata["source"])
        raise ConfigError(f"Priors has no field {name!r}; fields: {', '.join(cls.names())}")

    def for_lever(self, lever: str, parameter: str) -> Prior:
        """The prior of ``parameter`` of ``lever`` (the field ``<lever>_<parameter>``)."""
        name = f"{lever}_{parameter}"
        value = getattr(self, name, None)
        if not isinstance(value, Prior):
            raise ConfigError(
                f"no prior for {lever} parameter {parameter!r}: Priors needs a field {name!r} "
                "(add it to tokendemand.priors.Priors for a new curve family)"
            )
        return value

    def replace(self, **changes: Any) -> Priors:
        """A copy with some fields replaced; unknown names are an error listing the fields."""
        unknown = sorted(set(changes) - set(self.names()))
        if unknown:
            raise ConfigError(
                f"Priors has no field {', '.join(map(repr, unknown))}; fields are: "
                f"{', '.join(self.names())}"
            )
        values = {name: getattr(self, name) for name in self.names()}
        values.update(changes)
        return Priors(**values)

    def table(self) -> list[dict[str, str]]:
        """One row per field: name, prior, source (for reports and docs)."""
        rows = []
        for name in self.names():
            value = getattr(self, name)
            shown = value.describe() if isinstance(value, Prior) else repr(value)
            rows.append({"parameter": name, "prior": shown, "source": self.source(name)})
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form, read back by :meth:`from_dict`."""
        out: dict[str, Any] = {}
        for name in self.names():
            value = getattr(self, name)
            out[name] = value.to_dict() if isinstance(value, Prior) else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Priors:
        """Inverse of :meth:`to_dict`; every problem is reported at once."""
        values: dict[str, Any] = {}
        problems = []
        for name, value in data.items():
            if isinstance(value, Mapping) and "kind" in value:
                spec = dict(value)
                kind = spec.pop("kind")
                family = _FAMILIES.get(kind)
                if family is None:
                    problems.append(f"{name}: unknown prior kind {kind!r}; use {sorted(_FAMILIES)}")
                    continue
                try:
                    values[name] = family(**spec)
                except (TypeError, ConfigError) as error:
                    problems.append(f"{name}: {error}")
            else:
                values[name] = value
        if problems:
            raise ConfigError("invalid priors:\n  " + "\n  ".join(problems))
        return cls().replace(**values)
