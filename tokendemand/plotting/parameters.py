"""Prior against posterior, one small panel per parameter: what the data taught."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from tokendemand.errors import ConfigError
from tokendemand.plotting._style import (
    FAN_COLOR,
    FONT_SIZE,
    INK,
    MUTED,
    axes_for,
    style_axes,
    token_axis,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tokendemand.fitting.result import FitResult

__all__ = ["parameter_draws", "prior_posterior"]

_TOKEN_PARAMETERS: Final = ("total_reference", "scale")
_COLUMNS: Final = 3
_BINS: Final = 40


def parameter_draws(
    fit: FitResult, prior_draws: int = 4000, random_seed: int = 0
) -> dict[str, tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]:
    """``{label: (prior draws, posterior draws)}`` of every parameter that varies.

    Per-market and per-series parameters get one entry each, labelled like
    :meth:`FitResult.summary <tokendemand.fitting.result.FitResult.summary>` rows
    (``total_reference[china]``); fixed values are left out.
    """
    from tokendemand.fitting.parametrization import market_level_names
    from tokendemand.fitting.posterior import recorded_names

    posterior = fit.draws()
    prior = fit.prior_draws(prior_draws, random_seed)
    labels = fit.design.coords
    single = set(market_level_names(fit.structure))
    out: dict[str, tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]] = {}
    for name, dim in recorded_names(fit.structure, fit.priors, fit.design):
        if name not in prior or name not in posterior:
            continue
        before = np.asarray(prior[name], dtype=float)
        after = np.asarray(posterior[name], dtype=float)
        if dim is None or (name in single and len(labels[dim]) == 1):
            # one member (a one-market fit): named as in summary(), as under complete pooling
            columns = [("", before.reshape(-1), after.reshape(-1))]
        else:
            columns = [
                (f"[{label}]", before[:, j], after[:, j]) for j, label in enumerate(labels[dim])
            ]
        for suffix, p, q in columns:
            if np.nanstd(p) == 0.0 and np.nanstd(q) == 0.0:
                continue
            out[name + suffix] = (p, q)
    return out


def _bins(prior: np.ndarray[Any, Any], posterior: np.ndarray[Any, Any]) -> tuple[Any, bool]:
    """Shared bins over the central 99% of both, logarithmic when positive over decades."""
    both = np.concatenate([prior[np.isfinite(prior)], posterior[np.isfinite(posterior)]])
    low, high = np.quantile(both, [0.005, 0.995])
    if low > 0 and high / low > 100:
        return np.geomspace(low, high, _BINS + 1), True
    if high <= low:
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, _BINS + 1), False


def prior_posterior(
    fit: FitResult,
    parameters: str | Sequence[str] | None = None,
    *,
    prior_draws: int = 4000,
    random_seed: int = 0,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Histograms of prior (grey) and posterior (blue) draws, one panel per parameter.

    Bars are shares of draws in shared bins (equal widths, or equal ratios on a log axis).

    Each panel's title says what :meth:`FitResult.summary
    <tokendemand.fitting.result.FitResult.summary>` concluded (``learned_from``: ``data``,
    ``weak`` or ``prior``). Positive parameters spread over more than two decades get a log
    axis; scales in tokens/day get token units.

    Parameters
    ----------
    fit
        A fitted result.
    parameters
        Labels as in :meth:`FitResult.summary` (``"intensity_ratio"``,
        ``"total_reference[china]"``); default: every parameter that varies.
    prior_draws, random_seed
        Size and seed of the prior sample (:meth:`FitResult.prior_draws`).
    ax
        One Axes per parameter (an Axes for one parameter, or a sequence or array of them:
        spares are hidden); default: a new figure with a grid of three columns.

    Returns
    -------
    matplotlib.figure.Figure
        Per panel, two histogram patches labelled ``prior`` and ``posterior``.

    Raises
    ------
    ConfigError
        For an unknown parameter, or fewer axes than parameters.
    """
    draws = parameter_draws(fit, prior_draws, random_seed)
    if parameters is None:
        names = list(draws)
    else:
        names = [parameters] if isinstance(parameters, str) else list(parameters)
    unknown = [n for n in names if n not in draws]
    if unknown:
        raise ConfigError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))}; choose from {', '.join(draws)}"
        )
    if not names:
        raise ConfigError("no parameters to plot")
    if ax is None:
        import matplotlib.pyplot as plt

        rows = math.ceil(len(names) / _COLUMNS)
        columns = min(len(names), _COLUMNS)
        figure, grid = plt.subplots(
            rows, columns, figsize=(3.0 * columns, 2.1 * rows), layout="constrained", squeeze=False
        )
        axes = list(grid.ravel())
    else:
        axes = list(np.ravel(np.asarray(ax, dtype=object)))
        if len(axes) < len(names):
            raise ConfigError(
                f"{len(names)} parameters need {len(names)} axes, got {len(axes)}; pass "
                "parameters='name' with one Axes, or ax=None for a grid of panels"
            )
        figure, _ = axes_for(axes[0])
    for spare in axes[len(names) :]:
        spare.set_visible(False)
    learned = fit.summary()["learned_from"]
    for name, panel in zip(names, axes, strict=False):
        prior, posterior = draws[name]
        bins, log = _bins(prior, posterior)
        # each draw weighs 1/n: bars are shares of draws, comparable on log bins too
        panel.hist(
            prior,
            bins=bins,
            weights=np.full(prior.size, 1.0 / prior.size),
            histtype="stepfilled",
            color="#cccccc",
            label="prior",
        )
        panel.hist(
            posterior,
            bins=bins,
            weights=np.full(posterior.size, 1.0 / posterior.size),
            histtype="stepfilled",
            color=FAN_COLOR,
            alpha=0.55,
            edgecolor=FAN_COLOR,
            label="posterior",
        )
        if name.split("[")[0] in _TOKEN_PARAMETERS:
            token_axis(panel, log, axis="x")
        elif log:
            panel.set_xscale("log")
        panel.set_yticks([])
        style_axes(panel)
        panel.spines["left"].set_visible(False)
        panel.grid(False)
        verdict = str(learned.get(name, "")) if name in learned.index else ""
        panel.set_title(name, fontsize=FONT_SIZE - 0.5, color=INK, loc="left")
        if verdict:
            panel.set_title(f"from {verdict}", fontsize=FONT_SIZE - 1.5, color=MUTED, loc="right")
    axes[0].legend(fontsize=FONT_SIZE - 1.5, frameon=False, loc="upper right")
    return figure
