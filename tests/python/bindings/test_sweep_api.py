"""coordsim.sweep: the engine's sweep runner from Python, as xarray; the CLI's file bit for bit."""
import itertools

import h5py
import numpy as np
import pytest
import xarray as xr

import coordsim

GRID = {"tasks.participants": [4, 5], "assessment.regime": ["outcome_only", "joint"]}


def _bits(array):
    """float64 data as integers, so NaN == NaN and -0.0 != 0.0: a bit-for-bit comparison."""
    return np.ascontiguousarray(array, dtype=np.float64).view(np.uint64)


@pytest.fixture(scope="module")
def base():
    from conftest import SMALL_SCENARIO

    return coordsim.Scenario.from_yaml(SMALL_SCENARIO, "small.yaml")


@pytest.fixture(scope="module")
def grid(base):
    return coordsim.sweep(base, GRID, replications=2, steps=30, variants=["baseline", "high_rank_lead"],
                          seed=7, threads=2)


def test_grid_has_one_run_per_combination(grid):
    assert isinstance(grid, xr.Dataset)
    assert grid.sizes["run"] == 4 and grid.sizes["replication"] == 2 and grid.sizes["step"] == 30
    assert list(grid["variant"].values) == ["baseline", "high_rank_lead"]
    product = list(itertools.product(*GRID.values()))  # first parameter varies slowest
    assert list(zip(grid["tasks__participants"].values.tolist(), grid["assessment__regime"].values.tolist())) == product
    assert grid["tasks__participants"].dims == ("run",)
    assert grid["tasks__participants"].attrs["parameter"] == "tasks.participants"
    assert grid["items_on_time"].dims == ("run", "variant", "replication", "step")
    assert grid["share_on_time"].dims == ("run", "variant", "replication")
    assert grid["share_on_time"].attrs["group"] == "summary"
    assert grid["run_status"].values.tolist() == [1, 1, 1, 1]
    assert grid.attrs["kind"] == "sweep" and grid.attrs["parameters"] == list(GRID)
    # Usable like a notebook would.
    means = grid["share_on_time"].groupby("assessment__regime").mean(...)
    assert means.sizes["assessment__regime"] == 2
    one = grid.set_index(run=["tasks__participants", "assessment__regime"]).sel(tasks__participants=5,
                                                                                 assessment__regime="joint")
    assert one["share_on_time"].dims == ("variant", "replication")


def test_identical_to_the_command_line(base, grid, run_cli, tmp_path):
    scenario_file = tmp_path / "small.yaml"
    scenario_file.write_text(base.to_yaml())
    sweep_file = tmp_path / "grid.yaml"
    sweep_file.write_text("base: small.yaml\n" + coordsim.sweep_yaml(
        GRID, replications=2, steps=30, variants=["baseline", "high_rank_lead"], seed=7))
    # The same sweep written by hand, as a user of the CLI would.
    assert "tasks.participants: {values: [4, 5]}" in sweep_file.read_text()
    cli_file = tmp_path / "cli.h5"
    result = run_cli("sweep", sweep_file, "-o", cli_file, "--threads", 1, "--quiet")
    assert result.returncode == 0, result.stderr
    with h5py.File(cli_file, "r") as f:
        for name, variable in grid.data_vars.items():
            stored = f[variable.attrs["group"]][variable.attrs["source_name"]][...]
            assert np.array_equal(_bits(variable.values), _bits(stored)), name
        in_file = {(group, name) for group in ("series", "summary") for name in f[group] if name not in grid.coords}
        assert {(v.attrs["group"], v.attrs["source_name"]) for v in grid.data_vars.values()} == in_file
        assert np.array_equal(grid["run_seed"].values, f["run_seed"][...])
        assert np.array_equal(grid["run_status"].values, f["run_status"][...])
        for attribute in ("model", "scenario", "seed", "replications", "steps", "runs", "design"):
            assert grid.attrs[attribute] == f.attrs[attribute], attribute


def test_invalid_parameter_names_the_key(base):
    with pytest.raises(coordsim.ScenarioError, match=r"did you mean 'lead.rank'") as raised:
        coordsim.sweep(base, {"lead.rnak": [0.3, 0.6]}, steps=5)
    assert raised.value.key == "parameters.lead.rnak"
    with pytest.raises(coordsim.ScenarioError, match=r"expected a real number in \[0, 1\], found 1.5") as raised:
        coordsim.sweep(base, {"lead.rank": [0.3, 1.5]}, steps=5)
    assert raised.value.key == "parameters.lead.rank.values[1]"
    with pytest.raises(coordsim.ScenarioError, match="did you mean 'lhs'"):
        coordsim.sweep(base, {"lead.rank": (0.1, 0.9)}, design="lsh", samples=4)
    with pytest.raises(TypeError, match="parameters.lead.rank"):
        coordsim.sweep(base, {"lead.rank": 0.3})


def test_out_writes_a_file_open_results_reads(base, tmp_path):
    out = tmp_path / "sweep.h5"
    with coordsim.sweep(base, {"lead.rank": {"linspace": [0.2, 0.8, 3]}}, replications=1, steps=20,
                        variants=["baseline"], out=out) as lazy:
        assert lazy.sizes["run"] == 3
        assert lazy["lead__rank"].values.tolist() == [0.2, 0.5, 0.8]
        in_memory = lazy.load()
    assert not (tmp_path / "sweep.h5.journal").exists()
    with coordsim.open_results(out, "summary") as summary:
        assert summary.sizes["run"] == 3 and "lead__rank" in summary.coords
        np.testing.assert_array_equal(summary["share_on_time"].values, in_memory["share_on_time"].values)
    assert coordsim.root_attributes(out)["kind"] == "sweep"


