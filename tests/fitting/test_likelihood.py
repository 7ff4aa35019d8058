"""The observation design: its layout, reference series and errors."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.fitting.helpers import REF, obs
from tokendemand.errors import ConfigError, DataError
from tokendemand.fitting.likelihood import ObservationDesign
from tokendemand.observations import Observations


def test_design_layout_and_reference_series(template: Observations) -> None:
    design = ObservationDesign.build(template)
    assert design.reference_date == pd.Timestamp(REF)
    assert design.markets == ("china",)
    assert dict(design.reference_series) == {"china": "national"}
    assert design.covered == (("china", "subseries"),)
    assert design.t.max() == 0.0
    # a prior centre from the level nearest the reference date, per day
    assert design.total_centre[0] == pytest.approx(math.log(1e14))
    chosen = ObservationDesign.build(template, reference_series={"china": "subseries"})
    assert chosen.covered == (("china", "national"),)


def test_design_errors_name_the_problem(template: Observations) -> None:
    with pytest.raises(DataError, match="no observations"):
        ObservationDesign.build(Observations([]))
    with pytest.raises(ConfigError, match="has no figure in market 'china'"):
        ObservationDesign.build(template, reference_series={"china": "doubao"})
    with pytest.raises(ConfigError, match="names market 'us'"):
        ObservationDesign.build(template, reference_series={"us": "national"})
    fitted = ObservationDesign.build(template)
    unseen = Observations([obs("point", 1e12, "2026-06-30", series="other")])
    with pytest.raises(DataError, match="did not see china/other"):
        ObservationDesign.build(unseen, layout=fitted)
