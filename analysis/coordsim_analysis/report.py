"""An HTML report of a coordsim result file, for readers who do not run the model.

``python3 -m coordsim.report FILE.h5 -o DIR`` writes one self-contained page, ``DIR/index.html``
(plotly.js from Debian's python3-plotly is inlined: it opens offline, nothing beside it):

For a run (``coordsim run``):

1. **Summary**: one paragraph per mechanism (variant) in plain words: which key outcomes it
   raises or lowers compared with the baseline, by how much, with the 95 % interval, and where
   no difference is clear; then a chart of those paired differences with their intervals.
2. Warnings (few replications, failed runs) when there are any.
3. The run: model, seed, replications, steps, variants.
4. Comparison tables per key outcome: means with Student-t CIs, paired differences with
   bootstrap CIs, Cohen's d ("—" where undefined: a difference without spread).
5. Every outcome over time (mean and 95 % CI per variant, bands clipped to the valid range).
6. Per-agent distributions (when the file has them).
7. The fully resolved scenario.

For a sweep (``coordsim sweep``): a summary of what each swept parameter does to each key
outcome, warnings (failed runs, Sobol indices from too few samples), the parameters' main
effects, heatmaps of two grid parameters with units, Sobol indices for Saltelli designs, the
sweep file and its base scenario.

For a calibration (``coordsim calibrate``, sim/CALIBRATION.md): a summary of the posterior
(means and 90 % credible intervals against the priors, which targets the posterior predictive
reaches), warnings (a small effective sample, failed particles, budget spent), tolerance,
acceptance rate and ESS per generation, the posterior marginals with their credible intervals, a
pairwise plot of the particles, the targets against their observed values with the posterior
predictive spread stored in the file, the calibration file and its base scenario.

Variants and outcomes are named by the ``labels:`` block of the scenario (or ``--labels FILE``)
when it gives them readable names. Progress goes to stderr.
"""
from __future__ import annotations

import argparse
import html
import json
import math
import os
import pathlib
import sys
import time
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from .compare import (compare, key_outcomes, parameter_effects, summarize, sweep_cells, sweep_coordinate, units_of,
                      valid_range, variable)

# Saltelli base samples N below which Sobol indices are too uncertain to read (their bootstrap
# intervals commonly span more than the [0, 1] range of the index); Morris trajectories likewise.
SOBOL_MIN_SAMPLES = 256
MORRIS_MIN_TRAJECTORIES = 10
FEW_REPLICATIONS = 5
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
          "#17becf"]
FONT = '"Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", sans-serif'

_STYLE = """
body { font-family: "Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", sans-serif; max-width: 1150px;
       margin: 1.5em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
h3 { margin-bottom: .3em; }
nav.toc { background: #f6f8fa; border: 1px solid #e1e4e8; padding: .4em 1.2em; display: inline-block; }
nav.toc ol { margin: .3em 0; padding-left: 1.2em; }
.lead { font-size: 1.05em; }
ul.mechanisms > li { margin-bottom: .6em; }
.up { color: #1a7f37; } .down { color: #b00020; } .muted { color: #666; }
.warning { background: #fff8e1; border-left: 4px solid #f0a500; padding: .4em .8em; margin: .4em 0; }
table { border-collapse: collapse; font-size: .85em; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
td.name { text-align: left; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: .8em; }
.plot { width: 100%; height: 470px; border: 1px solid #eee; }
.plot.small { height: 300px; }
details > summary { cursor: pointer; font-weight: bold; margin: .4em 0; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: .8em; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dt { font-weight: bold; }
"""

# Plots are drawn when scrolled near, so a page of a hundred plots opens at once.
_RENDER = """
(function () {
  const figures = JSON.parse(document.getElementById("figures").textContent);
  const config = {responsive: true, displaylogo: false};
  function draw(div) {
    if (div.dataset.drawn) return;
    div.dataset.drawn = "1";
    const figure = figures[div.id];
    Plotly.newPlot(div, figure.data, figure.layout, config);
  }
  const observer = new IntersectionObserver(entries => entries.forEach(e => {
    if (e.isIntersecting) { draw(e.target); observer.unobserve(e.target); }
  }), {rootMargin: "600px"});
  document.querySelectorAll("div.plot").forEach(div => observer.observe(div));
  // Draw the first `count` plots (all without it) now, e.g. before printing the page.
  window.coordsimDrawAll = (count) => [...document.querySelectorAll("div.plot")].slice(0, count).forEach(draw);
})();
"""


class Progress:
    """'report: [i/n] what (t s)' lines on stderr."""

    def __init__(self, total: int, enabled: bool = True):
        self.total, self.done, self.enabled, self.start = total, 0, enabled, time.perf_counter()

    def __call__(self, what: str) -> None:
        self.done += 1
        if self.enabled:
            print(f"report: [{self.done}/{self.total}] {what} ({time.perf_counter() - self.start:.1f} s)",
                  file=sys.stderr, flush=True)


def _finite(values) -> list:
    return [None if v is None or not math.isfinite(float(v)) else round(float(v), 6) for v in np.ravel(values)]


def number(value, units: str = "") -> str:
    """A value for prose: 3 significant digits, thousands separated, with its unit word."""
    if value is None or not math.isfinite(float(value)):
        return "—"
    value = float(value)
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    suffix = {"h": " h", "count": "", "persons": " persons", "steps": " steps"}.get(units, "")
    return text + suffix


def signed(value, units: str = "") -> str:
    text = number(value, units)
    return text if text.startswith("-") or text == "—" else "+" + text


