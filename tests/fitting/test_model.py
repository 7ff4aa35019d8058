"""TokenDemandModel and fit: building, option checks, MAP and ADVI, recovery of known parameters
and default fits that converge (slow)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand.errors import ConfigError, ConvergenceWarning
from tokendemand.fitting._jax import uncached_log_density
from tokendemand.observations import Observation, Observations
from tokendemand.priors import Priors
from tokendemand.structure import Parameters, Structure


def test_model_builds_and_its_log_density_is_finite(template: Observations) -> None:
    model = td.TokenDemandModel()
    design = model.design(template)
    pm_model = model.build(design)
    free = {v.name for v in pm_model.free_RVs}
    assert "z_intensity_ratio" in free and "z_coverage" in free
    # the JAX log density every NUTS fit samples (PyMC's C compile is checked against it in
    # tests/fitting/test_samplers.py)
    _, log_density = uncached_log_density(pm_model)
    point = pm_model.initial_point()
    assert np.isfinite(log_density(*[point[v.name] for v in pm_model.value_vars])[0])
    assert "intensity_ratio" in {d.name for d in pm_model.deterministics}
    lean = model.build(design, deterministics=False)
    assert not lean.deterministics


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"method": "vi"}, "method must be one of"),
        ({"draws": 0}, "draws must be an integer >= 1"),
        ({"chains": 1.5}, "chains must be an integer"),
        ({"sampler": "stan"}, "sampler must be one of"),
        ({"target_accept": 1.2}, "target_accept"),
        ({"draws": 500, "max_draws": 400}, r"max_draws must be an integer >= draws \(500\)"),
        ({"max_draws": 2000, "sampler": "pymc"}, "max_draws applies to NUTS with sampler="),
        ({"max_draws": 2000, "method": "map"}, "max_draws applies to NUTS"),
    ],
)
def test_fit_rejects_bad_options_before_sampling(
    options: dict[str, object], message: str, template: Observations
) -> None:
    with pytest.raises(ConfigError, match=message):
        td.fit(template, **options)


def test_model_rejects_wrong_types_and_missing_priors() -> None:
    with pytest.raises(ConfigError, match="structure must be a Structure"):
        td.TokenDemandModel(structure="logistic")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="Priors needs a field 'usage_slope'"):
        Priors().for_lever("usage", "slope")


@pytest.mark.slow
def test_map_and_advi_quick_looks() -> None:
    observations = td.datasets.load("doubao")
    point = td.fit(observations, method="map", random_seed=1)
    assert point.n_draws == 1 and point.method == "map"
    assert np.isnan(point.diagnostics["max_rhat"])
    with pytest.warns(ConvergenceWarning, match="quick look"):
        approx = td.fit(observations, method="advi", draws=200, random_seed=1)
    assert approx.n_draws == 200


@pytest.mark.slow
def test_recovery_from_simulated_mixed_frequency_figures() -> None:
    """Known parameters come back: each true value inside its 94% interval."""
    truth = Parameters(
        "2026-03-31",
        scale=8e13,
        intensity_ratio=10.0,
        penetration={"ceiling": 0.45, "midpoint": "2028-06-30", "rate": 0.6},
        users={"annual_rate": 0.35, "ceiling_multiple": 2.2},
        chatbot={"annual_rate": 0.7, "ceiling_multiple": 3.5},
        complexity={"annual_rate": 1.0, "ceiling_multiple": 8.0},
    )
    rows = []
    for day in pd.date_range("2024-03-31", "2026-03-31", freq="QE"):
        rows.append(
            Observation("national", "china", "point", 1.0, day, day, source="t", confidence="high")
        )
    for month in ("2025-06", "2025-12"):
        start = pd.Timestamp(f"{month}-01")
        rows.append(
            Observation(
                "national", "china", "mean", 1.0, start, start + pd.offsets.MonthEnd(0), source="t"
            )
        )
    rows.append(
        Observation("national", "china", "total", 1.0, "2026-03-18", "2026-03-24", source="t")
    )
    rows.append(
        Observation(
            "national",
            "china",
            "ratio",
            1.0,
            "2026-03-25",
            "2026-03-31",
            base_start="2026-03-18",
            base_end="2026-03-24",
            source="t",
        )
    )
    for day in ("2025-06-30", "2025-12-31", "2026-03-31"):
        rows.append(Observation("surveys", "china", "penetration", 0.5, day, day, source="t"))
    rows.append(
        Observation("surveys", "china", "agent_share", 0.5, "2026-03-01", "2026-03-31", source="t")
    )
    template = Observations(rows)
    simulated = td.fitting.simulate(Structure(), truth, template, random_seed=5, noise=0.05)
    # Users' and chatbot growth trade off along a curved ridge (only their product reaches the
    # chatbot volume): with the default 1000 tuning steps the bulk ESS is 222 on this data, and
    # the ConvergenceWarning says so. Its advice, a longer tune, is what this test follows.
    result = td.fit(simulated, tune=2000, random_seed=2)
    assert result.diagnostics["divergences"] == 0
    summary = result.summary()
    true_values = {
        "intensity_ratio": 10.0,
        "penetration_ceiling": 0.45,
        "penetration_rate": 0.6,
        "penetration_midpoint": truth.penetration["midpoint"],
        "users_annual_rate": 0.35,
        "users_ceiling_multiple": 2.2,
        "chatbot_annual_rate": 0.7,
        "chatbot_ceiling_multiple": 3.5,
        "complexity_annual_rate": 1.0,
        "complexity_ceiling_multiple": 8.0,
        "scale[china]": 8e13,
    }
    misses = [
        f"{name}: true {value:.4g} outside [{summary.loc[name, 'q03']:.4g}, "
        f"{summary.loc[name, 'q97']:.4g}]"
        for name, value in true_values.items()
        if not summary.loc[name, "q03"] <= value <= summary.loc[name, "q97"]
    ]
    assert not misses, "parameters missed: " + "; ".join(misses)
    # penetration and agent-share figures identify what volumes alone cannot
    assert summary.loc["penetration_now", "learned_from"] == "data"
    assert summary.loc["intensity_ratio", "learned_from"] in {"data", "weak"}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["china_national", "doubao", "seed"])
def test_default_fit_converges(name: str) -> None:
    # A ConvergenceWarning would fail this test (warnings are errors): the defaults must
    # give max R-hat <= 1.01, no divergences and at least 400 effective draws everywhere.
    # One seed per dataset here; `python bench/converge.py --seeds 3` repeats this check over
    # several seeds (robustness to a lucky seed is a measurement, too slow for every run) and
    # adds the main job's data, which do not pass it at every seed yet (see that script).
    # The seed figures span three markets; under the default partial pooling their fit does
    # not yet meet the thresholds (a known limitation, in issue 16's note), so this checks
    # the single set of levers (complete pooling) there; one series is the same under both.
    pooling = "complete" if name == "seed" else "partial"
    model = td.TokenDemandModel(td.Structure(pooling=pooling))
    result = model.fit(td.datasets.load(name), random_seed=1)
    d = result.diagnostics
    assert d["max_rhat"] <= 1.01, d
    assert d["divergences"] == 0, d
    assert d["min_ess_bulk"] >= 400, d
