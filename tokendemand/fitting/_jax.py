"""JAX for the fitting back ends: starting it, its persistent compilation cache, and the model's
log density as a JAX function.

The log density is the graph PyMC builds for the model (so every back end samples and optimises
the same posterior), rewritten for JAX. NUTS (:mod:`tokendemand.fitting._numpyro`), the MAP
point and ADVI (:mod:`tokendemand.fitting._advi`) all take it from here. Two caches make a warm
fit cheap:

- the rewritten graph (PyTensor's rewriting, timed by ``python bench/fit.py``) is kept in the
  compile cache of :mod:`tokendemand.fitting._compile_cache`, keyed on the model and its data
  (:func:`jax_log_density`; the optimisers compile afresh, :func:`uncached_log_density`);
- XLA's persistent compilation cache keeps the compiled function in ``<cache>/jax`` (unless the
  process set its own ``jax_compilation_cache_dir``), so a new process does not compile it again;
  at most :data:`JAX_CACHE_BYTES`, least recently used entries removed first. The cache is set
  for the block that compiles only and the process's JAX settings are restored after it
  (:func:`compilation_cache`): other JAX work in the process is not cached by tokendemand.

Chains run in parallel, one XLA host device each. JAX fixes its device count when it starts, so
when tokendemand is the first to import JAX it asks for ``max(chains, CPUs)`` host devices
(``XLA_FLAGS=--xla_force_host_platform_device_count``); when JAX was started before with fewer
devices than chains, the chains are vectorised on one device. JAX computes in 64-bit floats
(``jax_enable_x64``), as PyMC's own JAX samplers set it.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from tokendemand.fitting._compile_cache import cache_dir, cached, is_cached
from tokendemand.fitting._progress import FitProgress
from tokendemand.fitting.options import DEFAULT_CHAINS

__all__ = [
    "JAX_CACHE_BYTES",
    "FlatLayout",
    "compilation_cache",
    "jax_log_density",
    "start_jax",
    "uncached_log_density",
    "without_widget_warning",
]

_DEVICE_FLAG = "--xla_force_host_platform_device_count"

JAX_CACHE_BYTES: Final = 256 * 2**20
"""Size limit of the XLA compilation cache in ``<cache>/jax``."""


@contextlib.contextmanager
def without_widget_warning() -> Iterator[None]:
    """NumPyro imports ``tqdm.auto``, which in a Jupyter kernel without ipywidgets warns that
    it falls back to text progress bars: all the progress bar needs."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        yield


def start_jax(chains: int) -> Any:
    """Import JAX with enough host devices for ``chains`` (if not already started) and 64-bit
    floats."""
    if "jax" not in sys.modules and _DEVICE_FLAG not in os.environ.get("XLA_FLAGS", ""):
        devices = max(chains, os.cpu_count() or 1)
        os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {_DEVICE_FLAG}={devices}"
    import jax

    config: Any = jax.config  # untyped
    config.update("jax_enable_x64", True)
    return jax


@contextlib.contextmanager
def compilation_cache(jax: Any) -> Iterator[None]:
    """XLA's persistent compilation cache in ``<cache>/jax`` while the block runs.

    The process's own settings are restored after it; a process that set its own cache folder
    keeps it (and its settings) throughout. ``TOKENDEMAND_COMPILE_CACHE=0`` turns it off.
    """
    config: Any = jax.config  # untyped
    if os.environ.get("TOKENDEMAND_COMPILE_CACHE", "1") == "0" or getattr(
        config, "jax_compilation_cache_dir", None
    ):
        yield
        return
    from jax.experimental.compilation_cache import compilation_cache

    ours = {
        "jax_compilation_cache_dir": str(cache_dir() / "jax"),
        # the sampler compiles in about a second: cache it whatever its size or compile time
        "jax_persistent_cache_min_compile_time_secs": 0.0,
        "jax_persistent_cache_min_entry_size_bytes": -1,
        # about 0.5 MB per model and data set: least recently used entries go beyond this
        "jax_compilation_cache_max_size": JAX_CACHE_BYTES,
    }
    previous = {name: getattr(config, name) for name in ours}
    for name, value in ours.items():
        config.update(name, value)
    compilation_cache.reset_cache()  # JAX reads the settings when it first compiles
    try:
        yield
    finally:
        for name, value in previous.items():
            config.update(name, value)
        compilation_cache.reset_cache()


def jax_log_density(
    model: Any, key: str, chains: int, progress: FitProgress | None = None
) -> Callable[..., Any]:
    """The log density of ``model`` as a JAX function of its value variables, in order.

    Parameters
    ----------
    model
        A ``pymc.Model``.
    key
        Compile-cache key of the model (see
        :func:`~tokendemand.fitting._compile_cache.fingerprint`); the rewritten graph is stored
        under ``<key>-jax``.
    chains
        Chains to be sampled: JAX starts with a host device for each, if it has not started.
    progress
        Shows whether the graph came from the cache.
    """
    start_jax(chains)
    names = [v.name for v in model.value_vars]

    def rewrite() -> Any:
        return _rewritten_log_density(model)

    if progress is not None:
        progress.stage("compiling (cached)" if is_cached(f"{key}-jax") else "compiling")
    graph = cached(f"{key}-jax", rewrite)
    if [v.name for v in graph.inputs] != names:
        graph = rewrite()  # a stale entry of another layout: never sample with it
    function = _jax_function(graph)
    return lambda *values: function(*values)[0]


