"""The package face: a small __all__ of names that resolve, keyword-only fit options, errors in
one tree, subpackages importable beside the functions named like them."""

from __future__ import annotations

import inspect
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


def test_the_face_is_small_and_every_name_resolves() -> None:
    assert len(td.__all__) <= 30, f"{len(td.__all__)} names: import the rest from subpackages"
    namespace: dict[str, object] = {}
    exec("from tokendemand import *", namespace)
    assert sorted(set(td.__all__) - set(namespace)) == []
    for name in td.__all__:
        assert namespace[name] is getattr(td, name)


def test_fit_options_are_keyword_only() -> None:
    parameters = list(inspect.signature(td.fit).parameters.values())
    assert [p.name for p in parameters if p.kind is p.VAR_KEYWORD] == []
    names = [p.name for p in parameters]
    options = parameters[names.index("observations") + 1 :]
    assert options, "fit takes no options after observations"
    assert [p.name for p in options if p.kind is not p.KEYWORD_ONLY] == []


def test_the_fitting_model_module_is_not_shadowed_by_fit() -> None:
    import tokendemand.fitting.model as m

    assert isinstance(m, types.ModuleType) and m.__name__ == "tokendemand.fitting.model"
    assert m.fit is td.fit and m.TokenDemandModel is td.TokenDemandModel
    assert isinstance(td.fitting, types.ModuleType) and callable(td.fit)
