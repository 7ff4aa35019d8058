"""Backtests: metrics against hand-computed cases, baselines and the runner without sampling,
and one small real backtest (slow)."""

from __future__ import annotations

import argparse
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import tokendemand as td
from tokendemand.backtest import (
    BASELINES,
    COLUMNS,
    STRUCTURAL,
    backtest,
    backtest_pairwise,
    backtest_summary,
    crps_from_samples,
    default_cutoffs,
    forecast_baseline,
    last_day,
    plot_backtest,
    score,
    split,
)
from tokendemand.backtest import baselines as baselines_module
from tokendemand.backtest._capture import captured_warnings
from tokendemand.cli import backtest as backtest_cli
from tokendemand.errors import ConfigError, ConvergenceWarning, DataError
from tokendemand.fitting.model import TokenDemandModel
from tokendemand.observations import Observation, Observations


def obs(kind: str, value: float, start: Any, end: Any = None, **extra: Any) -> Observation:
    return Observation(
        series=str(extra.pop("series", "s")),
        market=str(extra.pop("market", "m")),
        kind=kind,  # type: ignore[arg-type]
        value=value,
        start=start,
        end=end or start,
        source="test",
        **extra,
    )


def growth(dates: list[str], rate: float = 2.0, level: float = 1e12) -> Observations:
    """Points on an exact exponential path: ``level * exp(rate * years since the first)``."""
    first = pd.Timestamp(dates[0])
    return Observations(
        obs("point", level * math.exp(rate * (pd.Timestamp(d) - first).days / 365.25), d)
        for d in dates
    )


# --------------------------------------------------------------------------------- metrics


def test_crps_of_a_point_forecast_is_the_absolute_error() -> None:
    for point, actual in ((2.0, 5.0), (5.0, 2.0), (-1.5, -1.5), (0.0, 1e-9)):
        assert crps_from_samples(np.full(37, point), actual) == pytest.approx(abs(point - actual))


def test_crps_of_two_points_by_hand() -> None:
    # X uniform on {0, 1}, y = 0.25: E|X - y| = (0.25 + 0.75)/2 = 0.5; E|X - X'| = 0.5
    assert float(crps_from_samples([1.0, 0.0], 0.25)) == pytest.approx(0.5 - 0.25)
    # y outside: E|X - 3| = 2.5, minus 0.25
    assert float(crps_from_samples([0.0, 1.0], 3.0)) == pytest.approx(2.25)


def test_crps_equals_the_pairwise_definition() -> None:
    rng = np.random.default_rng(3)
    x = rng.gamma(2.0, size=151)
    y = 1.7
    pairwise = np.abs(x - y).mean() - 0.5 * np.abs(x[:, None] - x[None, :]).mean()
    assert float(crps_from_samples(x, y)) == pytest.approx(pairwise, rel=1e-12)


@pytest.mark.parametrize("y", [-2.0, 0.3, 1.0, 4.5])
def test_crps_of_a_normal_matches_the_closed_form(y: float) -> None:
    mu, sigma, m = 1.0, 0.7, 20_000
    x = mu + sigma * stats.norm.ppf((np.arange(1, m + 1) - 0.5) / m)  # quantile samples
    z = (y - mu) / sigma
    closed = sigma * (
        z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / math.sqrt(math.pi)
    )
    assert float(crps_from_samples(x, y)) == pytest.approx(closed, abs=2e-4)


def test_crps_vectorises_over_forecasts_and_flags_non_finite() -> None:
    samples = np.array([[1.0, 1.0, 1.0], [0.0, 1.0, np.nan]])
    out = crps_from_samples(samples, [3.0, 0.0])
    assert out.shape == (2,)
    assert out[0] == pytest.approx(2.0)
    assert math.isnan(out[1])
    with pytest.raises(DataError, match="at least one sample"):
        crps_from_samples(np.zeros((2, 0)), 1.0)


