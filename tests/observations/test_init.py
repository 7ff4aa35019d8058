"""The observations package: its docstring examples run."""

from __future__ import annotations

import doctest

import tokendemand.observations as observations_module


def test_docstring_examples_run() -> None:
    result = doctest.testmod(observations_module, raise_on_error=False)
    assert result.attempted >= 10
    assert result.failed == 0
