"""python3 -m coordsim.report: plain-language summary, contents, inlined interactive plots, clipped
bands, labels, sweep files; rendered in headless Chromium with its screenshot in the build folder."""
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from selenium.webdriver.support.ui import WebDriverWait

import coordsim
from coordsim.analysis.report import SOBOL_MIN_SAMPLES, sample_size_warnings

LABELS = """variants:
  high_rank_lead: "Lead at organisation-department rank (由组织部来牵头)"
  leading_group: "Leading small group (领导小组)"
outcomes:
  share_on_time: "share of items done on time"
"""


def _report(path, out, subprocess_env, *extra):
    return subprocess.run([sys.executable, "-m", "coordsim.report", str(path), "-o", str(out), "--bootstrap", "300",
                           *map(str, extra)], capture_output=True, text=True, env=subprocess_env, timeout=600)


def _figures(page):
    return json.loads(re.search(r"<script type='application/json' id='figures'>(.*?)</script>", page, re.S).group(1)
                      .replace("<\\/", "</"))


@pytest.fixture(scope="module")
def run_report(county_results, tmp_path_factory, subprocess_env):
    folder = tmp_path_factory.mktemp("report")
    labels = folder / "labels.yaml"
    labels.write_text(LABELS, encoding="utf-8")
    result = _report(county_results, folder / "out", subprocess_env, "--labels", labels)
    assert result.returncode == 0, result.stderr
    return folder / "out" / "index.html", result


def test_run_report_page(run_report, county_results):
    index, result = run_report
    # Progress on stderr, one line per stage, ending with the page written.
    lines = [line for line in result.stderr.splitlines() if line.startswith("report: [")]
    assert len(lines) >= 5 and "wrote" in lines[-1]
    total = int(re.match(r"report: \[\d+/(\d+)\]", lines[0]).group(1))
    assert re.match(rf"report: \[{total}/{total}\]", lines[-1])
    page = index.read_text(encoding="utf-8")
    assert list(index.parent.iterdir()) == [index]  # one self-contained file: no PNGs, no scripts beside it
    assert "<img" not in page and "<script src" not in page and "Plotly.newPlot" in page
    # Contents first, linking every section.
    toc = re.search(r"<nav class='toc'>(.*?)</nav>", page, re.S).group(1)
    anchors = re.findall(r"href='#([a-z]+)'", toc)
    assert anchors[:2] == ["summary", "warnings"] and {"tables", "series", "agents", "scenario"} <= set(anchors)
    for anchor in anchors:
        assert f"<section id='{anchor}'>" in page
    # The summary speaks of each mechanism by its label, in words.
    summary = page[page.index("<section id='summary'>"):page.index("<section id='warnings'>")]
    assert "Lead at organisation-department rank (由组织部来牵头)" in summary
    assert "share of items done on time" in summary  # the outcome's label
    assert re.search(r"(raises|lowers)</span> [^<]+ from [\d.,]+ h to [\d.,]+ h \([-+][\d.,]+ h; 95 % interval", summary)
    assert "Only 2 replication(s)" in page
    # Cohen's d undefined where a mechanism changes nothing: shown as a dash, never as a huge number.
    outcomes = coordsim.open(county_results)
    table = coordsim.analysis.compare(outcomes, coordsim.analysis.key_outcomes(outcomes), n_boot=300)
    assert table["cohens_d"].isna().any()
    assert not re.search(r"<td>-?\d(\.\d+)?e\+(1[0-9]|[2-9]\d)</td>", page)
    # Bands of counts and hours never go below zero; shares stay within [0, 1].
    figures = [f for f in _figures(page).values() if isinstance(f["layout"].get("yaxis", {}).get("title"), str)]
    checked = set()
    for figure in figures:
        name, units = re.match(r"(\w+) \((.*)\)", figure["layout"]["yaxis"]["title"]).groups()
        band = [v for trace in figure["data"] if trace.get("hoverinfo") == "skip" for v in trace["y"] if v is not None]
        low, high = coordsim.analysis.valid_range(outcomes[name])
        assert min(band, default=0) >= low and max(band, default=0) <= high, name
        checked.add(units)
    assert {"count", "h", "dimensionless"} <= checked
    # Independently: with 2 replications the t interval (t = 12.71) of some count reaches below 0.
    counts = [n for n, v in outcomes.data_vars.items() if "step" in v.dims and v.attrs["units_label"] == "count"]
    lowest = min(float(np.nanmin(outcomes[n].mean("replication") - 12.706 * outcomes[n].std("replication", ddof=1)
                                 / np.sqrt(2))) for n in counts)
    assert lowest < 0


