"""NUTS's two-pass warm-up, without sampling: which passes run, with how many steps, and the dense
mass matrix the second pass gets (:func:`tokendemand.fitting._numpyro._warm_up`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from tokendemand.fitting import _numpyro
from tokendemand.fitting._numpyro import DIAGONAL_SHARE, FIRST_WINDOW, regularised_covariance


class FakeMCMC:
    """Records what ``_warm_up`` asks of NumPyro's ``MCMC``; its warm-up draws are given."""

    def __init__(self, num_warmup: int, options: dict[str, Any], draws: np.ndarray) -> None:
        self.num_warmup = num_warmup
        self.options = options
        self.draws = draws
        self.warmup_calls: list[dict[str, Any]] = []
        self.last_state = SimpleNamespace(z=draws[:, -1])
        self.post_warmup_state: Any = None

    def warmup(self, key: Any, *, init_params: Any, collect_warmup: bool = False) -> None:
        self.warmup_calls.append({"init_params": init_params, "collect": collect_warmup})
        self.post_warmup_state = SimpleNamespace(rng_key=("after warm-up", len(self.warmup_calls)))

    def get_samples(self, group_by_chain: bool = False) -> np.ndarray:
        assert group_by_chain
        return self.draws[:, : self.num_warmup]


def run_warm_up(
    tune: int, chains: int = 3, dim: int = FIRST_WINDOW
) -> tuple[list[FakeMCMC], dict[str, Any]]:
    rng = np.random.default_rng(0)
    draws = rng.normal(size=(chains, max(tune, 1), dim)) * np.arange(1.0, dim + 1)
    made: list[FakeMCMC] = []

    def make(num_warmup: int, options: dict[str, Any]) -> FakeMCMC:
        made.append(FakeMCMC(num_warmup, options, draws))
        return made[-1]

    positions = np.zeros((chains, dim))
    mcmc, start = _numpyro._warm_up(make, _numpyro_key(), positions, tune, None)
    assert mcmc is made[-1]
    return made, start


def _numpyro_key() -> Any:
    import jax

    return jax.random.PRNGKey(0)


@pytest.mark.parametrize("tune", [3, 10, 300, 1000])
def test_a_diagonal_pass_then_a_dense_one_from_its_draws(tune: int) -> None:
    (diagonal, dense), start = run_warm_up(tune)
    # the draws continue the dense pass's warmed-up chains
    assert start == {"rng_key": dense.post_warmup_state.rng_key}
    assert diagonal.num_warmup == round(DIAGONAL_SHARE * tune)
    assert diagonal.num_warmup + dense.num_warmup == tune  # tune is the whole warm-up
    assert diagonal.options == {"dense_mass": False}
    assert diagonal.warmup_calls[0]["collect"]
    assert dense.options["dense_mass"] and not dense.options["adapt_mass_matrix"]
    # the dense pass starts where the diagonal one stopped, with the covariance of its second
    # half over all chains
    np.testing.assert_array_equal(dense.warmup_calls[0]["init_params"], diagonal.last_state.z)
    kept = diagonal.draws[:, diagonal.num_warmup // 2 : diagonal.num_warmup]
    expected = regularised_covariance(kept.reshape(-1, kept.shape[-1]))
    np.testing.assert_allclose(np.asarray(dense.options["inverse_mass_matrix"]), expected)


@pytest.mark.parametrize(("tune", "dim"), [(0, 30), (1, 30), (2, 30), (1000, FIRST_WINDOW - 1)])
def test_a_short_warm_up_or_a_small_model_is_numpyro_s_own_dense_adaptation(
    tune: int, dim: int
) -> None:
    # too few steps for two passes, or so few coordinates that NumPyro's first window (25
    # draws) estimates a non-singular dense matrix
    (only,), start = run_warm_up(tune, dim=dim)
    assert only.num_warmup == tune
    assert only.options == {"dense_mass": True}
    # warmed up by its own run, in the program that draws: from the starting points
    assert not only.warmup_calls
    np.testing.assert_array_equal(start["init_params"], np.zeros((3, dim)))


def test_the_covariance_is_shrunk_as_stan_shrinks_it() -> None:
    rng = np.random.default_rng(1)
    draws = rng.normal(size=(20, 3)) @ np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 0.0], [0, 0, 2.0]])
    n = len(draws)
    sample = np.cov(draws, rowvar=False)
    expected = n / (n + 5) * sample + 1e-3 * 5 / (n + 5) * np.eye(3)
    np.testing.assert_allclose(regularised_covariance(draws), expected)
    # fewer draws than coordinates: the sample covariance is singular, the shrunk one is not
    few = rng.normal(size=(3, 10))
    assert np.linalg.matrix_rank(np.cov(few, rowvar=False)) < 10
    assert np.linalg.eigvalsh(regularised_covariance(few)).min() > 0
