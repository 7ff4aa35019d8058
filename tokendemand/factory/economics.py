"""economics(): tokens per day to GPUs, megawatts, costs and revenues, over every draw.

For a :class:`~tokendemand.projection.Projection` the result has dims ``(scenario, draw, date)``
and the assumptions' priors are sampled once per draw (the same values in every scenario, so
scenarios differ by demand only); for a :class:`pandas.Series` of tokens per day it has dims
``(draw, date)``. The variables, per day unless named otherwise:

=======================  ===================================================================
variable                 closed form (:mod:`tokendemand.factory.formulas`)
=======================  ===================================================================
``input_tokens``         ``tokens x (1 - output_share)``
``output_tokens``        ``tokens x output_share``
``gpus``                 output / (tok/s per GPU x 86,400 x utilization), plus input / (input
                         tok/s per GPU x 86,400 x utilization) when that field is not ``None``
``it_mw``                ``gpus x kW per GPU / 1000``
``facility_mw``          ``it_mw x PUE``
``energy_gwh_per_year``  ``facility_mw x 24 x 365.25 / 1000`` (full draw: an upper bound)
``energy_cost``          ``facility_mw x 1000 x 24 x electricity_price``
``rental_revenue``       the same fleet rented out: ``gpus x 24 x gpu_hour_price``
``serving_cost``         the fleet's rent (DeepSeek's convention: a lease covers power), plus
                         ``energy_cost`` when ``energy_in_serving_cost``
``token_revenue``        input hits, misses and output billed at the prices x their paths
``margin``               ``token_revenue - serving_cost``
``revenue_ratio``        ``token_revenue / rental_revenue``: billing per token against renting
=======================  ===================================================================

Money is in the assumptions' ``currency`` (USD inputs x ``exchange_rate``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import xarray as xr

from tokendemand.errors import ConfigError, DataError
from tokendemand.factory import formulas
from tokendemand.factory.assumptions import FactoryAssumptions

if TYPE_CHECKING:
    from tokendemand.projection import Projection

__all__ = ["MONEY_VARIABLES", "UNITS", "TokenFactory", "economics"]

UNITS: Final[Mapping[str, str]] = {
    "input_tokens": "tokens/day",
    "output_tokens": "tokens/day",
    "gpus": "GPUs",
    "it_mw": "MW",
    "facility_mw": "MW",
    "energy_gwh_per_year": "GWh/year",
    "energy_cost": "{currency}/day",
    "rental_revenue": "{currency}/day",
    "serving_cost": "{currency}/day",
    "token_revenue": "{currency}/day",
    "margin": "{currency}/day",
    "revenue_ratio": "ratio",
}
"""Unit of each variable (``{currency}`` is filled in)."""
MONEY_VARIABLES: Final = frozenset(n for n, u in UNITS.items() if u.startswith("{currency}"))
_DEFAULT_DRAWS: Final = 1000


class TokenFactory:
    """What a token demand means for the factories serving it (made by :func:`economics`).

    Immutable; :attr:`dataset` holds the variables of :data:`UNITS`.
    """

    def __init__(self, dataset: xr.Dataset, assumptions: FactoryAssumptions) -> None:
        self._dataset = dataset
        self._assumptions = assumptions

    @property
    def dataset(self) -> xr.Dataset:
        """The variables, dims ``(scenario, draw, date)`` or ``(draw, date)``."""
        return self._dataset

    @property
    def assumptions(self) -> FactoryAssumptions:
        """The assumptions the numbers follow from."""
        return self._assumptions

    @property
    def currency(self) -> str:
        """Currency of the money variables."""
        return self._assumptions.currency

    @property
    def dates(self) -> pd.DatetimeIndex:
        """The dates of the result."""
        return pd.DatetimeIndex(self._dataset["date"].values)

    def unit(self, variable: str) -> str:
        """The unit of ``variable`` (money in :attr:`currency`)."""
        if variable not in UNITS:
            raise ConfigError(f"unknown variable {variable!r}; variables: {', '.join(UNITS)}")
        return UNITS[variable].format(currency=self.currency)

    def quantiles(
        self, variable: str, probs: tuple[float, ...] = (0.05, 0.5, 0.95)
    ) -> xr.DataArray:
        """Quantiles of ``variable`` over draws, with a ``quantile`` dim first."""
        self.unit(variable)
        bad = [p for p in probs if not 0.0 <= p <= 1.0]
        if bad:
            raise ConfigError(f"quantiles must be in [0, 1], got {bad}")
        return self._dataset[variable].quantile(list(probs), dim="draw")

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={v}" for k, v in self._dataset.sizes.items())
        return f"<TokenFactory {self._assumptions.hardware} in {self.currency}: {sizes}>"


def economics(
    source: Projection | pd.Series,
    assumptions: FactoryAssumptions | None = None,
    *,
    random_seed: int | None = None,
    draws: int | None = None,
) -> TokenFactory:
    """GPUs, power, energy, costs and revenues of serving a token demand.

    Parameters
    ----------
    source
        A :class:`~tokendemand.projection.Projection` (its ``total`` tokens/day over
        ``(scenario, draw, date)``), or a :class:`pandas.Series` of tokens per day indexed by
        date.
    assumptions
        Default ``FactoryAssumptions()`` (DeepSeek's H800 service).
    random_seed
        Seed of the draws of the assumptions' priors (one draw per projection draw).
    draws
        For a Series or a one-draw projection (calculator mode): how many draws of the priors,
        each against the same demand (default for a Series: 1 when no field is a sampled
        prior, else 1000).

    Returns
    -------
    TokenFactory

    Raises
    ------
    DataError
        For a Series that is empty, not indexed by dates, or has negative or non-finite values.
    ConfigError
        For ``draws`` with a projection of several draws, or a non-positive ``draws``.

    Examples
    --------
    >>> import pandas as pd
    >>> day = pd.Series([776e9], index=pd.DatetimeIndex(["2025-02-28"]))
    >>> result = economics(day, FactoryAssumptions(utilization=1.0))
    >>> float(result.dataset["token_revenue"][0, 0].round())  # DeepSeek disclosed $562,027
    561975.0
    >>> round(float(result.dataset["gpus"][0, 0]) / 8, 1)  # nodes; DeepSeek's average: 226.75
    226.9
    """
    chosen = assumptions if assumptions is not None else FactoryAssumptions()
    if not isinstance(chosen, FactoryAssumptions):
        raise ConfigError(f"assumptions must be FactoryAssumptions, got {type(chosen).__name__}")
    tokens = _tokens(source, chosen, draws)
    values = chosen.draws(tokens.sizes["draw"], random_seed)
    per_draw = {name: xr.DataArray(v, dims="draw") for name, v in values.items()}
    dataset = _evaluate(tokens, per_draw, chosen)
    order = [d for d in ("scenario", "draw", "date") if d in tokens.dims]
    dataset = dataset.transpose(*order).assign_coords(
        {name: tokens[name] for name in order if name in tokens.coords}
    )
    dataset.attrs = {
        "currency": chosen.currency,
        "hardware": chosen.hardware,
        "random_seed": "" if random_seed is None else str(random_seed),
        "sampled": ", ".join(chosen.sampled),
    }
    for name in dataset.data_vars:
        dataset[name].attrs["unit"] = UNITS[str(name)].format(currency=chosen.currency)
    return TokenFactory(dataset, chosen)


def _evaluate(
    tokens: xr.DataArray, v: Mapping[str, xr.DataArray], a: FactoryAssumptions
) -> xr.Dataset:
    hit, miss, output = formulas.split_tokens(tokens, v["output_share"], v["cache_hit_share"])
    gpus = formulas.gpus_needed(
        output,
        v["tokens_per_second_per_gpu"],
        v["utilization"],
        hit + miss,
        v.get("input_tokens_per_second_per_gpu"),
    )
    facility = formulas.facility_mw(gpus, v["kw_per_gpu"], v["pue"])
    fx = v["exchange_rate"]
    rent = formulas.gpu_rent(gpus, v["gpu_hour_price"]) * fx
    energy_cost = formulas.electricity_cost(facility, v["electricity_price"]) * fx
    serving = rent + energy_cost if a.energy_in_serving_cost else rent
    dates = tokens["date"].values

    def factor(path: Any) -> xr.DataArray:
        return xr.DataArray(path.factor(dates), dims="date", coords={"date": dates})

    revenue = (
        formulas.token_revenue(
            hit,
            miss,
            output,
            v["price_input_hit"] * factor(a.path_input_hit),
            v["price_input_miss"] * factor(a.path_input_miss),
            v["price_output"] * factor(a.path_output),
        )
        * fx
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = revenue / rent
    return xr.Dataset(
        {
            "input_tokens": hit + miss,
            "output_tokens": output,
            "gpus": gpus,
            "it_mw": formulas.it_mw(gpus, v["kw_per_gpu"]),
            "facility_mw": facility,
            "energy_gwh_per_year": formulas.energy_gwh_per_year(facility),
            "energy_cost": energy_cost,
            "rental_revenue": rent,
            "serving_cost": serving,
            "token_revenue": revenue,
            "margin": revenue - serving,
            "revenue_ratio": ratio,
        }
    )


def _tokens(source: Any, assumptions: FactoryAssumptions, draws: int | None) -> xr.DataArray:
    from tokendemand.projection import Projection

    if isinstance(source, Projection):
        total = source.dataset["total"]
        total = total.drop_vars([c for c in total.coords if c not in total.dims])
        if draws is None:
            return total
        if total.sizes["draw"] != 1:
            raise ConfigError(
                f"draws= is for a Series or a one-draw projection (calculator mode); this "
                f"projection brings its own {total.sizes['draw']} draws"
            )
        count = _count(draws, assumptions)
        return total.isel(draw=[0] * count).assign_coords(draw=np.arange(count))
    if isinstance(source, pd.Series):
        series = _check_series(source)
        count = _count(draws, assumptions)
        values = np.broadcast_to(series.to_numpy(dtype=float), (count, len(series)))
        return xr.DataArray(
            values, dims=("draw", "date"), coords={"draw": np.arange(count), "date": series.index}
        )
    raise DataError(
        f"source must be a Projection or a pandas Series of tokens per day indexed by date, "
        f"got {type(source).__name__}"
    )


def _count(draws: int | None, assumptions: FactoryAssumptions) -> int:
    count = draws if draws is not None else (_DEFAULT_DRAWS if assumptions.sampled else 1)
    if not (isinstance(count, int) and not isinstance(count, bool) and count > 0):
        raise ConfigError(f"draws must be a positive integer, got {draws!r}")
    return count


def _check_series(series: pd.Series) -> pd.Series:
    problems = []
    if series.empty:
        problems.append("it is empty")
    try:
        index = pd.DatetimeIndex(pd.to_datetime(series.index))
    except (ValueError, TypeError):
        problems.append("its index is not dates (give a DatetimeIndex)")
        index = None
    if index is not None and index.has_duplicates:
        problems.append("its index repeats dates")
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        shown = ", ".join(
            f"{series.index[i]!s}: {series.iloc[i]!r}" for i in np.flatnonzero(bad)[:5]
        )
        problems.append(f"tokens per day must be finite and >= 0; bad values at {shown}")
    if problems:
        raise DataError("invalid token series: " + "; ".join(problems))
    return pd.Series(values, index=index.rename("date") if index is not None else None)
