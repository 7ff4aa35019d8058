"""tokendemand: forecast AI token demand.

Daily tokens = chatbot baseline + users x agent penetration x task complexity x usage time,
fitted to public figures with PyMC and projected under scenarios with honest uncertainty.

The workflow is ``fit(observations)`` -> ``Scenario(...)`` -> ``project(...)``::

    import tokendemand as td

    observations = td.datasets.load("china_national")
    result = td.fit(observations, random_seed=1)
    projection = td.project(result, until="2030-12-31")
    projection.break_even().prob_before("2028-12-31")
"""

from __future__ import annotations

from importlib.metadata import version as _version

# subpackages reachable as td.claims, td.datasets, td.plotting and td.scenarios
from tokendemand import claims as claims
from tokendemand import datasets as datasets
from tokendemand import plotting as plotting
from tokendemand import scenarios as scenarios
from tokendemand.backtest import backtest
from tokendemand.calculator import example_parameters
from tokendemand.claims import check_claims
from tokendemand.errors import (
    ConfigError,
    ConvergenceWarning,
    DataError,
    NotFittedError,
    TokenDemandError,
)
from tokendemand.factory import FactoryAssumptions, economics
from tokendemand.fitting import FitResult, TokenDemandModel, fit, load_fit
from tokendemand.observations import Observations, read_observations
from tokendemand.priors import Priors
from tokendemand.projection import Projection, goal_seek, project, sensitivity, sweep
from tokendemand.report import write_report
from tokendemand.scenarios import Scenario
from tokendemand.structure import Parameters, Structure

__version__: str = _version("tokendemand")
"""The installed version (from the package metadata, so it is written in pyproject.toml only)."""

# What a notebook user types; the subpackages td.datasets, td.scenarios, td.plotting and
# td.claims are attributes too. Everything else is importable from its subpackage:
# tokendemand.scenarios (Growth, Pin, ...), tokendemand.priors (LogNormal, ...),
# tokendemand.projection (BreakEven, GoalSeek), tokendemand.fitting (simulate),
# tokendemand.factory (PricePath, token_packages, ...), ...
__all__ = [
    "ConfigError",
    "ConvergenceWarning",
    "DataError",
    "FactoryAssumptions",
    "FitResult",
    "NotFittedError",
    "Observations",
    "Parameters",
    "Priors",
    "Projection",
    "Scenario",
    "Structure",
    "TokenDemandError",
    "TokenDemandModel",
    "__version__",
    "backtest",
    "check_claims",
    "economics",
    "example_parameters",
    "fit",
    "goal_seek",
    "load_fit",
    "project",
    "read_observations",
    "sensitivity",
    "sweep",
    "write_report",
]
