"""Plots of coordsim results with matplotlib.

Every function draws on `ax` when given, otherwise on a new pyplot figure (so a notebook shows
it and ``plt.show()`` / ``plt.savefig`` know it), and returns the Axes it drew on
(``ax.figure.savefig("x.png")`` writes it); :func:`plot_effects` with several outcomes returns
its array of Axes. Axis labels carry units; one step of the shipped models is one working day.
Confidence bands are clipped to the outcome's valid range (counts and hours are never negative,
shares stay in [0, 1]).

Long names may quote Chinese terms (e.g. 配合度). Characters the installed font cannot draw
(CJK without a CJK font such as Debian's fonts-noto-cjk) are left out of plot text rather than
drawn as empty boxes; tables and the HTML report keep them.
"""
from __future__ import annotations

import functools
import re
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd
import xarray as xr

from .compare import check_variant, did_you_mean, sweep_cells, sweep_coordinate, units_of, valid_range, variable

STEP_LABEL = "simulation step (working days)"


@functools.lru_cache(maxsize=None)
def _drawable_characters() -> frozenset:
    """Code points of every font matplotlib knows, so fallbacks count too."""
    from matplotlib import font_manager, ft2font

    points = set()
    for entry in font_manager.fontManager.ttflist:
        try:
            points.update(ft2font.FT2Font(entry.fname).get_charmap())
        except (OSError, RuntimeError):
            continue
    return frozenset(points)


def _cjk_font_family() -> Optional[str]:
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if any(mark in entry.name for mark in ("CJK", "WenQuanYi", "Droid Sans Fallback", "AR PL")):
            return entry.name
    return None


def plot_text(text: str) -> str:
    """`text` without characters no installed font can draw (and without brackets left empty)."""
    drawable = _drawable_characters()
    if all(ord(c) in drawable or c in "\n\t" for c in text):
        return text
    kept = "".join(c for c in text if ord(c) in drawable or c in "\n\t")
    kept = re.sub(r"\(\s*[,;]?\s*\)|\[\s*\]|（\s*）", "", kept)
    kept = re.sub(r"\(\s*[,;]?\s*", "(", kept)
    kept = re.sub(r"[ \t]{2,}", " ", kept)
    return re.sub(r" +([,.;:)])", r"\1", kept).strip()


def _finish(figure):
    """Make every text of the figure drawable: a CJK font when there is one, else drop glyphs."""
    from matplotlib.text import Text

    family = _cjk_font_family()
    for text in figure.findobj(Text):
        content = text.get_text()
        if not content or content.isascii():
            continue
        if family is not None:
            text.set_fontfamily([*text.get_fontfamily(), family])
        else:
            text.set_text(plot_text(content))
    return figure


def _new_figure(figsize):
    from matplotlib import pyplot

    return pyplot.figure(figsize=figsize, layout="constrained")


def _new_axes(ax=None, figsize=(8.0, 4.8)):
    if ax is not None:
        return ax.figure, ax
    figure = _new_figure(figsize)
    return figure, figure.add_subplot()


def units_text(units) -> str:
    """Units for an axis label: '1' (a pure number) is shown as 'dimensionless'; a DataArray
    gives its model unit word (``units_label``)."""
    if isinstance(units, xr.DataArray):
        units = units_of(units)
    return "dimensionless" if units in ("", "1") else str(units)


def axis_label(array: xr.DataArray, name: Optional[str] = None) -> str:
    """'name (units)' for an axis."""
    return f"{name or array.name} ({units_text(array)})"


def _title(array: xr.DataArray) -> str:
    return str(array.attrs.get("long_name", array.name))


