"""The published figures behind the token-factory economics, bundled with their sources.

``token_factory_economics.csv`` (next to this module) holds one row per figure with the header
``quantity,item,value,unit,date,scope,source,confidence,note``: the rows of the shared data file
that the defaults use, the telecom token packages and DeepSeek's daily token volumes (from
``token_prices.csv`` and ``public_token_volumes.csv``), and a few rows split out of a list-price
row whose unit text holds several prices (their ``note`` says which row).
"""

from __future__ import annotations

import functools
from importlib import resources

import pandas as pd

from tokendemand.errors import DataError

__all__ = ["COLUMNS", "figure", "figures"]

COLUMNS: tuple[str, ...] = (
    "quantity",
    "item",
    "value",
    "unit",
    "date",
    "scope",
    "source",
    "confidence",
    "note",
)
"""Columns of the bundled file, in order."""

_FILE = "token_factory_economics.csv"


@functools.lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    with resources.files("tokendemand.factory").joinpath(_FILE).open(encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype={"value": float}, keep_default_na=False, na_values=[""])
    if tuple(frame.columns) != COLUMNS:
        raise DataError(f"{_FILE}: columns {list(frame.columns)}, expected {list(COLUMNS)}")
    if frame["item"].duplicated().any():
        twice = sorted(set(frame.loc[frame["item"].duplicated(), "item"]))
        raise DataError(f"{_FILE}: items listed twice: {', '.join(twice)}")
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.set_index("item", drop=False)


def figures() -> pd.DataFrame:
    """Every bundled figure, one row per ``item`` (a copy: change it freely).

    Examples
    --------
    >>> table = figures()
    >>> row = table.loc["deepseek_prod_daily_cost"]
    >>> float(row["value"]), row["unit"], row["confidence"]
    (87072.0, 'USD/day (GPU lease only)', 'high')
    """
    return _load().copy()


def figure(item: str) -> float:
    """The value of one bundled figure.

    Parameters
    ----------
    item
        The ``item`` name of a row of the bundled file.

    Raises
    ------
    DataError
        When no row has that item; the message lists the items.

    Examples
    --------
    >>> figure("deepseek_prod_decode_per_h800_node")
    14800.0
    """
    table = _load()
    if item not in table.index:
        raise DataError(
            f"no bundled economics figure {item!r}; items are: {', '.join(table.index)}"
        )
    return float(table["value"].loc[item])
