"""Parameter sweeps (sim/SWEEPS.md): the result file through xarray, crash safety and resume after
SIGKILL, failed runs, shards and merge, and invalid input."""
import os
import pathlib
import signal
import struct
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest
import xarray as xr

F1_SWEEP = """
base: {base}
design: grid
replications: {replications}
seed: {seed}
steps: {steps}
parameters:
  lead.rank: {{linspace: {{start: 0.1, stop: 0.9, num: {num}}}}}
  lead.leading_group: {{values: [false, true]}}
"""


def write_sweep(tmp_path, scenarios_dir, name="sweep.yaml", num=5, replications=2, seed=3, steps=60, extra=""):
    path = tmp_path / name
    path.write_text(F1_SWEEP.format(base=scenarios_dir / "governance" / "f1_weak_lead.yaml", num=num, replications=replications,
                                    seed=seed, steps=steps) + extra)
    return path


def datasets(path):
    """Every dataset of a file, by path: values as stored."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[...]
        f.visititems(visit)
    return out


def assert_identical(a, b):
    da, db = datasets(a), datasets(b)
    assert da.keys() == db.keys()
    for name, values in da.items():
        other = db[name]
        assert values.dtype == other.dtype, name
        assert values.shape == other.shape, name
        if values.dtype.kind in "fiub":
            assert values.tobytes() == other.tobytes(), name  # bit for bit, NaN included
        else:
            assert values.tolist() == other.tolist(), name


def journal_records(path):
    """Complete records in a journal (format in sim/src/journal.hpp)."""
    data = pathlib.Path(path).read_bytes()
    offset, count = 64, 0
    while offset + 8 <= len(data):
        (length,) = struct.unpack_from("<I", data, offset)
        if offset + 8 + length > len(data):
            break
        offset += 8 + length
        count += 1
    return count


def test_grid_file_opens_in_xarray_with_parameter_coordinates(run_cli, scenarios_dir, tmp_path):
    out = tmp_path / "grid.h5"
    result = run_cli("sweep", scenarios_dir / "governance" / "sweep_f1_grid.yaml", "-o", out, "--quiet", "--threads", 2)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "grid.h5.journal").exists()  # removed once the file is complete
    with xr.open_dataset(out, group="series", engine="h5netcdf") as series:
        assert series.sizes == {"run": 8, "variant": 1, "replication": 3, "step": 150}
        assert series["items_late"].dims == ("run", "variant", "replication", "step")
        assert series["lead__rank"].dims == ("run",)
        assert series["lead__rank"].attrs["parameter"] == "lead.rank"
        assert sorted(set(series["lead__rank"].values)) == [0.2, 0.35, 0.6, 0.9]
        assert list(series["lead__leading_group"].values) == [0, 1] * 4  # last parameter fastest
    with xr.open_dataset(out, group="summary", engine="h5netcdf") as summary:
        by_rank = summary["share_late_or_missing"].groupby("lead__rank").mean(...)
        assert list(by_rank["lead__rank"].values) == [0.2, 0.35, 0.6, 0.9]
        assert by_rank.values[0] > by_rank.values[-1]  # F1: a weak lead gets more late submissions
        indexed = summary.set_index(run=["lead__rank", "lead__leading_group"])
        assert indexed.sel(lead__rank=0.6, lead__leading_group=1)["share_on_time"].shape == (1, 3)
        assert summary.sel(run=5, variant="baseline")["share_on_time"].shape == (3,)
    with xr.open_dataset(out, engine="h5netcdf") as root:
        assert list(root["run_status"].values) == [1] * 8
        assert len(set(root["run_seed"].values.tolist())) == 8
    with h5py.File(out, "r") as f:
        assert f.attrs["design"] == "grid"
        assert f.attrs["model"] == "governance"
        assert "lead:" in f.attrs["sweep"] and "steps: 150" in f.attrs["scenario"]
        assert int(f.attrs["replications"]) == 3
        assert "agents" not in f  # per-agent outputs only when the sweep asks for them
    # The same reading in a fresh interpreter with every warning an error.
    code = ("import xarray as xr, sys\n"
            "s = xr.open_dataset(sys.argv[1], group='series', engine='h5netcdf')\n"
            "m = s['items_late'].groupby('lead__rank').mean(...)\n"
            "s.sel(run=2, variant='baseline', replication=1)\n")
    check = subprocess.run([sys.executable, "-W", "error", "-c", code, str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_agents_and_saltelli_blocks(run_cli, scenarios_dir, tmp_path):
    sweep = tmp_path / "s.yaml"
    sweep.write_text(f"""base: {scenarios_dir / 'governance' / 'county.yaml'}
