"""Tidy pandas frames of coordsim results, and the ``ds.coordsim`` xarray accessor.

``ds.to_dataframe()`` on a run's Dataset crosses every variable with every dimension: each
end-of-run summary is repeated at every step. These frames keep the two shapes apart:

* :func:`summary_frame`: one row per (run,) variant, replication; one column per summary (and,
  for a sweep, per varied parameter and run status);
* :func:`series_frame`: long format, one row per (run,) variant, replication, step and outcome,
  with ``value`` and ``units``.

``import coordsim`` registers the accessor: ``ds.coordsim.summary()``, ``ds.coordsim.series()``.
"""
from __future__ import annotations

import difflib
from typing import Optional, Sequence, Union

import pandas as pd
import xarray as xr


def _pick(ds: xr.Dataset, with_step: bool, outcomes: Union[str, Sequence[str], None]) -> list:
    names = [name for name, variable in ds.data_vars.items() if ("step" in variable.dims) == with_step]
    if outcomes is None:
        return names
    wanted = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    for name in wanted:
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            kind = "series (with a step dimension)" if with_step else "summary (without a step dimension)"
            raise KeyError(f"no {kind} outcome {name!r}{hint}")
    return wanted


def summary_frame(ds: xr.Dataset, outcomes: Union[str, Sequence[str], None] = None) -> pd.DataFrame:
    """End-of-run summaries as a tidy frame: columns ``[run, <parameters>...,] variant,
    replication`` then one column per summary outcome (all, or `outcomes`)."""
    names = _pick(ds, False, outcomes)
    dims = [dim for dim in ("run", "variant", "replication") if dim in ds.dims]
    frame = ds[names].to_dataframe().reset_index()
    keys = [c for c in frame.columns if c not in names and c not in dims]
    return frame[dims + keys + names]


def series_frame(ds: xr.Dataset, outcomes: Union[str, Sequence[str], None] = None) -> pd.DataFrame:
    """Time series in long format: columns ``[run, <parameters>...,] variant, replication, step,
    outcome, value, units`` (units as the model writes them: ``count``, ``h``, ``1``)."""
    names = _pick(ds, True, outcomes)
    units = {name: str(ds[name].attrs.get("units_label", ds[name].attrs.get("units", ""))) for name in names}
    stacked = ds[names].to_array("outcome", name="value")
    frame = stacked.to_dataframe().reset_index()
    frame["units"] = frame["outcome"].map(units)
    dims = [dim for dim in ("run", "variant", "replication", "step") if dim in ds.dims]
    keys = [c for c in frame.columns if c not in dims + ["outcome", "value", "units"]]
    return frame[dims[:1] + keys + dims[1:] + ["outcome", "value", "units"]] if "run" in dims else \
        frame[dims + keys + ["outcome", "value", "units"]]


@xr.register_dataset_accessor("coordsim")
class CoordsimAccessor:
    """``ds.coordsim``: tidy frames of what coordsim.run / coordsim.open / coordsim.sweep return."""

    def __init__(self, dataset: xr.Dataset):
        self._dataset = dataset

    def summary(self, outcomes: Union[str, Sequence[str], None] = None) -> pd.DataFrame:
        """See :func:`coordsim.summary_frame`."""
        return summary_frame(self._dataset, outcomes)

    def series(self, outcomes: Union[str, Sequence[str], None] = None) -> pd.DataFrame:
        """See :func:`coordsim.series_frame`."""
        return series_frame(self._dataset, outcomes)

    def key_outcomes(self) -> list:
        """Summaries the command line's comparison table shows (``attrs["key"] == 1``)."""
        return [name for name, v in self._dataset.data_vars.items()
                if "step" not in v.dims and int(v.attrs.get("key", 0)) == 1]

    def label(self, name: Optional[str] = None) -> str:
        """A readable label (``label:`` in the scenario, else the long name) of an outcome or
        variant, for tables and plots."""
        from ._labels import scenario_labels

        labels = scenario_labels(self._dataset.attrs.get("scenario", ""))
        if name in labels.get("outcomes", {}):
            return labels["outcomes"][name]
        if name in labels.get("variants", {}):
            return labels["variants"][name]
        if name in self._dataset.data_vars:
            return str(self._dataset[name].attrs.get("long_name", name))
        return str(name)
