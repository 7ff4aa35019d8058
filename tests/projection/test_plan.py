"""The projection plan: sources it accepts or refuses and how each lever change applies."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.projection.helpers import REF, Y, calculator, fit_source, project
from tokendemand.dates import days_since
from tokendemand.errors import ConfigError
from tokendemand.scenarios import Growth, Override, Pin, Scale, Scenario
from tokendemand.structure import Structure


def test_bad_sources() -> None:
    with pytest.raises(ConfigError, match="different lengths"):
        project(calculator(scale=np.ones(3), intensity_ratio=np.ones(4)))
    with pytest.raises(ConfigError, match=r"penetration\.ceiling: has NaN"):
        project(calculator(penetration={"ceiling": math.nan}))
    with pytest.raises(ConfigError, match="1-D array"):
        project(calculator(scale=np.ones((2, 2))))
    with pytest.raises(ConfigError, match="must be Parameters"):
        project("my fit")  # type: ignore[arg-type]
    two = fit_source(markets=("china", "openrouter"))
    with pytest.raises(ConfigError, match="pass market="):
        project(two)
    with pytest.raises(ConfigError, match="unknown market 'us'"):
        project(two, market="us")
    assert project(two, "posterior", market="openrouter", until="2027").market == "openrouter"
    with pytest.raises(ConfigError, match="differs from the fit"):
        project(fit_source(), structure=Structure(penetration="bass"))


def test_scale_multiplies_index_growth_after_start() -> None:
    proj = project(
        calculator(), Scenario("x", complexity=Scale(2.0), start="2027-03-31"), until="2029"
    )
    t = days_since(proj.dates, REF)
    t0 = 365.0
    k = proj.dataset["complexity"].squeeze().values
    expected = np.where(t > t0, np.exp(0.5 * (t0 + 2.0 * (t - t0)) / Y), np.exp(0.5 * t / Y))
    np.testing.assert_allclose(k, expected, rtol=1e-13)


def test_scale_speeds_penetration_time() -> None:
    proj = project(calculator(), Scenario("x", penetration=Scale(3.0)), until="2029")
    t = days_since(proj.dates, REF)
    warped = np.where(t > 0, 3.0 * t, t)
    expected = 0.5 / (1 + np.exp(-1.2 * (warped - 731.0) / Y))
    np.testing.assert_allclose(proj.dataset["penetration"].squeeze(), expected, rtol=1e-13)


def test_growth_from_the_value_at_start() -> None:
    start = "2027-03-31"
    proj = project(calculator(), Scenario("x", usage=Growth(-0.1, start=start)), until="2029")
    t = days_since(proj.dates, REF)
    h = proj.dataset["usage"].squeeze().values
    expected = np.where(t > 365, np.exp(0.3 * 365 / Y - 0.1 * (t - 365) / Y), np.exp(0.3 * t / Y))
    np.testing.assert_allclose(h, expected, rtol=1e-13)


def test_pin_bridges_interpolates_and_holds() -> None:
    pin = Pin({"2027-03-31": 0.2, "2028-03-31": 0.4})
    proj = project(calculator(), Scenario("x", penetration=pin), start="2026-01-01", until="2030")
    pi = proj.dataset["penetration"].squeeze().to_series()
    start_value = 0.5 / (1 + math.exp(-1.2 * (0 - 731.0) / Y))
    assert pi["2026-03-31"] == pytest.approx(start_value, rel=1e-14)
    assert pi["2026-01-01"] == pytest.approx(0.5 / (1 + math.exp(-1.2 * (-89 - 731.0) / Y)))
    halfway = pd.Timestamp("2026-03-31") + pd.Timedelta(days=182)
    assert pi[halfway] == pytest.approx(start_value + (0.2 - start_value) * 182 / 365, rel=1e-13)
    assert pi["2027-03-31"] == 0.2
    assert pi["2027-09-30"] == pytest.approx(0.2 + 0.2 * 183 / 366, rel=1e-13)
    assert pi["2028-03-31"] == 0.4
    assert (pi["2028-04-01":] == 0.4).all()


def test_pin_on_the_start_date_jumps() -> None:
    proj = project(calculator(), Scenario("x", usage=Pin({REF: 2.0})), until="2027")
    h = proj.dataset["usage"].squeeze()
    assert (h.values == 2.0).all()


def test_override_changes_the_whole_curve_and_recalibrates() -> None:
    proj = project(
        calculator(), ["posterior", Scenario("x", penetration=Override(ceiling=0.25))], until="2028"
    )
    pi = proj.dataset["penetration"].sel(draw=0)
    np.testing.assert_allclose(pi.sel(scenario="x"), pi.sel(scenario="posterior") / 2, rtol=1e-14)
    total = proj.dataset["total"].sel(draw=0, date=REF)
    assert float(total.sel(scenario="x")) == pytest.approx(float(total.sel(scenario="posterior")))


def test_change_start_overrides_the_scenario_start() -> None:
    own = Scale(2.0, start="2028-03-31")
    proj = project(calculator(), Scenario("x", users=own, start="2027-01-01"), until="2029")
    n = proj.dataset["users"].squeeze().to_series()
    assert n["2028-03-31"] == pytest.approx(math.exp(0.1 * 731 / Y), rel=1e-14)
    assert n["2028-04-01"] == pytest.approx(math.exp(0.1 * (731 + 2) / Y), rel=1e-13)


def test_scalar_overrides() -> None:
    proj = project(
        calculator(), Scenario("x", intensity_ratio=20.0, substitution=1.0), until="2027"
    )
    p = proj.parameters["x"]
    assert (p.intensity_ratio[0], p.substitution[0]) == (20.0, 1.0)
    bep = proj.dataset["break_even_penetration"].sel(date=REF).squeeze()
    assert float(bep) == pytest.approx(1 / 21, rel=1e-14)
