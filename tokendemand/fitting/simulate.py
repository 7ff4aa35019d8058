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
from tokendemand.fitting.parametrization import LAUNCH_PARAMETERS, parameter_dims
from tokendemand.observations import Observations
from tokendemand.priors import CONFIDENCE_LEVELS
from tokendemand.structure import Parameters, Structure

__all__ = ["known_values", "simulate"]

_DEFAULT_MULTIPLIER = {"high": 1.0, "medium": 2.0, "low": 4.0}


def simulate(
    structure: Structure,
    parameters: Parameters | Mapping[str, Parameters],
    template: Observations,
    random_seed: int | None = None,
    *,
    noise: float = 0.05,
    scale: Mapping[str, float] | None = None,
    coverage: Mapping[str, float] | None = None,
    noise_multiplier: Mapping[str, float] | None = None,
    student_t_nu: float = 4.0,
    proxy_bias: Mapping[str, float] | None = None,
    series_levers: Mapping[str, Mapping[str, Mapping[str, float]]] | None = None,
    launch: Mapping[str, Mapping[str, float]] | None = None,
    noise_ratio_factor: float = 1.0,
    noise_share_factor: float = 1.0,
) -> Observations:
    """Observations like ``template`` drawn from the model with known ``parameters``.

    Parameters
    ----------
    structure
        Families of the levers.
    parameters
        Scalar parameter values; ``parameters.reference_date`` is the fit's ``t = 0``. A
        mapping from market to Parameters gives each market its own (``rho``, penetration,
        chatbot intensity and its reference series' users lever; complexity and usage are the
        first market's, as they are shared); under ``Structure(pooling="complete")`` only the first
        market's levers are used.
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
    series_levers
        Own users lever values of a mature non-reference series, by series name
        (``{"doubao": {"users": {"annual_rate": 0.8}}}``); a series not named follows its
        market's reference series.
    launch
        Share-curve values (``ceiling``, ``midpoint`` in years after launch, ``rate`` per year)
        of each launching series (a series with a launch date), by series name.
    noise_ratio_factor, noise_share_factor
        Noise of ratio and share figures relative to a level's.

    Returns
    -------
    Observations
        Same rows as ``template`` with simulated values; sources say they are simulated.
    """
    by_market = dict(parameters) if isinstance(parameters, Mapping) else {}
    first = next(iter(by_market.values())) if by_market else parameters
    if not isinstance(first, Parameters):
        raise ConfigError(f"parameters must be Parameters or a mapping of them, got {first!r}")
    design = ObservationDesign.build(
        template, reference_date=first.reference_date, pooling=structure.pooling
    )
    scales = dict(scale or {})
    shares = dict(coverage or {})
    launches = dict(launch or {})
    own = dict(series_levers or {})
    problems = []
    unknown_markets = sorted(set(scales) - set(design.markets))
    if by_market and structure.pooling != "complete":
        unknown_markets += sorted(set(design.markets) - set(by_market))
    if unknown_markets:
        problems.append(f"scale or parameters name markets not in the template: {unknown_markets}")
    missing = [series for _, series in design.covered if series not in shares]
    if missing:
        problems.append(
            f"coverage needs a value for each sub-series: missing {missing} (reference series: "
            f"{dict(design.reference_series)})"
        )
    missing_launch = [
        series
        for _, series in design.launches
        if set(launches.get(series, {})) != set(LAUNCH_PARAMETERS)
    ]
    if missing_launch:
        problems.append(
            f"launch needs {', '.join(LAUNCH_PARAMETERS)} for each launching series: missing "
            f"for {missing_launch}"
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

    values = known_values(
        structure,
        design,
        parameters,
        scale=scales,
        coverage=shares,
        proxy_bias=biases,
        series_levers=own,
        launch=launches,
        noise_ratio_factor=noise_ratio_factor,
        noise_share_factor=noise_share_factor,
    )
    mu = np.asarray(design.predict(structure, values, np), dtype=float)
    rng = np.random.default_rng(random_seed)
    sd = noise * design.noise_factor(values) * design.noise_multiplier(multipliers)
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


def known_values(
    structure: Structure,
    design: ObservationDesign,
    parameters: Parameters | Mapping[str, Parameters],
    *,
    scale: Mapping[str, float] | None = None,
    coverage: Mapping[str, float] | None = None,
    proxy_bias: Mapping[str, float] | None = None,
    series_levers: Mapping[str, Mapping[str, Mapping[str, float]]] | None = None,
    launch: Mapping[str, Mapping[str, float]] | None = None,
    noise_ratio_factor: float = 1.0,
    noise_share_factor: float = 1.0,
) -> dict[str, Any]:
    """Structural values of known parameters, laid out as ``design``'s model reads them.

    The values :meth:`ObservationDesign.predict` takes (per-market, per-unit and per-launch
    arrays in the design's order), from the arguments of :func:`simulate` (which see). A value
    the design needs and the arguments lack is a ``KeyError`` naming it; :func:`simulate`
    checks the arguments first and says what is missing.
    """
    by_market = dict(parameters) if isinstance(parameters, Mapping) else {}
    first = next(iter(by_market.values())) if by_market else parameters
    if not isinstance(first, Parameters):
        raise ConfigError(f"parameters must be Parameters or a mapping of them, got {first!r}")
    scales, shares, biases = dict(scale or {}), dict(coverage or {}), dict(proxy_bias or {})
    own, launches = dict(series_levers or {}), dict(launch or {})

    def of_market(market: str) -> Parameters:
        return by_market.get(market, first)

    values: dict[str, Any] = {
        "substitution": first.substitution,
        "scale": np.array([scales.get(m, of_market(m).scale) for m in design.markets], dtype=float),
        "coverage": np.array([shares[s] for _, s in design.covered], dtype=float),
        "proxy_bias": np.array([biases.get(p, 0.0) for p in design.proxies], dtype=float),
        "noise_ratio_factor": noise_ratio_factor,
        "noise_share_factor": noise_share_factor,
    }
    for name in LAUNCH_PARAMETERS:
        values[f"launch_{name}"] = np.array(
            [launches[s][name] for _, s in design.launches], dtype=float
        )
    for key, dim in parameter_dims(structure).items():
        if key == "penetration_now":
            continue
        lever, _, name = key.partition("_")
        if key == "intensity_ratio":
            per = [of_market(m).intensity_ratio for m in design.markets]
            values[key] = first.intensity_ratio if dim is None else np.array(per, dtype=float)
        elif dim is None:
            values[key] = first.lever(lever)[name]
        elif dim == "market":
            values[key] = np.array([of_market(m).lever(lever)[name] for m in design.markets])
        else:
            values[key] = np.array(
                [
                    own.get(s, {}).get(lever, {}).get(name, of_market(m).lever(lever)[name])
                    for m, s in design.units
                ],
                dtype=float,
            )
    return values
