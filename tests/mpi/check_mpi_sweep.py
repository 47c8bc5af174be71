"""Runs one sweep without MPI and under mpirun with 1, 2 and 3 ranks; every dataset of the four
result files must be bit-identical, and with 3 ranks both workers must have received runs."""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys

import h5py


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[...]) if isinstance(obj, h5py.Dataset) else None)
    return out


def check_identical(files, what):
    """Exits with a message unless every file's datasets equal the first file's, bit for bit."""
    labels = list(files)
    reference = datasets(files[labels[0]])
    for label, path in files.items():
        other = datasets(path)
        if other.keys() != reference.keys():
            sys.exit(f"{label}: datasets differ: {sorted(set(other) ^ set(reference))}")
        for name, values in reference.items():
            same = (values.tobytes() == other[name].tobytes() if values.dtype.kind in "fiub"
                    else values.tolist() == other[name].tolist())
            if not same or values.dtype != other[name].dtype:
                sys.exit(f"{label}: dataset {name} differs from {what}")
    print(f"identical: {', '.join(files)} ({len(reference)} datasets)")


def prepare():
    """Reads the options both checks take and gives them with a fresh, empty work folder."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--coordsim", required=True)
    parser.add_argument("--mpiexec", required=True)
    parser.add_argument("--base", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    work = pathlib.Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return args, work


def run_plain_and_ranks(args, work, command, spec, inspect=lambda ranks, result: None):
    """Runs `coordsim COMMAND SPEC` without MPI and under mpirun with 1, 2 and 3 ranks; gives the
    result files by label. inspect(ranks, result) may look at each mpirun's output."""
    files = {}
    plain = work / "plain.h5"
    subprocess.run([args.coordsim, command, str(spec), "-o", str(plain), "--quiet", "--threads", "1"], check=True)
    files["no MPI"] = plain
    for ranks in (1, 2, 3):
        out = work / f"ranks{ranks}.h5"
        result = subprocess.run([args.mpiexec, "--allow-run-as-root", "--oversubscribe", "-n", str(ranks), args.coordsim,
                                 command, str(spec), "-o", str(out), "--threads", "1"],
                                capture_output=True, text=True, timeout=240)
        print(result.stdout, result.stderr, sep="\n")
        if result.returncode != 0:
            sys.exit(f"mpirun -n {ranks} failed with exit code {result.returncode}")
        inspect(ranks, result)
        files[f"{ranks} rank(s)"] = out
    return files


def check_both_workers(ranks, result):
    """With 3 ranks, both worker ranks must have computed runs (24 in all)."""
    if ranks == 3:
        counts = [int(n) for n in re.findall(r"rank \d+: (\d+) runs", result.stderr)]
        if len(counts) != 2 or min(counts) == 0 or sum(counts) != 24:
            sys.exit(f"expected both worker ranks to compute runs, found {counts}")


def check(command, spec, what, inspect=lambda ranks, result: None):
    """Writes SPEC (a template naming {base}) to a file, runs it without MPI and under 1, 2 and 3
    ranks, and exits with a message unless every result file is bit-identical to the first."""
    args, work = prepare()
    path = work / f"{command}.yaml"
    path.write_text(spec.format(base=args.base))
    check_identical(run_plain_and_ranks(args, work, command, path, inspect), what)


SWEEP = """base: {base}
replications: 2
steps: 60
parameters:
  lead.rank: {{linspace: {{start: 0.1, stop: 0.9, num: 12}}}}
  lead.leading_group: {{values: [false, true]}}
"""

if __name__ == "__main__":
    check("sweep", SWEEP, "the sweep without MPI", check_both_workers)
