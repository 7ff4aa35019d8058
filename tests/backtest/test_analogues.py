"""Backtests with analogues: which figures each fit sees (no leakage), counted once, and the
pooled fit beside the fit alone in every table; all with a fake fit (no sampling)."""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd
import pytest

import tokendemand as td
from tests.backtest.helpers import obs
from tokendemand.backtest import (
    ALONE,
    BASELINES,
    STRUCTURAL,
    analogue_figures,
    backtest,
    backtest_pairwise,
    backtest_summary,
    default_cutoffs,
    last_day,
    split,
    training_figures,
)
from tokendemand.errors import ConfigError, DataError
from tokendemand.observations import Observations

CUTOFF = pd.Timestamp("2025-03-31")


def key(o: Any) -> tuple[Any, ...]:
    return (o.series, o.market, o.kind, o.start, o.end, o.base_start, o.base_end, o.bound)


def awkward_analogues() -> Observations:
    """Analogue figures on both sides of 2025-03-31, and on the edge of it."""
    return Observations(
        [
            obs("point", 1e12, "2025-03-30", series="a"),  # the day before: fitted
            obs("point", 2e12, "2025-03-31", series="a"),  # on the cutoff: not fitted
            obs("mean", 3e12, "2025-03-01", "2025-04-30", series="a"),  # straddles it
            obs("total", 4e13, "2025-03-24", "2025-03-30", series="b"),  # ends before: fitted
            obs(  # its period ends before, its base period on the cutoff: not fitted
                "ratio",
                0.9,
                "2025-03-24",
                "2025-03-30",
                series="b",
                base_start="2025-03-31",
                base_end="2025-04-06",
            ),
            obs("point", 5e12, "2024-01-31", series="b"),  # long before: fitted
            obs("point", 9e19, "2027-01-01", series="b"),  # long after: not fitted
        ]
    )


def test_training_figures_take_no_analogue_figure_ending_on_or_after_the_cutoff() -> None:
    doubao = td.datasets.load("doubao")
    analogues = awkward_analogues()
    fitted = training_figures(doubao, analogues, CUTOFF)
    assert all(last_day(o) < CUTOFF for o in fitted), "a figure of the cutoff or later was fitted"
    others = [o for o in fitted if o.series in ("a", "b")]
    assert [(o.series, o.kind, o.value) for o in others] == [
        ("a", "point", 1e12),
        ("b", "total", 4e13),
        ("b", "point", 5e12),
    ]
    assert list(fitted[: len(fitted) - 3]) == list(split(doubao, CUTOFF)[0])
    # every cutoff, not just this one: exactly the figures that end before it, each once
    pool = doubao + analogues
    for cutoff in sorted({last_day(o) for o in pool}):
        fitted = training_figures(doubao, analogues, cutoff)
        assert {key(o) for o in fitted} == {key(o) for o in pool if last_day(o) < cutoff}
        assert len(fitted) == len({key(o) for o in fitted})


def test_training_figures_without_analogues_are_the_targets() -> None:
    doubao = td.datasets.load("doubao")
    assert training_figures(doubao, None, CUTOFF) == split(doubao, CUTOFF)[0]
    assert training_figures(doubao, Observations(), CUTOFF) == split(doubao, CUTOFF)[0]


def test_analogues_holding_the_target_count_its_figures_once() -> None:
    doubao, china = td.datasets.load("doubao"), td.datasets.load("china_national")
    every = china + doubao  # as datasets.load("all") would be, the target among them
    assert analogue_figures(doubao, every) == china
    fitted = training_figures(doubao, every, CUTOFF)
    assert len(fitted) == len({key(o) for o in fitted})
    assert [o for o in fitted if o.series == "doubao"] == list(split(doubao, CUTOFF)[0])
    # a doubao figure the target does not hold is an analogue figure, under the same rule
    launch = doubao[0].launch  # every figure of a series carries its launch day
    extra = Observations(
        [obs("point", 7e12, "2025-03-01", series="doubao", market="china", launch=launch)]
    )
    assert extra[0] in training_figures(doubao, every + extra, CUTOFF)
    assert extra[0] not in training_figures(doubao, every + extra, "2025-03-01")


def test_an_analogue_figure_contradicting_the_target_is_an_error() -> None:
    doubao = td.datasets.load("doubao")
    first = doubao[0]
    other = obs("point", first.value * 2, first.start, series=first.series, market=first.market)
    with pytest.raises(DataError, match=r"analogues\[0\] .* the target's figure \[0\]"):
        analogue_figures(doubao, Observations([other]))


