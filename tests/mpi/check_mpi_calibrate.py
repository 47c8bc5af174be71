"""Runs one calibration without MPI and under mpirun with 1, 2 and 3 ranks; every dataset of the
four result files must be bit-identical (the proposals, selection and weights cannot depend on
which rank simulated which particle)."""
import argparse
import pathlib
import shutil
import subprocess
import sys

from check_mpi_sweep import check_identical


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
    calibration = work / "calibration.yaml"
    calibration.write_text(f"""base: {args.base}
seed: 3
steps: 40
replications: 1
parameters:
  lead.rank: {{prior: uniform, bounds: [0.1, 0.9]}}
  allocation.temperature: {{prior: log_uniform, bounds: [0.01, 0.2]}}
targets:
  - {{summary: hours_joint_total, observed: 700}}
  - {{summary: mean_trust_final, interval: [0.795, 0.8]}}
abc: {{particles: 30, max_runs: 150}}
""")
    files = {}
    plain = work / "plain.h5"
    subprocess.run([args.coordsim, "calibrate", str(calibration), "-o", str(plain), "--quiet", "--threads", "1"],
                   check=True)
    files["no MPI"] = plain
    for ranks in (1, 2, 3):
        out = work / f"ranks{ranks}.h5"
        result = subprocess.run([args.mpiexec, "--allow-run-as-root", "--oversubscribe", "-n", str(ranks), args.coordsim,
                                 "calibrate", str(calibration), "-o", str(out), "--threads", "1"],
                                capture_output=True, text=True, timeout=240)
        print(result.stdout, result.stderr, sep="\n")
        if result.returncode != 0:
            sys.exit(f"mpirun -n {ranks} failed with exit code {result.returncode}")
        files[f"{ranks} rank(s)"] = out
    check_identical(files, "the calibration without MPI")

if __name__ == "__main__":
    main()
