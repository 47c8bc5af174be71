"""`coordsim explore`: the explorer's runs, its stale-run handling, and the page in headless Chromium."""
import json
import os
import pathlib
import subprocess
import threading
import time
import urllib.request

import numpy as np
import pytest

import coordsim
from coordsim import analysis
from coordsim.explorer import Explorer


def test_a_page_setting_runs_the_engine_and_matches_coordsim_run(small_scenario):
    explorer = Explorer(small_scenario, replications=3, steps=30, threads=2)
    data = explorer.request({"lead.rank": 0.6}, ["cooperation"], outcome="items_on_time")
    # The same setting through the public API: only the baseline and the variant kept on.
    expected_scenario = small_scenario.copy()
    expected_scenario["lead.rank"] = 0.6
    ds = coordsim.run(expected_scenario, replications=3, steps=30, threads=1)
    assert data["variants"] == ["baseline", "cooperation"]
    means = ds["items_on_time"].mean("replication")
    for trace in data["series"]["traces"]:
        np.testing.assert_allclose(trace["mean"], means.sel(variant=trace["variant"]).values, rtol=1e-6)
        assert all(low <= mean + 1e-9 for low, mean in zip(trace["low"], trace["mean"]))
        assert min(trace["low"]) >= 0.0  # a count: the band stops at 0
    table = analysis.compare(ds.sel(variant=["baseline", "cooperation"]), analysis.key_outcomes(ds), n_boot=1000)
    shown = {(row["outcome"], row["variant"]): row for row in data["table"]}
    for row in table.itertuples():
        assert shown[(row.outcome, row.variant)]["difference"] == pytest.approx(row.difference)
    # high_rank_lead was switched off: not run at all.
    assert "high_rank_lead" not in {row["variant"] for row in data["table"]}


def test_invalid_values_are_refused_with_the_scenario_message(small_scenario):
    explorer = Explorer(small_scenario, replications=2, steps=10)
    with pytest.raises(coordsim.ScenarioError, match=r"lead\.rank"):
        explorer.request({"lead.rank": 1.5}, [])
    with pytest.raises(ValueError, match="did you mean|unknown parameter"):
        explorer.request({"lead.rnak": 0.5}, [])
    with pytest.raises(ValueError, match="unknown variant"):
        explorer.request({}, ["nope"])


def test_a_setting_superseded_while_waiting_never_runs(small_scenario):
    explorer = Explorer(small_scenario, replications=2, steps=20, threads=1)
    results = {}
    explorer._run_lock.acquire()  # an engine batch is "running": the three requests queue behind it
    threads = []
    for index, rank in enumerate((0.3, 0.5, 0.7)):
        thread = threading.Thread(target=lambda i=index, r=rank: results.__setitem__(
            i, explorer.request({"lead.rank": r}, [])))
        thread.start()
        threads.append(thread)
        deadline = time.time() + 10
        while explorer._latest < index + 1 and time.time() < deadline:
            time.sleep(0.005)
    explorer._run_lock.release()
    for thread in threads:
        thread.join(30)
    assert results[0] is None and results[1] is None  # stale: dropped without running
    assert results[2] is not None and results[2]["id"] == 3
    assert explorer._last[0] == 3  # the only batch that ran


def test_saved_yaml_is_the_setting_with_the_scenario_run_settings(small_scenario, run_cli, tmp_path):
    explorer = Explorer(small_scenario, replications=2, steps=10)
    text = explorer.yaml_for({"lead.rank": 0.55, "tasks.count": 4}, ["cooperation"])
    path = tmp_path / "saved.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", path)
    assert result.returncode == 0, result.stderr
    assert "2 variant(s): baseline cooperation" in result.stdout
    saved = coordsim.Scenario.load(path)
    assert saved["lead.rank"] == pytest.approx(0.55) and saved["tasks.count"] == 4
    assert saved["run.replications"] == 3 and saved["run.steps"] == 40  # the scenario's, not the explorer's


# ---------------------------------------------------------------------------------------------
# The page in a real browser


@pytest.fixture(scope="module")
def explore_server(coordsim_exe, scenarios_dir, subprocess_env):
    """`coordsim explore scenarios/county.yaml` as a user starts it, on a free port."""
    process = subprocess.Popen([coordsim_exe, "explore", str(scenarios_dir / "county.yaml"), "--port", "0",
                                "--threads", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=subprocess_env)
    line = process.stdout.readline()
    if not line.startswith("coordsim explore: http://127.0.0.1:"):
        process.kill()
        pytest.fail(f"explorer did not start: {line!r} {process.stderr.read()}")
    url = line.split()[2]
    yield url
    process.terminate()
    process.wait(10)
    process.stdout.close()
    process.stderr.close()


def _wait_for_result(browser, previous, timeout=30):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, timeout).until(
        lambda d: d.execute_script("return document.body.dataset.result || ''") not in ("", previous)
        and d.execute_script("return document.body.dataset.busy") == "0")
    return browser.execute_script("return document.body.dataset.result")


