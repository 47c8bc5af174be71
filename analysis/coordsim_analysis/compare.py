"""Comparing mechanisms: paired differences between variants with bootstrap intervals.

Variants of one replication share random numbers (same seed key, same draw for the same agent
and purpose), so the difference between two mechanisms is estimated run by run: for each
replication r, ``d_r = y[variant, r] - y[baseline, r]``. Pairing removes the variation the
variants share, which makes intervals much narrower than comparing two independent means.

Intervals are percentile bootstraps of the mean paired difference (resampling replications,
fixed-seed ``numpy.random.Generator``, so a table is reproducible). The effect size is Cohen's
d for paired data (often written d_z): mean difference / standard deviation of the differences.
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd
import xarray as xr

DEFAULT_SEED = 20240612
DEFAULT_BOOTSTRAP = 4000

StepChoice = Union[str, int, None]


def outcome_values(data: Union[xr.Dataset, xr.DataArray], outcome: Optional[str] = None,
                   step: StepChoice = "last") -> xr.DataArray:
    """One outcome as a (variant, replication) DataArray.

    Summaries are used as they are. Series (with a ``step`` dimension) are reduced: ``step=
    "last"`` (default) takes the final step, ``"mean"`` averages over steps, an int selects that
    step by its coordinate value.
    """
    array = data if isinstance(data, xr.DataArray) else data[outcome]
    if "step" in array.dims:
        if step == "last":
            array = array.isel(step=-1)
        elif step == "mean":
            array = array.mean("step", keep_attrs=True)
        elif isinstance(step, (int, np.integer)) and not isinstance(step, bool):
            array = array.sel(step=int(step))
        else:
            raise ValueError(f"step must be 'last', 'mean' or a step number, found {step!r}")
    extra = [dim for dim in array.dims if dim not in ("variant", "replication")]
    if extra:
        raise ValueError(f"outcome {array.name!r} has dimensions {extra} besides (variant, replication); "
                         "select or reduce them first")
    return array.transpose("variant", "replication")


def bootstrap_mean_interval(values: np.ndarray, level: float = 0.95, n_boot: int = DEFAULT_BOOTSTRAP,
                            seed: int = DEFAULT_SEED) -> tuple:
    """Percentile bootstrap interval of the mean of `values` (NaNs dropped): (low, high)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return (np.nan, np.nan)
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), found {level}")
    rng = np.random.default_rng(seed)
    means = np.empty(n_boot)
    # Batches keep memory bounded for many replications.
    batch = max(1, min(n_boot, 2_000_000 // max(values.size, 1)))
    for start in range(0, n_boot, batch):
        stop = min(n_boot, start + batch)
        index = rng.integers(0, values.size, size=(stop - start, values.size))
        means[start:stop] = values[index].mean(axis=1)
    alpha = 1.0 - level
    low, high = np.quantile(means, [alpha / 2.0, 1.0 - alpha / 2.0])
    return (float(low), float(high))


def _paired_row(treatment: np.ndarray, baseline: np.ndarray, level: float, n_boot: int, seed: int) -> dict:
    both = np.isfinite(treatment) & np.isfinite(baseline)
    differences = treatment[both] - baseline[both]
    n = int(differences.size)
    row = {"n": n, "mean": np.nan, "baseline_mean": np.nan, "difference": np.nan, "ci_low": np.nan,
           "ci_high": np.nan, "sd_difference": np.nan, "cohens_d": np.nan}
    if n == 0:
        return row
    row["mean"] = float(treatment[both].mean())
    row["baseline_mean"] = float(baseline[both].mean())
    row["difference"] = float(differences.mean())
    row["ci_low"], row["ci_high"] = bootstrap_mean_interval(differences, level, n_boot, seed)
    if n > 1:
        sd = float(differences.std(ddof=1))
        row["sd_difference"] = sd
        with np.errstate(divide="ignore", invalid="ignore"):
            # Identical runs (sd 0, difference 0) give NaN; a constant non-zero shift gives +-inf.
            row["cohens_d"] = float(np.divide(row["difference"], sd))
    return row


def compare(data: Union[xr.Dataset, xr.DataArray], outcome: Union[str, Sequence[str], None] = None,
            baseline: Optional[str] = None, *, step: StepChoice = "last", level: float = 0.95,
            n_boot: int = DEFAULT_BOOTSTRAP, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Paired differences of every variant to a baseline, with bootstrap CIs and effect sizes.

    Parameters
    ----------
    data:
        What :func:`coordsim.run` or :func:`coordsim.load_results` returns (or one of its
        DataArrays), with dims ``variant`` and ``replication`` (and maybe ``step``).
    outcome:
        Variable name, or several (rows are stacked). Needed unless `data` is a DataArray.
    baseline:
        Variant to compare against; default the first (the scenario's baseline).
    step:
        For series: ``"last"`` (default), ``"mean"`` over steps, or a step number.
    level, n_boot, seed:
        Confidence level, bootstrap resamples and the Generator seed (fixed: same table twice).

    Returns
    -------
    pandas.DataFrame
        One row per (outcome, variant other than the baseline): ``outcome, variant, baseline,
        n`` (complete pairs), ``mean, baseline_mean`` (over those pairs), ``difference`` (mean
        paired difference variant - baseline), ``ci_low, ci_high`` (percentile bootstrap),
        ``sd_difference``, ``cohens_d`` (difference / sd_difference), ``units``.
    """
    if isinstance(data, xr.DataArray):
        outcomes: Iterable = [data.name if outcome is None else outcome]
    elif outcome is None:
        raise ValueError("name the outcome to compare, e.g. compare(ds, 'share_on_time')")
    else:
        outcomes = [outcome] if isinstance(outcome, str) else list(outcome)
    rows = []
    for name in outcomes:
        array = outcome_values(data, None if isinstance(data, xr.DataArray) else name, step)
        variants = [str(v) for v in array["variant"].values]
        reference = variants[0] if baseline is None else baseline
        if reference not in variants:
            raise ValueError(f"baseline {reference!r} is not a variant; variants: {', '.join(variants)}")
        values = np.asarray(array.values, dtype=float)
        base = values[variants.index(reference)]
        for index, variant in enumerate(variants):
            if variant == reference:
                continue
            row = {"outcome": name, "variant": variant, "baseline": reference}
            row.update(_paired_row(values[index], base, level, n_boot, seed))
            row["units"] = array.attrs.get("units", "")
            rows.append(row)
    columns = ["outcome", "variant", "baseline", "n", "mean", "baseline_mean", "difference", "ci_low", "ci_high",
               "sd_difference", "cohens_d", "units"]
    return pd.DataFrame(rows, columns=columns)


def summarize(data: Union[xr.Dataset, xr.DataArray], outcome: Union[str, Sequence[str], None] = None, *,
              step: StepChoice = "last", level: float = 0.95) -> pd.DataFrame:
    """Mean and Student-t confidence interval of an outcome per variant (as the command line's
    table): columns ``outcome, variant, n, mean, sd, ci_low, ci_high, units``."""
    from scipy import stats

    if isinstance(data, xr.DataArray):
        outcomes: Iterable = [data.name if outcome is None else outcome]
    elif outcome is None:
        raise ValueError("name the outcome, e.g. summarize(ds, 'share_on_time')")
    else:
        outcomes = [outcome] if isinstance(outcome, str) else list(outcome)
    rows = []
    for name in outcomes:
        array = outcome_values(data, None if isinstance(data, xr.DataArray) else name, step)
        for variant, values in zip(array["variant"].values, np.asarray(array.values, dtype=float)):
            finite = values[np.isfinite(values)]
            n = int(finite.size)
            mean = float(finite.mean()) if n else np.nan
            sd = float(finite.std(ddof=1)) if n > 1 else np.nan
            if n > 1:
                half = float(stats.t.ppf(0.5 + level / 2.0, n - 1)) * sd / np.sqrt(n)
                low, high = mean - half, mean + half
            else:
                low = high = mean
            rows.append({"outcome": name, "variant": str(variant), "n": n, "mean": mean, "sd": sd, "ci_low": low,
                         "ci_high": high, "units": array.attrs.get("units", "")})
    return pd.DataFrame(rows, columns=["outcome", "variant", "n", "mean", "sd", "ci_low", "ci_high", "units"])


def key_outcomes(data: xr.Dataset) -> list:
    """Summary variables marked ``key`` (those in the command line's comparison table)."""
    return [name for name, variable in data.data_vars.items()
            if "step" not in variable.dims and int(variable.attrs.get("key", 0)) == 1]
