"""Recovery of the agent layer from simulated agent-share, intensity-ratio and proxy figures."""

from __future__ import annotations

import pandas as pd
import pytest

import tokendemand as td
from tokendemand.observations import Observation, Observations
from tokendemand.structure import Parameters, Structure

pytestmark = pytest.mark.slow

TRUTH = Parameters(
    "2026-03-31",
    scale=8e13,
    intensity_ratio=10.0,
    penetration={"ceiling": 0.45, "midpoint": "2028-06-30", "rate": 0.6},
    users={"annual_rate": 0.35, "ceiling_multiple": 2.2},
    chatbot={"annual_rate": 0.7, "ceiling_multiple": 3.5},
    complexity={"annual_rate": 1.0, "ceiling_multiple": 8.0},
)
BIAS = {"org_adoption": 1.0, "programming_share": 0.7}


def _template() -> Observations:
    rows = [
        Observation("national", "china", "point", 1.0, day, day, source="t", confidence="high")
        for day in pd.date_range("2024-03-31", "2026-03-31", freq="QE")
    ]
    for day in pd.date_range("2024-12-31", "2026-03-31", freq="QE"):
        rows.append(
            Observation(
                "orgs", "global", "penetration", 0.5, day, day, source="t", proxy="org_adoption"
            )
        )
        rows.append(
            Observation(
                "prog",
                "openrouter",
                "agent_share",
                0.5,
                day,
                day,
                source="t",
                proxy="programming_share",
            )
        )
    for day in ("2025-06-30", "2026-03-31"):
        rows.append(Observation("users", "global", "penetration", 0.5, day, day, source="t"))
        rows.append(Observation("agents", "openrouter", "agent_share", 0.5, day, day, source="t"))
    rows.append(
        Observation("ir", "global", "intensity_ratio", 1.0, "2026-01-15", "2026-01-15", source="t")
    )
    return Observations(rows)


def test_agent_layer_and_proxy_biases_are_recovered() -> None:
    simulated = td.fitting.simulate(
        Structure(pooling="complete"),
        TRUTH,
        _template(),
        random_seed=5,
        noise=0.05,
        proxy_bias=BIAS,
    )
    # One agent layer generated the figures of all three markets: the model that says so is
    # complete pooling (partial pooling gives each market its own rho and penetration, which
    # the national volumes alone do not identify for china)
    model = td.TokenDemandModel(Structure(pooling="complete"))
    result = model.fit(simulated, tune=1500, random_seed=2, reference_date="2026-03-31")
    assert result.diagnostics["divergences"] == 0
    summary = result.summary()
    now = float(td.structure.evaluate(Structure(), TRUTH, 0.0)["penetration"])
    true_values = {
        "intensity_ratio": 10.0,
        "penetration_now": now,
        "proxy_bias[org_adoption]": BIAS["org_adoption"],
        "proxy_bias[programming_share]": BIAS["programming_share"],
    }
    misses = [
        f"{name}: true {value:.4g} outside [{summary.loc[name, 'q03']:.4g}, "
        f"{summary.loc[name, 'q97']:.4g}]"
        for name, value in true_values.items()
        if not summary.loc[name, "q03"] <= value <= summary.loc[name, "q97"]
    ]
    assert not misses, "missed: " + "; ".join(misses)
    for name in ("intensity_ratio", "penetration_now"):
        assert summary.loc[name, "learned_from"] == "data", name
    # each proxy's bias is estimated: its posterior is not its prior
    for proxy in BIAS:
        row = summary.loc[f"proxy_bias[{proxy}]"]
        assert row["sd_ratio"] < 0.5, proxy