@dataclass(frozen=True)
class FlatLayout:
    """Where each of a model's value variables sits in the one position vector that NumPyro,
    L-BFGS-B and ADVI move: the variables in the model's order, each raveled."""

    names: tuple[str, ...]
    shapes: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, model: Any, point: Mapping[str, Any]) -> FlatLayout:
        """The layout of ``model``'s value variables, shaped as in ``point``."""
        names = tuple(v.name for v in model.value_vars)
        return cls(names, tuple(np.shape(point[name]) for name in names))

    def _slices(self) -> list[slice]:
        ends = np.cumsum([int(np.prod(shape)) for shape in self.shapes])
        return [slice(int(e - np.prod(s)), int(e)) for e, s in zip(ends, self.shapes, strict=True)]

    def position(self, point: Mapping[str, Any]) -> np.ndarray[Any, Any]:
        """The position vector of ``point`` (value variable name -> array)."""
        return np.concatenate([np.ravel(np.asarray(point[n], dtype=float)) for n in self.names])

    def values(self, position: Any) -> list[Any]:
        """The variables' values in a position vector (numpy or JAX), in the model's order; a
        stack of positions (leading axes) gives stacks of values."""
        lead = tuple(position.shape[:-1])
        return [
            position[..., where].reshape(lead + shape)
            for where, shape in zip(self._slices(), self.shapes, strict=True)
        ]

    def point(self, position: Any) -> dict[str, np.ndarray[Any, Any]]:
        """:meth:`values` by variable name, as numpy arrays."""
        return dict(zip(self.names, (np.asarray(v) for v in self.values(position)), strict=True))


def _rewritten_log_density(model: Any) -> Any:
    """The log density of ``model`` as a PyTensor graph rewritten for JAX, its inputs the
    model's value variables in order."""
    from pymc.model.transform.optimization import freeze_dims_and_data
    from pytensor.compile.mode import JAX, Mode
    from pytensor.graph import FunctionGraph

    # dimensions and data as constants: JAX needs static shapes. The frozen model lists
    # its value variables in another order: take them in the model's.
    frozen = freeze_dims_and_data(model)
    by_name = {v.name: v for v in frozen.value_vars}
    inputs = [by_name[v.name] for v in model.value_vars]
    graph = FunctionGraph(inputs=inputs, outputs=[frozen.logp()], clone=True)
    # The transforms keep every parameter in its support (the model is built with
    # check_bounds=False): drop the parameter checks of the censored figures' tails too,
    # as PyMC's own compilation does, instead of JAX skipping them with a warning.
    query = JAX.provided_optimizer.including("local_remove_check_parameter")
    Mode(linker=JAX.linker, optimizer=query).optimizer.rewrite(graph)
    return graph


def uncached_log_density(model: Any) -> tuple[Any, Callable[..., Any]]:
    """JAX, started as a default fit would start it if it is the first, and ``model``'s log
    density as a JAX function of its value variables, in order (its first output), compiled
    afresh: for the optimisers (MAP, ADVI), which the compile cache does not serve."""
    jax = start_jax(DEFAULT_CHAINS)
    return jax, _jax_function(_rewritten_log_density(model))


def _jax_function(graph: Any) -> Callable[..., Any]:
    """``graph`` (rewritten for JAX) as a JAX function, PyTensor's generated sources removed."""
    with without_widget_warning():  # PyTensor's JAX dispatch imports NumPyro
        from pytensor.link.jax.dispatch import jax_funcify

    function: Callable[..., Any] = jax_funcify(graph)
    _remove_generated_sources(function)
    return function


def _remove_generated_sources(function: Callable[..., Any]) -> None:
    """Delete the files PyTensor wrote the source of ``function``'s generated parts to.

    PyTensor's JAX dispatch writes the Python source of each function it generates to a file in
    the temp folder (about 15 per model) and leaves it there; the compiled functions do not
    need them. The generated functions carry their source as ``__source__``: found through the
    globals and closures of ``function``.
    """
    seen: set[int] = set()
    stack: list[Any] = [function]
    files: set[str] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen or not inspect.isfunction(item):
            continue
        seen.add(id(item))
        generated = hasattr(item, "__source__")
        if generated:
            files.add(item.__code__.co_filename)
            stack.extend(item.__globals__.values())
        for cell in item.__closure__ or ():
            with contextlib.suppress(ValueError):  # an empty cell
                stack.append(cell.cell_contents)
    for name in files:
        if os.path.basename(name).startswith("tmp"):
            with contextlib.suppress(OSError):
                os.remove(name)
