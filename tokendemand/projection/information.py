"""What the data decided: every headline answer under the posterior and under the prior alone.

:func:`information` recomputes the headline answers of a projection (break-even date and the
probability it falls before each horizon, the growth multiplier, its attribution to the levers,
the agent share) from prior draws of the same model (:func:`prior_source`: the fit's
:meth:`~tokendemand.fitting.result.FitResult.prior_draws` projected with the same scenarios and
grid), and compares the two:

- ``width_ratio``: the posterior's 90% interval width over the prior's, on the scale the answer
  is naturally compared on (days for dates, logs for multipliers and factors, logits for
  shares; for a probability ``P``, the spread ``sqrt(P (1 - P))`` of the yes/no answer);
- ``shift``: posterior median minus prior median, in prior spreads (half the prior's 16-84%
  range; for a probability, ``sqrt(P (1 - P))`` of the prior);
- ``label``: ``decided by the data`` when ``width_ratio <= 0.5``; ``mostly the prior`` when
  ``width_ratio >= 0.9`` and ``|shift| < 0.5``; ``partly`` otherwise (the thresholds of
  :meth:`FitResult.summary <tokendemand.fitting.result.FitResult.summary>`);
- ``fixed by the model`` instead when the prior leaves no uncertainty (e.g. the attribution to a
  lever whose family is constant);
- ``evidence``: where the answer is not decided by the data, the kind of figure that would move it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.dates import iso, to_day
from tokendemand.errors import ConfigError, NotFittedError
from tokendemand.projection.result import Projection, project
from tokendemand.structure import LEVERS, DateLike, Parameters, Structure

__all__ = ["EVIDENCE", "FIXED", "PriorSource", "information", "label", "prior_source"]

EVIDENCE: Final[dict[str, str]] = {
    "break-even": "intensity-ratio figures (kind intensity_ratio) or agent shares of tokens "
    "(agent_share), with penetration surveys (penetration)",
    "multiplier": "agent shares or penetration over time (they split chatbot from agent growth) "
    "and level figures over a longer span",
    "agent share": "agent shares of tokens (agent_share) or a proxy with its mapping (the "
    "programming share of tokens)",
    "users": "user counts over time",
    "chatbot": "chatbot tokens per user over time",
    "penetration": "penetration surveys over time (penetration, or organisations' adoption as a "
    "proxy)",
    "complexity": "tokens per agent task over time",
    "usage": "agent tasks per agent user per day over time",
}
"""The kind of figure that would move each headline answer."""

FIXED: Final = "fixed by the model"
"""Label of an answer the prior does not leave uncertain (a lever held constant by its family)."""


@dataclass(frozen=True)
class PriorSource:
    """Prior draws of a fit's model in the shape :func:`~tokendemand.projection.project` takes.

    Attributes
    ----------
    structure
        Families of the levers (the fit's).
    markets
        The fit's markets.
    reference_date
        The fit's reference date.
    values
        Prior draws as from :meth:`FitResult.prior_draws`.
    """

    structure: Structure
    markets: tuple[str, ...]
    reference_date: pd.Timestamp
    values: dict[str, Any]

    def posterior_parameters(self, market: str | None = None) -> Parameters:
        """Parameters of ``market`` (default: the first) whose values are the prior draws."""
        from tokendemand.fitting.parametrization import to_parameters

        index = 0 if market is None else self.markets.index(market)
        values = dict(self.values)
        n = len(np.asarray(values["intensity_ratio"]))
        values["substitution"] = np.full(n, float(np.asarray(values["substitution"]).mean()))
        return to_parameters(self.structure, values, self.reference_date, market=index)


def prior_source(fit: Any, draws: int = 500, random_seed: int = 0) -> PriorSource:
    """``draws`` prior draws of ``fit``'s model as a projection source.

    Raises
    ------
    NotFittedError
        If ``fit`` is not a fitted result.
    """
    if not hasattr(fit, "prior_draws"):
        raise NotFittedError(
            f"prior_source needs a fitted result (td.fit(...)), got {type(fit).__name__}"
        )
    values = dict(fit.prior_draws(draws, random_seed))
    return PriorSource(fit.structure, tuple(fit.markets), fit.reference_date, values)


def label(width_ratio: float, shift: float) -> str:
    """``decided by the data``, ``partly`` or ``mostly the prior`` (see the module docstring).

    Examples
    --------
    >>> label(0.3, 0.0), label(0.7, 0.1), label(0.95, 0.2), label(0.95, 1.0)
    ('decided by the data', 'partly', 'mostly the prior', 'partly')
    """
    if not np.isfinite(width_ratio):
        return "partly" if np.isfinite(shift) and abs(shift) >= 0.5 else "mostly the prior"
    if width_ratio <= 0.5:
        return "decided by the data"
    if width_ratio >= 0.9 and not (np.isfinite(shift) and abs(shift) >= 0.5):
        return "mostly the prior"
    return "partly"


def _compare(post: np.ndarray[Any, Any], prior: np.ndarray[Any, Any]) -> tuple[float, float]:
    """Width ratio of the 90% intervals and the shift of the median in prior spreads."""
    p05, p50, p95 = np.quantile(post, [0.05, 0.5, 0.95])
    q05, q16, q50, q84, q95 = np.quantile(prior, [0.05, 0.16, 0.5, 0.84, 0.95])
    width = q95 - q05
    spread = (q84 - q16) / 2.0
    tiny = 1e-9 * max(1.0, abs(float(q50)))
    ratio = (p95 - p05) / width if width > tiny else np.nan
    shift = (p50 - q50) / spread if spread > tiny else np.nan
    return float(ratio), float(shift)


def _row(
    scenario: str,
    quantity: str,
    topic: str,
    natural: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]],
    scaled: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]],
    show: Any = float,
) -> dict[str, Any]:
    post, prior = natural
    ratio, shift = _compare(*scaled)
    prior_width = float(np.ptp(scaled[1])) if len(scaled[1]) else 0.0
    chosen = (
        FIXED
        if prior_width <= 1e-9 * max(1.0, float(np.abs(scaled[1]).max()))
        else (label(ratio, shift))
    )
    row = {"scenario": scenario, "quantity": quantity}
    for name, values in (("posterior", post), ("prior", prior)):
        q05, q50, q95 = np.quantile(values, [0.05, 0.5, 0.95])
        row |= {f"{name}_q05": show(q05), f"{name}_median": show(q50), f"{name}_q95": show(q95)}
    return row | {
        "width_ratio": ratio,
        "shift": shift,
        "label": chosen,
        "evidence": "" if chosen in ("decided by the data", FIXED) else EVIDENCE[topic],
    }


def _probability_row(
    scenario: str, quantity: str, topic: str, post: float, prior: float
) -> dict[str, Any]:
    spread_post, spread_prior = np.sqrt(post * (1 - post)), np.sqrt(prior * (1 - prior))
    ratio = spread_post / spread_prior if spread_prior > 0 else np.nan
    shift = (post - prior) / spread_prior if spread_prior > 0 else np.nan
    chosen = label(ratio, shift)
    row: dict[str, Any] = {"scenario": scenario, "quantity": quantity}
    for name, value in (("posterior", post), ("prior", prior)):
        row |= {f"{name}_q05": np.nan, f"{name}_median": value, f"{name}_q95": np.nan}
    return row | {
        "width_ratio": ratio,
        "shift": shift,
        "label": chosen,
        "evidence": "" if chosen == "decided by the data" else EVIDENCE[topic],
    }


def _logit(x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    clipped = np.clip(x, 1e-12, 1 - 1e-12)
    out: np.ndarray[Any, Any] = np.log(clipped) - np.log1p(-clipped)
    return out


def _days(dates: np.ndarray[Any, Any], until: pd.Timestamp) -> np.ndarray[Any, Any]:
    """Break-even dates as days since the epoch; never-crossing draws one day past ``until``."""
    never = (until + pd.Timedelta(days=1)).as_unit("ns").to_datetime64()
    filled = np.where(np.isnat(dates), never, dates).astype("datetime64[D]")
    return filled.astype(np.int64).astype(float)


def _as_date(day: float) -> pd.Timestamp:
    return pd.Timestamp(np.datetime64(round(float(day)), "D"))


def information(
    fit: Any,
    projection: Projection,
    *,
    horizons: Iterable[DateLike] | None = None,
    end: DateLike | None = None,
    prior_draws: int = 500,
    random_seed: int = 0,
) -> pd.DataFrame:
    """Each headline answer under the posterior and under the prior, and what decided it.

    Parameters
    ----------
    fit
        The fitted result ``projection`` was made from.
    projection
        ``td.project(fit, ...)``.
    horizons
        Dates of ``P(break-even before date)``; default the year-ends 2027, 2028 and 2030 that
        fall inside the projection.
    end
        End of the multiplier and attribution window (which starts on the reference date) and
        date of the second agent share; default the projection's last date.
    prior_draws
        Prior draws projected (the prior projection is made one scenario at a time).
    random_seed
        Seed of the prior draws.

    Returns
    -------
    pandas.DataFrame
        One row per scenario and quantity: ``posterior_q05, posterior_median, posterior_q95``,
        the same for the prior (probabilities in the ``median`` columns), ``width_ratio``,
        ``shift``, ``label`` and ``evidence`` (see the module docstring).

    Raises
    ------
    NotFittedError
        If ``fit`` is not a fitted result or ``projection`` is not of a fit.
    ConfigError
        If a horizon or ``end`` lies outside the projection after the reference date.
    """
    if projection.dataset.attrs.get("source") != "posterior":
        raise NotFittedError("information needs a projection of a fitted result, not calculator")
    source = prior_source(fit, prior_draws, random_seed)
    reference, last = projection.reference_date, projection.dates[-1].normalize()
    stop = last if end is None else to_day(end, "end", ConfigError)
    chosen = _horizons(projection, horizons)
    if not reference < stop <= last:
        raise ConfigError(
            f"end {iso(stop)} is outside the projection after the reference date "
            f"({iso(reference)} to {iso(last)})"
        )
    freq = str(projection.dataset.attrs.get("freq", "D"))
    post_be = projection.break_even()
    post_multiplier = projection.multiplier(reference, stop).values
    post_attribution = projection.attribution(reference, stop).values
    post_share = projection.at([reference, stop])["agent_share"].values
    rows: list[dict[str, Any]] = []
    for i, scenario in enumerate(projection.scenarios):
        prior_projection = project(
            source,
            [scenario],
            until=last,
            freq=freq,
            start=projection.dates[0],
            market=projection.market,
        )
        prior_be = prior_projection.break_even()
        until = post_be.until
        post_days = _days(post_be.dates.values[i], until)
        prior_days = _days(prior_be.dates.values[0], until)
        rows.append(
            _row(
                scenario.name,
                "break-even date",
                "break-even",
                (post_days, prior_days),
                (post_days, prior_days),
                show=_as_date,
            )
        )
        for horizon in chosen:
            rows.append(
                _probability_row(
                    scenario.name,
                    f"P(break-even before {iso(horizon)})",
                    "break-even",
                    float(post_be.prob_before(horizon).iloc[i]),
                    float(prior_be.prob_before(horizon).iloc[0]),
                )
            )
        post_m = post_multiplier[i]
        prior_m = prior_projection.multiplier(reference, stop).values[0]
        rows.append(
            _row(
                scenario.name,
                f"multiplier {iso(reference)} to {iso(stop)}",
                "multiplier",
                (post_m, prior_m),
                (np.log(post_m), np.log(prior_m)),
            )
        )
        prior_attr = prior_projection.attribution(reference, stop).values[0]
        for j, lever in enumerate(LEVERS):
            post_f = post_attribution[i, :, j]
            prior_f = prior_attr[:, j]
            rows.append(
                _row(
                    scenario.name,
                    f"attribution: {lever}",
                    lever,
                    (post_f, prior_f),
                    (np.log(post_f), np.log(prior_f)),
                )
            )
        prior_share = prior_projection.at([reference, stop])["agent_share"].values[0]
        for k, when in enumerate((reference, stop)):
            post_s = post_share[i, :, k]
            rows.append(
                _row(
                    scenario.name,
                    f"agent share {iso(when)}",
                    "agent share",
                    (post_s, prior_share[:, k]),
                    (_logit(post_s), _logit(prior_share[:, k])),
                )
            )
    return pd.DataFrame(rows)


def _horizons(projection: Projection, horizons: Iterable[DateLike] | None) -> list[pd.Timestamp]:
    reference, last = projection.reference_date, projection.dates[-1].normalize()
    if horizons is None:
        years: Sequence[int] = (2027, 2028, 2030)
        return [
            pd.Timestamp(f"{y}-12-31")
            for y in years
            if reference < pd.Timestamp(f"{y}-12-31") <= last
        ]
    chosen = sorted(to_day(h, "horizon", ConfigError) for h in horizons)
    outside = [iso(h) for h in chosen if not reference < h <= last]
    if outside:
        raise ConfigError(
            f"horizons {', '.join(outside)} are outside the projection after the reference date "
            f"({iso(reference)} to {iso(last)}); project further or drop them"
        )
    return chosen
