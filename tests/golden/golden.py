"""Golden results: a SHA-256 of every dataset's bytes for every shipped scenario and sweep example.

Each shipped scenario runs shortened (2 replications, 40 steps, every variant) and each sweep example
runs as shipped; for every dataset of the result file (coordinates included) the checker hashes its
values in a canonical form (little-endian numbers, UTF-8 strings joined by NUL) and compares the list
with tests/golden/<name>.txt. Only values count: attributes, chunking, filters and the file's own bytes
may change without touching the golden files, the values may not.

A refactor leaves every line unchanged. A commit that changes the model's results on purpose regenerates
the files with `tests/golden/update BUILD_DIR` and says in its message why the results changed.

    golden.py --coordsim build/bin/coordsim [--update] [--only NAME] [--work DIR]
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
SCENARIOS = HERE.parents[1] / "scenarios"
# Shortened runs: long enough for every mechanism to act (deadlines, referrals, turnover fall inside 40
# working days in the shipped scenarios), short enough that the whole check stays within a minute or two.
RUN_ARGS = ["--replications", "2", "--steps", "40", "--quiet"]


def canonical_bytes(values: np.ndarray) -> bytes:
    """Values in a form that does not depend on how HDF5 stored them."""
    if values.dtype.kind in "OSU":
        items = [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values.reshape(-1)]
        return "\0".join(items).encode("utf-8")
    return np.ascontiguousarray(values).astype(values.dtype.newbyteorder("<"), copy=False).tobytes()


def dataset_lines(path: pathlib.Path) -> list[str]:
    lines: list[str] = []

    def visit(name: str, item) -> None:
        if isinstance(item, h5py.Dataset):
            values = item[()] if item.shape != () else np.asarray(item[()])
            values = np.asarray(values)
            digest = hashlib.sha256(canonical_bytes(values)).hexdigest()
            kind = "str" if values.dtype.kind in "OSU" else values.dtype.newbyteorder("<").str
            shape = "x".join(str(n) for n in item.shape) or "scalar"
            lines.append(f"/{name} {kind} {shape} {digest}")

    with h5py.File(path, "r") as handle:
        handle.visititems(visit)
    return sorted(lines)


def cases() -> list[tuple[str, list[str]]]:
    """(golden name, coordsim arguments before -o) for every shipped scenario and sweep example.

    The name is the file's path under scenarios/ without .yaml ("county", "governance/f1_weak_lead");
    its golden file is tests/golden/<name>.txt."""
    found = []
    for scenario in sorted([*SCENARIOS.glob("*.yaml"), *SCENARIOS.glob("*/*.yaml")]):
        name = scenario.relative_to(SCENARIOS).with_suffix("").as_posix()
        if scenario.name.startswith("sweep_"):
            found.append((name, ["sweep", str(scenario), "--quiet"]))
        elif scenario.name.startswith("calibration_"):
            continue  # calibration files have golden results of their own once they exist
        else:
            found.append((name, ["run", str(scenario), *RUN_ARGS]))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--coordsim", required=True, help="the coordsim executable")
    parser.add_argument("--update", action="store_true", help="rewrite the golden files instead of comparing")
    parser.add_argument("--only", action="append", default=[], help="check only this case (repeatable)")
    parser.add_argument("--work", help="folder for result files (default: a temporary folder)")
    options = parser.parse_args()

    selected = [case for case in cases() if not options.only or case[0] in options.only]
    if not selected:
        print(f"golden: no case matches {options.only}", file=sys.stderr)
        return 2
    failures = []
    with tempfile.TemporaryDirectory() as temporary:
        work = pathlib.Path(options.work or temporary)
        work.mkdir(parents=True, exist_ok=True)
        for name, arguments in selected:
            output = work / f"{name}.h5"
            output.parent.mkdir(parents=True, exist_ok=True)
            output.unlink(missing_ok=True)
            command = [options.coordsim, *arguments, "-o", str(output)]
            completed = subprocess.run(command, capture_output=True, text=True)
            if completed.returncode != 0:
                print(f"golden: {name}: {' '.join(command)} exited {completed.returncode}\n{completed.stderr}",
                      file=sys.stderr)
                failures.append(name)
                continue
            lines = dataset_lines(output)
            golden = HERE / f"{name}.txt"
            if options.update:
                golden.parent.mkdir(parents=True, exist_ok=True)
                golden.write_text("\n".join(lines) + "\n")
                print(f"golden: {name}: wrote {len(lines)} datasets")
                continue
            expected = golden.read_text().splitlines() if golden.exists() else []
            if lines == expected:
                print(f"golden: {name}: {len(lines)} datasets identical")
                continue
            failures.append(name)
            diff = difflib.unified_diff(expected, lines, f"tests/golden/{name}.txt", f"{name} now", lineterm="", n=0)
            print(f"golden: {name}: results differ\n" + "\n".join(list(diff)[:60]), file=sys.stderr)
    if failures:
        print(f"golden: {len(failures)} of {len(selected)} cases differ: {', '.join(failures)}\n"
              "A refactor must leave them unchanged; a change of results on purpose regenerates them with "
              "tests/golden/update BUILD_DIR and says why in the commit message.", file=sys.stderr)
        return 1
    print(f"golden: {len(selected)} of {len(selected)} cases identical" if not options.update else "golden: updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
