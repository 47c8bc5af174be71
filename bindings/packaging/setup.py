"""`pip install .`: builds coordsim's Python module and executable with CMake (see pyproject.toml).

Only what the package needs is built: the targets _core and coordsim, with tests and benchmarks
off. CMake installs its `python` component, which with COORDSIM_PYTHON_WHEEL=ON holds the package,
the compiled module, the executable (coordsim/_bin/coordsim, run by the `coordsim` console command)
and the scenarios (coordsim/scenarios). Environment:
  COORDSIM_BUILD_DIR            CMake build folder (default: build/pip/temp.*/cmake)
  CMAKE_CXX_COMPILER_LAUNCHER   passed on to CMake (e.g. ccache)
  CMAKE_BUILD_PARALLEL_LEVEL    parallel compile jobs (default: the number of CPUs)
  COORDSIM_CMAKE_ARGS           further arguments for CMake's configure step, split on spaces
"""
import os
import re
import shutil
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parents[2]  # the repository root (this file is bindings/packaging/setup.py)


def declared_version(file: str, pattern: str) -> str:
    match = re.search(pattern, (HERE / file).read_text(), re.MULTILINE)
    if not match:
        raise RuntimeError(f"{file}: no version found (expected a line matching {pattern!r})")
    return match.group(1)


class CMakeBuild(build_ext):
    def run(self):
        build_dir = Path(os.environ.get("COORDSIM_BUILD_DIR") or Path(self.build_temp).resolve() / "cmake")
        staging = Path(self.build_temp).resolve() / "staging"
        configure = ["cmake", "-S", str(HERE), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                     "-DCOORDSIM_BUILD_TESTS=OFF", "-DCOORDSIM_BUILD_BENCHMARKS=OFF",
                     "-DCOORDSIM_PYTHON_WHEEL=ON", "-DCOORDSIM_PYTHON_INSTALL_DIR=.",
                     f"-DPython3_EXECUTABLE={sys.executable}", f"-DCOORDSIM_PYTHON={sys.executable}"]
        launcher = os.environ.get("CMAKE_CXX_COMPILER_LAUNCHER")
        if launcher:
            configure.append(f"-DCMAKE_CXX_COMPILER_LAUNCHER={launcher}")
        configure += os.environ.get("COORDSIM_CMAKE_ARGS", "").split()
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        self.spawn(configure)
        self.spawn(["cmake", "--build", str(build_dir), "--target", "_core", "coordsim", "--parallel", jobs])
        if staging.exists():
            shutil.rmtree(staging)
        self.spawn(["cmake", "--install", str(build_dir), "--component", "python", "--prefix", str(staging)])
        target = Path(self.build_lib) / "coordsim"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(staging / "coordsim", target)


if __name__ == "__main__":
    cmake = declared_version("CMakeLists.txt", r"project\(coordsim VERSION ([0-9.]+)")
    pyproject = declared_version("pyproject.toml", r'^version = "([0-9.]+)"')
    if cmake != pyproject:
        raise RuntimeError(f"pyproject.toml's version {pyproject} differs from CMakeLists.txt's {cmake}")
    # One placeholder extension makes the wheel platform-specific; CMakeBuild builds the real one.
    # setuptools' own folders go to build/pip (ignored by git, apart from a CMake build in build/).
    setup(ext_modules=[Extension("coordsim._core", sources=[])], cmdclass={"build_ext": CMakeBuild},
          packages=[], zip_safe=False, options={"build": {"build_base": "build/pip"}})
