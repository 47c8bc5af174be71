"""coordsim's PEP 517 build backend: setuptools driving CMake (bindings/packaging/setup.py), the
tested path. The setup script lives here, not at the repository's top level (which holds only the
CMake project, its folders and pyproject.toml); setuptools is pointed at it.

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
    from setuptools import build_meta as _setuptools

    _SETUP_SCRIPT = os.path.join("bindings", "packaging", "setup.py")

    class _Backend(_setuptools._BuildMetaBackend):
        def run_setup(self, setup_script=_SETUP_SCRIPT):
            return super().run_setup(_SETUP_SCRIPT if setup_script == "setup.py" else setup_script)

    _BACKEND = _Backend()
    get_requires_for_build_wheel = _BACKEND.get_requires_for_build_wheel
    get_requires_for_build_sdist = _BACKEND.get_requires_for_build_sdist
    prepare_metadata_for_build_wheel = _BACKEND.prepare_metadata_for_build_wheel
    build_wheel = _BACKEND.build_wheel
    build_sdist = _BACKEND.build_sdist
    get_requires_for_build_editable = _BACKEND.get_requires_for_build_editable
    prepare_metadata_for_build_editable = _BACKEND.prepare_metadata_for_build_editable
    build_editable = _BACKEND.build_editable
else:
    raise RuntimeError(f"COORDSIM_BUILD_BACKEND={_choice!r}: expected setuptools or scikit-build-core")
