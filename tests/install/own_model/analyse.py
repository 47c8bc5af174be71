"""The helpdesk model from Python: coordsim's Python package reads what the helpdesk executable writes.

coordsim's compiled module knows the built-in models only, so Python drives this model through its
own executable (the same command line as `coordsim`) and reads the result files with
coordsim.open, as for any coordsim file:

    python3 analyse.py build/helpdesk WORKDIR

Checks what the model must satisfy, and that an interrupted sweep resumes to the same file.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

import coordsim

HERE = Path(__file__).resolve().parent


def helpdesk(exe, *args):
    result = subprocess.run([exe, *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{exe} {' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr}")
    return result


def check_run(exe, work):
    out = work / "helpdesk.h5"
    helpdesk(exe, "run", HERE / "helpdesk.yaml", "-o", out, "--quiet")
    ds = coordsim.open(out)
    assert ds.attrs["model"] == "helpdesk", ds.attrs
    assert list(ds["variant"].values) == ["alone", "helpdesk"]
    # Nothing is lost: what arrived and was not served is waiting.
    waiting = ds["arrived"].cumsum("step") - ds["served"].cumsum("step")
    assert np.array_equal(waiting.values, ds["backlog"].values)
    # 20 offices, Poisson(3) arrivals each: 60 per step on average (3600 draws: sd of the mean 0.03).
    assert abs(float(ds["arrived"].mean()) / 20 - 3.0) < 0.15
    # Common random numbers: both variants see the same arrivals; the helpdesk only takes requests away.
    assert np.array_equal(ds["arrived"].sel(variant="alone").values, ds["arrived"].sel(variant="helpdesk").values)
    mean_backlog = ds["mean_backlog"].mean("replication")
    assert float(mean_backlog.sel(variant="helpdesk")) < float(mean_backlog.sel(variant="alone"))


def check_sweep(exe, work):
    sweep = HERE / "helpdesk_sweep.yaml"
    reference = work / "reference.h5"
    helpdesk(exe, "sweep", sweep, "-o", reference, "--quiet")
    # An interrupted sweep: the journal of a finished one, cut in the middle of a record, no result file.
    out = work / "resumed.h5"
    journal = work / "resumed.h5.journal"
    helpdesk(exe, "sweep", sweep, "-o", out, "--quiet", "--keep-journal")
    out.unlink()
    with open(journal, "r+b") as f:
        f.truncate(journal.stat().st_size * 3 // 5)
    resumed = helpdesk(exe, "sweep", sweep, "-o", out, "--resume")
    from_journal = int(resumed.stdout.split("; ")[1].split(" from the journal")[0])
    assert 0 < from_journal < 12, resumed.stdout
    assert not journal.exists()
    a, b = coordsim.open(reference), coordsim.open(out)
    assert a.attrs["model"] == "helpdesk"
    assert set(a.data_vars) == set(b.data_vars)
    for name in a.data_vars:
        assert a[name].values.tobytes() == b[name].values.tobytes(), name
    # A design point is the base scenario run with the point's seed (run_seed, sim/SWEEPS.md) and
    # parameters; and a helpdesk of capacity 0 is no helpdesk: its queues are those of the variant
    # "alone" of that run, draw for draw.
    point = a.where((a["helpdesk__capacity"] == 0) & (a["offices__arrival_rate"] == 3.0), drop=True)
    assert point.sizes["run"] == 1
    again = work / "point.h5"
    helpdesk(exe, "run", HERE / "helpdesk.yaml", "-o", again, "--quiet", "--seed", int(point["run_seed"][0]),
             "--replications", 2, "--steps", 40, "--set", "helpdesk.capacity=0")
    alone = coordsim.open(again)["backlog"].sel(variant="alone")
    assert np.array_equal(point["backlog"].isel(run=0, variant=0).values, alone.values)


def main():
    exe, work = sys.argv[1], Path(sys.argv[2])
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    check_run(exe, work)
    check_sweep(exe, work)
    print("helpdesk: run and sweep (with --resume) checked")


if __name__ == "__main__":
    main()