class Page:
    """Sections, table of contents and plot data of one report page."""

    def __init__(self, title: str):
        self.title = title
        self.sections: List[tuple] = []
        self.figures: Dict[str, dict] = {}

    def section(self, anchor: str, heading: str, body: str) -> None:
        self.sections.append((anchor, heading, body))

    def plot(self, figure: dict, css: str = "plot") -> str:
        ident = f"plot{len(self.figures)}"
        layout = figure.setdefault("layout", {})
        layout.setdefault("font", {"family": FONT, "size": 12})
        layout.setdefault("margin", {"t": 50, "r": 10, "b": 50, "l": 60})
        if "title" in layout:  # left, clear of the tool bar on the right
            layout["title"].update(x=0.01, xanchor="left")
        height = layout.pop("height", None)
        style = f" style='height:{int(height)}px'" if height else ""
        self.figures[ident] = figure
        return f"<div class='{css}' id='{ident}'{style}></div>"

    def html(self) -> str:
        from plotly.offline import get_plotlyjs

        toc = "".join(f"<li><a href='#{a}'>{html.escape(h)}</a></li>" for a, h, _ in self.sections)
        body = "".join(f"<section id='{a}'><h2>{html.escape(h)}</h2>{b}</section>" for a, h, b in self.sections)
        data = json.dumps(self.figures, allow_nan=False).replace("</", "<\\/")
        return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(self.title)}</title>"
                f"<style>{_STYLE}</style><script>{get_plotlyjs()}</script></head><body>"
                f"<h1>{html.escape(self.title)}</h1><nav class='toc'><b>Contents</b><ol>{toc}</ol></nav>{body}"
                f"<script type='application/json' id='figures'>{data}</script><script>{_RENDER}</script>"
                "</body></html>")


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, float_format=lambda v: f"{v:.4g}", na_rep="—", border=0, escape=True)


def _labels(attrs: dict, extra: Optional[dict]) -> dict:
    from coordsim._labels import scenario_labels

    labels = scenario_labels(attrs.get("scenario", ""))
    for kind in ("variants", "outcomes"):
        labels[kind].update((extra or {}).get(kind, {}))
    return labels


def _outcome_label(name: str, data, labels: dict) -> str:
    if name in labels["outcomes"]:
        return labels["outcomes"][name]
    long_name = str(data[name].attrs.get("long_name", name)) if name in data else name
    return long_name[0].lower() + long_name[1:] if long_name[:2] != long_name[:2].upper() else long_name


# ---------------------------------------------------------------------------------------------
# Figures (plotly JSON, no plotly Python objects: quick and independent of its version)


