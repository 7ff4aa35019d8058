"""Builders for the projection tests: round calculator parameters with exponential indices and a
fake posterior."""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass

import numpy as np

from tokendemand.dates import DAYS_PER_YEAR
from tokendemand.projection import PosteriorSource, Projection
from tokendemand.projection.goal_seek import GoalSeek
from tokendemand.structure import Parameters, Structure

# the package exports functions named like these modules, so import the modules by path
projection_module = importlib.import_module("tokendemand.projection")

goal_seek_module = importlib.import_module("tokendemand.projection.goal_seek")

REF = "2026-03-31"

Y = DAYS_PER_YEAR

# These tests check projection mechanics against closed forms, which are simplest with
# exponential indices; the default Structure saturates, so calculator-mode calls here pass
# this structure unless a test names another.
EXP = Structure(
    users="exponential", chatbot="exponential", complexity="exponential", usage="exponential"
)


def project(source: object, *args: object, **kwargs: object) -> Projection:
    kwargs.setdefault("variables", "all")  # these tests read every component
    if isinstance(source, Parameters):
        kwargs.setdefault("structure", EXP)
    return projection_module.project(source, *args, **kwargs)  # type: ignore[arg-type]


def goal_seek(source: object, *args: object, **kwargs: object) -> GoalSeek:
    if isinstance(source, Parameters):
        kwargs.setdefault("structure", EXP)
    return goal_seek_module.goal_seek(source, *args, **kwargs)  # type: ignore[arg-type]


def calculator(**changes: object) -> Parameters:
    """One draw: logistic penetration and exponential indices with round numbers."""
    base = Parameters(
        REF,
        scale=1e14,
        intensity_ratio=10.0,
        penetration={"ceiling": 0.5, "midpoint": "2028-03-31", "rate": 1.2},
        users={"annual_rate": 0.1},
        chatbot={"annual_rate": 0.2},
        complexity={"annual_rate": 0.5},
        usage={"annual_rate": 0.3},
    )
    return base.replace(**changes)


@dataclass(frozen=True)
class FakeFit:
    """Satisfies PosteriorSource: seeded draws around known values."""

    draws: int = 64
    seed: int = 7
    structure: Structure = EXP
    markets: tuple[str, ...] = ("china",)

    def posterior_parameters(self, market: str | None = None) -> Parameters:
        rng = np.random.default_rng(self.seed + self.markets.index(market or self.markets[0]))
        n = self.draws
        return Parameters(
            REF,
            scale=rng.lognormal(math.log(1e14), 0.1, n),
            intensity_ratio=rng.lognormal(math.log(12.5), 0.2, n),
            penetration={
                "ceiling": rng.uniform(0.3, 0.7, n),
                "midpoint": rng.normal(900.0, 150.0, n),
                "rate": rng.lognormal(0.0, 0.2, n),
            },
            users={"annual_rate": rng.normal(0.1, 0.03, n)},
            chatbot={"annual_rate": rng.normal(0.15, 0.05, n)},
            complexity={"annual_rate": rng.normal(0.4, 0.1, n)},
            usage={"annual_rate": rng.normal(0.25, 0.1, n)},
            substitution=rng.uniform(0.0, 0.5, n),
        )


def fit_source(**kwargs: object) -> PosteriorSource:
    fit: PosteriorSource = FakeFit(**kwargs)  # type: ignore[arg-type]
    return fit
