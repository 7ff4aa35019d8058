"""Default fits of the bundled datasets converge (the promise of the defaults)."""

from __future__ import annotations

import pytest

import tokendemand as td

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("name", ["china_national", "doubao", "seed"])
def test_default_fit_converges(name: str, seed: int) -> None:
    # A ConvergenceWarning would fail this test (warnings are errors): the defaults must
    # give max R-hat <= 1.01, no divergences and at least 400 effective draws everywhere,
    # from more than one lucky seed (a default fit takes a few seconds).
    result = td.fit(td.datasets.load(name), random_seed=seed)
    d = result.diagnostics
    assert d["max_rhat"] <= 1.01, d
    assert d["divergences"] == 0, d
    assert d["min_ess_bulk"] >= 400, d
