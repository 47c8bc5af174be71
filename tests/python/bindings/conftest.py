"""Fixtures of the Python-binding tests: the built `coordsim` package and small scenarios.

`coordsim` must be importable: from PYTHONPATH (ctest sets <build>/python), or found next to
the executable named by COORDSIM_EXE (<build>/bin/coordsim -> <build>/python). There is no
skip: a build without the bindings fails these tests.
"""
import os
import pathlib
import sys

import pytest


def _add_build_python_to_path():
    try:
        import coordsim  # noqa: F401
        return
    except ImportError:
        pass
    candidates = []
    exe = os.environ.get("COORDSIM_EXE")
    if exe:
        bin_dir = pathlib.Path(exe).resolve().parent
        candidates += [bin_dir.parent / "python", bin_dir.parent.parent / "python"]
    source = pathlib.Path(os.environ.get("COORDSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
    candidates.append(source / "build" / "python")
    for candidate in candidates:
        if (candidate / "coordsim" / "__init__.py").exists():
            sys.path.insert(0, str(candidate))
            return


_add_build_python_to_path()

import coordsim  # noqa: E402  (fails loudly when the bindings were not built)

# A small world that still exercises every mechanism: runs in milliseconds.
SMALL_SCENARIO = """
model: governance
description: "small test world"
run: {steps: 40, seed: 11, replications: 3}
output: {agents: true, agent_every: 4}
parameters:
  departments.count: 20
  tasks:
    count: 3
    participants: 5
    start_max: 5
  lead.rank: 0.35
variants:
  baseline: {}
  high_rank_lead:
    lead.rank: 0.9
  cooperation:
    assessment.regime: cooperation_degree
"""


@pytest.fixture
def small_scenario():
    return coordsim.Scenario.from_yaml(SMALL_SCENARIO, "small.yaml")


@pytest.fixture(scope="session")
def python_package_dir():
    """Folder that holds the importable coordsim package (for subprocesses and kernels)."""
    return pathlib.Path(coordsim.__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def subprocess_env(python_package_dir):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(python_package_dir), env.get("PYTHONPATH", "")) if p)
    return env
