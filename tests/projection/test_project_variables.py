"""project() stores the variables asked for, in float64 or float32."""

from __future__ import annotations

import numpy as np
import pytest

from tokendemand.calculator import example_parameters
from tokendemand.errors import ConfigError
from tokendemand.projection import DEFAULT_VARIABLES, project
from tokendemand.structure import COMPONENTS


def test_default_stores_what_the_report_reads() -> None:
    projection = project(example_parameters(), ["posterior", "cicc-moderate"], until="2029")
    assert tuple(projection.dataset.data_vars) == DEFAULT_VARIABLES
    assert set(projection.to_frame()["variable"]) == set(DEFAULT_VARIABLES)
    assert projection.break_even().dates.shape == (2, 1)
    assert "Projection" in projection._repr_html_()
    everything = project(example_parameters(), "posterior", until="2029", variables="all")
    assert tuple(everything.dataset.data_vars) == tuple(COMPONENTS)
    for name in DEFAULT_VARIABLES:
        np.testing.assert_array_equal(
            projection.dataset[name].sel(scenario="posterior"),
            everything.dataset[name].sel(scenario="posterior"),
        )


def test_float32_halves_the_memory_and_keeps_seven_digits() -> None:
    wide = project(example_parameters(), "posterior", until="2030", variables="all")
    narrow = project(
        example_parameters(), "posterior", until="2030", variables="all", dtype=np.float32
    )

    def stored(projection: object) -> int:
        dataset = projection.dataset  # type: ignore[attr-defined]
        return sum(dataset[name].nbytes for name in dataset.data_vars)

    assert stored(narrow) * 2 == stored(wide)
    for name in COMPONENTS:
        assert narrow.dataset[name].dtype == np.float32
        np.testing.assert_allclose(narrow.dataset[name], wide.dataset[name], rtol=1e-6)


def test_missing_and_unknown_variables_say_what_to_do() -> None:
    only_total = project(example_parameters(), "posterior", until="2028", variables=["total"])
    assert list(only_total.dataset.data_vars) == ["total"]
    with pytest.raises(ConfigError, match="break_even\\(\\) needs the variables agent"):
        only_total.break_even()
    with pytest.raises(ConfigError, match="to_frame\\(\\) needs the variables users"):
        only_total.to_frame(variables=["users"])
    assert float(only_total.at("2028-01-01")["users"].squeeze()) > 1.0  # at() computes all
    with pytest.raises(ConfigError, match="unknown variables \\['tokens'\\]"):
        project(example_parameters(), variables=["tokens"])
    with pytest.raises(ConfigError, match="dtype must be"):
        project(example_parameters(), dtype=np.int64)
