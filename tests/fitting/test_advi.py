"""Mean-field ADVI on the JAX log density, against a closed form."""

from __future__ import annotations

import numpy as np
import pytest

from tokendemand.fitting._advi import fit_advi


@pytest.mark.slow
def test_advi_recovers_a_gaussian_posterior_exactly() -> None:
    """Closed form: a normal prior and normal figures with known noise give a normal posterior
    with independent coordinates, which the mean-field family contains."""
    import pymc as pm

    prior_sd, noise = 1.0, 0.5
    y = np.array([[0.8, 1.1, 0.9], [-2.0, -1.7, -2.2]])  # two coordinates, three figures each
    with pm.Model() as model:
        z = pm.Normal("z", 0.0, prior_sd, shape=2)
        pm.Normal("y", z[:, None], noise, observed=y)
    precision = 1 / prior_sd**2 + y.shape[1] / noise**2
    exact_mean = (y.sum(axis=1) / noise**2) / precision
    exact_sd = precision**-0.5
    draws, trace = fit_advi(model, draws=4000, seed=1)
    assert draws["z"].shape == (1, 4000, 2)
    np.testing.assert_allclose(draws["z"].mean(axis=(0, 1)), exact_mean, atol=0.03)
    np.testing.assert_allclose(draws["z"].std(axis=(0, 1)), exact_sd, rtol=0.1)
    # the objective levelled off: its last thousand steps are no worse than its first hundred
    assert np.mean(trace[-1000:]) < np.mean(trace[:100])


def test_advi_is_seeded() -> None:
    import pymc as pm

    with pm.Model() as model:
        pm.Normal("z", 0.0, 1.0, shape=3)
    first, _ = fit_advi(model, draws=10, seed=3, iterations=50)
    again, _ = fit_advi(model, draws=10, seed=3, iterations=50)
    other, _ = fit_advi(model, draws=10, seed=4, iterations=50)
    np.testing.assert_array_equal(first["z"], again["z"])
    assert not np.array_equal(first["z"], other["z"])
