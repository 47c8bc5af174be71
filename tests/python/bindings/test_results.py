"""Result files from Python: open_results / open_groups / load_results / info, and what is not there yet."""
import numpy as np
import pytest
import xarray as xr

import coordsim


def test_open_results_one_group(county_results):
    with coordsim.open_results(county_results) as series:
        assert set(series.dims) == {"variant", "replication", "step"}
        assert series.sizes["replication"] == 2 and series.sizes["step"] == 40
    with coordsim.open_results(county_results, "summary") as summary:
        assert set(summary.dims) == {"variant", "replication"}
    with coordsim.open_results(county_results, group="agents/department") as department:
        assert list(department["step"].values) == list(range(0, 40, 5))


def test_open_groups_returns_every_group_in_memory(county_results):
    groups = coordsim.open_groups(county_results)
    assert list(groups)[:2] == ["series", "summary"]
    assert {"agents/department", "agents/township", "agents/seconded"} <= set(groups)
    assert coordsim.result_groups(county_results) == list(groups)
    for name, dataset in groups.items():
        assert dataset.attrs["model"] == "society", name
        assert dataset.attrs["replications"] == 2, name
        assert dataset.attrs["variants"][0] == "baseline", name


def test_load_results_has_the_shape_of_run(county_results):
    outcomes, agents = coordsim.load_results(county_results, agents=True)
    fresh = coordsim.run(coordsim.Scenario.from_yaml(outcomes.attrs["scenario"]), threads=2)
    assert set(outcomes.data_vars) == set(fresh.data_vars)
    for name, variable in fresh.data_vars.items():
        assert outcomes[name].dims == variable.dims, name
        assert outcomes[name].attrs["group"] == variable.attrs["group"], name
        np.testing.assert_array_equal(outcomes[name].values, variable.values, err_msg=name)
    assert list(outcomes["variant"].values) == list(fresh["variant"].values)
    assert {"department", "township", "seconded"} <= set(agents)
    assert isinstance(coordsim.load_results(county_results), xr.Dataset)


def test_info_describes_the_file(county_results):
    text = coordsim.info(county_results)
    assert "society" in text and "replications" in text


def test_output_errors(tmp_path):
    not_results = tmp_path / "plain.txt"
    not_results.write_text("hello")
    with pytest.raises(coordsim.OutputError):
        coordsim.info(not_results)
    with pytest.raises(OSError):
        coordsim.info(tmp_path / "missing.h5")
    sc = coordsim.Scenario.default()
    with pytest.raises(coordsim.OutputError):
        coordsim.run(sc, steps=2, replications=1, output=tmp_path / "no" / "such" / "dir" / "x.h5")


def test_sweep_needs_a_scenario_and_parameters():
    with pytest.raises(TypeError):
        coordsim.sweep()
