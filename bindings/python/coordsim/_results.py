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

import json
import math
import os
import re
import shutil
import sys
import tempfile
import warnings
from typing import Callable, Dict, NamedTuple, Optional, Union

import numpy as np
import xarray as xr

from . import _core
from ._core import OutputError
from ._units import CONVENTIONS, cf_units, valid_range

PathLike = Union[str, "os.PathLike[str]"]

SERIES_DIMS = ("variant", "replication", "step")
SUMMARY_DIMS = ("variant", "replication")
AGENT_DIMS = ("variant", "replication", "step", "agent")

# Long names as the coordinate variables of the file; units UDUNITS-valid, ``axis`` as in CF.
_COORD_ATTRS = {
    "variant": {"long_name": "scenario variant"},
    "replication": {"units": "1", "long_name": "replication index"},
    "step": {"units": "1", "long_name": "simulation step (one working day)", "axis": "T"},
    "agent": {"units": "1", "long_name": "agent id"},
}

def _variable_attrs(units: str, long_name: str, name: str, **extra) -> dict:
    """CF attributes of one outcome variable: UDUNITS units, the model's unit word, valid range."""
    attrs = {"units": cf_units(units), "units_label": units, "long_name": long_name}
    low, high = valid_range(name, units, long_name)
    if math.isfinite(low):
        attrs["valid_min"] = low
    if math.isfinite(high):
        attrs["valid_max"] = high
    attrs.update(extra)
    return attrs


def _netcdf_attrs(attrs: dict) -> dict:
    """Root attributes netCDF can store: booleans as int8 0/1, ``Conventions`` added."""
    out = {}
    for key, value in attrs.items():
        if isinstance(value, (bool, np.bool_)):
            value = np.int8(bool(value))
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, (bool, np.bool_)) for v in value):
            value = np.asarray(value, dtype=np.int8)
        out[key] = value
    out.setdefault("Conventions", CONVENTIONS)
    return out


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
        attrs = _variable_attrs(entry["units"], entry["long_name"], entry["name"], group="series",
                                source_name=entry["name"])
        data_vars[entry["name"]] = xr.Variable(SERIES_DIMS, entry["data"], attrs=attrs)
    for entry in raw["summary"]:
        attrs = _variable_attrs(entry["units"], entry["long_name"], entry["name"], group="summary",
                                source_name=entry["name"], key=int(entry["key"]))
        data_vars[_summary_name(entry["name"], series_names)] = xr.Variable(SUMMARY_DIMS, entry["data"], attrs=attrs)
    coords = {"variant": _coordinate("variant", variants), "replication": _coordinate("replication", replications),
              "step": _coordinate("step", steps)}
    return xr.Dataset(data_vars, coords=coords, attrs=_netcdf_attrs(raw["attrs"]))


def _agent_datasets(raw: dict) -> Dict[str, xr.Dataset]:
    variants = np.asarray(raw["variants"], dtype=str)
    replications = np.arange(int(raw["attrs"]["replications"]), dtype=np.int64)
    out = {}
    for kind in raw["agents"]:
        data_vars = {
            entry["name"]: xr.Variable(AGENT_DIMS, entry["data"],
                                       attrs=_variable_attrs(entry["units"], entry["long_name"], entry["name"]))
            for entry in kind["variables"]
        }
        coords = {"variant": _coordinate("variant", variants),
                  "replication": _coordinate("replication", replications),
                  "step": _coordinate("step", np.asarray(kind["steps"], dtype=np.int64)),
                  "agent": _coordinate("agent", np.arange(int(kind["count"]), dtype=np.int64))}
        attrs = _netcdf_attrs(raw["attrs"])
        attrs["kind"] = kind["kind"]
        out[kind["kind"]] = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    return out


def run(scenario: Union["_core.Scenario", PathLike], seed: Optional[int] = None,
        replications: Optional[int] = None, threads: Optional[int] = None, steps: Optional[int] = None, *,
        agents: bool = False, agent_every: Optional[int] = None, output: Optional[PathLike] = None,
        progress: Optional[Callable[[int, int], None]] = None,
        profile: bool = False) -> Union[xr.Dataset, RunWithAgents]:
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
    profile:
        Time every part of the call as ``coordsim run --profile`` does (README "Scale"): the
        table (wall and CPU seconds per part, per phase and per mechanism step within each phase,
        parallel efficiency) is printed on stderr and kept as ``attrs["profile"]`` of the
        outcomes. The runs are then made one after another (each still uses every thread);
        the numbers are the same.

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
                    progress=progress, profile=bool(profile))
    if raw["failures"]:
        shown = "; ".join(raw["failures"][:5])
        warnings.warn(f"{len(raw['failures'])} run(s) failed and read as NaN: {shown}", RuntimeWarning,
                      stacklevel=2)
    outcomes = _outcomes_dataset(raw)
    if profile:
        print(raw["profile"], end="", file=sys.stderr)
        outcomes.attrs["profile"] = raw["profile"]
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


