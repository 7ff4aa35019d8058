"""The backtest runner: cutoffs and splits, the rolling-origin loop with a fake fit, and one small
real backtest (slow)."""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd
import pytest

import tokendemand as td
from tests.backtest.helpers import FakeResult, growth, obs
from tokendemand.backtest import (
    BASELINES,
    COLUMNS,
    STRUCTURAL,
    backtest,
    default_cutoffs,
    last_day,
    split,
)
from tokendemand.errors import ConfigError, ConvergenceWarning, DataError
from tokendemand.fitting.model import TokenDemandModel
from tokendemand.observations import Observations


def test_split_uses_the_last_day_of_each_figure() -> None:
    figures = Observations(
        [
            obs("point", 1e12, "2025-01-10"),
            obs("mean", 2e12, "2025-02-01", "2025-02-28"),  # straddles a mid-February cutoff
            obs(
                "ratio",
                1.1,
                "2025-02-01",
                "2025-02-07",
                base_start="2025-01-25",
                base_end="2025-01-31",
            ),
            obs("total", 7e12, "2025-03-01", "2025-03-07"),
            obs("point", 5e12, "2026-06-30"),
        ]
    )
    train, heldout = split(figures, "2025-02-15")
    assert [o.kind for o in train] == ["point", "ratio"]
    assert [o.kind for o in heldout] == ["mean", "total", "point"]
    train, heldout = split(figures, "2025-02-15", horizon="30D")
    assert [o.kind for o in heldout] == ["mean", "total"]  # the 2026 point is beyond 30 days
    # a figure whose last day is the cutoff is held out, the day before is trained on
    train, heldout = split(figures, "2025-03-07")
    assert [o.kind for o in heldout] == ["total", "point"]
    assert last_day(figures[2]) == pd.Timestamp("2025-02-07")


def test_last_day_of_a_ratio_includes_its_base_period() -> None:
    odd = obs(
        "ratio", 0.9, "2025-01-01", "2025-01-07", base_start="2025-01-08", base_end="2025-01-14"
    )
    assert last_day(odd) == pd.Timestamp("2025-01-14")
    train, heldout = split(Observations([odd]), "2025-01-10")
    assert len(train) == 0 and len(heldout) == 1


def test_default_cutoffs() -> None:
    doubao = td.datasets.load("doubao")
    cutoffs = default_cutoffs(doubao)
    ends = sorted(o.end for o in doubao)
    assert cutoffs == ends[3:]  # each end date with 3 figures before it
    assert default_cutoffs(doubao, min_train=6) == ends[6:]
    assert default_cutoffs(doubao, last=2) == ends[-2:]
    assert default_cutoffs(doubao, min_train=8) == []
    with pytest.raises(ConfigError, match="min_train"):
        default_cutoffs(doubao, min_train=0)


def test_nothing_after_a_cutoff_reaches_the_fit(recorded: list[Observations]) -> None:
    doubao = td.datasets.load("doubao")
    # a figure of doubao carries doubao's launch day, as every figure of a series must
    wild = Observations(
        [obs("point", 1e20, "2027-06-30", series="doubao", market="china", launch=doubao[0].launch)]
    )
    table = backtest(doubao + wild, random_seed=0, baselines=("arima",))
    cutoffs = sorted(table["cutoff"].unique())
    assert len(recorded) == len(cutoffs) == 6  # the wild figure adds one cutoff
    for cutoff, train in zip(cutoffs, recorded, strict=True):
        assert all(last_day(o) < cutoff for o in train), f"a figure after {cutoff} was fitted"
        assert list(train) == [o for o in doubao if o.end < cutoff]
    # the wild figure is forecast (from the last training figure), never learnt from
    wild_rows = table[(table["actual"] == 1e20) & (table["method"] == STRUCTURAL)]
    assert len(wild_rows) == 6 and wild_rows["q95"].max() < 1e17


def test_table_has_one_row_per_cutoff_figure_and_method(recorded: list[Observations]) -> None:
    china = td.datasets.load("china_national")
    table = backtest(china, random_seed=0)
    assert tuple(table.columns) == COLUMNS
    # cutoffs 2025-12-31 (2 held out) and 2026-03-31 (1), four methods each
    assert len(table) == (2 + 1) * 4
    assert list(dict.fromkeys(table["method"])) == [STRUCTURAL, *BASELINES]
    assert set(table["status"]) == {"scored", "bound", "no forecast"}
    bound_rows = table[table["bound"] == "lower"]
    assert (bound_rows["status"] != "scored").all() and bound_rows["crps"].isna().all()
    missing = table[table["status"] == "no forecast"]
    assert (missing["method"] == "loglinear").all()
    assert missing["note"].str.contains("needs 4 level figures").all()
    assert table["in90"].dtype == "boolean"
    assert (table["lead_days"] >= 0).all()
    again = backtest(china, random_seed=0)
    pd.testing.assert_frame_equal(table, again)  # seeded: reproducible


def test_one_cutoff_and_a_horizon(recorded: list[Observations]) -> None:
    doubao = td.datasets.load("doubao")
    table = backtest(doubao, cutoffs="2025-09-30", horizon="100D", baselines=())
    assert table["cutoff"].unique().tolist() == [pd.Timestamp("2025-09-30")]
    assert table["period_end"].dt.date.astype(str).tolist() == ["2025-09-30", "2025-12-18"]
    assert table["lead_days"].tolist() == [122, 201]  # from the 2025-05-31 figure
    assert table["n_train"].tolist() == [5, 5]


