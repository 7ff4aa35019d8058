"""Sensitivity: Sobol' machinery against the Ishigami function's known indices, the indices of
a real source obey their identities, one-at-a-time swings, studies from TOML."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tokendemand.calculator import example_parameters
from tokendemand.errors import ConfigError
from tokendemand.fitting import FitResult
from tokendemand.projection.outputs import Multiplier
from tokendemand.projection.sensitivity import PARAMETERS, sensitivity, sobol_table
from tokendemand.projection.study import load_study, study_tables
from tokendemand.projection.sweep import sweep
from tokendemand.structure import Parameters

SPACE = {
    "penetration.scale": (0.5, 2.0),
    "complexity.per_year": (1.5, 4.0),
    "intensity_ratio": (5.0, 20.0),
}


def draws(n: int = 64) -> Parameters:
    """Calculator mode with arrays of draws: the posterior input has something to split."""
    rng = np.random.default_rng(5)
    return example_parameters().replace(
        penetration={"rate": rng.uniform(0.6, 1.4, n), "ceiling": rng.uniform(0.3, 0.7, n)},
        complexity={"annual_rate": rng.uniform(0.5, 1.2, n)},
    )


def test_ishigami_indices_match_their_closed_form() -> None:
    a, b = 7.0, 0.1

    def ishigami(x: np.ndarray) -> np.ndarray:
        return np.sin(x[0]) + a * np.sin(x[1]) ** 2 + b * x[2] ** 4 * np.sin(x[0])

    # Ishigami and Homma (1990): the variance and its parts for x uniform on [-pi, pi]^3
    v1 = 0.5 * (1.0 + b * math.pi**4 / 5.0) ** 2
    v2 = a**2 / 8.0
    v13 = b**2 * math.pi**8 * (1.0 / 18.0 - 1.0 / 50.0)
    variance = v1 + v2 + v13
    first = [v1 / variance, v2 / variance, 0.0]
    total = [(v1 + v13) / variance, v2 / variance, v13 / variance]
    box = (-math.pi, math.pi)
    table = sobol_table(ishigami, {"x1": box, "x2": box, "x3": box}, n=2**13, seed=1)
    np.testing.assert_allclose(table["first_order"], first, atol=0.02)
    np.testing.assert_allclose(table["total"], total, atol=0.02)
    assert (table["first_order_low"] <= table["first_order"]).all()
    assert (table["total"] <= table["total_high"]).all()
    assert table.attrs["evaluations"] == 5 * 2**13


@pytest.fixture(scope="module")
def indices() -> pd.DataFrame:
    return sensitivity(draws(), SPACE, "multiplier", n=1024, end="2028-12-31")


def test_sobol_indices_of_a_source_obey_their_identities(indices: pd.DataFrame) -> None:
    assert list(indices.index) == [*SPACE, PARAMETERS]
    # first-order indices are shares of one variance: together at most 1, within their bounds
    assert indices["first_order_low"].sum() <= 1.0
    # an input explains at least as much with its interactions as alone
    assert (indices["total_high"] >= indices["first_order_low"]).all()
    assert (indices["total"] > 0.0).all()
    assert indices.attrs["output"] == "multiplier_reference_2028-12-31"
    assert indices.attrs["draws"] == 64


def test_sobol_gives_nothing_to_a_setting_that_changes_nothing() -> None:
    # usage is constant in the default structure, and a growth of 0 leaves it so
    table = sensitivity(
        example_parameters(),
        {"complexity.per_year": (1.5, 4.0), "usage.growth": (0.0, 1e-12)},
        Multiplier("2028-12-31"),
        n=256,
    )
    assert PARAMETERS not in table.index  # one draw: nothing for the data to split
    assert abs(table.loc["usage.growth", "total"]) < 1e-6
    assert table.loc["complexity.per_year", "first_order"] > 0.99


def test_one_at_a_time_swings() -> None:
    table = sensitivity(draws(), SPACE, "multiplier", method="oat", end="2028-12-31")
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
    assert set(table.index) == {*SPACE, PARAMETERS}
    middle = pd.DataFrame({k: [(lo + hi) / 2] for k, (lo, hi) in SPACE.items()})
    swept = sweep(draws(), middle, Multiplier("2028-12-31"))
    median = float(np.median(swept["multiplier_reference_2028-12-31"].values))
    assert table["baseline"].iloc[0] == pytest.approx(median, rel=1e-12)
    row = table.loc["complexity.per_year"]
    assert (row["low"], row["high"]) == SPACE["complexity.per_year"]
    assert row["output_high"] > row["baseline"] > row["output_low"]
    chance = sensitivity(draws(), SPACE, "multiplier", method="oat", above=5.0, end="2028-12-31")
    assert chance[["output_low", "output_high"]].isin(np.arange(65) / 64).all().all()
    assert chance.attrs["output"] == "P(multiplier_reference_2028-12-31 > 5)"


def test_sensitivity_reports_bad_input() -> None:
    params = example_parameters()
    with pytest.raises(ConfigError, match="power of 2"):
        sensitivity(params, SPACE, "multiplier", n=1000, end="2028-12-31")
    with pytest.raises(ConfigError, match="unknown output"):
        sensitivity(params, SPACE, "volume")
    with pytest.raises(ConfigError, match="method must be"):
        sensitivity(params, SPACE, "multiplier", method="morris", end="2028-12-31")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="cannot be a setting"):
        sensitivity(params, {**SPACE, PARAMETERS: (0, 1)}, "multiplier", end="2028-12-31")
    with pytest.raises(ConfigError, match="no variance"):
        sensitivity(params, {"usage.growth": (0.0, 1e-300)}, "total", date="2026-03-31", n=16)


STUDY = """
version = 1
title = "What decides 70x by 2028"
method = "{method}"
n = 256
above = 70.0

