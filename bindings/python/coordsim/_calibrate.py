"""coordsim.calibrate: ABC-SMC calibration (sim/CALIBRATION.md) from Python."""
from __future__ import annotations

import os
import pathlib
from typing import Optional, Union

import xarray as xr

from . import _core

PathLike = Union[str, os.PathLike]


def calibrate(calibration: PathLike, out: Optional[PathLike] = None, threads: Optional[int] = None,
              resume: bool = False) -> xr.Dataset:
    """Run a calibration file as ``coordsim calibrate`` does (same parser, journal and file) and
    return the result file as an xarray Dataset with dimensions generation, particle, parameter
    and target (``value``, ``weight``, ``distance``, ``simulated``, ``tolerance``, ``ess``, ...).

    ``out`` defaults to ``<calibration name>.h5`` in the current directory; ``resume`` continues
    from ``out``'s journal after an interruption. The posterior is ``ds.isel(generation=-1)``
    with its ``weight``."""
    path = pathlib.Path(calibration)
    output = pathlib.Path(out) if out is not None else pathlib.Path(path.stem + ".h5")
    _core.calibrate(os.fspath(path), os.fspath(output), 0 if threads is None else int(threads), bool(resume))
    return xr.load_dataset(output, engine="h5netcdf")
