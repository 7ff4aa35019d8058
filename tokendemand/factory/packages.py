"""Telecom token packages: how many a share of a market's demand implies, and their revenue.

China's operators sell tokens in monthly packages (China Telecom, May 2026: 9.9 CNY for 10M
tokens up to 299.9 CNY for 150M) and by the million (China Mobile Shanghai's add-on). Given a
package and the share of a market's tokens its buyers take, the implied number of packages is
``share x tokens per day / (tokens per package per day x allowance used)`` and the revenue
``packages x price``; a buyer who uses half the allowance needs the package for half the tokens.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import pandas as pd
import xarray as xr

from tokendemand.errors import ConfigError, DataError
from tokendemand.factory.figures import figures
from tokendemand.units import parse_tokens, to_tokens_per_day

if TYPE_CHECKING:
    from tokendemand.projection import Projection

__all__ = ["TokenPackage", "package_uptake", "token_packages"]

_MONTHLY: Final = re.compile(
    r"^(?P<currency>[A-Z]{3}) per month for (?:up to )?(?P<tokens>[\d,]+) tokens"
)
_PER_MILLION: Final = re.compile(r"^(?P<currency>[A-Z]{3}) per 1M tokens")


@dataclass(frozen=True)
class TokenPackage:
    """A token package: ``price`` buys ``tokens`` a month.

    Attributes
    ----------
    name
        The bundled row's ``item`` or any label.
    price
        Price per month (a pay-as-you-go price per million: the price of 1M tokens).
    tokens
        Tokens included per month.
    currency
        ISO code of ``price``.
    source
        Where the figures come from.

    Examples
    --------
    >>> light = token_packages()["china_telecom_token_package_personal_light"]
    >>> light.price, light.tokens, light.currency, round(light.price_per_million, 3)
    (9.9, 10000000.0, 'CNY', 0.99)
    """

    name: str
    price: float
    tokens: float
    currency: str = "CNY"
    source: str = ""

    def __post_init__(self) -> None:
        problems = []
        if not (
            isinstance(self.price, int | float) and math.isfinite(self.price) and self.price >= 0
        ):
            problems.append(f"price must be a number >= 0, got {self.price!r}")
        if not (
            isinstance(self.tokens, int | float) and math.isfinite(self.tokens) and self.tokens > 0
        ):
            problems.append(f"tokens must be a positive number, got {self.tokens!r}")
        if problems:
            raise ConfigError(f"invalid TokenPackage {self.name!r}: " + "; ".join(problems))

    @property
    def price_per_million(self) -> float:
        """Price of a million tokens when the whole allowance is used."""
        return self.price / self.tokens * 1e6


def _from_row(row: pd.Series) -> TokenPackage:
    unit = str(row["unit"])
    monthly = _MONTHLY.match(unit)
    per_million = _PER_MILLION.match(unit)
    if monthly is not None:
        tokens = parse_tokens(monthly["tokens"])
        currency = monthly["currency"]
    elif per_million is not None:
        tokens = parse_tokens("1M")
        currency = per_million["currency"]
    else:
        raise DataError(f"token package {row['item']}: cannot read the unit {unit!r}")
    return TokenPackage(str(row["item"]), float(row["value"]), tokens, currency, str(row["source"]))


@functools.lru_cache(maxsize=1)
def _packages() -> Mapping[str, TokenPackage]:
    table = figures()
    rows = table[table["quantity"] == "token_package"]
    return MappingProxyType({str(r["item"]): _from_row(r) for _, r in rows.iterrows()})


def token_packages() -> Mapping[str, TokenPackage]:
    """The bundled telecom packages by ``item`` (China Telecom's six monthly tiers, the
    250M-token reading of its flagship, Shanghai Telecom's and China Mobile Shanghai's
    per-million prices).

    Examples
    --------
    >>> sorted(token_packages())[:2]
    ['china_mobile_token_addon_shanghai', 'china_telecom_dev_flagship_alt_reading']
    """
    return _packages()


def package_uptake(
    package: TokenPackage,
    tokens_per_day: Projection | pd.Series | float | str,
    share: float,
    allowance_used: float = 1.0,
) -> xr.Dataset:
    """Packages and monthly revenue implied by a share of a market's tokens.

    Parameters
    ----------
    package
        E.g. ``token_packages()["china_telecom_token_package_dev_flagship"]``.
    tokens_per_day
        The market's demand: a Projection (its ``total``), a Series indexed by date, or one
        quantity (a number, or text such as ``"140T"``).
    share
        Share of the market's tokens bought through the package, in (0, 1].
    allowance_used
        Average share of a package's tokens its buyer uses, in (0, 1].

    Returns
    -------
    xarray.Dataset
        ``packages`` (packages per month) and ``revenue_per_month`` (in the package's
        currency), with the dims of the demand.

    Examples
    --------
    >>> flagship = token_packages()["china_telecom_token_package_dev_flagship"]
    >>> uptake = package_uptake(flagship, 140e12, share=0.01)
    >>> round(float(uptake["packages"])), round(float(uptake["revenue_per_month"]) / 1e6, 1)
    (284083, 85.2)
    """
    problems = []
    if not (isinstance(share, int | float) and 0.0 < share <= 1.0):
        problems.append(f"share must be in (0, 1], got {share!r}")
    if not (isinstance(allowance_used, int | float) and 0.0 < allowance_used <= 1.0):
        problems.append(f"allowance_used must be in (0, 1], got {allowance_used!r}")
    if not isinstance(package, TokenPackage):
        problems.append(f"package must be a TokenPackage, got {type(package).__name__}")
    if problems:
        raise ConfigError("invalid package uptake: " + "; ".join(problems))
    demand = _demand(tokens_per_day)
    per_package = to_tokens_per_day(package.tokens, "month") * allowance_used
    packages = demand * share / per_package
    out = xr.Dataset({"packages": packages, "revenue_per_month": packages * package.price})
    out["packages"].attrs["unit"] = "packages per month"
    out["revenue_per_month"].attrs["unit"] = f"{package.currency}/month"
    out.attrs = {"package": package.name, "share": share, "allowance_used": allowance_used}
    return out


def _demand(tokens_per_day: Any) -> xr.DataArray:
    from tokendemand.projection import Projection

    if isinstance(tokens_per_day, Projection):
        total = tokens_per_day.dataset["total"]
        return total.drop_vars([c for c in total.coords if c not in total.dims])
    if isinstance(tokens_per_day, pd.Series):
        values = pd.to_numeric(tokens_per_day, errors="coerce")
        if values.isna().any() or (values < 0).any() or values.empty:
            raise DataError("tokens_per_day: give finite token counts >= 0 indexed by date")
        index = pd.DatetimeIndex(pd.to_datetime(tokens_per_day.index), name="date")
        return xr.DataArray(values.to_numpy(dtype=float), dims="date", coords={"date": index})
    return xr.DataArray(parse_tokens(tokens_per_day))