[output]
kind = "multiplier"
end = 2028-12-31

[space]
"penetration.scale" = [0.5, 2.0]
"complexity.per_year" = [1.5, 4.0]
"""


@pytest.mark.parametrize("method", ["sobol", "oat"])
def test_study_from_toml_gives_report_tables(tmp_path: Path, method: str) -> None:
    path = tmp_path / "study.toml"
    path.write_text(STUDY.format(method=method), encoding="utf-8")
    study = load_study(path)
    assert study.output == Multiplier("2028-12-31") and study.above == 70.0
    tables = study_tables(draws(), study)
    assert list(tables) == ["What decides 70x by 2028"]
    table = tables["What decides 70x by 2028"]
    if method == "sobol":
        assert "parameters (posterior draws)" in table.index
        assert "total index" in table.columns
    else:  # a probability over draws: the draws are summarised, not an input
        assert list(table.index) == ["penetration.scale", "complexity.per_year"] or list(
            table.index
        ) == ["complexity.per_year", "penetration.scale"]
        assert "swing" in table.columns


def test_study_file_problems_are_listed_together(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('method = "x"\nspeed = 1\n[space]\n"a.b" = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_study(path)
    message = str(error.value)
    for fragment in ("unknown key 'speed'", "method must be", "expected [low, high]", "[output]"):
        assert fragment in message, fragment


@pytest.mark.slow
def test_sobol_indices_on_a_real_fit_obey_their_identities(fit: FitResult) -> None:
    """The posterior draws of a fit of china_national are the ``parameters`` input."""
    table = sensitivity(fit, SPACE, "multiplier", n=256, end="2028-12-31", seed=2)
    assert list(table.index) == [*SPACE, PARAMETERS]
    assert table.attrs["draws"] == fit.n_draws
    # first-order indices: together at most 1 within their bounds; total >= first order
    assert table["first_order_low"].sum() <= 1.0
    assert (table["total_high"] >= table["first_order_low"]).all()
    assert (table["total"] > 0.0).all()
