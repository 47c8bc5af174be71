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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--coordsim", required=True)
    parser.add_argument("--mpiexec", required=True)
    parser.add_argument("--base", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    work = pathlib.Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sweep = work / "sweep.yaml"
    sweep.write_text(f"""base: {args.base}
replications: 2
steps: 60
parameters:
  lead.rank: {{linspace: {{start: 0.1, stop: 0.9, num: 12}}}}
  lead.leading_group: {{values: [false, true]}}
""")
    files = {}
    plain = work / "plain.h5"
    subprocess.run([args.coordsim, "sweep", str(sweep), "-o", str(plain), "--quiet", "--threads", "1"], check=True)
    files["no MPI"] = plain
    for ranks in (1, 2, 3):
        out = work / f"ranks{ranks}.h5"
        result = subprocess.run([args.mpiexec, "--allow-run-as-root", "--oversubscribe", "-n", str(ranks), args.coordsim,
                                 "sweep", str(sweep), "-o", str(out), "--threads", "1"],
                                capture_output=True, text=True, timeout=240)
        print(result.stdout, result.stderr, sep="\n")
        if result.returncode != 0:
            sys.exit(f"mpirun -n {ranks} failed with exit code {result.returncode}")
        if ranks == 3:
            counts = [int(n) for n in re.findall(r"rank \d+: (\d+) runs", result.stderr)]
            if len(counts) != 2 or min(counts) == 0 or sum(counts) != 24:
                sys.exit(f"expected both worker ranks to compute runs, found {counts}")
        files[f"{ranks} rank(s)"] = out
    check_identical(files, "the sweep without MPI")

if __name__ == "__main__":
    main()