def test_run_report_renders_in_chromium(run_report, browser, screenshot_dir):
    index, _ = run_report
    browser.get(index.as_uri())
    browser.execute_script("document.getElementById('series').scrollIntoView()")
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "const r = document.querySelector('#series div.plot'); return r.querySelector('.main-svg') !== null"))
    plots = browser.execute_script("return document.querySelectorAll('div.plot').length")
    drawn = browser.execute_script("return document.querySelectorAll('div.plot .main-svg').length")
    assert plots > 50 and 0 < drawn < plots  # plots near the view are drawn, the rest when scrolled to
    legend = browser.execute_script("return [...document.querySelectorAll('#series div.plot')[0]"
                                    ".querySelectorAll('.legendtext')].map(t => t.textContent)")
    assert "Lead at organisation-department rank (由组织部来牵头)" in legend  # inlined plotly.js, offline
    # A CJK font is there for the labels (fonts-noto-cjk): no empty boxes.
    assert browser.execute_script("return document.fonts.check('16px \"Noto Sans CJK SC\"', '由组织部来牵头')")
    width = browser.execute_script(
        "const c = document.createElement('canvas').getContext('2d'); c.font = '16px sans-serif';"
        "return [c.measureText('由组织部').width, c.measureText('\\u{10FFFF}\\u{10FFFF}\\u{10FFFF}\\u{10FFFF}').width]")
    assert width[0] > 40 and width[0] != width[1]  # drawn with real glyphs, not the missing-glyph box
    browser.save_screenshot(str(screenshot_dir / "report_series.png"))
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(screenshot_dir / "report.png"))


@pytest.fixture(scope="module")
def sweep_files(tmp_path_factory):
    from conftest import SMALL_SCENARIO

    scenario = coordsim.Scenario.from_yaml(SMALL_SCENARIO, "small.yaml")
    folder = tmp_path_factory.mktemp("sweeps")
    common = dict(replications=2, steps=40, threads=2, variants=["baseline", "cooperation"], fail_on_nan="none")
    with coordsim.sweep(scenario, {"lead.rank": [0.3, 0.9], "tasks.count": [2, 4]}, out=folder / "grid.h5", **common):
        pass
    with coordsim.sweep(scenario, {"lead.rank": (0.2, 0.9), "tasks.participants": (3, 6)}, design="saltelli",
                        samples=8, out=folder / "saltelli.h5", **common):
        pass
    return folder


def test_sweep_reports(sweep_files, browser, screenshot_dir, capsys):
    from coordsim.analysis.report import write_report

    write_report(sweep_files / "grid.h5", sweep_files / "grid_report", n_boot=300)
    assert "report: [" in capsys.readouterr().err
    page = (sweep_files / "grid_report" / "index.html").read_text(encoding="utf-8")
    assert "Heatmaps: lead.rank × tasks.count" in page and "changes most with" in page
    heatmaps = [f for f in _figures(page).values() if f["data"] and f["data"][0].get("type") == "heatmap"]
    assert heatmaps and heatmaps[0]["layout"]["yaxis"]["title"] == "tasks.count (count)"
    assert len(heatmaps[0]["data"][0]["z"]) == 2 and len(heatmaps[0]["data"][0]["z"][0]) == 2

    write_report(sweep_files / "saltelli.h5", sweep_files / "saltelli_report", n_boot=300, progress=False)
    assert "report: [" not in capsys.readouterr().err
    page = (sweep_files / "saltelli_report" / "index.html").read_text(encoding="utf-8")
    assert "Sobol indices from N = 8 base samples" in page and "<section id='sobol'>" in page
    browser.get((sweep_files / "grid_report" / "index.html").as_uri())
    browser.execute_script("document.getElementById('heatmaps').scrollIntoView()")
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "return document.querySelector('#heatmaps div.plot .main-svg') !== null"))
    browser.save_screenshot(str(screenshot_dir / "report_sweep.png"))


