"""Telecom packages read from the bundled rows, and the uptake a share of demand implies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand.dates import DAYS_PER_YEAR
from tokendemand.errors import ConfigError, DataError
from tokendemand.factory.packages import TokenPackage, package_uptake, token_packages


def test_bundled_packages_read_their_allowance() -> None:
    packages = token_packages()
    flagship = packages["china_telecom_token_package_dev_flagship"]
    assert (flagship.price, flagship.tokens, flagship.currency) == (299.9, 150e6, "CNY")
    assert packages["china_telecom_dev_flagship_alt_reading"].tokens == 250e6
    mobile = packages["china_mobile_token_addon_shanghai"]
    assert (mobile.price, mobile.tokens) == (2.5, 1e6)
    assert mobile.price_per_million == 2.5
    assert len([n for n in packages if n.startswith("china_telecom_token_package")]) == 6
    assert all(p.source for p in packages.values())


def test_uptake_is_share_of_demand_over_the_allowance() -> None:
    package = TokenPackage("test", price=10.0, tokens=DAYS_PER_YEAR / 12 * 1e6)  # 1M a day
    uptake = package_uptake(package, 1e9, share=0.5)
    assert float(uptake["packages"]) == pytest.approx(500.0, rel=1e-12)
    assert float(uptake["revenue_per_month"]) == pytest.approx(5000.0, rel=1e-12)
    half_used = package_uptake(package, 1e9, share=0.5, allowance_used=0.5)
    assert float(half_used["packages"]) == pytest.approx(1000.0, rel=1e-12)
    assert uptake["revenue_per_month"].attrs["unit"] == "CNY/month"


def test_uptake_keeps_the_dims_of_the_demand() -> None:
    package = token_packages()["china_telecom_token_package_personal_light"]
    projection = td.project(td.example_parameters(), "posterior", until="2026-12-31", freq="MS")
    uptake = package_uptake(package, projection, share=0.01)
    assert uptake["packages"].dims == ("scenario", "draw", "date")
    series = pd.Series([1e12, 2e12], index=pd.date_range("2026-01-01", periods=2))
    by_day = package_uptake(package, series, share=0.01)
    np.testing.assert_allclose(by_day["packages"].values[1] / by_day["packages"].values[0], 2.0)
    assert float(package_uptake(package, "1T", share=0.01)["packages"]) == pytest.approx(
        float(by_day["packages"][0]), rel=1e-12
    )


def test_bad_inputs() -> None:
    package = token_packages()["china_mobile_token_addon_shanghai"]
    with pytest.raises(ConfigError, match=r"share must be in \(0, 1\].*allowance_used"):
        package_uptake(package, 1e12, share=1.5, allowance_used=0.0)
    with pytest.raises(DataError, match="finite token counts"):
        package_uptake(package, pd.Series([-1.0], index=pd.DatetimeIndex(["2026-01-01"])), 0.1)
    with pytest.raises(DataError):
        package_uptake(package, -5.0, 0.1)
    with pytest.raises(
        ConfigError,
        match=r"price must be a number >= 0, got -1\.0; tokens must be a positive number",
    ):
        TokenPackage("bad", price=-1.0, tokens=0.0)
