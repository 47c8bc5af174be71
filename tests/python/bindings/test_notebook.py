"""analysis/notebooks/quickstart.ipynb runs from top to bottom and shows what it promises.

The kernel is this interpreter (Debian's /usr/bin/python3 under ctest), declared in a kernel
spec of our own in a temporary JUPYTER_PATH: a user's `python3` kernel pointing at another
Python (pyenv, a venv) would not see Debian's numpy or the built coordsim package.
"""
import json
import os
import re
import sys

import nbformat
import pytest
from nbclient import NotebookClient

KERNEL_NAME = "coordsim-test-python3"


@pytest.fixture
def notebook_path(scenarios_dir):
    return scenarios_dir.parent / "analysis" / "notebooks" / "quickstart.ipynb"


@pytest.fixture
def kernel_environment(tmp_path, monkeypatch, python_package_dir):
    spec_dir = tmp_path / "jupyter" / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (coordsim tests)", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's platformdirs migration, no warning
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # ipykernel debugger chatter on stderr
    path = os.environ.get("PYTHONPATH", "")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(python_package_dir), path) if p))


def _outputs(cell):
    return cell.get("outputs", [])


def _text(cell):
    parts = []
    for output in _outputs(cell):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
            parts.append(output["data"].get("text/html", ""))
    return "\n".join(parts)


def test_quickstart_notebook_runs_and_shows_its_results(notebook_path, kernel_environment):
    notebook = nbformat.read(notebook_path, as_version=4)
    # The notebook ships without outputs, so a diff shows only real changes.
    assert all(not _outputs(cell) for cell in notebook.cells if cell.cell_type == "code")
    client = NotebookClient(notebook, kernel_name=KERNEL_NAME, timeout=600,
                            resources={"metadata": {"path": str(notebook_path.parent)}})
    client.execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for cell in code:
        errors = [o for o in _outputs(cell) if o["output_type"] == "error"]
        assert not errors, f"{cell.source}\n{errors}"
    by_source = {cell.source.splitlines()[0]: cell for cell in code}

    loaded = _text(by_source['scenario = coordsim.Scenario.load(pathlib.Path("../../scenarios/county.yaml"))'])
    assert "<coordsim.Scenario" in loaded and "variants: ['baseline'" in loaded

    changed = _text(by_source['scenario["leadership.attention_budget"] = 1.0'])
    assert "refused: <command line>: tasks.lead_rank: expected a real number in [0, 1], found 1.5" in changed
    assert "tasks.lead_rank is still 0.35" in changed

    dataset = _text(by_source["ds = coordsim.run(scenario, replications=4, threads=2, output=path)"])
    assert "xarray.Dataset" in dataset and "replication: 4" in dataset and "step: 120" in dataset

    reopened = _text(by_source["reopened = coordsim.open(path)"])
    assert "same as run: True" in reopened  # coordsim.open gives back exactly what run returned
    assert "<table" in reopened and "replication" in reopened and "lead_hours_own_total" in reopened

    shown = by_source["explorer = coordsim.explore(scenario, threads=2)"]
    page = "".join(o["data"].get("text/html", "") for o in _outputs(shown) if "data" in o)
    assert "<iframe src='http://127.0.0.1:" in page  # the explorer inline
    schema = _text(by_source["import json"])
    assert re.search(r"\d{2,} parameters; 3 replications per update; variants: baseline, high_rank_lead", schema)

    table = _text(by_source['table = analysis.compare(ds, analysis.key_outcomes(ds))'])
    assert "<table" in table and "cohens_d" in table and "share_on_time" in table

    best = _text(by_source['on_time = table[table["outcome"] == "share_on_time"].set_index("variant")'])
    assert best.startswith("largest gain in share_on_time: ")

    for first_line in ('analysis.plot_series(ds, "items_overdue")',
                       'analysis.plot_effects(table[table["outcome"].isin(["share_on_time", "lead_hours_own_total"])])'):
        outputs = _outputs(by_source[first_line])
        assert any("image/png" in o.get("data", {}) for o in outputs), first_line
