"""The benchmarks under ``bench/`` still run against the library as it is (tiny sizes)."""

from __future__ import annotations

import importlib.util
import re
import warnings
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

import tokendemand as td

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_projection_bench_floor_matches_project_and_prints_its_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = load("projection")
    monkeypatch.setattr(bench, "DRAWS", 7)
    monkeypatch.setattr(bench, "UNTIL", bench.REFERENCE + pd.DateOffset(years=1))
    bench.main()  # asserts that project and the numpy floor agree to 1e-10
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(r"ratio=\d+\.\d+ memory_ratio=\d+\.\d+", last), last


@pytest.mark.slow
def test_fit_bench_models_both_sample() -> None:
    bench = load("fit")
    with warnings.catch_warnings():
        # 30 draws are far too few for the ESS threshold: expected here
        warnings.simplefilter("ignore", td.ConvergenceWarning)
        _, ours = bench.ours(draws=30, tune=30)
        # the bare model on NumPyro: PyMC's own sampler (the bench's reference) would spend
        # minutes compiling C on a cold CI, and tests/fitting/test_samplers.py runs it already
        _, bare = bench.bare(draws=30, tune=30, nuts_sampler="numpyro")
    for diagnostics in (ours, bare):
        assert {"max_rhat", "min_ess_bulk", "divergences"} <= set(diagnostics)


@pytest.mark.slow
def test_advi_bench_fits_and_prints_its_line() -> None:
    # the reference (PyMC's ADVI) is left out: its C compile alone takes minutes on a cold CI
    bench = load("advi")
    elapsed, draws = bench.ours(bench.model(), iterations=200)
    assert elapsed > 0 and draws.shape == (bench.DRAWS,) and np.isfinite(draws).all()
    line = bench.last_line({"ours": [2.0, 1.0], "reference": [40.0, 4.0]})
    assert line == "ratio=0.250 first_ratio=0.050"
