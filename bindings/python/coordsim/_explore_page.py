"""The explorer's single page (HTML, CSS and JavaScript); plotly.js is served at /plotly.js."""

PAGE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>coordsim explore</title>
<script src="/plotly.js"></script>
<style>
body { margin: 0; font-family: "Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", sans-serif; color: #222;
       display: grid; grid-template-columns: 380px 1fr; height: 100vh; }
#controls { overflow-y: auto; border-right: 1px solid #ddd; padding: .6em .8em; background: #fafafa; font-size: 13px; }
#main { overflow-y: auto; padding: .6em 1.2em; }
h1 { font-size: 1.2em; margin: .2em 0; } h2 { font-size: 1em; margin: .8em 0 .3em; }
details { margin: .2em 0; } summary { cursor: pointer; font-weight: bold; padding: .15em 0; }
.param { margin: .35em 0 .5em .4em; }
.param label { display: block; font-family: monospace; }
.param .value { float: right; font-family: monospace; color: #1f5fa8; }
.param input[type=range] { width: 100%; }
.param .help { color: #666; font-size: 11px; }
.variant { display: block; margin: .15em 0; }
#status { font-size: 13px; color: #555; min-height: 1.3em; }
#status.error { color: #b00020; font-weight: bold; }
table { border-collapse: collapse; font-size: 12px; margin: .4em 0 1em; }
th, td { border: 1px solid #ddd; padding: .2em .5em; text-align: right; }
th { background: #f1f1f1; } td.name, th.name { text-align: left; }
td.up { color: #1a7f37; } td.down { color: #b00020; }
button { font-size: 13px; padding: .3em .8em; }
#series { width: 100%; height: 440px; }
.note { font-size: 12px; color: #555; }
</style></head>
<body>
<div id="controls">
  <h1>coordsim explore</h1>
  <div class="note" id="scenario"></div>
  <p><button id="save" title="Download this scenario as YAML for coordsim run">Save scenario</button>
     <button id="reset" title="Back to the scenario's values">Reset</button></p>
  <h2>Variants</h2>
  <div id="variants"></div>
  <h2>Parameters</h2>
  <div class="note">Changes apply to every variant; a variant that sets a parameter itself keeps its value.</div>
  <div id="parameters"></div>
</div>
<div id="main">
  <div id="status">loading…</div>
  <p><label>Outcome over time: <select id="outcome"></select></label></p>
  <div id="series"></div>
  <h2>Paired differences to the baseline (key outcomes)</h2>
  <div class="note" id="table-note"></div>
  <div id="differences"></div>
</div>
<script>
"use strict";
let schema = null, requestSeq = 0, shownSeq = 0, timer = null, outcome = null;
const colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf"];
const $ = (id) => document.getElementById(id);
const fmt = (v) => v === null || v === undefined ? "—" : (Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3)
    ? v.toExponential(2) : Number(v.toPrecision(4)).toString());
function escapeHtml(s) { return String(s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;",
    '"': "&quot;", "'": "&#39;"}[c])); }
function rgba(hex, alpha) { const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`; }

const isBool = (spec) => spec.type === "boolean" || spec.type === "bool";
const isInt = (spec) => spec.type === "integer" || spec.type === "int";
const isNumber = (spec) => isInt(spec) || spec.type === "real";

// A slider step that puts the scenario's value on the grid: a power of ten near 1/100 of the range.
function niceStep(lo, hi, value) {
  let step = Math.pow(10, Math.floor(Math.log10((hi - lo) / 100)));
  while (step > 1e-9 && Math.abs(Math.round((value - lo) / step) * step + lo - value) > 1e-9 * Math.max(1, Math.abs(value)))
    step /= 10;
  return step;
}

function control(spec) {
  const box = document.createElement("div");
  box.className = "param";
  const range = spec.minimum !== null && spec.maximum !== null ? ` [${spec.minimum}, ${spec.maximum}]` : "";
  box.title = `${spec.description}\nunit: ${spec.unit || "—"}${range}; default ${JSON.stringify(spec.default)}`;
  const label = document.createElement("label");
  label.textContent = spec.path + (spec.unit && spec.unit !== "1" ? ` (${spec.unit})` : "");
  const shown = document.createElement("span");
  shown.className = "value";
  label.appendChild(shown);
  box.appendChild(label);
  let input;
  if (isBool(spec)) {
    input = document.createElement("input"); input.type = "checkbox"; input.checked = !!spec.value;
    shown.textContent = input.checked ? "on" : "off";
  } else if (spec.type === "choice") {
    input = document.createElement("select");
    for (const c of spec.choices) { const o = document.createElement("option"); o.value = o.textContent = c;
      input.appendChild(o); }
    input.value = spec.value;
  } else if (isNumber(spec) && spec.minimum !== null && spec.maximum !== null
             && isFinite(spec.minimum) && isFinite(spec.maximum)) {
    input = document.createElement("input"); input.type = "range";
    let lo = spec.minimum, hi = spec.maximum;
    // Counts with huge maxima (departments up to a million): the slider spans up to 10 x the value.
    if (hi - lo > 1000) hi = Math.max(lo + 10, Math.min(hi, 10 * Math.max(1, Math.abs(spec.value))));
    input.min = lo; input.max = hi;
    input.step = isInt(spec) ? Math.max(1, Math.round(niceStep(lo, hi, spec.value))) : niceStep(lo, hi, spec.value);
    input.value = spec.value;
    shown.textContent = fmt(spec.value);
  } else {
    input = document.createElement("input"); input.type = "text";
    input.value = typeof spec.value === "string" ? spec.value : JSON.stringify(spec.value);
  }
  input.dataset.initial = input.type === "checkbox" ? String(input.checked) : input.value;
  input.id = "p-" + spec.path;
  input.dataset.path = spec.path;
  input.dataset.kind = spec.type;
  input.addEventListener("input", () => {
    if (input.type === "range") shown.textContent = fmt(Number(input.value));
    if (input.type === "checkbox") shown.textContent = input.checked ? "on" : "off";
    schedule();
  });
  input.addEventListener("change", schedule);
  box.appendChild(input);
  const help = document.createElement("div");
  help.className = "help";
  help.textContent = spec.description;
  box.appendChild(help);
  return box;
}

function readValue(input) {
  const kind = input.dataset.kind;
  if (input.type === "checkbox") return input.checked;
  if (kind === "integer" || kind === "int") return parseInt(input.value, 10);
  if (kind === "real") return parseFloat(input.value);
  if (kind === "choice" || kind === "string") return input.value;
  try { return JSON.parse(input.value); } catch (e) { return input.value; }
}

function setting() {
  const values = {};
  for (const input of document.querySelectorAll("[data-path]")) {
    // Only what the person changed: an untouched control keeps the scenario's exact value.
    const now = input.type === "checkbox" ? String(input.checked) : input.value;
    if (now !== input.dataset.initial) values[input.dataset.path] = readValue(input);
  }
  const variants = [...document.querySelectorAll("#variants input:checked")].map(i => i.dataset.variant);
  return {values, variants, outcome};
}

function schedule() {
  clearTimeout(timer);
  document.body.dataset.busy = "1";  // a change is waiting or running (tests wait for "0")
  timer = setTimeout(update, 120);
}

async function post(path, body) {
  const response = await fetch(path, {method: "POST", headers: {"Content-Type": "application/json"},
                                      body: JSON.stringify(body)});
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error; } catch (e) { /* keep the status text */ }
    throw new Error(message);
  }
  return response;
}

async function update() {
  const seq = ++requestSeq;
  $("status").className = ""; $("status").textContent = "running…";
  const started = performance.now();
  try {
    const data = await (await post("/api/run", setting())).json();
    if (data.stale || seq !== requestSeq) return;  // a newer change is on its way
    shownSeq = seq;
    draw(data, (performance.now() - started) / 1000);
  } catch (error) {
    if (seq !== requestSeq) return;
    $("status").className = "error"; $("status").textContent = "invalid: " + error.message;
  }
  if (seq === requestSeq) document.body.dataset.busy = "0";
}

function drawSeries(series) {
  outcome = series.outcome;
  const select = $("outcome");
  if (select.options.length !== series.choices.length) {
    select.innerHTML = "";
    for (const c of series.choices) { const o = document.createElement("option"); o.value = o.textContent = c;
      select.appendChild(o); }
  }
  select.value = series.outcome;
  const traces = [];
  series.traces.forEach((t, i) => {
    const color = colors[schema.variants.indexOf(t.variant) % colors.length];
    traces.push({x: series.steps, y: t.high, mode: "lines", line: {width: 0}, hoverinfo: "skip",
                 legendgroup: t.variant, showlegend: false, name: t.label + " CI high"});
    traces.push({x: series.steps, y: t.low, mode: "lines", line: {width: 0}, fill: "tonexty",
                 fillcolor: rgba(color, 0.18), hoverinfo: "skip", legendgroup: t.variant, showlegend: false,
                 name: t.label + " CI low"});
    traces.push({x: series.steps, y: t.mean, mode: "lines", line: {color: color, width: 2}, name: t.label,
                 legendgroup: t.variant,
                 hovertemplate: `${escapeHtml(t.label)}<br>step %{x}: %{y:.4g}<extra></extra>`});
  });
  const units = series.units && series.units !== "1" ? ` (${series.units})` : "";
  Plotly.react("series", traces, {
    title: {text: `${escapeHtml(series.long_name)}<br><sub>mean and 95 % CI over replications</sub>`, font: {size: 14}},
    xaxis: {title: "simulation step (working days)"}, yaxis: {title: series.outcome + units},
    margin: {t: 60, r: 10, b: 45, l: 60}, legend: {font: {size: 11}}, hovermode: "x unified",
    font: {family: '"Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", sans-serif'}}, {responsive: true});
}

function drawTable(rows) {
  if (!rows.length) { $("differences").innerHTML = "<p>The scenario has no key outcomes or only its baseline.</p>";
    return; }
  let html = "<table><tr><th class='name'>outcome</th><th class='name'>variant</th><th>baseline mean</th>" +
             "<th>variant mean</th><th>difference</th><th>95 % CI</th><th>Cohen's d</th><th>units</th></tr>";
  for (const r of rows) {
    const sign = r.ci_low > 0 ? "up" : (r.ci_high < 0 ? "down" : "");
    html += `<tr data-variant="${escapeHtml(r.variant)}"><td class="name" title="${escapeHtml(r.outcome)}">` +
            `${escapeHtml(r.label)}</td><td class="name" title="${escapeHtml(r.variant)}">` +
            `${escapeHtml(r.variant_label)}</td><td>${fmt(r.baseline_mean)}</td><td>${fmt(r.mean)}</td>` +
            `<td class="${sign}">${fmt(r.difference)}</td><td>[${fmt(r.ci_low)}, ${fmt(r.ci_high)}]</td>` +
            `<td>${fmt(r.cohens_d)}</td><td>${escapeHtml(r.units)}</td></tr>`;
  }
  $("differences").innerHTML = html + "</table>";
}

function draw(data, seconds) {
  drawSeries(data.series);
  drawTable(data.table);
  const fewer = data.replications < schema.scenario_replications || data.steps < schema.scenario_steps;
  $("status").textContent = `updated in ${seconds.toFixed(2)} s (engine ${data.seconds.toFixed(2)} s): ` +
    `${data.replications} replications × ${data.steps} steps per variant` +
    (fewer ? ` — fewer than the scenario's ${schema.scenario_replications} × ${schema.scenario_steps}, for speed; ` +
             "intervals are wider than a full run's (coordsim run on the saved scenario)" : "");
  $("table-note").textContent = `Paired by replication (variants share random numbers); percentile bootstrap ` +
    `95 % CI of the mean difference over ${data.replications} replications; Cohen's d = difference / SD of the ` +
    "differences, — when that SD is rounding noise. Green: CI above 0; red: below 0.";
  document.body.dataset.result = String(data.id);
}

async function save() {
  try {
    const text = await (await post("/api/yaml", setting())).text();
    const link = document.createElement("a");
    const stem = (schema.source.split("/").pop() || "scenario").replace(/\.ya?ml$/, "");
    link.href = URL.createObjectURL(new Blob([text], {type: "application/x-yaml"}));
    link.download = stem + "_explored.yaml";
    document.body.appendChild(link); link.click(); link.remove();
    $("status").textContent = `saved ${link.download}`;
  } catch (error) {
    $("status").className = "error"; $("status").textContent = "cannot save: " + error.message;
  }
}

async function start() {
  schema = await (await fetch("/api/schema")).json();
  $("scenario").textContent = `${schema.source}: ${schema.description}`;
  schema.variants.forEach((name, i) => {
    const label = document.createElement("label");
    label.className = "variant";
    const box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.id = "v-" + name; box.dataset.variant = name;
    if (i === 0) { box.disabled = true; label.title = "the baseline of every comparison"; }
    else label.title = "sets " + JSON.stringify(schema.overrides[name] || {});
    box.addEventListener("change", schedule);
    const swatch = `<span style="color:${colors[i % colors.length]}">■</span> `;
    label.appendChild(box);
    label.insertAdjacentHTML("beforeend", " " + swatch + escapeHtml(schema.variant_labels[name]) +
                             (i === 0 ? " (baseline)" : ""));
    $("variants").appendChild(label);
  });
  const sections = {};
  // Open the blocks the scenario's mechanisms (its variants) change: where a reader starts.
  const varied = new Set(Object.values(schema.overrides).flatMap(o => Object.keys(o).map(k => k.split(".")[0])));
  for (const spec of schema.parameters) {
    const section = spec.path.split(".")[0];
    if (!sections[section]) {
      const details = document.createElement("details");
      details.innerHTML = `<summary>${escapeHtml(section)}</summary>`;
      details.open = varied.has(section);
      $("parameters").appendChild(details);
      sections[section] = details;
    }
    sections[section].appendChild(control(spec));
  }
  $("outcome").addEventListener("change", async () => {
    outcome = $("outcome").value;
    try { drawSeries((await (await post("/api/series", {outcome})).json()).series); }
    catch (error) { $("status").className = "error"; $("status").textContent = error.message; }
  });
  $("save").addEventListener("click", save);
  $("reset").addEventListener("click", () => location.reload());
  update();
}
start();
</script>
</body></html>
"""