def series_figure(dataset, name: str, labels: dict, level: float = 0.95) -> dict:
    """Mean and Student-t CI band per variant over steps, the band clipped to the valid range."""
    from scipy import stats
    import warnings

    array = variable(dataset, name)
    values = np.asarray(array.transpose("variant", "replication", "step").values, dtype=float)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        count = np.sum(np.isfinite(values), axis=1)
        mean = np.nanmean(values, axis=1)
        half = stats.t.ppf(0.5 + level / 2, np.maximum(count - 1, 1)) * np.nanstd(values, axis=1, ddof=1) / np.sqrt(
            count)
    low, high = valid_range(array)
    steps = [int(s) for s in array["step"].values]
    data = []
    for index, variant in enumerate(str(v) for v in array["variant"].values):
        color = COLORS[index % len(COLORS)]
        label = labels["variants"].get(variant, variant)
        data.append({"x": steps, "y": _finite(np.clip(mean[index] + half[index], low, high)), "mode": "lines",
                     "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False, "legendgroup": variant})
        data.append({"x": steps, "y": _finite(np.clip(mean[index] - half[index], low, high)), "mode": "lines",
                     "line": {"width": 0}, "fill": "tonexty", "fillcolor": _rgba(color, 0.15), "hoverinfo": "skip",
                     "showlegend": False, "legendgroup": variant})
        data.append({"x": steps, "y": _finite(mean[index]), "mode": "lines", "name": label, "legendgroup": variant,
                     "line": {"color": color, "width": 1.8}})
    units = units_of(array)
    return {"data": data, "layout": {
        "title": {"text": f"{html.escape(str(array.attrs.get('long_name', name)))}", "font": {"size": 13}},
        "xaxis": {"title": "simulation step (working days)"},
        "yaxis": {"title": f"{name} ({_unit_text(units)})", "rangemode": "tozero" if low == 0 else "normal"},
        "legend": {"font": {"size": 10}, "orientation": "h", "y": -0.22}, "hovermode": "x",
        "margin": {"t": 40, "r": 10, "b": 10, "l": 60}}}


def _unit_text(units: str) -> str:
    return "dimensionless" if units in ("", "1") else units


def _rgba(color: str, alpha: float) -> str:
    value = int(color[1:], 16)
    return f"rgba({value >> 16},{(value >> 8) & 255},{value & 255},{alpha})"


def differences_figure(table: pd.DataFrame, name: str, data, labels: dict) -> dict:
    """Paired differences of one key outcome with their CIs, one row per variant."""
    part = table[table["outcome"] == name]
    names = [labels["variants"].get(v, v) for v in part["variant"]]
    excludes = ((part["ci_low"] > 0) | (part["ci_high"] < 0)).to_numpy()
    units = str(part["units"].iloc[0]) if len(part) else ""
    colors = ["#b00020" if e and d < 0 else "#1a7f37" if e else "#555" for e, d in zip(excludes, part["difference"])]
    trace = {"type": "scatter", "mode": "markers", "x": _finite(part["difference"]), "y": names,
             "marker": {"color": colors, "size": 9},
             "error_x": {"type": "data", "symmetric": False, "array": _finite(part["ci_high"] - part["difference"]),
                         "arrayminus": _finite(part["difference"] - part["ci_low"]), "color": "#888"},
             "hovertemplate": "%{y}: %{x:.4g}<extra></extra>"}
    return {"data": [trace], "layout": {
        "title": {"text": html.escape(_outcome_label(name, data, labels)), "font": {"size": 13}},
        "xaxis": {"title": f"difference ({_unit_text(units)})",
                  "zeroline": True, "zerolinecolor": "#444"},
        "yaxis": {"autorange": "reversed", "automargin": True}, "showlegend": False,
        "margin": {"t": 40, "r": 10, "b": 50, "l": 10}, "height": 110 + 28 * len(part)}}


def agents_figure(dataset, name: str, labels: dict) -> dict:
    """Box plots (quartiles, median, 5-95 % whiskers) over agents, each agent's mean over steps."""
    import warnings

    array = variable(dataset, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per_agent = array.mean("step")
    data = []
    for index, variant in enumerate(str(v) for v in array["variant"].values):
        values = np.asarray(per_agent.sel(variant=variant).values, dtype=float).ravel()
        values = values[np.isfinite(values)]
        if not values.size:
            continue
        q = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95])
        data.append({"type": "box", "name": labels["variants"].get(variant, variant), "orientation": "h",
                     "y": [labels["variants"].get(variant, variant)], "q1": [q[1]], "median": [q[2]], "q3": [q[3]],
                     "lowerfence": [q[0]], "upperfence": [q[4]], "marker": {"color": COLORS[index % len(COLORS)]},
                     "showlegend": False})
    units = units_of(array)
    return {"data": data, "layout": {
        "title": {"text": html.escape(str(array.attrs.get("long_name", name))), "font": {"size": 12}},
        "xaxis": {"title": f"{name} ({_unit_text(units)}), mean over steps"},
        "yaxis": {"autorange": "reversed", "automargin": True}, "margin": {"t": 40, "r": 10, "b": 50, "l": 10},
        "height": 110 + 28 * len(data)}}


# ---------------------------------------------------------------------------------------------
# Run reports


def mechanism_sentences(table: pd.DataFrame, variant: str, data, labels: dict) -> str:
    """Plain-language effects of one variant on the key outcomes (HTML)."""
    rows = table[table["variant"] == variant]
    clear, unclear, same = [], [], []
    for row in rows.itertuples(index=False):
        label = html.escape(_outcome_label(row.outcome, data, labels))
        if row.difference == 0 and (row.sd_difference == 0 or not math.isfinite(row.sd_difference)):
            same.append(label)
        elif row.ci_low > 0 or row.ci_high < 0:
            word, css = ("raises", "up") if row.difference > 0 else ("lowers", "down")
            clear.append(f"<span class='{css}'>{word}</span> {label} from {number(row.baseline_mean, row.units)} to "
                         f"{number(row.mean, row.units)} ({signed(row.difference, row.units)}; 95 % interval "
                         f"{signed(row.ci_low, row.units)} to {signed(row.ci_high, row.units)})")
        else:
            unclear.append(label)
    parts = []
    if clear:
        parts.append("It " + "; ".join(clear) + ".")
    if unclear:
        parts.append("<span class='muted'>No clear difference (the interval includes zero) in "
                     + ", ".join(unclear) + ".</span>")
    if same:
        parts.append("<span class='muted'>Exactly as the baseline in every replication: " + ", ".join(same) + ".</span>")
    return " ".join(parts) or "No key outcome to compare."


def _run_report(path: pathlib.Path, page: Page, *, n_boot: int, agent_plots: bool, extra_labels, progress_on: bool):
    import coordsim

    loaded = coordsim.open(path, agents=agent_plots)
    outcomes, agents = (loaded.outcomes, loaded.agents) if agent_plots else (loaded, {})
    attrs = outcomes.attrs
    labels = _labels(attrs, extra_labels)
    variants = [str(v) for v in outcomes["variant"].values]
    keys = key_outcomes(outcomes)
    series = [name for name, v in outcomes.data_vars.items() if "step" in v.dims]
    progress = Progress(4 + len(series) // 20 + (1 if agents else 0), progress_on)
    progress(f"read {path.name}: {len(variants)} variants x {outcomes.sizes['replication']} replications")

    table = compare(outcomes, keys, n_boot=n_boot) if keys and len(variants) > 1 else pd.DataFrame()
    progress(f"paired differences of {len(keys)} key outcomes")
    baseline = variants[0]
    replications = int(outcomes.sizes["replication"])
    name_of = lambda v: html.escape(labels["variants"].get(v, v))  # noqa: E731
    summary = [f"<p class='lead'>{len(variants) - 1} mechanism(s) compared with the baseline "
               f"<b>{name_of(baseline)}</b>, each over the same {replications} replications of "
               f"{outcomes.sizes['step']} working days (the variants of a replication meet the same chance events, "
               "so each difference is measured replication by replication). Ranges are 95 % intervals of the mean "
               "difference.</p><ul class='mechanisms'>"]
    for variant in variants[1:]:
        summary.append(f"<li><b>{name_of(variant)}</b>"
                       f"{'' if name_of(variant) == html.escape(variant) else f' <span class=muted>({html.escape(variant)})</span>'}: "
                       f"{mechanism_sentences(table, variant, outcomes, labels) if len(table) else ''}</li>")
    summary.append("</ul>")
    if len(table):
        summary.append("<h3>Differences to the baseline with 95 % intervals</h3><p class='muted'>Green: the interval "
                       "lies above zero; red: below zero; grey: it includes zero.</p><div class='grid'>")
        summary += [page.plot(differences_figure(table, name, outcomes, labels), "plot small") for name in keys]
        summary.append("</div>")
    page.section("summary", "Summary", "".join(summary))

    warnings_html = []
    if replications < FEW_REPLICATIONS:
        warnings_html.append(f"Only {replications} replication(s): intervals are wide and effect sizes unstable; "
                             f"use at least {FEW_REPLICATIONS} (10 or more for small effects).")
    failed = [v for v in keys if np.isnan(outcomes[v].values).any()]
    if failed:
        warnings_html.append("Some runs have no value (NaN) for " + ", ".join(html.escape(f) for f in failed)
                             + "; comparisons use the complete pairs only.")
    if warnings_html:
        page.section("warnings", "Warnings", "".join(f"<p class='warning'>{w}</p>" for w in warnings_html))

    facts = [("file", str(path)), ("model", attrs.get("model", "")),
             ("coordsim version", f"{attrs.get('coordsim_version', '')} (format {attrs.get('format_version', '')})"),
             ("seed", attrs.get("seed", "")), ("replications", replications),
             ("steps", f"{attrs.get('steps', '')} (one step = one working day)"),
             ("variants", ", ".join(variants) + f" (baseline: {baseline})"),
             ("per-agent outcomes", f"every {attrs.get('agent_every', '')} steps" if agents else "not shown")]
    page.section("run", "The run", "<dl>" + "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>"
                                                    for k, v in facts) + "</dl>")

    tables = [f"<p>Means with Student-t 95 % CIs over replications; differences to '{html.escape(baseline)}' paired "
              f"by replication, with percentile bootstrap 95 % CIs ({n_boot} resamples, fixed seed) and Cohen's d for "
              "paired data (mean difference / SD of the differences; — where that SD is zero or rounding noise: a "
              "difference without spread has no effect size).</p>"]
    for name in keys:
        variable_ = outcomes[name]
        means = summarize(outcomes, name).drop(columns=["outcome"])
        merged = means.merge(table[table["outcome"] == name][["variant", "difference", "ci_low", "ci_high",
                                                              "cohens_d"]], on="variant", how="left",
                             suffixes=("", "_difference")) if len(table) else means
        merged = merged.rename(columns={"ci_low": "mean CI low", "ci_high": "mean CI high",
                                        "ci_low_difference": "difference CI low",
                                        "ci_high_difference": "difference CI high", "cohens_d": "Cohen's d"})
        tables.append(f"<h3 id='table-{html.escape(name)}'>{html.escape(name)} ({html.escape(units_of(variable_))}): "
                      f"{html.escape(str(variable_.attrs.get('long_name', '')))}</h3>{_table_html(merged)}")
    page.section("tables", "Comparison tables", "".join(tables) if keys else "<p>The file marks no key outcome.</p>")
    progress("tables")

    plots = ["<p>Mean and 95 % CI over replications per variant; click a legend entry to hide a variant, drag to "
             "zoom. Bands stop at the outcome's valid range (counts and hours at 0, shares at 0 and 1).</p>"
             "<div class='grid'>"]
    for index, name in enumerate(series):
        plots.append(page.plot(series_figure(outcomes, name, labels)))
        if (index + 1) % 20 == 0:
            progress(f"series plots {index + 1}/{len(series)}")
    plots.append("</div>")
    page.section("series", "Outcomes over time", "".join(plots))

    if agents:
        parts = []
        for kind, dataset in agents.items():
            parts.append(f"<details open><summary>{html.escape(kind)} ({dataset.sizes['agent']} agents)</summary>"
                         "<div class='grid'>")
            parts += [page.plot(agents_figure(dataset, name, labels), "plot small") for name in dataset.data_vars]
            parts.append("</div></details>")
        page.section("agents", "Per-agent outcomes", "<p>Distribution over agents of each agent's mean over the "
                     "recorded steps, pooled over replications: box = quartiles and median, whiskers = 5-95 %.</p>"
                     + "".join(parts))
        progress("per-agent plots")
    page.section("scenario", "Scenario (fully resolved)", f"<pre>{html.escape(str(attrs.get('scenario', '')))}</pre>")
    return progress


# ---------------------------------------------------------------------------------------------
# Sweep reports


def sample_size_warnings(attrs: dict) -> List[str]:
    """Warnings for sensitivity designs whose sample is too small to read the indices."""
    design = str(attrs.get("design", ""))
    samples = int(attrs.get("samples", 0) or 0)
    parameters = attrs.get("parameters", [])
    k = 1 if isinstance(parameters, str) else len(parameters)
    out = []
    if design == "saltelli" and samples < SOBOL_MIN_SAMPLES:
        out.append(f"Sobol indices from N = {samples} base samples ({samples * (k + 2)} runs): their intervals are "
                   f"wide and estimates can fall outside [0, 1]. Use N ≥ {SOBOL_MIN_SAMPLES} (better 1024) before "
                   "reading them.")
    if design == "morris" and samples < MORRIS_MIN_TRAJECTORIES:
        out.append(f"Morris screening from {samples} trajectories: use at least {MORRIS_MIN_TRAJECTORIES} before "
                   "ranking parameters.")
    return out


def _sweep_report(path: pathlib.Path, page: Page, *, n_boot: int, extra_labels, progress_on: bool):
    import coordsim

    sweep = coordsim.open(path)
    attrs = sweep.attrs
    labels = _labels(attrs, extra_labels)
    parameters = attrs.get("parameters", [])
    parameters = [parameters] if isinstance(parameters, str) else list(parameters)
    coordinates = [sweep_coordinate(sweep, p) for p in parameters]
    keys = [k for k in key_outcomes(sweep)]
    design = str(attrs.get("design", ""))
    runs = int(sweep.sizes["run"])
    status = np.asarray(sweep["run_status"].values) if "run_status" in sweep.coords else np.ones(runs)
    failed = int((status == 2).sum())
    baseline = str(sweep["variant"].values[0])
    progress = Progress(4 + (len(keys) if design == "saltelli" else 0), progress_on)
    progress(f"read {path.name}: {design} sweep, {runs} design points")

    units = {}
    for spec in coordsim.parameter_specs(str(attrs["model"])) if "model" in attrs else []:
        units[spec["path"]] = spec["unit"]
    effects = {name: parameter_effects(sweep, name) for name in keys}
    progress("main effects")
    summary = [f"<p class='lead'>A {html.escape(design)} sweep of {len(parameters)} parameter(s) "
               f"({', '.join(html.escape(p) for p in parameters)}) over {runs} design points, "
               f"{sweep.sizes['replication']} replication(s) each; the effects below are for the variant "
               f"<b>{html.escape(labels['variants'].get(baseline, baseline))}</b>, averaged over replications and over "
               "the other parameters.</p><ul class='mechanisms'>"]
    def at(value, parameter):
        unit = units.get(parameter, "")
        return f"{value:.3g}" + ("" if unit in ("", "1", "count") else f" {html.escape(unit)}")

    for name in keys:
        frame = effects[name]
        spans = frame.groupby("parameter")["mean"].agg(lambda m: m.max() - m.min()).dropna()
        label = html.escape(_outcome_label(name, sweep, labels))
        if spans.empty or spans.max() <= 0:
            summary.append(f"<li><b>{label}</b> <span class='muted'>does not change with the swept parameters."
                           "</span></li>")
            continue
        strongest = spans.idxmax()
        rows = frame[frame["parameter"] == strongest].dropna(subset=["mean"])
        first, last = rows.iloc[0], rows.iloc[-1]
        unit = str(first["units"])
        summary.append(f"<li><b>{label}</b> changes most with <b>{html.escape(strongest)}</b>: "
                       f"{number(first['mean'], unit)} at {at(first['value'], strongest)} to "
                       f"{number(last['mean'], unit)} at {at(last['value'], strongest)}.</li>")
    summary.append("</ul>")
    page.section("summary", "Summary", "".join(summary))

    warnings_html = sample_size_warnings(attrs)
    if failed:
        warnings_html.append(f"{failed} of {runs} design points failed (run_status 2) and are left out.")
    if warnings_html:
        page.section("warnings", "Warnings", "".join(f"<p class='warning'>{html.escape(w)}</p>"
                                                      for w in warnings_html))

    facts = [("file", str(path)), ("model", attrs.get("model", "")), ("design", design),
             ("samples", attrs.get("samples", "")), ("design points", runs), ("failed", failed),
             ("replications", sweep.sizes["replication"]), ("steps", sweep.sizes["step"]),
             ("variants", ", ".join(str(v) for v in sweep["variant"].values)),
             ("parameters", ", ".join(f"{p} ({units.get(p, '')})" for p in parameters))]
    page.section("sweep", "The sweep", "<dl>" + "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>"
                                                        for k, v in facts) + "</dl>")

    parts = ["<p>Mean of the key outcome over the design points having each value of a parameter, with a Student-t "
             "95 % CI over those points (lhs and saltelli designs: values in quintile bins).</p><div class='grid'>"]
    for name in keys:
        frame = effects[name]
        for parameter in parameters:
            rows = frame[frame["parameter"] == parameter]
            unit = str(rows["units"].iloc[0]) if len(rows) else ""
            trace = {"x": _finite(rows["value"]), "y": _finite(rows["mean"]), "mode": "lines+markers",
                     "error_y": {"type": "data", "symmetric": False, "array": _finite(rows["ci_high"] - rows["mean"]),
                                 "arrayminus": _finite(rows["mean"] - rows["ci_low"])}}
            parts.append(page.plot({"data": [trace], "layout": {
                "title": {"text": html.escape(f"{name} by {parameter}"), "font": {"size": 12}},
                "xaxis": {"title": f"{parameter} ({_unit_text(units.get(parameter, ''))})"},
                "yaxis": {"title": f"{name} ({_unit_text(unit)})"}}}, "plot small"))
    parts.append("</div>")
    page.section("effects", "Parameter effects", "".join(parts))
    progress("parameter effects")

    if design == "grid" and len(parameters) >= 2:
        x, y = coordinates[0], coordinates[1]
        maps = ["<div class='grid'>"]
        for name in keys:
            cells = sweep_cells(sweep, name, x, y)
            grid = cells.pivot_table(index=y, columns=x, values=name, aggfunc="mean").sort_index().sort_index(axis=1)
            unit = units_of(sweep[name])
            maps.append(page.plot({"data": [{"type": "heatmap", "x": [str(v) for v in grid.columns],
                                             "y": [str(v) for v in grid.index],
                                             "z": [_finite(row) for row in grid.to_numpy(dtype=float)],
                                             "colorscale": "Viridis",
                                             "colorbar": {"title": f"{name} ({_unit_text(unit)})"}}],
                                   "layout": {"title": {"text": html.escape(_outcome_label(name, sweep, labels)),
                                                        "font": {"size": 12}},
                                              "xaxis": {"title": f"{parameters[0]} "
                                                                 f"({_unit_text(units.get(parameters[0], ''))})",
                                                        "type": "category"},
                                              "yaxis": {"title": f"{parameters[1]} "
                                                                 f"({_unit_text(units.get(parameters[1], ''))})",
                                                        "type": "category"}}}))
        maps.append("</div>")
        page.section("heatmaps", f"Heatmaps: {parameters[0]} × {parameters[1]}",
                     "<p>Mean over replications (and any further parameters) per cell.</p>" + "".join(maps))

    if design == "saltelli":
        from .sensitivity import sensitivity

        parts = []
        for name in keys:
            indices = sensitivity(sweep, name, n_boot=n_boot).reset_index()
            parts.append(f"<h3>{html.escape(name)}</h3>{_table_html(indices)}")
            progress(f"Sobol indices of {name}")
        page.section("sobol", "Sobol indices", "<p>First-order (S1) and total (ST) indices with bootstrap 95 % "
                     "intervals.</p>" + "".join(parts))
    page.section("scenario", "Sweep file and base scenario",
                 f"<pre>{html.escape(str(attrs.get('sweep', '')))}</pre><pre>"
                 f"{html.escape(str(attrs.get('scenario', '')))}</pre>")
    return progress