def test_analogues_must_be_observations(recorded: list[Observations]) -> None:
    doubao = td.datasets.load("doubao")
    with pytest.raises(ConfigError, match=r"analogues must be an Observations .* got list"):
        training_figures(doubao, list(doubao), CUTOFF)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"analogues must be an Observations .* got str"):
        backtest(doubao, analogues="openrouter")  # type: ignore[arg-type]
    assert recorded == []


def test_the_runner_fits_no_analogue_figure_of_the_cutoff_or_later(
    recorded: list[Observations],
) -> None:
    doubao = td.datasets.load("doubao")
    analogues = awkward_analogues() + td.datasets.load("china_national") + doubao
    cutoffs = default_cutoffs(doubao)
    # an analogue figure on each cutoff: fitted at the later cutoffs, never at its own
    wild = Observations([obs("point", 1e20, c, series="wild", market="china") for c in cutoffs])
    lines: list[str] = []
    table = backtest(
        doubao,
        analogues=analogues + wild,
        baselines=("ets",),
        random_seed=0,
        progress=lines.append,
    )
    assert len(recorded) == 2 * len(cutoffs)  # the pooled fit and the fit alone, per cutoff
    for cutoff, pooled, alone in zip(cutoffs, recorded[::2], recorded[1::2], strict=True):
        for fitted in (pooled, alone):
            late = [o.describe() for o in fitted if last_day(o) >= cutoff]
            assert not late, f"fitted at {cutoff.date()} though not before it: {late}"
        assert pooled == training_figures(doubao, analogues + wild, cutoff)
        assert alone == split(doubao, cutoff)[0]
        assert len(pooled) > len(alone)
    # only the target's held-out figures are scored, each by every method
    assert set(table["series"]) == {"doubao"}
    assert list(dict.fromkeys(table["method"])) == [STRUCTURAL, ALONE, "ets"]
    per_method = table.groupby("method").size()
    assert (per_method == 15).all()
    n_train = table.pivot_table(index=["cutoff", "figure"], columns="method", values="n_train")
    assert (n_train[STRUCTURAL] > n_train[ALONE]).all()
    assert (n_train[ALONE] == n_train["ets"]).all()
    # progress: one line per cutoff and fit
    assert len(lines) == 2 * len(cutoffs)
    assert lines[0].startswith(f"cutoff 2025-03-31 (1/5): {STRUCTURAL}: fitting on 3 figures and")
    assert lines[1] == f"cutoff 2025-03-31 (1/5): {ALONE}: fitting on 3 figures, forecasting 5"


def test_every_table_compares_the_pooled_fit_with_the_fit_alone(
    recorded: list[Observations],
) -> None:
    china = td.datasets.load("china_national")
    table = backtest(china, analogues=td.datasets.load("openrouter"), random_seed=0)
    methods = [STRUCTURAL, ALONE, *BASELINES]
    assert list(backtest_summary(table).index) == methods
    assert list(backtest_pairwise(table).index) == methods[1:]
    # without analogues nothing changes: one structural method, named as before
    plain = backtest(china, random_seed=0)
    assert list(dict.fromkeys(plain["method"])) == [STRUCTURAL, *BASELINES]
    alone = table[table["method"] == ALONE].drop(columns="method").reset_index(drop=True)
    same = plain[plain["method"] == STRUCTURAL].drop(columns="method").reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, same)  # the fit alone is the backtest's usual fit


def test_analogues_with_nothing_before_a_cutoff_reuse_the_fit_alone(
    recorded: list[Observations],
) -> None:
    china = td.datasets.load("china_national")
    late = Observations([obs("point", 1e12, "2026-03-15", series="late", market="china")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one cutoff has analogues: no warning
        table = backtest(china, analogues=late, baselines=())
    assert len(recorded) == 3  # alone at 2025-12-31; pooled and alone at 2026-03-31
    first = table[table["cutoff"] == "2025-12-31"].set_index(["figure", "method"])
    pooled = first.xs(STRUCTURAL, level="method")
    alone = first.xs(ALONE, level="method")
    pd.testing.assert_series_equal(pooled["q50"], alone["q50"])
    assert pooled["note"].str.startswith("no analogue figure before the cutoff").all()
    assert (pooled["n_train"] == alone["n_train"]).all()
    with pytest.warns(UserWarning, match="no analogue figure ends before any cutoff"):
        table = backtest(china, cutoffs=["2025-12-31"], analogues=late, baselines=())
    assert set(table["method"]) == {STRUCTURAL, ALONE}
