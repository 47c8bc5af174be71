#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz harnesses (tests/fuzz/corpus/<harness>/). Run once by hand
after a format change: `python3 tests/fuzz/make_corpus.py build/bin/coordsim`; the files are
committed. Journal seeds are built here from the format in sim/src/journal.hpp; result seeds are
small files written by coordsim itself."""
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE.parents[1]
CORPUS = HERE / "corpus"


def journal_record(run, status, message, values, lag):
    """One record, encoding 2: repeats of the value `lag` places back elided, the rest shuffled."""
    n = len(values)
    bits = [struct.unpack("<Q", struct.pack("<d", v))[0] for v in values]
    bitmap = bytearray((n + 7) // 8)
    stored = []
    for i in range(n):
        if i >= lag and bits[i] == bits[i - lag]:
            bitmap[i // 8] |= 1 << (i % 8)
        else:
            stored.append(bits[i])
    planes = bytes((b >> (8 * k)) & 0xFF for k in range(8) for b in stored)
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    packed = struct.pack("<Q", lag) + compressor.compress(bytes(bitmap) + planes) + compressor.flush()
    text = message.encode()
    body = (struct.pack("<QBI", run, status, len(text)) + text + struct.pack("<BQQ", 2, n, len(packed)) + packed)
    return struct.pack("<II", len(body), zlib.crc32(body)) + body


def journal_header(hash_, runs, doubles):
    head = b"COORDSIM-JOURNAL" + struct.pack("<IIIIQQQ", 1, 0, 1, 0, hash_, runs, doubles)
    head = head.ljust(60, b"\0")
    return head + struct.pack("<I", zlib.crc32(head))


def main():
    coordsim = sys.argv[1]
    for name in ("scenario", "sweep", "set", "journal", "results"):
        (CORPUS / name).mkdir(parents=True, exist_ok=True)
    for name in ("f1_weak_lead.yaml", "f14_platform.yaml", "f5_lead_rank.yaml"):
        shutil.copy(SOURCE / "scenarios" / "governance" / name, CORPUS / "scenario" / name)
    # The society county and a file that extends the default scenario (extends: resolves 'default'
    # without touching the file system).
    shutil.copy(SOURCE / "scenarios" / "county.yaml", CORPUS / "scenario" / "county.yaml")
    (CORPUS / "scenario" / "extends_default.yaml").write_text(
        "extends: default\nrun: {replications: 2}\nvariants:\n  baseline: {}\n  fifty:\n"
        "    tasks.participants: 50\n    tasks.lead_rank: 0.9\n")
    for name in ("sweep_f1_grid.yaml", "sweep_f3_lhs.yaml", "sweep_county_saltelli.yaml"):
        shutil.copy(SOURCE / "scenarios" / "governance" / name, CORPUS / "sweep" / name)
    (CORPUS / "set" / "basic").write_text("lead.rank=0.9\nrun.steps=100\nrun.replications=2\n")
    (CORPUS / "set" / "lists").write_text("output.agents=false\nparameters.tasks.count=3\nrun.seed=17\n")
    # Journal seeds (kHeader in fuzz_journal.cpp: hash 0x5eed, 16 runs, 24 doubles per run).
    values = [float(i % 3) for i in range(24)]
    records = (journal_record(0, 1, "", values, 3) + journal_record(5, 2, "failed here", values[::-1], 1) +
               journal_record(15, 1, "", [0.0] * 24, 6))
    (CORPUS / "journal" / "records").write_bytes(b"\x01" + records)
    (CORPUS / "journal" / "whole").write_bytes(b"\x00" + journal_header(0x5eed, 16, 24) + records)
    (CORPUS / "journal" / "torn").write_bytes(b"\x01" + records[:-10])
    # Result seeds: a small run file and a small sweep shard.
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        run = scratch / "run.h5"
        subprocess.run([coordsim, "run", SOURCE / "scenarios" / "governance" / "f1_weak_lead.yaml", "-o", run, "--steps", "3",
                        "--replications", "1", "--quiet", "--set", "tasks.participants=2",
                        "--set", "departments.count=3"], check=True, stdout=subprocess.DEVNULL)
        shutil.copy(run, HERE / "bases" / "run.h5")
        sweep = scratch / "s.yaml"
        sweep.write_text(f"base: {SOURCE / 'scenarios' / 'governance' / 'f1_weak_lead.yaml'}\nreplications: 1\nsteps: 3\n"
                         "parameters:\n  lead.rank: {values: [0.2, 0.8]}\n")
        shard = scratch / "shard.h5"
        # 3 steps leave the key summary NaN: the run is recorded failed, with a message (exit 1).
        subprocess.run([coordsim, "sweep", sweep, "-o", shard, "--shard", "1/2", "--quiet"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copy(shard, HERE / "bases" / "shard.h5")


if __name__ == "__main__":
    main()