# ---------------------------------------------------------------------------------------------
# Calibration reports

CREDIBLE_LEVEL = 0.9
LOW_ESS_SHARE = 0.2  # an effective sample below this share of the particles rests on few of them


def _weighted_interval(values, weights, level: float = CREDIBLE_LEVEL):
    """(low, median, high) of a weighted sample: the equal-tailed interval of ``level``."""
    from .posterior import weighted_quantile

    low, median, high = weighted_quantile(values, weights, [(1 - level) / 2, 0.5, (1 + level) / 2])
    return float(low), float(median), float(high)


def predictive_spread(ds, level: float = CREDIBLE_LEVEL) -> pd.DataFrame:
    """Per target of a calibration file: the observed value (or interval) and the posterior
    predictive spread stored in the file, i.e. the last generation's simulated target values
    (each a mean over the calibration's replications) with the particles' weights: weighted mean,
    median and equal-tailed interval of ``level``, and whether the observation lies inside it."""
    last = ds.isel(generation=-1)
    weights = np.asarray(last["weight"].values, dtype=float)
    rows = []
    for index, target in enumerate(str(t) for t in ds["target"].values):
        simulated = np.asarray(last["simulated"].isel(target=index).values, dtype=float)
        keep = np.isfinite(simulated) & (weights > 0)
        low, median, high = (_weighted_interval(simulated[keep], weights[keep], level) if keep.any()
                             else (math.nan, math.nan, math.nan))
        mean = float(np.sum(weights[keep] * simulated[keep]) / np.sum(weights[keep])) if keep.any() else math.nan
        interval = bool(int(ds["observed_is_interval"].values[index]))
        observed_low = float(ds["observed_low"].values[index]) if interval else float(ds["observed"].values[index])
        observed_high = float(ds["observed_high"].values[index]) if interval else observed_low
        rows.append({"target": target, "outcome": str(ds["target_outcome"].values[index]),
                     "statistic": str(ds["target_statistic"].values[index]),
                     "variant": str(ds["target_variant"].values[index]),
                     "observed": float(ds["observed"].values[index]), "observed_low": observed_low,
                     "observed_high": observed_high, "interval": interval,
                     "weight": float(ds["target_weight"].values[index]), "simulated_mean": mean,
                     "simulated_median": median, "simulated_low": low, "simulated_high": high,
                     # The observation (an interval: any part of it) lies within the predictive interval.
                     "covered": bool(observed_low <= high and observed_high >= low)})
    return pd.DataFrame(rows)


