"""Prior against posterior, one panel per parameter (slow)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

import tokendemand as td
from tokendemand import plotting
from tokendemand.errors import ConfigError


@pytest.mark.slow
def test_prior_posterior_one_panel_per_parameter(fit: td.FitResult) -> None:
    names = list(plotting.parameter_draws(fit, prior_draws=500))
    assert "intensity_ratio" in names and "total_reference[china]" in names
    figure = plotting.prior_posterior(fit, prior_draws=500)
    visible = [ax for ax in figure.axes if ax.get_visible()]
    assert len(visible) == len(names)
    for ax in visible:
        assert [p.get_label() for p in ax.patches] == ["prior", "posterior"]
    titles = [ax.get_title(loc="left") for ax in visible]
    assert titles == names
    assert visible[names.index("total_reference[china]")].get_xscale() == "log"
    one, ax = plt.subplots()
    assert plotting.prior_posterior(fit, "intensity_ratio", ax=ax, prior_draws=500) is one
    with pytest.raises(ConfigError, match="need 2 axes"):
        plotting.prior_posterior(fit, ["intensity_ratio", "noise"], ax=ax)
    with pytest.raises(ConfigError, match="unknown parameter"):
        plotting.prior_posterior(fit, "rho")
