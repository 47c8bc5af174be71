"""Morris elementary-effects screening from a ``design: morris`` sweep (sim/SWEEPS.md).

A Morris design (Morris 1991, "Factorial sampling plans for preliminary computational
experiments", Technometrics 33:161-174) has r trajectories of k + 1 runs; consecutive runs of a
trajectory differ in one parameter only. The elementary effect of that parameter is

    EE = (y_after - y_before) / ((x_after - x_before) / (high - low))

i.e. the change of the outcome per unit of the parameter's range (``bounds`` of the sweep). Over
the r trajectories each parameter has r effects, summarised by

* ``mu``: their mean (signed; effects of opposite sign cancel),
* ``mu_star``: the mean of their absolute values (Campolongo, Cariboni and Saltelli 2007, "An
  effective screening design for sensitivity analysis of large models", Environ. Model. Softw.
  22:1509-1518): the screening measure of overall influence,
* ``sigma``: their standard deviation (ddof 1): non-linearity or interactions.
"""
from __future__ import annotations

from typing import Mapping, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import xarray as xr


def elementary_effects(values, y, trajectory, step, bounds: Optional[Sequence[Tuple[float, float]]] = None):
    """Elementary effects, shape (r, k), from the runs of a Morris design.

    values: (runs, k) parameter values; y: (runs,) outcome; trajectory, step: (runs,) the run's
    trajectory and position in it; bounds: k (low, high) pairs (default: effects per unit of the
    parameter itself). Raises ValueError when consecutive runs do not differ in exactly one
    parameter, or a trajectory does not move every parameter once."""
    values = np.asarray(values, dtype=float)
    y = np.asarray(y, dtype=float)
    trajectory = np.asarray(trajectory)
    step = np.asarray(step)
    k = values.shape[1]
    ranges = np.ones(k) if bounds is None else np.array([high - low for low, high in bounds], dtype=float)
    ids = np.unique(trajectory)
    effects = np.full((len(ids), k), np.nan)
    for t_index, t in enumerate(ids):
        rows = np.flatnonzero(trajectory == t)
        rows = rows[np.argsort(step[rows], kind="stable")]
        if len(rows) != k + 1:
            raise ValueError(f"trajectory {t} has {len(rows)} runs, expected k + 1 = {k + 1}")
        for before, after in zip(rows[:-1], rows[1:]):
            moved = np.flatnonzero(values[after] != values[before])
            if len(moved) != 1:
                raise ValueError(f"runs {before} and {after} differ in {len(moved)} parameters, expected 1")
            i = moved[0]
            if not np.isnan(effects[t_index, i]):
                raise ValueError(f"trajectory {t} moves parameter {i} twice")
            effects[t_index, i] = (y[after] - y[before]) / ((values[after, i] - values[before, i]) / ranges[i])
    return effects


def morris_indices(effects, parameters: Sequence[str]) -> pd.DataFrame:
    """mu, mu_star, sigma and the number of effects per parameter, sorted by mu_star (largest first)."""
    effects = np.asarray(effects, dtype=float)
    table = pd.DataFrame({
        "mu": np.nanmean(effects, axis=0),
        "mu_star": np.nanmean(np.abs(effects), axis=0),
        "sigma": np.nanstd(effects, axis=0, ddof=1),
        "r": np.sum(np.isfinite(effects), axis=0),
    }, index=pd.Index(list(parameters), name="parameter"))
    return table.sort_values("mu_star", ascending=False, kind="stable")


def morris(path_or_dataset, outcome: str, variant: Optional[str] = None) -> pd.DataFrame:
    """mu*, mu and sigma of a summary outcome from a ``design: morris`` sweep file (or its
    ``summary`` group opened with xarray): averaged over replications, in ``variant`` (default
    the first). Effects are per unit of each parameter's range (the sweep's ``bounds``)."""
    if isinstance(path_or_dataset, xr.Dataset):
        summary = path_or_dataset
    else:
        summary = xr.open_dataset(path_or_dataset, group="summary", engine="h5netcdf")
    if "morris_trajectory" not in summary.coords:
        raise ValueError("not a morris sweep: no morris_trajectory coordinate")
    names = [name for name in summary.coords
             if summary[name].dims == ("run",) and "parameter" in summary[name].attrs]
    data = summary[outcome]
    data = data.sel(variant=variant) if variant is not None else data.isel(variant=0)
    y = data.mean("replication").values
    values = np.column_stack([summary[name].values for name in names])
    bounds = [tuple(summary[name].attrs["bounds"]) for name in names]
    effects = elementary_effects(values, y, summary["morris_trajectory"].values, summary["morris_step"].values, bounds)
    return morris_indices(effects, [summary[name].attrs["parameter"] for name in names])


def sobol_g(x, a: Sequence[float]):
    """The Sobol g-function on [0, 1]^k: prod_i (|4 x_i - 2| + a_i) / (1 + a_i)."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    a = np.asarray(a, dtype=float)
    return np.prod((np.abs(4 * x - 2) + a) / (1 + a), axis=1)


__all__ = ["elementary_effects", "morris", "morris_indices", "sobol_g"]
