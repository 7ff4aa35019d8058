"""Input files for the command-line tests: a good CSV, a bad CSV and a bad TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

import tokendemand as td


@pytest.fixture
def good_csv(tmp_path: Path) -> Path:
    path = tmp_path / "good.csv"
    td.datasets.load("china_national").to_csv(path)
    return path


@pytest.fixture
def bad_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(
        "series,market,kind,date,value,unit,source\n"
        "x,china,point,2026-01-01,-5T,tokens/day,a\n"
        "x,china,point,2026-02-01,10T,tokens/day,b\n"
        "x,china,point,not-a-date,10T,tokens/day,c\n"
        "x,china,point,2026-03-01,10T,tokens/fortnight,d\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def bad_toml(tmp_path: Path) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text('[[scenario]]\nname = "x"\npenetraton = { scale = 2.0 }\n', encoding="utf-8")
    return path
