"""Fault injection (issue 14): crafted and damaged HDF5 files, concurrent resumes, SIGKILL during
a sweep, a damaged journal, a full disk (RLIMIT_FSIZE) and a memory limit (RLIMIT_AS). Every case
ends with a clear message and the documented exit code (2: bad input, 1: failure), never a crash
(a negative return code is a signal), and loses nothing that had been completed."""
import os
import pathlib
import re
import resource
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("COORDSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
SCENARIOS = SOURCE_DIR / "scenarios" / "governance"  # the governance model's scenarios

SWEEP = """
base: {base}
design: grid
replications: 1
seed: 5
steps: {steps}
parameters:
  lead.rank: {{linspace: {{start: 0.1, stop: 0.9, num: {num}}}}}
"""


@pytest.fixture(scope="session")
def exe():
    path = os.environ.get("COORDSIM_EXE", str(SOURCE_DIR / "build" / "bin" / "coordsim"))
    assert pathlib.Path(path).exists(), f"coordsim not found at {path}"
    return path


def cli(exe, *args, limits=None, timeout=300):
    def apply_limits():
        # A file-size limit must end the write with EFBIG, not kill the process with SIGXFSZ.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        for which, value in (limits or {}).items():
            resource.setrlimit(which, (value, value))
    result = subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                            preexec_fn=apply_limits if limits else None)
    assert result.returncode >= 0, f"killed by signal {-result.returncode}: {result.stderr}"
    assert "Sanitizer" not in result.stderr, result.stderr
    return result


def leftovers(directory):
    return sorted(p.name for p in pathlib.Path(directory).iterdir() if ".tmp-" in p.name or p.name.endswith(".lock"))


