"""Curve families against their closed forms, on numpy and on pytensor with the same code."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tokendemand import curves
from tokendemand.dates import DAYS_PER_YEAR
from tokendemand.errors import ConfigError

T = np.linspace(-3 * DAYS_PER_YEAR, 8 * DAYS_PER_YEAR, 41)


def test_logistic_is_half_ceiling_at_midpoint_and_tends_to_bounds() -> None:
    assert curves.logistic(250.0, 0.6, 250.0, 1.3) == pytest.approx(0.3, rel=1e-15)
    assert curves.logistic(250.0 + 60 * DAYS_PER_YEAR, 0.6, 250.0, 1.3) == pytest.approx(
        0.6, rel=1e-12
    )
    assert curves.logistic(250.0 - 60 * DAYS_PER_YEAR, 0.6, 250.0, 1.3) == pytest.approx(
        0.0, abs=1e-12
    )


def test_logistic_matches_formula() -> None:
    expected = 0.4 / (1 + np.exp(-0.9 * (T - 100.0) / 365.25))
    np.testing.assert_allclose(curves.logistic(T, 0.4, 100.0, 0.9), expected, rtol=1e-14)


def test_logistic_does_not_overflow_far_from_its_midpoint() -> None:
    # prior draws put midpoints centuries away; the limits are the answer, not a fault
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        far = curves.logistic(np.array([-1e9, 1e9]), 0.4, 0.0, 3.0)
    np.testing.assert_array_equal(far, [0.0, 0.4])


def test_bass_is_zero_at_and_before_launch_and_tends_to_ceiling() -> None:
    assert curves.bass(10.0, 0.5, 0.03, 0.38, 10.0) == 0.0
    assert curves.bass(-500.0, 0.5, 0.03, 0.38, 10.0) == 0.0
    assert curves.bass(10.0 + 200 * DAYS_PER_YEAR, 0.5, 0.03, 0.38, 10.0) == pytest.approx(
        0.5, rel=1e-12
    )


def test_bass_matches_textbook_cdf() -> None:
    p, q, m = 0.03, 0.38, 0.7
    years = np.array([0.5, 1.0, 2.0, 5.0, 10.0])
    expected = m * (1 - np.exp(-(p + q) * years)) / (1 + q / p * np.exp(-(p + q) * years))
    got = curves.bass(years * DAYS_PER_YEAR, m, p, q, 0.0)
    np.testing.assert_allclose(got, expected, rtol=1e-14)


def test_bass_peak_adoption_time_closed_form() -> None:
    # The adoption rate peaks at t* = ln(q/p) / (p + q).
    p, q = 0.02, 0.5
    peak = math.log(q / p) / (p + q) * DAYS_PER_YEAR
    days = np.arange(0.0, 20 * DAYS_PER_YEAR)
    rate = np.diff(curves.bass(days, 1.0, p, q, 0.0))
    assert abs(days[np.argmax(rate)] - peak) <= 1.0


def test_gompertz_is_ceiling_over_e_at_midpoint() -> None:
    assert curves.gompertz(-40.0, 0.8, -40.0, 0.7) == pytest.approx(0.8 / math.e, rel=1e-15)
    assert curves.gompertz(1e6, 0.8, -40.0, 0.7) == pytest.approx(0.8, rel=1e-12)
    assert curves.gompertz(-1e5, 0.8, -40.0, 0.7) == pytest.approx(0.0, abs=1e-12)


def test_exponential_is_one_at_reference_and_exp_g_a_year_later() -> None:
    assert curves.exponential(30.0, 0.7, t_ref=30.0) == 1.0
    assert curves.exponential(30.0 + DAYS_PER_YEAR, 0.7, t_ref=30.0) == pytest.approx(
        math.exp(0.7), rel=1e-15
    )
    assert curves.exponential(30.0 - 2 * DAYS_PER_YEAR, 0.7, t_ref=30.0) == pytest.approx(
        math.exp(-1.4), rel=1e-15
    )


def test_saturating_starts_at_rate_and_levels_off_at_ceiling() -> None:
    g, ceiling = 0.8, 6.0
    assert curves.saturating(0.0, g, ceiling) == 1.0
    # the log-growth rate is g per year at t_ref ...
    h = 1e-3
    slope = np.log(curves.saturating(h, g, ceiling)) - np.log(curves.saturating(-h, g, ceiling))
    assert slope / (2 * h) * DAYS_PER_YEAR == pytest.approx(g, rel=1e-6)
    # ... g * C / (C - 1) long before it, and the index tends to the ceiling
    early = np.log(curves.saturating(-40 * DAYS_PER_YEAR + 1.0, g, ceiling)) - np.log(
        curves.saturating(-40 * DAYS_PER_YEAR, g, ceiling)
    )
    assert early * DAYS_PER_YEAR == pytest.approx(g * ceiling / (ceiling - 1), rel=1e-6)
    assert curves.saturating(60 * DAYS_PER_YEAR, g, ceiling) == pytest.approx(ceiling, rel=1e-12)
    years = 3.0
    rate = g * ceiling / (ceiling - 1)
    expected = ceiling / (1 + (ceiling - 1) * math.exp(-rate * years))
    assert curves.saturating(years * DAYS_PER_YEAR, g, ceiling) == pytest.approx(
        expected, rel=1e-15
    )


def test_constant_is_one_with_the_shape_of_t() -> None:
    assert curves.constant(5.0) == 1.0
    np.testing.assert_array_equal(curves.constant(T), np.ones_like(T))


@pytest.mark.parametrize(
    ("function", "values"),
    [
        (curves.logistic, {"ceiling": 0.5, "midpoint": 200.0, "rate": 1.1}),
        (curves.bass, {"ceiling": 0.5, "p": 0.03, "q": 0.38, "launch": -400.0}),
        (curves.gompertz, {"ceiling": 0.5, "midpoint": 200.0, "rate": 1.1}),
        (curves.exponential, {"annual_rate": 0.4}),
        (curves.saturating, {"annual_rate": 0.4, "ceiling_multiple": 3.0}),
        (curves.constant, {}),
    ],
)
def test_pytensor_and_numpy_give_the_same_values(
    function: object, values: dict[str, float]
) -> None:
    import pytensor
    import pytensor.tensor as pt

    symbols = {name: pt.dscalar(name) for name in values}
    t = pt.dvector("t")
    out = function(t, **symbols, xp=pt)  # type: ignore[operator]
    compiled = pytensor.function([t, *symbols.values()], out, on_unused_input="ignore")
    got = compiled(T, *values.values())
    expected = function(T, **values)  # type: ignore[operator]
    np.testing.assert_allclose(got, np.broadcast_to(expected, T.shape), rtol=1e-13)


def test_family_call_checks_parameter_names() -> None:
    logistic = curves.family("logistic", "penetration")
    with pytest.raises(ConfigError, match=r"missing rate.*unknown rte"):
        logistic(0.0, {"ceiling": 0.5, "midpoint": 0.0, "rte": 1.0})


def test_unknown_family_lists_choices() -> None:
    with pytest.raises(ConfigError, match="choose one of: bass, gompertz, logistic"):
        curves.family("sigmoid", "penetration")


def test_registries_hold_their_functions() -> None:
    for registry, kind in (
        (curves.PENETRATION_FAMILIES, "penetration"),
        (curves.INDEX_FAMILIES, "index"),
    ):
        for name, fam in registry.items():
            assert fam.name == name
            assert fam.kind == kind
            assert set(fam.date_parameters) <= set(fam.parameters)
