"""coordsim from Python: scenarios, runs and results as xarray, for notebooks.

A thin layer over the compiled engine (``coordsim._core``), the same library calls as the
``coordsim`` command line::

    import coordsim
    sc = coordsim.Scenario.default()            # scenarios/county.yaml
    sc["lead.rank"] = 0.9                        # validated like --set lead.rank=0.9
    ds = coordsim.run(sc, replications=4, steps=100)
    ds["items_on_time"].mean("replication").plot.line(x="step", hue="variant")
    coordsim.analysis.compare(ds, "share_on_time")
    sw = coordsim.sweep(sc, {"lead.rank": [0.3, 0.6, 0.9]}, replications=4, steps=100)
    sw["share_on_time"].groupby("lead__rank").mean(...)

Results: :func:`run` returns an :class:`xarray.Dataset` with series variables (variant,
replication, step) and summaries (variant, replication); ``agents=True`` adds per-agent
Datasets. :func:`sweep` runs a parameter sweep (grid, Latin hypercube, Saltelli) through the
engine's sweep runner and returns one Dataset with a ``run`` dimension and the varied parameters
as coordinates along it (``lead.rank`` -> ``lead__rank``). :func:`open_results` / :func:`open_groups` / :func:`load_results` read files written
by ``coordsim run`` (or ``run(..., output=...)``), :func:`open_sweep` those of ``coordsim sweep`` —
also files written by an executable of one's own built on the engine (README, "Your own model"). :mod:`coordsim.analysis` compares mechanisms,
computes Sobol indices and draws plots; ``python3 -m coordsim.report OUT.h5 -o DIR`` writes
an HTML report.
"""
from __future__ import annotations

from typing import Optional

from . import _core
from ._core import (FORMAT_VERSION, OutputError, Scenario, ScenarioError, __commit__, __version__, models,
                    parameter_specs)
from ._results import (RunWithAgents, load_results, open_groups, open_results, open_sweep, result_groups,
                       root_attributes, run, sweep, sweep_yaml)

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


def __getattr__(name):
    # coordsim.analysis pulls in pandas/scipy; import it on first use only.
    if name == "analysis":
        import importlib

        return importlib.import_module(".analysis", __name__)
    raise AttributeError(f"module 'coordsim' has no attribute {name!r}")


__all__ = [
    "FORMAT_VERSION", "OutputError", "RunWithAgents", "Scenario", "ScenarioError", "__commit__", "__version__", "analysis", "info",
    "load_results", "models", "open_groups", "open_results", "open_sweep", "parameter_specs", "params", "result_groups",
    "root_attributes", "run", "sweep", "sweep_yaml",
]
