"""The society model (MODEL.md v2) through the bindings: load its county, change a parameter, run,
and get xarray results with its key outcomes, per-township variables and the cross-layer effect of a
department-side mechanism on township outcomes."""
import pathlib

import numpy as np

import coordsim

SOCIETY = pathlib.Path(__file__).resolve().parents[3] / "scenarios" / "county.yaml"
KEY = ["share_on_time", "lead_hours_own_total", "department_hours_signoff_total", "township_duplicate_tasks_total",
       "township_hours_reporting_total", "township_hours_service_total", "citizen_time_to_resolution_mean",
       "petitions_total", "discipline_queue_mean", "deterrence_mean"]


def test_society_county_runs_from_python_with_its_key_outcomes():
    scenario = coordsim.Scenario.load(str(SOCIETY))
    scenario["townships.count"] = 6
    ds, agents = coordsim.run(scenario, replications=3, steps=80, threads=2, agents=True)
    assert ds.attrs["model"] == "society"
    assert "information_platform" in list(ds["variant"].values)
    for name in KEY:
        assert name in ds.data_vars, name
        assert int(ds[name].attrs["key"]) == 1, name
    assert agents["township"]["fatigue"].sizes[agents["township"]["fatigue"].dims[-1]] == 6
    # A department-side mechanism changes a township outcome in every replication.
    base = ds["township_duplicate_tasks_total"].sel(variant="baseline").values
    shared = ds["township_duplicate_tasks_total"].sel(variant="information_platform").values
    assert (shared < base).all()
    assert np.isfinite(ds["share_on_time"].values).all()
