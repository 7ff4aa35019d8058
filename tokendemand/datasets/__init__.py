"""Bundled observations: public token figures with their dates and sources.

Each dataset is a CSV file in the schema of :mod:`tokendemand.observations`, shipped with the
package; figures, dates and sources only. Low-confidence figures are kept and marked
(``confidence = low``) so that a model can down-weight them.

============== ===========================================================================
name           content
============== ===========================================================================
seed           the figures of the May 2026 press piece the project started from
china_national China's national daily token volume (National Data Administration)
doubao         ByteDance Doubao's daily token volume
openrouter     OpenRouter platform volumes and its Chinese / US model sub-series
agent_evidence the agent layer: agent shares, penetration and intensity ratios, proxies
               with their mapping (:mod:`tokendemand.datasets.agent_evidence`)
launches       products in their launch phase (Baidu ERNIE, DeepSeek, Grok models and agent
               apps on OpenRouter, the OpenAI API ...) with their launch dates, and the other
               token figures of the project's public volumes file not bundled elsewhere, each
               mapping and every figure left out with the reason
               (:mod:`tokendemand.datasets.launches`)
all            every bundled series together: china_national, doubao, openrouter,
               agent_evidence and launches, and the figures of ``seed`` that no other
               dataset has
============== ===========================================================================

``seed`` repeats two figures of ``china_national`` and ``doubao`` (the March 2026 national mean
and Doubao's 120T): combining it with them raises a duplicate error, because the same figure
would count twice. Combine the others freely: ``load("china_national") + load("doubao")``.
``all`` does that combination once, checked like any other (no duplicates, one launch date per
series): it takes ``seed``'s figures only where no other dataset has them (its OpenRouter week
of 2026-05-18..24 with the week-on-week ratios, and Doubao's doubling over three months) and
leaves out its two repeats.

A series whose figures carry a ``launch`` date is a product in its launch phase (see
:mod:`tokendemand.observations`, "Launch phases"): ``doubao`` (launched 2024-05-15) and most
series of ``launches``; the national totals and platform totals are mature.

Examples
--------
>>> from tokendemand import datasets
>>> seed = datasets.load("seed")
>>> week = seed.filter(series="openrouter_total", kind="total")[0]
>>> week.days, week.value
(7, 28900000000000.0)
>>> datasets.describe("seed").n_observations == len(seed)
True
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import resources
from typing import Final

import pandas as pd

from tokendemand.errors import DataError
from tokendemand.observations import Observations, read_observations
from tokendemand.observations.checks import duplicates

__all__ = ["DatasetInfo", "describe", "list_datasets", "load"]

_DESCRIPTIONS: Final[dict[str, str]] = {
    "seed": (
        "Figures of the May 2026 press piece the project started from: OpenRouter's week of "
        "2026-05-18..24 (28.9T total, +7.4% week on week; Chinese models 9.22T, +19.89%; US "
        "models 4.93T, +16.27%), China's March 2026 daily mean (over 140T) and Doubao's 120T "
        "a day, doubled within three months."
    ),
    "china_national": (
        "China's national daily token volume, 2024-2026, from National Data Administration "
        "statements (market china, series china_national)."
    ),
    "doubao": (
        "ByteDance Doubao's daily token volume (Volcano Engine, including internal use), "
        "2024-2026 (market china, series doubao)."
    ),
    "openrouter": (
        "OpenRouter token volumes 2024-2026: platform totals (openrouter_total) and the "
        "Chinese- and US-developed model sub-series (openrouter_china_models, "
        "openrouter_us_models); weekly totals, weekly and monthly rates, run-rates."
    ),
    "agent_evidence": (
        "Evidence on the agent layer, 2025-2026: agent shares of tokens (OpenRouter), "
        "organisations' adoption of agents (KPMG) as a proxy of penetration, an intensity ratio "
        "derived from OpenAI's Codex study and tokens-per-task ratios as a proxy of it; each "
        "mapping and every figure left out, with the reason, in "
        "tokendemand.datasets.agent_evidence."
    ),
    "launches": (
        "Products in their launch phase, with their public launch dates, and the other token "
        "figures of the project's public volumes file not bundled elsewhere, 2022-2026: Baidu "
        "ERNIE, Zhipu, DeepSeek, MiniMax, China's enterprise LLM calls (Frost & Sullivan) and "
        "the Premier's national figure (market china); Grok models, Hermes Agent, OpenClaw "
        "and top-10 model sums (market openrouter); Microsoft Foundry, the OpenAI API and "
        "Together.ai (market global). Each mapping, each launch date and every figure left "
        "out, with the reason, in tokendemand.datasets.launches."
    ),
    "all": (
        "Every bundled series together: china_national, doubao, openrouter, launches and "
        "agent_evidence, plus the figures of seed that no other dataset has (seed's repeats of "
        "the national March 2026 mean and Doubao's 120T are left out, so nothing counts twice)."
    ),
}

_ALL_PARTS: Final[tuple[str, ...]] = (
    "china_national",
    "doubao",
    "openrouter",
    "launches",
    "agent_evidence",
)
"""The datasets ``all`` combines whole; ``seed`` adds only its figures none of them has."""


@dataclass(frozen=True)
class DatasetInfo:
    """What a bundled dataset holds and where its figures come from.

    Attributes
    ----------
    name, description
        The name :func:`load` takes and one paragraph on the content.
    n_observations
        Number of observations.
    series, markets
        Distinct series and market names, in order of appearance.
    sources, urls
        Distinct sources and URLs (each URL once), in order of appearance.
    """

    name: str
    description: str
    n_observations: int
    series: tuple[str, ...]
    markets: tuple[str, ...]
    sources: tuple[str, ...]
    urls: tuple[str, ...]


def _check_name(name: str) -> None:
    if name not in _DESCRIPTIONS:
        raise DataError(
            f"no bundled dataset {name!r}; the datasets are {', '.join(sorted(_DESCRIPTIONS))}"
        )


def load(name: str) -> Observations:
    """The observations of a bundled dataset, or of several joined by ``+``.

    Parameters
    ----------
    name
        One of the names :func:`list_datasets` lists, or several joined by ``+``
        (``"china_national+agent_evidence"``): their figures together, checked for duplicates
        like any sum of observations.

    Raises
    ------
    DataError
        If a name is not a bundled dataset (the message lists the names), a name repeats, or
        the datasets share a figure (e.g. ``seed`` with ``china_national``).

    Examples
    --------
    >>> both = load("china_national+agent_evidence")
    >>> len(both) == len(load("china_national")) + len(load("agent_evidence"))
    True
    """
    names = [part.strip() for part in name.split("+")]
    for part in names:
        _check_name(part)
    if len(set(names)) < len(names):
        raise DataError(f"dataset {name!r} names a dataset twice; name each once")
    combined = _load_one(names[0])
    for part in names[1:]:
        combined = combined + _load_one(part)
    return combined


def _load_one(name: str) -> Observations:
    return _load_all() if name == "all" else _load_file(name)


def _load_file(name: str) -> Observations:
    """The observations of the bundled CSV file ``name``."""
    text = (
        resources.files("tokendemand.datasets").joinpath(f"{name}.csv").read_text(encoding="utf-8")
    )
    try:
        return read_observations(io.StringIO(text))
    except DataError as error:  # pragma: no cover - the bundled files are tested
        raise DataError(f"bundled dataset {name!r} is invalid (a bug): {error}") from error


def _load_all() -> Observations:
    """:data:`_ALL_PARTS` and the figures of ``seed`` that none of them has.

    A seed figure equal to one of theirs is the same figure and is dropped; a seed figure that
    conflicts with one of theirs (same series, kind and period, another value) is kept, so that
    combining them raises the duplicate error rather than hiding the conflict.
    """
    parts = tuple(obs for part in _ALL_PARTS for obs in _load_file(part))
    seed = tuple(_load_file("seed"))
    repeats = {
        later - len(parts)
        for _, later, conflicting in duplicates(parts + seed)
        if later >= len(parts) and not conflicting
    }
    kept = tuple(obs for position, obs in enumerate(seed) if position not in repeats)
    return Observations(parts + kept)


def _distinct(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def describe(name: str) -> DatasetInfo:
    """Description, size, series and sources of a bundled dataset.

    Examples
    --------
    >>> describe("doubao").markets
    ('china',)
    """
    observations = load(name)
    urls = [url.strip() for obs in observations for url in obs.url.split(" ; ")]
    return DatasetInfo(
        name=name,
        description=_DESCRIPTIONS[name],
        n_observations=len(observations),
        series=_distinct(observations.series.tolist()),
        markets=_distinct(observations.markets.tolist()),
        sources=_distinct(observations.sources.tolist()),
        urls=_distinct(urls),
    )


def list_datasets() -> pd.DataFrame:
    """One row per bundled dataset.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``description``, ``n_observations`` and ``sources`` (the distinct
        sources joined by ``"; "``).

    Examples
    --------
    >>> list_datasets()["name"].tolist()
    ['seed', 'china_national', 'doubao', 'openrouter', 'agent_evidence', 'launches', 'all']
    """
    infos = [describe(name) for name in _DESCRIPTIONS]
    return pd.DataFrame(
        {
            "name": [info.name for info in infos],
            "description": [info.description for info in infos],
            "n_observations": [info.n_observations for info in infos],
            "sources": ["; ".join(info.sources) for info in infos],
        }
    )
