"""coordsim.run: xarray layout, no copies, the CLI's numbers bit for bit, GIL released."""
import re
import threading
import time

import h5py
import numpy as np
import pytest
import xarray as xr

import coordsim


def _bits(array):
    """float64 data as integers, so NaN == NaN and -0.0 != 0.0: a bit-for-bit comparison."""
    return np.ascontiguousarray(array, dtype=np.float64).view(np.uint64)


def test_dataset_layout(small_scenario):
    ds = coordsim.run(small_scenario, threads=2)
    assert isinstance(ds, xr.Dataset)
    assert list(ds["variant"].values) == ["baseline", "high_rank_lead", "cooperation"]
    assert list(ds["replication"].values) == [0, 1, 2]
    assert list(ds["step"].values) == list(range(40))
    series = [n for n, v in ds.data_vars.items() if v.attrs["group"] == "series"]
    summaries = [n for n, v in ds.data_vars.items() if v.attrs["group"] == "summary"]
    assert "items_on_time" in series and "share_on_time" in summaries
    for name in series:
        assert ds[name].dims == ("variant", "replication", "step"), name
    for name in summaries:
        assert ds[name].dims == ("variant", "replication"), name
    for name, variable in ds.data_vars.items():
        assert variable.dtype == np.float64
        assert variable.attrs["units"] and variable.attrs["long_name"], name
        assert variable.attrs["source_name"] in (name, name.removesuffix("_summary"))
    assert any(int(ds[n].attrs["key"]) == 1 for n in summaries)
    # A summary named like a series is renamed, never silently dropped.
    clashes = [n for n in summaries if n.endswith("_summary")]
    assert all(ds[n].attrs["source_name"] in series for n in clashes)
    assert ds.attrs["model"] == "governance" and ds.attrs["seed"] == 11
    assert ds.attrs["replications"] == 3 and ds.attrs["steps"] == 40
    assert coordsim.Scenario.from_yaml(ds.attrs["scenario"])["lead.rank"] == pytest.approx(0.35)
    assert np.isfinite(ds["items_on_time"].values).all()
    # Variants differ (the mechanisms act) and replications differ (different random numbers).
    assert not np.array_equal(ds["share_on_time"].values[0], ds["share_on_time"].values[1])
    assert not np.array_equal(ds["items_open"].values[0, 0], ds["items_open"].values[0, 1])


def test_overrides_apply_to_the_run_not_to_the_scenario(small_scenario):
    ds = coordsim.run(small_scenario, seed=5, replications=2, steps=7, threads=1)
    assert ds.sizes == {"variant": 3, "replication": 2, "step": 7}
    assert ds.attrs["seed"] == 5
    assert small_scenario["run.steps"] == 40 and small_scenario["run.seed"] == 11
    with pytest.raises(coordsim.ScenarioError, match=r"run.replications: expected an integer in \[1, 1000000\], found 0"):
        coordsim.run(small_scenario, replications=0)
    with pytest.raises(coordsim.ScenarioError, match="run.seed"):
        coordsim.run(small_scenario, seed=-3)
    with pytest.raises(ValueError, match="threads must be >= 0"):
        coordsim.run(small_scenario, threads=-1)


def test_arrays_are_not_copied(small_scenario):
    """Each array views a C++ buffer owned by a capsule: NumPy owns no data, nothing is copied."""
    raw = coordsim._core.run(small_scenario, steps=5, agents=True)
    for entry in raw["series"] + raw["summary"] + [v for kind in raw["agents"] for v in kind["variables"]]:
        data = entry["data"]
        assert data.flags.owndata is False, entry["name"]
        assert type(data.base).__name__ == "PyCapsule", entry["name"]
        assert data.flags.c_contiguous and data.flags.writeable
    # xarray keeps the very same arrays.
    result = coordsim.run(small_scenario, steps=5, agents=True)
    for dataset in [result.outcomes, *result.agents.values()]:
        for name, variable in dataset.data_vars.items():
            assert variable.values.flags.owndata is False, name
            assert type(variable.values.base).__name__ == "PyCapsule", name


def test_buffers_outlive_the_dataset(small_scenario):
    """The capsule keeps the buffer alive while any view of it exists."""
    ds = coordsim.run(small_scenario, steps=6, threads=1)
    view = ds["items_open"].values[1, :, 2:]
    expected = view.copy()
    del ds
    import gc

    gc.collect()
    _ = [np.ones(10_000) for _ in range(50)]  # reuse freed memory if it had been freed
    np.testing.assert_array_equal(view, expected)


