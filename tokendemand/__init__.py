"""tokendemand: forecast AI token demand.

Daily tokens = chatbot baseline + users x agent penetration x task complexity x usage time,
fitted to public figures with PyMC and projected under scenarios with honest uncertainty.
"""

from __future__ import annotations

from tokendemand import curves
from tokendemand.errors import (
    ConfigError,
    ConvergenceWarning,
    DataError,
    NotFittedError,
    TokenDemandError,
)
from tokendemand.examples import example_parameters
from tokendemand.structure import (
    LEVERS,
    Parameters,
    Structure,
    agent_share,
    break_even_penetration,
    growth_multiplier,
    intensity_ratio_for_break_even,
)

__version__ = "0.1.0"

__all__ = [
    "LEVERS",
    "ConfigError",
    "ConvergenceWarning",
    "DataError",
    "NotFittedError",
    "Parameters",
    "Structure",
    "TokenDemandError",
    "__version__",
    "agent_share",
    "break_even_penetration",
    "curves",
    "example_parameters",
    "growth_multiplier",
    "intensity_ratio_for_break_even",
]
