"""Sweeps: many scenarios evaluated to a few reduced outputs, never the full cube.

:func:`sweep` evaluates every row of a scenario space (:mod:`tokendemand.projection.space`)
with every draw of a source and returns only the outputs asked for
(:mod:`tokendemand.projection.outputs`) over ``(scenario, draw)``. It works through blocks of
about ``chunk_size`` (scenario, draw) cells, so memory follows the block, not the sweep; the
blocks run here or as dask tasks (:mod:`tokendemand.projection._dask`) with the same results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd
import xarray as xr

from tokendemand.errors import ConfigError
from tokendemand.projection._cells import Job, evaluate_block, evaluate_cells, make_job
from tokendemand.projection._dask import check_scheduler, run_blocks
from tokendemand.projection.outputs import BreakEvenDate, Output, name_outputs
from tokendemand.projection.plan import PosteriorSource, make_plan, resolve_source
from tokendemand.projection.space import check_space, row_scenario
from tokendemand.scenarios import Scenario, builtin
from tokendemand.structure import Parameters, Structure

__all__ = ["CHUNK_SIZE", "prepare", "sweep", "sweep_pairs"]

CHUNK_SIZE: Final = 1 << 15
"""Default (scenario, draw) cells per block: a few MB per intermediate array."""


def prepare(
    source: Parameters | PosteriorSource,
    space: pd.DataFrame,
    outputs: Output | Sequence[Output] | Mapping[str, Output],
    base: Scenario | str,
    market: str | None,
    structure: Structure | None,
) -> Job:
    """Check everything once and pack it for the blocks."""
    resolved = resolve_source(source, market, structure)
    settings = check_space(space)
    named = name_outputs(outputs)
    chosen = builtin(base) if isinstance(base, str) else base
    if not isinstance(chosen, Scenario):
        raise ConfigError(f"base must be a Scenario or a built-in name, got {base!r}")
    # one row resolved the ordinary way: the structure's families must take the settings
    make_plan(resolved, row_scenario(space, space.index[0], chosen))
    table = space[[s.name for s in settings]].to_numpy(dtype=float)
    return make_job(resolved, chosen, settings, table, named)


def _check_chunk(chunk_size: int) -> None:
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise ConfigError(f"chunk_size must be a positive integer, got {chunk_size!r}")


def _empty(job: Job, shape: tuple[int, ...]) -> dict[str, Any]:
    return {
        name: np.full(shape, np.datetime64("NaT", "ns"))
        if isinstance(output, BreakEvenDate)
        else np.full(shape, np.nan)
        for name, output in job.outputs.items()
    }


def sweep(
    source: Parameters | PosteriorSource,
    space: pd.DataFrame,
    outputs: Output | Sequence[Output] | Mapping[str, Output],
    *,
    base: Scenario | str = "posterior",
    market: str | None = None,
    structure: Structure | None = None,
    chunk_size: int = CHUNK_SIZE,
    scheduler: Any = "local",
) -> xr.Dataset:
    """Evaluate every scenario of ``space`` with every draw, keeping only ``outputs``.

    Parameters
    ----------
    source
        As for :func:`~tokendemand.projection.project`: calculator-mode
        :class:`~tokendemand.structure.Parameters` (floats, or 1-D arrays of draws) or a fitted
        result.
    space
        One row per scenario, one column per setting (see :mod:`tokendemand.projection.space`);
        its index names the scenarios.
    outputs
        One output, a sequence of them, or a mapping ``{name: output}``
        (:class:`~tokendemand.projection.outputs.Total`, ``AgentShare``, ``Multiplier``,
        ``BreakEvenDate``).
    base
        The scenario whose levers each row changes (default ``"posterior"``).
    market, structure
        As for :func:`~tokendemand.projection.project`.
    chunk_size
        (scenario, draw) cells per block; memory follows it.
    scheduler
        ``"local"`` (this process), ``"dask"`` (dask's current scheduler: the active
        :class:`distributed.Client`, else threads) or a :class:`distributed.Client`. Needs the
        ``[scale]`` extra for anything but ``"local"``; results are identical.

    Returns
    -------
    xarray.Dataset
        One variable per output, dims ``(scenario, draw)`` (break-even dates as
        ``datetime64[ns]``, ``NaT`` when not reached), with each setting as a coordinate along
        ``scenario``.

    Examples
    --------
    >>> from tokendemand.calculator import example_parameters
    >>> from tokendemand.projection.outputs import Multiplier
    >>> space = pd.DataFrame({"complexity.per_year": [1.5, 3.0]})
    >>> ds = sweep(example_parameters(), space, Multiplier("2028-12-31"))
    >>> multiplier = ds["multiplier_reference_2028-12-31"]
    >>> multiplier.dims
    ('scenario', 'draw')
    >>> bool(multiplier[1, 0] > multiplier[0, 0])  # faster complexity growth, larger multiple
    True
    """
    _check_chunk(chunk_size)
    check_scheduler(scheduler)
    job = prepare(source, space, outputs, base, market, structure)
    rows, draws = len(job.table), len(job.values["scale"])
    per_draws = min(draws, chunk_size)
    per_rows = max(1, chunk_size // per_draws)
    blocks = [
        (slice(r, min(r + per_rows, rows)), slice(d, min(d + per_draws, draws)))
        for r in range(0, rows, per_rows)
        for d in range(0, draws, per_draws)
    ]
    data = _empty(job, (rows, draws))
    for (r, d), found in run_blocks(evaluate_block, job, blocks, scheduler):
        for name, values in found.items():
            data[name][r, d] = values
    coords: dict[str, Any] = {"scenario": space.index.to_numpy(), "draw": np.arange(draws)}
    for i, setting in enumerate(job.settings):
        coords[setting.name] = ("scenario", job.table[:, i])
    variables = {
        name: xr.DataArray(
            data[name],
            dims=("scenario", "draw"),
            coords=coords,
            attrs={k: str(v) for k, v in output.to_dict().items()},
        )
        for name, output in job.outputs.items()
    }
    return xr.Dataset(
        variables,
        attrs={
            "reference_date": job.reference,
            "market": job.market or "",
            "base": job.base.name,
        },
    )


def sweep_pairs(
    job: Job,
    rows: Any,
    draws: Any,
    chunk_size: int = CHUNK_SIZE,
    scheduler: Any = "local",
) -> dict[str, Any]:
    """The outputs of ``job`` for the cells ``(rows[i], draws[i])`` only (1-D arrays).

    Sensitivity analysis pairs each sampled setting with one draw instead of every draw.
    """
    _check_chunk(chunk_size)
    rows, draws = np.asarray(rows), np.asarray(draws)
    data = _empty(job, (rows.size,))
    blocks = [
        (rows[i : i + chunk_size], draws[i : i + chunk_size])
        for i in range(0, rows.size, chunk_size)
    ]
    for k, (_, found) in enumerate(run_blocks(evaluate_cells, job, blocks, scheduler)):
        for name, values in found.items():
            data[name][k * chunk_size : k * chunk_size + len(values)] = values
    return data
