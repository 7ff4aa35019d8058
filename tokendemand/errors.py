"""Exceptions and warnings raised by tokendemand.

Everything the library raises on purpose derives from :class:`TokenDemandError`, so one
``except TokenDemandError`` catches it all; each concrete error also derives from the builtin
that describes it, so code written against the builtins keeps working::

    Exception
    ├── TokenDemandError
    │   ├── ConfigError (ValueError)       a structure, prior, scenario or option is wrong
    │   ├── DataError (ValueError)         an observation, unit or input file is wrong
    │   └── NotFittedError (RuntimeError)  a fitted result was needed and is missing
    └── Warning
        └── UserWarning
            └── ConvergenceWarning         sampler diagnostics say: do not trust this fit yet

Messages say what was wrong, where (row, field, parameter) and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "ConvergenceWarning",
    "DataError",
    "NotFittedError",
    "TokenDemandError",
]


class TokenDemandError(Exception):
    """Base class of every error tokendemand raises on purpose."""


class ConfigError(TokenDemandError, ValueError):
    """A structure, parameter, prior, scenario or option is invalid."""


class DataError(TokenDemandError, ValueError):
    """An observation, a unit, a quantity or an input file is invalid."""


class NotFittedError(TokenDemandError, RuntimeError):
    """An operation needs a fitted result that does not exist."""


class ConvergenceWarning(UserWarning):
    """Sampler diagnostics (R-hat, ESS, divergences) indicate an unreliable posterior."""
