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
