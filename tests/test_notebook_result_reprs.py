"""Jupyter reprs of the break-even result and the goal-seek answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

import tokendemand as td
from tokendemand.projection.analyses import BreakEven


def test_break_even_repr_gives_dates_by_scenario() -> None:
    dates = np.array(
        [["2027-01-01", "2027-06-01", "NaT", "2028-01-01"], ["2026-01-01"] * 4],
        dtype="datetime64[ns]",
    )
    coords = {"scenario": ["posterior", "fast"], "draw": np.arange(4)}
    result = BreakEven(
        dates=xr.DataArray(dates, dims=("scenario", "draw"), coords=coords),
        penetration=xr.DataArray(np.full((2, 4), 0.1), dims=("scenario", "draw"), coords=coords),
        already=xr.DataArray(
            np.array([[False] * 4, [True] * 4]), dims=("scenario", "draw"), coords=coords
        ),
        start=pd.Timestamp("2026-01-01"),
        until=pd.Timestamp("2030-12-31"),
    )
    text = result._repr_html_()
    assert text.startswith("<div>") and "<table>" in text and "<script" not in text
    assert "posterior" in text and "fast" in text and "4 draws per scenario" in text
    assert "2027-06-01" in text  # the posterior's median draw
    assert "25%" in text  # a quarter of the posterior's draws never cross
    assert "by 2026-01-01" in text and "100%" in text  # every fast draw crossed already


def test_goal_seek_repr_states_the_answer() -> None:
    answer = td.goal_seek(
        td.example_parameters(), target_multiplier=10.0, by="2028-12-31", lever="complexity"
    )
    text = answer._repr_html_()
    assert text.startswith("<div>") and "<table>" in text and "<script" not in text
    assert "Goal seek" in text and "complexity" in text
    assert f"{answer.target:g}" in text
