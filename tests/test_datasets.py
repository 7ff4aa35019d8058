"""Bundled datasets: every figure in its true shape, with its source."""

from __future__ import annotations

import doctest
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tokendemand.datasets as datasets
from tokendemand.errors import DataError
from tokendemand.observations import Observation, Observations, aggregation_weights, daily_grid
from tokendemand.units import parse_rate, parse_tokens

NAMES = ["seed", "china_national", "doubao", "openrouter", "agent_evidence", "launches", "all"]
SEED_SOURCE = "press coverage of OpenRouter rankings and NDA figures, May 2026"
# a copy of ../shared/data/public_token_volumes.csv without its scope and source columns
PUBLIC = Path(__file__).parent / "data" / "public_token_volumes.csv"
# series names of the public file bundled in their own datasets -> bundled (dataset, series);
# the public file's other series are in launches (tests/datasets/test_launches.py)
PUBLIC_SERIES = {
    "china_national_daily_tokens": ("china_national", "china_national"),
    "doubao_daily_tokens": ("doubao", "doubao"),
    "openrouter_total": ("openrouter", "openrouter_total"),
    "openrouter_china_models_weekly": ("openrouter", "openrouter_china_models"),
    "openrouter_us_models_weekly": ("openrouter", "openrouter_us_models"),
}


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def one(name: str, **criteria: str) -> Observation:
    found = datasets.load(name).filter(**criteria)  # type: ignore[arg-type]
    assert len(found) == 1, f"expected one observation for {criteria}, got {len(found)}"
    return found[0]


def test_docstring_examples_run() -> None:
    result = doctest.testmod(datasets, raise_on_error=False)
    assert result.attempted >= 4 and result.failed == 0


def test_list_datasets() -> None:
    table = datasets.list_datasets()
    assert list(table.columns) == ["name", "description", "n_observations", "sources"]
    assert table["name"].tolist() == NAMES
    for name, count in zip(table["name"], table["n_observations"], strict=True):
        assert count == len(datasets.load(name))
    assert table["description"].str.len().min() > 40
    assert SEED_SOURCE in table.set_index("name").loc["seed", "sources"]


def test_unknown_name_lists_the_names() -> None:
    with pytest.raises(DataError) as caught:
        datasets.load("sed")
    for name in NAMES:
        assert name in str(caught.value)
    with pytest.raises(DataError, match="seed"):
        datasets.describe("sed")


def test_names_joined_by_plus_load_together_and_are_checked() -> None:
    both = datasets.load("china_national + agent_evidence")
    assert [o.series for o in both] == [
        o.series for o in (*datasets.load("china_national"), *datasets.load("agent_evidence"))
    ]
    with pytest.raises(DataError, match="no bundled dataset 'agent'"):
        datasets.load("china_national+agent")
    with pytest.raises(DataError, match="names a dataset twice"):
        datasets.load("doubao+doubao")
    with pytest.raises(DataError, match="duplicates"):  # seed repeats a national figure
        datasets.load("seed+china_national")


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_is_sourced_and_round_trips(name: str) -> None:
    obs = datasets.load(name)
    assert len(obs) > 0
    assert all(o.source for o in obs)
    text = obs.to_csv()
    assert text is not None
    assert datasets.read_observations(io.StringIO(text)) == obs  # type: ignore[attr-defined]
    info = datasets.describe(name)
    assert info.n_observations == len(obs) and info.sources
    assert all(url.startswith("http") for url in info.urls)
    # every figure fits a grid and has an operator
    weights, _ = aggregation_weights(obs, daily_grid(obs))
    assert np.all(weights.sum(axis=1) > 0)


# ----------------------------------------------------------------------------------- seed


def test_seed_openrouter_week_is_a_7_day_total() -> None:
    week = one("seed", series="openrouter_total", kind="total")
    assert (week.start, week.end, week.days) == (day("2026-05-18"), day("2026-05-24"), 7)
    assert week.value == 28.9e12  # tokens in the week, not per day
    assert week.unit == "tokens" and week.bound is None
    assert week.source == SEED_SOURCE


