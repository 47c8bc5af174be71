"""The HDF5 layout documented in README: xarray (h5netcdf) and h5py read it with named dimensions."""
import h5py
import numpy as np
import xarray as xr


def test_series_opens_in_xarray_with_named_dimensions(county_results):
    with xr.open_dataset(county_results, group="series", engine="h5netcdf") as ds:
        assert set(ds.dims) == {"variant", "replication", "step"}
        assert list(ds["replication"].values) == [0, 1]
        assert list(ds["step"].values) == list(range(40))
        assert ds["variant"].values[0] == "baseline"
        assert len(ds.data_vars) >= 5
        for name, variable in ds.data_vars.items():
            assert variable.dims == ("variant", "replication", "step"), name
            # Units must not be ones xarray decodes into timedeltas ("hours", "days"): outcomes
            # in hours stay plain floats a researcher can average.
            assert variable.dtype.kind == "f", name
            assert variable.attrs["units"], name
            assert variable.attrs["long_name"], name
            # Ratios are undefined (NaN) until something is due, and outcomes of a mechanism the
            # scenario switches off are NaN throughout; counts and hours are always defined.
            if variable.attrs["units"] in ("count", "h"):
                assert np.isfinite(variable.values).all(), name
        for core in ("items_done", "items_overdue", "discipline_queue", "township_hours_service"):
            assert np.isfinite(ds[core].values).all(), core
        # Variants compared in one replication: selection by name works.
        first = ds.sel(variant=ds["variant"].values[1], replication=0)
        assert first[list(ds.data_vars)[0]].shape == (40,)


def test_agents_are_thinned_and_indexed_by_agent(county_results):
    with xr.open_dataset(county_results, group="agents/department", engine="h5netcdf") as ds:
        assert set(ds.dims) == {"variant", "replication", "step", "agent"}
        assert list(ds["step"].values) == list(range(0, 40, 5))
        assert ds.sizes["agent"] >= 10
        for name, variable in ds.data_vars.items():
            assert variable.dims == ("variant", "replication", "step", "agent"), name


def test_summary_group_and_root_attributes(county_results):
    with xr.open_dataset(county_results, group="summary", engine="h5netcdf") as ds:
        assert set(ds.dims) == {"variant", "replication"}
        assert any(int(v.attrs["key"]) == 1 for v in ds.data_vars.values())
    with h5py.File(county_results, "r") as f:
        attrs = f.attrs
        assert attrs["model"] == "society"
        assert int(attrs["format_version"]) == 1
        assert int(attrs["replications"]) == 2
        assert int(attrs["steps"]) == 40
        assert "parameters:" in attrs["scenario"]
        assert [v.decode() if isinstance(v, bytes) else v for v in attrs["variants"]][0] == "baseline"
        assert f["series"][next(iter(k for k in f["series"] if k not in ("variant", "replication", "step")))].compression == "gzip"


def test_resolved_scenario_in_file_reproduces_the_run(county_results, run_cli, tmp_path):
    """The scenario attribute is complete: running it again gives bit-identical series."""
    with h5py.File(county_results, "r") as f:
        text = f.attrs["scenario"]
    scenario = tmp_path / "resolved.yaml"
    scenario.write_text(text)
    again = tmp_path / "again.h5"
    result = run_cli("run", scenario, "-o", again, "--quiet", "--threads", 1)
    assert result.returncode == 0, result.stderr
    with h5py.File(county_results, "r") as a, h5py.File(again, "r") as b:
        for name in a["series"]:
            np.testing.assert_array_equal(a["series"][name][...], b["series"][name][...])


def test_agent_kinds_are_merged_over_variants(run_cli, tmp_path):
    """A kind only some variants have (the multi-county `county` kind) is still written."""
    scenario = tmp_path / "mixed.yaml"
    scenario.write_text("model: governance\nrun: {steps: 20, seed: 3, replications: 1}\n"
                        "output: {agents: true, agent_every: 5}\nparameters:\n  departments.count: 20\n"
                        "variants:\n  single: {}\n  three:\n    scale.counties: 3\n")
    out = tmp_path / "mixed.h5"
    result = run_cli("run", scenario, "-o", out, "--quiet")
    assert result.returncode == 0, result.stderr
    with xr.open_dataset(out, group="agents/county", engine="h5netcdf") as ds:
        assert ds.sizes["agent"] == 3
        assert np.isnan(ds["departments"].sel(variant="single").values).all()
        assert (ds["departments"].sel(variant="three").values > 0).all()
