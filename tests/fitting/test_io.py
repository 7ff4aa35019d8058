"""Saving and loading fits: round trip, bad folders and a fit saved by the pre-restructure code."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tokendemand as td
from tokendemand.errors import DataError
from tokendemand.fitting.io import FORMAT_VERSION
from tokendemand.fitting.result import load_fit
from tokendemand.priors import Priors

SAVED_BEFORE_RESTRUCTURE = Path(__file__).resolve().parents[1] / "data" / "saved_fit_v1"


def test_load_fit_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"spec\.json is missing"):
        load_fit(tmp_path / "nothing")
    folder = tmp_path / "fit"
    folder.mkdir()
    for name in ("posterior.nc", "observations.csv"):
        (folder / name).write_text("x")
    (folder / "spec.json").write_text("{not json")
    with pytest.raises(DataError, match="corrupted"):
        load_fit(folder)
    (folder / "spec.json").write_text('{"format": "tokendemand-fit", "format_version": 99}')
    with pytest.raises(DataError, match="format version 99; this tokendemand reads version 1"):
        load_fit(folder)
    (folder / "spec.json").write_text('{"format": "something-else"}')
    with pytest.raises(DataError, match="not a tokendemand fit"):
        load_fit(folder)


@pytest.mark.slow
def test_save_and_load_round_trip(china: td.FitResult, tmp_path: Path) -> None:
    folder = china.save(tmp_path / "fit")
    loaded = td.load_fit(folder)
    assert loaded.structure == china.structure and loaded.priors == china.priors
    assert loaded.observations == china.observations
    assert dict(loaded.diagnostics) == pytest.approx(dict(china.diagnostics), nan_ok=True)
    a = td.project(china, until="2028-12-31").dataset
    b = td.project(loaded, until="2028-12-31").dataset
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values)
    spec = json.loads((folder / "spec.json").read_text())
    spec["format_version"] = 99
    (folder / "spec.json").write_text(json.dumps(spec))
    with pytest.raises(DataError, match="format version 99"):
        td.load_fit(folder)
    spec["format_version"] = 1
    (folder / "spec.json").write_text(json.dumps(spec))
    (folder / "posterior.nc").write_bytes(b"\x89HDF\r\n garbage")
    with pytest.raises(DataError, match=r"posterior\.nc could not be loaded .* corrupted"):
        td.load_fit(folder)


def test_a_fit_saved_before_the_restructure_loads_and_projects() -> None:
    """``tests/data/saved_fit_v1`` was saved by commit b0a81f8, before ``fitting/`` and
    ``projection/`` were subpackages: ``td.fit(td.datasets.load("china_national"),
    method="map", random_seed=1).save(...)``. The restructure kept format version 1; version 2
    (the full InferenceData groups) still reads version-1 folders, and version 3 (pooling)
    reads them as the model they were fitted with: complete pooling, one noise for every kind."""
    spec = json.loads((SAVED_BEFORE_RESTRUCTURE / "spec.json").read_text(encoding="utf-8"))
    assert spec["format_version"] == 1 and FORMAT_VERSION == 3
    fit = load_fit(SAVED_BEFORE_RESTRUCTURE)
    assert (fit.method, fit.n_draws, fit.markets) == ("map", 1, ("china",))
    assert fit.structure.pooling == "complete"
    fixed = {"kind": "Fixed", "value": 1.0}
    stored = {**spec["priors"], "noise_ratio_factor": fixed, "noise_share_factor": fixed}
    assert fit.priors == Priors.from_dict(stored)
    assert len(fit.observations) == 5
    projection = td.project(fit, until="2027-12-31")
    at_reference = projection.at(spec["reference_date"])["total"]
    # the total on the reference date is the fitted level there, in every scenario
    fitted = float(fit.idata.posterior["total_reference"].values.squeeze())
    np.testing.assert_allclose(at_reference.values.ravel(), fitted, rtol=1e-12)
    later = projection.at("2027-12-31")["total"].sel(scenario="posterior")
    assert np.all(np.isfinite(later.values)) and float(later.squeeze()) > fitted