def _label_variables(series: xr.Dataset, summary: xr.Dataset) -> xr.Dataset:
    """Series and summaries of a file in one Dataset, attributes as :func:`run` gives them."""
    for name, variable in series.data_vars.items():
        variable.attrs = _file_variable_attrs(name, variable.attrs, group="series", source_name=name)
    renamed = {}
    for name, variable in summary.data_vars.items():
        extra = {"key": int(variable.attrs["key"])} if "key" in variable.attrs else {}
        variable.attrs = _file_variable_attrs(name, variable.attrs, group="summary", source_name=name, **extra)
        renamed[name] = _summary_name(name, set(series.data_vars))
    return xr.merge([series, summary.rename_vars(renamed)], combine_attrs="override")


def _file_variable_attrs(name: str, attrs: dict, **extra) -> dict:
    units = str(attrs.get("units_label", attrs.get("units", "")))
    return _variable_attrs(units, str(attrs.get("long_name", "")), name, **extra)


def _file_coordinate_attrs(dataset: xr.Dataset) -> None:
    for name in dataset.coords:
        if name in _COORD_ATTRS:
            dataset[name].attrs = dict(_COORD_ATTRS[name])


def load_results(path: PathLike, agents: bool = False) -> Union[xr.Dataset, RunWithAgents]:
    """A run's result file in the form :func:`run` returns (see :func:`open`, which also reads
    sweep files): series and summaries in one Dataset (summaries named like a series get
    ``_summary``), loaded into memory; with ``agents=True`` the pair ``(outcomes, {kind: Dataset})``."""
    groups = open_groups(path)
    outcomes = _label_variables(groups["series"], groups["summary"])
    _file_coordinate_attrs(outcomes)
    outcomes.attrs = _netcdf_attrs(root_attributes(path))
    if not agents:
        return outcomes
    kinds = {group.split("/", 1)[1]: ds for group, ds in groups.items() if group.startswith("agents/")}
    for kind, ds in kinds.items():
        for name, variable in ds.data_vars.items():
            variable.attrs = _file_variable_attrs(name, variable.attrs)
        _file_coordinate_attrs(ds)
        ds.attrs = _netcdf_attrs(ds.attrs)
        ds.attrs["kind"] = kind
    return RunWithAgents(outcomes, kinds)


def open_file(path: PathLike, agents: bool = False) -> Union[xr.Dataset, RunWithAgents]:
    """Read any coordsim result file into memory, in the form the call that made it returns.

    * a file of ``coordsim run`` (or ``run(..., output=...)``): what :func:`run` returns, one
      Dataset of series (variant, replication, step) and summaries (variant, replication);
      with ``agents=True`` the pair ``(outcomes, {kind: Dataset})`` (per-agent outcomes,
      dims variant, replication, step, agent), as ``run(..., agents=True)``;
    * a file of ``coordsim sweep`` / ``coordsim merge``: what :func:`sweep` returns, the same
      variables with a leading ``run`` dimension and the varied parameters as coordinates.

    Exported as ``coordsim.open``. Attributes follow CF (``Conventions``, UDUNITS ``units`` with
    the model's word in ``units_label``, ``valid_min``/``valid_max``, ``axis``; no booleans),
    so ``ds.to_netcdf(path)`` writes a file ``xarray.open_dataset`` reads back unchanged.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path}: no such result file")
    attrs = root_attributes(path)
    if attrs.get("kind") == "sweep":
        if agents:
            raise ValueError(f"{path}: a sweep file holds no per-agent outcomes; call coordsim.open(path)")
        with _open_sweep(path) as lazy:
            return lazy.load()
    return load_results(path, agents=agents)


# ---------------------------------------------------------------------------------------------
# Parameter sweeps

SWEEP_SERIES_DIMS = ("run",) + SERIES_DIMS
SWEEP_SUMMARY_DIMS = ("run",) + SUMMARY_DIMS

_GENERATORS = ("values", "linspace", "logspace", "range", "bounds")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_PLAIN_STRING = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_YAML_RESERVED = {"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no",
                  "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N"}
# What a generator written as a list means, in the order of the sweep file's mapping keys.
_GENERATOR_FIELDS = {"linspace": ("start", "stop", "num"), "logspace": ("start", "stop", "num"),
                     "range": ("start", "stop", "step")}


def _yaml_scalar(value, where: str) -> str:
    """One value as YAML, typed as Scenario.__setitem__ writes it (a str is always a string)."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if _PLAIN_STRING.match(value) and value not in _YAML_RESERVED else json.dumps(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isnan(number):
            return ".nan"
        if math.isinf(number):
            return ".inf" if number > 0 else "-.inf"
        return repr(number)
    raise TypeError(f"{where}: expected bool, int, float or str values, found {type(value).__name__} {value!r}")


