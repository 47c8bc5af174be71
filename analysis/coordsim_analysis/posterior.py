"""Posterior of an ABC-SMC calibration (``coordsim calibrate``, sim/CALIBRATION.md).

Works on the calibration file opened with xarray (or what :func:`coordsim.calibrate` returns):
the last generation's particles with their importance weights are the posterior sample.

- :func:`summary`: weighted mean, sd, median and equal-tailed credible interval per parameter;
- :func:`weighted_quantile`: the quantiles of a weighted sample (inverse of its CDF);
- :func:`plot_marginals`, :func:`plot_pairs`: weighted histograms and pairwise scatter plots;
- :func:`predictive_check`: simulates the base scenario at parameter values drawn from the
  posterior (through the compiled engine) and computes each target as the calibration does;
  :func:`plot_predictive` shows those against the observed values or intervals.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd
import xarray as xr


def particles(ds: xr.Dataset, generation: int = -1) -> xr.Dataset:
    """One generation's population (the posterior for the last one), weights summing to 1."""
    return ds.isel(generation=generation)


def weighted_quantile(values, weights, q):
    """Quantiles of a weighted sample: the smallest value whose cumulative weight reaches q
    (the inverse of the weighted empirical CDF; with equal weights numpy's 'inverted_cdf')."""
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    order = np.argsort(x, kind="stable")
    cumulative = np.cumsum(w[order])
    cumulative /= cumulative[-1]
    q = np.atleast_1d(np.asarray(q, dtype=float))
    # A small allowance so that q = k/n with equal weights is not pushed past its value by rounding.
    index = np.searchsorted(cumulative, q - 1e-12, side="left")
    out = x[order][np.minimum(index, len(x) - 1)]
    return out if out.size > 1 else out[0]


def summary(ds: xr.Dataset, level: float = 0.9, generation: int = -1) -> pd.DataFrame:
    """Per parameter: weighted mean, sd, median, the equal-tailed credible interval of ``level``,
    and the prior's support."""
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), found {level!r}")
    pop = particles(ds, generation)
    w = pop["weight"].values
    rows = []
    for name in pop["parameter"].values:
        x = pop["value"].sel(parameter=name).values
        mean = float(np.sum(w * x) / np.sum(w))
        sd = float(np.sqrt(np.sum(w * (x - mean) ** 2) / np.sum(w)))
        low, median, high = weighted_quantile(x, w, [(1 - level) / 2, 0.5, (1 + level) / 2])
        rows.append({"parameter": str(name), "mean": mean, "sd": sd, "median": float(median),
                     "low": float(low), "high": float(high),
                     "prior_low": float(ds["prior_low"].sel(parameter=name)),
                     "prior_high": float(ds["prior_high"].sel(parameter=name))})
    return pd.DataFrame(rows).set_index("parameter")


def plot_marginals(ds: xr.Dataset, generation: int = -1, bins: int = 20, level: float = 0.9):
    """Weighted histogram of each parameter over its prior's support, with the credible interval."""
    import matplotlib.pyplot as plt

    pop = particles(ds, generation)
    table = summary(ds, level, generation)
    names = list(pop["parameter"].values)
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 2.8), squeeze=False)
    for ax, name in zip(axes[0], names):
        row = table.loc[str(name)]
        ax.hist(pop["value"].sel(parameter=name).values, bins=bins, range=(row["prior_low"], row["prior_high"]),
                weights=pop["weight"].values, density=True, color="#4c72b0", alpha=0.8)
        ax.axvspan(row["low"], row["high"], color="#dd8452", alpha=0.2, label=f"{int(level * 100)}% interval")
        ax.axvline(row["mean"], color="#dd8452", label="mean")
        ax.set_xlabel(str(name))
    axes[0][0].set_ylabel("posterior density")
    axes[0][0].legend(fontsize="small")
    fig.tight_layout()
    return fig


def plot_pairs(ds: xr.Dataset, generation: int = -1):
    """Pairwise scatter plots of the parameters, point area proportional to weight."""
    import matplotlib.pyplot as plt

    pop = particles(ds, generation)
    names = list(pop["parameter"].values)
    k = len(names)
    w = pop["weight"].values
    size = 400 * w / w.max() * (20 / len(w)) + 2
    fig, axes = plt.subplots(k, k, figsize=(2.6 * k, 2.6 * k), squeeze=False)
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            ax = axes[i][j]
            if i == j:
                ax.hist(pop["value"].sel(parameter=a).values, bins=20, weights=w, color="#4c72b0")
            else:
                ax.scatter(pop["value"].sel(parameter=b).values, pop["value"].sel(parameter=a).values, s=size,
                           alpha=0.5, color="#4c72b0")
            if i == k - 1:
                ax.set_xlabel(str(b))
            if j == 0:
                ax.set_ylabel(str(a))
    fig.tight_layout()
    return fig


