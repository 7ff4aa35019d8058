"""The intensity_ratio kind and proxy figures: reading, checks, and their observation equation."""

from __future__ import annotations

import io

import numpy as np
import pytest

from tokendemand.errors import DataError
from tokendemand.fitting.likelihood import ObservationDesign
from tokendemand.fitting.simulate import known_values
from tokendemand.observations import Observation, Observations, read_observations
from tokendemand.structure import Parameters, Structure, evaluate

HEADER = "series,market,kind,date,value,unit,source,confidence,proxy\n"


def test_proxy_and_intensity_ratio_rows_are_read_and_written_back() -> None:
    text = HEADER + (
        "prog,openrouter,agent_share,2025-11-30,50,%,a16z,medium,programming_share\n"
        "ir,china,intensity_ratio,2026-03-15,12.5,ratio,CICC,low,\n"
    )
    observations = read_observations(io.StringIO(text))
    assert [o.proxy for o in observations] == ["programming_share", ""]
    assert observations[0].value == 0.5 and observations[1].value == 12.5
    assert read_observations(io.StringIO(observations.to_csv() or "")) == observations


def test_bad_proxy_and_intensity_ratio_rows_are_reported_together() -> None:
    text = HEADER + (
        "a,china,point,2026-03-31,1T,tokens/day,s,high,programming_share\n"
        "b,china,agent_share,2026-03-31,0.5,fraction,s,high,not a name\n"
        "c,china,intensity_ratio,2026-03-31,-3,ratio,s,high,\n"
        "d,china,intensity_ratio,2026-03-31,3,fraction,s,high,\n"
    )
    with pytest.raises(DataError) as error:
        read_observations(io.StringIO(text))
    message = str(error.value)
    assert "a point cannot be a proxy" in message
    assert "'not a name' is not a name" in message
    assert "a ratio must be > 0" in message
    assert "does not fit kind 'intensity_ratio'" in message


def _parameters() -> Parameters:
    return Parameters(
        "2026-03-31",
        scale=1e14,
        intensity_ratio=10.0,
        penetration={"ceiling": 0.45, "midpoint": "2028-06-30", "rate": 0.6},
        users={"annual_rate": 0.35, "ceiling_multiple": 2.2},
        chatbot={"annual_rate": 0.7, "ceiling_multiple": 3.5},
        complexity={"annual_rate": 1.0, "ceiling_multiple": 8.0},
    )


def _values(design: ObservationDesign, p: Parameters, bias: list[float]) -> dict[str, object]:
    return known_values(
        Structure(), design, p, proxy_bias=dict(zip(design.proxies, bias, strict=True))
    )


def test_model_side_of_intensity_ratio_and_proxies() -> None:
    p = _parameters()
    rows = [
        Observation("n", "china", "point", 1e14, "2026-03-31", "2026-03-31", source="s"),
        Observation("ir", "china", "intensity_ratio", 9.0, "2025-09-30", "2025-09-30", source="s"),
        Observation("d", "china", "agent_share", 0.3, "2025-09-30", "2025-09-30", source="s"),
        Observation(
            "prog",
            "china",
            "agent_share",
            0.5,
            "2025-09-30",
            "2025-09-30",
            source="s",
            proxy="programming_share",
        ),
    ]
    design = ObservationDesign.build(Observations(rows), reference_date="2026-03-31")
    assert design.proxies == ("programming_share",)
    assert list(design.proxy_index) == [-1, -1, -1, 0]
    mu = design.predict(Structure(), _values(design, p, [0.7]))
    parts = evaluate(Structure(), p, -182.0)  # 2025-09-30 is 182 days before 2026-03-31
    expected_ratio = 10.0 * parts["complexity"] * parts["usage"] / parts["chatbot_intensity"]
    assert np.exp(mu[1]) == pytest.approx(expected_ratio, rel=1e-10)
    share = parts["agent_share"]
    assert mu[2] == pytest.approx(np.log(share / (1 - share)), rel=1e-10)
    # the proxy is the same quantity shifted by its bias on the logit scale
    assert mu[3] - mu[2] == pytest.approx(0.7, rel=1e-10)


def test_a_fit_cannot_predict_an_unseen_proxy() -> None:
    seen = Observations(
        [Observation("n", "china", "point", 1e14, "2026-03-31", "2026-03-31", source="s")]
    )
    design = ObservationDesign.build(seen)
    other = Observations(
        [
            Observation(
                "o",
                "china",
                "penetration",
                0.2,
                "2026-03-31",
                "2026-03-31",
                source="s",
                proxy="org_adoption",
            )
        ]
    )
    with pytest.raises(DataError, match="did not see proxies"):
        ObservationDesign.build(other, layout=design)
