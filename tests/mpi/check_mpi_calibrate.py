"""Runs one calibration without MPI and under mpirun with 1, 2 and 3 ranks; every dataset of the
four result files must be bit-identical (the proposals, selection and weights cannot depend on
which rank simulated which particle)."""
from check_mpi_sweep import check

CALIBRATION = """base: {base}
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
"""

if __name__ == "__main__":
    check("calibrate", CALIBRATION, "the calibration without MPI")