def plot_series(data: Union[xr.Dataset, xr.DataArray], outcome: Optional[str] = None, *, ax=None,
                band: Optional[str] = "ci", level: float = 0.95, variants: Optional[Sequence[str]] = None):
    """Outcome over time: mean over replications per variant, with a band.

    ``band="ci"``: Student-t confidence interval of the mean (`level`); ``"range"``: the 5-95 %
    quantiles of the replications; None: no band.
    """
    from scipy import stats

    array = data if isinstance(data, xr.DataArray) else variable(data, outcome)
    if "step" not in array.dims:
        raise ValueError(f"{array.name!r} has no step dimension; plot_series draws time series")
    if "run" in array.dims:
        raise ValueError(f"{array.name!r} is from a sweep (dimension run): select a design point first, "
                         "e.g. ds.isel(run=0) or ds.where(ds.lead__rank == 0.9, drop=True).isel(run=0)")
    if variants is not None:
        for name in variants:
            check_variant(array, name)
    valid_low, valid_high = valid_range(array)
    figure, ax = _new_axes(ax)
    names = [str(v) for v in array["variant"].values] if variants is None else list(variants)
    steps = array["step"].values
    n = array.sizes.get("replication", 1)
    colors = _variant_colors(len(names))
    for color, name in zip(colors, names):
        values = array.sel(variant=name).transpose("replication", "step").values if "replication" in array.dims \
            else array.sel(variant=name).values[np.newaxis, :]
        with np.errstate(invalid="ignore"), _quiet_nan_warnings():
            mean = np.nanmean(values, axis=0)
            if band == "ci" and n > 1:
                count = np.sum(np.isfinite(values), axis=0)
                sem = np.nanstd(values, axis=0, ddof=1) / np.sqrt(count)
                half = stats.t.ppf(0.5 + level / 2.0, np.maximum(count - 1, 1)) * sem
                low, high = mean - half, mean + half
            elif band == "range" and n > 1:
                low, high = np.nanquantile(values, [0.05, 0.95], axis=0)
            else:
                low = high = None
            if low is not None:
                low, high = np.clip(low, valid_low, valid_high), np.clip(high, valid_low, valid_high)
        ax.plot(steps, mean, color=color, label=name, linewidth=1.6)
        if low is not None:
            ax.fill_between(steps, low, high, color=color, alpha=0.18, linewidth=0)
    if not np.isfinite(array.values).any():
        ax.text(0.5, 0.5, "no data: the outcome is NaN in every run and step", transform=ax.transAxes,
                ha="center", va="center", fontsize=11, color="0.3")
        ax.set_xlim(float(steps[0]), float(steps[-1]) if len(steps) > 1 else float(steps[0]) + 1.0)
        ax.set_yticks([])
    what = {"ci": f"mean and {level:.0%} CI", "range": "mean and 5-95 % range"}.get(band, "mean")
    ax.set_title(f"{_title(array)}\n{what} over {n} replication{'s' if n != 1 else ''}", fontsize=11)
    ax.set_xlabel(STEP_LABEL)
    ax.set_ylabel(axis_label(array))
    ax.grid(True, alpha=0.3)
    ax.legend(title="variant", fontsize=8, title_fontsize=9, loc="best", framealpha=0.85)
    _finish(figure)
    return ax


