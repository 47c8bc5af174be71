"""coordsim's PEP 517 build backend: setuptools driving CMake (setup.py), the tested path.

With scikit-build-core installed, COORDSIM_BUILD_BACKEND=scikit-build-core builds with it instead,
configured by [tool.scikit-build] in pyproject.toml (the same CMake options and install component
as setup.py). That path is not exercised by coordsim's tests: Debian 12 does not package
scikit-build-core.
"""
import os

_choice = os.environ.get("COORDSIM_BUILD_BACKEND", "setuptools")
if _choice == "scikit-build-core":
    from scikit_build_core.build import *  # noqa: F401,F403
elif _choice == "setuptools":
    from setuptools.build_meta import *  # noqa: F401,F403
else:
    raise RuntimeError(f"COORDSIM_BUILD_BACKEND={_choice!r}: expected setuptools or scikit-build-core")
