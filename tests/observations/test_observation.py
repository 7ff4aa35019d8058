"""Observation: defaults, canonical units, validation, immutability."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest

from tests.observations.helpers import make
from tokendemand.errors import DataError


def test_observation_defaults_and_canonical_unit() -> None:
    obs = make("total", 7e12, "2026-05-18", end="2026-05-24")
    assert obs.unit == "tokens" and obs.value_text is None and obs.confidence == "medium"
    assert obs.start == pd.Timestamp("2026-05-18") and obs.days == 7 and obs.base_days == 0
    assert obs.describe() == "s total 2026-05-18..2026-05-24"


def test_observation_rejects_a_unit_that_disagrees_with_canonical_value() -> None:
    with pytest.raises(DataError, match="canonical units"):
        make("point", 7e12, unit="tokens/week")
    # with the text as written, the same unit is fine
    obs = make("point", 1e12, unit="tokens/week", value_text="7T")
    assert obs.value == 1e12
    with pytest.raises(DataError, match="disagrees"):
        make("point", 2e12, unit="tokens/week", value_text="7T")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"start": "2026-03-31 12:00:00"}, "not a date"),
        ({"start": pd.Timestamp("2026-03-31 12:00")}, "time of day"),
        ({"start": pd.Timestamp("2026-03-31", tz="UTC")}, "time zone"),
        ({"value": float("nan")}, "not a finite"),
        ({"value": True}, "not a number"),
        ({"value": -1.0}, "> 0"),
        ({"kind": "level"}, "not a kind"),
        ({"confidence": "certain"}, "high, medium or low"),
        ({"bound": "over"}, "lower or upper"),
        ({"source": "  "}, "source: is empty"),
        ({"kind": "ratio", "value": 1.1}, "needs base_start"),
    ],
)
def test_observation_validates(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(DataError, match=re.escape(fragment)):
        make(**kwargs)


def test_observation_is_frozen_and_hashable() -> None:
    obs = make()
    with pytest.raises(AttributeError):
        obs.value = 2.0  # type: ignore[misc]
    assert hash(obs) == hash(make())
    assert obs == make(value_text="1T", unit="tokens/day")  # value_text is not compared
