"""The bundled launches dataset: every row of the public volumes file bundled somewhere or left
out with a reason, each product with its launch date."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import tokendemand as td
from tokendemand.datasets.launches import ELSEWHERE, KEPT, LAUNCHES, LEFT_OUT
from tokendemand.units import parse_tokens

# a copy of ../shared/data/public_token_volumes.csv without its scope and source columns
PUBLIC = Path(__file__).parents[1] / "data" / "public_token_volumes.csv"
SHARED = Path("/work/shared/data/public_token_volumes.csv")


def key(row: dict[str, str]) -> str:
    if row["period_start"]:
        return f"{row['series']}@{row['period_start']}..{row['period_end']}"
    return f"{row['series']}@{row['date']}"


def rows(path: Path) -> list[dict[str, str]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.to_dict(orient="records")  # type: ignore[return-value]


def test_every_public_row_is_bundled_or_left_out_with_a_reason() -> None:
    keys = [key(row) for row in rows(PUBLIC)]
    assert len(keys) == len(set(keys))
    elsewhere = {k for k, row in zip(keys, rows(PUBLIC), strict=True) if row["series"] in ELSEWHERE}
    assert not set(KEPT) & set(LEFT_OUT) and not (set(KEPT) | set(LEFT_OUT)) & elsewhere
    assert set(keys) == set(KEPT) | set(LEFT_OUT) | elsewhere
    assert all(len(reason) > 20 for reason in LEFT_OUT.values())
    assert set(ELSEWHERE.values()) == {"china_national", "doubao", "openrouter"}


@pytest.mark.skipif(not SHARED.exists(), reason="the project's shared file is not on this machine")
def test_the_test_copy_matches_the_shared_file() -> None:
    shared = pd.read_csv(SHARED, dtype=str, keep_default_na=False)
    copy = pd.read_csv(PUBLIC, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(shared[list(copy.columns)], copy)


def test_each_kept_row_is_in_the_dataset_with_its_value_confidence_and_bound() -> None:
    observations = td.datasets.load("launches")
    by_key = {key(row): row for row in rows(PUBLIC)}
    deepseek = 0.0
    for name, (series, why) in KEPT.items():
        row = by_key[name]
        assert why
        end = pd.Timestamp(row["period_end"] or row["date"])
        found = [o for o in observations if o.series == series and o.end == end]
        assert found, f"{name} is not in launches"
        if series == "deepseek":  # input and output tokens of the same 24 hours, summed
            deepseek += float(row["value"])
            continue
        text = f"{row['unit']} {row['note']}".lower()
        if "range" in text:  # a stated range: a lower and an upper bound on the day
            assert {o.bound for o in found} == {"lower", "upper"}
        matching = [o for o in found if parse_tokens(o.value_text or "") == float(row["value"])]
        assert len(matching) == 1, f"{name}: the figure is copied wrongly"
        obs = matching[0]
        assert obs.confidence == row["confidence"]
        if "lower bound" in text or re.search(r"\bover \d", text):
            assert obs.bound == "lower", name
        elif "upper bound" in text or "range" in text:
            assert obs.bound == "upper", name
        else:
            assert obs.bound is None, name
    (summed,) = observations.filter(series="deepseek")
    assert summed.value == deepseek == 776e9


def test_every_series_has_its_launch_date_or_none_with_the_reason() -> None:
    observations = td.datasets.load("launches")
    assert set(observations.series) == set(LAUNCHES)
    for obs in observations:
        launch, why = LAUNCHES[obs.series]
        assert obs.launch == (None if launch is None else pd.Timestamp(launch)), obs.series
        assert why
    launched = observations.filter(launched=True)
    assert set(launched.series) == {
        "baidu_ernie",
        "deepseek",
        "openai_api",
        "xai_grok_code_fast_1",
        "xai_grok_4_fast",
        "xai_grok_4_1_fast",
        "hermes_agent",
    }
    assert one_launch(observations, "baidu_ernie") == pd.Timestamp("2023-08-31")
    assert one_launch(observations, "deepseek") == pd.Timestamp("2025-01-20")
    # market-wide and platform series are mature
    for series in ("china_national", "china_enterprise_llm", "openrouter_top10_models"):
        assert one_launch(observations, series) is None


def one_launch(observations: td.Observations, series: str) -> pd.Timestamp | None:
    (launch,) = set(observations.filter(series=series).launches)
    return launch  # type: ignore[no-any-return]


def test_markets_are_those_of_the_other_datasets() -> None:
    observations = td.datasets.load("launches")
    assert set(observations.markets) == {"china", "openrouter", "global"}
    others = {
        m
        for name in ("china_national", "openrouter", "agent_evidence")
        for m in td.datasets.load(name).markets
    }
    assert set(observations.markets) <= others
    china = {"baidu_ernie", "zhipu", "deepseek", "minimax", "china_enterprise_llm"}
    assert set(observations.filter(market="china").series) == china | {"china_national"}
    assert set(observations.filter(market="global").series) == {
        "microsoft_foundry",
        "openai_api",
        "together_ai",
    }
    # only tokens: nothing counted in calls or words
    assert not any("call" in o.unit.lower() or "word" in o.unit.lower() for o in observations)


def test_doubao_carries_its_launch_day_in_every_dataset() -> None:
    for name in ("doubao", "seed"):
        doubao = td.datasets.load(name).filter(series="doubao")
        assert set(doubao.launches) == {pd.Timestamp("2024-05-15")}
    first = td.datasets.load("doubao")[0]
    assert first.start == first.launch and "2024-05-15" in first.note
