"""Installed coordsim, used with nothing of the build tree in sight (ctest label `install`).

    test_install.py prefix BUILD_DIR SOURCE_DIR WORK_DIR
        cmake --install BUILD_DIR into a staging prefix, moved elsewhere (the package must be
        relocatable); then, with only that prefix on PATH, PYTHONPATH and CMAKE_PREFIX_PATH: the
        coordsim command and the Python package run the county, and tests/install/own_model builds
        against the installed package and runs from its command line and from Python.
    test_install.py pip SOURCE_DIR WORK_DIR
        `pip install --no-build-isolation --no-deps` of a copy of the source tree into a venv made
        with --system-site-packages; then `import coordsim`, a run and a sweep from Python, and the
        venv's `coordsim` command.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PYTHON = "/usr/bin/python3"
# What a user's shell would pass on; ccache settings keep rebuilds cheap (see .ci/run).
PASSED_ON = ("HOME", "LANG", "TMPDIR", "CMAKE_CXX_COMPILER_LAUNCHER", "CMAKE_BUILD_PARALLEL_LEVEL")


def clean_env(path_dirs, **extra):
    env = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    env.update({name: value for name, value in os.environ.items() if name.startswith("CCACHE_")})
    env["PATH"] = os.pathsep.join([*map(str, path_dirs), "/usr/bin", "/bin"])
    env.update({name: str(value) for name, value in extra.items()})
    return env


def run(command, env, cwd, expect=0):
    command = [str(part) for part in command]
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode != expect:
        sys.exit(f"FAILED ({result.returncode}, expected {expect}): {' '.join(command)}\n"
                 f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}")
    return result


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def expected_commit(source: Path):
    """The commit --version must name: git describe of the source, or "unknown" outside git."""
    if not (source / ".git").exists() or shutil.which("git") is None:
        return None
    described = subprocess.run(["git", "-C", str(source), "describe", "--always", "--abbrev=12"],
                               capture_output=True, text=True)
    return described.stdout.strip() if described.returncode == 0 else None


def check_version(coordsim_cmd, env, cwd, source):
    """`coordsim --version` names version and commit; returns the commit."""
    cmake_version = re.search(r"project\(coordsim VERSION ([0-9.]+)", (source / "CMakeLists.txt").read_text())[1]
    out = run([*coordsim_cmd, "--version"], env, cwd).stdout
    match = re.fullmatch(r"coordsim (\S+) \(commit (\S+), result format \d+\)\n", out)
    assert match, out
    assert match[1] == cmake_version, out
    commit = match[2]
    described = expected_commit(source)
    if described is None:
        assert commit == "unknown", out
    else:
        assert commit.removesuffix("-dirty") == described, (out, described)
    return commit


# The county from Python and from the command line, read back with the installed package. The
# default scenario is embedded in the executable; no scenario file is needed.
COUNTY_CHECK = r"""
import sys, coordsim
cmd_file, commit, where = sys.argv[1], sys.argv[2], sys.argv[3]
assert coordsim.__file__.startswith(where), (coordsim.__file__, where)
assert coordsim.__commit__ == commit, coordsim.__commit__
attrs = coordsim.root_attributes(cmd_file)
assert attrs["model"] == "society" and int(attrs["steps"]) == 20 and int(attrs["replications"]) == 1, attrs
assert attrs["coordsim_commit"] == commit and attrs["coordsim_version"] == coordsim.__version__, attrs
from_cli = coordsim.load_results(cmd_file)
from_python = coordsim.run(coordsim.Scenario.default(), replications=1, steps=20)
assert from_python.attrs["coordsim_commit"] == commit
assert list(from_cli["variant"].values) == list(from_python["variant"].values)
for name in from_cli.data_vars:   # one engine, one seed: bit for bit the same
    assert from_cli[name].values.tobytes() == from_python[name].values.tobytes(), name