def test_lhs_gives_samples_runs(base):
    ds = coordsim.sweep(base, {"lead.rank": (0.1, 0.9), "tasks.participants": (2, 5)}, design="lhs", samples=5,
                        replications=1, steps=10, variants=["baseline"], fail_on_nan="none")
    assert ds.sizes["run"] == 5
    rank = ds["lead__rank"].values
    assert ((rank >= 0.1) & (rank <= 0.9)).all()
    assert sorted(np.floor((rank - 0.1) / 0.8 * 5).astype(int).tolist()) == [0, 1, 2, 3, 4]  # one per stratum
    assert set(ds["tasks__participants"].values.tolist()) <= {2, 3, 4, 5}


def test_python_threads_progress_during_a_sweep(base, ticker):
    scenario = base.copy()
    scenario.update({"departments.count": 1500, "tasks.count": 150, "tasks.start_max": 50})
    calls = []
    with ticker() as t:
        ds = coordsim.sweep(scenario, {"lead.rank": [0.3, 0.9]}, replications=1, steps=150, variants=["baseline"],
                            threads=1, progress=lambda done_, total: calls.append((done_, total)),
                            fail_on_nan="none")
    assert ds.sizes["run"] == 2
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)
    # With the GIL held the ticker could not run at all until the sweep returned.
    assert t.end - t.start > 0.05
    assert len(t.during) >= 10, f"{len(t.during)} ticks in {t.end - t.start:.3f} s"


# A Morris design written by hand as a sweep file, as a CLI user would: r = 3 trajectories over
# k = 2 parameters on a 4-level grid, so r * (k + 1) = 9 runs.
MORRIS_FILE = """base: small.yaml
design: morris
trajectories: 3
levels: 4
seed: 5
steps: 20
replications: 2
variants: [baseline]
fail_on_nan: none
parameters:
  lead.rank: {bounds: [0.1, 0.9]}
  tasks.participants: {bounds: [4, 8]}
"""


def test_morris_equals_the_file_driven_sweep(base, run_cli, tmp_path):
    screen = coordsim.sweep(base, {"lead.rank": (0.1, 0.9), "tasks.participants": (4, 8)}, design="morris",
                            trajectories=3, levels=4, seed=5, steps=20, replications=2, variants=["baseline"],
                            threads=2, fail_on_nan="none")
    assert screen.attrs["design"] == "morris" and screen.sizes["run"] == 9
    # Each trajectory is k + 1 = 3 consecutive runs, steps 0..2, one parameter moved per step.
    assert screen["morris_trajectory"].values.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert screen["morris_step"].values.tolist() == [0, 1, 2] * 3
    points = np.column_stack([screen["lead__rank"].values, screen["tasks__participants"].values])
    for t in range(3):
        moved = [int(np.sum(points[3 * t + s + 1] != points[3 * t + s])) for s in range(2)]
        assert moved == [1, 1], (t, points[3 * t:3 * t + 3])
    (tmp_path / "small.yaml").write_text(base.to_yaml())
    sweep_file = tmp_path / "morris.yaml"
    sweep_file.write_text(MORRIS_FILE)
    cli_file = tmp_path / "morris.h5"
    result = run_cli("sweep", sweep_file, "-o", cli_file, "--threads", 1, "--quiet")
    assert result.returncode == 0, result.stderr
    with h5py.File(cli_file, "r") as f:
        assert f.attrs["design"] == "morris"
        for name, variable in screen.data_vars.items():
            stored = f[variable.attrs["group"]][variable.attrs["source_name"]][...]
            assert np.array_equal(_bits(variable.values), _bits(stored)), name
        for name in ("lead__rank", "tasks__participants", "morris_trajectory", "morris_step"):
            group = "summary" if name in f["summary"] else "series"
            assert np.array_equal(screen[name].values, f[group][name][...]), name
        assert np.array_equal(screen["run_seed"].values, f["run_seed"][...])
    # The screening estimators read the Python result as they read the file.
    from coordsim.analysis.morris import morris

    from_python = morris(screen, "share_on_time")
    from_file = morris(cli_file, "share_on_time")
    assert from_python.equals(from_file)
    assert set(from_python.index) == {"lead.rank", "tasks.participants"}


def test_morris_keys_are_checked_like_the_file(base):
    # levels must be even; trajectories and levels belong to morris only.
    with pytest.raises(coordsim.ScenarioError, match=r"even integer") as raised:
        coordsim.sweep(base, {"lead.rank": (0.1, 0.9)}, design="morris", trajectories=2, levels=3, steps=5)
    assert raised.value.key == "levels"
    with pytest.raises(coordsim.ScenarioError, match="samples"):
        coordsim.sweep(base, {"lead.rank": (0.1, 0.9)}, design="morris", trajectories=2, samples=4, steps=5)
    text = coordsim.sweep_yaml({"lead.rank": (0.1, 0.9)}, design="morris", trajectories=4, levels=6)
    assert "trajectories: 4\nlevels: 6\n" in text and "lead.rank: {bounds: [0.1, 0.9]}" in text
