"""Sweeps: the same numbers as projecting each row's scenario, in any blocks, here or on dask."""

from __future__ import annotations

import importlib.util
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from tokendemand.calculator import example_parameters
from tokendemand.errors import ConfigError
from tokendemand.projection import project
from tokendemand.projection.outputs import (
    AgentShare,
    BreakEvenDate,
    Multiplier,
    Total,
    numeric,
    output_from_dict,
)
from tokendemand.projection.space import row_scenario, sample_space
from tokendemand.projection.sweep import sweep
from tokendemand.scenarios import Pin, Scale, Scenario
from tokendemand.structure import Parameters, Structure

REF = "2026-03-31"
STRUCTURE = Structure()
OUTPUTS = {
    "multiplier": Multiplier("2028-12-31", REF),
    "total": Total("2029-06-30"),
    "share": AgentShare("2027-01-01"),
    "break_even": BreakEvenDate("2031-12-31"),
}


@dataclass(frozen=True)
class FakeFit:
    """Satisfies PosteriorSource: seeded draws, a substitution share that varies by draw."""

    draws: int = 40
    structure: Structure = STRUCTURE
    markets: tuple[str, ...] = ("china",)

    def posterior_parameters(self, market: str | None = None) -> Parameters:
        rng = np.random.default_rng(11)
        n = self.draws
        return example_parameters().replace(
            intensity_ratio=rng.lognormal(math.log(12.5), 0.3, n),
            penetration={"rate": rng.lognormal(0.0, 0.2, n), "ceiling": rng.uniform(0.3, 0.7, n)},
            complexity={"annual_rate": rng.normal(0.8, 0.2, n)},
            substitution=rng.uniform(0.0, 0.5, n),
        )


SPACE = pd.DataFrame(
    {
        "penetration.scale": [0.5, 1.0, 2.0, 1.3, 0.8],
        "complexity.per_year": [1.5, 2.0, 4.0, 3.0, 2.5],
        "users.ceiling_multiple": [2.0, 3.0, 1.5, 4.0, 2.5],
        "break_even_penetration": [0.04, 0.08, 0.15, 0.1, 0.2],
        "substitution": [0.0, 0.5, 1.0, 0.2, 0.7],
    },
    index=[f"s{i}" for i in range(5)],
)
BASE = Scenario("base", usage=Pin({"2029-01-01": 1.5}), start="2026-06-30")


@pytest.fixture(scope="module")
def swept() -> xr.Dataset:
    return sweep(FakeFit(), SPACE, OUTPUTS, base=BASE, chunk_size=30)


def test_sweep_equals_projecting_each_row(swept: xr.Dataset) -> None:
    for row in SPACE.index:
        projection = project(
            FakeFit(), row_scenario(SPACE, row, BASE), until="2031-12-31", variables="all"
        )
        mine = swept.sel(scenario=row)
        expected = projection.multiplier(REF, "2028-12-31").values[0]
        np.testing.assert_allclose(mine["multiplier"].values, expected, rtol=1e-12)
        at = projection.at(["2029-06-30", "2027-01-01"])
        np.testing.assert_allclose(mine["total"].values, at["total"].values[0, :, 0], rtol=1e-12)
        share = at["agent_share"].values[0, :, 1]
        np.testing.assert_allclose(mine["share"].values, share, rtol=1e-12)
        crossing = projection.break_even()
        dates = crossing.dates.values[0]
        assert np.array_equal(np.isnat(dates), np.isnat(mine["break_even"].values)), row
        apart = np.abs((dates - mine["break_even"].values).astype(np.int64))
        assert np.all(apart[~np.isnat(dates)] <= 1), (row, apart.max())  # 1 ns: rounding


def test_sweep_dataset_layout(swept: xr.Dataset) -> None:
    assert dict(swept.sizes) == {"scenario": 5, "draw": 40}
    assert list(swept.data_vars) == list(OUTPUTS)
    assert list(swept["scenario"].values) == list(SPACE.index)
    np.testing.assert_array_equal(swept["complexity.per_year"], SPACE["complexity.per_year"])
    assert swept["break_even"].dtype == np.dtype("datetime64[ns]")
    assert swept["multiplier"].attrs["kind"] == "multiplier"
    assert swept.attrs["base"] == "base" and swept.attrs["reference_date"] == REF


def test_blocks_do_not_change_the_numbers(swept: xr.Dataset) -> None:
    for chunk_size in (1, 7, 10_000):
        again = sweep(FakeFit(), SPACE, OUTPUTS, base=BASE, chunk_size=chunk_size)
        xr.testing.assert_identical(again, swept)


