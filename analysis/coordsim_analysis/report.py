"""An HTML report of a coordsim result file.

``python3 -m coordsim.report OUT.h5 -o DIR`` writes ``DIR/index.html`` and PNG plots beside it:

1. the run (model, seed, replications, steps, variants);
2. for each key outcome (the command line's comparison table): mean and 95 % CI per variant,
   and the paired difference to the baseline with a bootstrap CI and Cohen's d;
3. a forest plot of those effects;
4. every outcome time series, mean and 95 % CI per variant;
5. per-agent distributions at the last recorded step (when the file has agents);
6. the fully resolved scenario (running it again reproduces the file).
"""
from __future__ import annotations

import argparse
import html
import os
import pathlib
import sys
from typing import Optional, Sequence

import pandas as pd

# The plots are bare matplotlib Figures rendered by Agg on savefig: no backend, no pyplot.
from .compare import compare, key_outcomes, summarize
from .plots import plot_agent_distributions, plot_effects, plot_series

_STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; font-size: .85em; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 1em; }
.grid img, img.wide { width: 100%; border: 1px solid #eee; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: .8em; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dt { font-weight: bold; }
"""


def _save(figure, directory: pathlib.Path, name: str) -> str:
    path = directory / name
    figure.savefig(path, dpi=110)
    return name


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, float_format=lambda v: f"{v:.4g}", na_rep="–", border=0, escape=True)


def write_report(results: os.PathLike, directory: os.PathLike, *, n_boot: int = 4000,
                 agent_plots: bool = True) -> pathlib.Path:
    """Write ``directory/index.html`` (and its PNGs) for a result file; returns the HTML path."""
    import coordsim

    results = pathlib.Path(results)
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    loaded = coordsim.load_results(results, agents=agent_plots)
    outcomes, agents = (loaded.outcomes, loaded.agents) if agent_plots else (loaded, {})
    attrs = outcomes.attrs
    variants = [str(v) for v in outcomes["variant"].values]
    keys = key_outcomes(outcomes)

    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>coordsim report: "
             f"{html.escape(results.name)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>coordsim report: {html.escape(results.name)}</h1>",
             "<dl>"]
    facts = [("file", str(results)), ("model", attrs.get("model", "")),
             ("coordsim version", f"{attrs.get('coordsim_version', '')} (format {attrs.get('format_version', '')})"),
             ("seed", attrs.get("seed", "")), ("replications", attrs.get("replications", "")),
             ("steps", f"{attrs.get('steps', '')} (one step = one working day)"),
             ("variants", ", ".join(variants) + f" (baseline: {variants[0]})"),
             ("per-agent outcomes", f"every {attrs.get('agent_every', '')} steps" if agents else "not in the file")]
    parts += [f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in facts]
    parts.append("</dl>")

    parts.append("<h2>Comparison of variants</h2>")
    parts.append("<p>Key end-of-run outcomes. Means with Student-t 95 % CIs over replications; differences to "
                 f"'{html.escape(variants[0])}' paired by replication (variants share random numbers), with "
                 f"percentile bootstrap 95 % CIs ({n_boot} resamples, fixed seed) and Cohen's d for paired data "
                 "(mean difference / SD of the differences).</p>")
    effects = []
    for name in keys:
        variable = outcomes[name]
        parts.append(f"<h3>{html.escape(name)} ({html.escape(variable.attrs.get('units', ''))}): "
                     f"{html.escape(variable.attrs.get('long_name', ''))}</h3>")
        means = summarize(outcomes, name).drop(columns=["outcome"])
        differences = compare(outcomes, name, n_boot=n_boot)
        effects.append(differences)
        table = means.merge(differences[["variant", "difference", "ci_low", "ci_high", "cohens_d"]], on="variant",
                            how="left", suffixes=("", "_difference"))
        table = table.rename(columns={"ci_low": "mean CI low", "ci_high": "mean CI high",
                                      "ci_low_difference": "difference CI low",
                                      "ci_high_difference": "difference CI high", "cohens_d": "Cohen's d"})
        parts.append(_table_html(table))
    if effects:
        figure = plot_effects(pd.concat(effects, ignore_index=True))
        parts.append("<h2>Effects of the mechanisms</h2>")
        parts.append(f"<img class='wide' src='{_save(figure, directory, 'effects.png')}' alt='effects'>")
    else:
        parts.append("<p>The file marks no key outcome.</p>")

    parts.append("<h2>Outcomes over time</h2><div class='grid'>")
    for name, variable in outcomes.data_vars.items():
        if "step" not in variable.dims:
            continue
        figure = plot_series(outcomes, name)
        parts.append(f"<img src='{_save(figure, directory, f'series_{name}.png')}' alt='{html.escape(name)}'>")
    parts.append("</div>")

    if agents:
        parts.append("<h2>Per-agent outcomes at the last recorded step</h2>")
        for kind, dataset in agents.items():
            parts.append(f"<h3>{html.escape(kind)}</h3><div class='grid'>")
            for name in dataset.data_vars:
                figure = plot_agent_distributions(dataset, name)
                png = _save(figure, directory, f"agents_{kind}_{name}.png")
                parts.append(f"<img src='{png}' alt='{html.escape(kind)} {html.escape(name)}'>")
            parts.append("</div>")

    parts.append("<h2>Scenario (fully resolved)</h2>")
    parts.append(f"<pre>{html.escape(str(attrs.get('scenario', '')))}</pre>")
    parts.append("</body></html>")
    index = directory / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    return index


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m coordsim.report",
                                     description="Write an HTML report (plots as PNG, comparison tables, scenario) "
                                                 "of a coordsim result file.")
    parser.add_argument("results", help="result file written by `coordsim run` (HDF5)")
    parser.add_argument("-o", "--output", help="report folder (default: <results stem>_report)")
    parser.add_argument("--bootstrap", type=int, default=4000, help="bootstrap resamples (default 4000)")
    parser.add_argument("--no-agents", action="store_true", help="leave out per-agent plots")
    options = parser.parse_args(argv)
    results = pathlib.Path(options.results)
    if not results.is_file():
        print(f"error: {results}: no such file", file=sys.stderr)
        return 2
    directory = pathlib.Path(options.output) if options.output else results.with_name(results.stem + "_report")
    try:
        index = write_report(results, directory, n_boot=options.bootstrap, agent_plots=not options.no_agents)
    except (OSError, KeyError, ValueError) as error:
        print(f"error: {results}: {error}", file=sys.stderr)
        return 1
    print(f"Report written to {index}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
