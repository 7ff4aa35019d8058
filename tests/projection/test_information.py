"""What the data decided: headline answers under the posterior and under the prior alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest

import tokendemand as td
from tokendemand.errors import ConfigError, NotFittedError
from tokendemand.fitting.likelihood import ObservationDesign
from tokendemand.fitting.posterior import prior_values
from tokendemand.priors import LogitNormal, LogNormal, Priors
from tokendemand.projection.information import FIXED, information, label, prior_source
from tokendemand.structure import Structure


@dataclass(frozen=True)
class PriorOnly:
    """Stands in for a fit: its "posterior" is a set of prior draws of ``priors``."""

    priors: Priors
    structure: Structure = field(default_factory=Structure)

    @property
    def design(self) -> ObservationDesign:
        return ObservationDesign.build(td.datasets.load("china_national"))

    @property
    def markets(self) -> tuple[str, ...]:
        return self.design.markets

    @property
    def reference_date(self) -> pd.Timestamp:
        return self.design.reference_date

    def prior_draws(self, n: int = 4000, random_seed: int = 0) -> dict[str, Any]:
        return prior_values(self.structure, self.priors, self.design, n, random_seed)


def _projection(fit: PriorOnly, seed: int) -> td.Projection:
    source = prior_source(fit, 400, seed)
    return td.project(source, ["posterior"], until="2030-12-31", freq="W")  # type: ignore[arg-type]


def test_labels() -> None:
    assert label(0.2, 3.0) == "decided by the data"
    assert label(0.95, 0.1) == "mostly the prior"
    assert label(0.95, -0.8) == "partly"
    assert label(0.7, 0.0) == "partly"


def test_prior_against_itself_is_mostly_the_prior() -> None:
    fit = PriorOnly(Priors())
    table = information(fit, _projection(fit, seed=1), prior_draws=400, random_seed=2)
    assert set(table["scenario"]) == {"posterior"}
    expected = {
        "break-even date",
        "P(break-even before 2027-12-31)",
        "P(break-even before 2028-12-31)",
        "P(break-even before 2030-12-31)",
        "multiplier 2026-03-31 to 2030-12-31",
        *(f"attribution: {lever}" for lever in td.structure.LEVERS),
        "agent share 2026-03-31",
        "agent share 2030-12-31",
    }
    assert set(table["quantity"]) == expected
    varying = table[table["label"] != FIXED]
    # two samples of one distribution: interval widths agree within sampling error
    assert np.allclose(varying["width_ratio"].dropna(), 1.0, atol=0.25)
    assert (varying["label"] != "decided by the data").all()
    assert (varying.loc[varying["label"] == "mostly the prior", "evidence"] != "").all()
    # usage is constant by default: its factor is exactly 1 under both
    usage = table.set_index("quantity").loc["attribution: usage"]
    assert usage["label"] == FIXED and usage["posterior_median"] == 1.0


def test_tight_agent_layer_is_decided() -> None:
    tight = PriorOnly(
        Priors(intensity_ratio=LogNormal(12.5, 0.03), penetration_now=LogitNormal(0.05, 0.03))
    )
    table = information(PriorOnly(Priors()), _projection(tight, seed=1), prior_draws=400)
    rows = table.set_index("quantity")
    assert rows.loc["agent share 2026-03-31", "label"] == "decided by the data"
    assert rows.loc["agent share 2026-03-31", "width_ratio"] < 0.2
    assert rows.loc["agent share 2026-03-31", "evidence"] == ""
    share = 12.5 * 0.05 / (1 + 12.5 * 0.05)
    assert rows.loc["agent share 2026-03-31", "posterior_median"] == pytest.approx(share, rel=0.05)


def test_bad_inputs() -> None:
    fit = PriorOnly(Priors())
    calculator = td.project(td.example_parameters(), "posterior", until="2028-12-31")
    with pytest.raises(NotFittedError, match="projection of a fitted result"):
        information(fit, calculator)
    with pytest.raises(ConfigError, match="outside the projection"):
        information(fit, _projection(fit, 1), horizons=["2035-01-01"])
    with pytest.raises(NotFittedError, match="fitted result"):
        prior_source(object())
