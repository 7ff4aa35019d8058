"""The non-centred parametrization: free parameters, prior medians, anchored penetration."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.fitting.helpers import REF
from tokendemand.curves import PENETRATION_FAMILIES
from tokendemand.fitting.parametrization import free_parameters, structural_values, to_parameters
from tokendemand.priors import Fixed, Priors
from tokendemand.structure import Structure


@pytest.mark.parametrize("name", sorted(PENETRATION_FAMILIES))
def test_anchored_penetration_starts_at_penetration_now(name: str) -> None:
    structure = Structure(penetration=name)
    priors = Priors()
    rng = np.random.default_rng(3)
    z = {p.name: rng.standard_normal((50, 1)) for p in free_parameters(structure, priors)}
    z["total_reference"] = rng.standard_normal((50, 1))
    values = structural_values(structure, priors, z, np.array([30.0]), np)
    params = to_parameters(structure, values, REF)
    at_reference = structure.family("penetration")(0.0, params.penetration)
    np.testing.assert_allclose(at_reference, values["penetration_now"][..., 0], rtol=1e-9)
    assert np.all(values["penetration_ceiling"] > values["penetration_now"])
    # the total on the reference date is what was sampled, whatever rho and pi are
    unit = 1.0 + values["intensity_ratio"] * values["penetration_now"]
    np.testing.assert_allclose(values["scale"] * unit, values["total_reference"], rtol=1e-12)


def test_standard_normal_zero_maps_to_prior_medians() -> None:
    structure, priors = Structure(), Priors()
    z = {p.name: 0.0 for p in free_parameters(structure, priors)}
    z["total_reference"] = np.zeros(1)
    values = structural_values(structure, priors, z, np.array([math.log(1e14)]), np)
    assert values["intensity_ratio"] == pytest.approx(12.5)
    assert values["penetration_now"] == pytest.approx(0.05)
    assert values["users_ceiling_multiple"] == pytest.approx(2.5)
    assert values["total_reference"][0] == pytest.approx(1e14)


def test_free_parameters_follow_the_structure() -> None:
    names = [p.name for p in free_parameters(Structure(), Priors())]
    assert names[:3] == ["intensity_ratio", "penetration_now", "penetration_headroom"]
    assert "usage_annual_rate" not in names  # usage is constant by default
    assert "penetration_midpoint" not in names  # anchored on penetration_now
    bass = [p.name for p in free_parameters(Structure(penetration="bass"), Priors())]
    assert {"penetration_p", "penetration_q"} <= set(bass)
    fixed = Priors().replace(users_annual_rate=Fixed(0.2))
    assert "users_annual_rate" not in [p.name for p in free_parameters(Structure(), fixed)]