def test_score_intervals_coverage_and_log_error() -> None:
    log_samples = np.log(np.arange(1.0, 102.0))  # 1..101: q05 = 6, q25 = 26, q50 = 51, ...
    inside50 = score(log_samples, 40.0)
    assert inside50["q50"] == pytest.approx(51.0)
    assert (inside50["q05"], inside50["q25"], inside50["q75"], inside50["q95"]) == pytest.approx(
        (6.0, 26.0, 76.0, 96.0)
    )
    assert inside50["log_error"] == pytest.approx(math.log(51.0 / 40.0))
    assert (inside50["in50"], inside50["in90"]) == (True, True)
    outside50 = score(log_samples, 90.0)
    assert (outside50["in50"], outside50["in90"]) == (False, True)
    outside90 = score(log_samples, 99.0)
    assert (outside90["in50"], outside90["in90"]) == (False, False)
    assert score(log_samples, 96.0)["in90"] is True  # the interval is closed
    assert score(log_samples, 200.0)["log_error"] < 0  # forecast too low


def test_score_of_a_bound_is_the_probability_of_its_side() -> None:
    log_samples = np.log(np.arange(1.0, 11.0))
    lower = score(log_samples, 8.0, bound="lower")
    upper = score(log_samples, 8.0, bound="upper")
    assert lower["p_bound"] == pytest.approx(0.3)  # 8, 9, 10
    assert upper["p_bound"] == pytest.approx(0.8)  # 1..8
    for name in ("crps", "log_error"):
        assert math.isnan(lower[name])
    assert lower["in50"] is pd.NA and lower["in90"] is pd.NA
    assert lower["q50"] == pytest.approx(math.sqrt(30.0))  # quantiles interpolate in logs


def test_score_rejects_what_it_cannot_score() -> None:
    with pytest.raises(DataError, match="finite"):
        score([0.0, np.inf], 1.0)
    with pytest.raises(DataError, match="positive"):
        score([0.0, 1.0], 0.0)
    with pytest.raises(DataError, match="bound"):
        score([0.0, 1.0], 1.0, bound="over")


def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    defaults = {"crps": math.nan, "log_error": math.nan, "in50": pd.NA, "in90": pd.NA}
    frame = pd.DataFrame([{**defaults, "p_bound": math.nan, "cutoff": "c", **row} for row in rows])
    for name in ("in50", "in90"):
        frame[name] = frame[name].astype("boolean")
    return frame


def scored(method: str, figure: int, crps: float, error: float, in50: bool, in90: bool) -> Any:
    return {
        "status": "scored",
        "method": method,
        "figure": figure,
        "crps": crps,
        "log_error": error,
        "in50": in50,
        "in90": in90,
    }


def test_summary_counts_and_coverage() -> None:
    table = _table(
        [
            scored("a", 1, 0.1, 0.1, True, True),
            scored("a", 2, 0.3, -0.3, False, True),
            scored("a", 3, 0.5, 0.6, False, False),
            {"status": "bound", "figure": 4, "method": "a", "p_bound": 0.8},
            scored("b", 1, 0.2, 0.2, True, True),
            {"status": "no forecast", "figure": 2, "method": "b"},
            scored("b", 3, 0.4, -0.2, True, True),
            {"status": "bound", "figure": 4, "method": "b", "p_bound": 0.4},
        ]
    )
    every = backtest_summary(table, common=False)
    counts = ["rows", "scored", "bounds", "no_forecast", "n"]
    assert list(every[counts].loc["a"]) == [4, 3, 1, 0, 3]
    assert list(every[counts].loc["b"]) == [4, 2, 1, 1, 2]
    assert every.loc["a", "crps"] == pytest.approx(0.3)
    assert every.loc["a", "abs_log_error"] == pytest.approx(1.0 / 3)
    assert every.loc["a", "bias"] == pytest.approx(0.4 / 3)
    assert every.loc["a", "cover50"] == pytest.approx(1 / 3)
    assert every.loc["a", "cover90"] == pytest.approx(2 / 3)
    assert every.loc["a", "p_bound"] == pytest.approx(0.8)
    # common: figures 1 and 3 only (b could not forecast figure 2)
    common = backtest_summary(table)
    assert common["n"].tolist() == [2, 2]
    assert common.loc["a", "crps"] == pytest.approx(0.3)
    assert common.loc["a", "cover90"] == pytest.approx(0.5)
    assert common.loc["b", "crps"] == pytest.approx(0.3)
    assert common.loc["b", "cover50"] == pytest.approx(1.0)


