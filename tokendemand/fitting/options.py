"""The options of a fit: methods, NUTS back ends, defaults, and every invalid option at once."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from tokendemand.errors import ConfigError

__all__ = [
    "DEFAULT_CHAINS",
    "DEFAULT_SAMPLER",
    "DEFAULT_TARGET_ACCEPT",
    "METHODS",
    "SAMPLERS",
    "checked_options",
]

METHODS: Final[tuple[str, ...]] = ("nuts", "map", "advi")
SAMPLERS: Final[tuple[str, ...]] = ("numpyro", "pymc", "nutpie")
"""NUTS back ends: NumPyro in JAX, PyMC's own, or nutpie (``pip install 'tokendemand[nutpie]'``)."""

DEFAULT_SAMPLER: Final = "numpyro"
"""NumPyro's NUTS on the JAX-compiled model (:mod:`tokendemand.fitting._numpyro`).

``python bench/fit.py`` times each back end on the bundled data, cold and warm, against the
others in the same run."""

DEFAULT_CHAINS: Final = 4
"""NUTS chains of a fit. R-hat's threshold (1.01) assumes at least 4 chains; on the bundled data
4 chains give about twice the effective draws of 2 in about the same wall time (``python
bench/chains.py`` measures 2 against 4, vectorised on one device and in parallel)."""

DEFAULT_TARGET_ACCEPT: Final[Mapping[str, float]] = MappingProxyType({"numpyro": 0.95, "pymc": 0.9})
"""NUTS target acceptance rate by sampler, when ``fit`` is not given one (nutpie uses its own)."""


def checked_options(
    method: str,
    draws: int,
    tune: int,
    chains: int,
    sampler: str | None,
    target_accept: float | None,
    max_draws: int | None,
) -> tuple[str, float]:
    """The sampler and target acceptance to use; every invalid option raised at once."""
    problems = []
    if method not in METHODS:
        problems.append(f"method must be one of {METHODS}, got {method!r}")
    for name, value, low in (("draws", draws, 1), ("tune", tune, 0), ("chains", chains, 1)):
        if not isinstance(value, int) or value < low:
            problems.append(f"{name} must be an integer >= {low}, got {value!r}")
    chosen = sampler if sampler is not None else DEFAULT_SAMPLER
    if target_accept is None:
        target_accept = DEFAULT_TARGET_ACCEPT.get(chosen, 0.9)
    if max_draws is not None and (
        not isinstance(max_draws, int) or (isinstance(draws, int) and max_draws < draws)
    ):
        problems.append(f"max_draws must be an integer >= draws ({draws}), got {max_draws!r}")
    if max_draws is not None and not (method == "nuts" and chosen == "numpyro"):
        problems.append(
            "max_draws applies to NUTS with sampler='numpyro' only (the other back ends "
            "cannot carry on from their adapted chains); leave it unset"
        )
    if not 0.5 <= target_accept < 1.0:
        problems.append(f"target_accept must be in [0.5, 1), got {target_accept}")
    if method == "nuts" and chosen not in SAMPLERS:
        problems.append(f"sampler must be one of {SAMPLERS}, got {chosen!r}")
    if method == "nuts" and chosen == "nutpie" and importlib.util.find_spec("nutpie") is None:
        problems.append("sampler='nutpie' needs nutpie: pip install 'tokendemand[nutpie]'")
    if method == "nuts" and chosen == "numpyro":
        missing = [m for m in ("jax", "numpyro") if importlib.util.find_spec(m) is None]
        if missing:
            problems.append(
                f"sampler='numpyro' needs {' and '.join(missing)} (tokendemand's own "
                "dependencies: reinstall tokendemand), or pass sampler='pymc'"
            )
    if problems:
        raise ConfigError("cannot fit:\n  " + "\n  ".join(problems))
    return chosen, target_accept