def test_seed_week_on_week_growth_is_a_ratio_of_two_7_day_periods() -> None:
    growth = one("seed", series="openrouter_total", kind="ratio")
    assert growth.value == pytest.approx(1.074)  # +7.4%
    assert (growth.start, growth.end) == (day("2026-05-18"), day("2026-05-24"))
    assert (growth.base_start, growth.base_end) == (day("2026-05-11"), day("2026-05-17"))
    assert growth.days == growth.base_days == 7
    # equal weeks: the ratio of means is the ratio of the two weekly totals
    seed = datasets.load("seed").filter(series="openrouter_total")
    grid = daily_grid(seed)
    weights, base = aggregation_weights(seed, grid)
    x = np.linspace(1.0, 2.0, len(grid))
    ratio_row = int(np.flatnonzero(seed.kinds == "ratio")[0])
    totals = np.array([x[7:].sum(), x[:7].sum()])
    assert (weights @ x)[ratio_row] / (base @ x)[ratio_row] == pytest.approx(totals[0] / totals[1])


@pytest.mark.parametrize(
    ("series", "total", "ratio"),
    [("openrouter_china_models", 9.22e12, 1.1989), ("openrouter_us_models", 4.93e12, 1.1627)],
)
def test_seed_model_origin_splits_are_weekly_totals_with_growth(
    series: str, total: float, ratio: float
) -> None:
    level = one("seed", series=series, kind="total")
    growth = one("seed", series=series, kind="ratio")
    assert level.market == growth.market == "openrouter"
    assert (level.start, level.end, level.value) == (day("2026-05-18"), day("2026-05-24"), total)
    assert growth.value == pytest.approx(ratio)
    assert (growth.base_start, growth.base_end) == (day("2026-05-11"), day("2026-05-17"))


def test_seed_china_march_figure_is_a_lower_bound_on_the_march_daily_mean() -> None:
    march = one("seed", series="china_national")
    assert march.market == "china" and march.kind == "mean"
    assert (march.start, march.end, march.days) == (day("2026-03-01"), day("2026-03-31"), 31)
    assert march.value == 140e12 and march.bound == "lower"  # "over 140T" tokens/day
    assert SEED_SOURCE in march.source and "National Data Administration" in march.source
    assert "https://www.163.com/dy/article/KOSFJRDJ0530SFP3.html" in march.url


def test_seed_doubao_level_and_doubling_over_three_months() -> None:
    level = one("seed", series="doubao", kind="point")
    assert (level.start, level.value, level.market) == (day("2026-03-31"), 120e12, "china")
    assert "https://jaketao.com/en/11264/" in level.url
    doubling = one("seed", series="doubao", kind="ratio")
    # a point-to-point ratio: one-day periods three months apart, "at least" doubled
    assert doubling.start == doubling.end == day("2026-03-31")
    assert doubling.base_start == doubling.base_end == day("2025-12-31")
    assert (doubling.value, doubling.bound) == (2.0, "lower")


def test_seed_repeats_figures_of_the_national_and_doubao_datasets() -> None:
    # combining them would count the same figure twice, so it is refused
    with pytest.raises(DataError, match="exact duplicates"):
        datasets.load("seed") + datasets.load("doubao")
    assert len(datasets.load("china_national") + datasets.load("doubao")) == 13


# ---------------------------------------------------------- faithful to the public figures


def public_rows() -> list[dict[str, str]]:
    frame = pd.read_csv(PUBLIC, dtype=str, keep_default_na=False)
    return frame.to_dict(orient="records")  # type: ignore[return-value]