def test_a_series_the_fit_did_not_see_gets_a_reason(recorded: list[Observations]) -> None:
    figures = growth(["2024-01-15", "2024-06-15", "2024-12-15"]) + Observations(
        [obs("point", 1e13, "2025-06-30"), obs("point", 1e12, "2025-06-30", series="unseen")]
    )
    table = backtest(figures, cutoffs=["2025-01-01"], baselines=())
    assert table["status"].tolist() == ["scored", "no forecast"]
    assert "did not see m/unseen" in table["note"].iloc[1]


def test_fit_failures_and_convergence_warnings_are_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    def flaky_fit(self: TokenDemandModel, observations: Observations, **options: Any) -> FakeResult:
        calls.append(len(observations))
        if len(calls) == 1:
            raise DataError("no level figure")
        message = "the posterior is not reliable yet: max R-hat 1.2 > 1.01. Try: more draws"
        warnings.warn(message, ConvergenceWarning, stacklevel=2)
        return FakeResult(observations)

    monkeypatch.setattr(TokenDemandModel, "fit", flaky_fit)
    figures = growth(["2024-01-15", "2024-06-15", "2024-12-15", "2025-03-15", "2025-06-30"])
    with pytest.warns(ConvergenceWarning, match=r"1 of 2 cutoffs did not converge \(2025-06-30\)"):
        table = backtest(figures, cutoffs=["2025-03-15", "2025-06-30"], baselines=())
    first = table[table["cutoff"] == "2025-03-15"]
    assert (first["status"] == "no forecast").all()
    assert first["note"].str.startswith("the fit failed: DataError: no level figure").all()
    second = table[table["cutoff"] == "2025-06-30"]
    expected = "ConvergenceWarning: the posterior is not reliable yet: max R-hat 1.2 > 1.01"
    assert second["note"].tolist() == [expected]


def test_bad_options_are_reported_together(recorded: list[Observations]) -> None:
    doubao = td.datasets.load("doubao")
    with pytest.raises(ConfigError) as error:
        backtest(doubao, cutoffs=["2020-01-01", "2030-01-01"], baselines=("ets", "prophet"))
    message = str(error.value)
    assert "prophet" in message
    assert "cutoff 2020-01-01 has no figure before it" in message
    assert "cutoff 2030-01-01 holds out no figure" in message
    with pytest.raises(ConfigError, match="horizon"):
        backtest(doubao, horizon="a year")
    with pytest.raises(ConfigError, match=r"no unit; write e\.g\. '365D'"):
        backtest(doubao, horizon=365)
    with pytest.raises(ConfigError, match="model must be a TokenDemandModel"):
        backtest(doubao, model="default")
    with pytest.raises(ConfigError, match="no cutoff"):
        backtest(doubao, min_train=20)
    with pytest.raises(ConfigError, match=r"target_accept must be in \[0.5, 1\) or None, got 1.2"):
        backtest(doubao, target_accept=1.2)
    assert recorded == []


def test_a_bad_sampler_setting_is_an_error_not_a_table_of_failures() -> None:
    china = td.datasets.load("china_national")
    with pytest.raises(ConfigError, match="draws must be an integer >= 1, got 0"):
        backtest(china, draws=0, baselines=())
    with pytest.raises(ConfigError, match="chains must be an integer"):
        backtest(china, chains=0, baselines=())


def test_sampler_settings_reach_every_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    given: list[dict[str, Any]] = []

    def fake_fit(self: TokenDemandModel, observations: Observations, **options: Any) -> FakeResult:
        given.append(options)
        return FakeResult(observations)

    monkeypatch.setattr(TokenDemandModel, "fit", fake_fit)
    china = td.datasets.load("china_national")
    backtest(china, draws=300, target_accept=0.99, baselines=(), random_seed=0)
    backtest(china, draws=300, baselines=(), random_seed=0)
    assert len(given) == 4
    assert {(o["draws"], o["tune"], o["chains"]) for o in given} == {(300, 300, 2)}
    assert [o["target_accept"] for o in given] == [0.99, 0.99, None, None]


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, list[Observations]]:
    """One small real fit on china_national with a wild figure planted after the cutoff."""
    seen: list[Observations] = []

    class Recording(TokenDemandModel):
        def fit(self, observations: Observations, **options: Any) -> Any:
            seen.append(observations)
            return super().fit(observations, **options)

    china = td.datasets.load("china_national")
    wild = Observations([obs("point", 1e20, "2026-02-15", series="china_national", market="china")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 150 draws: diagnostics are weak
        table = backtest(
            china + wild,
            cutoffs=["2025-12-31"],
            model=Recording(),
            draws=150,
            tune=150,
            random_seed=1,
        )
    return table, seen


@pytest.mark.slow
def test_real_backtest_scores_the_structural_model(
    real: tuple[pd.DataFrame, list[Observations]],
) -> None:
    table, seen = real
    assert len(seen) == 1 and all(last_day(o) < pd.Timestamp("2025-12-31") for o in seen[0])
    structural = table[table["method"] == STRUCTURAL].set_index("period_end").sort_index()
    assert structural["status"].tolist() == ["scored", "scored", "bound"]
    hundred = structural.loc[pd.Timestamp("2025-12-31")]
    # fitted on 100B (2024), over 1T (2025-01) and 30T (2025-06): 100T is within reach
    assert 1e13 < hundred["q50"] < 1e15, f"median forecast {hundred['q50']:.3g} of 100T"
    assert hundred["crps"] < 2.0
    wild = structural.loc[pd.Timestamp("2026-02-15")]
    assert wild["q95"] < 1e17, "the planted 1e20 figure leaked into the fit"
    assert not wild["in90"]