def test_sample_size_warnings():
    assert sample_size_warnings({"design": "saltelli", "samples": 16, "parameters": ["a", "b"]})
    assert not sample_size_warnings({"design": "saltelli", "samples": SOBOL_MIN_SAMPLES, "parameters": ["a"]})
    assert sample_size_warnings({"design": "morris", "samples": 4, "parameters": ["a"]})
    assert not sample_size_warnings({"design": "grid", "samples": 0, "parameters": ["a"]})


def test_report_of_a_missing_file_or_bad_labels(tmp_path, subprocess_env, county_results):
    missing = _report(tmp_path / "none.h5", tmp_path / "out", subprocess_env)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    labels = tmp_path / "labels.yaml"
    labels.write_text("variants: [a, b]\n")
    bad = _report(county_results, tmp_path / "out", subprocess_env, "--labels", labels)
    assert bad.returncode == 2 and "labels.variants: expected a mapping" in bad.stderr


def _weighted_interval(x, w, level=0.9):
    """Equal-tailed interval of a weighted sample, written out here: the smallest values whose
    cumulative weight reaches (1 - level) / 2 and (1 + level) / 2."""
    order = np.argsort(x, kind="stable")
    cdf = np.cumsum(w[order]) / np.sum(w)
    return tuple(float(x[order][min(np.searchsorted(cdf, q - 1e-12), len(x) - 1)])
                 for q in ((1 - level) / 2, (1 + level) / 2))


@pytest.fixture(scope="module")
def calibration_report(run_cli, scenarios_dir, tmp_path_factory, subprocess_env):
    folder = tmp_path_factory.mktemp("calibration_report")
    results = folder / "example.h5"
    ran = run_cli("calibrate", scenarios_dir / "governance" / "calibration_example.yaml", "-o", results, "--quiet", "--threads", 2)
    assert ran.returncode == 0, ran.stderr
    report = _report(results, folder / "out", subprocess_env)
    assert report.returncode == 0, report.stderr
    return results, folder / "out" / "index.html", report