print("county: command line and Python agree")
"""


def check_county(coordsim_cmd, env, work, source, package_root):
    commit = check_version(coordsim_cmd, env, work, source)
    run([*coordsim_cmd, "run", "-o", "county.h5", "--replications", 1, "--steps", 20, "--quiet"], env, work)
    run([PYTHON if "VIRTUAL_ENV" not in env else Path(env["VIRTUAL_ENV"]) / "bin/python", "-c", COUNTY_CHECK,
         work / "county.h5", commit, package_root], env, work)
    return commit


def test_prefix(build: Path, source: Path, work: Path):
    work = fresh(work)
    staging, prefix = work / "staging", work / "prefix"
    run(["cmake", "--install", build, "--prefix", staging], clean_env([]), work)
    staging.rename(prefix)  # relocated: nothing may point back to the staging prefix
    site = prefix / subprocess.run(
        [PYTHON, "-c", "import os, sysconfig; print(os.path.relpath(sysconfig.get_path('platlib', 'posix_prefix', "
         "vars={'platbase': '/P', 'base': '/P'}), '/P'))"], capture_output=True, text=True, check=True).stdout.strip()
    env = clean_env([prefix / "bin"], PYTHONPATH=site, CMAKE_PREFIX_PATH=prefix)
    here = fresh(work / "elsewhere")
    check_county(["coordsim"], env, here, source, str(site))
    # The installed scenarios run from share/coordsim/scenarios: a fact scenario that extends the
    # installed county.yaml, and the governance model's F1.
    run(["coordsim", "run", prefix / "share/coordsim/scenarios/f1_weak_lead.yaml", "-o", "f1.h5", "--replications", 1,
         "--steps", 20, "--quiet"], env, here)
    run(["coordsim", "run", prefix / "share/coordsim/scenarios/governance/f1_weak_lead.yaml", "-o", "f1g.h5",
         "--replications", 1, "--steps", 20, "--quiet"], env, here)

    # The model of one's own: configure and build against the installed package only.
    own = work / "own_model"
    run(["cmake", "-S", source / "tests/install/own_model", "-B", own, "-DCMAKE_BUILD_TYPE=Release"], env, work)
    cache = (own / "CMakeCache.txt").read_text()
    found = re.search(r"^coordsim_DIR:PATH=(.*)$", cache, re.MULTILINE)[1]
    assert Path(found) == prefix / "lib/cmake/coordsim", found
    run(["cmake", "--build", own], env, work)
    helpdesk = own / "helpdesk"
    assert "helpdesk" in run([helpdesk, "params", "helpdesk"], env, here).stdout
    run([helpdesk, "run", source / "tests/install/own_model/helpdesk.yaml", "-o", "helpdesk.h5", "--steps", 20,
         "--quiet"], env, here)
    # An unknown model is refused as invalid input, naming the one this executable has.
    refused = run([helpdesk, "run", prefix / "share/coordsim/scenarios/county.yaml", "--quiet"], env, here, expect=2)
    assert "helpdesk" in refused.stderr, refused.stderr
    print(run([PYTHON, source / "tests/install/own_model/analyse.py", helpdesk, work / "analyse"], env, here).stdout,
          end="")


SWEEP_CHECK = r"""
import sys, coordsim
where = sys.argv[1]
assert coordsim.__file__.startswith(where), (coordsim.__file__, where)
from importlib.metadata import version
assert version("coordsim") == coordsim.__version__
sw = coordsim.sweep(coordsim.Scenario.default(), {"tasks.lead_rank": [0.3, 0.9]}, replications=1, steps=20,
                    variants=["baseline"])
assert list(sw["tasks__lead_rank"].values) == [0.3, 0.9], sw
print("pip: sweep from Python")
"""


def test_pip(source: Path, work: Path):
    work = fresh(work)
    copy = work / "src"
    # A copy of what the package is built from: pip's and CMake's build folders stay out of the source tree.
    names = ["CMakeLists.txt", "CMakePresets.json", "README.md", "pyproject.toml", "cmake",
             "sim", "models", "bindings", "analysis", "scenarios"]
    copy.mkdir()
    for name in names:
        (shutil.copytree if (source / name).is_dir() else shutil.copy2)(source / name, copy / name)
    venv = work / "venv"
    run([PYTHON, "-m", "venv", "--system-site-packages", venv], clean_env([]), work)
    # The CMake build folder one level below the copy, as build/ is below the source tree: with
    # CCACHE_BASEDIR at the copy, compiler command lines match the main build's (cache hits).
    env = clean_env([venv / "bin"], VIRTUAL_ENV=venv, COORDSIM_BUILD_DIR=copy / "build-pip", CCACHE_BASEDIR=copy,
                    COORDSIM_CMAKE_ARGS=f"-DCOORDSIM_GIT_COMMIT={expected_commit(source) or ''}")
    run([venv / "bin/pip", "install", "--no-build-isolation", "--no-deps", "--no-index", "-q", copy], env, work)
    shutil.rmtree(copy)  # the installed package needs nothing from where it was built
    site = subprocess.run([venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_path('platlib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    here = fresh(work / "elsewhere")
    check_county(["coordsim"], env, here, source, site)
    assert Path(shutil.which("coordsim", path=env["PATH"])) == venv / "bin/coordsim"
    run([venv / "bin/python", "-m", "coordsim", "validate", Path(site) / "coordsim/scenarios/governance/f1_weak_lead.yaml"], env,
        here)
    print(run([venv / "bin/python", "-c", SWEEP_CHECK, site], env, here).stdout, end="")
    sweep = here / "sweep.yaml"
    # fail_on_nan: none keeps runs whose ratios are still undefined after 20 steps ok.
    sweep.write_text("base: default\nreplications: 1\nsteps: 20\nvariants: [baseline]\nfail_on_nan: none\n"
                     "parameters:\n  tasks.lead_rank: {values: [0.3, 0.9]}\n")
    run(["coordsim", "sweep", sweep, "-o", "sweep.h5", "--quiet"], env, here)
    run([venv / "bin/python", "-c", "import coordsim, sys; assert coordsim.open(sys.argv[1]).sizes['run'] == 2",
         here / "sweep.h5"], env, here)
    print("pip: coordsim command ran the county and a sweep")


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "prefix":
        test_prefix(Path(args[0]), Path(args[1]), Path(args[2]))
    elif mode == "pip":
        test_pip(Path(args[0]), Path(args[1]))
    else:
        sys.exit(f"unknown mode {mode!r}: expected prefix or pip")