def plot_effects(table: pd.DataFrame, *, ax=None, title: Optional[str] = None):
    """Forest plot of a :func:`coordsim.analysis.compare` table: difference to the baseline
    with its confidence interval per variant; one panel per outcome (their units differ)."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    if ax is not None and len(outcomes) > 1:
        raise ValueError("several outcomes need several panels; call without ax or per outcome")
    if ax is None:
        rows = max(1, len(table))
        figure = _new_figure((8.0, 1.2 + 0.42 * rows + 0.8 * len(outcomes)))
        heights = [max(1, int((table["outcome"] == o).sum())) + 1.2 for o in outcomes]
        axes = figure.subplots(len(outcomes), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    else:
        figure, axes = ax.figure, [ax]
    for panel, outcome in zip(axes, outcomes):
        part = table[table["outcome"] == outcome].reset_index(drop=True)
        positions = np.arange(len(part))[::-1]
        low = (part["difference"] - part["ci_low"]).clip(lower=0)
        high = (part["ci_high"] - part["difference"]).clip(lower=0)
        excludes_zero = (part["ci_low"] > 0) | (part["ci_high"] < 0)
        colors = np.where(excludes_zero, "#c0392b", "#34495e")
        for y, x, lo, hi, color in zip(positions, part["difference"], low, high, colors):
            panel.errorbar(x, y, xerr=[[lo], [hi]], fmt="o", color=color, capsize=3, markersize=5)
        panel.axvline(0.0, color="0.4", linewidth=1, linestyle="--")
        panel.set_yticks(positions, part["variant"])
        baseline = part["baseline"].iloc[0] if len(part) else ""
        units = units_text(str(part["units"].iloc[0])) if len(part) else ""
        panel.set_xlabel(f"difference to '{baseline}' ({units}), paired by replication")
        panel.set_title(f"{outcome}", fontsize=10, loc="left")
        panel.grid(True, axis="x", alpha=0.3)
        panel.set_ylim(-0.7, len(part) - 0.3)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", color="#c0392b", linestyle="", label="95 % CI excludes 0"),
               Line2D([], [], marker="o", color="#34495e", linestyle="", label="95 % CI includes 0")]
    axes[0].legend(handles=handles, fontsize=8, loc="best", framealpha=0.85)
    figure.suptitle(title or "Effect of each mechanism: mean paired difference and bootstrap CI", fontsize=11)
    _finish(figure)
    return axes[0] if len(axes) == 1 else np.asarray(axes)


def plot_heatmap(data: Union[pd.DataFrame, xr.DataArray, xr.Dataset], outcome: Optional[str] = None,
                 x: Optional[str] = None, y: Optional[str] = None, *, ax=None, units: Optional[str] = None,
                 x_units: Optional[str] = None, y_units: Optional[str] = None, cmap: str = "viridis",
                 annotate: Optional[bool] = None, variant: Optional[str] = None, step="last"):
    """Mean outcome over a grid of two swept parameters; returns the Axes.

    `data` is one of

    * what :func:`coordsim.sweep` or ``coordsim.open(SWEEP.h5)`` returns (dimension ``run``):
      `x` and `y` name swept parameters (``"tasks.lead_rank"`` or ``"tasks__lead_rank"``); one variant is
      shown (`variant`, default the first), series at the last step (`step`), replications
      averaged, failed runs left out; units of the parameters from the model's schema;
    * a tidy DataFrame with columns `x`, `y` and `outcome` (cells are averaged);
    * a DataArray/Dataset variable with dimensions `x` and `y` (other dims averaged).

    `units` is the outcome's (default: its units), `x_units` / `y_units` the parameters'.
    """
    if isinstance(data, pd.DataFrame):
        grid = data.pivot_table(index=y, columns=x, values=outcome, aggfunc="mean").sort_index().sort_index(axis=1)
        values, xs, ys = grid.to_numpy(dtype=float), grid.columns.to_numpy(), grid.index.to_numpy()
        name, unit = outcome, units or ""
        long_name = outcome
        detail = ""
    elif "run" in (data.dims if isinstance(data, xr.DataArray) else data[outcome].dims if outcome in data else ()):
        array = data if isinstance(data, xr.DataArray) else variable(data, outcome)
        cells = sweep_cells(data, outcome, x, y, variant=variant, step=step)
        x_name, y_name = sweep_coordinate(data, x), sweep_coordinate(data, y)
        grid = cells.pivot_table(index=y_name, columns=x_name, values=array.name or outcome, aggfunc="mean")
        grid = grid.sort_index().sort_index(axis=1)
        values, xs, ys = grid.to_numpy(dtype=float), grid.columns.to_numpy(), grid.index.to_numpy()
        name, unit = array.name or outcome, units or units_of(array)
        long_name = array.attrs.get("long_name", name)
        x_units = x_units if x_units is not None else _parameter_units(data, x_name)
        y_units = y_units if y_units is not None else _parameter_units(data, y_name)
        x, y = str(data[x_name].attrs.get("parameter", x)), str(data[y_name].attrs.get("parameter", y))
        chosen = str(array["variant"].values[0]) if variant is None and "variant" in array.dims else variant
        detail = f", variant {chosen}" if chosen else ""
    else:
        array = data if isinstance(data, xr.DataArray) else variable(data, outcome)
        for dim in (x, y):
            if dim not in array.dims:
                raise ValueError(f"{dim!r} is not a dimension of {array.name!r}{did_you_mean(dim, array.dims)}; "
                                 f"dims: {', '.join(map(str, array.dims))}")
        others = [d for d in array.dims if d not in (x, y)]
        if others:
            array = array.mean(others, keep_attrs=True)
        array = array.transpose(y, x)
        values, xs, ys = array.values, array[x].values, array[y].values
        name, unit = array.name or outcome, units or units_of(array)
        long_name = array.attrs.get("long_name", name)
        detail = ""
    figure, ax = _new_axes(ax, figsize=(7.0, 5.6))
    image = ax.imshow(values, origin="lower", aspect="auto", cmap=cmap, interpolation="nearest")
    ax.set_xticks(np.arange(len(xs)), [_tick(v) for v in xs], rotation=45 if len(xs) > 6 else 0)
    ax.set_yticks(np.arange(len(ys)), [_tick(v) for v in ys])
    ax.set_xlabel(x if x_units is None else f"{x} ({units_text(x_units)})")
    ax.set_ylabel(y if y_units is None else f"{y} ({units_text(y_units)})")
    bar = figure.colorbar(image, ax=ax)
    bar.set_label(f"{name} ({units_text(unit)})")
    if annotate is None:
        annotate = values.size <= 144
    if annotate:
        finite = values[np.isfinite(values)]
        middle = (finite.min() + finite.max()) / 2 if finite.size else 0.0
        for (row, column), value in np.ndenumerate(values):
            if np.isfinite(value):
                ax.text(column, row, f"{value:.3g}", ha="center", va="center", fontsize=8,
                        color="white" if value < middle else "black")
    ax.set_title(f"{long_name}\nmean over runs, by {x} and {y}{detail}", fontsize=11)
    _finish(figure)
    return ax


def _tick(value) -> str:
    return f"{value:g}" if isinstance(value, (float, np.floating)) else str(value)


def _parameter_units(data, coordinate: str) -> Optional[str]:
    """A swept parameter's unit from the model's schema (coordsim.params), or None."""
    dotted = str(data[coordinate].attrs.get("parameter", coordinate.replace("__", ".")))
    model = data.attrs.get("model")
    if model is None:
        return None
    try:
        from coordsim import parameter_specs
    except ImportError:
        return None
    for spec in parameter_specs(model):
        if spec["path"] == dotted:
            return spec["unit"] or None
    return None


def plot_agent_distributions(agents: xr.Dataset, outcome: str, *, step: Union[str, int] = "mean", ax=None,
                             variants: Optional[Sequence[str]] = None):
    """Distribution over agents of a per-agent outcome, per variant, pooled over replications.

    ``step="mean"`` (default): each agent's mean over the recorded steps; ``"last"``: the last
    recorded step; an int: that step. Box plots: quartiles and median, whiskers at 5-95 %.
    """
    array = variable(agents, outcome)
    steps = array["step"].values
    if step == "mean":
        with _quiet_nan_warnings():
            chosen = array.mean("step", skipna=True, keep_attrs=True)
        when = f"mean over recorded steps {int(steps[0])}-{int(steps[-1])}"
    else:
        chosen = array.isel(step=-1) if step == "last" else array.sel(step=int(step))
        when = f"at step {int(chosen['step'].values)}"
    names = [str(v) for v in array["variant"].values] if variants is None else list(variants)
    samples = []
    for name in names:
        values = np.asarray(chosen.sel(variant=name).values, dtype=float).ravel()
        samples.append(values[np.isfinite(values)])
    figure, ax = _new_axes(ax, figsize=(8.5, 1.8 + 0.5 * len(names)))
    positions = np.arange(len(names))[::-1]
    nonempty = [i for i, s in enumerate(samples) if s.size]
    colors = _variant_colors(len(names))
    if nonempty:
        parts = ax.boxplot([samples[i] for i in nonempty], positions=positions[nonempty], vert=False, whis=(5, 95),
                           widths=0.6, patch_artist=True, showfliers=False, manage_ticks=False,
                           medianprops={"color": "black", "linewidth": 1.5})
        for patch, index in zip(parts["boxes"], nonempty):
            patch.set_facecolor(colors[index])
            patch.set_alpha(0.6)
    ax.set_yticks(positions, [f"{n} (n={s.size})" for n, s in zip(names, samples)])
    ax.set_ylim(-0.7, len(names) - 0.3)
    kind = agents.attrs.get("kind", "agent")
    ax.set_xlabel(axis_label(array))
    ax.set_title(f"{_title(array)}\nper {kind}, {when}, pooled over replications\n"
                 "box: quartiles and median; whiskers: 5-95 %", fontsize=10)
    ax.grid(True, axis="x", alpha=0.3)
    _finish(figure)
    return ax


def _variant_colors(count: int):
    from matplotlib import colormaps

    palette = colormaps["tab10"]
    return [palette(i % 10) for i in range(count)]


class _quiet_nan_warnings:
    """All-NaN columns (failed runs, steps before anything happens) are expected, not news."""

    def __enter__(self):
        import warnings

        self._catcher = warnings.catch_warnings()
        self._catcher.__enter__()
        warnings.filterwarnings("ignore", message="Mean of empty slice", category=RuntimeWarning)
        warnings.filterwarnings("ignore", message="Degrees of freedom", category=RuntimeWarning)
        warnings.filterwarnings("ignore", message="All-NaN slice", category=RuntimeWarning)
        return self

    def __exit__(self, *exc):
        return self._catcher.__exit__(*exc)


__all__ = ["axis_label", "plot_text", "plot_agent_distributions", "plot_effects", "plot_heatmap", "plot_series",
           "units_text"]
