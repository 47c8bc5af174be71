"""The county's calibration (scenarios/calibration_county.yaml, models/society/ODD.md §4.1), kept honest
cheaply: the shipped file runs through `coordsim calibrate` with only its budget made tiny, the result
file has the parameters, priors and targets the file declares, and scenarios/county.yaml sets every
free parameter to a value inside its prior (the full fit takes minutes). Identifiability: the county
simulated at known values of two of the fit's parameters is calibrated back, and the credible intervals
cover the truth (the algorithm's own checks are in test_calibrate.py)."""
import h5py
import numpy as np
import xarray as xr
import yaml

from calibration_support import credible_intervals


def flatten(block, prefix=""):
    """`{townships: {leniency: 0.8}}` -> `{"townships.leniency": 0.8}`."""
    out = {}
    for key, value in block.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_reduced_county_calibration_writes_what_the_file_declares(run_cli, scenarios_dir, tmp_path):
    shipped = scenarios_dir / "calibration_county.yaml"
    spec = yaml.safe_load(shipped.read_text())
    # The same file with a budget of a few seconds: 10 particles, 20 proposals, then two generations.
    reduced = dict(spec, base=str(scenarios_dir / spec["base"]), abc=dict(spec["abc"], particles=10, max_runs=40))
    calibration = tmp_path / "calibration_county.yaml"
    calibration.write_text(yaml.safe_dump(reduced, allow_unicode=True, sort_keys=False))
    out = tmp_path / "county.h5"
    result = run_cli("calibrate", calibration, "-o", out, "--quiet", "--threads", 2)
    assert result.returncode == 0, result.stderr
    ds = xr.load_dataset(out, engine="h5netcdf")
    assert list(ds["parameter"].values) == list(spec["parameters"])
    for name, prior in spec["parameters"].items():
        assert ds["prior_low"].sel(parameter=name) == prior["bounds"][0], name
        assert ds["prior_high"].sel(parameter=name) == prior["bounds"][1], name
    assert list(ds["target"].values) == [t["name"] for t in spec["targets"]]
    for t in spec["targets"]:
        low, high = t["interval"] if "interval" in t else (t["observed"], t["observed"])
        assert ds["observed_low"].sel(target=t["name"]) == low and ds["observed_high"].sel(target=t["name"]) == high
        assert ds["target_variant"].sel(target=t["name"]) == t.get("variant", spec["variant"]), t["name"]
        assert bool(ds["target_effect"].sel(target=t["name"])) == t.get("effect", False), t["name"]
    assert int(ds.attrs["steps"]) == spec["steps"] and int(ds.attrs["replications"]) == spec["replications"]
    assert ds.sizes["generation"] >= 2 and ds.sizes["particle"] == 10
    last = ds.isel(generation=-1)
    assert np.isclose(float(last["weight"].sum()), 1.0)
    assert np.isfinite(last["simulated"].values).all()
    inside = (last["value"] >= ds["prior_low"]) & (last["value"] <= ds["prior_high"])
    assert bool(inside.all())
    with h5py.File(out, "r") as f:
        assert f.attrs["kind"] == "calibration" and f.attrs["model"] == "society"


def test_county_sets_every_free_parameter_inside_its_prior(scenarios_dir):
    spec = yaml.safe_load((scenarios_dir / "calibration_county.yaml").read_text())
    county = flatten(yaml.safe_load((scenarios_dir / spec["base"]).read_text())["parameters"])
    for name, prior in spec["parameters"].items():
        assert name in county, f"{name} is calibrated but county.yaml does not set it"
        low, high = prior["bounds"]
        assert low <= county[name] <= high, name


SOCIETY_TRUTH = {"targets.margin": 0.06, "townships.case_hours": 45.0}


def test_identifiability_on_the_society_county(run_cli, scenarios_dir, tmp_path):
    """The county of county.yaml simulated at known values of two parameters the shipped fit frees,
    then calibrated on those outputs: the 90 % credible intervals cover the truth and are narrower
    than the priors' (0.054 and 40.5 wide): the margin, which the demanded target informs directly,
    by far; the case hours, informed by the case age beside the other case parameters, less."""
    intervals = credible_intervals(
        run_cli, scenarios_dir / "county.yaml", SOCIETY_TRUTH, ("target_demanded_run_mean", "township_case_age_mean"),
        {"targets.margin": "{prior: uniform, bounds: [0.02, 0.08]}",
         "townships.case_hours": "{prior: uniform, bounds: [15, 60]}"},
        tmp_path, steps=150, replications=2, abc="{particles: 60, alpha: 0.5, min_acceptance: 0.05, max_runs: 600}")
    for name, true_value in SOCIETY_TRUTH.items():
        low, high = intervals[name]
        assert low <= true_value <= high, (name, low, high)
    assert intervals["targets.margin"][1] - intervals["targets.margin"][0] < 0.5 * 0.9 * (0.08 - 0.02)
    assert intervals["townships.case_hours"][1] - intervals["townships.case_hours"][0] < 0.8 * 0.9 * (60 - 15)
