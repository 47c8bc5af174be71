"""The county's calibration (scenarios/calibration_county.yaml, models/society/ODD.md §4.1), kept honest
cheaply: the shipped file runs through `coordsim calibrate` with only its budget made tiny, the result
file has the parameters, priors and targets the file declares, and scenarios/county.yaml sets every
free parameter to a value inside its prior (the full fit takes minutes; its identifiability is tested
on the governance county in test_calibrate.py)."""
import h5py
import numpy as np
import xarray as xr
import yaml


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
