"""Fixtures of the fitting tests: one figure of every kind as a data template, and one short
fit of china_national that the result and io tests share (fitted once per run)."""

from __future__ import annotations

import warnings

import pytest

import tokendemand as td
from tests.fitting.helpers import obs
from tokendemand.errors import ConvergenceWarning
from tokendemand.observations import Observations


@pytest.fixture(scope="session")
def template() -> Observations:
    """One figure of every kind, in two series of one market (``subseries`` is covered)."""
    return Observations(
        [
            obs("point", 1e12, "2024-06-30"),
            obs("mean", 1e13, "2025-03-01", "2025-03-31"),
            obs("total", 1e14, "2025-09-01", "2025-09-07"),
            obs("point", 1e14, "2026-03-31"),
            obs(
                "ratio",
                1.1,
                "2026-03-25",
                "2026-03-31",
                base_start="2026-03-18",
                base_end="2026-03-24",
            ),
            obs("point", 5e13, "2026-03-31", series="subseries"),
            obs("penetration", 0.05, "2026-01-15"),
            obs("agent_share", 0.3, "2026-02-01", "2026-02-28"),
            obs("share", 0.4, "2026-03-31", series="subseries"),
        ]
    )


def short_fit(observations: Observations, **options: object) -> td.FitResult:
    """A deliberately short fit: too few draws for the ESS threshold, and the chains do not
    carry on (``max_draws=300``), so its warning is expected and filtered here, not globally."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        return td.fit(
            observations, draws=300, max_draws=300, tune=300, chains=2, random_seed=1, **options
        )


@pytest.fixture(scope="session")
def china() -> td.FitResult:
    return short_fit(td.datasets.load("china_national"))