design: saltelli
samples: 3
replications: 1
steps: 20
fail_on_nan: none   # 20 days: no item is due yet, share_on_time is NaN
variants: [baseline, leading_group]
output: {{agents: true, agent_every: 5}}
parameters:
  lead.rank: {{bounds: [0.1, 0.9]}}
  tasks.participants: {{bounds: [5, 20]}}
""")
    out = tmp_path / "s.h5"
    result = run_cli("sweep", sweep, "-o", out, "--quiet")
    assert result.returncode == 0, result.stderr
    with xr.open_dataset(out, group="agents/department", engine="h5netcdf") as agents:
        assert agents["hours_joint"].dims == ("run", "variant", "replication", "step", "agent")
        assert list(agents["step"].values) == [0, 5, 10, 15]
        assert agents.sizes["run"] == 3 * (2 + 2)
    with xr.open_dataset(out, group="summary", engine="h5netcdf") as s:
        block, row = s["saltelli_block"].values, s["saltelli_row"].values
        rank, participants = s["lead__rank"].values, s["tasks__participants"].values
        assert participants.dtype.kind == "i"
        a, b = block == 0, block == 1
        assert np.array_equal(rank[block == 2], rank[b]) and np.array_equal(participants[block == 2], participants[a])
        assert np.array_equal(rank[block == 3], rank[a]) and np.array_equal(participants[block == 3], participants[b])
        assert list(row[block == 3]) == [0, 1, 2]


def test_killed_sweep_resumes_to_the_same_file(coordsim_exe, run_cli, scenarios_dir, tmp_path):
    """SIGKILL mid-way, then --resume: only missing runs run, and the file equals an uninterrupted one."""
    sweep = write_sweep(tmp_path, scenarios_dir, num=100, replications=1, steps=250)
    reference = tmp_path / "reference.h5"
    result = run_cli("sweep", sweep, "-o", reference, "--quiet", "--threads", 2)
    assert result.returncode == 0, result.stderr

    out = tmp_path / "killed.h5"
    journal = tmp_path / "killed.h5.journal"
    process = subprocess.Popen([coordsim_exe, "sweep", str(sweep), "-o", str(out), "--quiet", "--threads", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if journal.exists() and journal_records(journal) >= 30:
            break
        assert process.poll() is None, "the sweep finished before it could be interrupted"
        time.sleep(0.005)
    assert process.poll() is None, "the sweep finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not out.exists()
    done = journal_records(journal)
    assert 30 <= done < 200

    # A resume of a different sweep is refused and leaves the journal alone.
    other = write_sweep(tmp_path, scenarios_dir, name="other.yaml", num=100, replications=1, steps=250, seed=4)
    refused = run_cli("sweep", other, "-o", out, "--resume", "--quiet")
    assert refused.returncode == 2
    assert "killed.h5.journal" in refused.stderr and "different sweep" in refused.stderr
    # So is starting afresh over a journal without --resume.
    refused = run_cli("sweep", sweep, "-o", out, "--quiet")
    assert refused.returncode == 2 and "--resume" in refused.stderr
    assert journal_records(journal) >= done

    resumed = run_cli("sweep", sweep, "-o", out, "--resume", "--threads", 2)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming from" in resumed.stderr
    from_journal = int(resumed.stdout.split("; ")[1].split(" from the journal")[0])
    assert from_journal >= done  # runs in the journal are not run again
    ran = int(resumed.stdout.split("written to")[1].split("; ")[1].split(" runs in")[0])
    assert from_journal + ran == 200
    assert not journal.exists()
    assert_identical(reference, out)


def test_failed_runs_are_recorded_and_the_sweep_goes_on(run_cli, scenarios_dir, tmp_path):
    sweep = tmp_path / "nan.yaml"
    # No material items: the key summary share_on_time is NaN, which marks the run failed.
    sweep.write_text(f"""base: {scenarios_dir / 'governance' / 'f1_weak_lead.yaml'}
replications: 2
steps: 40
parameters:
  tasks.material_share: {{values: [1.0, 0.0, 0.5]}}
