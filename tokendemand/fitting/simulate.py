"""Synthetic observations from known parameters, in the shapes of real ones.

:func:`simulate` evaluates the observation equation of the fit
(:meth:`~tokendemand.fitting.likelihood.ObservationDesign.predict`) with known parameters and adds
the likelihood's Student-t noise. Recovery tests fit the result and check that the known values
come back; users check what a planned set of figures could tell them before collecting it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from tokendemand.errors import ConfigError
from tokendemand.fitting.likelihood import ObservationDesign, natural_scale
from tokendemand.observations import Observations
from tokendemand.priors import CONFIDENCE_LEVELS
from tokendemand.structure import LEVERS, Parameters, Structure

__all__ = ["simulate"]

_DEFAULT_MULTIPLIER = {"high": 1.0, "medium": 2.0, "low": 4.0}


def simulate(
    structure: Structure,
    parameters: Parameters,
    template: Observations,
    random_seed: int | None = None,
    *,
    noise: float = 0.05,
    scale: Mapping[str, float] | None = None,
    coverage: Mapping[str, float] | None = None,
    noise_multiplier: Mapping[str, float] | None = None,
    student_t_nu: float = 4.0,
    proxy_bias: Mapping[str, float] | None = None,
) -> Observations:
    """Observations like ``template`` drawn from the model with known ``parameters``.

    Parameters
    ----------
    structure
        Families of the levers.
    parameters
        Scalar parameter values; ``parameters.reference_date`` is the fit's ``t = 0``.
    template
        Figures whose series, markets, kinds, periods, confidence and bounds are kept; their
        values are replaced. Bound flags are kept and their values drawn like exact figures.
    random_seed
        Seed of the noise.
    noise
        Standard deviation of the log error of a high-confidence figure (0 for none).
    scale
        Chatbot scale ``b_r`` by market; default ``parameters.scale`` for every market.
    coverage
        Coverage of each sub-series, by series name (the reference series of a market, the
        one with most level figures, is 1).
    noise_multiplier
        Noise multiplier by confidence (default as in :class:`~tokendemand.priors.Priors`).
    student_t_nu
        Degrees of freedom of the noise.
    proxy_bias
        Bias of each proxy named in the template's ``proxy`` column, on the likelihood scale
        (logit for fractions, log for intensity ratios).

    Returns
    -------
    Observations
        Same rows as ``template`` with simulated values; sources say they are simulated.
    """
    design = ObservationDesign.build(template, reference_date=parameters.reference_date)
    scales = dict(scale or {})
    shares = dict(coverage or {})
    problems = []
    unknown_markets = sorted(set(scales) - set(design.markets))
    if unknown_markets:
        problems.append(f"scale names markets not in the template: {unknown_markets}")
    missing = [series for _, series in design.covered if series not in shares]
    if missing:
        problems.append(
            f"coverage needs a value for each sub-series: missing {missing} (reference series: "
            f"{dict(design.reference_series)})"
        )
    biases = dict(proxy_bias or {})
    missing_bias = [p for p in design.proxies if p not in biases]
    if missing_bias:
        problems.append(f"proxy_bias needs a value for each proxy: missing {missing_bias}")
    if noise < 0:
        problems.append(f"noise must be >= 0, got {noise}")
    multipliers = dict(noise_multiplier or _DEFAULT_MULTIPLIER)
    if set(multipliers) != set(CONFIDENCE_LEVELS):
        problems.append(f"noise_multiplier needs high, medium and low, got {sorted(multipliers)}")
    if problems:
        raise ConfigError("cannot simulate:\n  " + "\n  ".join(problems))

    values: dict[str, Any] = {
        "intensity_ratio": parameters.intensity_ratio,
        "substitution": parameters.substitution,
        "scale": np.array([scales.get(m, parameters.scale) for m in design.markets], dtype=float),
        "coverage": np.array([shares[s] for _, s in design.covered], dtype=float),
        "proxy_bias": np.array([biases.get(p, 0.0) for p in design.proxies], dtype=float),
    }
    for lever in LEVERS:
        for name, value in parameters.lever(lever).items():
            values[f"{lever}_{name}"] = value
    mu = np.asarray(design.predict(structure, values, np), dtype=float)
    rng = np.random.default_rng(random_seed)
    sd = noise * design.noise_multiplier(multipliers)
    y = mu + sd * rng.standard_t(student_t_nu, size=mu.shape)
    drawn = natural_scale(design, y)
    return Observations(
        replace(
            observation,
            value=float(value),
            value_text=None,
            unit="",
            source=f"simulated from {observation.source}",
            url="",
        )
        for observation, value in zip(template, drawn, strict=True)
    )