def _generation_figure(ds, name: str, title: str, log: bool = False) -> dict:
    generations = [int(g) for g in ds["generation"].values]
    return {"data": [{"x": generations, "y": _finite(ds[name].values), "mode": "lines+markers",
                      "hovertemplate": "generation %{x}: %{y:.4g}<extra></extra>"}],
            "layout": {"title": {"text": title, "font": {"size": 12}}, "xaxis": {"title": "generation", "dtick": 1},
                       "yaxis": {"title": name, "type": "log" if log else "linear"}, "showlegend": False}}


def marginal_figure(ds, parameter: str, row, bins: int = 20) -> dict:
    """Weighted histogram (density) of one parameter's posterior over its prior's support, with
    the credible interval shaded and the posterior mean marked."""
    last = ds.isel(generation=-1)
    values = np.asarray(last["value"].sel(parameter=parameter).values, dtype=float)
    weights = np.asarray(last["weight"].values, dtype=float)
    low, high = float(row["prior_low"]), float(row["prior_high"])
    density, edges = np.histogram(values, bins=bins, range=(low, high), weights=weights, density=True)
    centres = 0.5 * (edges[:-1] + edges[1:])
    peak = float(density.max()) if density.size else 1.0
    return {"data": [
        {"type": "bar", "x": _finite(centres), "y": _finite(density), "width": float(edges[1] - edges[0]),
         "marker": {"color": "#4c72b0"}, "name": "posterior", "hovertemplate": "%{x:.4g}: %{y:.4g}<extra></extra>"},
        {"x": [float(row["mean"])] * 2, "y": [0, peak * 1.05], "mode": "lines", "name": "posterior mean",
         "line": {"color": "#dd8452", "width": 2}}],
        "layout": {"title": {"text": html.escape(parameter), "font": {"size": 12}},
                   "xaxis": {"title": f"{parameter} (prior support)", "range": [low, high]},
                   "yaxis": {"title": "posterior density"}, "bargap": 0.02,
                   "legend": {"orientation": "h", "y": -0.38, "font": {"size": 10}},
                   "margin": {"t": 40, "r": 10, "b": 80, "l": 60},
                   "shapes": [{"type": "rect", "xref": "x", "yref": "paper", "x0": float(row["low"]),
                               "x1": float(row["high"]), "y0": 0, "y1": 1, "fillcolor": "rgba(221,132,82,0.18)",
                               "line": {"width": 0}, "layer": "below"}]}}


