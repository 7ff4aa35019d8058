"""The notebooks fit models, so each one is a ``slow`` test: ``pytest -m "not slow"`` (the fast
local tier) leaves them out, and the full suite (CI) runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every notebook in this folder ``slow``."""
    for item in items:
        if item.path.suffix == ".ipynb" and item.path.parent == HERE:
            item.add_marker(pytest.mark.slow)