def _yaml_list(values, where: str) -> str:
    return "[" + ", ".join(_yaml_scalar(v, f"{where}[{i}]") for i, v in enumerate(values)) + "]"


def _yaml_key(key) -> str:
    if not isinstance(key, str):
        raise TypeError(f"parameter names must be dotted paths (str), found {key!r}")
    return key if _PLAIN_KEY.match(key) and key not in _YAML_RESERVED else json.dumps(key)


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray, range))


def _generator_yaml(spec, design: str, where: str) -> str:
    """A parameter's generator as the sweep file's YAML (flow style)."""
    if isinstance(spec, dict):
        parts = []
        for name, args in spec.items():
            fields = _GENERATOR_FIELDS.get(name)
            if fields is not None and _is_list(args):
                if not 2 <= len(args) <= 3:
                    raise ValueError(f"{where}.{name}: expected [{', '.join(fields)}], found {list(args)!r}")
                args = dict(zip(fields, args))
            if isinstance(args, dict):
                value = "{" + ", ".join(f"{_yaml_key(k)}: {_yaml_scalar(v, f'{where}.{name}.{k}')}"
                                        for k, v in args.items()) + "}"
            elif _is_list(args):
                value = _yaml_list(args, f"{where}.{name}")
            else:
                value = _yaml_scalar(args, f"{where}.{name}")
            parts.append(f"{_yaml_key(name)}: {value}")
        return "{" + ", ".join(parts) + "}"
    if _is_list(spec):
        values = list(spec.tolist() if isinstance(spec, np.ndarray) else spec)
        return "{" + ("values" if design == "grid" else "bounds") + ": " + _yaml_list(values, where) + "}"
    raise TypeError(f"{where}: expected a list of values (grid), (low, high) bounds (lhs, saltelli) or a mapping "
                    f"like {{'linspace': [start, stop, num]}}, found {type(spec).__name__} {spec!r}")


def _parameters_yaml(parameters, design: str, indent: str = "  ", prefix: str = "") -> list:
    lines = []
    for key, spec in parameters.items():
        path = f"{prefix}{key}"
        if isinstance(spec, dict) and spec and not set(spec) & set(_GENERATORS):
            # A nested block, as in scenario and sweep files: {"lead": {"rank": [...]}}.
            lines.append(f"{indent}{_yaml_key(key)}:")
            lines += _parameters_yaml(spec, design, indent + "  ", path + ".")
        else:
            lines.append(f"{indent}{_yaml_key(key)}: {_generator_yaml(spec, design, f'parameters.{path}')}")
    return lines


def sweep_yaml(parameters: dict, design: str = "grid", replications: Optional[int] = None,
               samples: Optional[int] = None, seed: Optional[int] = None, variants=None,
               steps: Optional[int] = None, fail_on_nan: Optional[str] = None, *,
               trajectories: Optional[int] = None, levels: Optional[int] = None) -> str:
    """The sweep file (without ``base``) that :func:`sweep` runs for these arguments.

    Prepend ``base: SCENARIO.yaml`` and it is a file for ``coordsim sweep`` that gives the same
    results (the datasets bit for bit)."""
    if not isinstance(parameters, dict) or not parameters:
        raise TypeError("parameters must be a non-empty dict of dotted path -> values, e.g. "
                        "{'lead.rank': [0.3, 0.6, 0.9]}")
    if not isinstance(design, str):
        raise TypeError(f"design must be 'grid', 'lhs', 'saltelli' or 'morris', found {design!r}")
    lines = [f"design: {_yaml_scalar(design, 'design')}"]
    for name, value in (("samples", samples), ("trajectories", trajectories), ("levels", levels),
                        ("replications", replications), ("seed", seed), ("steps", steps)):
        if value is not None:
            lines.append(f"{name}: {_yaml_scalar(value, name)}")
    if variants is not None:
        if isinstance(variants, str):
            variants = [variants]
        lines.append(f"variants: {_yaml_list(list(variants), 'variants')}")
    if fail_on_nan is not None:
        lines.append(f"fail_on_nan: {_yaml_scalar(fail_on_nan, 'fail_on_nan')}")
    lines.append("parameters:")
    lines += _parameters_yaml(parameters, design)
    return "\n".join(lines) + "\n"


