"""coordsim.analysis: compare mechanisms, Sobol sensitivity, calibration posteriors, plots and an HTML report.

Works on what :func:`coordsim.run` and :func:`coordsim.load_results` return (xarray Datasets
with dims variant, replication, step); needs only numpy, pandas, xarray, scipy and matplotlib,
not the compiled engine. The source lives in ``analysis/coordsim_analysis/``; the build copies
it to ``<build>/python/coordsim/analysis/``.
"""
from .compare import (bootstrap_mean_interval, compare, key_outcomes, outcome_values, parameter_effects, summarize,
                      sweep_cells, valid_range)
from .plots import plot_agent_distributions, plot_effects, plot_heatmap, plot_series
from . import morris, posterior
from .sensitivity import block_labels, ishigami, saltelli_design, sensitivity, sobol_indices

__all__ = [
    "block_labels", "bootstrap_mean_interval", "compare", "ishigami", "key_outcomes", "morris", "outcome_values",
    "parameter_effects", "posterior", "sweep_cells", "valid_range",
    "plot_agent_distributions", "plot_effects", "plot_heatmap", "plot_series", "saltelli_design", "sensitivity",
    "sobol_indices", "summarize", "write_report",
]


def write_report(*args, **kwargs):
    """See :func:`coordsim.analysis.report.write_report`."""
    from .report import write_report as write

    return write(*args, **kwargs)
