"""Sensitivity: which assumption moves the answer most.

:func:`sensitivity` varies scenario settings over ``{setting: (low, high)}`` ranges (settings as
in :mod:`tokendemand.projection.space`) and asks how much each moves one output
(:mod:`tokendemand.projection.outputs`):

* ``method="sobol"``: variance-based Sobol' indices. The posterior draws are one more input,
  named ``parameters`` (a draw picked uniformly), so the variance of the output splits between
  what the data leave uncertain and each scenario setting. The first-order index of an input is
  the share of the variance it explains alone; its total index adds its interactions. Samples
  are Saltelli's A, B and AB matrices from scrambled Sobol' points and the indices are
  :func:`scipy.stats.sobol_indices`' estimators (Saltelli 2010); confidence bounds come from a
  seeded percentile bootstrap over the sample rows. SciPy is enough here: SALib offers more
  estimators (and second-order indices) but would add a dependency for the same first and total
  indices.
* ``method="oat"``: one at a time. Every setting at the middle of its range, then each moved to
  its low and high end; the output summarised over draws (median by default). ``parameters``
  shows the 5% and 95% quantiles over draws at the middle. This draws a tornado chart
  (:func:`tokendemand.plotting.tornado`).

Break-even dates enter as years after the reference date, draws that do not cross by ``until``
counted at ``until`` (:func:`~tokendemand.projection.outputs.numeric`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
from scipy.stats import bootstrap, qmc, sobol_indices

from tokendemand.errors import ConfigError
from tokendemand.projection.outputs import OUTPUT_KINDS, Output, numeric
from tokendemand.projection.plan import PosteriorSource
from tokendemand.projection.space import parse_setting
from tokendemand.projection.sweep import CHUNK_SIZE, prepare, sweep, sweep_pairs
from tokendemand.scenarios import Scenario
from tokendemand.structure import Parameters, Structure

__all__ = ["PARAMETERS", "make_output", "sensitivity", "sobol_table"]

PARAMETERS: Final = "parameters"
"""The name of the input that stands for the posterior draws."""


def make_output(output: str | Output, arguments: Mapping[str, Any]) -> Output:
    """An output from its kind and arguments, or the output itself.

    Examples
    --------
    >>> make_output("multiplier", {"end": "2028-12-31"}).name
    'multiplier_reference_2028-12-31'
    """
    if isinstance(output, str):
        if output not in OUTPUT_KINDS:
            raise ConfigError(f"unknown output {output!r}; outputs are: {', '.join(OUTPUT_KINDS)}")
        try:
            made: Output = OUTPUT_KINDS[output](**arguments)
        except TypeError as error:
            raise ConfigError(f"output {output!r}: {error}") from None
        return made
    if arguments:
        raise ConfigError("give output arguments only with an output kind such as 'multiplier'")
    return output


def _ranges(space: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    if not isinstance(space, Mapping) or not space:
        raise ConfigError(
            "space must be {setting: (low, high)}, e.g. {'penetration.scale': (0.5, 2.0)}"
        )
    problems: list[str] = []
    out: dict[str, tuple[float, float]] = {}
    for name, bounds in space.items():
        try:
            parse_setting(name)
            low, high = (float(b) for b in bounds)
        except ConfigError as error:
            problems.append(str(error))
            continue
        except (TypeError, ValueError):
            problems.append(f"{name}: expected (low, high), got {bounds!r}")
            continue
        if not low < high:
            problems.append(f"{name}: low {low} must be below high {high}")
        out[name] = (low, high)
    if PARAMETERS in space:
        problems.append(f"{PARAMETERS!r} is the posterior draws' input and cannot be a setting")
    if problems:
        raise ConfigError("invalid sensitivity space:\n  " + "\n  ".join(problems))
    return out


def sobol_table(
    func: Callable[[np.ndarray[Any, np.dtype[np.float64]]], Any],
    ranges: Mapping[str, tuple[float, float]],
    n: int = 1024,
    seed: int | None = 0,
    confidence: float = 0.95,
    resamples: int = 500,
) -> pd.DataFrame:
    """First-order and total Sobol' indices of ``func`` over uniform inputs.

    Parameters
    ----------
    func
        Called with ``x`` of shape ``(d, m)`` (one row per input, in ``ranges`` order); returns
        ``m`` finite values.
    ranges
        ``{input: (low, high)}``: each input uniform between them.
    n
        Base sample size, a power of 2; ``func`` sees ``n * (d + 2)`` points.
    seed
        Seed of the scrambled Sobol' points and of the bootstrap.
    confidence
        Level of the bootstrap bounds.
    resamples
        Bootstrap resamples.

    Returns
    -------
    pandas.DataFrame
        Indexed by input: ``first_order``, ``total``, ``first_order_low``,
        ``first_order_high``, ``total_low``, ``total_high``.

    Examples
    --------
    >>> table = sobol_table(lambda x: x[0] + 0.1 * x[1], {"a": (0, 1), "b": (0, 1)}, n=256)
    >>> bool(table.loc["a", "first_order"] > 0.95)
    True
    """
    if not isinstance(n, int) or n < 2 or n & (n - 1):
        raise ConfigError(f"n must be a power of 2 (such as 1024), got {n!r}")
    if not 0.0 < confidence < 1.0:
        raise ConfigError(f"confidence must be in (0, 1), got {confidence}")
    names = list(ranges)
    d = len(names)
    lows = np.array([ranges[k][0] for k in names], dtype=float)
    highs = np.array([ranges[k][1] for k in names], dtype=float)
    unit = qmc.Sobol(2 * d, scramble=True, rng=seed).random_base2(int(math.log2(n)))
    a = lows + unit[:, :d] * (highs - lows)  # (n, d)
    b = lows + unit[:, d:] * (highs - lows)
    ab = np.repeat(a[None], d, axis=0)  # (d, n, d): A with column i from B
    for i in range(d):
        ab[i, :, i] = b[:, i]
    values = np.asarray(func(np.concatenate([a, b, ab.reshape(d * n, d)]).T), dtype=float)
    if values.shape != ((d + 2) * n,) or not np.all(np.isfinite(values)):
        raise ConfigError(
            f"the function must return {(d + 2) * n} finite values, got shape {values.shape} "
            f"with {int(np.sum(~np.isfinite(values)))} not finite"
        )
    if np.ptp(values) == 0.0:
        raise ConfigError(
            "the output is the same for every sample: no variance to split; widen the ranges "
            "or pick another output"
        )
    f_a, f_b, f_ab = values[:n], values[n : 2 * n], values[2 * n :].reshape(d, n)

    def indices(rows: Any) -> Any:
        found = sobol_indices(
            func={"f_A": f_a[None, rows], "f_B": f_b[None, rows], "f_AB": f_ab[:, None, rows]},
            n=len(rows),
        )
        return np.concatenate([found.first_order.ravel(), found.total_order.ravel()])

    point = indices(np.arange(n))
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = bootstrap(
            (np.arange(n),),
            statistic=indices,
            method="percentile",
            n_resamples=resamples,
            confidence_level=confidence,
            vectorized=False,
            rng=seed,
        )
    low = np.asarray(boot.confidence_interval.low)
    high = np.asarray(boot.confidence_interval.high)
    table = pd.DataFrame(
        {
            "first_order": point[:d],
            "total": point[d:],
            "first_order_low": low[:d],
            "first_order_high": high[:d],
            "total_low": low[d:],
            "total_high": high[d:],
        },
        index=pd.Index(names, name="input"),
    )
    table.attrs.update({"n": n, "evaluations": (d + 2) * n, "confidence": confidence})
    return table


def sensitivity(
    source: Parameters | PosteriorSource,
    space: Mapping[str, tuple[float, float]],
    output: str | Output = "multiplier",
    method: Literal["sobol", "oat"] = "sobol",
    n: int = 1024,
    *,
    base: Scenario | str = "posterior",
    market: str | None = None,
    structure: Structure | None = None,
    seed: int | None = 0,
    confidence: float = 0.95,
    statistic: Literal["median", "mean"] = "median",
    above: float | None = None,
    chunk_size: int = CHUNK_SIZE,
    scheduler: Any = "local",
    **output_arguments: Any,
) -> pd.DataFrame:
    """How much each scenario setting, and the posterior draws, move one output.

    Parameters
    ----------
    source
        As for :func:`~tokendemand.projection.project`; with more than one draw, the draws are
        one more input named ``parameters``.
    space
        ``{setting: (low, high)}`` (settings as in :mod:`tokendemand.projection.space`).
    output
        An output kind (``"multiplier"``, ``"break_even"``, ``"total"``, ``"agent_share"``) with
        its arguments as keywords (``end="2028-12-31"``), or an output object.
    method
        ``"sobol"`` (variance-based indices) or ``"oat"`` (one at a time, for a tornado chart).
    n
        Sobol' base sample (a power of 2; ``n * (d + 2)`` evaluations for ``d`` inputs).
    base, market, structure
        As for :func:`~tokendemand.projection.sweep.sweep`.
    seed, confidence
        Seed of the sample and bootstrap; level of the bounds (Sobol').
    statistic
        Summary over draws for ``"oat"``.
    above
        Study the event "output above this value" (1 or 0) instead of the output: for Sobol'
        the variance of the indicator splits over the inputs ("what decides whether we get 5x
        by 2028"); for OAT the summary over draws becomes the probability.
    chunk_size, scheduler
        As for :func:`~tokendemand.projection.sweep.sweep`.

    Returns
    -------
    pandas.DataFrame
        Sobol': indexed by input, ``first_order``, ``total`` and their ``_low`` / ``_high``
        bounds. OAT: indexed by input (largest swing first), ``low``, ``high`` (the setting's
        values), ``output_low``, ``output_high``, ``baseline`` and ``swing``. ``attrs`` say
        what was computed.

    Examples
    --------
    >>> from tokendemand.calculator import example_parameters
    >>> table = sensitivity(example_parameters(), {"complexity.per_year": (1.5, 4.0),
    ...                     "intensity_ratio": (5.0, 20.0)}, "multiplier", method="oat",
    ...                     end="2028-12-31")
    >>> list(table.columns)
    ['low', 'high', 'output_low', 'output_high', 'baseline', 'swing']
    """
    ranges = _ranges(space)
    chosen = make_output(output, output_arguments)
    if method not in ("sobol", "oat"):
        raise ConfigError(f"method must be 'sobol' or 'oat', got {method!r}")
    if statistic not in ("median", "mean"):
        raise ConfigError(f"statistic must be 'median' or 'mean', got {statistic!r}")
    settings = list(ranges)
    middle = pd.DataFrame({k: [(lo + hi) / 2] for k, (lo, hi) in ranges.items()})
    job = prepare(source, middle, {"value": chosen}, base, market, structure)
    draws = len(job.values["scale"])
    reference = pd.Timestamp(job.reference)
    attrs = {"output": chosen.name, "method": method, "draws": draws, "base": job.base.name}
    if above is not None:
        attrs["output"] = f"P({chosen.name} > {above:g})"
    if method == "oat":
        table = _oat(source, ranges, chosen, base, market, structure, statistic, chunk_size, above)
        table.attrs.update({**attrs, "statistic": statistic})
        return table

    def func(x: np.ndarray[Any, np.dtype[np.float64]]) -> Any:
        frame = pd.DataFrame(x[: len(settings)].T, columns=settings)
        picked = prepare(source, frame, {"value": chosen}, base, market, structure)
        index = (
            np.minimum((x[-1] * draws).astype(np.int64), draws - 1)
            if draws > 1
            else np.zeros(x.shape[1], dtype=np.int64)
        )
        found = sweep_pairs(picked, np.arange(x.shape[1]), index, chunk_size, scheduler)
        values = numeric(chosen, found["value"], reference)
        return values if above is None else (values > above).astype(float)

    inputs = dict(ranges)
    if draws > 1:
        inputs[PARAMETERS] = (0.0, 1.0)
    table = sobol_table(func, inputs, n=n, seed=seed, confidence=confidence)
    table.attrs.update(attrs)
    return table


def _oat(
    source: Parameters | PosteriorSource,
    ranges: dict[str, tuple[float, float]],
    output: Output,
    base: Scenario | str,
    market: str | None,
    structure: Structure | None,
    statistic: str,
    chunk_size: int,
    above: float | None,
) -> pd.DataFrame:
    middle = {k: (lo + hi) / 2 for k, (lo, hi) in ranges.items()}
    rows = [middle]
    for name, (lo, hi) in ranges.items():
        rows += [{**middle, name: lo}, {**middle, name: hi}]
    space = pd.DataFrame(rows)
    found = sweep(
        source,
        space,
        {"value": output},
        base=base,
        market=market,
        structure=structure,
        chunk_size=chunk_size,
    )
    reference = pd.Timestamp(found.attrs["reference_date"])
    values = numeric(output, found["value"].values, reference)  # (rows, draws)
    if above is not None:
        values = (values > above).astype(float)
        summary = values.mean(axis=1)
    else:
        summary = np.median(values, axis=1) if statistic == "median" else values.mean(axis=1)
    table: dict[str, list[float]] = {
        "low": [],
        "high": [],
        "output_low": [],
        "output_high": [],
    }
    names = list(ranges)
    for i, name in enumerate(names):
        table["low"].append(ranges[name][0])
        table["high"].append(ranges[name][1])
        table["output_low"].append(float(summary[1 + 2 * i]))
        table["output_high"].append(float(summary[2 + 2 * i]))
    if values.shape[1] > 1 and above is None:
        names.append(PARAMETERS)
        table["low"].append(0.05)
        table["high"].append(0.95)
        quantiles = np.quantile(values[0], [0.05, 0.95])
        table["output_low"].append(float(quantiles[0]))
        table["output_high"].append(float(quantiles[1]))
    frame = pd.DataFrame(table, index=pd.Index(names, name="input"))
    frame["baseline"] = float(summary[0])
    frame["swing"] = (frame["output_high"] - frame["output_low"]).abs()
    return frame.sort_values("swing", ascending=False)