def test_per_agent_outcomes(small_scenario):
    result = coordsim.run(small_scenario, agents=True, agent_every=5)
    outcomes, agents = result
    assert isinstance(outcomes, xr.Dataset)
    assert {"department", "task"} <= set(agents)
    department = agents["department"]
    assert department.sizes["agent"] == 20
    assert list(department["step"].values) == list(range(0, 40, 5))
    for name, variable in department.data_vars.items():
        assert variable.dims == ("variant", "replication", "step", "agent"), name
    assert agents["task"].sizes["agent"] == 3
    assert department.attrs["kind"] == "department"


def _scenario_file(tmp_path, small_scenario):
    path = tmp_path / "small.yaml"
    path.write_text(small_scenario.to_yaml())
    return path


def test_identical_to_the_command_line_file(small_scenario, run_cli, tmp_path):
    """Same scenario and seed: the arrays from Python equal the CLI's file bit for bit."""
    path = _scenario_file(tmp_path, small_scenario)
    cli_file = tmp_path / "cli.h5"
    result = run_cli("run", path, "-o", cli_file, "--seed", 99, "--steps", 30, "--threads", 2, "--quiet")
    assert result.returncode == 0, result.stderr
    python_file = tmp_path / "python.h5"
    outcomes, agents = coordsim.run(coordsim.Scenario.load(path), seed=99, steps=30, threads=1, agents=True,
                                    output=python_file)
    with h5py.File(cli_file, "r") as f, h5py.File(python_file, "r") as g:
        compared = 0
        for name, variable in outcomes.data_vars.items():
            group = variable.attrs["group"]
            stored = f[group][variable.attrs["source_name"]][...]
            assert np.array_equal(_bits(variable.values), _bits(stored)), name
            assert np.array_equal(_bits(g[group][variable.attrs["source_name"]][...]), _bits(stored)), name
            compared += 1
        for kind, dataset in agents.items():
            for name, variable in dataset.data_vars.items():
                stored = f["agents"][kind][name][...]
                assert np.array_equal(_bits(variable.values), _bits(stored)), f"{kind}/{name}"
                compared += 1
        assert compared == len(outcomes.data_vars) + sum(len(d.data_vars) for d in agents.values())
        for attribute in ("model", "scenario", "seed", "replications", "steps", "agent_every", "format_version"):
            assert f.attrs[attribute] == g.attrs[attribute], attribute
        assert list(f.attrs["variants"]) == list(g.attrs["variants"])
    # The file written from Python reads back as what run() returned.
    loaded = coordsim.load_results(python_file)
    for name in outcomes.data_vars:
        assert np.array_equal(_bits(loaded[name].values), _bits(outcomes[name].values)), name


def test_thread_count_does_not_change_results(small_scenario):
    one = coordsim.run(small_scenario, threads=1)
    two = coordsim.run(small_scenario, threads=2)
    for name in one.data_vars:
        assert np.array_equal(_bits(one[name].values), _bits(two[name].values)), name


def test_progress_callback(small_scenario):
    calls = []
    coordsim.run(small_scenario, replications=2, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, 6) for i in range(1, 7)]

    def fail(done, total):
        raise RuntimeError(f"stop at {done}")

    with pytest.raises(RuntimeError, match="stop at 1"):
        coordsim.run(small_scenario, replications=2, progress=fail)


def test_scenario_path_is_accepted(small_scenario, tmp_path):
    ds = coordsim.run(_scenario_file(tmp_path, small_scenario), steps=3, replications=1)
    assert ds.sizes["step"] == 3


# ---------------------------------------------------------------------------------------------
# The GIL is released while the engine runs.

LONG_SCENARIO = """
model: governance
run: {steps: 300, seed: 3, replications: 1}
output: {agents: false}
parameters:
  departments.count: 3000
  tasks.count: 300
  tasks.start_max: 50
"""


@pytest.fixture(scope="module")
def long_scenario():
    """One variant, one run, ~0.5 s on one thread: long enough to measure, short enough to repeat."""
    return coordsim.Scenario.from_yaml(LONG_SCENARIO, "long.yaml")


