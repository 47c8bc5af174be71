"""`coordsim run --profile` (issue 16): every part of the run is reported on stderr, the parts add up
to the measured total, each phase is broken down into its mechanisms' steps (which add up to the
phase), and the result file is the same with and without the profile."""
import re

import h5py
import numpy as np

ROW = re.compile(r"^  (\S.*?)\s+(\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+\d+\.\d+ %\s+\d+\.\d+ %$")
DETAIL = re.compile(r"^    (\S.*?)\s+(\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+\d+\.\d+ %\s+\d+\.\d+ %$")

# The governance model's steps per phase, in the order the mechanisms declare them (models/governance:
# core.cpp, decisions.cpp, costs.cpp, levels.cpp, taskforce.cpp, discipline.cpp, grassroots_layer.cpp).
STEPS = {
    "leadership": ["core: share attention"],
    "lead": ["core: chase and escalate"],
    "mechanisms": ["decisions: decisions", "costs: cost rules", "levels: levels", "taskforce: task force",
                   "discipline: discipline commission"],
    "departments": ["core: allocate hours"],
    "tasks": ["core: apply work"],
    "townships": ["grassroots: townships"],
    "clusters": ["grassroots: cluster casework"],
}


def parse(stderr):
    """The parts {name: (calls, wall, cpu)} and, for each part, its detail rows in order."""
    rows, details, last = {}, {}, None
    for line in stderr.splitlines():
        match = ROW.match(line)
        if match:
            last = match.group(1)
            rows[last] = (int(match.group(2)), float(match.group(3)), float(match.group(4)))
            continue
        match = DETAIL.match(line)
        if match:
            details.setdefault(last, []).append(
                (match.group(1), int(match.group(2)), float(match.group(3)), float(match.group(4))))
    return rows, details


def values(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[...]) if isinstance(obj, h5py.Dataset) else None)
    return out


def run(run_cli, scenario, out, *extra):
    result = run_cli("run", scenario, "-o", out, "--replications", 2, "--steps", 15, "--threads", 2, "--quiet", *extra)
    assert result.returncode == 0, result.stderr
    return result


def check(run_cli, tmp_path, scenario, phases, variants, steps_of):
    plain = run(run_cli, scenario, tmp_path / "plain.h5")
    profiled = run(run_cli, scenario, tmp_path / "profiled.h5", "--profile")
    assert "efficiency" not in plain.stderr and "efficiency" not in profiled.stdout
    # the comparison table is untouched
    assert profiled.stdout.replace("profiled.h5", "plain.h5") == plain.stdout
    rows, details = parse(profiled.stderr)
    runs, steps = 2 * variants, 15
    expected = {"reading the scenario, threads": 1, "estimating memory and disk": 1, "creating the file": 1,
                "preparing the batch": 1, "comparison table": 1, "generation": runs, "recording": runs * steps,
                "summarizing": runs, "freeing the world": runs, "writing": runs, "closing the file": 1}
    expected.update({f"phase {name}": runs * steps for name in phases})
    for name, calls in expected.items():
        assert name in rows, (name, profiled.stderr)
        assert rows[name][0] == calls, (name, rows[name])
    parts = [rows[name] for name in expected]
    assert set(rows) == set(expected) | {"sum of parts", "total"}, profiled.stderr
    total_wall, total_cpu = rows["total"][1], rows["total"][2]
    wall, cpu = sum(p[1] for p in parts), sum(p[2] for p in parts)
    assert abs(wall - total_wall) <= 0.05 * total_wall, (wall, total_wall)
    assert abs(cpu - total_cpu) <= 0.05 * total_cpu + 0.002, (cpu, total_cpu)  # CPU clock ticks are coarse
    # each phase's mechanism steps: the expected ones, each run once per step (and world), adding up to the phase
    for phase in phases:
        expected_steps = steps_of(phase)
        found = details.get(f"phase {phase}", [])
        assert [d[0] for d in found] == [name for name, _ in expected_steps], (phase, profiled.stderr)
        for (name, calls, _, _), (_, worlds) in zip(found, expected_steps):
            assert calls == runs * steps * worlds, (phase, name, calls)
        if found:
            _, phase_wall, phase_cpu = rows[f"phase {phase}"]
            assert abs(sum(d[2] for d in found) - phase_wall) <= 1e-4 * len(found), (phase, found)
            assert abs(sum(d[3] for d in found) - phase_cpu) <= 1e-4 * len(found), (phase, found)
    assert set(details) <= {f"phase {phase}" for phase in phases}, details
    a, b = values(tmp_path / "plain.h5"), values(tmp_path / "profiled.h5")
    assert a.keys() == b.keys()
    for name, x in a.items():
        if x.dtype.kind == "f":
            assert x.tobytes() == b[name].tobytes(), name
        else:
            np.testing.assert_array_equal(x, b[name])


F1_VARIANTS = 1  # scenarios/f1_weak_lead.yaml has its baseline only


def test_profile_of_a_single_world(run_cli, scenarios_dir, tmp_path):
    check(run_cli, tmp_path, scenarios_dir / "governance" / "f1_weak_lead.yaml", tuple(STEPS), variants=F1_VARIANTS,
          steps_of=lambda phase: [(name, 1) for name in STEPS[phase]])


def test_profile_of_an_ensemble_over_counties(run_cli, scenarios_dir, tmp_path):
    counties = 100  # scenarios/province.yaml: scale.counties
    # the counties' phases run inside the ensemble's phase "counties", once per county and step
    inside = [(f"{phase}/{name}", counties) for phase, names in STEPS.items() for name in names]
    check(run_cli, tmp_path, scenarios_dir / "governance" / "province.yaml", ("province", "counties"), variants=4,
          steps_of=lambda phase: inside if phase == "counties" else [])
