"""Shared fixtures: the built coordsim executable and small result files made with it."""
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("COORDSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture(scope="session")
def coordsim_exe():
    exe = os.environ.get("COORDSIM_EXE")
    if not exe:
        candidate = SOURCE_DIR / "build" / "bin" / "coordsim"
        exe = str(candidate)
    assert pathlib.Path(exe).exists(), f"coordsim executable not found at {exe}; build first"
    return exe


@pytest.fixture(scope="session")
def run_cli(coordsim_exe):
    def run(*args, cwd=None, timeout=600):
        return subprocess.run([coordsim_exe, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                              timeout=timeout)
    return run


@pytest.fixture(scope="session")
def scenarios_dir():
    return SOURCE_DIR / "scenarios"


@pytest.fixture(scope="session")
def county_results(run_cli, tmp_path_factory):
    """The default county scenario, shortened: 2 replications, 40 steps, agents every 5 steps."""
    out = tmp_path_factory.mktemp("county") / "county.h5"
    result = run_cli("run", "-o", out, "--replications", 2, "--steps", 40, "--set", "output.agent_every=5",
                     "--quiet", "--threads", 2)
    assert result.returncode == 0, result.stderr
    return out
