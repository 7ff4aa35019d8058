"""fit.idata is a full ArviZ InferenceData; its log-likelihood is the model's, term by term.

No sampling here: draws of the standard-normal coordinates are made up (seeded) and turned into
the InferenceData the way a fit does.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytensor
import pytest

import tokendemand as td
from tokendemand.fitting.inference_data import FIGURES, PRIOR_DRAWS, inference_data
from tokendemand.fitting.io import FORMAT_VERSION
from tokendemand.fitting.likelihood import ObservationDesign, log_likelihood
from tokendemand.fitting.model import _quiet_known_warnings
from tokendemand.fitting.parametrization import free_parameters, structural_values
from tokendemand.fitting.posterior import recorded_names
from tokendemand.structure import Structure

DOUBAO = td.datasets.load("doubao")


def sampled(
    structure: Structure, design: ObservationDesign, chains: int = 2, draws: int = 200
) -> Any:
    """What a NUTS back end hands over: ``z_`` draws and sampler statistics."""
    import arviz as az

    rng = np.random.default_rng(0)
    posterior: dict[str, Any] = {}
    for p in free_parameters(structure, td.Priors()):
        size = (len(design.covered),) if p.dim == "series" else ()
        if p.dim != "series" or design.covered:
            posterior[f"z_{p.name}"] = 0.3 * rng.standard_normal((chains, draws, *size))
    posterior["z_total_reference"] = 0.3 * rng.standard_normal((chains, draws, len(design.markets)))
    stats = {"diverging": np.zeros((chains, draws), dtype=bool)}
    with _quiet_known_warnings():
        return az.from_dict(posterior=posterior, sample_stats=stats)


def full(structure: Structure) -> tuple[Any, ObservationDesign]:
    design = ObservationDesign.build(DOUBAO)
    return inference_data(sampled(structure, design), structure, td.Priors(), design), design


def test_groups_hold_what_arviz_reads() -> None:
    idata, design = full(Structure())
    assert set(idata.groups()) == {
        "posterior",
        "unconstrained_posterior",
        "sample_stats",
        "log_likelihood",
        "posterior_predictive",
        "prior",
        "prior_predictive",
        "observed_data",
    }
    names = [n for n, _ in recorded_names(Structure(), td.Priors(), design)]
    assert sorted(idata.posterior.data_vars) == sorted(names)
    assert all(str(n).startswith("z_") for n in idata.unconstrained_posterior.data_vars)
    assert idata.log_likelihood[FIGURES].shape == (2, 200, len(DOUBAO))
    assert idata.posterior_predictive[FIGURES].shape == (2, 200, len(DOUBAO))
    assert idata.prior["noise"].shape == (1, PRIOR_DRAWS)
    assert idata.prior["intensity_ratio"].shape == (1, PRIOR_DRAWS, 1)  # one market
    assert idata.prior_predictive[FIGURES].shape == (1, PRIOR_DRAWS, len(DOUBAO))
    observed = idata.observed_data[FIGURES]
    np.testing.assert_array_equal(observed.values, [float(o.value) for o in DOUBAO])
    assert list(observed["series"].values) == [o.series for o in DOUBAO]


def test_loo_and_compare_work_on_fit_idata() -> None:
    import arviz as az

    logistic, _ = full(Structure())
    gompertz, _ = full(Structure(penetration="gompertz"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # made-up draws: Pareto k is high
        # ArviZ 0.23's compare sorts with pandas' deprecated inplace= (pandas >= 3.1)
        warnings.filterwarnings("ignore", message="The inplace keyword")
        loo = az.loo(logistic)
        table = az.compare({"logistic": logistic, "gompertz": gompertz})
        summary = az.summary(logistic)
    assert loo.n_data_points == len(DOUBAO) and np.isfinite(loo.elpd_loo)
    assert set(table.index) == {"logistic", "gompertz"}
    assert "intensity_ratio[china]" in summary.index  # one market: rho per market
    assert not any(str(name).startswith("z_") for name in summary.index)


@pytest.mark.parametrize("dataset", ["doubao", "all"])  # all: bounds of both kinds, launches
def test_log_likelihood_is_the_models_term_by_term(dataset: str) -> None:
    """The numpy terms add up to the PyMC model's observed and censored log density."""
    structure, priors = Structure(), td.Priors()
    observations = DOUBAO if dataset == "doubao" else td.datasets.load(dataset)
    design = ObservationDesign.build(observations)
    model = td.TokenDemandModel(structure, priors).build(design, deterministics=False)
    rng = np.random.default_rng(3)
    shapes = {name: np.shape(value) for name, value in model.initial_point().items()}
    point = {v.name: 0.5 * rng.standard_normal(shapes[v.name]) for v in model.value_vars}
    # FAST_COMPILE: one evaluation needs no C compile of the graph
    with _quiet_known_warnings(), pytensor.config.change_flags(mode="FAST_COMPILE"):
        logp = model.compile_logp(vars=[*model.observed_RVs, *model.potentials])(point)
    z = {
        name[2:]: (value[None, None] if np.ndim(value) == 0 else value[None, :])
        for name, value in point.items()
    }
    values = structural_values(structure, priors, z, design.total_centre, np, design.market_groups)
    terms = log_likelihood(design, structure, priors, values)
    assert terms.shape == (1, len(observations))
    assert float(terms.sum()) == pytest.approx(float(logp), rel=1e-9)


def test_a_version_1_folder_loads_with_every_group(tmp_path: Path) -> None:
    """Version 1 saved the posterior (sampled and structural draws) and sample_stats only."""
    import arviz as az

    structure, priors = Structure(), td.Priors()
    design = ObservationDesign.build(DOUBAO)
    fit = td.FitResult.from_inference(
        sampled(structure, design),
        structure=structure,
        priors=priors,
        design=design,
        method="nuts",
        sampler="numpyro",
    )
    folder = fit.save(tmp_path / "fit")
    spec = json.loads((folder / "spec.json").read_text())
    assert spec["format_version"] == FORMAT_VERSION == 3
    old = az.InferenceData(
        posterior=fit.idata.posterior.merge(fit.idata.unconstrained_posterior),
        sample_stats=fit.idata.sample_stats,
    )
    (folder / "posterior.nc").unlink()
    old.to_netcdf(str(folder / "posterior.nc"))
    spec["format_version"] = 1
    (folder / "spec.json").write_text(json.dumps(spec))
    loaded = td.load_fit(folder)
    assert set(loaded.idata.groups()) == set(fit.idata.groups())
    for group in ("posterior", "log_likelihood", "posterior_predictive", "prior"):
        for name, values in getattr(fit.idata, group).data_vars.items():
            np.testing.assert_allclose(
                getattr(loaded.idata, group)[name].values, values.values, err_msg=name
            )
    assert not any(str(n).startswith("z_") for n in loaded.idata.posterior.data_vars)
