"""Token factories drawn: fans of GPUs and megawatts, and token against rental revenue.

Each function takes a :class:`~tokendemand.factory.economics.TokenFactory` (from
:func:`tokendemand.factory.economics`), draws in the house style and returns the Figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from tokendemand.errors import ConfigError
from tokendemand.plotting._style import (
    BAND_ALPHA,
    FAN_COLOR,
    FONT_SIZE,
    PALETTE,
    axes_for,
    choose_log,
    date_axis,
    legend,
    printable,
    style_axes,
    token_axis,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tokendemand.factory.economics import TokenFactory

__all__ = ["capacity_fan", "economics_fan", "revenue_comparison"]

_TITLES: Final = {
    "gpus": "GPUs to serve the demand",
    "it_mw": "IT power",
    "facility_mw": "Facility power",
    "energy_gwh_per_year": "Energy",
    "serving_cost": "Serving cost",
    "token_revenue": "Token revenue",
    "rental_revenue": "Rental revenue",
    "margin": "Margin",
    "revenue_ratio": "Token over rental revenue",
}
_PROBS: Final = (0.05, 0.25, 0.5, 0.75, 0.95)


def _values(factory: TokenFactory, variable: str, scenario: str | None) -> tuple[Any, str]:
    """Draws x dates of ``variable`` for one scenario, and the scenario's label."""
    data = factory.dataset
    if variable not in data:
        raise ConfigError(
            f"unknown variable {variable!r}; choose one of {', '.join(map(str, data.data_vars))}"
        )
    array = data[variable]
    if "scenario" not in array.dims:
        if scenario is not None:
            raise ConfigError("this result has no scenarios (it came from a Series)")
        return array.transpose("draw", "date").values, ""
    names = [str(s) for s in data["scenario"].values]
    chosen = (
        scenario if scenario is not None else ("posterior" if "posterior" in names else names[0])
    )
    if chosen not in names:
        raise ConfigError(f"unknown scenario {chosen!r}; the result has: {', '.join(names)}")
    return array.sel(scenario=chosen).transpose("draw", "date").values, chosen


def _fan(ax: Axes, dates: Any, values: Any, color: str, label: str) -> list[Any]:
    q = np.quantile(values, _PROBS, axis=0)
    ax.fill_between(dates, q[0], q[4], color=color, alpha=BAND_ALPHA[0], lw=0)
    ax.fill_between(dates, q[1], q[3], color=color, alpha=BAND_ALPHA[1], lw=0)
    (line,) = ax.plot(dates, q[2], color=color, linewidth=1.8, label=label)
    return [line, q]


def economics_fan(
    factory: TokenFactory,
    variable: str = "gpus",
    *,
    scenario: str | None = None,
    log: bool | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Median with 50% and 90% bands of one variable of one scenario.

    Parameters
    ----------
    factory
        From :func:`tokendemand.factory.economics`.
    variable
        A variable of ``factory.dataset`` (``"gpus"``, ``"facility_mw"``, ...).
    scenario
        Default ``"posterior"`` (or the first scenario); ``None`` for a result from a Series.
    log
        Log scale; default: when the values span more than 1.5 orders of magnitude.
    ax
        Axes to draw on; default: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        Two bands (``PolyCollection``) and the median line.
    """
    values, chosen = _values(factory, variable, scenario)
    figure, ax = axes_for(ax)
    line, q = _fan(ax, factory.dates, values, FAN_COLOR, "median")
    token_axis(ax, choose_log(np.concatenate([q[0], q[4]]), log), values=q)
    date_axis(ax)
    where = f": scenario {printable(chosen)}" if chosen else ""
    style_axes(ax, f"{_TITLES.get(variable, variable)}{where}", factory.unit(variable))
    legend(ax, [line], loc="upper left", title="bands: 50%, 90%", title_fontsize=FONT_SIZE - 1.5)
    return figure


def capacity_fan(
    factory: TokenFactory,
    *,
    scenario: str | None = None,
    log: bool | None = None,
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Fans of the GPUs and the facility megawatts, side by side.

    Parameters
    ----------
    factory, scenario, log
        As in :func:`economics_fan`.
    axes
        Two axes to draw on (GPUs, MW); default: a new figure with two panels.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        _, pair = plt.subplots(1, 2, figsize=(10.0, 4.0), layout="constrained")
        axes = list(pair)
    if len(axes) != 2:
        raise ConfigError(f"capacity_fan draws two panels; give two axes, got {len(axes)}")
    economics_fan(factory, "gpus", scenario=scenario, log=log, ax=axes[0])
    return economics_fan(factory, "facility_mw", scenario=scenario, log=log, ax=axes[1])


def revenue_comparison(
    factory: TokenFactory,
    *,
    scenario: str | None = None,
    log: bool | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Token revenue against rental revenue of the same fleet (medians and 90% bands).

    Parameters
    ----------
    factory, scenario, log, ax
        As in :func:`economics_fan`.

    Returns
    -------
    matplotlib.figure.Figure
        Per revenue two bands and a median line labelled ``"billed per token"`` and
        ``"fleet rented by the GPU-hour"``.
    """
    token, chosen = _values(factory, "token_revenue", scenario)
    rental, _ = _values(factory, "rental_revenue", scenario)
    figure, ax = axes_for(ax)
    first, q1 = _fan(ax, factory.dates, token, PALETTE[0], "billed per token")
    second, q2 = _fan(ax, factory.dates, rental, PALETTE[1], "fleet rented by the GPU-hour")
    bounds = np.concatenate([q1[0], q1[4], q2[0], q2[4]])
    token_axis(ax, choose_log(bounds, log), values=bounds)
    date_axis(ax)
    where = f": scenario {printable(chosen)}" if chosen else ""
    style_axes(ax, f"Token against rental revenue{where}", factory.unit("token_revenue"))
    legend(
        ax,
        [first, second],
        loc="upper left",
        title="bands: 50%, 90%",
        title_fontsize=FONT_SIZE - 1.5,
    )
    return figure