def test_summary_ignores_a_method_that_scored_nothing_in_the_common_set() -> None:
    table = _table(
        [
            scored("a", 1, 0.2, 0.0, True, True),
            {"status": "no forecast", "figure": 1, "method": "b"},
        ]
    )
    summary = backtest_summary(table)
    assert summary["n"].tolist() == [1, 0]
    assert summary.loc["a", "crps"] == pytest.approx(0.2)
    assert math.isnan(float(summary["crps"].loc["b"]))


def test_pairwise_compares_over_the_figures_both_scored_and_drops_each_cutoff() -> None:
    def at(cutoff: str, row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "cutoff": cutoff}

    table = _table(
        [
            # cutoff c1: the reference loses by 0.6 on figure 1
            at("c1", scored("tokendemand", 1, 0.8, 0.0, True, True)),
            at("c1", scored("ets", 1, 0.2, 0.0, True, True)),
            at("c1", scored("arima", 1, 0.9, 0.0, True, True)),
            # cutoff c2: it wins by 0.1 on figures 2 and 3; ets has no forecast for figure 4
            at("c2", scored("tokendemand", 2, 0.1, 0.0, True, True)),
            at("c2", scored("ets", 2, 0.2, 0.0, True, True)),
            at("c2", scored("tokendemand", 3, 0.3, 0.0, True, True)),
            at("c2", scored("ets", 3, 0.4, 0.0, True, True)),
            at("c2", scored("tokendemand", 4, 5.0, 0.0, True, True)),
            at("c2", {"status": "no forecast", "figure": 4, "method": "ets"}),
            # cutoff c3: it wins by 0.1 on figure 5; a bound is never scored
            at("c3", scored("tokendemand", 5, 0.2, 0.0, True, True)),
            at("c3", scored("ets", 5, 0.3, 0.0, True, True)),
            at("c3", {"status": "bound", "figure": 6, "method": "tokendemand", "p_bound": 0.9}),
            at("c3", {"status": "bound", "figure": 6, "method": "ets", "p_bound": 0.1}),
            at("c3", {"status": "no forecast", "figure": 5, "method": "loglinear"}),
        ]
    )
    pairs = backtest_pairwise(table)
    assert list(pairs.index) == ["ets", "arima", "loglinear"]
    ets = pairs.loc["ets"]
    assert (ets["n"], ets["cutoffs"], ets["reference_wins"]) == (4, 3, 2)  # figure 4 left out
    assert ets["crps_reference"] == pytest.approx((0.8 + 0.1 + 0.3 + 0.2) / 4)
    assert ets["crps_method"] == pytest.approx((0.2 + 0.2 + 0.4 + 0.3) / 4)
    assert ets["difference"] == pytest.approx((0.6 - 0.1 - 0.1 - 0.1) / 4)
    # without c1: -0.1 on each of 3 figures; without c2: (0.6 - 0.1) / 2; without c3: 0.4 / 3
    assert ets["drop_one_min"] == pytest.approx(-0.1)
    assert ets["drop_one_max"] == pytest.approx(0.25)
    arima = pairs.loc["arima"]  # one shared figure, one cutoff: nothing to drop
    assert (arima["n"], arima["cutoffs"], arima["reference_wins"]) == (1, 1, 1)
    assert arima["difference"] == pytest.approx(-0.1)
    assert math.isnan(arima["drop_one_min"]) and math.isnan(arima["drop_one_max"])
    loglinear = pairs.loc["loglinear"]  # no figure in common
    assert (loglinear["n"], loglinear["cutoffs"], loglinear["reference_wins"]) == (0, 0, 0)
    assert math.isnan(loglinear["difference"])
    # any method can be the reference
    assert backtest_pairwise(table, reference="ets").loc[STRUCTURAL, "difference"] == (
        pytest.approx(-ets["difference"])
    )


