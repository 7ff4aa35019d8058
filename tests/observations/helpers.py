"""Builders for the observations tests: CSV text in the schema and observations with defaults."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tokendemand.errors import DataError
from tokendemand.observations import Observation, Observations, read_observations

HEADER = (
    "series,market,kind,date,period_start,period_end,base_start,base_end,"
    "value,unit,source,url,confidence,bound,note"
)


def read_text(*rows: str, header: str = HEADER, **kwargs: Any) -> Observations:
    return read_observations(io.StringIO("\n".join((header, *rows)) + "\n"), **kwargs)


def problems_of(*rows: str, header: str = HEADER, **kwargs: Any) -> str:
    with pytest.raises(DataError) as caught:
        read_text(*rows, header=header, **kwargs)
    return str(caught.value)


def make(kind: str = "point", value: float = 1e12, start: str = "2026-03-31", **kw: Any) -> Any:
    return Observation(
        kw.pop("series", "s"),
        kw.pop("market", "m"),
        kind,  # type: ignore[arg-type]
        value,
        start,  # type: ignore[arg-type]
        kw.pop("end", start),
        source=kw.pop("source", "src"),
        **kw,
    )
