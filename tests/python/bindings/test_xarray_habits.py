"""What an xarray user expects: coordsim.open, to_netcdf round trips with CF attributes and UDUNITS
units, tidy pandas frames, heatmaps of sweeps, plots on given axes."""
import ctypes
import ctypes.util

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import coordsim
from coordsim import analysis


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    from conftest import SMALL_SCENARIO

    scenario = coordsim.Scenario.from_yaml(SMALL_SCENARIO, "small.yaml")
    path = tmp_path_factory.mktemp("run") / "small.h5"
    result = coordsim.run(scenario, replications=3, steps=20, threads=2, agents=True, output=path)
    return result, path


def _udunits():
    """UDUNITS-2 itself (Debian's libudunits2-0 with its XML database), through ctypes."""
    name = ctypes.util.find_library("udunits2") or "libudunits2.so.0"
    library = ctypes.CDLL(name)
    library.ut_read_xml.restype = ctypes.c_void_p
    library.ut_read_xml.argtypes = [ctypes.c_char_p]
    library.ut_parse.restype = ctypes.c_void_p
    library.ut_parse.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    library.ut_set_error_message_handler.argtypes = [ctypes.c_void_p]
    library.ut_set_error_message_handler(ctypes.cast(library.ut_ignore, ctypes.c_void_p))
    system = library.ut_read_xml(None)
    assert system, "UDUNITS-2 could not read its unit database"
    return lambda units: bool(library.ut_parse(system, units.encode("ascii"), 0))  # 0: UT_ASCII


def test_open_returns_what_run_returned(small_run):
    (outcomes, agents), path = small_run
    opened = coordsim.open(path)
    xr.testing.assert_identical(opened, outcomes)
    again, kinds = coordsim.open(path, agents=True)
    assert set(kinds) == set(agents)
    for kind in kinds:
        xr.testing.assert_identical(kinds[kind], agents[kind])
    with pytest.raises(FileNotFoundError, match="no such result file"):
        coordsim.open(path.with_name("missing.h5"))


def test_to_netcdf_round_trips_with_cf_attributes(small_run, tmp_path):
    (outcomes, agents), path = small_run
    assert not any(isinstance(v, (bool, np.bool_)) for v in outcomes.attrs.values())
    assert outcomes.attrs["Conventions"].startswith("CF-")
    assert outcomes["step"].attrs["axis"] == "T"
    for engine in ("netcdf4", "h5netcdf"):
        target = tmp_path / f"small_{engine}.nc"
        outcomes.to_netcdf(target, engine=engine)
        with xr.open_dataset(target, engine=engine) as back:
            xr.testing.assert_identical(back.load(), outcomes)
    agents["department"].to_netcdf(tmp_path / "department.nc")
    with xr.open_dataset(tmp_path / "department.nc") as back:
        xr.testing.assert_identical(back.load(), agents["department"])


def test_every_units_attribute_is_a_udunits_unit(small_run):
    (outcomes, agents), _ = small_run
    parses = _udunits()
    assert parses("h") and parses("1") and not parses("steps") and not parses("persons")  # the library works
    datasets = [outcomes, *agents.values()]
    seen = set()
    for dataset in datasets:
        for name, variable in dataset.variables.items():
            if "units" in variable.attrs:
                seen.add(variable.attrs["units"])
                assert parses(variable.attrs["units"]), (name, variable.attrs["units"])
    assert {"h", "1", "count"} <= seen
    # The model's own word is kept for labels.
    assert outcomes["items_on_time"].attrs["units_label"] == "count"


def test_valid_ranges_follow_the_units(small_run):
    (outcomes, _), _ = small_run
    assert outcomes["items_on_time"].attrs["valid_min"] == 0.0 and "valid_max" not in outcomes["items_on_time"].attrs
    assert (outcomes["share_on_time"].attrs["valid_min"], outcomes["share_on_time"].attrs["valid_max"]) == (0.0, 1.0)
    assert "valid_min" not in outcomes["mean_trust"].attrs  # a ratio: no range claimed
    for name, variable in outcomes.data_vars.items():  # the engine's numbers respect them
        values = variable.values[np.isfinite(variable.values)]
        assert values.min(initial=0.0) >= variable.attrs.get("valid_min", -np.inf) - 1e-12, name
        assert values.max(initial=0.0) <= variable.attrs.get("valid_max", np.inf) + 1e-12, name


