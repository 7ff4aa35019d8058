"""A disk cache of compiled log-density-and-gradient functions.

PyTensor caches the C code of each operation, but every new process still differentiates the model,
rewrites the graph and links the function, which can take longer than the sampling of a default fit
(``python bench/fit.py`` times both). A compiled :class:`pymc.model.core.ValueGradFunction` pickles
and unpickles in well under that, so this module keeps the pickles.

The key of an entry is a SHA-256 of everything the compiled function depends on: the model's
specification and data (passed in by the caller), the versions of PyMC and PyTensor, and the
source of the tokendemand modules that build the graph, so a change to the code invalidates
the cache. Entries live under PyTensor's compile directory (``PYTENSOR_FLAGS=
base_compiledir=...`` moves them with the rest), at most :data:`MAX_ENTRIES` of them, oldest
removed first. Set ``TOKENDEMAND_COMPILE_CACHE=0`` to bypass the cache. An entry that cannot
be read is recompiled and replaced.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final

__all__ = ["GRAPH_MODULES", "MAX_ENTRIES", "cache_dir", "cached", "fingerprint", "is_cached"]

_log = logging.getLogger(__name__)

MAX_ENTRIES: Final = 64
GRAPH_MODULES: Final = (
    "curves.py",
    "dates.py",
    "errors.py",
    "observations/__init__.py",
    "observations/checks.py",
    "observations/collection.py",
    "observations/levels.py",
    "observations/observation.py",
    "observations/operators.py",
    "observations/reading.py",
    "observations/schema.py",
    "priors.py",
    "structure.py",
    "units.py",
    "fitting/__init__.py",
    "fitting/_advi.py",
    "fitting/_compile_cache.py",
    "fitting/_jax.py",
    "fitting/_numpyro.py",
    "fitting/_progress.py",
    "fitting/_pymc.py",
    "fitting/curve_points.py",
    "fitting/design.py",
    "fitting/diagnostics.py",
    "fitting/inference_data.py",
    "fitting/io.py",
    "fitting/layout.py",
    "fitting/likelihood.py",
    "fitting/model.py",
    "fitting/options.py",
    "fitting/parametrization.py",
    "fitting/posterior.py",
    "fitting/pseudo.py",
    "fitting/result.py",
    "fitting/series_curves.py",
    "fitting/simulate.py",
)
"""Source files (relative to the package) whose text enters every key: every module that
building the model imports. ``tests/fitting/test_compile_cache.py`` fails when one is missing."""


def cache_dir() -> Path:
    """Folder of the cache (inside PyTensor's compile directory)."""
    import pytensor

    return Path(pytensor.config.compiledir) / "tokendemand"


def fingerprint(parts: Iterable[bytes | str]) -> str:
    """SHA-256 over ``parts`` plus library versions and the graph-building source code."""
    import pymc
    import pytensor

    digest = hashlib.sha256()
    package = Path(__file__).parent.parent
    for chunk in (pymc.__version__, pytensor.__version__):
        digest.update(chunk.encode())
    for module in GRAPH_MODULES:
        digest.update((package / module).read_bytes())
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
    return digest.hexdigest()


def is_cached(key: str) -> bool:
    """Whether :func:`cached` has an entry under ``key`` (it may still turn out unreadable)."""
    if os.environ.get("TOKENDEMAND_COMPILE_CACHE", "1") == "0":
        return False
    return (cache_dir() / f"{key}.pkl").is_file()


def cached(key: str, build: Callable[[], Any]) -> Any:
    """The object stored under ``key``, or ``build()`` stored there (and returned)."""
    if os.environ.get("TOKENDEMAND_COMPILE_CACHE", "1") == "0":
        return build()
    folder = cache_dir()
    path = folder / f"{key}.pkl"
    if path.is_file():
        try:
            with path.open("rb") as handle:
                value = pickle.load(handle)
            os.utime(path)
            return value
        except Exception:
            path.unlink(missing_ok=True)
    value = build()
    temporary: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
            temporary = handle.name
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        temporary = None
        _prune(folder)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        # costs time on the next fit, nothing else: say so, but do not stop the fit
        _log.warning(
            "could not write compile cache entry %s (%s); the next fit compiles again", path, error
        )
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return value


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[MAX_ENTRIES:]:
        stale.unlink(missing_ok=True)