def test_calibration_report_page(calibration_report):
    import h5py

    results, index, report = calibration_report
    lines = [line for line in report.stderr.splitlines() if line.startswith("report: [")]
    total = int(re.match(r"report: \[\d+/(\d+)\]", lines[0]).group(1))
    assert len(lines) == total and "wrote" in lines[-1] and "generations x 60 particles" in lines[0]
    page = index.read_text(encoding="utf-8")
    assert list(index.parent.iterdir()) == [index] and "<script src" not in page and "Plotly.newPlot" in page
    toc = re.search(r"<nav class='toc'>(.*?)</nav>", page, re.S).group(1)
    anchors = re.findall(r"href='#([a-z]+)'", toc)
    assert anchors[0] == "summary" and {"calibration", "generations", "marginals", "pairs", "targets", "file"} <= set(
        anchors)
    with h5py.File(results, "r") as f:
        tolerance, acceptance, ess = f["tolerance"][...], f["acceptance_rate"][...], f["ess"][...]
        values, weights, simulated = f["value"][-1], f["weight"][-1], f["simulated"][-1]
        parameters = [p.decode() if isinstance(p, bytes) else str(p) for p in f["parameter"][...]]
        targets = [t.decode() if isinstance(t, bytes) else str(t) for t in f["target"][...]]
    figures = list(_figures(page).values())
    # Tolerance, acceptance and ESS per generation, as stored.
    by_axis = {f["layout"]["yaxis"].get("title"): f for f in figures if "yaxis" in f["layout"]}
    for name, stored in (("tolerance", tolerance), ("acceptance_rate", acceptance), ("ess", ess)):
        np.testing.assert_allclose(by_axis[name]["data"][0]["y"], stored, rtol=0, atol=1e-6)  # 6 decimals
        assert by_axis[name]["data"][0]["x"] == list(range(len(stored)))
    assert by_axis["tolerance"]["layout"]["yaxis"]["type"] == "log"
    # Marginals: a density over the prior's support, the 90 % interval shaded where the weighted
    # particles put it, the mean at the weighted mean.
    for p, name in enumerate(parameters):
        figure = next(f for f in figures if f["layout"].get("xaxis", {}).get("title") == f"{name} (prior support)")
        bars = figure["data"][0]
        assert sum(bars["y"]) * bars["width"] == pytest.approx(1.0, rel=1e-6)
        low, high = _weighted_interval(values[:, p], weights)
        shape = figure["layout"]["shapes"][0]
        assert (shape["x0"], shape["x1"]) == pytest.approx((low, high), rel=1e-9)
        assert figure["data"][1]["x"][0] == pytest.approx(float(np.sum(weights * values[:, p])), rel=1e-9)
        assert f"<b>{name}</b>: posterior mean" in page
    pair = next(f for f in figures if f["layout"].get("title", {}).get("text") == f"{parameters[1]} against "
                f"{parameters[0]}")
    np.testing.assert_allclose(pair["data"][0]["x"], values[:, 0], rtol=0, atol=1e-6)
    # Targets against observed: the observed values of the calibration file, and the predictive
    # interval of the simulated targets stored in the file.
    spread = next(f for f in figures if any(t.get("name") == "observed interval" for t in f["data"]))
    intervals = [t["x"] for t in spread["data"] if t.get("legendgroup") == "spread"]
    observed = [t["x"] for t in spread["data"] if t.get("legendgroup") in ("observed", "interval")]
    assert observed == [[700], [0.795, 0.8], [1.0]]  # scenarios/calibration_example.yaml
    inside = 0
    for t, name in enumerate(targets):
        low, high = _weighted_interval(simulated[:, t], weights)
        assert intervals[t] == pytest.approx([low, high], rel=1e-9), name
        inside += int(observed[t][0] <= high and observed[t][-1] >= low)
    assert f"{inside} of {len(targets)} target(s) lie within the posterior predictive 90 % interval" in page
    assert "Not reached" in page if inside < len(targets) else "Not reached" not in page
    assert "lead.rank: {prior: uniform, bounds: [0.1, 0.9]}" in page  # the calibration file itself


def test_calibration_report_renders_in_chromium(calibration_report, browser, screenshot_dir):
    _, index, _ = calibration_report
    browser.get(index.as_uri())
    browser.execute_script("window.coordsimDrawAll()")
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('div.plot')].every(p => p.querySelector('.main-svg') !== null)"))
    legend = browser.execute_script("return [...document.querySelectorAll('#targets .legendtext')]"
                                    ".map(t => t.textContent)")
    assert {"observed", "observed interval", "posterior predictive median"} <= set(legend)
    bars = browser.execute_script("return document.querySelectorAll('#marginals .bars .point').length")
    assert bars > 0
    browser.execute_script("document.getElementById('marginals').scrollIntoView()")
    browser.save_screenshot(str(screenshot_dir / "report_calibration_marginals.png"))
    browser.execute_script("document.getElementById('targets').scrollIntoView()")
    browser.save_screenshot(str(screenshot_dir / "report_calibration_targets.png"))
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(screenshot_dir / "report_calibration.png"))
