"""The closed forms, exactly, with their boundaries."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from tokendemand.factory import formulas as f


def test_split_tokens_adds_up() -> None:
    hit, miss, out = f.split_tokens(1000.0, 0.25, 0.4)
    assert (hit, miss, out) == (300.0, 450.0, 250.0)
    assert f.split_tokens(0.0, 0.25, 0.4) == (0.0, 0.0, 0.0)


def test_gpus_needed_is_the_closed_form() -> None:
    assert f.gpus_needed(1850 * 86_400.0, 1850.0, 1.0) == 1.0
    assert f.gpus_needed(1850 * 86_400.0, 1850.0, 0.5) == 2.0
    assert f.gpus_needed(0.0, 1850.0, 0.8) == 0.0
    both = f.gpus_needed(1000 * 86_400.0, 1000.0, 1.0, 4000 * 86_400.0, 2000.0)
    assert both == 3.0


def test_power_energy_and_money() -> None:
    assert f.it_mw(1000.0, 1.5) == 1.5
    assert f.facility_mw(1000.0, 1.5, 1.2) == pytest.approx(1.8, rel=1e-15)
    assert f.energy_gwh_per_year(1.0) == 24 * 365.25 / 1000
    assert f.gpu_rent(10.0, 2.0) == 480.0
    assert f.electricity_cost(1.0, 0.1) == 2400.0
    assert f.token_revenue(1e6, 1e6, 1e6, 0.1, 0.5, 2.0) == pytest.approx(2.6, rel=1e-15)


def test_works_on_arrays_and_named_dims() -> None:
    tokens = xr.DataArray([1e12, 2e12], dims="date")
    speed = xr.DataArray([1000.0, 2000.0, 4000.0], dims="draw")
    gpus = f.gpus_needed(tokens, speed, 1.0)
    assert gpus.dims == ("date", "draw")
    np.testing.assert_allclose(gpus.values[1] / gpus.values[0], [2.0, 2.0, 2.0])


def test_deepseek_rent_is_its_disclosed_cost_exactly() -> None:
    # 226.75 nodes x 8 H800 x 24 h x $2 = $87,072 (the open-infra-index post)
    assert f.gpu_rent(226.75 * 8, 2.0) == 87_072.0
