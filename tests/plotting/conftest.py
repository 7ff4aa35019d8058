"""Fixtures of the plotting tests: figures closed after each test and a calculator-mode projection
with 40 draws."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib.pyplot as plt
import numpy as np
import pytest

import tokendemand as td


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def projection() -> td.Projection:
    """Calculator mode with 40 draws of the intensity ratio, two scenarios, weekly grid."""
    params = td.example_parameters()
    draws = params.replace(intensity_ratio=np.linspace(6.0, 20.0, 40))
    return td.project(
        draws,
        ["posterior", "fast-adoption"],
        until="2030-12-31",
        freq="W",
        start="2024-01-01",
        market="china",
    )
