"""Priors: typed, cited, validated, with closed-form quantiles."""

from __future__ import annotations

import numpy as np
import pytest

from tokendemand.errors import ConfigError
from tokendemand.priors import Fixed, LogitNormal, LogNormal, Normal, Priors


def test_priors_are_typed_and_cited() -> None:
    priors = Priors()
    for row in priors.table():
        assert row["source"], row["parameter"]
    assert Priors.from_dict(priors.to_dict()) == priors
    with pytest.raises(ConfigError, match="no field 'intensty_ratio'"):
        priors.replace(intensty_ratio=LogNormal(10.0, 0.3))
    with pytest.raises(ConfigError) as info:
        Priors(scale_sigma=-1.0, noise_multiplier={"high": 1.0}, substitution=Fixed(2.0))
    message = str(info.value)
    assert "scale_sigma" in message and "noise_multiplier" in message and "substitution" in message
    with pytest.raises(ConfigError, match="sigma must be a positive number"):
        Normal(0.0, 0.0)
    with pytest.raises(ConfigError, match=r"median must be in \(0, 1\)"):
        LogitNormal(1.5, 1.0)
    with pytest.raises(ConfigError, match="unknown prior kind"):
        Priors.from_dict({"noise": {"kind": "Cauchy", "sigma": 1.0}})


def test_prior_quantiles_match_their_closed_forms() -> None:
    assert LogNormal(12.5, 0.5).quantile(0.5) == pytest.approx(12.5)
    assert LogNormal(3.0, 0.6, lower=1.0).quantile(0.5) == pytest.approx(3.0)
    assert Normal(1.0, 2.0).quantile(0.975) == pytest.approx(1.0 + 2.0 * 1.959963984540054)
    assert LogitNormal(0.05, 0.8).quantile(0.5) == pytest.approx(0.05)
    draws = LogNormal(2.0, 0.3).sample(np.random.default_rng(0), 20000)
    assert np.median(draws) == pytest.approx(2.0, rel=0.02)
