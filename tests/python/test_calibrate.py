"""Calibration (sim/CALIBRATION.md) through the command line: the result file through xarray, the
same file for 1 and 2 threads, SIGKILL at random moments then --resume giving the same file, an
identifiability check on the county, and invalid input."""
import random
import signal
import subprocess
import time

import h5py
import numpy as np
import xarray as xr

from calibration_support import credible_intervals
from test_sweep import assert_identical

TRUTH = {"lead.rank": 0.6, "allocation.temperature": 0.05}


def test_example_file_opens_in_xarray_and_info_describes_it(run_cli, scenarios_dir, tmp_path):
    out = tmp_path / "example.h5"
    result = run_cli("calibrate", scenarios_dir / "governance" / "calibration_example.yaml", "-o", out, "--quiet", "--threads", 2)
    assert result.returncode == 0, result.stderr
    ds = xr.open_dataset(out, engine="h5netcdf")
    assert ds["value"].dims == ("generation", "particle", "parameter")
    assert list(ds["parameter"].values) == ["lead.rank", "allocation.temperature"]
    assert ds["simulated"].dims == ("generation", "particle", "target")
    last = ds.isel(generation=-1)
    assert np.isclose(float(last["weight"].sum()), 1.0)
    # Distances of a population are at most its tolerance; tolerances never grow.
    assert (ds["distance"] <= ds["tolerance"] + 1e-12).all()
    assert (np.diff(ds["tolerance"].values) <= 0).all()
    with h5py.File(out, "r") as f:
        assert f.attrs["kind"] == "calibration"
        assert "lead.rank" in f.attrs["calibration"]
    info = run_cli("info", out)
    assert info.returncode == 0, info.stderr
    assert "coordsim calibration file" in info.stdout and "lead.rank" in info.stdout


def test_same_file_for_one_and_two_threads(run_cli, scenarios_dir, tmp_path):
    example = scenarios_dir / "governance" / "calibration_example.yaml"
    one, two = tmp_path / "one.h5", tmp_path / "two.h5"
    for out, threads in ((one, 1), (two, 2)):
        result = run_cli("calibrate", example, "-o", out, "--quiet", "--threads", threads)
        assert result.returncode == 0, result.stderr
    assert_identical(one, two)


def test_killed_calibration_resumes_to_the_same_file(coordsim_exe, run_cli, scenarios_dir, tmp_path):
    """SIGKILL at random moments (up to six attempts, each killed after a random delay and the next one
    resuming its journal), then --resume to the end: the file equals an uninterrupted calibration's."""
    calibration = tmp_path / "cal.yaml"
    calibration.write_text((scenarios_dir / "governance" / "calibration_example.yaml").read_text()
                           .replace("base: county.yaml", f"base: {scenarios_dir / 'governance' / 'county.yaml'}")
                           .replace("steps: 40", "steps: 100"))
    reference = tmp_path / "reference.h5"
    result = run_cli("calibrate", calibration, "-o", reference, "--quiet", "--threads", 2)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "killed.h5"
    journal = tmp_path / "killed.h5.journal"
    rng = random.Random(4)
    kills = 0
    # A few attempts killed at random moments, then one resumed to the end: each --resume must pick up
    # the journal left by a killed process (how far each attempt gets depends on the machine's load).
    for attempt in range(6):
        args = [coordsim_exe, "calibrate", str(calibration), "-o", str(out), "--quiet", "--threads", "2"]
        if journal.exists():
            args.append("--resume")
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.6))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
            assert not out.exists()
            continue
        assert process.returncode == 0
        break
    if not out.exists():
        args = [coordsim_exe, "calibrate", str(calibration), "-o", str(out), "--quiet", "--threads", "2"]
        result = subprocess.run(args + (["--resume"] if journal.exists() else []), capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert out.exists(), "the calibration never finished"
    assert kills >= 1, "no attempt was interrupted; make the calibration longer"
    assert not journal.exists()
    assert_identical(reference, out)


def test_identifiability_on_the_county(run_cli, scenarios_dir, tmp_path):
    """Simulate the county at known parameter values, calibrate on those outputs, and check that
    the 90% credible intervals cover the truth, and are narrower than the prior for the parameter
    the targets inform most (temperature: joint hours respond to it strongly)."""
    intervals = credible_intervals(
        run_cli, scenarios_dir / "governance" / "county.yaml", TRUTH,
        ("hours_joint_total", "mean_trust_final", "lead_hours_doing_others"),
        {"lead.rank": "{prior: uniform, bounds: [0.1, 0.9]}",
         "allocation.temperature": "{prior: log_uniform, bounds: [0.01, 0.2]}"},
        tmp_path, steps=40, replications=2, abc="{particles: 100, alpha: 0.5, min_acceptance: 0.05, max_runs: 1200}")
    for name, true_value in TRUTH.items():
        low, high = intervals[name]
        assert low <= true_value <= high, (name, low, high)
    # The prior's 90% interval of the log-uniform temperature spans 0.0116..0.172.
    low, high = intervals["allocation.temperature"]
    assert high - low < 0.8 * (0.172 - 0.0116)


def test_invalid_calibration_is_refused_with_its_place(run_cli, scenarios_dir, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"base: {scenarios_dir / 'governance' / 'county.yaml'}\nparameters:\n  lead.rank: {{prior: uniform, bounds: [0.1, 0.9]}}\n"
                   "targets:\n  - {summary: share_on_tme, observed: 0.5}\n")
    result = run_cli("calibrate", bad, "-o", tmp_path / "bad.h5")
    assert result.returncode == 2
    assert f"{bad}:5:15: targets[0].summary: unknown summary outcome \"share_on_tme\"; did you mean 'share_on_time'?" \
        in result.stderr
    assert not (tmp_path / "bad.h5").exists()
    runaway = tmp_path / "runaway.yaml"
    runaway.write_text(f"base: {scenarios_dir / 'governance' / 'county.yaml'}\nreplications: 100\nparameters:\n"
                       "  lead.rank: {prior: uniform, bounds: [0.1, 0.9]}\n"
                       "targets:\n  - {summary: share_on_time, observed: 0.5}\nabc: {particles: 1000, max_runs: 1000000}\n")
    result = run_cli("calibrate", runaway, "-o", tmp_path / "runaway.h5")
    assert result.returncode == 2
    assert "1000000 particles x 100 simulations" in result.stderr and "100000000 simulations" in result.stderr
