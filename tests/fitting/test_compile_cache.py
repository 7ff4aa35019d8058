"""The compile cache: storing, reloading and rebuilding entries, and a key that covers every module
the model imports."""

from __future__ import annotations

import ast
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


PACKAGE = Path(compile_cache.__file__).resolve().parent.parent

NOT_IN_KEY: dict[str, str] = {
    "__init__.py": (
        "the package face: Python runs it before any submodule, but it only re-exports names "
        "(lazily) and builds no part of the graph"
    ),
    "notebook.py": (
        "FitResult._repr_html_ imports it inside the method to draw a Jupyter table; the "
        "compiled log density never calls it"
    ),
}
"""Modules the model reaches that are left out of the compile-cache key, each with its reason.
The walk does not go on through them."""


def _module_file(dotted: str) -> str | None:
    """The file of a ``tokendemand`` module (a package's ``__init__.py``) relative to the
    package, or None when ``dotted`` is not a tokendemand module (say, a class name)."""
    parts = dotted.split(".")
    if parts[0] != "tokendemand":
        return None
    folder = PACKAGE.joinpath(*parts[1:])
    if (folder / "__init__.py").is_file():
        return (folder / "__init__.py").relative_to(PACKAGE).as_posix()
    module = folder.with_suffix(".py")
    return module.relative_to(PACKAGE).as_posix() if module.is_file() else None


def _imported_files(path: str) -> set[str]:
    """Files of the tokendemand modules ``path`` imports anywhere in its text (module level,
    in functions, under ``if TYPE_CHECKING``), with the packages Python runs on the way."""
    tree = ast.parse((PACKAGE / path).read_text(encoding="utf-8"))
    package = ["tokendemand", *Path(path).parent.parts]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.append(module)
            names.extend(f"{module}.{alias.name}" for alias in node.names)  # submodules
    files: set[str] = set()
    for name in names:
        parts = name.split(".")
        for end in range(1, len(parts) + 1):  # a.b runs __init__.py, a/__init__.py, a/b.py
            found = _module_file(".".join(parts[:end]))
            if found is not None:
                files.add(found)
    return files


def reached_from(start: str) -> set[str]:
    """Every file reached from ``start`` by tokendemand imports, transitively, not walking on
    through the modules in :data:`NOT_IN_KEY`."""
    reached, todo = set(), [start]
    while todo:
        path = todo.pop()
        if path in reached:
            continue
        reached.add(path)
        if path not in NOT_IN_KEY:
            todo.extend(_imported_files(path) - reached)
    return reached


def missing_from_key() -> list[str]:
    """Files the model reaches that neither enter the key nor are excluded with a reason."""
    key = set(compile_cache.GRAPH_MODULES)
    return sorted(reached_from("fitting/model.py") - key - set(NOT_IN_KEY))


def test_key_covers_every_module_the_model_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    assert missing_from_key() == []
    reached = reached_from("fitting/model.py")
    # the walk follows module-level, function-level and package imports
    assert {"fitting/likelihood.py", "observations/__init__.py", "units.py"} <= reached
    assert "notebook.py" in reached  # imported only inside FitResult._repr_html_
    assert "projection/result.py" not in reached  # the package face is not walked through
    assert set(NOT_IN_KEY) <= reached, "an exclusion the model no longer reaches: drop it"
    key = compile_cache.GRAPH_MODULES
    for entry in sorted(reached & set(key)):  # the check names any entry taken out
        without = tuple(m for m in key if m != entry)
        monkeypatch.setattr(compile_cache, "GRAPH_MODULES", without)
        assert missing_from_key() == [entry]
    for entry in key:
        assert (PACKAGE / entry).is_file(), f"GRAPH_MODULES names {entry}, which does not exist"
