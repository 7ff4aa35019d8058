"""Shared test configuration: a non-interactive matplotlib backend and a per-run compile cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


_NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every notebook ``slow``: they fit models, so ``pytest -m "not slow"`` (the fast
    local tier) leaves them out, and the full suite (CI) runs them. The hook lives here, not in
    ``notebooks/conftest.py``: two top-level ``conftest`` modules cannot both be imported."""
    for item in items:
        if item.path.suffix == ".ipynb" and item.path.parent == _NOTEBOOKS:
            item.add_marker(pytest.mark.slow)