def _plot(browser):
    return browser.execute_script(
        "return document.getElementById('series').data.filter(t => t.showlegend !== false)"
        ".map(t => [t.legendgroup, t.y])")  # the variant's name (the legend shows its label)


def _table(browser):
    return browser.execute_script(
        "return [...document.querySelectorAll('#differences tr[data-variant]')].map(r => r.innerText)")


def test_explorer_page_slider_variant_and_save(browser, explore_server, run_cli, screenshot_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    with urllib.request.urlopen(explore_server + "api/schema", timeout=10) as response:
        schema = json.load(response)
    assert schema["replications"] == 3 and schema["scenario_replications"] == 10
    assert explore_server.startswith("http://127.0.0.1:")

    browser.get(explore_server)
    first = _wait_for_result(browser, "")
    plot_before, table_before = _plot(browser), _table(browser)
    assert len(plot_before) == 13 and len(table_before) == 12 * 10  # 12 mechanisms x 10 key outcomes
    status = browser.find_element(By.ID, "status").text
    assert "3 replications × 250 steps" in status and "fewer than the scenario's 10" in status

    # Move the leads' rank slider by keyboard, as a person would: 0.35 -> 0.55.
    slider = browser.find_element(By.ID, "p-tasks.lead_rank")
    assert slider.get_attribute("type") == "range"
    slider.send_keys(Keys.ARROW_RIGHT * 20)
    second = _wait_for_result(browser, first)
    assert float(slider.get_attribute("value")) == pytest.approx(0.55)
    plot_after, table_after = _plot(browser), _table(browser)
    baseline_before = dict(plot_before)["baseline"]
    assert dict(plot_after)["baseline"] != baseline_before  # the rank moved every variant's runs
    assert table_after != table_before

    # Switch a mechanism off: its line and its table rows go.
    browser.find_element(By.ID, "v-high_rank_lead").click()
    _wait_for_result(browser, second)
    names = [name for name, _ in _plot(browser)]
    assert "high_rank_lead" not in names and len(names) == 12
    rows = browser.find_elements(By.CSS_SELECTOR, "#differences tr[data-variant='high_rank_lead']")
    assert not rows and len(_table(browser)) == 11 * 10
    browser.save_screenshot(str(screenshot_dir / "explore.png"))

    # Save the scenario and check the command line accepts it.
    browser.find_element(By.ID, "save").click()
    saved = pathlib.Path(browser.download_dir) / "county_explored.yaml"
    deadline = time.time() + 15
    while not saved.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert saved.exists(), os.listdir(browser.download_dir)
    result = run_cli("validate", saved)
    assert result.returncode == 0, result.stderr
    assert "high_rank_lead" not in result.stdout and "12 variant(s)" in result.stdout
    scenario = coordsim.Scenario.load(saved)
    assert scenario["tasks.lead_rank"] == pytest.approx(0.55)
    assert scenario["run.replications"] == 10


def test_explore_command_refuses_an_invalid_scenario(run_cli, tmp_path, subprocess_env):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: governance\nparameters:\n  lead.rnak: 0.5\n")
    result = run_cli("explore", bad, "--port", "0")
    assert result.returncode == 2
    assert "bad.yaml:3" in result.stderr and "lead.rnak" in result.stderr and "did you mean" in result.stderr
    usage = run_cli("explore", "--help")
    assert usage.returncode == 0 and "127.0.0.1" in usage.stdout and "--replications" in usage.stdout


def test_the_first_outcome_shown_is_the_series_behind_the_first_key_summary(county_results):
    from coordsim.explorer import default_outcome

    ds = coordsim.open(county_results)
    keys = [name for name, v in ds.data_vars.items() if "step" not in v.dims and int(v.attrs.get("key", 0))]
    shown = default_outcome(ds)
    assert "step" in ds[shown].dims
    # Key summaries before it have no series of their own; the chosen one summarises `shown`.
    first = next(k for k in keys if k.rsplit("_", 1)[0] in ds.data_vars and "step" in ds[k.rsplit("_", 1)[0]].dims)
    assert shown == first.rsplit("_", 1)[0]
    # Without key summaries: the first series.
    plain = ds.drop_vars(keys)
    assert default_outcome(plain) == next(n for n, v in plain.data_vars.items() if "step" in v.dims)
