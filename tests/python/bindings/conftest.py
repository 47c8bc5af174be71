"""Fixtures of the Python-binding tests: the built `coordsim` package and small scenarios.

`coordsim` must be importable: from PYTHONPATH (ctest sets <build>/python), or found next to
the executable named by COORDSIM_EXE (<build>/bin/coordsim -> <build>/python). There is no
skip: a build without the bindings fails these tests.
"""
import os
import pathlib
import sys
import threading
import time

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


class Ticker:
    """While its block runs, a second Python thread notes the time every 2 ms; `during` holds the
    ticks that fell between the block's start and end (none if the block held the GIL throughout)."""

    def __enter__(self):
        self._ticks = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._tick)
        self._thread.start()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.end = time.perf_counter()
        self._done.set()
        self._thread.join()
        self.during = [t for t in self._ticks if self.start < t < self.end]
        return False

    def _tick(self):
        while not self._done.is_set():
            self._ticks.append(time.perf_counter())
            time.sleep(0.002)


@pytest.fixture
def ticker():
    return Ticker


@pytest.fixture(scope="session")
def python_package_dir():
    """Folder that holds the importable coordsim package (for subprocesses and kernels)."""
    return pathlib.Path(coordsim.__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def subprocess_env(python_package_dir):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(python_package_dir), env.get("PYTHONPATH", "")) if p)
    return env


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory):
    """Where browser tests write their screenshots: COORDSIM_SCREENSHOT_DIR (ctest sets
    <build>/screenshots) or a temporary folder."""
    folder = os.environ.get("COORDSIM_SCREENSHOT_DIR")
    path = pathlib.Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium (Debian's chromium + chromium-driver, driven by python3-selenium)
    shared by every browser test; downloads go to ``browser.download_dir``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("COORDSIM_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--lang=en-US", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    service = Service(executable_path=os.environ.get("COORDSIM_CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    download_dir = tmp_path_factory.mktemp("downloads")
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    driver.download_dir = download_dir
    yield driver
    driver.quit()


@pytest.fixture(autouse=True)
def _close_pyplot_figures():
    """Plot functions open pyplot figures (so notebooks show them); close them after each test."""
    yield
    import sys as _sys

    if "matplotlib.pyplot" in _sys.modules:
        _sys.modules["matplotlib.pyplot"].close("all")
