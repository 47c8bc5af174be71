"""Comparing mechanisms: paired differences between variants with bootstrap intervals.

Variants of one replication share random numbers (same seed key, same draw for the same agent
and purpose), so the difference between two mechanisms is estimated run by run: for each
replication r, ``d_r = y[variant, r] - y[baseline, r]``. Pairing removes the variation the
variants share, which makes intervals much narrower than comparing two independent means.

Intervals are percentile bootstraps of the mean paired difference (resampling replications,
fixed-seed ``numpy.random.Generator``, so a table is reproducible). The effect size is Cohen's
d for paired data (often written d_z): mean difference / standard deviation of the differences.
It is undefined (NaN, shown as "—") when that standard deviation is at the level of floating-point
rounding of the values: a deterministic difference has no spread to measure it against.
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence, Union

import warnings

import numpy as np
import pandas as pd
import xarray as xr

DEFAULT_SEED = 20240612
DEFAULT_BOOTSTRAP = 4000

StepChoice = Union[str, int, None]

# Relative size of rounding noise in a difference of two doubles summed over a run: an sd of the
# paired differences below NOISE x (largest |value|) is no spread at all.
NOISE = 1e-12


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest of `choices`, or ''."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def variable(data: xr.Dataset, name: str) -> xr.DataArray:
    """``data[name]``, with an error that lists near names when there is no such variable."""
    if name in data.variables:
        return data[name]
    names = list(data.data_vars)
    raise KeyError(f"no outcome {name!r} in the data{did_you_mean(name, list(data.variables))}; "
                   f"{len(names)} outcomes, e.g. {', '.join(names[:6])}")


def units_of(array: xr.DataArray) -> str:
    """The model's unit word of an outcome (``count``, ``h``, ``1``): ``units_label``, else ``units``."""
    return str(array.attrs.get("units_label", array.attrs.get("units", "")))


def valid_range(array: xr.DataArray) -> tuple:
    """(low, high) the outcome can take: ``valid_min``/``valid_max`` when present (coordsim.run
    and coordsim.open set them from the units), else derived from units and name."""
    from coordsim._units import valid_range as from_units

    low, high = from_units(str(array.name or ""), units_of(array), str(array.attrs.get("long_name", "")))
    return (float(array.attrs.get("valid_min", low)), float(array.attrs.get("valid_max", high)))


def check_variant(array: xr.DataArray, name: str, what: str = "variant") -> None:
    variants = [str(v) for v in array["variant"].values]
    if name not in variants:
        raise ValueError(f"{what} {name!r} is not a variant{did_you_mean(name, variants)}; "
                         f"variants: {', '.join(variants)}")


def outcome_values(data: Union[xr.Dataset, xr.DataArray], outcome: Optional[str] = None,
                   step: StepChoice = "last") -> xr.DataArray:
    """One outcome as a (variant, replication) DataArray.

    Summaries are used as they are. Series (with a ``step`` dimension) are reduced: ``step=
    "last"`` (default) takes the final step, ``"mean"`` averages over steps, an int selects that
    step by its coordinate value.
    """
    array = data if isinstance(data, xr.DataArray) else variable(data, outcome)
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
                         "select or reduce them first (a sweep: ds.isel(run=0), or "
                         "coordsim.analysis.parameter_effects for the effect of its parameters)")
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
        scale = float(max(np.abs(treatment[both]).max(), np.abs(baseline[both]).max()))
        # A constant shift (sd 0 or rounding noise) has no effect size: NaN, not +-1e15.
        if sd > NOISE * scale:
            row["cohens_d"] = row["difference"] / sd
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
        ``sd_difference``, ``cohens_d`` (difference / sd_difference; NaN when sd_difference is
        below rounding noise, 1e-12 of the largest value: a deterministic shift), ``units``.
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
        check_variant(array, reference, "baseline")
        values = np.asarray(array.values, dtype=float)
        base = values[variants.index(reference)]
        for index, variant in enumerate(variants):
            if variant == reference:
                continue
            row = {"outcome": name, "variant": variant, "baseline": reference}
            row.update(_paired_row(values[index], base, level, n_boot, seed))
            row["units"] = units_of(array)
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
                         "ci_high": high, "units": units_of(array)})
    return pd.DataFrame(rows, columns=["outcome", "variant", "n", "mean", "sd", "ci_low", "ci_high", "units"])


