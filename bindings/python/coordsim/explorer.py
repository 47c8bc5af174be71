"""``coordsim explore [SCENARIO]``: an interactive explorer of a scenario in the web browser.

A small web server on 127.0.0.1 (never another interface) serves one page: controls generated
from the model's parameter schema (sliders for numbers with their range and unit, selectors for
choices, check boxes for switches; the description is the tooltip), a check box per variant,
the selected outcome's time series (mean and 95 % CI band per variant, clipped to the outcome's
valid range) and the table of paired differences of the key outcomes to the baseline. Every
change runs the scenario again on the engine in a background thread; a change made while a run
is going supersedes the waiting one, and a result that is no longer the latest is dropped.
Interactive runs use fewer replications (and, if asked, steps) than the scenario; the page says
how many. "Save scenario" downloads the scenario as it stands (all parameters changed on the
page, the variants switched on, the scenario's own run settings) as YAML for ``coordsim run``.

plotly.js comes from Debian's python3-plotly and is served by the same server: the page works
offline. From Python, :func:`coordsim.explore` shows the page inline in a notebook.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
import time
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional

import numpy as np

from . import _core
from ._core import Scenario, ScenarioError

HOST = "127.0.0.1"
# Interactive defaults: few replications keep an update of the county near a second on 2 cores.
DEFAULT_REPLICATIONS = 3
DEFAULT_BOOTSTRAP = 1000


def _json_number(value):
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _plain(value):
    """A parameter value as JSON: NumPy scalars and lists to Python."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class Explorer:
    """The state behind one explorer page: base scenario, interactive settings and the runner.

    :meth:`request` runs a setting (parameter values and variants switched on) and returns the
    page's data, or ``None`` when a newer request superseded it before it started or finished.
    """

    def __init__(self, scenario: Scenario, *, replications: Optional[int] = None, steps: Optional[int] = None,
                 threads: Optional[int] = None):
        self.base = scenario.copy()
        self.scenario_replications = int(scenario["run.replications"])
        self.scenario_steps = int(scenario["run.steps"])
        self.replications = int(replications) if replications else min(DEFAULT_REPLICATIONS,
                                                                         self.scenario_replications)
        self.steps = int(steps) if steps else self.scenario_steps
        if self.replications < 2:
            raise ValueError("the explorer needs at least 2 replications for confidence intervals")
        self.threads = int(threads or 0)
        self.specs = [dict(spec) for spec in _core.parameter_specs(scenario.model)]
        self.values = {spec["path"]: _plain(scenario[spec["path"]]) for spec in self.specs}
        from ._labels import scenario_labels

        self.labels = scenario_labels(scenario.to_yaml())
        self._lock = threading.Condition()
        self._latest = 0
        self._run_lock = threading.Lock()  # one engine batch at a time
        self._last = None  # (request id, Dataset) of the last finished run

    # -- scenarios ---------------------------------------------------------------------------
    def scenario_for(self, values: Dict[str, Any], variants: List[str]) -> Scenario:
        """The base scenario with `values` set (validated as --set) and only `variants` kept
        (the baseline always). Raises ScenarioError / ValueError for invalid input."""
        import yaml

        known = {spec["path"] for spec in self.specs}
        scenario = self.base.copy()
        for path, value in values.items():
            if path not in known:
                raise ValueError(f"unknown parameter {path!r}")
            if _plain(scenario[path]) != value:
                scenario[path] = value
        names = scenario.variants
        unknown = [name for name in variants if name not in names]
        if unknown:
            raise ValueError(f"unknown variant(s): {', '.join(unknown)}")
        keep = [names[0]] + [name for name in names[1:] if name in variants]
        if keep == names:
            return scenario
        document = yaml.safe_load(scenario.to_yaml())
        document["variants"] = {name: document["variants"][name] for name in keep}
        labels = document.get("labels") or {}
        if "variants" in labels:  # labels of variants switched off would name variants that are gone
            labels["variants"] = {name: text for name, text in labels["variants"].items() if name in keep}
            if not labels["variants"]:
                del labels["variants"]
            if not labels:
                del document["labels"]
        return Scenario.from_yaml(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), scenario.source)

    def yaml_for(self, values: Dict[str, Any], variants: List[str]) -> str:
        """The scenario of a page setting as a file for ``coordsim run`` (full run settings)."""
        scenario = self.scenario_for(values, variants)
        header = (f"# Saved from coordsim explore ({os.path.basename(self.base.source) or 'scenario'}); "
                  f"run it with: coordsim run THIS_FILE.yaml\n")
        return header + scenario.to_yaml()

    # -- runs --------------------------------------------------------------------------------
    def _stale(self, ident: int) -> bool:
        with self._lock:
            return ident != self._latest

    def request(self, values: Dict[str, Any], variants: List[str], outcome: Optional[str] = None):
        """Run a page setting; the page data, or None when superseded by a newer request."""
        with self._lock:
            self._latest += 1
            ident = self._latest
        scenario = self.scenario_for(values, variants)  # invalid input raises before waiting
        with self._run_lock:
            if self._stale(ident):
                return None  # a newer setting is waiting: this one never runs
            from ._results import run

            started = time.perf_counter()
            dataset = run(scenario, replications=self.replications, steps=self.steps, threads=self.threads)
            seconds = time.perf_counter() - started
            self._last = (ident, dataset)
        if self._stale(ident):
            return None  # finished, but the page has asked for something newer
        return self.page_data(dataset, outcome, ident, seconds)

    def series_of(self, outcome: str):
        """Series data of the last finished run for another outcome (no new run)."""
        if self._last is None:
            raise ValueError("nothing has run yet")
        ident, dataset = self._last
        return {"id": ident, "series": series_data(dataset, outcome, self.labels)}

    def page_data(self, dataset, outcome: Optional[str], ident: int, seconds: float) -> dict:
        from .analysis import compare, key_outcomes

        keys = key_outcomes(dataset)
        table = compare(dataset, keys, n_boot=DEFAULT_BOOTSTRAP) if keys else None
        rows = []
        if table is not None:
            for row in table.itertuples(index=False):
                rows.append({"outcome": row.outcome, "label": self.labels["outcomes"].get(row.outcome, row.outcome),
                             "variant": row.variant,
                             "variant_label": self.labels["variants"].get(row.variant, row.variant),
                             "baseline_mean": _json_number(row.baseline_mean), "mean": _json_number(row.mean),
                             "difference": _json_number(row.difference), "ci_low": _json_number(row.ci_low),
                             "ci_high": _json_number(row.ci_high), "cohens_d": _json_number(row.cohens_d),
                             "units": row.units})
        return {"id": ident, "seconds": round(seconds, 3), "variants": [str(v) for v in dataset["variant"].values],
                "replications": int(dataset.sizes["replication"]), "steps": int(dataset.sizes["step"]),
                "series": series_data(dataset, outcome or default_outcome(dataset), self.labels), "table": rows}

    # -- what the page needs first -----------------------------------------------------------
    def schema(self) -> dict:
        return {"model": self.base.model, "description": self.base.description, "source": self.base.source,
                "parameters": [dict(spec, value=self.values[spec["path"]], default=_plain(spec["default"]))
                               for spec in self.specs],
                "variants": self.base.variants,
                "variant_labels": {name: self.labels["variants"].get(name, name) for name in self.base.variants},
                "overrides": {name: {k: _plain(v) for k, v in values.items()}
                              for name, values in self.base.overrides.items()},
                "replications": self.replications, "steps": self.steps,
                "scenario_replications": self.scenario_replications, "scenario_steps": self.scenario_steps}