def target_value(result: xr.Dataset, outcome: str, statistic: str, variant: str, effect: bool, base_variant: str):
    """A target computed from a run's outcomes (``coordsim.run``) as the calibration computes it:
    per replication the summary, or the mean/final/max of the series over the steps, in
    ``variant`` (minus the same in ``base_variant`` for an effect); then the mean over replications."""
    if statistic == "summary":
        candidates = [n for n in (outcome, outcome + "_summary") if n in result and "step" not in result[n].dims]
        if not candidates:
            raise KeyError(f"no summary outcome {outcome!r} in the run")
        data = result[candidates[0]]
    else:
        series = result[outcome]
        data = {"mean": series.mean("step"), "final": series.isel(step=-1), "max": series.max("step")}[statistic]
    value = data.sel(variant=variant)
    if effect:
        value = value - data.sel(variant=base_variant)
    return float(value.mean("replication"))


def predictive_check(ds: xr.Dataset, draws: int = 20, seed: int = 0, replications: Optional[int] = None,
                     threads: Optional[int] = None, particle_seeds: bool = False) -> xr.Dataset:
    """Posterior predictive check: draw ``draws`` particles of the last generation with
    probability proportional to their weights (numpy, ``seed``), simulate the base scenario of
    the calibration at their parameter values through the engine, and compute every target.

    With ``particle_seeds`` each draw is simulated with the particle's own seed (and the
    calibration's replications), which reproduces the calibration's ``simulated`` values; by
    default each draw gets a fresh seed, so the spread includes new simulation noise.

    Returns a Dataset over (draw, target): ``simulated``, the drawn ``particle`` and ``value``
    (draw, parameter), and the targets' ``observed_low``/``observed_high``."""
    import coordsim

    pop = particles(ds)
    rng = np.random.default_rng(seed)
    w = pop["weight"].values
    chosen = rng.choice(len(w), size=draws, replace=True, p=w / w.sum())
    scenario_text = ds.attrs["scenario"]
    variants = ds.attrs["variants"]
    variants = [variants] if isinstance(variants, str) else list(variants)
    reps = int(ds.attrs["replications"]) if replications is None else int(replications)
    steps = int(ds.attrs["steps"])
    names = [str(n) for n in pop["parameter"].values]
    simulated = np.empty((draws, ds.sizes["target"]))
    for d, index in enumerate(chosen):
        scenario = coordsim.Scenario.from_yaml(scenario_text, "calibration scenario")
        for name in names:
            scenario[name] = float(pop["value"].sel(parameter=name).values[index])
        run_seed = int(pop["particle_seed"].values[index]) if particle_seeds else int(rng.integers(0, 2 ** 63))
        result = coordsim.run(scenario, seed=run_seed, replications=reps, steps=steps, threads=threads)
        for t in range(ds.sizes["target"]):
            simulated[d, t] = target_value(result, str(ds["target_outcome"].values[t]),
                                           str(ds["target_statistic"].values[t]), str(ds["target_variant"].values[t]),
                                           bool(ds["target_effect"].values[t]), variants[0])
    return xr.Dataset(
        {"simulated": (("draw", "target"), simulated),
         "particle": (("draw",), chosen),
         "value": (("draw", "parameter"), pop["value"].values[chosen]),
         "observed_low": (("target",), ds["observed_low"].values),
         "observed_high": (("target",), ds["observed_high"].values)},
        coords={"draw": np.arange(draws), "target": ds["target"].values, "parameter": ds["parameter"].values})


def plot_predictive(check: xr.Dataset):
    """Each target's simulated values from :func:`predictive_check` (points and box) against its
    observed value (line) or interval (band)."""
    import matplotlib.pyplot as plt

    targets = list(check["target"].values)
    fig, axes = plt.subplots(1, len(targets), figsize=(2.6 * len(targets), 3.0), squeeze=False)
    for ax, name in zip(axes[0], targets):
        y = check["simulated"].sel(target=name).values
        ax.boxplot(y[np.isfinite(y)], widths=0.5)
        ax.scatter(np.full(len(y), 1.0) + np.linspace(-0.15, 0.15, len(y)), y, s=8, color="#4c72b0", zorder=3)
        low, high = float(check["observed_low"].sel(target=name)), float(check["observed_high"].sel(target=name))
        if low == high:
            ax.axhline(low, color="#c44e52", label="observed")
        else:
            ax.axhspan(low, high, color="#c44e52", alpha=0.25, label="observed")
        ax.set_title(str(name), fontsize="small")
        ax.set_xticks([])
    axes[0][0].legend(fontsize="small")
    fig.tight_layout()
    return fig
