"""The compile cache: storing, reloading and rebuilding entries, and a key that covers every module
the model imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokendemand.fitting import _compile_cache as compile_cache


def test_compile_cache_stores_reloads_and_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compile_cache, "cache_dir", lambda: tmp_path)
    calls = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"value": len(calls)}

    key = compile_cache.fingerprint([b"data", "spec"])
    assert key != compile_cache.fingerprint([b"data", "other spec"])
    assert compile_cache.cached(key, build) == {"value": 1}
    assert compile_cache.cached(key, build) == {"value": 1}  # from disk
    (tmp_path / f"{key}.pkl").write_bytes(b"corrupt")
    assert compile_cache.cached(key, build) == {"value": 2}  # rebuilt
    monkeypatch.setenv("TOKENDEMAND_COMPILE_CACHE", "0")
    assert compile_cache.cached(key, build) == {"value": 3}  # bypassed
    monkeypatch.setattr(compile_cache, "MAX_ENTRIES", 2)
    monkeypatch.delenv("TOKENDEMAND_COMPILE_CACHE")
    for i in range(4):
        compile_cache.cached(f"k{i}", build)
    assert len(list(tmp_path.glob("*.pkl"))) == 2


def test_compile_cache_that_cannot_write_says_so_and_still_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(compile_cache, "cache_dir", lambda: tmp_path)
    unpicklable = lambda: None  # noqa: E731
    with caplog.at_level("WARNING", logger="tokendemand.fitting._compile_cache"):
        assert compile_cache.cached("key", lambda: unpicklable) is unpicklable
    assert "could not write compile cache entry" in caplog.text
    assert not list(tmp_path.iterdir())  # no half-written file left behind
