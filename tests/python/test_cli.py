"""The command line: determinism across threads, info, bad input (exit 2, no file), killed runs."""
import os
import signal
import subprocess
import time

import numpy as np
import pytest

from test_sweep import datasets


def test_same_seed_is_bit_identical_for_1_2_and_4_threads(run_cli, tmp_path):
    files = []
    for threads in (1, 2, 4):
        out = tmp_path / f"t{threads}.h5"
        result = run_cli("run", "-o", out, "--replications", 3, "--steps", 60, "--threads", threads, "--quiet")
        assert result.returncode == 0, result.stderr
        files.append(datasets(out))
    for other in files[1:]:
        assert other.keys() == files[0].keys()
        for name, values in files[0].items():
            if values.dtype.kind == "f":
                assert values.tobytes() == other[name].tobytes(), name
            else:
                np.testing.assert_array_equal(values, other[name])


def test_different_seed_changes_results(run_cli, tmp_path):
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    for out, seed in ((a, 1), (b, 2)):
        assert run_cli("run", "-o", out, "--replications", 1, "--steps", 60, "--seed", seed, "--quiet").returncode == 0
    assert any(not np.array_equal(x, datasets(b)[k], equal_nan=True) for k, x in datasets(a).items()
               if k.startswith("series/") and x.dtype.kind == "f")


def test_run_prints_comparison_table(run_cli, tmp_path):
    result = run_cli("run", "-o", tmp_path / "x.h5", "--replications", 3, "--steps", 60)
    assert result.returncode == 0, result.stderr
    assert "95% CI" in result.stdout
    assert "(baseline)" in result.stdout
    assert "Results written to" in result.stdout


def test_quiet_run_prints_nothing(run_cli, tmp_path):
    out = tmp_path / "x.h5"
    result = run_cli("run", "-o", out, "--replications", 2, "--steps", 20, "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert out.exists()


def test_info_describes_file(run_cli, county_results):
    result = run_cli("info", county_results)
    assert result.returncode == 0, result.stderr
    for word in ("society", "series", "department", "baseline"):
        assert word in result.stdout


def test_info_rejects_non_coordsim_file(run_cli, tmp_path):
    bogus = tmp_path / "bogus.h5"
    bogus.write_bytes(b"not hdf5 at all")
    result = run_cli("info", bogus)
    assert result.returncode != 0
    assert "bogus.h5" in result.stderr


def test_version_and_help(run_cli):
    version = run_cli("--version")
    assert version.returncode == 0 and "coordsim" in version.stdout
    for command in ("run", "validate", "info", "params"):
        result = run_cli(command, "--help")
        assert result.returncode == 0, command
        assert "--help" in result.stdout or "Usage" in result.stdout


def test_params_documents_every_parameter(run_cli):
    result = run_cli("params", "governance")
    assert result.returncode == 0
    assert "lead.rank" in result.stdout
    assert "assessment.regime" in result.stdout


def test_validate_accepts_every_shipped_scenario(run_cli, scenarios_dir):
    # Sweep files (sweep_*.yaml) and calibration files (calibration_*.yaml) have their own formats and commands.
    shipped = sorted(p for p in [*scenarios_dir.glob("*.yaml"), *scenarios_dir.glob("governance/*.yaml")]
                     if not p.name.startswith(("sweep_", "calibration_")))
    assert len(shipped) >= 4 + 16  # the county, the governance model's scenarios and the 16 fact scenarios
    for path in shipped:
        result = run_cli("validate", path)
        assert result.returncode == 0, (path, result.stderr)


BAD_INPUTS = {
    "malformed": ("model: governance\nrun: {steps: 10\n", ["malformed.yaml:", ]),
    "unknown_key": ("model: governance\nparameters:\n  lead:\n    rnak: 0.5\n",
                    ["unknown_key.yaml:4:", "parameters.lead.rnak", "rank"]),
    "wrong_type": ("model: governance\nparameters:\n  lead:\n    rank: high\n",
                   ["wrong_type.yaml:4:", "parameters.lead.rank", "high"]),
    "out_of_range": ("model: governance\nparameters:\n  lead:\n    rank: 7\n",
                     ["out_of_range.yaml:4:", "parameters.lead.rank", "7"]),
    "empty": ("", ["empty.yaml", "empty"]),
    "variant_unknown": ("model: governance\nvariants:\n  a: {}\n  b:\n    lead.rnak: 0.9\n",
                        ["variant_unknown.yaml:5:", "variants.b.lead.rnak"]),
    "unknown_model": ("model: nonesuch\n", ["unknown_model.yaml:1:", "governance"]),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_scenarios_exit_2_with_location_and_write_nothing(run_cli, tmp_path, case):
    text, expected = BAD_INPUTS[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text)
    out = tmp_path / "out.h5"
    for command in (("validate", path), ("run", path, "-o", out)):
        result = run_cli(*command)
        assert result.returncode == 2, (command, result.stderr)
        for fragment in expected:
            assert fragment in result.stderr, (fragment, result.stderr)
        assert "Traceback" not in result.stderr and "terminate" not in result.stderr
    assert list(tmp_path.glob("out.h5*")) == []


def test_binary_garbage_and_missing_file(run_cli, tmp_path):
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(bytes(range(256)) * 4)
    for path in (garbage, tmp_path / "missing.yaml", tmp_path):
        result = run_cli("run", path, "-o", tmp_path / "out.h5")
        assert result.returncode == 2, (path, result.stderr)
        assert str(path.name) in result.stderr
    assert not (tmp_path / "out.h5").exists()


def test_bad_command_line_override(run_cli, tmp_path):
    for assignment, fragment in (("tasks.lead_rank=2", "tasks.lead_rank"), ("tasks.lead_rnak=0.5", "lead_rank"),
                                 ("tasks.lead_rank", "=")):
        result = run_cli("run", "--set", assignment, "-o", tmp_path / "o.h5")
        assert result.returncode == 2, (assignment, result.stderr)
        assert fragment in result.stderr
        assert "<command line>" in result.stderr or "=" in fragment
    assert not (tmp_path / "o.h5").exists()


def test_killed_run_leaves_no_file_under_final_name(coordsim_exe, tmp_path):
    out = tmp_path / "killed.h5"
    process = subprocess.Popen([coordsim_exe, "run", "-o", str(out), "--replications", "2000", "--threads", "1",
                                "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline and not list(tmp_path.glob("killed.h5.tmp*")):
        time.sleep(0.05)
    time.sleep(0.3)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert list(tmp_path.glob("killed.h5.tmp*")), "the run should have been writing a temporary file"
    assert not out.exists()
