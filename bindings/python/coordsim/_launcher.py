"""The ``coordsim`` command of a pip-installed coordsim: runs the executable packaged beside this module.

pip installs console scripts, not binaries, into an environment's bin/: this entry point replaces
its own process with ``coordsim/_bin/coordsim`` so that the command behaves exactly as the
executable (arguments, exit codes, signals). ``python -m coordsim`` does the same.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def executable() -> Path:
    """The packaged executable; a coordsim installed with CMake has it on PATH instead."""
    return Path(__file__).resolve().parent / "_bin" / "coordsim"


def main() -> None:
    path = executable()
    if not path.is_file():
        sys.exit(f"coordsim: no packaged executable at {path}; this coordsim package was not installed by pip "
                 "(use the coordsim executable of the same installation)")
    os.execv(path, [str(path), *sys.argv[1:]])


if __name__ == "__main__":
    main()
