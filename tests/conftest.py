"""Shared test configuration and fixtures.

A non-interactive matplotlib backend; the short china_national fit (and its weekly projection)
that the report, plotting and notebook tests share, fitted once per run; a fake structural fit
for the backtests of the runner, its plot and its command.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import tokendemand as td
from tests.backtest.helpers import FakeResult
from tokendemand.errors import ConvergenceWarning
from tokendemand.fitting.model import TokenDemandModel
from tokendemand.observations import Observations

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[Observations]:
    """Replace the structural fit with :class:`FakeResult`, recording what it was given."""
    seen: list[Observations] = []

    def fake_fit(self: TokenDemandModel, observations: Observations, **options: Any) -> FakeResult:
        seen.append(observations)
        return FakeResult(observations)

    monkeypatch.setattr(TokenDemandModel, "fit", fake_fit)
    return seen


@pytest.fixture(scope="session")
def fit() -> td.FitResult:
    """A deliberately short fit (the chains do not carry on): its ConvergenceWarning (low
    ESS) is expected here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        return td.fit(
            td.datasets.load("china_national"),
            draws=200,
            max_draws=200,
            tune=200,
            chains=2,
            random_seed=1,
        )


@pytest.fixture(scope="session")
def projection(fit: td.FitResult) -> td.Projection:
    # a weekly grid that ends on 2030-12-31 (as tokendemand run makes) and covers the data
    start = pd.Timestamp("2030-12-31") - pd.Timedelta(weeks=366)
    return td.project(fit, until="2030-12-31", freq="7D", start=start)


_NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every notebook ``slow``: they fit models, so ``pytest -m "not slow"`` (the fast
    local tier) leaves them out, and the full suite (CI) runs them. The hook lives here, not in
    ``notebooks/conftest.py``: two top-level ``conftest`` modules cannot both be imported."""
    for item in items:
        if item.path.suffix == ".ipynb" and item.path.parent == _NOTEBOOKS:
            item.add_marker(pytest.mark.slow)
