"""Sensitivity studies from TOML, and their tables for a report.

A study file names the settings' ranges, one output and the method::

    version = 1
    title = "What decides 5x daily tokens by the end of 2028"
    method = "sobol"          # or "oat"
    n = 1024                  # Sobol' base sample, a power of 2
    seed = 0
    base = "posterior"        # the scenario the settings change
    above = 5.0               # optional: study P(output > above) instead of the output

    [output]
    kind = "multiplier"       # total, agent_share, multiplier, break_even
    start = 2026-03-31
    end = 2028-12-31

    [space]
    "penetration.scale" = [0.5, 2.0]
    "complexity.per_year" = [1.5, 4.0]
    intensity_ratio = [5.0, 20.0]

:func:`load_study` reads it (every problem listed at once); :func:`study_tables` runs it on a
source and returns the tables a report shows. A report wires it in two lines::

    study = load_study(path)
    tables = study_tables(fit, study)
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from tokendemand.errors import ConfigError
from tokendemand.projection.outputs import Output, output_from_dict
from tokendemand.projection.plan import PosteriorSource
from tokendemand.projection.sensitivity import PARAMETERS, sensitivity
from tokendemand.structure import Parameters

__all__ = ["FORMAT_VERSION", "Study", "load_study", "study_tables"]

FORMAT_VERSION: Final = 1
"""Version of the study file format."""

_KEYS: Final = ("version", "title", "method", "n", "seed", "base", "above", "output", "space")


@dataclass(frozen=True)
class Study:
    """A sensitivity study: ranges, one output, the method and its options."""

    space: dict[str, tuple[float, float]]
    output: Output
    method: str = "sobol"
    n: int = 1024
    seed: int = 0
    base: str = "posterior"
    above: float | None = None
    title: str = ""

    def run(self, source: Parameters | PosteriorSource, **options: Any) -> pd.DataFrame:
        """The study's table (:func:`~tokendemand.projection.sensitivity.sensitivity`)."""
        return sensitivity(
            source,
            self.space,
            self.output,
            method="oat" if self.method == "oat" else "sobol",
            n=self.n,
            base=self.base,
            seed=self.seed,
            above=self.above,
            **options,
        )


def load_study(path: str | Path) -> Study:
    """Read a study file (format in the module docstring).

    Raises
    ------
    ConfigError
        Naming the file and every problem: TOML syntax, unknown keys, bad ranges or output.
    """
    where = str(path)
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read study file {where}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"study file {where} is not valid TOML: {error}") from None
    keys = ", ".join(_KEYS)
    problems = [f"unknown key {k!r}; keys are {keys}" for k in document if k not in _KEYS]
    if document.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        problems.append(f"version {document['version']!r} is not supported; this library reads 1")
    method = document.get("method", "sobol")
    if method not in ("sobol", "oat"):
        problems.append(f"method must be 'sobol' or 'oat', got {method!r}")
    space: dict[str, tuple[float, float]] = {}
    table = document.get("space")
    if not isinstance(table, Mapping) or not table:
        problems.append('add a [space] table: "setting" = [low, high]')
    else:
        for name, bounds in table.items():
            if not isinstance(bounds, list) or len(bounds) != 2:
                problems.append(f"space {name!r}: expected [low, high], got {bounds!r}")
            else:
                space[name] = (bounds[0], bounds[1])
    output: Output | None = None
    try:
        output = output_from_dict(document.get("output", {}))
    except ConfigError as error:
        problems.append(f"[output]: {error}")
    numbers = {k: document[k] for k in ("n", "seed") if k in document}
    problems += [
        f"{k} must be an integer, got {v!r}"
        for k, v in numbers.items()
        if not isinstance(v, int) or isinstance(v, bool)
    ]
    above = document.get("above")
    if above is not None and (isinstance(above, bool) or not isinstance(above, int | float)):
        problems.append(f"above must be a number, got {above!r}")
    if problems or output is None:
        raise ConfigError(f"invalid study file {where}:\n  " + "\n  ".join(problems))
    return Study(
        space=space,
        output=output,
        method=method,
        n=int(numbers.get("n", 1024)),
        seed=int(numbers.get("seed", 0)),
        base=str(document.get("base", "posterior")),
        above=None if above is None else float(above),
        title=str(document.get("title", "")),
    )


def study_tables(
    source: Parameters | PosteriorSource, study: Study, result: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Run ``study`` on ``source``; the tables for a report, by title.

    Sobol': per input, the first-order and total indices with their bounds, largest total first;
    OAT: per input, its range and the output at both ends, widest swing first. ``parameters`` is
    the posterior draws (what the data leave uncertain). Pass ``result`` (``study.run(source)``)
    when it is already computed, e.g. for a chart of the same study.
    """
    result = study.run(source) if result is None else result
    title = study.title or f"What moves {result.attrs['output']}"
    label = {PARAMETERS: "parameters (posterior draws)"}
    if study.method == "oat":
        names = {
            "low": "setting low",
            "high": "setting high",
            "output_low": "output at low",
            "output_high": "output at high",
            "swing": "swing",
        }
        shown = result.rename(index=label)[list(names)].rename(columns=names)
    else:
        ordered = result.sort_values("total", ascending=False).rename(index=label)
        level = f"{result.attrs['confidence']:.0%}"
        shown = pd.DataFrame(
            {
                "first-order index": ordered["first_order"],
                f"first-order {level} bounds": [
                    f"{lo:.3f} to {hi:.3f}"
                    for lo, hi in zip(
                        ordered["first_order_low"], ordered["first_order_high"], strict=True
                    )
                ],
                "total index": ordered["total"],
                f"total {level} bounds": [
                    f"{lo:.3f} to {hi:.3f}"
                    for lo, hi in zip(ordered["total_low"], ordered["total_high"], strict=True)
                ],
            }
        )
    shown.attrs = dict(result.attrs)
    return {title: shown.round(3)}
