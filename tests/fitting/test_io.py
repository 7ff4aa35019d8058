"""Saving and loading fits: round trip, bad folders and a fit saved by the pre-restructure code."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tokendemand as td
from tokendemand.errors import DataError
from tokendemand.fitting.result import load_fit


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
    spec["format_version"] = 2
    (folder / "spec.json").write_text(json.dumps(spec))
    with pytest.raises(DataError, match="format version 2"):
        td.load_fit(folder)
    spec["format_version"] = 1
    (folder / "spec.json").write_text(json.dumps(spec))
    (folder / "posterior.nc").write_bytes(b"\x89HDF\r\n garbage")
    with pytest.raises(DataError, match="could not be loaded"):
        td.load_fit(folder)
