"""Runs and result files as xarray objects with named dimensions.

One layout everywhere, the HDF5 file's (README, "The HDF5 result file"):

* outcome time series: float64 ``(variant, replication, step)``;
* end-of-run summaries: float64 ``(variant, replication)``;
* per-agent outcomes, one Dataset per agent kind: float64 ``(variant, replication, step, agent)``.

:func:`run` and :func:`load_results` put series and summaries in one Dataset. A summary whose name
is also a series name (``lead_hours_doing_others``) is called ``<name>_summary`` there; every
variable says where it came from in ``attrs["group"]`` (``"series"`` or ``"summary"``) and
``attrs["source_name"]``. Summaries shown in the command line's comparison table have
``attrs["key"] == 1``.
"""
from __future__ import annotations

import os
import warnings
from typing import Callable, Dict, NamedTuple, Optional, Union

import numpy as np
import xarray as xr

from . import _core

PathLike = Union[str, "os.PathLike[str]"]

SERIES_DIMS = ("variant", "replication", "step")
SUMMARY_DIMS = ("variant", "replication")
AGENT_DIMS = ("variant", "replication", "step", "agent")

# Same units and long names as the coordinate variables of the file.
_COORD_ATTRS = {
    "variant": {"units": "1", "long_name": "scenario variant"},
    "replication": {"units": "1", "long_name": "replication index"},
    "step": {"units": "steps", "long_name": "simulation step"},
    "agent": {"units": "1", "long_name": "agent id"},
}


class RunWithAgents(NamedTuple):
    """What ``run(..., agents=True)`` and ``load_results(..., agents=True)`` return."""

    outcomes: xr.Dataset
    """Series and summaries, as :func:`run` returns them without agents."""
    agents: Dict[str, xr.Dataset]
    """Per-agent outcomes by agent kind (``"department"``, ``"task"``), dims (variant, replication, step, agent)."""


def _coordinate(name: str, values) -> xr.Variable:
    return xr.Variable((name,), values, attrs=dict(_COORD_ATTRS[name]))


def _summary_name(name: str, series_names) -> str:
    return f"{name}_summary" if name in series_names else name


def _outcomes_dataset(raw: dict) -> xr.Dataset:
    variants = np.asarray(raw["variants"], dtype=str)
    replications = np.arange(int(raw["attrs"]["replications"]), dtype=np.int64)
    steps = np.arange(int(raw["attrs"]["steps"]), dtype=np.int64)
    data_vars = {}
    series_names = {entry["name"] for entry in raw["series"]}
    for entry in raw["series"]:
        attrs = {"units": entry["units"], "long_name": entry["long_name"], "group": "series",
                 "source_name": entry["name"]}
        data_vars[entry["name"]] = xr.Variable(SERIES_DIMS, entry["data"], attrs=attrs)
    for entry in raw["summary"]:
        attrs = {"units": entry["units"], "long_name": entry["long_name"], "group": "summary",
                 "source_name": entry["name"], "key": int(entry["key"])}
        data_vars[_summary_name(entry["name"], series_names)] = xr.Variable(SUMMARY_DIMS, entry["data"], attrs=attrs)
    coords = {"variant": _coordinate("variant", variants), "replication": _coordinate("replication", replications),
              "step": _coordinate("step", steps)}
    return xr.Dataset(data_vars, coords=coords, attrs=dict(raw["attrs"]))


def _agent_datasets(raw: dict) -> Dict[str, xr.Dataset]:
    variants = np.asarray(raw["variants"], dtype=str)
    replications = np.arange(int(raw["attrs"]["replications"]), dtype=np.int64)
    out = {}
    for kind in raw["agents"]:
        data_vars = {
            entry["name"]: xr.Variable(AGENT_DIMS, entry["data"],
                                       attrs={"units": entry["units"], "long_name": entry["long_name"]})
            for entry in kind["variables"]
        }
        coords = {"variant": _coordinate("variant", variants),
                  "replication": _coordinate("replication", replications),
                  "step": _coordinate("step", np.asarray(kind["steps"], dtype=np.int64)),
                  "agent": _coordinate("agent", np.arange(int(kind["count"]), dtype=np.int64))}
        attrs = dict(raw["attrs"])
        attrs["kind"] = kind["kind"]
        out[kind["kind"]] = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    return out


