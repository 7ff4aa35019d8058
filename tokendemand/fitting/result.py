"""The immutable result of a fit: posterior, data, specification, diagnostics; save and load.

A :class:`FitResult` answers three questions before anyone projects with it:

- did the sampler converge? :attr:`FitResult.diagnostics` (``max_rhat``, ``min_ess_bulk``,
  ``divergences``, ``mean_tree_depth``, ...) and a
  :class:`~tokendemand.errors.ConvergenceWarning` with what to try;
- what did the data teach, and what is still the prior? :meth:`FitResult.summary` puts each
  parameter's posterior beside its prior: ``sd_ratio`` (posterior sd over prior sd) and ``shift``
  (posterior mean minus prior mean, in prior sds), and labels it ``data``, ``weak`` or ``prior``;
- does the model reproduce the figures? :meth:`FitResult.posterior_predictive` and
  :meth:`FitResult.prior_predictive`.

:meth:`FitResult.save` and :func:`load_fit` write and read a folder whose layout is
:mod:`tokendemand.fitting.io`'s.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import pandas as pd

from tokendemand.errors import ConvergenceWarning, DataError
from tokendemand.fitting.diagnostics import convergence_problems, learned_from, sampler_diagnostics
from tokendemand.fitting.inference_data import inference_data
from tokendemand.fitting.io import read_fit, write_fit
from tokendemand.fitting.likelihood import (
    ObservationDesign,
    as_draw_values,
    natural_scale,
    replicate,
)
from tokendemand.fitting.parametrization import parameter_dims, to_parameters
from tokendemand.fitting.posterior import prior_values, recorded_names
from tokendemand.fitting.pseudo import ClaimRecord, data_observations
from tokendemand.observations import Observations
from tokendemand.priors import Priors
from tokendemand.structure import Parameters, Structure

__all__ = ["FitResult", "load_fit"]

_PRIOR_DRAWS: Final = 4000


@dataclass(frozen=True, eq=False)
class FitResult:
    """Posterior and everything needed to use, check, save and reload it.

    Build it with :meth:`TokenDemandModel.fit <tokendemand.fitting.model.TokenDemandModel.fit>` or
    :func:`load_fit`, not directly.

    ``idata`` is a full ``arviz.InferenceData`` (groups listed in
    :mod:`tokendemand.fitting.inference_data`), so ArviZ's functions take it as they take a
    PyMC model's.

    Notes
    -----
    ``az.summary`` tabulates the structural posterior (the sampled standard normals are in the
    ``unconstrained_posterior`` group); ``az.loo`` estimates the out-of-sample predictive
    accuracy from each figure's pointwise log-likelihood; ``az.compare`` ranks structures
    fitted to the same figures by it::

        import arviz as az
        import tokendemand as td
        from tokendemand.structure import Structure

        figures = td.datasets.load("china_national")
        logistic = td.fit(figures, random_seed=1)
        gompertz = td.fit(figures, structure=Structure(penetration="gompertz"), random_seed=1)
        az.summary(logistic.idata)
        az.loo(logistic.idata)
        az.compare({"logistic": logistic.idata, "gompertz": gompertz.idata})

    With a few dozen figures and heavy-tailed errors, some figures weigh on the posterior
    enough that ArviZ warns about high Pareto k: read those figures' ``p_above`` in
    :meth:`posterior_predictive` before trusting a small LOO difference.
    """

    idata: Any
    structure: Structure
    priors: Priors
    design: ObservationDesign
    method: str
    sampler: str
    diagnostics: Mapping[str, float]
    timings: Mapping[str, float] = field(default_factory=dict)
    claims: tuple[ClaimRecord, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_inference(
        cls,
        idata: Any,
        *,
        structure: Structure,
        priors: Priors,
        design: ObservationDesign,
        method: str,
        sampler: str,
        timings: Mapping[str, float] | None = None,
    ) -> FitResult:
        """Wrap an ArviZ ``InferenceData`` of the standard-normal coordinates.

        The full ``InferenceData`` is built from the sampled coordinates by
        :func:`~tokendemand.fitting.inference_data.inference_data` (structural posterior,
        log-likelihood, predictive groups); then the diagnostics are computed on the structural
        quantities.
        """
        idata = inference_data(idata, structure, priors, design)
        names = [name for name, _ in recorded_names(structure, priors, design)]
        return cls(
            idata=idata,
            structure=structure,
            priors=priors,
            design=design,
            method=method,
            sampler=sampler,
            diagnostics=MappingProxyType(sampler_diagnostics(idata, names, method)),
            timings=MappingProxyType(dict(timings or {})),
        )

    # -- what was fitted ---------------------------------------------------------------
    @property
    def observations(self) -> Observations:
        """The observations the model was fitted to."""
        return self.design.observations

    def data_observations(self) -> Observations:
        """The observations without the figures entered by claims (:attr:`claims`)."""
        return (
            data_observations(self.observations, self.claims)
            if self.claims
            else (self.observations)
        )

    @property
    def reference_date(self) -> pd.Timestamp:
        """``t = 0`` of the relative parametrization."""
        return self.design.reference_date

    @property
    def markets(self) -> tuple[str, ...]:
        """Markets in the fit, in order; the first is the default for projections."""
        return self.design.markets

    @property
    def n_draws(self) -> int:
        """Posterior draws (all chains)."""
        posterior = self.idata.posterior
        return int(posterior.sizes["chain"] * posterior.sizes["draw"])

    # -- posterior values --------------------------------------------------------------
    def draws(self) -> dict[str, np.ndarray[Any, Any]]:
        """Posterior draws of every recorded quantity, chains stacked on the first axis."""
        posterior = self.idata.posterior
        out = {}
        for name, _ in recorded_names(self.structure, self.priors, self.design):
            array = np.asarray(posterior[name].values, dtype=float)
            out[name] = array.reshape(-1, *array.shape[2:])
        return out

    def prior_draws(self, n: int = _PRIOR_DRAWS, random_seed: int = 0) -> dict[str, Any]:
        """Prior draws of the same quantities as :meth:`draws` (numpy, seeded)."""
        return prior_values(self.structure, self.priors, self.design, n, random_seed)

    def posterior_parameters(self, market: str | None = None) -> Parameters:
        """Parameters of ``market`` (default: the first) whose values are arrays of draws.

        Each value is a 1-D array with one entry per posterior draw (chains stacked).
        """
        index = self._market_index(market)
        values: dict[str, Any] = dict(self.draws())
        values["substitution"] = float(self.priors.substitution.from_standard(0.0))
        return to_parameters(self.structure, values, self.reference_date, market=index)

    def _market_index(self, market: str | None) -> int:
        if market is None:
            return 0
        if market not in self.markets:
            raise DataError(
                f"market {market!r} is not in this fit; its markets: {list(self.markets)}"
            )
        return self.markets.index(market)

    # -- diagnostics -------------------------------------------------------------------
    def converged(self) -> bool:
        """Whether R-hat, ESS and divergences meet the thresholds (NUTS only)."""
        return not convergence_problems(self.diagnostics)

    def warn_if_unconverged(self, stacklevel: int = 1) -> None:
        """Emit a :class:`ConvergenceWarning` that says what is wrong and what to try."""
        problems = convergence_problems(self.diagnostics)
        if problems:
            warnings.warn(
                "the posterior is not reliable yet: "
                + "; ".join(problems)
                + ". Try: more tune and draws (tune=2000, draws=2000), target_accept=0.98, "
                "figures that speak to penetration or the agent share (without them chatbot "
                "growth and agent volume trade off), or tighter priors on the parameters "
                "summary() labels 'prior'.",
                ConvergenceWarning,
                stacklevel=stacklevel + 1,
            )

    def summary(self) -> pd.DataFrame:
        """One row per parameter: posterior beside prior, and convergence.

        Columns: ``mean, sd, q03, q97`` (the central 94% interval); ``prior_mean, prior_sd``;
        ``sd_ratio`` and ``shift``, measured robustly so heavy-tailed priors (a log-normal
        scale) compare fairly: the ratio of posterior to prior spread, each half its 16-84%
        range, and the move of the median in prior spreads; ``learned_from`` (``data`` when the
        spread shrank below half, ``prior`` when it stayed above 0.9 and the median moved
        under half a spread, ``weak`` otherwise); and ``r_hat, ess_bulk`` (NaN for MAP and
        ADVI).
        """
        import arviz as az

        posterior = self.draws()
        prior = self.prior_draws()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            multi_chain = self.method == "nuts" and self.idata.posterior.sizes["chain"] > 1
            rhat = az.rhat(self.idata) if multi_chain else None
            ess = az.ess(self.idata, method="bulk") if self.method == "nuts" else None
        rows = []
        single = {n for n, d in parameter_dims(self.structure).items() if d is not None}
        for name, dim in recorded_names(self.structure, self.priors, self.design):
            labels = self._labels(dim)
            if name in single and len(labels) == 1:
                labels = [""]  # one market: named as under complete pooling
            post = posterior[name].reshape(len(posterior[name]), -1)
            pri = np.broadcast_to(
                np.asarray(prior[name], dtype=float).reshape(len(prior[name]), -1),
                (len(prior[name]), post.shape[1]),
            )
            for j, label in enumerate(labels):
                mean, sd = float(post[:, j].mean()), float(post[:, j].std())
                pmean, psd = float(pri[:, j].mean()), float(pri[:, j].std())
                p16, p50, p84 = np.quantile(post[:, j], [0.16, 0.5, 0.84])
                q16, q50, q84 = np.quantile(pri[:, j], [0.16, 0.5, 0.84])
                spread = (q84 - q16) / 2.0
                ratio = (p84 - p16) / 2.0 / spread if spread > 0 else math.nan
                shift = (p50 - q50) / spread if spread > 0 else math.nan
                rows.append(
                    {
                        "parameter": f"{name}[{label}]" if label else name,
                        "mean": mean,
                        "sd": sd,
                        "q03": float(np.quantile(post[:, j], 0.03)),
                        "q97": float(np.quantile(post[:, j], 0.97)),
                        "prior_mean": pmean,
                        "prior_sd": psd,
                        "sd_ratio": ratio,
                        "shift": shift,
                        "learned_from": learned_from(ratio, shift),
                        "r_hat": _stat(rhat, name, j),
                        "ess_bulk": _stat(ess, name, j),
                    }
                )
        return pd.DataFrame(rows).set_index("parameter")

    def _labels(self, dim: str | None) -> list[str]:
        return [""] if dim is None else self.design.coords[dim]

    # -- predictive checks -------------------------------------------------------------
    def posterior_predictive(self, random_seed: int | None = 0) -> pd.DataFrame:
        """Each figure beside replicated figures drawn from the posterior (original units).

        Columns: ``series, market, kind, bound, observed, q05, q50, q95, p_above`` where
        ``p_above`` is the share of replicates above the observed value (near 0 or 1: the model
        and the figure disagree).
        """
        values = as_draw_values(self.draws())
        values["substitution"] = float(self.priors.substitution.from_standard(0.0))
        return self._predictive(values, random_seed)

    def prior_predictive(self, draws: int = 1000, random_seed: int | None = 0) -> pd.DataFrame:
        """As :meth:`posterior_predictive`, with parameters drawn from the priors."""
        values = as_draw_values(
            prior_values(self.structure, self.priors, self.design, draws, random_seed)
        )
        return self._predictive(values, random_seed)

    def _predictive(self, values: Mapping[str, Any], random_seed: int | None) -> pd.DataFrame:
        replicated = replicate(self.design, self.structure, self.priors, values, random_seed)
        frame = self.observations.to_frame()
        out = pd.DataFrame(
            {
                "series": frame["series"].to_numpy(),
                "market": frame["market"].to_numpy(),
                "kind": frame["kind"].to_numpy(),
                "bound": frame["bound"].to_numpy(),
                "observed": [float(o.value) for o in self.observations],
                "q05": np.quantile(replicated, 0.05, axis=0),
                "q50": np.quantile(replicated, 0.50, axis=0),
                "q95": np.quantile(replicated, 0.95, axis=0),
            }
        )
        out["p_above"] = (replicated > out["observed"].to_numpy()).mean(axis=0)
        return out

    def forecast(
        self, observations: Observations, random_seed: int | None = 0, noise: bool = True
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Posterior draws of ``observations`` in their own shapes and canonical units.

        A held-out weekly total is forecast as a weekly total, a ratio as a ratio, and so on,
        through the same observation equation as the fit (:class:`ObservationDesign` built on
        this fit's layout).

        Parameters
        ----------
        observations
            Figures of markets and series this fit has seen (any dates).
        random_seed
            Seed of the observation noise.
        noise
            Add the fitted observation noise (a predictive distribution of the published
            figure); without it, the model-side value.

        Returns
        -------
        numpy.ndarray
            Shape ``(draws, len(observations))``, in the observations' order.
        """
        design = ObservationDesign.build(observations, layout=self.design)
        values = as_draw_values(self.draws())
        values["substitution"] = float(self.priors.substitution.from_standard(0.0))
        if noise:
            return replicate(design, self.structure, self.priors, values, random_seed)
        return natural_scale(design, design.predict(self.structure, values, np))

    # -- persistence -------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the result to the folder ``path`` (created; existing files are replaced).

        Returns the folder. :func:`~tokendemand.fitting.load_fit` reads it back; a reloaded
        result projects identically. The layout is :mod:`tokendemand.fitting.io`'s.
        """
        spec = {
            "structure": self.structure.to_dict(),
            "priors": self.priors.to_dict(),
            "reference_date": self.reference_date.date().isoformat(),
            "reference_series": dict(self.design.reference_series),
            "method": self.method,
            "sampler": self.sampler,
            "diagnostics": dict(self.diagnostics),
            "timings": dict(self.timings),
            "options": dict(self.options),
            "claims": [record.to_dict() for record in self.claims],
        }
        return write_fit(path, self.idata, self.observations, spec)

    def _repr_html_(self) -> str:
        """Summary for Jupyter: method, convergence, posterior per parameter."""
        from tokendemand.notebook import fit_html

        return fit_html(self)

    def __repr__(self) -> str:
        d = self.diagnostics
        return (
            f"FitResult(method={self.method!r}, sampler={self.sampler!r}, "
            f"markets={list(self.markets)}, observations={len(self.design)}, "
            f"draws={self.n_draws}, reference_date={self.reference_date.date()}, "
            f"max_rhat={d.get('max_rhat', math.nan):.3f}, "
            f"divergences={int(d.get('divergences', 0))})"
        )


def _stat(table: Any, name: str, j: int) -> float:
    if table is None or name not in table:
        return math.nan
    return float(np.asarray(table[name].values).reshape(-1)[j])


def load_fit(path: str | Path) -> FitResult:
    """Read a result written by :meth:`FitResult.save`.

    Raises
    ------
    DataError
        If the folder or a file is missing, unreadable, or of an unknown format version.
    """
    folder = Path(path)
    idata, observations, spec = read_fit(folder)
    try:
        stored = dict(spec["structure"])
        priors_spec = dict(spec["priors"])
        if spec["format_version"] < 3:
            # before pooling: one set of levers for all series, one noise for every kind
            stored.setdefault("pooling", "complete")
            for name in ("noise_ratio_factor", "noise_share_factor"):
                priors_spec.setdefault(name, {"kind": "Fixed", "value": 1.0})
        structure = Structure(**stored)
        priors = Priors.from_dict(priors_spec)
        design = ObservationDesign.build(
            observations,
            spec["reference_date"],
            spec["reference_series"],
            pooling=structure.pooling,
        )
        if spec["format_version"] == 1:  # the sampled and structural draws only: build the rest
            idata = inference_data(idata, structure, priors, design)
        # fits saved before claims could be entered have neither key
        claims = tuple(ClaimRecord.from_dict(c, observations) for c in spec.get("claims", []))
    except (KeyError, TypeError, ValueError) as error:
        raise DataError(f"{folder} could not be loaded: {type(error).__name__}: {error}") from None
    missing = [n for n, _ in recorded_names(structure, priors, design) if n not in idata.posterior]
    if missing:
        raise DataError(f"{folder / 'posterior.nc'} lacks {missing}; the file is not from this fit")
    return FitResult(
        idata=idata,
        structure=structure,
        priors=priors,
        design=design,
        method=spec["method"],
        sampler=spec["sampler"],
        diagnostics=MappingProxyType(spec["diagnostics"]),
        timings=MappingProxyType(dict(spec.get("timings", {}))),
        claims=claims,
        options=MappingProxyType(dict(spec.get("options", {}))),
    )