@pytest.fixture(scope="module")
def result_file(exe, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "f1.h5"
    result = cli(exe, "run", SCENARIOS / "f1_weak_lead.yaml", "-o", out, "--replications", 2, "--steps", 30,
                 "--quiet", "--threads", 2)
    assert result.returncode == 0, result.stderr
    return out


def write_sweep(directory, num=6, steps=30, name="sweep.yaml"):
    path = pathlib.Path(directory) / name
    path.write_text(SWEEP.format(base=SCENARIOS / "f1_weak_lead.yaml", steps=steps, num=num))
    return path


@pytest.fixture(scope="module")
def shards(exe, tmp_path_factory):
    directory = tmp_path_factory.mktemp("shards")
    sweep = write_sweep(directory)
    paths = []
    for index in range(3):
        out = directory / f"part{index}.h5"
        assert cli(exe, "sweep", sweep, "-o", out, "--shard", f"{index}/3", "--quiet", "--threads", 1).returncode == 0
        paths.append(out)
    whole = directory / "whole.h5"
    assert cli(exe, "sweep", sweep, "-o", whole, "--quiet", "--threads", 2).returncode == 0
    return paths, whole


def copy(source, target):
    target.write_bytes(pathlib.Path(source).read_bytes())
    return target


# --- crafted result files: info and verify --------------------------------------------------------

@pytest.mark.parametrize("attribute, value, words", [
    ("replications", np.arange(4096, dtype=np.int64), "holds 4096 values"),  # stack overflow before
    ("steps", "thirty", "wrong type"),
    ("seed", np.zeros(3, dtype=np.uint64), "holds 3 values"),
    ("variants", np.arange(3, dtype=np.int32), "wrong type"),
    ("model", np.array([b"a", b"b"]), "holds 2 strings"),
])
def test_info_and_verify_refuse_a_malformed_attribute(exe, result_file, tmp_path, attribute, value, words):
    bad = copy(result_file, tmp_path / "bad.h5")
    with h5py.File(bad, "r+") as f:
        del f.attrs[attribute]
        f.attrs[attribute] = value
    for command in ("info", "verify"):
        result = cli(exe, command, bad)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert f"'{attribute}'" in result.stderr and words in result.stderr, result.stderr
        assert "bad.h5" in result.stderr


def test_info_refuses_a_coordinate_with_two_axes(exe, result_file, tmp_path):
    bad = copy(result_file, tmp_path / "bad.h5")
    with h5py.File(bad, "r+") as f:
        # agents are off in F1: forge an agents group whose agent coordinate has two axes
        group = f.create_group("agents/x")
        group.create_dataset("agent", data=np.zeros((3, 3), dtype=np.int64))
    result = cli(exe, "info", bad)
    assert result.returncode == 2 and "coordinate 'agent' has 2 axes" in result.stderr, result.stderr


def test_verify_accepts_an_intact_file(exe, result_file):
    result = cli(exe, "verify", result_file)
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout and "read back" in result.stdout


def test_a_flipped_byte_in_a_compressed_chunk_is_detected(exe, result_file, tmp_path):
    bad = copy(result_file, tmp_path / "flipped.h5")
    with h5py.File(bad, "r") as f:
        info = f["series/items_late"].id.get_chunk_info(0)
    data = bytearray(bad.read_bytes())
    data[info.byte_offset + info.size // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    result = cli(exe, "verify", bad)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "items_late" in result.stderr and "damaged" in result.stderr


@pytest.mark.parametrize("keep", [0.3, 0.7, 0.95])
def test_truncated_files_are_refused_without_a_crash(exe, result_file, tmp_path, keep):
    data = result_file.read_bytes()
    bad = tmp_path / "cut.h5"
    bad.write_bytes(data[: int(len(data) * keep)])
    for command in ("info", "verify"):
        result = cli(exe, command, bad)
        assert result.returncode == 2, (command, result.stderr)
        assert "cut.h5" in result.stderr


# --- merge proves completeness --------------------------------------------------------------------

def test_merge_refuses_an_out_of_range_shard_id(exe, shards, tmp_path):
    parts, _ = shards
    bad = copy(parts[1], tmp_path / "p1.h5")
    with h5py.File(bad, "r+") as f:
        f.attrs["shard"] = "7/3"
    result = cli(exe, "merge", tmp_path / "m.h5", parts[0], bad, parts[2])
    assert result.returncode == 2 and "malformed shard attribute '7/3'" in result.stderr, result.stderr
    assert not (tmp_path / "m.h5").exists() and leftovers(tmp_path) == []


def test_merge_refuses_shards_whose_run_counts_or_shapes_disagree(exe, shards, tmp_path):
    parts, _ = shards
    runs = copy(parts[1], tmp_path / "runs.h5")
    with h5py.File(runs, "r+") as f:
        f.attrs["runs"] = np.int64(9)
    result = cli(exe, "merge", tmp_path / "m.h5", parts[0], runs, parts[2])
    assert result.returncode == 2, result.stderr
    shape = copy(parts[2], tmp_path / "shape.h5")
    with h5py.File(shape, "r+") as f:
        del f["series/items_late"]
        f.create_dataset("series/items_late", data=np.zeros((6, 1, 1, 5)))
    result = cli(exe, "merge", tmp_path / "m.h5", parts[0], parts[1], shape)
    assert result.returncode == 2 and "items_late" in result.stderr, result.stderr
    assert not (tmp_path / "m.h5").exists()


def test_merge_refuses_missing_runs_unless_partial_is_allowed(exe, shards, tmp_path):
    parts, whole = shards
    holey = copy(parts[1], tmp_path / "holey.h5")
    with h5py.File(holey, "r+") as f:
        status = f["run_status"][...]
        status[4] = 0  # run 4 belongs to shard 1 (4 % 3): now it is in no shard
        f["run_status"][...] = status
    out = tmp_path / "m.h5"
    result = cli(exe, "merge", out, parts[0], holey, parts[2])
    assert result.returncode == 2 and "1 run(s) are in no shard (4)" in result.stderr, result.stderr
    assert "--allow-partial" in result.stderr and not out.exists()

    result = cli(exe, "merge", out, parts[0], holey, parts[2], "--allow-partial")
    assert result.returncode == 1 and "PARTIAL" in result.stdout, result.stdout + result.stderr
    with h5py.File(out, "r") as f, h5py.File(whole, "r") as w:
        assert f.attrs["partial"] == 1 and list(f.attrs["missing_runs"]) == [4]
        done = [r for r in range(6) if r != 4]
        assert f["series/items_late"][done].tobytes() == w["series/items_late"][done].tobytes()
    verified = cli(exe, "verify", out)
    assert verified.returncode == 1 and "INCOMPLETE" in verified.stdout, verified.stdout


def test_merge_refuses_a_shard_holding_a_run_it_does_not_own(exe, shards, tmp_path):
    parts, _ = shards
    greedy = copy(parts[0], tmp_path / "greedy.h5")
    with h5py.File(greedy, "r+") as f:
        status = f["run_status"][...]
        status[1] = 1
        f["run_status"][...] = status
    result = cli(exe, "merge", tmp_path / "m.h5", greedy, parts[1], parts[2])
    assert result.returncode == 2 and "holds run 1, which belongs to shard 1/3" in result.stderr, result.stderr


def test_merge_reads_fixed_length_strings_at_their_size(exe, shards, tmp_path):
    """run_message rewritten as 40-byte strings in every shard (as another tool might): merged by
    their real size, not as pointers (a buffer overrun before)."""
    parts, _ = shards
    fixed = []
    for index, part in enumerate(parts):
        copy_ = copy(part, tmp_path / f"fixed{index}.h5")
        with h5py.File(copy_, "r+") as f:
            messages = [f"message of run {r}".encode() if r % 3 == index else b"" for r in range(6)]
            del f["run_message"]
            f.create_dataset("run_message", data=np.array(messages, dtype="S40"))
        fixed.append(copy_)
    out = tmp_path / "m.h5"
    result = cli(exe, "merge", out, *fixed)
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        assert [m.decode() for m in f["run_message"][...]] == [f"message of run {r}" for r in range(6)]
    mixed = cli(exe, "merge", tmp_path / "m2.h5", parts[0], fixed[1], parts[2])
    assert mixed.returncode == 2 and "run_message" in mixed.stderr, mixed.stderr


def test_merge_refuses_damaged_and_truncated_shards(exe, shards, tmp_path):
    parts, _ = shards
    cut = tmp_path / "cut.h5"
    cut.write_bytes(parts[1].read_bytes()[:4000])
    result = cli(exe, "merge", tmp_path / "m.h5", parts[0], cut, parts[2])
    assert result.returncode == 2 and "cut.h5" in result.stderr, result.stderr
    status = copy(parts[1], tmp_path / "status.h5")
    with h5py.File(status, "r+") as f:
        f["run_status"][1] = 7
    result = cli(exe, "merge", tmp_path / "m.h5", parts[0], status, parts[2])
    assert result.returncode == 2 and "run_status of run 1 is 7" in result.stderr, result.stderr
    assert leftovers(tmp_path) == []


# --- journals ------------------------------------------------------------------------------------

def start_sweep(exe, sweep, out, *extra):
    return subprocess.Popen([exe, "sweep", str(sweep), "-o", str(out), "--quiet", "--threads", "1", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_records(journal, count, process, limit=60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if journal.exists() and journal.stat().st_size > 64 and len(record_offsets(journal)) >= count:
            return
        assert process.poll() is None, "the sweep ended before it could be interrupted"
        time.sleep(0.01)
    raise AssertionError("no journal records in time")


def record_offsets(journal):
    data = journal.read_bytes()
    out, offset = [], 64
    while offset + 8 <= len(data):
        length = int.from_bytes(data[offset:offset + 4], "little")
        if offset + 8 + length > len(data):
            break
        out.append((offset, length))
        offset += 8 + length
    return out


def test_a_second_process_on_the_same_output_is_refused(exe, tmp_path):
    sweep = write_sweep(tmp_path, num=400, steps=250)
    out = tmp_path / "out.h5"
    first = start_sweep(exe, sweep, out)
    try:
        wait_for_records(tmp_path / "out.h5.journal", 1, first)
        second = cli(exe, "sweep", sweep, "-o", out, "--resume", "--quiet")
        assert second.returncode == 1 and "another coordsim process is writing" in second.stderr, second.stderr
        run = cli(exe, "run", SCENARIOS / "f1_weak_lead.yaml", "-o", out, "--steps", 5, "--replications", 1, "--quiet")
        assert run.returncode == 1 and "another coordsim process is writing" in run.stderr, run.stderr
    finally:
        first.kill()
        first.wait()


def test_a_damaged_record_loses_only_itself_and_resume_completes_the_sweep(exe, tmp_path):
    sweep = write_sweep(tmp_path, num=200, steps=120)
    reference = tmp_path / "reference.h5"
    assert cli(exe, "sweep", sweep, "-o", reference, "--quiet", "--threads", 2).returncode == 0
    out = tmp_path / "out.h5"
    journal = tmp_path / "out.h5.journal"
    process = start_sweep(exe, sweep, out)
    wait_for_records(journal, 6, process)
    process.send_signal(signal.SIGKILL)  # during the sweep's writes
    process.wait()
    assert not out.exists()
    entries = record_offsets(journal)
    offset, length = entries[1]
    data = bytearray(journal.read_bytes())
    data[offset + 8 + length // 2] ^= 0x5A  # the second record's body: its CRC fails
    journal.write_bytes(bytes(data))

    result = cli(exe, "sweep", sweep, "-o", out, "--resume", "--threads", 2)
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stderr and "damaged records" in result.stderr, result.stderr
    kept = int(result.stdout.split("; ")[1].split(" from the journal")[0])
    assert kept >= len(entries) - 1  # every record after the damaged one was kept
    with h5py.File(out, "r") as f, h5py.File(reference, "r") as g:
        for name in ("series/items_late", "summary/share_on_time", "run_status"):
            assert f[name][...].tobytes() == g[name][...].tobytes(), name
    assert leftovers(tmp_path) == []


def test_resume_of_a_finished_sweep_does_nothing_and_says_so(exe, tmp_path):
    sweep = write_sweep(tmp_path, num=3, steps=20)
    out = tmp_path / "out.h5"
    assert cli(exe, "sweep", sweep, "-o", out, "--quiet").returncode == 0
    before = out.stat().st_mtime_ns
    result = cli(exe, "sweep", sweep, "-o", out, "--resume")
    assert result.returncode == 0 and "nothing to resume" in result.stderr, result.stderr
    assert out.stat().st_mtime_ns == before and not (tmp_path / "out.h5.journal").exists()


def test_a_blocking_journal_names_the_resume_command(exe, tmp_path):
    sweep = write_sweep(tmp_path, num=400, steps=250)
    out = tmp_path / "out.h5"
    process = start_sweep(exe, sweep, out)
    wait_for_records(tmp_path / "out.h5.journal", 1, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    result = cli(exe, "sweep", sweep, "-o", out, "--quiet")
    assert result.returncode == 2 and f"coordsim sweep {sweep} -o {out} --resume" in result.stderr, result.stderr


def test_stale_temporaries_of_dead_processes_are_removed(exe, tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()  # its pid is free now
    out = tmp_path / "out.h5"
    stale = tmp_path / f"out.h5.tmp-{dead.pid}"
    stale.write_bytes(b"half a file")
    live = tmp_path / f"out.h5.tmp-{os.getpid()}"  # a live process's temporary stays
    live.write_bytes(b"in use")
    result = cli(exe, "run", SCENARIOS / "f1_weak_lead.yaml", "-o", out, "--steps", 5, "--replications", 1)
    assert result.returncode == 0, result.stderr
    assert not stale.exists() and live.exists() and "removed" in result.stderr


# --- full disk and memory limits ------------------------------------------------------------------

def test_run_on_a_full_disk_fails_cleanly(exe, tmp_path):
    out = tmp_path / "full.h5"
    result = cli(exe, "run", SCENARIOS / "f1_weak_lead.yaml", "-o", out, "--steps", 250, "--quiet",
                 limits={resource.RLIMIT_FSIZE: 200_000})
    assert result.returncode == 1, result.stderr
    assert "error: cannot" in result.stderr and "full.h5" in result.stderr
    assert not out.exists() and leftovers(tmp_path) == []


def test_sweep_on_a_full_disk_keeps_its_runs_for_resume(exe, tmp_path):
    sweep = write_sweep(tmp_path, num=30, steps=250)
    out = tmp_path / "full.h5"
    result = cli(exe, "sweep", sweep, "-o", out, "--quiet", "--threads", 1, limits={resource.RLIMIT_FSIZE: 60_000})
    assert result.returncode == 1, result.stderr
    assert "--resume" in result.stderr
    kept = len(record_offsets(tmp_path / "full.h5.journal"))
    assert kept > 0
    resumed = cli(exe, "sweep", sweep, "-o", out, "--resume", "--threads", 2)
    assert resumed.returncode == 0, resumed.stderr
    assert int(resumed.stdout.split("; ")[1].split(" from the journal")[0]) == kept


def test_dry_run_prints_the_estimate_and_writes_nothing(exe, tmp_path):
    out = tmp_path / "x.h5"
    result = cli(exe, "run", "-o", out, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "peak memory about" in result.stdout and "output at most" in result.stdout
    assert not out.exists()


def peak_resident_bytes(exe, *args):
    """Peak resident memory of `coordsim ARGS`, from a fresh Python process whose only child it is."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", code, exe, *map(str, args)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return int(result.stdout) * 1024  # ru_maxrss is in KiB on Linux


def estimated_bytes(stdout):
    value, unit = re.search(r"peak memory about ([\d.]+) (B|KiB|MiB|GiB)", stdout).groups()
    return float(value) * {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[unit]


@pytest.mark.parametrize("threads, replications", [(1, 1), (2, 1), (2, 10)])
def test_the_memory_estimate_of_a_county_run_is_within_a_quarter_of_its_measured_peak(exe, tmp_path, threads,
                                                                                       replications):
    # county.yaml has 10 variants: 10 or 100 runs
    args = ("run", SCENARIOS / "county.yaml", "-o", tmp_path / "county.h5", "--replications", replications,
            "--steps", 80, "--threads", threads, "--quiet")
    dry = cli(exe, *args, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    estimate, measured = estimated_bytes(dry.stdout), peak_resident_bytes(exe, *args)
    assert 0.75 * measured <= estimate <= 1.25 * measured, (estimate, measured)


def test_a_memory_limit_is_checked_before_anything_is_allocated(exe, tmp_path):
    out = tmp_path / "big.h5"
    limit = {resource.RLIMIT_AS: 1 << 30}
    # 3,000,000 steps: each run's recorded series alone take over 1 GiB, above a 1 GiB address space.
    args = ("run", SCENARIOS / "f1_weak_lead.yaml", "-o", out, "--steps", 3_000_000, "--replications", 2,
            "--threads", 2, "--quiet")
    result = cli(exe, *args, limits=limit)
    assert result.returncode == 2 and "would not fit" in result.stderr and "--force" in result.stderr, result.stderr
    assert "GiB available" in result.stderr
    assert not out.exists() and leftovers(tmp_path) == []
    forced = cli(exe, *args, "--force", limits=limit)
    assert forced.returncode == 1 and "out of memory" in forced.stderr, forced.stderr
    assert not out.exists() and leftovers(tmp_path) == []
