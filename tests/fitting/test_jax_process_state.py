"""The JAX back ends leave the user's process as it found it: JAX's compilation cache is
set for the sampling only, the temp folder is never swapped, and PyTensor's generated sources
are removed."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tokendemand as td
from tokendemand.fitting import _jax
from tokendemand.fitting.model import _quiet_known_warnings

SETTINGS = (
    "jax_compilation_cache_dir",
    "jax_persistent_cache_min_compile_time_secs",
    "jax_persistent_cache_min_entry_size_bytes",
    "jax_compilation_cache_max_size",
)


def test_the_compilation_cache_is_set_inside_the_block_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TOKENDEMAND_COMPILE_CACHE", raising=False)
    monkeypatch.setattr(_jax, "cache_dir", lambda: tmp_path)
    jax = _jax.start_jax(2)
    before = {name: getattr(jax.config, name) for name in SETTINGS}
    assert before["jax_compilation_cache_dir"] is None, "the process set a cache of its own"
    with _jax.compilation_cache(jax):
        assert jax.config.jax_compilation_cache_dir == str(tmp_path / "jax")
        assert jax.config.jax_persistent_cache_min_compile_time_secs == 0.0
    assert {name: getattr(jax.config, name) for name in SETTINGS} == before


def test_a_cache_folder_the_process_chose_is_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    jax = _jax.start_jax(2)
    previous = jax.config.jax_compilation_cache_dir
    jax.config.update("jax_compilation_cache_dir", str(tmp_path / "mine"))
    try:
        with _jax.compilation_cache(jax):
            assert jax.config.jax_compilation_cache_dir == str(tmp_path / "mine")
        assert jax.config.jax_compilation_cache_dir == str(tmp_path / "mine")
    finally:
        jax.config.update("jax_compilation_cache_dir", previous)


def test_jax_log_density_matches_pymc_leaves_no_sources_and_no_tempdir_swap(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen: list[Any] = []
    original = tempfile.gettempdir

    def spy() -> str:
        seen.append(tempfile.tempdir)
        return original()

    monkeypatch.setattr(tempfile, "gettempdir", spy)
    spec = td.TokenDemandModel()
    design = spec.design(td.datasets.load("doubao"))
    with _quiet_known_warnings():
        model = spec.build(design, deterministics=False)
        monkeypatch.setattr(_jax, "cached", lambda name, build: build())
        density = _jax.jax_log_density(model, "test", chains=2)
        rng = np.random.default_rng(0)
        shapes = {name: np.shape(value) for name, value in model.initial_point().items()}
        point = {v.name: rng.normal(size=shapes[v.name]) for v in model.value_vars}
        expected = model.compile_logp()(point)
    assert float(density(*[point[v.name] for v in model.value_vars])) == pytest.approx(
        expected, rel=1e-10
    )
    assert not list(tmp_path.iterdir()), "PyTensor's generated sources left behind"
    assert set(seen) <= {str(tmp_path)}, "the temp folder was swapped during the fit"
