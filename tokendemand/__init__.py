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

from tokendemand import curves, datasets, plotting, report, scenarios
from tokendemand.analysis import BreakEven
from tokendemand.backtest import backtest, backtest_pairwise, backtest_summary, plot_backtest
from tokendemand.errors import (
    ConfigError,
    ConvergenceWarning,
    DataError,
    NotFittedError,
    TokenDemandError,
)
from tokendemand.examples import example_parameters
from tokendemand.fit_result import FitResult, load_fit
from tokendemand.goal_seek import GoalSeek, goal_seek
from tokendemand.model import TokenDemandModel, fit
from tokendemand.observations import Observation, Observations, read_observations
from tokendemand.priors import Fixed, LogitNormal, LogNormal, Normal, Priors
from tokendemand.projection import PosteriorSource, Projection, project
from tokendemand.report import write_report
from tokendemand.scenarios import Growth, Override, Pin, Scale, Scenario
from tokendemand.simulate import simulate
from tokendemand.structure import (
    LEVERS,
    Parameters,
    Structure,
    agent_share,
    break_even_penetration,
    growth_multiplier,
    intensity_ratio_for_break_even,
)
from tokendemand.units import format_tokens, parse_rate, parse_tokens, to_tokens_per_day

__version__ = "0.1.0"

__all__ = [
    "LEVERS",
    "BreakEven",
    "ConfigError",
    "ConvergenceWarning",
    "DataError",
    "FitResult",
    "Fixed",
    "GoalSeek",
    "Growth",
    "LogNormal",
    "LogitNormal",
    "Normal",
    "NotFittedError",
    "Observation",
    "Observations",
    "Override",
    "Parameters",
    "Pin",
    "PosteriorSource",
    "Priors",
    "Projection",
    "Scale",
    "Scenario",
    "Structure",
    "TokenDemandError",
    "TokenDemandModel",
    "__version__",
    "agent_share",
    "backtest",
    "backtest_pairwise",
    "backtest_summary",
    "break_even_penetration",
    "curves",
    "datasets",
    "example_parameters",
    "fit",
    "format_tokens",
    "goal_seek",
    "growth_multiplier",
    "intensity_ratio_for_break_even",
    "load_fit",
    "parse_rate",
    "parse_tokens",
    "plot_backtest",
    "plotting",
    "project",
    "read_observations",
    "report",
    "scenarios",
    "simulate",
    "to_tokens_per_day",
    "write_report",
]