def test_pairwise_says_what_is_wrong_with_its_input() -> None:
    table = _table([scored("tokendemand", 1, 0.1, 0.0, True, True)])
    with pytest.raises(DataError, match="reference 'ets' is not a method of the table"):
        backtest_pairwise(table, reference="ets")
    with pytest.raises(DataError, match="missing: crps"):
        backtest_pairwise(table.drop(columns="crps"))


def test_docs_script_states_each_pairwise_comparison_whichever_way_it_falls() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "backtest_docs.py"
    spec = importlib.util.spec_from_file_location("backtest_docs", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    table = _table(
        [
            scored("tokendemand", 1, 0.2, 0.0, True, True),
            scored("tokendemand", 2, 0.6, 0.0, True, True),
            scored("ets", 1, 0.1, 0.0, True, True),
            scored("ets", 2, 0.3, 0.0, True, True),
            scored("loglinear", 1, 0.5, 0.0, True, True),
            {"status": "no forecast", "figure": 2, "method": "loglinear"},
            {"status": "no forecast", "figure": 1, "method": "arima"},
            {"status": "no forecast", "figure": 2, "method": "arima"},
        ]
    )
    sentence = script.pairwise(table)
    assert "ets on 2 figures: tokendemand 0.400, ets 0.200 (ets better)" in sentence
    assert "loglinear on 1 figure: tokendemand 0.200, loglinear 0.500 (tokendemand better)" in (
        sentence
    )
    assert "arima" not in sentence  # it scored nothing: no comparison to state
    by_cutoff = _table(
        [
            {**scored("tokendemand", 1, 0.9, 0.0, True, True), "cutoff": "c1"},
            {**scored("ets", 1, 0.1, 0.0, True, True), "cutoff": "c1"},
            {**scored("tokendemand", 2, 0.1, 0.0, True, True), "cutoff": "c2"},
            {**scored("ets", 2, 0.2, 0.0, True, True), "cutoff": "c2"},
        ]
    )
    assert script.pairwise(by_cutoff) == (
        "Pairwise, over every figure both the structural model and a baseline scored (mean "
        "CRPS): ets on 2 figures: tokendemand 0.500, ets 0.150 (ets better overall; tokendemand "
        "wins 1 of 2 cutoffs; leaving out one cutoff can reverse it (-0.100 to +0.800))."
    )


# --------------------------------------------------------------------------- cutoffs, split


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


# ---------------------------------------------------------------------------------- baselines


def test_loglinear_recovers_an_exact_exponential() -> None:
    dates = ["2024-01-15", "2024-04-02", "2024-08-30", "2024-12-01", "2025-02-10"]
    figures = growth([*dates, "2025-09-30"], rate=1.5)
    train, heldout = figures[:5], figures[5:]
    log_samples, notes = forecast_baseline("loglinear", train, heldout, random_seed=0)
    assert notes == ["log-linear trend on 5 figures"]
    assert np.median(log_samples) == pytest.approx(math.log(heldout[0].value), abs=1e-6)


@pytest.mark.parametrize("method", BASELINES)
def test_baselines_forecast_every_shape_through_the_aggregation_operator(method: str) -> None:
    train = growth(
        ["2024-01-15", "2024-03-20", "2024-06-02", "2024-08-30", "2024-11-11", "2025-01-20"]
    )
    week = ("2025-04-07", "2025-04-13")
    heldout = Observations(
        [
            obs("total", 1e14, *week),
            obs("mean", 1e13, *week),
            obs("point", 1e13, "2025-04-13"),
            obs("ratio", 1.05, *week, base_start="2025-03-31", base_end="2025-04-06"),
            obs("share", 0.3, "2025-04-13"),
        ]
    )
    log_samples, notes = forecast_baseline(method, train, heldout, n_samples=300, random_seed=1)
    assert log_samples.shape == (300, 5)
    assert np.isfinite(log_samples[:, :4]).all()
    assert np.isnan(log_samples[:, 4]).all() and "not a share" in notes[4]
    if method != "loglinear":  # no per-figure noise: the same paths give every shape
        np.testing.assert_allclose(log_samples[:, 0] - log_samples[:, 1], math.log(7.0))
    # growing at 2/year, the median week-on-week ratio is near exp(2 * 7 / 365.25)
    assert np.median(np.exp(log_samples[:, 3])) == pytest.approx(math.exp(2 * 7 / 365.25), rel=0.05)


def test_baselines_use_only_their_own_series_and_explain_gaps() -> None:
    train = growth(["2024-01-15", "2024-06-15", "2024-12-15"]) + Observations(
        [
            obs("point", 5e11, "2024-03-01", series="other"),
            obs("point", 6e11, "2024-09-01", series="other"),
        ]
    )
    heldout = Observations(
        [obs("point", 1e13, "2025-06-30"), obs("point", 1e12, "2025-06-30", series="other")]
    )
    log_samples, notes = forecast_baseline("arima", train, heldout, random_seed=0)
    assert np.isfinite(log_samples[:, 0]).all()
    assert notes[0] == "random walk ARIMA(0,1,0) with drift on 3 weekly figures"
    assert np.isnan(log_samples[:, 1]).all()
    assert notes[1] == "arima needs 3 level figures of m/other before the cutoff, had 2"
    _, notes = forecast_baseline("loglinear", train, heldout[:1], random_seed=0)
    assert notes == ["loglinear needs 4 level figures of m/s before the cutoff, had 3"]


def test_baselines_take_bounds_at_face_value_and_say_so() -> None:
    train = growth(["2024-01-15", "2024-06-15", "2024-12-15"])
    bounded = Observations([*train[:2], obs("point", train[2].value, "2024-12-15", bound="lower")])
    heldout = Observations([obs("point", 1e13, "2025-06-30")])
    plain, _ = forecast_baseline("ets", train, heldout, random_seed=0)
    with_bound, notes = forecast_baseline("ets", bounded, heldout, random_seed=0)
    np.testing.assert_array_equal(plain, with_bound)
    assert "1 one-sided figure(s) used at their value" in notes[0]


def test_statsmodels_warnings_become_notes_and_others_pass_through() -> None:
    from statsmodels.tools.sm_exceptions import ConvergenceWarning as StatsmodelsConvergence

    with captured_warnings(baselines_module._from_statsmodels) as notes:
        warnings.warn("optimizer gave up", StatsmodelsConvergence, stacklevel=1)
        warnings.warn("optimizer gave up", StatsmodelsConvergence, stacklevel=1)
    assert notes == ["ConvergenceWarning: optimizer gave up"]
    with pytest.warns(UserWarning, match="keep me"):
        with captured_warnings(baselines_module._from_statsmodels):
            warnings.warn("keep me", UserWarning, stacklevel=1)


def test_a_failing_statsmodels_fit_gives_a_reason_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(levels: Any) -> Any:
        raise np.linalg.LinAlgError("SVD did not converge")

    monkeypatch.setitem(baselines_module._FITTERS, "ets", broken)
    train = growth(["2024-01-15", "2024-06-15", "2024-12-15"])
    log_samples, notes = forecast_baseline(
        "ets", train, Observations([obs("point", 1e13, "2025-06-30")])
    )
    assert np.isnan(log_samples).all()
    assert notes == ["ets failed: LinAlgError: SVD did not converge"]


def test_unknown_baseline() -> None:
    with pytest.raises(ConfigError, match="unknown baseline 'prophet'"):
        forecast_baseline("prophet", Observations(), Observations())


# -------------------------------------------------------------- the runner, with a fake fit


class FakeResult:
    """Forecasts each held-out figure as log-normal around the last training level."""

    n_draws = 200

    def __init__(self, train: Observations) -> None:
        self.train = train

    def forecast(
        self, observations: Observations, random_seed: int | None = 0
    ) -> np.ndarray[Any, Any]:
        if any(o.series == "unseen" for o in observations):
            raise DataError("the fit did not see m/unseen")
        last = self.train[-1].value
        rng = np.random.default_rng(random_seed)
        scale = np.array([o.days if o.kind == "total" else 1.0 for o in observations])
        return last * scale * np.exp(rng.normal(0.0, 1.0, (self.n_draws, len(observations))))


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[Observations]:
    """Replace the structural fit with :class:`FakeResult`, recording what it was given."""
    seen: list[Observations] = []

    def fake_fit(self: TokenDemandModel, observations: Observations, **options: Any) -> FakeResult:
        seen.append(observations)
        return FakeResult(observations)

    monkeypatch.setattr(TokenDemandModel, "fit", fake_fit)
    return seen


def test_nothing_after_a_cutoff_reaches_the_fit(recorded: list[Observations]) -> None:
    doubao = td.datasets.load("doubao")
    wild = Observations([obs("point", 1e20, "2027-06-30", series="doubao", market="china")])
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


def test_plot_has_a_panel_per_method(recorded: list[Observations]) -> None:
    import matplotlib.pyplot as plt

    table = backtest(td.datasets.load("china_national"), random_seed=0)
    figure = plot_backtest(table)
    try:
        titles = [ax.get_title() for ax in figure.axes]
        assert [t.split("\n")[0] for t in titles] == [STRUCTURAL, *BASELINES]
        assert titles[-1] == "loglinear\nno figure scored"  # too few figures before 2025-12-31
        assert all(ax.get_yscale() == "log" for ax in figure.axes)
    finally:
        plt.close(figure)


def test_cli_writes_table_summary_and_plot(
    recorded: list[Observations], tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="tokendemand")
    backtest_cli.add_backtest_command(parser.add_subparsers(dest="command"))
    out = tmp_path / "bt"
    command = "backtest --dataset china_national --draws 50 --seed 3 --out"
    args = parser.parse_args([*command.split(), str(out)])
    assert args.handler(args) == 0
    table = pd.read_csv(out / "backtest.csv")
    summary = pd.read_csv(out / "summary.csv", index_col="method")
    assert len(table) == 12 and list(summary.index) == [STRUCTURAL, *BASELINES]
    assert (out / "backtest.png").stat().st_size > 0
    pairwise = pd.read_csv(out / "pairwise.csv", index_col="method")
    assert list(pairwise.index) == list(BASELINES)
    assert (pairwise["n"] <= summary.loc[STRUCTURAL, "scored"]).all()
    printed = capsys.readouterr()
    assert "Backtest of china_national: 2 cutoff(s), 12 rows" in printed.out
    assert "tokendemand against each baseline, over the figures both scored" in printed.out
    assert "cutoff 2025-12-31 (1/2)" in printed.err
    csv = tmp_path / "data.csv"
    td.datasets.load("doubao").to_csv(csv)
    command = "backtest --baselines none --cutoff 2026-03-31 --out"
    args = parser.parse_args([*command.split(), str(out), "--data", str(csv)])
    assert args.handler(args) == 0
    assert set(pd.read_csv(out / "backtest.csv")["method"]) == {STRUCTURAL}
    args = parser.parse_args(["backtest", "--target-accept", "1.5", "--out", str(out)])
    with pytest.raises(ConfigError, match=r"target_accept must be in \[0.5, 1\) or None, got 1.5"):
        args.handler(args)


def test_cli_prints_convergence_warnings_as_lines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    def unsure_fit(self: TokenDemandModel, observations: Observations, **options: Any) -> Any:
        warnings.warn("the posterior is not reliable yet", ConvergenceWarning, stacklevel=2)
        return FakeResult(observations)

    monkeypatch.setattr(TokenDemandModel, "fit", unsure_fit)
    parser = argparse.ArgumentParser(prog="tokendemand")
    backtest_cli.add_backtest_command(parser.add_subparsers(dest="command"))
    argv = ["backtest", "--dataset", "china_national", "--baselines", "none", "--out"]
    args = parser.parse_args([*argv, str(tmp_path)])
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # one escaping would fail here
        assert args.handler(args) == 0
    err = capsys.readouterr().err
    expected = "tokendemand: warning: the structural fits at 2 of 2 cutoffs did not converge"
    assert expected in err and "ConvergenceWarning" not in err


# --------------------------------------------------------------------- one real backtest


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