def _open_sweep(path: PathLike) -> xr.Dataset:
    """A sweep result file as one lazily opened Dataset (see :func:`sweep`, Returns)."""
    path = os.fspath(path)
    attrs = root_attributes(path)
    if attrs.get("kind") != "sweep":
        raise OutputError(f"{path!r} is not a sweep result file (kind = {attrs.get('kind')!r})")
    opened = []
    try:
        for group in ("series", "summary", None):
            opened.append(xr.open_dataset(path, group=group, engine="h5netcdf"))
        series, summary, root = opened
        labelled = _label_variables(series, summary)
        status = [name for name in ("run_status", "run_message", "run_seed") if name in root.variables]
        root = root[status].set_coords(status)
        merged = xr.merge([labelled, root], combine_attrs="override")
        _file_coordinate_attrs(merged)
    except BaseException:
        for dataset in opened:
            dataset.close()
        raise
    merged.attrs = _netcdf_attrs(attrs)

    def close():
        for dataset in opened:
            dataset.close()

    merged.set_close(close)
    return merged


def sweep(scenario: Union["_core.Scenario", PathLike], parameters: dict, design: str = "grid",
          replications: Optional[int] = None, samples: Optional[int] = None, seed: Optional[int] = None,
          variants=None, threads: Optional[int] = None, out: Optional[PathLike] = None, resume: bool = False,
          steps: Optional[int] = None, progress: Optional[Callable[[int, int], None]] = None, *,
          fail_on_nan: Optional[str] = None, trajectories: Optional[int] = None,
          levels: Optional[int] = None) -> xr.Dataset:
    """Run a parameter sweep and return it as one xarray Dataset (Mesa's ``batch_run``,
    Agents.jl's ``paramscan``), through the engine's sweep runner, as ``coordsim sweep``.

    ::

        sc = coordsim.Scenario.default()                             # the county (model society)
        ds = coordsim.sweep(sc, {"tasks.lead_rank": [0.3, 0.6, 0.9],
                                 "tasks.regime": ["outcome_only", "joint"]},
                            replications=5, steps=100)
        ds["share_on_time"].groupby("tasks__lead_rank").mean(...)      # mean over everything else
        ds.set_index(run=["tasks__lead_rank", "tasks__regime"]).sel(tasks__lead_rank=0.6)

        lhs = coordsim.sweep(sc, {"tasks.lead_rank": (0.1, 0.9), "tasks.participants": (10, 38)},
                             design="lhs", samples=64)
        screen = coordsim.sweep(sc, {"tasks.lead_rank": (0.1, 0.9), "choice.department_temperature": (0.05, 1.0)},
                                design="morris", trajectories=20, levels=4)
        coordsim.analysis.morris.morris(screen, "share_on_time")   # mu*, sigma per parameter

    The sweep is written as a sweep file without ``base`` (:func:`sweep_yaml` shows it) and
    validated by the same parser as ``coordsim sweep SWEEP.yaml`` against ``scenario``: every
    value, bound and design point is checked before anything runs, and invalid input raises
    :class:`coordsim.ScenarioError` whose ``key`` is the sweep file's key path
    (``parameters.lead.rnak``; file ``coordsim.sweep()``, no line numbers) with a "did you
    mean". For the same sweep, seed and scenario the data equal the command line's file bit for
    bit, for any thread count. The GIL is released while the runs go on (sim/SWEEPS.md has the
    design, seeds and failure rules).

    Parameters
    ----------
    scenario:
        The base :class:`coordsim.Scenario`, or the path of a scenario file. Not modified.
    parameters:
        Dotted path (``"lead.rank"``; nested dicts ``{"lead": {"rank": ...}}`` work too) ->
        what to vary. Accepted forms:

        * a list / tuple / NumPy array / ``range``: for ``design="grid"`` the values (a
          ``range`` excludes its stop, as in Python); for ``lhs`` / ``saltelli`` / ``morris``
          the bounds ``(low, high)``, inclusive;
        * a sweep-file generator as a one-key dict: ``{"values": [...]}``,
          ``{"linspace": [start, stop, num]}``, ``{"logspace": [start, stop, num]}`` (start and
          stop are the values, not exponents), ``{"range": [start, stop, step]}`` (stop
          included, as in sweep files), ``{"bounds": [low, high]}``; the mapping forms of the
          file (``{"linspace": {"start": 0, "stop": 1, "num": 5}}``) too.

        Values are typed as ``Scenario.__setitem__`` types them (a str is a string, so choices
        are given by name).
    design:
        ``"grid"`` (full factorial, first parameter varies slowest), ``"lhs"`` (Latin
        hypercube of ``samples`` points), ``"saltelli"`` (N = ``samples``: N·(k + 2) runs) or
        ``"morris"`` (elementary effects: ``trajectories`` r, r·(k + 1) runs).
    replications, seed, steps:
        Per design point; default the scenario's ``run.replications``, ``run.seed``,
        ``run.steps``. Point p gets the scenario seed ``run_seed[p]`` derived from ``seed``.
    samples:
        lhs: number of points; saltelli: N. Not for grid or morris.
    trajectories, levels:
        morris only (the sweep file's keys): the number of trajectories r and the even number of
        grid levels p (default 4). :func:`coordsim.analysis.morris.morris` estimates mu* and
        sigma from the result.
    variants:
        Names of the scenario's variants to run (default all; a variant that sets a varied
        parameter is refused, leave it out here).
    threads:
        Worker threads; None or 0 uses every core.
    out:
        None: the sweep is written to a temporary file, loaded into memory and the file deleted.
        A path: the HDF5 file ``coordsim sweep -o OUT`` writes stays there (its journal
        ``OUT.journal`` while it runs) and the Dataset is opened lazily from it (close it, or use
        ``with``); :func:`open_results` / :func:`open_groups` open its groups.
    resume:
        With ``out``: continue an interrupted sweep from ``OUT.journal`` (``--resume``). Without
        it an existing journal is an error.
    progress:
        ``progress(done, total)`` as runs finish (GIL held). An exception it raises is raised once
        the sweep is done.
    fail_on_nan:
        ``"key"`` (default), ``"all"`` or ``"none"``: which NaN summaries mark a run failed.

    Returns
    -------
    xarray.Dataset
        Series variables (run, variant, replication, step) and summaries (run, variant,
        replication) named as in :func:`run` (``attrs["group"]``, ``<name>_summary`` on a clash).
        Coordinates along ``run``: one per varied parameter, named by its dotted path with ``.``
        replaced by ``__`` (``lead.rank`` -> ``lead__rank``, as in the file; ``attrs["parameter"]``
        holds the dotted path; choices are strings, booleans int8 0/1), ``run_status`` (1 ok,
        2 failed), ``run_message``, ``run_seed``, for saltelli ``saltelli_block`` /
        ``saltelli_row`` and for morris ``morris_trajectory`` / ``morris_step``. ``attrs`` are
        the file's root attributes (``sweep`` is the sweep text, ``parameters`` the dotted
        paths), so :func:`coordsim.analysis.sensitivity` and :mod:`coordsim.analysis.morris`
        read it.

    Failed runs (the model threw, or NaN in a key summary) keep what they recorded, have
    ``run_status == 2`` and trigger a RuntimeWarning naming them; ``ds.where(ds.run_status == 1)``
    drops them.
    """
    if not isinstance(scenario, _core.Scenario):
        scenario = _core.Scenario.load(scenario)
    text = sweep_yaml(parameters, design=design, replications=replications, samples=samples, seed=seed,
                      variants=variants, steps=steps, fail_on_nan=fail_on_nan, trajectories=trajectories,
                      levels=levels)
    if resume and out is None:
        raise ValueError("resume=True continues the sweep of an out= file; give out=")
    threads = 0 if threads is None else int(threads)
    if out is None:
        _core.check_sweep(scenario, text)  # invalid input raises before a temporary folder exists
        folder = tempfile.mkdtemp(prefix="coordsim-sweep-")
        try:
            path = os.path.join(folder, "sweep.h5")
            raw = _core.sweep(scenario, text, output=path, threads=threads, progress=progress)
            with _open_sweep(path) as lazy:
                result = lazy.load()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    else:
        raw = _core.sweep(scenario, text, output=os.fspath(out), threads=threads, resume=bool(resume),
                          progress=progress)
        result = _open_sweep(out)
    if raw["failed"]:
        shown = "; ".join(raw["failures"][:5])
        warnings.warn(f"{raw['failed']} of {raw['runs']} sweep run(s) failed (run_status == 2): {shown}",
                      RuntimeWarning, stacklevel=2)
    return result
