"""The structural equation and its closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tokendemand.dates import DAYS_PER_YEAR
from tokendemand.errors import ConfigError
from tokendemand.structure import (
    COMPONENTS,
    Parameters,
    Structure,
    agent_share,
    break_even_penetration,
    evaluate,
    growth_multiplier,
    intensity_ratio_for_break_even,
)

REF = "2026-03-31"
# exponential indices: the closed forms below are written for them
EXP = Structure(
    users="exponential", chatbot="exponential", complexity="exponential", usage="exponential"
)
RATES = {"users": 0.1, "chatbot": 0.2, "complexity": 0.5, "usage": 0.3}


def params(**changes: object) -> Parameters:
    base = Parameters(
        REF,
        scale=1e14,
        intensity_ratio=12.5,
        penetration={"ceiling": 0.5, "midpoint": "2028-12-31", "rate": 1.0},
        **{lever: {"annual_rate": rate} for lever, rate in RATES.items()},
    )
    return base.replace(**changes)


def test_cicc_break_even_closed_forms() -> None:
    assert intensity_ratio_for_break_even(0.08) == 12.5
    assert intensity_ratio_for_break_even(0.08, substitution=1.0) == pytest.approx(11.5, 1e-15)
    assert break_even_penetration(1.0, 1.0, 1.0, 12.5) == pytest.approx(0.08, rel=1e-15)
    assert break_even_penetration(1.0, 1.0, 1.0, 11.5, substitution=1.0) == pytest.approx(
        0.08, rel=1e-15
    )
    assert agent_share(0.08, 12.5) == pytest.approx(0.5, rel=1e-15)
    assert agent_share(0.08, 11.5, substitution=1.0) == pytest.approx(0.5, rel=1e-15)


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5])
def test_break_even_rejects_penetration_outside_unit_interval(bad: float) -> None:
    with pytest.raises(ConfigError, match=r"in \(0, 1\]"):
        intensity_ratio_for_break_even(bad)


def test_equation_by_hand_on_a_date() -> None:
    p = params(substitution=0.4)
    t = 2 * DAYS_PER_YEAR
    midpoint = (pd.Timestamp("2028-12-31") - pd.Timestamp(REF)).days
    pi = 0.5 / (1 + np.exp(-1.0 * (t - midpoint) / DAYS_PER_YEAR))
    n, u, k, h = (np.exp(RATES[name] * 2) for name in ("users", "chatbot", "complexity", "usage"))
    chatbot = 1e14 * n * u * (1 - 0.4 * pi)
    agent = 1e14 * n * 12.5 * pi * k * h
    got = evaluate(EXP, p, np.array([t]))
    assert got["chatbot"][0] == pytest.approx(chatbot, rel=1e-14)
    assert got["agent"][0] == pytest.approx(agent, rel=1e-14)
    assert got["total"][0] == pytest.approx(chatbot + agent, rel=1e-14)
    assert got["agent_share"][0] == pytest.approx(agent / (chatbot + agent), rel=1e-14)
    assert got["break_even_penetration"][0] == pytest.approx(u / (12.5 * k * h + 0.4 * u), 1e-14)


def test_agents_equal_chatbots_exactly_at_break_even_penetration() -> None:
    frame = EXP.evaluate(params(), pd.date_range("2024-01-01", "2034-12-31", freq="D"))
    crossing = frame["agent"] >= frame["chatbot"]
    first = crossing.idxmax()
    before = frame.index[frame.index.get_loc(first) - 1]
    assert frame.loc[first, "penetration"] >= frame.loc[first, "break_even_penetration"]
    assert frame.loc[before, "penetration"] < frame.loc[before, "break_even_penetration"]


def test_indices_are_one_at_reference_date() -> None:
    frame = EXP.evaluate(params(), [REF])
    for name in ("users", "chatbot_intensity", "complexity", "usage"):
        assert frame[name].iloc[0] == 1.0
    assert frame["chatbot"].iloc[0] == 1e14
    assert list(frame.columns) == list(COMPONENTS)
    assert frame.index.name == "date"


def test_growth_multiplier_matches_frame_ratio() -> None:
    p = params()
    frame = EXP.evaluate(p, ["2026-03-31", "2029-06-30"])
    expected = frame["total"].iloc[1] / frame["total"].iloc[0]
    assert growth_multiplier(EXP, p, REF, "2029-06-30") == pytest.approx(expected, 1e-14)


def test_evaluate_broadcasts_over_draws() -> None:
    draws = np.array([10.0, 12.5, 15.0])[:, None]
    p = params(intensity_ratio=draws)
    t = np.linspace(0, 1000, 7)
    total = evaluate(EXP, p, t)["total"]
    assert total.shape == (3, 7)
    single = evaluate(EXP, params(intensity_ratio=15.0), t)["total"]
    np.testing.assert_allclose(total[2], single, rtol=1e-15)


def test_structure_evaluate_refuses_arrays_of_draws() -> None:
    p = params(intensity_ratio=np.array([[10.0], [12.5]]))
    with pytest.raises(ConfigError, match="scalar parameters"):
        EXP.evaluate(p, [REF, "2027-01-01"])


def test_structures_with_other_families() -> None:
    structure = Structure(
        penetration="bass",
        users="exponential",
        chatbot="exponential",
        complexity="saturating",
        usage="constant",
    )
    p = Parameters(
        REF,
        scale=2.0,
        intensity_ratio=4.0,
        penetration={"ceiling": 0.4, "p": 0.03, "q": 0.38, "launch": "2024-01-01"},
        users={"annual_rate": 0.0},
        chatbot={"annual_rate": 0.0},
        complexity={"annual_rate": 0.5, "ceiling_multiple": 4.0},
    )
    frame = structure.evaluate(p, ["2023-06-01", REF])
    assert frame["penetration"].iloc[0] == 0.0
    assert frame["total"].iloc[0] == 2.0
    assert frame["usage"].tolist() == [1.0, 1.0]


def test_structure_errors_list_every_problem() -> None:
    with pytest.raises(ConfigError) as info:
        Structure(penetration="sigmoid", usage="linear")
    assert "penetration" in str(info.value) and "usage" in str(info.value)


def test_missing_lever_parameter_is_named() -> None:
    p = Parameters(REF, 1.0, 12.5, penetration={"ceiling": 0.5, "midpoint": 0.0, "rate": 1.0})
    with pytest.raises(ConfigError, match=r"exponential.*missing annual_rate"):
        EXP.evaluate(p, [REF])


def test_parameters_convert_dates_and_reject_bad_reference() -> None:
    p = params()
    assert p.penetration["midpoint"] == (pd.Timestamp("2028-12-31") - pd.Timestamp(REF)).days
    assert p.date_of(p.penetration["midpoint"]) == pd.Timestamp("2028-12-31")
    with pytest.raises(ConfigError, match="not a date"):
        Parameters("not a date", 1.0, 1.0)
    with pytest.raises(ConfigError, match="no field"):
        p.replace(rho=3.0)


def test_parameters_are_immutable_and_do_not_share_callers_dict() -> None:
    penetration = {"ceiling": 0.5, "midpoint": 0.0, "rate": 1.0}
    p = Parameters(REF, 1.0, 12.5, penetration=penetration)
    penetration["ceiling"] = 0.9
    assert p.penetration["ceiling"] == 0.5
    with pytest.raises(TypeError):
        p.penetration["ceiling"] = 0.1  # type: ignore[index]
    roundtrip = Parameters(**{**p.to_dict()})
    assert roundtrip == p