def test_tidy_frames(small_run):
    (outcomes, _), _ = small_run
    summary = outcomes.coordsim.summary()
    summaries = [n for n, v in outcomes.data_vars.items() if "step" not in v.dims]
    assert len(summary) == 3 * 3 and list(summary.columns[:2]) == ["variant", "replication"]
    assert set(summary.columns[2:]) == set(summaries)
    row = summary[(summary["variant"] == "cooperation") & (summary["replication"] == 2)].iloc[0]
    assert row["share_on_time"] == outcomes["share_on_time"].sel(variant="cooperation", replication=2).item()

    series = outcomes.coordsim.series(["items_on_time", "lead_hours_chasing"])
    assert list(series.columns) == ["variant", "replication", "step", "outcome", "value", "units"]
    assert len(series) == 3 * 3 * 20 * 2
    picked = series[(series["outcome"] == "lead_hours_chasing") & (series["step"] == 7) & (series["replication"] == 1)]
    np.testing.assert_array_equal(picked.set_index("variant")["value"].loc[["baseline", "cooperation"]].values,
                                  outcomes["lead_hours_chasing"].sel(step=7, replication=1,
                                                             variant=["baseline", "cooperation"]).values)
    assert set(picked["units"]) == {"h"}
    pd.testing.assert_frame_equal(coordsim.summary_frame(outcomes), summary)


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory):
    from conftest import SMALL_SCENARIO

    scenario = coordsim.Scenario.from_yaml(SMALL_SCENARIO, "small.yaml")
    path = tmp_path_factory.mktemp("sweep") / "grid.h5"
    with coordsim.sweep(scenario, {"lead.rank": [0.3, 0.9], "tasks.count": [2, 3, 4]}, replications=2, steps=40,
                        threads=2, out=path, variants=["baseline", "cooperation"], fail_on_nan="none") as lazy:
        loaded = lazy.load()
    return loaded, path


def test_open_reads_a_sweep_as_sweep_returned_it(grid_sweep):
    loaded, path = grid_sweep
    opened = coordsim.open(path)
    xr.testing.assert_identical(opened, loaded)
    frame = opened.coordsim.summary("share_on_time")
    assert {"run", "lead__rank", "tasks__count", "variant", "replication", "share_on_time"} <= set(frame.columns)
    assert len(frame) == 6 * 2 * 2


def test_heatmap_of_a_grid_sweep_shows_the_cell_means(grid_sweep):
    sweep, _ = grid_sweep
    ax = analysis.plot_heatmap(sweep, "items_on_time", x="lead.rank", y="tasks__count")
    image = ax.get_images()[0].get_array()
    assert image.shape == (3, 2)
    # Independent: mean over replications of the baseline's value at each design point.
    for j, rank in enumerate([0.3, 0.9]):
        for i, count in enumerate([2, 3, 4]):
            point = (sweep["lead__rank"] == rank) & (sweep["tasks__count"] == count)
            expected = sweep["items_on_time"].isel(step=-1).sel(variant="baseline").where(point, drop=True).mean().item()
            assert image[i, j] == pytest.approx(expected)
    assert ax.get_xlabel() == "lead.rank (dimensionless)" and ax.get_ylabel() == "tasks.count (count)"
    assert "variant baseline" in ax.get_title()
    with pytest.raises(KeyError, match="did you mean 'lead.rank'"):
        analysis.plot_heatmap(sweep, "items_on_time", x="lead.rnak", y="tasks.count")
    effects = analysis.parameter_effects(sweep, "items_on_time")
    rank = effects[effects["parameter"] == "lead.rank"].set_index("value")
    baseline = sweep["items_on_time"].isel(step=-1).sel(variant="baseline").mean("replication")
    assert rank.loc[0.9, "mean"] == pytest.approx(baseline.where(sweep["lead__rank"] == 0.9, drop=True).mean().item())
    assert list(rank["n"]) == [3, 3]


def test_a_sweep_round_trips_through_netcdf(grid_sweep, tmp_path):
    sweep, _ = grid_sweep
    sweep.to_netcdf(tmp_path / "sweep.nc")
    with xr.open_dataset(tmp_path / "sweep.nc") as back:
        xr.testing.assert_identical(back.load(), sweep)


def test_labels_from_a_scenario_text_or_a_labels_file():
    text = ("model: governance\nlabels:\n  variants:\n    high_rank_lead: \"由组织部来牵头\"\n"
            "  outcomes: {share_on_time: share on time}\n")
    assert coordsim.scenario_labels(text) == {"variants": {"high_rank_lead": "由组织部来牵头"},
                                              "outcomes": {"share_on_time": "share on time"}}
    assert coordsim.scenario_labels("variants: {a: A}\n") == {"variants": {"a": "A"}, "outcomes": {}}
    assert coordsim.scenario_labels("model: governance\nrun: {steps: 3}\n") == {"variants": {}, "outcomes": {}}
    with pytest.raises(ValueError, match="labels.outcomes: expected a mapping"):
        coordsim.scenario_labels("outcomes: [a]\n")


def test_a_scenarios_labels_block_travels_into_its_results():
    """The county ships readable labels; the engine checks them and writes them into the resolved
    scenario that a result file carries, where reports read them."""
    scenario = coordsim.Scenario.default()
    labels = coordsim.scenario_labels(scenario.to_yaml())
    assert labels["variants"]["leading_group"] == "Leading small group (领导小组)"
    assert set(labels["variants"]) <= set(scenario.variants)
    assert "share_on_time" in labels["outcomes"]
    bad = scenario.to_yaml().replace("    leading_group: \"Leading", "    leading_gruop: \"Leading")
    with pytest.raises(coordsim.ScenarioError, match="did you mean 'leading_group'"):
        coordsim.Scenario.from_yaml(bad, "bad.yaml")
