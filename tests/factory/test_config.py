"""Assumptions from TOML: presets, priors, paths, and one error listing every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokendemand.errors import ConfigError
from tokendemand.factory.config import assumptions_from_dict, load_assumptions
from tokendemand.factory.hardware import preset_hardware
from tokendemand.priors import LogitNormal

GOOD = """
preset = "h20"
utilization = { kind = "LogitNormal", median = 0.6, sigma = 0.4 }
currency = "CNY"
exchange_rate = 7.3
input_tokens_per_second_per_gpu = "none"

[path_output]
interpolation = "log-linear"
points = [[2026-01-01, 1.0], ["2027-01-01", 0.6]]

[path_input_miss]
yearly = { start = "2026-01-01", changes = [-0.3, 0.1] }
"""


def test_a_full_file(tmp_path: Path) -> None:
    file = tmp_path / "economics.toml"
    file.write_text(GOOD, encoding="utf-8")
    a = load_assumptions(file)
    assert a.hardware == "h20"
    assert a.tokens_per_second_per_gpu == preset_hardware("h20").output_tokens_per_second
    assert a.utilization == LogitNormal(0.6, 0.4)
    assert (a.currency, a.exchange_rate) == ("CNY", 7.3)
    assert a.input_tokens_per_second_per_gpu is None
    assert a.path_output.factor(["2027-01-01"])[0] == pytest.approx(0.6)
    assert a.path_input_miss.factor(["2028-01-01"])[0] == pytest.approx(0.7 * 1.1)


def test_an_economics_table_is_read_too() -> None:
    a = assumptions_from_dict({"economics": {"pue": 1.2}})
    assert a.pue == 1.2


def test_every_problem_is_listed(tmp_path: Path) -> None:
    file = tmp_path / "bad.toml"
    file.write_text(
        'preset = "tpu"\n'
        "pue = 0.8\n"
        "speed = 3\n"
        'utilization = { kind = "Beta", a = 1 }\n'
        'price_output = { kind = "LogNormal", median = 2.0 }\n'
        'path_output = { points = [["2026-01-01", -1.0]] }\n'
        'path_input_hit = { yearly = { start = "2026-01-01" } }\n'
        "path_input_miss = 3\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as error:
        load_assumptions(file)
    message = str(error.value)
    assert message.startswith(f"{file}: invalid economics assumptions:")
    for needle in (
        "unknown field 'speed'",
        "utilization: unknown prior kind 'Beta'",
        "price_output: LogNormal:",
        "path_output: invalid PricePath",
        "path_input_hit: yearly needs exactly 'start' and 'changes'",
        "path_input_miss: a price path is a table",
        "preset: unknown hardware preset 'tpu'",
        "pue: must lie in [1, inf)",
    ):
        assert needle in message, needle


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read economics file"):
        load_assumptions(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("pue = = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_assumptions(broken)
    with pytest.raises(ConfigError, match="preset: give a preset name"):
        assumptions_from_dict({"preset": 3})
    with pytest.raises(ConfigError, match="'points' \\(and 'interpolation'\\) or 'yearly'"):
        assumptions_from_dict({"path_output": {"steps": []}})
