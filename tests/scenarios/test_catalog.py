"""Built-in scenarios and TOML scenario files."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from tokendemand.errors import ConfigError
from tokendemand.scenarios import (
    BASS_PQ_AVERAGE,
    BASS_PQ_LOWER_QUARTILE,
    BASS_PQ_UPPER_QUARTILE,
    BUILTIN_NAMES,
    Growth,
    Override,
    Pin,
    Scale,
    builtin,
    example_path,
    load_toml,
)

SHARED_BASS = Path(__file__).resolve().parents[3] / "shared" / "data" / "bass_parameters.csv"


def test_builtins_in_order_and_by_name() -> None:
    assert BUILTIN_NAMES == ("posterior", "cicc-moderate", "slow-adoption", "fast-adoption")
    assert [s.name for s in builtin()] == list(BUILTIN_NAMES)
    assert builtin("posterior").changes == {}
    assert builtin("cicc-moderate").break_even_penetration == 0.08
    for scenario in builtin():
        assert scenario.description and scenario.source


def test_adoption_cases_bracket_the_average_pace() -> None:
    slow, fast = builtin("slow-adoption").penetration, builtin("fast-adoption").penetration
    assert isinstance(slow, Scale) and isinstance(fast, Scale)
    assert slow.factor == pytest.approx(BASS_PQ_LOWER_QUARTILE / BASS_PQ_AVERAGE, rel=1e-15)
    assert fast.factor == pytest.approx(BASS_PQ_UPPER_QUARTILE / BASS_PQ_AVERAGE, rel=1e-15)
    assert slow.factor < 1.0 < fast.factor


@pytest.mark.skipif(not SHARED_BASS.exists(), reason="the project's shared data is not beside it")
def test_bass_quartiles_match_the_shared_table() -> None:
    table = pd.read_csv(SHARED_BASS)
    pq = table["p"] + table["q"]
    assert len(pq) == 36
    assert BASS_PQ_LOWER_QUARTILE == pytest.approx(pq.quantile(0.25), rel=1e-9)
    assert BASS_PQ_UPPER_QUARTILE == pytest.approx(pq.quantile(0.75), rel=1e-9)
    average = table[table["product"].str.startswith("Meta-analysis average")]
    assert BASS_PQ_AVERAGE == pytest.approx(float((average["p"] + average["q"]).iloc[0]))


def test_unknown_builtin_lists_the_names() -> None:
    with pytest.raises(ConfigError, match="posterior, cicc-moderate, slow-adoption"):
        builtin("optimistic")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenarios.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_file_loads_every_mode() -> None:
    scenarios = load_toml(example_path())
    kinds = {type(c) for s in scenarios for c in s.changes.values()}
    assert kinds == {Scale, Growth, Pin, Override}
    pinned = scenarios[2].penetration
    assert isinstance(pinned, Pin)
    assert pinned.points[0] == (pd.Timestamp("2028-12-31"), 0.25)


def test_good_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        version = 1
        [[scenario]]
        name = "a"
        description = "complexity 4x a year from 2027"
        start = "2027-01-01"
        substitution = 1.0
        break_even_penetration = 0.08
        recalibrate = false
        complexity = { per_year = 4.0 }
        usage = { pin = [["2028-01-01", 2.0]], start = 2027-06-01 }

        [[scenario]]
        name = "b"
        penetration = { override = { ceiling = 0.3, midpoint = 2029-01-01 } }
        users = { growth = 0.05 }
        chatbot = { scale = 0.5 }
        """,
    )
    a, b = load_toml(str(path))
    assert a.complexity == Growth(math.log(4.0))
    assert a.usage == Pin({"2028-01-01": 2.0}, start="2027-06-01")
    assert (a.start, a.substitution, a.recalibrate) == (pd.Timestamp("2027-01-01"), 1.0, False)
    assert b.penetration == Override(ceiling=0.3, midpoint="2029-01-01")
    assert b.chatbot == Scale(0.5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[scenario]\nname = 'a'", "is not valid TOML"),
        (
            "[[scenarios]]\nname = 'a'",
            r"unknown top-level key 'scenarios' \(write \[\[scenario\]\]",
        ),
        ("version = 2\n[[scenario]]\nname = 'a'", "version 2 is not supported"),
        ("title = 'x'", "no scenarios"),
        ("[[scenario]]\ndescription = 'x'", "every scenario needs a name"),
        ("[[scenario]]\nname = 'a'\n[[scenario]]\nname = 'a'", "'a' is used more than once"),
        ("[[scenario]]\nname = 'a'\nusage = 2.0", "usage: expected a table"),
        ("[[scenario]]\nname = 'a'\nusage = { scale = 2.0, growth = 0.1 }", "several modes"),
        ("[[scenario]]\nname = 'a'\nusage = { speed = 2.0 }", "unknown key 'speed'"),
        ("[[scenario]]\nname = 'a'\nusage = { scale = -2.0 }", "usage: Scale factor must be"),
        ("[[scenario]]\nname = 'a'\nusage = { pin = 3 }", "pin must be a list"),
        ("[[scenario]]\nname = 'a'\nusage = { override = 3 }", "override must be a table"),
        (
            "[[scenario]]\nname = 'a'\n"
            "usage = { override = { annual_rate = 0.1 }, start = 2027-01-01 }",
            "takes no start",
        ),
        ("[[scenario]]\nname = 'a'\npenetration = { pin = [[2028-01-01, 3.0]] }", r"\[0, 1\]"),
        ("[[scenario]]\nname = 'a'\nlever = { scale = 2.0 }", "unknown lever or option 'lever'"),
    ],
)
def test_bad_files(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=expected) as info:
        load_toml(path)
    assert str(path) in str(info.value)


def test_bad_file_lists_every_scenario_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[scenario]]
        name = "a"
        usage = { scale = 0.0 }
        [[scenario]]
        name = "b"
        substitution = 3.0
        penetration = { growth = 0.1 }
        """,
    )
    with pytest.raises(ConfigError) as info:
        load_toml(path)
    message = str(info.value)
    assert "scenario 1 ('a'): usage: Scale factor must be positive" in message
    assert "scenario 2 ('b'): substitution must be in [0, 1]" in message
    assert "scenario 2 ('b'): penetration: Growth applies to the indices" in message


def test_a_bad_lever_table_does_not_hide_the_scenarios_other_problems(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[scenario]]
        usage = { speed = 2.0 }
        start = "2026-13-01"
        intensity_ratio = -1
        """,
    )
    with pytest.raises(ConfigError) as info:
        load_toml(path)
    message = str(info.value)
    for fragment in ("unknown key 'speed'", "every scenario needs a name", "start", "intensity"):
        assert fragment in message, fragment


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read scenario file .*missing\.toml"):
        load_toml(tmp_path / "missing.toml")
