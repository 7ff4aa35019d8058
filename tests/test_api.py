"""The public surface: __all__ is exactly what the package exports, errors form one tree."""

from __future__ import annotations

import subprocess
import sys
import types

import tokendemand as td


def test_all_is_exactly_the_public_names() -> None:
    names = set(td.__all__)
    assert len(names) == len(td.__all__), "duplicates in __all__"
    public_values = {
        name
        for name in dir(td)
        if not name.startswith("_") and not isinstance(getattr(td, name), types.ModuleType)
    } - {"annotations"}  # from __future__ import annotations
    # every public non-module attribute is exported, and everything exported exists
    assert public_values <= names, sorted(public_values - names)
    assert all(hasattr(td, name) for name in names)


def test_error_hierarchy() -> None:
    assert issubclass(td.ConfigError, td.TokenDemandError)
    assert issubclass(td.ConfigError, ValueError)
    assert issubclass(td.DataError, td.TokenDemandError)
    assert issubclass(td.DataError, ValueError)
    assert issubclass(td.NotFittedError, td.TokenDemandError)
    assert issubclass(td.NotFittedError, RuntimeError)
    assert issubclass(td.ConvergenceWarning, UserWarning)


def test_import_does_not_load_matplotlib_or_pymc() -> None:
    code = (
        "import sys, tokendemand; "
        "print(sorted(m for m in ('matplotlib', 'pymc') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
