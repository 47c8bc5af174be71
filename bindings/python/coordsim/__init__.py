"""coordsim from Python: scenarios, runs and results as xarray, for notebooks.

A thin layer over the compiled engine (``coordsim._core``), the same library calls as the
``coordsim`` command line::

    import coordsim
    sc = coordsim.Scenario.default()            # scenarios/county.yaml (model society)
    sc["variants.high_rank_lead.tasks.lead_rank"] = 0.8   # one variant; sc["tasks.lead_rank"] sets every one
    ds = coordsim.run(sc, replications=4, steps=100)
    ds["items_overdue"].mean("replication").plot.line(x="step", hue="variant")
    coordsim.analysis.compare(ds, "share_on_time")
    ds.coordsim.summary()                        # tidy: one row per variant x replication
    ds.to_netcdf("county.nc")                     # CF attributes, no booleans
    coordsim.open("county.h5")                   # a file of `coordsim run` / `coordsim sweep`
    coordsim.explore(sc)                         # sliders and live plots (notebook or browser)
    sw = coordsim.sweep(sc, {"tasks.lead_rank": [0.3, 0.6, 0.9]}, replications=4, steps=100)
    sw["share_on_time"].groupby("tasks__lead_rank").mean(...)

Results: :func:`run` returns an :class:`xarray.Dataset` with series variables (variant,
replication, step) and summaries (variant, replication); ``agents=True`` adds per-agent
Datasets. :func:`sweep` runs a parameter sweep (grid, Latin hypercube, Saltelli) through the
engine's sweep runner and returns one Dataset with a ``run`` dimension and the varied parameters
as coordinates along it (``tasks.lead_rank`` -> ``tasks__lead_rank``). :func:`open` reads any result file
into what :func:`run` or :func:`sweep` returned for it (:func:`open_results` opens one HDF5 group
lazily). ``ds.coordsim.summary()`` / ``ds.coordsim.series()`` give tidy pandas frames.
:func:`explore` starts the interactive explorer. :mod:`coordsim.analysis` compares mechanisms,
computes Sobol indices and draws plots; ``python3 -m coordsim.report OUT.h5 -o DIR`` writes
an HTML report.
"""
from __future__ import annotations

from typing import Optional

from . import _core
from ._calibrate import calibrate
from ._core import (FORMAT_VERSION, OutputError, Scenario, ScenarioError, __commit__, __version__, models,
                    parameter_specs)
from ._frames import series_frame, summary_frame
from ._labels import load_labels, scenario_labels
from ._results import (RunWithAgents, load_results, open_groups, open_results, result_groups, root_attributes, run,
                       sweep, sweep_yaml)
from ._results import open_file as open  # noqa: A001  (coordsim.open, like xarray.open_dataset)

# Tracebacks and reprs show the public names.
for _public in (Scenario, ScenarioError, OutputError):
    _public.__module__ = "coordsim"
del _public


def params(model: Optional[str] = None):
    """A model's parameters as a pandas DataFrame indexed by dotted path: type, default, unit,
    minimum, maximum, choices, description (what ``coordsim params MODEL`` prints). Without a
    model: the model of the default scenario."""
    import pandas as pd

    return pd.DataFrame(parameter_specs(model)).set_index("path")


def info(path) -> str:
    """A plain-words description of a result file (what ``coordsim info FILE`` prints)."""
    return _core.describe(path)


def explore(scenario=None, **options):
    """The interactive explorer for `scenario` (a Scenario or a file; default the county).

    In a notebook: starts the local server (127.0.0.1) and returns an object that shows the
    page inline (an IFrame). Elsewhere: see ``coordsim explore --help``. Options are those of
    :func:`coordsim.explorer.serve` (``port``, ``replications``, ``steps``, ``threads``)."""
    from .explorer import explore_inline

    return explore_inline(scenario, **options)


def __getattr__(name):
    # coordsim.analysis pulls in pandas/scipy; import it on first use only.
    if name == "analysis":
        import importlib

        return importlib.import_module(".analysis", __name__)
    raise AttributeError(f"module 'coordsim' has no attribute {name!r}")


__all__ = [
    "FORMAT_VERSION", "OutputError", "RunWithAgents", "Scenario", "ScenarioError", "__commit__", "__version__", "analysis",
    "calibrate", "explore", "info", "load_labels", "load_results", "models", "open", "open_groups", "open_results", "parameter_specs",
    "params", "result_groups", "root_attributes", "run", "scenario_labels", "series_frame", "summary_frame", "sweep",
    "sweep_yaml",
]