def default_outcome(dataset) -> str:
    """The series first shown: the one behind the first key summary that has one (a key summary
    NAME_total, NAME_mean or NAME_final summarises the series NAME), else the first series."""
    series = [name for name, v in dataset.data_vars.items() if "step" in v.dims]
    for name, variable in dataset.data_vars.items():
        if "step" in variable.dims or not int(variable.attrs.get("key", 0)):
            continue
        for suffix in ("_total", "_mean", "_final"):
            if name.endswith(suffix) and name[: -len(suffix)] in series:
                return name[: -len(suffix)]
    return series[0]


def series_data(dataset, outcome: str, labels: Optional[dict] = None) -> dict:
    """Mean and Student-t 95 % CI per variant and step of one series, clipped to its valid range."""
    from scipy import stats

    from .analysis.compare import units_of, valid_range, variable

    array = variable(dataset, outcome)
    if "step" not in array.dims:
        raise ValueError(f"{outcome!r} is not a time series")
    values = np.asarray(array.transpose("variant", "replication", "step").values, dtype=float)
    low_limit, high_limit = valid_range(array)
    traces = []
    with np.errstate(invalid="ignore", divide="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            count = np.sum(np.isfinite(values), axis=1)
            mean = np.nanmean(values, axis=1)
            sem = np.nanstd(values, axis=1, ddof=1) / np.sqrt(count)
            half = stats.t.ppf(0.975, np.maximum(count - 1, 1)) * sem
    low = np.clip(mean - half, low_limit, high_limit)
    high = np.clip(mean + half, low_limit, high_limit)

    def clean(row):
        return [None if not math.isfinite(v) else round(float(v), 6) for v in row]

    variant_labels = (labels or {}).get("variants", {})
    for index, name in enumerate(str(v) for v in array["variant"].values):
        traces.append({"variant": name, "label": variant_labels.get(name, name), "mean": clean(mean[index]),
                       "low": clean(low[index]), "high": clean(high[index])})
    return {"outcome": outcome, "long_name": str(array.attrs.get("long_name", outcome)), "units": units_of(array),
            "steps": [int(s) for s in array["step"].values], "traces": traces,
            "choices": [name for name, v in dataset.data_vars.items() if "step" in v.dims]}


# ---------------------------------------------------------------------------------------------
# The web server

def plotly_js() -> bytes:
    """plotly.js as shipped by python3-plotly (served to the page; nothing is fetched online)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


def page_html() -> bytes:
    from ._explore_page import PAGE

    return PAGE.encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    explorer: Explorer
    server_version = "coordsim-explore"

    def log_message(self, format, *args):  # noqa: A002  (quiet: no line per request)
        return

    def _send(self, status: int, body: bytes, content_type: str, cache: bool = False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=86400" if cache else "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload) -> None:
        self._send(status, json.dumps(payload, allow_nan=False).encode("utf-8"), "application/json; charset=utf-8")

    def do_GET(self):  # noqa: N802
        if self.path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, page_html(), "text/html; charset=utf-8")
        elif self.path == "/plotly.js":
            self._send(HTTPStatus.OK, self.server.plotly, "text/javascript; charset=utf-8", cache=True)
        elif self.path == "/api/schema":
            self._json(HTTPStatus.OK, self.explorer.schema())
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no page {self.path}"})

    def do_POST(self):  # noqa: N802
        try:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            values = body.get("values", {})
            variants = body.get("variants", [])
            if self.path == "/api/run":
                data = self.explorer.request(values, variants, body.get("outcome"))
                self._json(HTTPStatus.OK, {"stale": True} if data is None else data)
            elif self.path == "/api/series":
                self._json(HTTPStatus.OK, self.explorer.series_of(body["outcome"]))
            elif self.path == "/api/yaml":
                text = self.explorer.yaml_for(values, variants)
                self._send(HTTPStatus.OK, text.encode("utf-8"), "application/x-yaml; charset=utf-8")
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": f"no action {self.path}"})
        except (ScenarioError, ValueError, KeyError, TypeError) as error:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(error).strip("'\"")})


class ExplorerServer:
    """The explorer's HTTP server on 127.0.0.1, serving in a daemon thread."""

    def __init__(self, explorer: Explorer, port: int = 0):
        handler = type("Handler", (_Handler,), {"explorer": explorer})
        self.explorer = explorer
        self.httpd = ThreadingHTTPServer((HOST, int(port)), handler)
        self.httpd.daemon_threads = True
        self.httpd.plotly = plotly_js()
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="coordsim-explore", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.httpd.server_address[1]}/"

    def start(self) -> "ExplorerServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _repr_html_(self) -> str:
        return (f"<iframe src='{self.url}' width='100%' height='860' style='border:1px solid #ddd'></iframe>"
                f"<p style='font-size:small'>coordsim explorer at <a href='{self.url}' target='_blank'>{self.url}</a>"
                " (served by this kernel; <code>.stop()</code> ends it)</p>")

    def __repr__(self) -> str:
        return f"<coordsim explorer at {self.url}>"


