"""Saved fits on disk: a folder with the posterior, the observations and the specification.

Layout: ``posterior.nc`` (ArviZ netCDF, written with h5netcdf), ``observations.csv`` (the
figures, readable by :func:`~tokendemand.observations.read_observations`) and ``spec.json``
with an explicit file-format version (:data:`FORMAT_VERSION`), not the package version, so a
result saved today loads after an upgrade. :meth:`FitResult.save
<tokendemand.fitting.FitResult.save>` and :func:`~tokendemand.fitting.load_fit` use these two
functions; nothing else reads or writes the files.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from tokendemand.errors import DataError
from tokendemand.observations import Observations, read_observations

__all__ = ["FORMAT_VERSION", "READ_VERSIONS", "read_fit", "write_fit"]

FORMAT_VERSION: Final[int] = 3
"""Version of the saved-fit folder layout this tokendemand writes.

Version 3 adds the pooling across series (``Structure.pooling``) and the noise factors of
ratio and share figures; a version 1 or 2 fit is read as ``pooling="complete"`` with both
factors fixed at 1, the model it was fitted with. Version 2 stores the full
``InferenceData`` (every group of :mod:`tokendemand.fitting.inference_data`); version 1
stored the posterior (sampled and structural draws) and the sampler statistics only, and is
still read: the other groups are computed again on loading."""

READ_VERSIONS: Final[tuple[int, ...]] = (1, 2, 3)
"""Folder layouts this tokendemand reads."""

_FORMAT_NAME: Final = "tokendemand-fit"


def write_fit(
    path: str | Path, idata: Any, observations: Observations, spec: Mapping[str, Any]
) -> Path:
    """Write a fit's files into the folder ``path`` (created; existing files replaced).

    Parameters
    ----------
    path
        The folder.
    idata
        The ArviZ ``InferenceData``.
    observations
        The figures the fit was made from.
    spec
        Structure, priors, reference date and series, method, sampler, diagnostics, timings;
        the format name and version are added here.

    Returns
    -------
    pathlib.Path
        The folder.
    """
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    idata.to_netcdf(str(folder / "posterior.nc"))
    observations.to_csv(folder / "observations.csv")
    document = {"format": _FORMAT_NAME, "format_version": FORMAT_VERSION, **spec}
    document["diagnostics"] = {k: _json_number(v) for k, v in spec["diagnostics"].items()}
    (folder / "spec.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return folder


def read_fit(path: str | Path) -> tuple[Any, Observations, dict[str, Any]]:
    """Read the files :func:`write_fit` wrote: ``(idata, observations, spec)``.

    The posterior is read into memory and its file closed, so the folder can be written again
    at once, and a file that changed since the last read is read afresh.

    Raises
    ------
    DataError
        If the folder or a file is missing, unreadable or corrupted, or of an unknown format
        version.
    """
    import arviz as az

    folder = Path(path)
    spec_path = folder / "spec.json"
    for required in (spec_path, folder / "posterior.nc", folder / "observations.csv"):
        if not required.is_file():
            raise DataError(
                f"{folder} is not a saved fit: {required.name} is missing (save one with "
                "FitResult.save(path))"
            )
    try:
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataError(f"{spec_path} is corrupted: {error}") from None
    if not isinstance(spec, dict) or spec.get("format") != _FORMAT_NAME:
        raise DataError(f"{spec_path} is not a tokendemand fit specification")
    version = spec.get("format_version")
    if version not in READ_VERSIONS:
        raise DataError(
            f"{spec_path} has format version {version!r}; this tokendemand reads version "
            f"{' or '.join(map(str, READ_VERSIONS))}. Refit with this version, or load it with "
            "the tokendemand that wrote it."
        )
    observations = read_observations(folder / "observations.csv")
    try:
        with warnings.catch_warnings(), az.rc_context({"data.load": "eager"}):
            warnings.filterwarnings("ignore", category=FutureWarning)
            idata = az.from_netcdf(str(folder / "posterior.nc"))
    except Exception as error:  # h5py and netCDF raise many kinds on a damaged file
        raise DataError(
            f"{folder / 'posterior.nc'} could not be loaded ({type(error).__name__}: {error}); "
            "the file is corrupted: save the fit again"
        ) from None
    spec["diagnostics"] = {
        k: (math.nan if v is None else float(v)) for k, v in spec.get("diagnostics", {}).items()
    }
    return idata, observations, spec


def _json_number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