def pair_figure(ds, first: str, second: str) -> dict:
    """The posterior particles of two parameters, marker area proportional to weight."""
    last = ds.isel(generation=-1)
    weights = np.asarray(last["weight"].values, dtype=float)
    size = 4 + 16 * np.sqrt(weights / weights.max()) if weights.max() > 0 else np.full(weights.shape, 6.0)
    return {"data": [{"type": "scatter", "mode": "markers",
                      "x": _finite(last["value"].sel(parameter=first).values),
                      "y": _finite(last["value"].sel(parameter=second).values),
                      "marker": {"size": _finite(size), "color": "#4c72b0", "opacity": 0.55},
                      "text": [f"weight {w:.3g}" for w in weights],
                      "hovertemplate": "%{x:.4g}, %{y:.4g} (%{text})<extra></extra>"}],
            "layout": {"title": {"text": html.escape(f"{second} against {first}"), "font": {"size": 12}},
                       "xaxis": {"title": first, "range": [float(ds["prior_low"].sel(parameter=first)),
                                                           float(ds["prior_high"].sel(parameter=first))]},
                       "yaxis": {"title": second, "automargin": True,
                                 "range": [float(ds["prior_low"].sel(parameter=second)),
                                           float(ds["prior_high"].sel(parameter=second))]},
                       "showlegend": False}}


def targets_figure(spread: pd.DataFrame) -> dict:
    """Per target (one panel each, as their units differ): the observed value or interval and the
    posterior predictive median with its credible interval."""
    data, layout = [], {"showlegend": True, "legend": {"orientation": "h", "y": -0.08, "font": {"size": 10}},
                        "height": 90 + 80 * len(spread), "margin": {"t": 30, "r": 10, "b": 40, "l": 10}}
    count = len(spread)
    for index, row in enumerate(spread.itertuples(index=False)):
        axis = "" if index == 0 else str(index + 1)
        top = 1 - index / count
        layout[f"yaxis{axis}"] = {"domain": [top - 0.75 / count, top - 0.1 / count], "showticklabels": False,
                                  "range": [-1, 1], "fixedrange": True, "zeroline": False, "showgrid": False}
        ends = [v for v in (row.simulated_low, row.simulated_high, row.observed_low, row.observed_high)
                if math.isfinite(v)]
        pad = 0.05 * (max(ends) - min(ends)) if ends and max(ends) > min(ends) else 1.0
        layout[f"xaxis{axis}"] = {"anchor": f"y{axis}", "title": {"text": html.escape(row.target), "standoff": 2},
                                  "automargin": True, "zeroline": False,
                                  **({"range": [min(ends) - pad, max(ends) + pad]} if ends else {})}
        refs = {"xaxis": f"x{axis}", "yaxis": f"y{axis}"}
        first = index == 0
        data.append({"x": [row.simulated_low, row.simulated_high], "y": [0.2, 0.2], "mode": "lines",
                     "line": {"color": "#4c72b0", "width": 8}, "opacity": 0.5, "name": "posterior predictive "
                     f"{int(CREDIBLE_LEVEL * 100)} % interval", "legendgroup": "spread", "showlegend": first,
                     "hovertemplate": "%{x:.4g}<extra>predictive interval</extra>", **refs})
        data.append({"x": [row.simulated_median], "y": [0.2], "mode": "markers", "name": "posterior predictive median",
                     "marker": {"color": "#1f3b73", "size": 10}, "legendgroup": "median", "showlegend": first,
                     "hovertemplate": "%{x:.4g}<extra>predictive median</extra>", **refs})
        if row.interval:
            data.append({"x": [row.observed_low, row.observed_high], "y": [-0.3, -0.3], "mode": "lines+markers",
                         "line": {"color": "#d62728", "width": 4}, "marker": {"symbol": "line-ns-open", "size": 14},
                         "name": "observed interval", "legendgroup": "interval",
                         "showlegend": not spread["interval"].iloc[:index].any(),
                         "hovertemplate": "%{x:.4g}<extra>observed interval</extra>", **refs})
        else:
            data.append({"x": [row.observed], "y": [-0.3], "mode": "markers", "name": "observed",
                         "marker": {"color": "#d62728", "size": 12, "symbol": "diamond"}, "legendgroup": "observed",
                         "showlegend": bool(spread["interval"].iloc[:index].all()),
                         "hovertemplate": "%{x:.4g}<extra>observed</extra>", **refs})
    return {"data": data, "layout": layout}