@pytest.mark.parametrize(
    "row",
    [row for row in public_rows() if row["series"] in PUBLIC_SERIES],
    ids=lambda r: f"{r['series']}@{r['date']}",
)
def test_every_public_figure_is_bundled_in_its_shape(row: dict[str, str]) -> None:
    name, series = PUBLIC_SERIES[row["series"]]
    candidates = [
        o
        for o in datasets.load(name).filter(series=series, kind=["point", "mean", "total"])
        if o.end == day(row["period_end"] or row["date"])
    ]
    assert len(candidates) == 1, f"no single bundled figure for {row}"
    obs = candidates[0]
    assert obs.value_text is not None
    assert parse_tokens(obs.value_text) == float(row["value"]), "figure copied wrongly"
    assert obs.confidence == row["confidence"]
    if row["period_start"]:
        # a weekly figure for a stated week is the total of that week
        assert obs.kind == "total" and obs.start == day(row["period_start"])
        assert obs.days == 7 and parse_rate(row["unit"]) == "week"
    elif obs.kind == "point":
        assert parse_rate(obs.unit) == parse_rate(row["unit"])
    else:
        # the national March 2026 figure, a daily average over the month
        assert (series, obs.kind, obs.start) == ("china_national", "mean", day("2026-03-01"))
    text = f"{row['unit']} {row['note']}".lower()
    if "lower bound" in text or "over 1 trillion" in text:
        assert obs.bound == "lower"
    elif "upper bound" in text:
        assert obs.bound == "upper"


def test_low_confidence_figures_are_kept_and_marked() -> None:
    openrouter = datasets.load("openrouter")
    assert len(openrouter.filter(confidence="low")) == 7
    assert one("doubao", confidence="low").value == 16.4e12


def test_china_national_early_2025_is_a_lower_bound() -> None:
    early = [o for o in datasets.load("china_national") if o.start == day("2025-01-15")]
    assert len(early) == 1 and early[0].bound == "lower" and early[0].value == 1e12


def test_bundled_openrouter_dataset_has_its_three_series() -> None:
    info = datasets.describe("openrouter")
    assert info.markets == ("openrouter",)
    assert set(info.series) == {
        "openrouter_total",
        "openrouter_china_models",
        "openrouter_us_models",
    }


# ------------------------------------------------------------------------------------ all


PARTS = ["china_national", "doubao", "openrouter", "launches", "agent_evidence"]


def test_all_holds_every_series_of_every_dataset_once() -> None:
    everything = datasets.load("all")
    parts = [datasets.load(name) for name in PARTS]
    seed = datasets.load("seed")
    assert set(everything.series) == {s for obs in [*parts, seed] for s in obs.series}
    # every figure of the five datasets, in order, then seed's figures no other dataset has
    combined = [obs for part in parts for obs in part]
    assert list(everything)[: len(combined)] == combined
    from_seed = list(everything)[len(combined) :]
    assert all(obs in seed for obs in from_seed)
    assert len(from_seed) == len(seed) - 2  # the national March mean and Doubao's 120T
    assert one("seed", series="doubao", kind="point") not in from_seed
    assert one("seed", series="china_national") not in from_seed
    assert {(o.series, o.kind) for o in from_seed} >= {
        ("doubao", "ratio"),
        ("openrouter_total", "total"),
    }
    assert Observations(list(everything)) == everything  # no duplicate or launch error


def test_all_has_one_launch_date_per_series_and_sources_everywhere() -> None:
    everything = datasets.load("all")
    launches: dict[tuple[str, str], set[object]] = {}
    for obs in everything:
        assert obs.source and obs.confidence in {"high", "medium", "low"}
        launches.setdefault((obs.market, obs.series), set()).add(obs.launch)
        if obs.launch is not None:
            assert obs.launch <= min(obs.start, obs.base_start or obs.start)
    assert all(len(days) == 1 for days in launches.values())
    assert launches[("china", "doubao")] == {day("2024-05-15")}
    assert launches[("china", "china_national")] == {None}
    assert launches[("openrouter", "openrouter_total")] == {None}
    assert datasets.describe("all").n_observations == len(everything)