def test_break_even_search_step_matches_reading_every_day() -> None:
    space = sample_space({"penetration.scale": (0.3, 3.0), "intensity_ratio": (3.0, 30.0)}, 16)
    coarse = sweep(example_parameters(), space, BreakEvenDate("2034-12-31", step=100))
    daily = sweep(example_parameters(), space, BreakEvenDate("2034-12-31", step=1))
    assert (~np.isnat(daily["break_even"].values)).sum() > 8  # most rows cross
    xr.testing.assert_identical(coarse.drop_attrs(), daily.drop_attrs())


def test_break_even_already_and_never() -> None:
    space = pd.DataFrame({"break_even_penetration": [0.001, 0.9]}, index=["already", "never"])
    found = sweep(example_parameters(), space, BreakEvenDate("2027-12-31", start="2026-06-30"))
    values = found["break_even"].values[:, 0]
    assert values[0] == np.datetime64("2026-06-30") and np.isnat(values[1])
    years = numeric(BreakEvenDate("2027-12-31"), values, pd.Timestamp(REF))
    assert math.isclose(years[0], 91 / 365.25) and years[1] > 1.7  # censored at until


def test_outputs_round_trip_their_tables() -> None:
    for output in OUTPUTS.values():
        assert output_from_dict(output.to_dict()) == output
    with pytest.raises(ConfigError, match="kind = one of"):
        output_from_dict({"kind": "volume"})
    with pytest.raises(ConfigError, match="must be after"):
        Multiplier("2026-01-01", "2027-01-01")


def test_sweep_reports_bad_input() -> None:
    params = example_parameters()
    with pytest.raises(ConfigError, match="two outputs are named"):
        sweep(params, SPACE, [Total("2027-01-01"), Total("2027-01-01")])
    with pytest.raises(ConfigError, match="not an output"):
        sweep(params, SPACE, ["multiplier"])  # type: ignore[list-item]
    with pytest.raises(ConfigError, match="chunk_size"):
        sweep(params, SPACE, Total("2027-01-01"), chunk_size=0)
    with pytest.raises(ConfigError, match="scheduler must be"):
        sweep(params, SPACE, Total("2027-01-01"), scheduler="threads")
    with pytest.raises(ConfigError, match="unknown parameter 'rate'"):
        sweep(params, pd.DataFrame({"users.rate": [1.0]}), Total("2027-01-01"))


def test_calculator_scalars_give_one_draw() -> None:
    space = pd.DataFrame({"penetration.scale": [1.0, 2.0]})
    found = sweep(example_parameters(), space, Multiplier("2030-12-31"))
    assert dict(found.sizes) == {"scenario": 2, "draw": 1}
    unchanged = project(example_parameters(), "posterior").multiplier(REF, "2030-12-31")
    value = float(found["multiplier_reference_2030-12-31"][0, 0])
    assert math.isclose(value, float(unchanged[0, 0]), rel_tol=1e-12)
    faster = Scenario("x", penetration=Scale(2.0))
    assert float(found["multiplier_reference_2030-12-31"][1, 0]) == pytest.approx(
        float(project(example_parameters(), faster).multiplier(REF, "2030-12-31")[0, 0]),
        rel=1e-12,
    )


def test_dask_threads_and_a_local_cluster_give_identical_results(swept: xr.Dataset) -> None:
    pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    threads = sweep(FakeFit(), SPACE, OUTPUTS, base=BASE, chunk_size=30, scheduler="dask")
    xr.testing.assert_identical(threads, swept)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = sweep(FakeFit(), SPACE, OUTPUTS, base=BASE, chunk_size=30, scheduler=client)
    xr.testing.assert_identical(remote, swept)


def test_sweep_bench_runs_and_prints_its_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(__file__).resolve().parents[2] / "bench" / "sweep.py"
    spec = importlib.util.spec_from_file_location("bench_sweep", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    monkeypatch.setattr(sys, "argv", ["sweep.py", "--rows", "12", "--draws", "5", "--no-dask"])
    bench.main()
    lines = capsys.readouterr().out.strip().splitlines()
    found = {line.split(":")[0]: line for line in lines}
    multiplier = found["largest relative multiplier difference from the reference"]
    assert float(multiplier.rsplit(" ", 1)[1]) < 1e-12, multiplier
    assert "the same draws never cross: True" in found["break-even dates"]
    assert re.fullmatch(r"ratio=\d+\.\d+ peak_mb=\d+\.\d+ dask_equal=False", lines[-1]), lines[-1]