""")
    out = tmp_path / "nan.h5"
    result = run_cli("sweep", sweep, "-o", out, "--quiet")
    assert result.returncode == 1
    assert "1 run(s) failed" in result.stderr and "run 1 (tasks.material_share=0.0)" in result.stderr
    with h5py.File(out, "r") as f:
        assert list(f["run_status"][...]) == [1, 2, 1]
        messages = [m.decode() if isinstance(m, bytes) else m for m in f["run_message"][...]]
        assert messages[0] == "" and "share_on_time' is NaN" in messages[1]
        assert np.isfinite(f["series/items_late"][0]).all()


def test_shards_merge_to_the_unsharded_file(run_cli, scenarios_dir, tmp_path):
    sweep = write_sweep(tmp_path, scenarios_dir, num=4, steps=40)
    whole = tmp_path / "whole.h5"
    assert run_cli("sweep", sweep, "-o", whole, "--quiet").returncode == 0
    shards = []
    for index in range(3):
        shard = tmp_path / f"part{index}.h5"
        result = run_cli("sweep", sweep, "-o", shard, "--shard", f"{index}/3", "--quiet", "--threads", 1)
        assert result.returncode == 0, result.stderr
        with h5py.File(shard, "r") as f:
            status = f["run_status"][...]
            assert list(np.nonzero(status)[0]) == list(range(index, 8, 3))  # only its own runs
        shards.append(shard)
    merged = tmp_path / "merged.h5"
    result = run_cli("merge", merged, *reversed(shards))
    assert result.returncode == 0, result.stderr
    assert_identical(whole, merged)
    with h5py.File(merged, "r") as f:
        assert "shard" not in f.attrs

    missing = run_cli("merge", tmp_path / "m2.h5", shards[0], shards[2])
    assert missing.returncode == 2 and "shard(s) 1 of 3 are missing" in missing.stderr
    other = write_sweep(tmp_path, scenarios_dir, name="other.yaml", num=4, steps=40, seed=99)
    foreign = tmp_path / "foreign.h5"
    assert run_cli("sweep", other, "-o", foreign, "--shard", "1/3", "--quiet").returncode == 0
    refused = run_cli("merge", tmp_path / "m3.h5", shards[0], foreign, shards[2])
    assert refused.returncode == 2 and "different sweeps" in refused.stderr
    assert not (tmp_path / "m3.h5").exists()


def test_invalid_sweep_exits_2_and_writes_nothing(run_cli, scenarios_dir, tmp_path):
    sweep = tmp_path / "bad.yaml"
    sweep.write_text(f"""base: {scenarios_dir / 'governance' / 'f1_weak_lead.yaml'}
parameters:
  lead:
    rank: {{values: [0.5, 1.5]}}
""")
    out = tmp_path / "bad.h5"
    result = run_cli("sweep", sweep, "-o", out)
    assert result.returncode == 2
    assert f"{sweep}:4:26: parameters.lead.rank.values[1]: expected a real number in [0, 1], found 1.5" in result.stderr
    assert list(tmp_path.iterdir()) == [sweep]

    bad_shard = run_cli("sweep", scenarios_dir / "governance" / "sweep_f1_grid.yaml", "-o", out, "--shard", "3/3")
    assert bad_shard.returncode == 2 and "--shard" in bad_shard.stderr


def test_unwritable_output_is_a_clear_error(run_cli, scenarios_dir, tmp_path):
    out = tmp_path / "no" / "such" / "dir" / "out.h5"
    result = run_cli("sweep", scenarios_dir / "governance" / "sweep_f1_grid.yaml", "-o", out, "--quiet")
    assert result.returncode == 1
    assert str(out) in result.stderr and "does not exist" in result.stderr


def test_a_sweep_run_holds_exactly_what_coordsim_run_writes_for_its_point(run_cli, scenarios_dir, tmp_path):
    # The sweep path (journal encoding, chunk gathering, packed constant chunks, direct chunk
    # writes) must store what the plain run path computes for the same parameters and seed.
    sweep = tmp_path / "two.yaml"
    sweep.write_text(f"base: {scenarios_dir / 'governance' / 'f1_weak_lead.yaml'}\ndesign: grid\nreplications: 2\nseed: 3\n"
                     "steps: 60\nparameters:\n  lead.rank: {values: [0.2, 0.7]}\n")
    out = tmp_path / "two.h5"
    assert run_cli("sweep", sweep, "-o", out, "--quiet").returncode == 0
    with h5py.File(out, "r") as f:
        seed = int(f["run_seed"][1])
        assert f["lead__rank"][1] == 0.7
        swept = {name: f["series"][name][1] for name in f["series"] if f["series"][name].ndim == 4}
    single = tmp_path / "single.h5"
    result = run_cli("run", scenarios_dir / "governance" / "f1_weak_lead.yaml", "--set", "lead.rank=0.7", "--seed", seed,
                     "--replications", 2, "--steps", 60, "-o", single, "--quiet")
    assert result.returncode == 0, result.stderr
    with h5py.File(single, "r") as f:
        constant = 0
        for name, values in swept.items():
            alone = f["series"][name][...]
            assert values.shape == alone.shape, name
            assert values.tobytes() == alone.tobytes(), name  # bit for bit, NaN included
            constant += int(np.all(alone == alone.flat[0]))
    assert 0 < constant < len(swept)  # both kinds of chunk were compared
