"""The bundled agent_evidence dataset: every source figure kept (with a mapping) or left out
(with a reason)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import tokendemand as td
from tokendemand.datasets.agent_evidence import KEPT, LEFT_OUT
from tokendemand.observations import PROXY_KINDS

SOURCE = Path("/work/shared/data/agent_evidence.csv")


def test_loads_with_agent_kinds_and_named_proxies() -> None:
    observations = td.datasets.load("agent_evidence")
    assert set(observations.kinds) <= {"agent_share", "penetration", "intensity_ratio"}
    proxies = {o.proxy for o in observations if o.proxy}
    assert proxies == {"programming_share", "org_adoption", "tokens_per_task"}
    assert all(o.kind in PROXY_KINDS for o in observations)
    assert all(o.note for o in observations), "each row says why it maps as it does"
    dataset_series = set(observations.series)
    assert set(KEPT.values()) | {"codex_org_accounts_intensity_ratio"} == dataset_series
    assert not set(KEPT) & set(LEFT_OUT)


@pytest.mark.skipif(not SOURCE.exists(), reason="the project's source file is not on this machine")
def test_every_source_series_is_kept_or_left_out_with_a_reason() -> None:
    source = set(pd.read_csv(SOURCE)["series"])
    accounted = set(KEPT) | set(LEFT_OUT)
    assert source == accounted, (sorted(source - accounted), sorted(accounted - source))
    assert all(len(reason) > 10 for reason in LEFT_OUT.values())
