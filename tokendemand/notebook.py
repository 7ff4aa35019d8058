"""Short HTML summaries of results for Jupyter (``_repr_html_``).

:func:`fit_html`, :func:`projection_html`, :func:`break_even_html` and :func:`goal_seek_html`
build the summaries that :class:`~tokendemand.fitting.result.FitResult`,
:class:`~tokendemand.projection.Projection`, the break-even result
(:class:`~tokendemand.projection.analyses.BreakEven`) and the goal-seek answer
(:class:`~tokendemand.projection.goal_seek.GoalSeek`) show in a notebook: what was fitted or
projected, whether to trust it, and the numbers that matter, in readable units. Plain HTML with
inline styles: no scripts, nothing loaded.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence, Sized
from typing import Any, Final, Protocol

import numpy as np
import pandas as pd
import xarray as xr

from tokendemand.units import format_tokens

__all__ = [
    "Fitted",
    "Projected",
    "break_even_html",
    "fit_html",
    "goal_seek_html",
    "observations_html",
    "projection_html",
]


class Fitted(Protocol):
    """What :func:`fit_html` reads of a :class:`~tokendemand.fitting.FitResult`."""

    @property
    def method(self) -> str: ...

    @property
    def sampler(self) -> str: ...

    @property
    def diagnostics(self) -> Mapping[str, float]: ...

    @property
    def observations(self) -> Sized: ...

    @property
    def markets(self) -> tuple[str, ...]: ...

    @property
    def reference_date(self) -> pd.Timestamp: ...

    def converged(self) -> bool: ...

    def summary(self) -> pd.DataFrame: ...


class _Crossing(Protocol):
    def to_frame(self, quantiles: Sequence[float] = ...) -> pd.DataFrame: ...


class _Named(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...


class Projected(Protocol):
    """What :func:`projection_html` reads of a :class:`~tokendemand.projection.Projection`."""

    @property
    def dataset(self) -> xr.Dataset: ...

    @property
    def dates(self) -> pd.DatetimeIndex: ...

    @property
    def scenarios(self) -> Sequence[_Named]: ...

    @property
    def market(self) -> str | None: ...

    @property
    def reference_date(self) -> pd.Timestamp: ...

    def break_even(self) -> _Crossing: ...


class _BreakEven(Protocol):
    """What :func:`break_even_html` reads of a :class:`~tokendemand.projection.BreakEven`."""

    @property
    def dates(self) -> xr.DataArray: ...

    @property
    def start(self) -> pd.Timestamp: ...

    @property
    def until(self) -> pd.Timestamp: ...

    def to_frame(self, quantiles: Sequence[float] = ...) -> pd.DataFrame: ...


class _GoalSeek(Protocol):
    """What :func:`goal_seek_html` reads of a :class:`~tokendemand.projection.GoalSeek`."""

    @property
    def lever(self) -> str: ...

    @property
    def what(self) -> str: ...

    @property
    def value(self) -> float: ...

    @property
    def target(self) -> float: ...

    @property
    def achieved(self) -> float: ...

    @property
    def start(self) -> pd.Timestamp: ...

    @property
    def by(self) -> pd.Timestamp: ...

    @property
    def bounds(self) -> tuple[float, float]: ...

    @property
    def scenario(self) -> _Named: ...

    @property
    def values(self) -> xr.DataArray | None: ...


_CELL: Final = 'style="padding:2px 8px;text-align:left;vertical-align:top"'
_OK: Final = "#009E73"
_BAD: Final = "#D55E00"


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(head: list[str], rows: list[list[str]]) -> str:
    """An HTML table; cells are escaped here."""
    top = "".join(f"<th {_CELL}>{_esc(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td {_CELL}>{_esc(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{top}</tr></thead><tbody>{body}</tbody></table>"


def _number(value: float) -> str:
    if math.isnan(value):
        return "—"
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:.4g}"


def _value(name: str, value: float) -> str:
    """Token quantities with T/Q suffixes, other numbers to four significant digits."""
    if name.startswith(("total_reference", "scale")) and math.isfinite(value):
        return format_tokens(value)
    return _number(value)


def fit_html(fit: Fitted) -> str:
    """Method, data, convergence and a one-line posterior per parameter."""
    d = fit.diagnostics
    chains, draws = int(d.get("chains", 0)), int(d.get("draws", 0))
    head = (
        f"<b>FitResult</b>: {_esc(fit.method)} ({_esc(fit.sampler)}), {chains} chains × "
        f"{draws} draws; {len(fit.observations)} figures of {_esc(', '.join(fit.markets))}; "
        f"reference date {fit.reference_date.date().isoformat()}"
    )
    if fit.method != "nuts":
        check = f'<span style="color: {_BAD}">{_esc(fit.method)}: no convergence checks</span>'
    else:
        colour, verdict = (_OK, "converged") if fit.converged() else (_BAD, "not converged")
        check = (
            f'<span style="color: {colour}">{verdict}</span>: max R-hat '
            f"{_number(d.get('max_rhat', math.nan))}, min bulk ESS "
            f"{_number(d.get('min_ess_bulk', math.nan))}, "
            f"{int(d.get('divergences', 0))} divergences"
        )
    summary = fit.summary()
    rows = [
        [
            str(name),
            _value(str(name), float(row["mean"])),
            f"{_value(str(name), float(row['q03']))} to {_value(str(name), float(row['q97']))}",
            str(row["learned_from"]),
        ]
        for name, row in summary.iterrows()
    ]
    table = _table(["parameter", "mean", "94% interval", "learned from"], rows)
    return f"<div><p>{head}<br>{check}</p>{table}</div>"


def _crossing(value: Any, first: pd.Timestamp, last: pd.Timestamp) -> str:
    if pd.isna(value):
        return f"after {last.date().isoformat()}"
    stamp = pd.Timestamp(value)
    return f"by {first.date().isoformat()}" if stamp <= first else stamp.date().isoformat()


def projection_html(projection: Projected) -> str:
    """Per scenario: its assumption, daily tokens at both ends, agent share, break-even."""
    ds = projection.dataset
    first, last = projection.dates[0], projection.dates[-1]
    crossing = projection.break_even()
    when = crossing.to_frame(quantiles=(0.5,))["q50"]
    rows = []
    for scenario in projection.scenarios:
        name = scenario.name
        totals: Any = ds["total"].sel(scenario=name).values
        share = float(np.median(ds["agent_share"].sel(scenario=name).values[:, -1]))
        median = when[name]
        rows.append(
            [
                name,
                scenario.description or "—",
                format_tokens(float(np.median(totals[:, 0]))),
                format_tokens(float(np.median(totals[:, -1]))),
                f"{share:.1%}",
                _crossing(median, first, last),
            ]
        )
    market = f" of {_esc(projection.market)}" if projection.market else ""
    head = (
        f"<b>Projection</b>{market}: {ds.sizes['scenario']} scenarios × {ds.sizes['draw']} "
        f"draws × {ds.sizes['date']} dates, {first.date().isoformat()} to "
        f"{last.date().isoformat()}; reference date {projection.reference_date.date().isoformat()}"
    )
    table = _table(
        [
            "scenario",
            "assumes",
            f"tokens/day {first.date().isoformat()} (median)",
            f"tokens/day {last.date().isoformat()} (median)",
            f"agent share {last.date().isoformat()}",
            "break-even (median)",
        ],
        rows,
    )
    return f"<div><p>{head}</p>{table}</div>"


def observations_html(frame: pd.DataFrame, limit: int = 20) -> str:
    """The figures of an :class:`~tokendemand.observations.Observations` as a table.

    ``frame`` is :meth:`Observations.to_frame <tokendemand.observations.Observations.to_frame>`;
    at most ``limit`` rows are shown, and the head says how many there are.
    """
    count = len(frame)
    series = ", ".join(dict.fromkeys(str(s) for s in frame["series"]))
    head = f"<b>Observations</b>: {count} figures; series {_esc(series) or '—'}"
    if count > limit:
        head += f" (first {limit} shown)"
    rows = [
        [
            str(row["series"]),
            str(row["market"]),
            str(row["kind"]) + (f" ({row['bound']})" if row["bound"] else ""),
            _period(row["start"], row["end"]),
            str(row["value_text"]) + f" {row['unit']}"
            if row["value_text"] is not None
            else _number(float(row["value"])),
            str(row["source"]),
            str(row["confidence"]),
        ]
        for _, row in frame.head(limit).iterrows()
    ]
    table = _table(["series", "market", "kind", "period", "value", "source", "confidence"], rows)
    return f"<div><p>{head}</p>{table}</div>"


def _period(start: pd.Timestamp, end: pd.Timestamp) -> str:
    first, last = start.date().isoformat(), end.date().isoformat()
    return first if first == last else f"{first} to {last}"


def break_even_html(result: _BreakEven) -> str:
    """Per scenario: the break-even date (5%, median, 95% of draws), never and already."""
    frame = result.to_frame(quantiles=(0.05, 0.5, 0.95))
    rows = []
    for scenario, row in frame.iterrows():
        rows.append(
            [
                str(scenario),
                *(_crossing(row[q], result.start, result.until) for q in ("q05", "q50", "q95")),
                f"{row['never']:.0%}",
                f"{row['already']:.0%}",
            ]
        )
    head = (
        f"<b>Break-even</b> (agent tokens reach chatbot tokens): "
        f"{result.dates.sizes['draw']} draws per scenario, projected "
        f"{result.start.date().isoformat()} to {result.until.date().isoformat()}"
    )
    table = _table(
        ["scenario", "date, 5%", "date, median", "date, 95%", "never (by the end)", "already"],
        rows,
    )
    return f"<div><p>{head}</p>{table}</div>"


def goal_seek_html(result: _GoalSeek) -> str:
    """The answer in a sentence, the target against what was achieved, the range searched."""
    rows = [
        ["lever", f"{result.lever} ({result.what})"],
        ["answer", _number(result.value)],
        [
            f"D({result.by.date().isoformat()}) / D({result.start.date().isoformat()})",
            f"target {result.target:g}, achieved {_number(result.achieved)}",
        ],
        ["searched", f"{_number(result.bounds[0])} to {_number(result.bounds[1])}"],
        ["scenario", result.scenario.name],
    ]
    if result.values is not None:
        values = np.asarray(result.values.values, dtype=float)
        unreachable = int(np.isnan(values).sum())
        q05, q95 = (
            np.nanquantile(values, [0.05, 0.95])
            if unreachable < len(values)
            else (
                math.nan,
                math.nan,
            )
        )
        rows.append(["per draw (5% to 95%)", f"{_number(q05)} to {_number(q95)}"])
        rows.append(["draws that cannot reach it", str(unreachable)])
    return f"<div><p><b>Goal seek</b>: {_esc(result)}</p>{_table(['', ''], rows)}</div>"
