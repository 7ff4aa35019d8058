"""Fixtures of the projection tests: one projection of a fake posterior over six scenarios."""

from __future__ import annotations

import pytest

from tests.projection.helpers import fit_source, project
from tokendemand.projection import Projection
from tokendemand.scenarios import Growth, Override, Pin, Scenario, builtin


@pytest.fixture(scope="session")
def posterior() -> Projection:
    scenarios = [
        *builtin(),
        Scenario("pinned", usage=Pin({"2028-01-01": 3.0, "2030-01-01": 5.0})),
        Scenario("ceiling", penetration=Override(ceiling=0.9), complexity=Growth.per_year(3.0)),
    ]
    return project(fit_source(), scenarios, until="2030-12-31")