def _calibration_report(path: pathlib.Path, page: Page, *, progress_on: bool, **_):
    import xarray as xr

    from .posterior import summary as posterior_summary

    progress = Progress(6, progress_on)
    ds = xr.load_dataset(path, engine="h5netcdf")
    attrs = ds.attrs
    parameters = [str(p) for p in ds["parameter"].values]
    generations = int(ds.sizes["generation"])
    particles = int(ds.sizes["particle"])
    progress(f"read {path.name}: {generations} generations x {particles} particles, {len(parameters)} parameters, "
             f"{int(ds.sizes['target'])} targets")
    table = posterior_summary(ds, CREDIBLE_LEVEL)
    spread = predictive_spread(ds)
    level = f"{int(CREDIBLE_LEVEL * 100)} %"
    progress("posterior and predictive summaries")

    stop = str(attrs.get("stop_reason", ""))
    final_tolerance = float(ds["tolerance"].values[-1])
    lines = [f"<p class='lead'>ABC-SMC calibration of {len(parameters)} parameter(s) of the model "
             f"<b>{html.escape(str(attrs.get('model', '')))}</b> to {len(spread)} target(s): {generations} "
             f"generations of {particles} particles, stopped: {html.escape(stop)} (final tolerance "
             f"{number(final_tolerance)}). The posterior is the last generation, weighted; intervals are equal-tailed "
             f"{level} credible intervals.</p><ul class='mechanisms'>"]
    for name, row in table.iterrows():
        width = (row["high"] - row["low"]) / (row["prior_high"] - row["prior_low"])
        lines.append(f"<li><b>{html.escape(name)}</b>: posterior mean {number(row['mean'])} ({level} interval "
                     f"{number(row['low'])} to {number(row['high'])}), within the prior's {number(row['prior_low'])} "
                     f"to {number(row['prior_high'])}; the interval spans {width * 100:.0f} % of the prior's "
                     "range.</li>")
    lines.append("</ul>")
    covered = spread[spread["covered"]]
    missed = spread[~spread["covered"]]
    lines.append(f"<p>{len(covered)} of {len(spread)} target(s) lie within the posterior predictive {level} interval"
                 + (": " + ", ".join(html.escape(t) for t in covered["target"]) if len(covered) else "") + ". "
                 + (f"<span class='down'>Not reached</span>: "
                    + "; ".join(f"{html.escape(r.target)} (observed {number(r.observed_low)}"
                                + (f" to {number(r.observed_high)}" if r.interval else "")
                                + f", simulated {number(r.simulated_low)} to {number(r.simulated_high)})"
                                for r in missed.itertuples()) + "." if len(missed) else "") + "</p>")
    page.section("summary", "Summary", "".join(lines))

    warnings_html = []
    ess = float(ds["ess"].values[-1])
    if ess < LOW_ESS_SHARE * particles:
        warnings_html.append(f"The last generation's effective sample size is {ess:.1f} of {particles} particles: the "
                             "posterior rests on few particles; use more particles or a larger alpha.")
    failed = int(np.sum(ds["failed_particles"].values))
    if failed:
        warnings_html.append(f"{failed} simulated particle(s) failed (NaN targets) and were rejected.")
    if stop == "budget of runs spent":
        warnings_html.append("The budget of runs was spent before the tolerance goal was reached: the posterior may "
                             "still be wider than the targets allow.")
    if warnings_html:
        page.section("warnings", "Warnings", "".join(f"<p class='warning'>{html.escape(w)}</p>"
                                                      for w in warnings_html))

    facts = [("file", str(path)), ("model", attrs.get("model", "")), ("description", attrs.get("description", "")),
             ("coordsim version", f"{attrs.get('coordsim_version', '')} (format {attrs.get('format_version', '')})"),
             ("seed", attrs.get("seed", "")), ("replications per particle", attrs.get("replications", "")),
             ("steps", attrs.get("steps", "")), ("variants", attrs.get("variants", "")),
             ("particles / alpha", f"{particles} / {attrs.get('alpha', '')}"),
             ("tolerance goal", attrs.get("tolerance_goal", "")), ("min_acceptance", attrs.get("min_acceptance", "")),
             ("budget (max_runs)", attrs.get("max_runs", "")),
             ("runs simulated", int(np.sum(ds["simulated_particles"].values))), ("stopped", stop)]
    page.section("calibration", "The calibration", "<dl>" + "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in facts) + "</dl>")

    frame = pd.DataFrame({"generation": ds["generation"].values, "tolerance": ds["tolerance"].values,
                          "acceptance rate": ds["acceptance_rate"].values, "ESS": ds["ess"].values,
                          "proposals": ds["proposals"].values, "simulated": ds["simulated_particles"].values,
                          "failed": ds["failed_particles"].values})
    positive = bool(np.all(np.asarray(ds["tolerance"].values) > 0))
    page.section("generations", "Generations",
                 "<p>Tolerance (the distance below which a particle is accepted), acceptance rate (accepted / "
                 "simulated) and effective sample size (1 / Σ w²) per generation.</p><div class='grid'>"
                 + page.plot(_generation_figure(ds, "tolerance", "Tolerance", log=positive), "plot small")
                 + page.plot(_generation_figure(ds, "acceptance_rate", "Acceptance rate"), "plot small")
                 + page.plot(_generation_figure(ds, "ess", "Effective sample size"), "plot small")
                 + "</div>" + _table_html(frame))
    progress("generations")

    shown = table.reset_index().rename(columns={"low": f"{level} low", "high": f"{level} high"})
    marginals = [f"<p>Weighted histograms of the posterior over each prior's support; shaded: the {level} credible "
                 "interval, line: the posterior mean.</p>", _table_html(shown), "<div class='grid'>"]
    marginals += [page.plot(marginal_figure(ds, name, table.loc[name]), "plot small") for name in parameters]
    marginals.append("</div>")
    page.section("marginals", "Posterior marginals", "".join(marginals))
    if len(parameters) > 1:
        pairs = ["<p>Posterior particles of each pair of parameters over the priors' supports; marker area grows "
                 "with the particle's weight.</p><div class='grid'>"]
        pairs += [page.plot(pair_figure(ds, a, b)) for i, a in enumerate(parameters) for b in parameters[i + 1:]]
        pairs.append("</div>")
        page.section("pairs", "Pairwise", "".join(pairs))
    progress("posterior plots")

    shown = spread[["target", "statistic", "variant", "observed_low", "observed_high", "weight",
                    "simulated_mean", "simulated_low", "simulated_median", "simulated_high", "covered"]].rename(
        columns={"observed_low": "observed (low)", "observed_high": "observed (high)",
                 "simulated_low": f"simulated {level} low", "simulated_high": f"simulated {level} high",
                 "simulated_median": "simulated median", "simulated_mean": "simulated mean",
                 "covered": "inside"})
    shown["inside"] = shown["inside"].map({True: "yes", False: "no"})
    page.section("targets", "Targets against observed",
                 f"<p>The posterior predictive spread stored in the file: the last generation's simulated target values "
                 f"(each the mean over {html.escape(str(attrs.get('replications', '')))} replication(s)), weighted, "
                 f"as median and {level} interval, against the observed value or interval. Fresh simulations from "
                 "the posterior: <code>coordsim.analysis.posterior.predictive_check</code>.</p>"
                 + page.plot(targets_figure(spread)) + f"<div style='overflow-x:auto'>{_table_html(shown)}</div>")
    progress("targets")
    page.section("file", "Calibration file and base scenario",
                 f"<pre>{html.escape(str(attrs.get('calibration', '')))}</pre><pre>"
                 f"{html.escape(str(attrs.get('scenario', '')))}</pre>")
    return progress


def write_report(results: os.PathLike, directory: os.PathLike, *, n_boot: int = 2000, agent_plots: bool = True,
                 labels: Optional[dict] = None, progress: bool = True) -> pathlib.Path:
    """Write ``directory/index.html`` for a run, sweep or calibration result file; returns its path.

    `labels`: ``{"variants": {...}, "outcomes": {...}}`` readable names, over those of the
    scenario's ``labels:`` block. `progress`: lines on stderr."""
    import coordsim

    results = pathlib.Path(results)
    directory = pathlib.Path(directory)
    kind = coordsim.root_attributes(results).get("kind", "run")
    page = Page(f"coordsim {kind + ' ' if kind in ('sweep', 'calibration') else ''}report: {results.name}")
    if kind == "calibration":
        steps = _calibration_report(results, page, progress_on=progress)
    elif kind == "sweep":
        steps = _sweep_report(results, page, n_boot=n_boot, extra_labels=labels, progress_on=progress)
    else:
        steps = _run_report(results, page, n_boot=n_boot, agent_plots=agent_plots, extra_labels=labels,
                            progress_on=progress)
    directory.mkdir(parents=True, exist_ok=True)
    index = directory / "index.html"
    partial = directory / "index.html.partial"
    partial.write_text(page.html(), encoding="utf-8")
    partial.replace(index)  # a crash never leaves half a page
    steps(f"wrote {index} ({index.stat().st_size / 1e6:.1f} MB)")
    return index


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m coordsim.report",
                                     description="Write a self-contained HTML report (plain-language summary, "
                                                 "interactive plots, comparison tables, scenario) of a coordsim run, "
                                                 "sweep or calibration result file.")
    parser.add_argument("results", help="result file written by `coordsim run`, `coordsim sweep` or "
                                            "`coordsim calibrate` (HDF5)")
    parser.add_argument("-o", "--output", help="report folder (default: <results stem>_report)")
    parser.add_argument("--bootstrap", type=int, default=2000, help="bootstrap resamples (default 2000)")
    parser.add_argument("--no-agents", action="store_true", help="leave out per-agent plots")
    parser.add_argument("--labels", help="YAML file of readable names: variants: {name: text}, outcomes: {name: "
                                         "text} (over the scenario's labels: block)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    options = parser.parse_args(argv)
    results = pathlib.Path(options.results)
    if not results.is_file():
        print(f"error: {results}: no such file", file=sys.stderr)
        return 2
    try:
        from coordsim._labels import load_labels

        labels = load_labels(options.labels) if options.labels else None
    except (OSError, ValueError) as error:
        print(f"error: {options.labels}: {error}", file=sys.stderr)
        return 2
    directory = pathlib.Path(options.output) if options.output else results.with_name(results.stem + "_report")
    try:
        index = write_report(results, directory, n_boot=options.bootstrap, agent_plots=not options.no_agents,
                             labels=labels, progress=not options.quiet)
    except (OSError, KeyError, ValueError) as error:
        print(f"error: {results}: {error}", file=sys.stderr)
        return 1
    print(f"Report written to {index}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
