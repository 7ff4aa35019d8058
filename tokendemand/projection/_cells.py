"""Plans for many cells at once: each cell is one row of a scenario space with one draw.

A sweep resolves a whole block of space rows into a single
:class:`~tokendemand.projection.plan.Plan` whose "draws" are the cells of the block: the base
scenario is resolved once with :func:`~tokendemand.projection.plan.make_plan`, its per-draw
values are gathered for each cell, each setting's value is written into its cells, and the
scenario changes carry one number per cell. :meth:`Plan.levers` and :meth:`Plan.components`
then apply the one equation and the same path changes as for a single scenario; the result
equals :func:`make_plan` of :func:`~tokendemand.projection.space.row_scenario` for each row
(``tests/projection/test_sweep.py`` checks it to 1e-12).

A :class:`Job` holds everything a block needs as plain arrays, so it pickles to dask workers
(:class:`~tokendemand.structure.Parameters` holds read-only mappings, which do not pickle).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from tokendemand.dates import days_since
from tokendemand.projection.outputs import Output, evaluate_outputs
from tokendemand.projection.plan import (
    Plan,
    Source,
    dotted_values,
    make_plan,
    parameters_from,
)
from tokendemand.projection.space import Setting
from tokendemand.scenarios import Change, Growth, Scale, Scenario
from tokendemand.structure import LEVERS, Structure, evaluate

__all__ = ["Job", "batched_change", "cell_plan", "evaluate_cells", "make_job"]


@dataclass(frozen=True)
class Job:
    """A source, a base scenario, a space's settings and values, and the outputs: picklable."""

    structure: dict[str, str]
    reference: str
    values: dict[str, np.ndarray[Any, np.dtype[np.float64]]]  # dotted name -> (draws,)
    market: str | None
    base: Scenario
    settings: tuple[Setting, ...]
    table: np.ndarray[Any, np.dtype[np.float64]]  # (rows, settings)
    outputs: dict[str, Output]


def make_job(
    source: Source,
    base: Scenario,
    settings: tuple[Setting, ...],
    table: np.ndarray[Any, np.dtype[np.float64]],
    outputs: dict[str, Output],
) -> Job:
    """Pack what the blocks need."""
    return Job(
        structure=source.structure.to_dict(),
        reference=source.parameters.reference_date.date().isoformat(),
        values={k: np.asarray(v, dtype=float) for k, v in dotted_values(source.parameters).items()},
        market=source.market,
        base=base,
        settings=settings,
        table=np.asarray(table, dtype=float),
        outputs=outputs,
    )


def batched_change(kind: type[Scale] | type[Growth], number: Any, start: Any) -> Change:
    """A :class:`Scale` or :class:`Growth` holding one number per cell (shape ``(cells, 1)``).

    The plan engine only does arithmetic with the number, so an array broadcasts over the cells;
    the constructors check one number and are bypassed here, after the space was checked.
    """
    change: Change = object.__new__(kind)
    object.__setattr__(change, "factor" if kind is Scale else "annual_rate", number)
    object.__setattr__(change, "start", start)
    return change


def _cleared(job: Job) -> Scenario:
    """The base scenario without what the settings replace, and without recalibration."""
    fields: dict[str, Any] = {"recalibrate": False}
    for setting in job.settings:
        if setting.lever is not None:
            fields[setting.lever] = None
        else:
            fields[setting.name] = None
            if setting.name in ("intensity_ratio", "break_even_penetration"):
                fields["intensity_ratio"] = fields["break_even_penetration"] = None
    return job.base.replace(**fields)


def cell_plan(job: Job, rows: Any, draws: Any) -> Plan:
    """One plan whose draws are the cells ``(rows[i], draws[i])``."""
    structure = Structure(**job.structure)
    source_parameters = parameters_from(job.reference, job.values)
    count = len(job.values["scale"])
    source = Source(structure, source_parameters, count, job.market, "cells")
    cleared = _cleared(job)
    base = make_plan(source, cleared)
    values = {k: np.asarray(v)[draws] for k, v in dotted_values(base.parameters).items()}
    reference = base.parameters.reference_date
    begin = job.base.start if job.base.start is not None else reference
    t0 = float(days_since(begin, reference)[0])
    changes = list(base.changes)
    columns = {s.name: job.table[rows, i] for i, s in enumerate(job.settings)}
    for setting in job.settings:
        value = columns[setting.name]
        if setting.mode == "override":
            values[f"{setting.lever}.{setting.parameter}"] = value
        elif setting.name in ("intensity_ratio", "substitution"):
            values[setting.name] = value
        elif setting.lever is not None:
            kind: type[Scale] | type[Growth] = Scale if setting.mode == "scale" else Growth
            number = np.log(value) if setting.mode == "per_year" else value
            changes.append((setting.lever, batched_change(kind, number[:, None], None), t0))
    names = {s.name for s in job.settings}
    pi_star: Any = columns.get("break_even_penetration")
    if pi_star is None and not names & {"intensity_ratio"}:
        pi_star = job.base.break_even_penetration
    if pi_star is not None:
        # rho per cell from its break-even penetration and substitution share, as make_plan
        # does per draw with tokendemand.structure.intensity_ratio_for_break_even
        values["intensity_ratio"] = (1.0 - values["substitution"] * pi_star) / pi_star
    order = {lever: i for i, lever in enumerate(LEVERS)}
    changes.sort(key=lambda item: order[item[0]])
    cells = len(values["scale"])
    plan = Plan(cleared, structure, parameters_from(reference, values), tuple(changes))
    if job.base.recalibrate and (job.settings or _touched(job.base)):
        zero = np.zeros(1)
        shaped = {k: np.asarray(v)[draws, None] for k, v in job.values.items()}
        before = evaluate(structure, parameters_from(reference, shaped), zero)["total"]
        after = plan.components(zero)["total"]
        values["scale"] = values["scale"] * np.broadcast_to(before / after, (cells, 1))[:, 0]
        plan = replace(plan, parameters=parameters_from(reference, values))
    return plan


def _touched(scenario: Scenario) -> bool:
    scalars = (scenario.substitution, scenario.intensity_ratio, scenario.break_even_penetration)
    return bool(scenario.changes) or any(v is not None for v in scalars)


def evaluate_cells(job: Job, rows: Any, draws: Any) -> dict[str, Any]:
    """Every output of ``job`` for the cells ``(rows[i], draws[i])``, 1-D arrays by name."""
    plan = cell_plan(job, np.asarray(rows), np.asarray(draws))
    return evaluate_outputs(plan, job.outputs, len(np.asarray(rows)))


def evaluate_block(job: Job, rows: slice, draws: slice) -> dict[str, Any]:
    """Every output for every row of ``rows`` with every draw of ``draws``: arrays (r, d)."""
    r = np.arange(len(job.table))[rows]
    d = np.arange(len(job.values["scale"]))[draws]
    found = evaluate_cells(job, np.repeat(r, d.size), np.tile(d, r.size))
    return {name: np.asarray(v).reshape(r.size, d.size) for name, v in found.items()}