def run(scenario: Union["_core.Scenario", PathLike], seed: Optional[int] = None,
        replications: Optional[int] = None, threads: Optional[int] = None, steps: Optional[int] = None, *,
        agents: bool = False, agent_every: Optional[int] = None, output: Optional[PathLike] = None,
        progress: Optional[Callable[[int, int], None]] = None) -> Union[xr.Dataset, RunWithAgents]:
    """Run every variant x replication of a scenario and return the outcomes as xarray.

    Same engine call and same numbers as ``coordsim run``: for one scenario and seed the arrays
    are bit-identical to the command line's file, for any thread count. The GIL is released
    while the engine runs, so other Python threads keep going.

    Parameters
    ----------
    scenario:
        A :class:`coordsim.Scenario`, or the path of a scenario file. It is not modified.
    seed, replications, steps:
        Override ``run.seed``, ``run.replications``, ``run.steps`` (validated like
        ``--seed``/``--replications``/``--steps``; invalid values raise ScenarioError).
    threads:
        Worker threads; None or 0 uses every core.
    agents:
        Also return per-agent outcomes (see Returns). Without it they are not even recorded.
    agent_every:
        Override ``output.agent_every``: keep per-agent outcomes every k-th step.
    output:
        Also write the HDF5 result file, exactly as ``coordsim run -o OUTPUT`` does (per-agent
        outcomes in it follow the scenario's ``output.agents``, or are there when ``agents``).
    progress:
        ``progress(done, total)`` after each finished run (called with the GIL held, from the
        engine's writer thread). An exception it raises is raised once the batch is done.

    Returns
    -------
    xarray.Dataset
        Series variables (variant, replication, step) and summary variables (variant,
        replication), with coordinates ``variant`` (names, baseline first), ``replication``
        and ``step``; ``attrs`` hold the file's root attributes (``scenario`` is the resolved
        YAML). The arrays are views of the engine's buffers, not copies.
    RunWithAgents
        With ``agents=True``: the pair ``(outcomes, agents)``, where ``agents`` maps each agent
        kind to a Dataset with dims (variant, replication, step, agent); its ``step``
        coordinate lists the recorded steps (every ``output.agent_every``).

    A run that fails inside the model leaves NaN and triggers a RuntimeWarning naming it.
    """
    if not isinstance(scenario, _core.Scenario):
        scenario = _core.Scenario.load(scenario)
    raw = _core.run(scenario, seed=seed, replications=replications, steps=steps,
                    threads=0 if threads is None else int(threads), agents=bool(agents),
                    agent_every=agent_every, output=None if output is None else os.fspath(output),
                    progress=progress)
    if raw["failures"]:
        shown = "; ".join(raw["failures"][:5])
        warnings.warn(f"{len(raw['failures'])} run(s) failed and read as NaN: {shown}", RuntimeWarning,
                      stacklevel=2)
    outcomes = _outcomes_dataset(raw)
    if agents:
        return RunWithAgents(outcomes, _agent_datasets(raw))
    return outcomes


# ---------------------------------------------------------------------------------------------
# Result files


def _decode(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "OSU":
            return [_decode(v) for v in value.tolist()]
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def root_attributes(path: PathLike) -> dict:
    """The root attributes of a result file (model, scenario YAML, seed, variants, ...)."""
    import h5py

    with h5py.File(os.fspath(path), "r") as f:
        return {name: _decode(value) for name, value in f.attrs.items()}


def open_results(path: PathLike, group: str = "series", **kwargs) -> xr.Dataset:
    """Open one group of a coordsim result file as an xarray Dataset (h5netcdf engine, lazy).

    ``group`` is ``"series"``, ``"summary"`` or ``"agents/<kind>"`` (``"agents/department"``,
    ``"agents/task"``). The file stays open until the Dataset is closed; use it in a ``with``
    block or call :func:`open_groups` / :func:`load_results` to get data in memory.
    """
    return xr.open_dataset(os.fspath(path), group=group, engine="h5netcdf", **kwargs)


def result_groups(path: PathLike) -> list:
    """Names of the data groups in a result file: series, summary, agents/<kind>..."""
    import h5py

    with h5py.File(os.fspath(path), "r") as f:
        names = [name for name in ("series", "summary") if name in f]
        if "agents" in f:
            names += [f"agents/{kind}" for kind in f["agents"]]
    return names


def open_groups(path: PathLike) -> Dict[str, xr.Dataset]:
    """Every group of a result file, loaded into memory: ``{"series": ..., "summary": ...,
    "agents/department": ..., ...}``. Each Dataset carries the file's root attributes."""
    attrs = root_attributes(path)
    out = {}
    for group in result_groups(path):
        with open_results(path, group) as ds:
            loaded = ds.load()
        loaded.attrs.update(attrs)
        out[group] = loaded
    return out


def load_results(path: PathLike, agents: bool = False) -> Union[xr.Dataset, RunWithAgents]:
    """A result file in the form :func:`run` returns: series and summaries in one Dataset
    (summaries named like a series get ``_summary``), loaded into memory; with ``agents=True``
    the pair ``(outcomes, {kind: Dataset})``."""
    groups = open_groups(path)
    series = groups["series"]
    summary = groups["summary"]
    for name, variable in series.data_vars.items():
        variable.attrs.update(group="series", source_name=name)
    renamed = {}
    for name, variable in summary.data_vars.items():
        variable.attrs.update(group="summary", source_name=name)
        if "key" in variable.attrs:
            variable.attrs["key"] = int(variable.attrs["key"])
        renamed[name] = _summary_name(name, set(series.data_vars))
    summary = summary.rename_vars(renamed)
    outcomes = xr.merge([series, summary], combine_attrs="override")
    outcomes.attrs = root_attributes(path)
    if not agents:
        return outcomes
    kinds = {group.split("/", 1)[1]: ds for group, ds in groups.items() if group.startswith("agents/")}
    for kind, ds in kinds.items():
        ds.attrs["kind"] = kind
    return RunWithAgents(outcomes, kinds)


def sweep(*args, **kwargs):
    """Parameter sweeps from Python are not bound yet.

    Use the command line, ``coordsim sweep SWEEP.yaml -o OUT.h5`` (sim/SWEEPS.md), then read
    the file with :func:`open_groups` (``open_groups(path)["summary"]`` has the run dimension
    and the parameters as coordinates); :func:`coordsim.analysis.sensitivity` computes Sobol
    indices from a ``design: saltelli`` file. For a few points, set values with
    ``scenario["path"] = value`` and call :func:`run` per point.
    """
    raise NotImplementedError(
        "coordsim.sweep() is not bound to the engine's sweep runner yet; run `coordsim sweep SWEEP.yaml -o OUT.h5` "
        "and read it with coordsim.open_groups(OUT.h5) (coordsim.analysis.sensitivity for Saltelli designs), "
        "or set scenario['key.path'] = value and call coordsim.run() per design point")