def serve(scenario=None, *, port: int = 0, replications: Optional[int] = None, steps: Optional[int] = None,
          threads: Optional[int] = None) -> ExplorerServer:
    """Start the explorer for `scenario` (Scenario, path, or None for the county) in the
    background and return the running server (``.url``, ``.stop()``)."""
    if scenario is None:
        scenario = Scenario.default()
    elif not isinstance(scenario, Scenario):
        scenario = Scenario.load(scenario)
    explorer = Explorer(scenario, replications=replications, steps=steps, threads=threads)
    return ExplorerServer(explorer, port).start()


def explore_inline(scenario=None, **options) -> ExplorerServer:
    """:func:`coordsim.explore`: the running server, shown inline by a notebook (an iframe)."""
    return serve(scenario, **options)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="coordsim explore",
        description="Explore a scenario in the web browser: sliders for the model's parameters, variants on and "
                    "off, outcome series with CI bands and paired differences, updated as you change them. "
                    "Serves on 127.0.0.1 only; stop with Ctrl-C.")
    parser.add_argument("scenario", nargs="?", help="scenario file (YAML); the embedded county scenario if omitted")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--replications", type=int, default=None,
                        help=f"replications per interactive run (default: {DEFAULT_REPLICATIONS}, or the "
                             "scenario's if fewer)")
    parser.add_argument("--steps", type=int, default=None, help="steps per interactive run (default: the scenario's)")
    parser.add_argument("--threads", type=int, default=0, help="worker threads (default: all cores)")
    parser.add_argument("--open", action="store_true", help="open the page in the default web browser")
    options = parser.parse_args(argv)
    try:
        server = serve(options.scenario, port=options.port, replications=options.replications, steps=options.steps,
                       threads=options.threads)
    except (ScenarioError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: cannot serve on {HOST}:{options.port}: {error}", file=sys.stderr)
        return 1
    explorer = server.explorer
    print(f"coordsim explore: {server.url}  ({explorer.replications} replications x {explorer.steps} steps per "
          "update; Ctrl-C stops)", flush=True)
    if options.open:
        webbrowser.open(server.url)
    try:
        while server.thread.is_alive():
            server.thread.join(0.5)
    except KeyboardInterrupt:
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
