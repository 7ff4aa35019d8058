"""``tokendemand run``: fit, project and write the report folder (the main job)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from tokendemand.cli.common import (
    DEFAULT_DATASET,
    Progress,
    convergence_warnings_printed,
)
from tokendemand.errors import ConfigError
from tokendemand.fitting.options import DEFAULT_CHAINS

if TYPE_CHECKING:
    from tokendemand.fitting import FitResult
    from tokendemand.observations import Observations
    from tokendemand.scenarios import Scenario

__all__ = ["DEFAULT_DRAWS", "GRID_DAYS", "QUICK", "run"]

DEFAULT_DRAWS: Final = 1000
QUICK: Final = {"draws": 300, "tune": 1000, "chains": 2}
"""Draws and tuning steps per chain, and chains, of ``run --quick`` (the chains do not carry on
unless ``--max-draws`` says so). The tuning stays at the default's 1000 steps: with NumPyro's
own dense adaptation, 300 steps sent the trees of a joint fit of every series so deep that the
quick fit took longer than the default one. That was measured before the two-pass warm-up
(:mod:`tokendemand.fitting._numpyro`), which does not estimate the dense matrix from fewer draws
than coordinates; a shorter quick tuning has not been measured since."""
GRID_DAYS: Final = 7
"""Spacing of the projection grid of ``run`` (weekly: light on memory, smooth charts)."""


class _Quiet(Progress):
    """Progress that prints nothing (``--quiet``)."""

    def __call__(self, message: str) -> None:
        pass


def _load_observations(args: argparse.Namespace) -> tuple[Observations, str]:
    from tokendemand import datasets
    from tokendemand.observations import read_observations

    if args.data is not None:
        return read_observations(args.data), f"file {args.data}"
    name = args.dataset or DEFAULT_DATASET
    return datasets.load(name), f"bundled dataset {name}"


def _pooling(args: argparse.Namespace) -> str:
    """``--pooling``, else the structure's default (partial)."""
    from tokendemand.structure import Structure

    return str(args.pooling) if args.pooling is not None else Structure().pooling


def _load_scenarios(path: str | None) -> tuple[list[Scenario], str]:
    from tokendemand.scenarios import builtin, load_toml

    if path is None:
        return list(builtin()), "built-in scenarios"
    chosen = list(load_toml(path))
    if all(s.name != "posterior" for s in chosen):
        chosen.insert(0, builtin("posterior"))  # the fitted trajectory, for comparison
        return chosen, f"file {path}, with the built-in 'posterior' for comparison"
    return chosen, f"file {path}"


def _fit(
    observations: Observations, options: dict[str, Any], progress: Progress
) -> tuple[FitResult, list[str]]:
    """Fit, turning convergence warnings into messages (other warnings pass through)."""
    from tokendemand.fitting.model import fit

    with convergence_warnings_printed() as messages:
        result = fit(observations, **options)
    return result, messages


def run(args: argparse.Namespace) -> int:
    """Run ``tokendemand run`` as ``args`` say; returns the exit status."""
    progress = _Quiet() if args.quiet else Progress()
    observations, data_label = _load_observations(args)
    scenarios, scenario_label = _load_scenarios(args.scenarios)
    last = observations.date_range()[1]
    until: pd.Timestamp = args.until
    if until <= last:
        raise ConfigError(f"--until {until.date()} must be after the last figure ({last.date()})")
    from tokendemand.report import check_output_folder

    check_output_folder(args.out)  # before the fitting
    factory = None
    if args.economics is not None:
        from tokendemand.factory import load_assumptions

        factory = load_assumptions(args.economics)  # a bad file fails before the fitting
    study = None
    if args.sensitivity is not None:
        from tokendemand.projection.study import load_study

        study = load_study(args.sensitivity)  # likewise
    markets = list(dict.fromkeys(str(m) for m in observations.markets))
    market = args.market if args.market is not None else markets[0]
    if market not in markets:
        raise ConfigError(
            f"--market {market!r} is not in the data; its markets: {', '.join(markets)}"
        )
    first = observations.filter(market=market).date_range()[0]  # the fan chart starts there
    draws = (
        args.draws if args.draws is not None else (QUICK["draws"] if args.quick else DEFAULT_DRAWS)
    )
    tune = args.tune if args.tune is not None else (QUICK["tune"] if args.quick else DEFAULT_DRAWS)
    chains = (
        args.chains
        if args.chains is not None
        else (QUICK["chains"] if args.quick else DEFAULT_CHAINS)
    )
    options = {
        "draws": draws,
        "tune": tune,
        "chains": chains,
        "random_seed": args.seed,
        "sampler": args.sampler,
        # the sampler's stage, draws done and divergences so far, redrawn every second
        "progressbar": not args.quiet,
    }
    if args.max_draws is not None:
        options["max_draws"] = args.max_draws
    elif args.quick:
        options["max_draws"] = draws  # a first look: no carrying on
    from tokendemand.structure import Structure

    pooling = _pooling(args)
    options["structure"] = Structure(pooling=pooling)
    progress(
        f"fitting {len(observations)} figures ({data_label}): {chains} chains x {draws} "
        f"draws after {tune} tuning steps, seed {args.seed}, sampler {args.sampler}, "
        f"{pooling} pooling"
    )
    fit_start = progress.elapsed()
    fit, fit_warnings = _fit(observations, options, progress)
    fit_seconds = progress.elapsed() - fit_start
    drawn = int(fit.diagnostics["draws"])
    more = f"; {draws} draws fell short of the diagnostics, carried on to {drawn}"
    progress(f"fitted in {fit_seconds:.1f}s" + (more if drawn > draws else ""))

    from tokendemand.projection import project

    progress(f"projecting {len(scenarios)} scenarios for {market} to {until.date()}")
    project_start = progress.elapsed()
    projection = project(
        fit,
        scenarios,
        until=until,
        freq=f"{GRID_DAYS}D",
        start=min(first, fit.reference_date),
        market=market if len(fit.markets) > 1 else None,
    )
    project_seconds = progress.elapsed() - project_start
    progress(f"projected in {project_seconds:.1f}s; drawing figures and writing the report")

    from tokendemand.report import write_report

    notes = []
    if args.quick:
        notes.append(
            f"Quick run (--quick): {chains} chains x {draws} draws after {tune} tuning "
            "steps, for a first look. Run without --quick for numbers to quote."
        )
    if len(markets) > 1:
        notes.append(
            f"The data cover markets {', '.join(markets)}; this report projects {market} "
            "(choose another with --market)."
        )
    run_info = {
        "command": "tokendemand " + " ".join(args.argv),
        "data": data_label,
        "scenarios": scenario_label,
        "market": market,
        "draws, tune, chains": f"{drawn}, {tune}, {chains}"
        + (f" ({draws} draws asked for fell short of the diagnostics)" if drawn > draws else ""),
        "seed": str(args.seed),
        "until": until.date().isoformat(),
        "fit seconds": f"{fit_seconds:.1f}",
        "projection seconds": f"{project_seconds:.1f}",
    }
    out = write_report(
        fit,
        projection,
        args.out,
        warnings=fit_warnings,
        notes=notes,
        run_info=run_info,
        progress=lambda name: progress(f"figure {name}"),
        factory=factory,
        random_seed=args.seed,
        sensitivity=study,
    )
    progress("report written")
    print(f"report: {out / 'report.html'}")
    return 0