def test_python_threads_progress_during_a_run(long_scenario, ticker):
    with ticker() as t:
        coordsim.run(long_scenario, threads=1)
    # With the GIL held the ticker could not run at all until the run returned.
    assert t.end - t.start > 0.05
    assert len(t.during) >= 10, f"{len(t.during)} ticks in {t.end - t.start:.3f} s"


def test_two_runs_in_two_threads_run_at_the_same_time(long_scenario):
    """Each finished run calls back into Python; with the GIL released during both batches the
    callbacks of the two batches interleave. (Were it held, one batch would finish entirely
    before the other started.) Independent of machine load."""
    scenario = long_scenario.copy()
    scenario.update({"departments.count": 1000, "tasks.count": 100, "run.replications": 6})
    events = []
    lock = threading.Lock()

    def batch(name):
        def progress(done, total):
            with lock:
                events.append(name)
        coordsim.run(scenario, threads=1, progress=progress)

    threads = [threading.Thread(target=batch, args=(name,)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(events) == ["a"] * 6 + ["b"] * 6
    switches = sum(1 for x, y in zip(events, events[1:]) if x != y)
    assert switches >= 2, "".join(events)


def _timed_run(scenario, intervals, index):
    start = time.perf_counter()
    coordsim.run(scenario, threads=1)
    intervals[index] = (start, time.perf_counter())


def test_two_runs_in_two_threads_finish_sooner(long_scenario):
    """Two Python threads, each running a single-threaded batch, take less wall time than the
    two batches one after the other. The machine has 2 cores shared with other work: the best
    of three attempts counts, and when this process could not get more than ~1.3 cores during
    the parallel phase (other processes hold them) speed cannot be judged and the test skips;
    the GIL itself is checked by the two tests above, which do not depend on load."""
    ratios, cores = [], []
    for _ in range(3):
        start = time.perf_counter()
        _timed_run(long_scenario, [None], 0)
        _timed_run(long_scenario, [None], 0)
        serial = time.perf_counter() - start

        intervals = [None, None]
        threads = [threading.Thread(target=_timed_run, args=(long_scenario, intervals, i)) for i in range(2)]
        cpu_start, start = time.process_time(), time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        parallel = time.perf_counter() - start
        cores.append((time.process_time() - cpu_start) / parallel)
        (a_start, a_end), (b_start, b_end) = intervals
        assert a_start < b_end and b_start < a_end
        ratios.append(parallel / serial)
        if ratios[-1] < 0.8:
            return
    if max(cores) < 1.3:
        pytest.skip(f"machine busy: this process got at most {max(cores):.2f} cores while two threads ran "
                    f"(parallel/serial time ratios {[round(r, 2) for r in ratios]}); speed-up not measurable")
    assert min(ratios) < 0.8, f"parallel/serial time ratios {ratios}, cores used {cores}"


def test_profile_prints_the_cli_table_and_leaves_the_numbers_alone(small_scenario, capsys, tmp_path):
    plain = coordsim.run(small_scenario, replications=2, steps=12, threads=2)
    profiled = coordsim.run(small_scenario, replications=2, steps=12, threads=2, profile=True,
                            output=tmp_path / "profiled.h5")
    table = capsys.readouterr().err
    assert table == profiled.attrs["profile"] and "profile" not in plain.attrs
    for name in plain.data_vars:
        assert np.array_equal(_bits(plain[name].values), _bits(profiled[name].values)), name
    row = r"\s+(\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+\d+\.\d+ %\s+\d+\.\d+ %$"
    parts = {m.group(1): (int(m.group(2)), float(m.group(3)), float(m.group(4)))
             for m in re.finditer(r"(?m)^  (\S.*?)" + row, table)}
    steps = {m.group(1): int(m.group(2)) for m in re.finditer(r"(?m)^    (\S.*?)" + row, table)}
    runs = 3 * 2  # variants x replications
    assert parts["generation"][0] == runs and parts["phase departments"][0] == runs * 12
    assert {"buffers, creating the file", "preparing the batch", "writing", "closing the file",
            "arrays for Python"} <= set(parts)
    # the mechanisms' steps inside their phases, once per run and step
    assert steps["core: allocate hours"] == runs * 12 and steps["discipline: discipline commission"] == runs * 12
    own = [v for k, v in parts.items() if k not in ("sum of parts", "total")]
    total = parts["total"][1]
    assert abs(sum(p[1] for p in own) - total) <= 0.05 * total, table
