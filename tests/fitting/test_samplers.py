"""NUTS back ends: NumPyro (the default) against PyMC's own, its log density and its cache."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tokendemand as td
from tokendemand.errors import ConvergenceWarning
from tokendemand.fitting import _jax
from tokendemand.fitting import _numpyro as numpyro_sampler
from tokendemand.fitting.diagnostics import ESS_MIN, RHAT_MAX
from tokendemand.fitting.model import _quiet_known_warnings
from tokendemand.fitting.options import DEFAULT_SAMPLER

pytestmark = pytest.mark.slow

CHINA = td.datasets.load("china_national")


def short_fit(seed: int = 1, **options: Any) -> td.FitResult:
    """Too few draws for the ESS threshold (NumPyro does not carry on): the warning is
    expected here. With the defaults, the settings of the fitting tests' session fit
    (``china`` in ``tests/fitting/conftest.py``)."""
    options.setdefault("chains", 2)
    if options.get("sampler", DEFAULT_SAMPLER) == "numpyro":
        options.setdefault("max_draws", 300)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        return td.fit(CHINA, draws=300, tune=300, random_seed=seed, **options)


@pytest.fixture(scope="module")
def default_fit(china: td.FitResult) -> td.FitResult:
    """``short_fit()``: the session fit of china_national has exactly its settings (the first
    test fits them again and checks the draws are identical), so this module reuses it."""
    return china


def test_default_sampler_is_numpyro_and_a_seed_repeats_it(default_fit: td.FitResult) -> None:
    assert default_fit.sampler == "numpyro" == DEFAULT_SAMPLER
    stats = default_fit.idata.sample_stats
    assert {"diverging", "tree_depth", "n_steps", "energy", "lp"} <= set(stats.data_vars)
    assert stats.sizes["chain"] == 2 and stats.sizes["draw"] == 300
    again = short_fit()
    for name in default_fit.idata.posterior.data_vars:
        np.testing.assert_array_equal(
            default_fit.idata.posterior[name].values, again.idata.posterior[name].values
        )
    other_seed = short_fit(seed=4)
    assert not np.array_equal(
        default_fit.idata.unconstrained_posterior["z_total_reference"].values,
        other_seed.idata.unconstrained_posterior["z_total_reference"].values,
    )


def test_numpyro_and_pymc_sample_the_same_posterior(default_fit: td.FitResult) -> None:
    pymc_fit = short_fit(sampler="pymc", cores=1)
    assert pymc_fit.sampler == "pymc"
    ours, theirs = default_fit.summary(), pymc_fit.summary()
    # parameters the figures move (learned from data): their means agree within half a
    # posterior sd, far more than Monte Carlo error at a few hundred effective draws
    for name in ("total_reference[china]", "users_annual_rate", "chatbot_annual_rate", "noise"):
        sd = max(ours.loc[name, "sd"], theirs.loc[name, "sd"])
        gap = abs(ours.loc[name, "mean"] - theirs.loc[name, "mean"])
        means = f"numpyro {ours.loc[name, 'mean']:.4g}, pymc {theirs.loc[name, 'mean']:.4g}"
        assert gap < 0.5 * sd, f"{name}: {means} (posterior sd {sd:.3g})"


def test_chains_one_after_the_other_with_cores_1(default_fit: td.FitResult) -> None:
    sequential = short_fit(cores=1)
    assert sequential.sampler == "numpyro"
    assert sequential.diagnostics["max_rhat"] < 1.1
    assert sequential.diagnostics["divergences"] == 0


def test_numpyro_carries_on_from_where_the_chains_stopped(default_fit: td.FitResult) -> None:
    # default_fit stopped at 300 draws, short of the thresholds; allowed 900, the same chains
    # carry on: their first 300 draws are default_fit's
    longer = short_fit(max_draws=900)
    n = longer.idata.posterior.sizes["draw"]
    assert n in (600, 900) and longer.diagnostics["draws"] == n
    stats = longer.idata.sample_stats
    assert stats.sizes["draw"] == n and not bool(stats["diverging"].any())
    for name in default_fit.idata.posterior.data_vars:
        np.testing.assert_array_equal(
            longer.idata.posterior[name].values[:, :300], default_fit.idata.posterior[name].values
        )
    # it stopped at 600 only if the 600 draws met the thresholds
    if n == 600:
        assert longer.diagnostics["min_ess_bulk"] >= 400


def test_more_draws_are_asked_for_short_chains_only_without_divergences() -> None:
    rng = np.random.default_rng(0)
    no_divergence = np.zeros((2, 50), dtype=bool)
    few = rng.standard_normal((2, 50, 3))  # bulk ESS about 100
    assert numpyro_sampler._short(few, no_divergence)
    divergent = no_divergence.copy()
    divergent[1, 7] = True
    assert not numpyro_sampler._short(few, divergent)  # geometry: more draws do not mend it
    many = rng.standard_normal((2, 2000, 3))
    assert not numpyro_sampler._short(many, np.zeros((2, 2000), dtype=bool))
    apart = many + np.array([0.0, 0.3])[:, None, None]  # chains disagree: R-hat above 1.01
    assert numpyro_sampler._short(apart, np.zeros((2, 2000), dtype=bool))


def test_jax_log_density_matches_pymc_and_rebuilds_a_stale_cache_entry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    model_spec = td.TokenDemandModel()
    design = model_spec.design(CHINA)
    with _quiet_known_warnings():
        model = model_spec.build(design, deterministics=False)
        key = model_spec._cache_key(model, design)
        stored: dict[str, Any] = {}

        def remember(name: str, build: Any) -> Any:
            stored[name] = build()
            return stored[name]

        monkeypatch.setattr(_jax, "cached", remember)
        density = _jax.jax_log_density(model, key, chains=2)
        assert list(stored) == [f"{key}-jax"]
        assert not list(tmp_path.iterdir()), "PyTensor's generated sources left behind"
        rng = np.random.default_rng(0)
        shapes = {name: np.shape(value) for name, value in model.initial_point().items()}
        point = {v.name: rng.normal(size=shapes[v.name]) for v in model.value_vars}
        expected = model.compile_logp()(point)
        values = [point[v.name] for v in model.value_vars]
        assert float(density(*values)) == pytest.approx(expected, rel=1e-10)

        # an entry whose inputs are another model's is rebuilt, never sampled with
        graph = stored[f"{key}-jax"]
        graph.inputs[0].name = "z_something_else"
        monkeypatch.setattr(_jax, "cached", lambda name, build: graph)
        rebuilt = _jax.jax_log_density(model, key, chains=2)
        assert float(rebuilt(*values)) == pytest.approx(expected, rel=1e-10)


def test_map_is_a_maximum_of_the_log_density() -> None:
    """``method="map"`` optimises the JAX log density: no step along any coordinate raises it,
    and it is well above the prior median it starts from."""
    model_spec = td.TokenDemandModel()
    design = model_spec.design(CHINA)
    with _quiet_known_warnings():
        model = model_spec.build(design, deterministics=False)
        start = model.initial_point()
        point = numpyro_sampler.find_map(model, start)
        import jax  # started by find_map, with tokendemand's host devices

        key = model_spec._cache_key(model, design)
        density = jax.jit(_jax.jax_log_density(model, key, chains=2))
    names = [v.name for v in model.value_vars]

    def log_density(values: dict[str, Any]) -> float:
        return float(density(*(values[name] for name in names)))

    best = log_density(point)
    assert best > log_density(start) + 1.0
    for name in names:
        for index in np.ndindex(np.shape(point[name])):
            for step in (-1e-3, 1e-3):
                moved = {k: np.array(v, dtype=float) for k, v in point.items()}
                moved[name][index] += step
                assert log_density(moved) <= best + 1e-9, (name, index, step)


def test_the_chains_carry_on_judged_by_the_quantities_the_diagnostics_report(
    default_fit: td.FitResult,
) -> None:
    # the carry-on rule sees the structural quantities of the diagnostics, not only the
    # standard normals the sampler moves: R-hat of a location + spread * z is not z's
    from tokendemand.fitting.posterior import recorded_names, structural_draws

    z = default_fit.idata.unconstrained_posterior
    sampled = {str(n): z[n].values for n in z.data_vars if str(n).startswith("z_")}
    judged = structural_draws(
        sampled, default_fit.structure, default_fit.priors, default_fit.design
    )
    posterior = default_fit.idata.posterior
    chains, draws = posterior.sizes["chain"], posterior.sizes["draw"]
    names = [
        name
        for name, _ in recorded_names(default_fit.structure, default_fit.priors, default_fit.design)
    ]
    expected = np.concatenate(
        [posterior[name].values.reshape(chains, draws, -1) for name in names], axis=-1
    )
    np.testing.assert_allclose(judged, expected)
    no_divergence = np.zeros((chains, draws), dtype=bool)
    rhat = default_fit.diagnostics["max_rhat"]
    ess = default_fit.diagnostics["min_ess_bulk"]
    short = rhat > RHAT_MAX or ess < ESS_MIN
    assert numpyro_sampler._short(judged, no_divergence) == short