_RUN_COORDS = ("run", "run_status", "run_message", "run_seed", "saltelli_block", "saltelli_row")


def sweep_coordinate(data: Union[xr.Dataset, xr.DataArray], name: str) -> str:
    """The coordinate of a swept parameter, by dotted path (``lead.rank``) or coordinate name
    (``lead__rank``); an error with a did-you-mean otherwise."""
    for candidate in (name, name.replace(".", "__")):
        if candidate in data.coords:
            return candidate
    swept = [c for c in data.coords if "run" in data[c].dims and c not in _RUN_COORDS]
    dotted = [str(data[c].attrs.get("parameter", c.replace("__", "."))) for c in swept]
    raise KeyError(f"{name!r} is not a swept parameter{did_you_mean(name, dotted)}; swept: {', '.join(dotted)}")


def sweep_cells(data: Union[xr.Dataset, xr.DataArray], outcome: Optional[str], x: str, y: Optional[str] = None, *,
                variant: Optional[str] = None, step="last") -> pd.DataFrame:
    """One row per design point of a sweep: the swept parameters `x` (and `y`) and the outcome
    averaged over replications, for one variant (default the first), failed runs left out.
    Series are reduced over steps as in :func:`coordsim.analysis.compare` (default last step)."""
    array = data if isinstance(data, xr.DataArray) else variable(data, outcome)
    if "run" not in array.dims:
        raise ValueError(f"{array.name!r} has no run dimension: not a sweep")
    if "variant" in array.dims:
        chosen = str(array["variant"].values[0]) if variant is None else variant
        check_variant(array, chosen)
        array = array.sel(variant=chosen)
    if "step" in array.dims:
        array = array.isel(step=-1) if step == "last" else array.mean("step") if step == "mean" \
            else array.sel(step=int(step))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a point whose every replication failed
        values = array.mean("replication") if "replication" in array.dims else array
    names = [sweep_coordinate(data, x)] + ([sweep_coordinate(data, y)] if y is not None else [])
    frame = pd.DataFrame({name: data[name].values for name in names})
    frame[array.name or outcome] = values.values
    if "run_status" in data.coords:
        frame = frame[np.asarray(data["run_status"].values) == 1]
    return frame


def parameter_effects(data: xr.Dataset, outcome: str, *, variant: Optional[str] = None, step="last",
                      level: float = 0.95) -> pd.DataFrame:
    """Main effect of each swept parameter of a sweep on an outcome: for every value of the
    parameter, the mean over the design points having it (other parameters averaged), with a
    Student-t CI over those points. Columns ``parameter, value, n, mean, ci_low, ci_high, units``.
    For lhs/saltelli designs (values all distinct) the values are binned into quintiles."""
    from scipy import stats

    array = variable(data, outcome)
    swept = [c for c in data.coords if "run" in data[c].dims and c not in _RUN_COORDS]
    rows = []
    for coordinate in swept:
        cells = sweep_cells(data, outcome, coordinate, variant=variant, step=step)
        values = cells[coordinate]
        if values.nunique() > 8 and np.issubdtype(values.dtype, np.number):
            values = pd.qcut(values, 5, duplicates="drop").map(lambda i: float(i.mid)).astype(float)
        for value, group in cells.groupby(values, sort=True):
            y = group[array.name].to_numpy(dtype=float)
            y = y[np.isfinite(y)]
            n = int(y.size)
            mean = float(y.mean()) if n else np.nan
            half = float(stats.t.ppf(0.5 + level / 2, n - 1) * y.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
            rows.append({"parameter": str(data[coordinate].attrs.get("parameter", coordinate.replace("__", "."))),
                         "value": value, "n": n, "mean": mean, "ci_low": mean - half, "ci_high": mean + half,
                         "units": units_of(array)})
    return pd.DataFrame(rows, columns=["parameter", "value", "n", "mean", "ci_low", "ci_high", "units"])


def key_outcomes(data: xr.Dataset) -> list:
    """Summary variables marked ``key`` (those in the command line's comparison table)."""
    return [name for name, variable in data.data_vars.items()
            if "step" not in variable.dims and int(variable.attrs.get("key", 0)) == 1]
