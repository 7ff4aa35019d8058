"""A loaded fit holds no file open: its folder can be written again and is read afresh."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import tokendemand as td
from tokendemand.errors import DataError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_fits() -> tuple[td.FitResult, td.FitResult]:
    """Two MAP fits whose posteriors differ (different figures)."""
    doubao = td.datasets.load("doubao")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning)
        first = td.fit(doubao, method="map", random_seed=1)
        second = td.fit(doubao[: len(doubao) - 1], method="map", random_seed=1)
    return first, second


def test_a_loaded_fit_saves_to_the_folder_it_came_from(
    two_fits: tuple[td.FitResult, td.FitResult], tmp_path: Path
) -> None:
    first, second = two_fits
    folder = first.save(tmp_path / "fit")
    loaded = td.load_fit(folder)
    loaded.save(folder)  # its own folder: the file it was read from must not be open
    second.save(folder)  # another fit over it
    again = td.load_fit(folder)
    assert len(again.observations) == len(second.observations)
    for name, draws in second.draws().items():
        np.testing.assert_array_equal(again.draws()[name], draws, err_msg=name)
    # the first loaded result still has its own draws, in memory
    for name, draws in first.draws().items():
        np.testing.assert_array_equal(loaded.draws()[name], draws, err_msg=name)


def test_a_changed_file_is_read_afresh(
    two_fits: tuple[td.FitResult, td.FitResult], tmp_path: Path
) -> None:
    first, second = two_fits
    folder = first.save(tmp_path / "fit")
    before = td.load_fit(folder)
    second.save(folder)
    after = td.load_fit(folder)
    assert float(after.draws()["noise"][0]) == float(second.draws()["noise"][0])
    assert float(before.draws()["noise"][0]) == float(first.draws()["noise"][0])
    assert float(first.draws()["noise"][0]) != float(second.draws()["noise"][0])


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_corrupted_posterior_is_a_data_error(
    two_fits: tuple[td.FitResult, td.FitResult], tmp_path: Path, damage: str
) -> None:
    folder = two_fits[0].save(tmp_path / "fit")
    path = folder / "posterior.nc"
    content = path.read_bytes()
    damaged = {
        "garbage": b"\x89HDF\r\n\x1a\n garbage",
        "truncated": content[: len(content) // 2],
        "empty": b"",
    }[damage]
    path.write_bytes(damaged)
    with pytest.raises(DataError, match=r"posterior\.nc"):
        td.load_fit(folder)
    two_fits[0].save(folder)  # a damaged file is not left open either
    assert td.load_fit(folder).n_draws == 1
