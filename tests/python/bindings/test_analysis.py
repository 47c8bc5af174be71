"""coordsim.analysis against known answers: paired comparisons, Sobol indices, plots, report."""
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import coordsim
from coordsim import analysis


def synthetic(effects, replications=40, noise=1.0, shared=5.0, seed=1):
    """Outcomes with a large component shared by the variants of a replication (common random
    numbers) and small independent noise: y[v, r] = shared_r + effect_v + noise."""
    rng = np.random.default_rng(seed)
    common = rng.normal(0.0, shared, size=replications)
    values = np.stack([common + effect + rng.normal(0.0, noise, size=replications) for effect in effects.values()])
    return xr.Dataset({"y": (("variant", "replication"), values, {"units": "hours", "long_name": "an outcome"})},
                      coords={"variant": list(effects), "replication": np.arange(replications)})


def test_compare_recovers_known_paired_differences():
    ds = synthetic({"base": 0.0, "plus_two": 2.0, "none": 0.0})
    table = analysis.compare(ds, "y")
    assert list(table["variant"]) == ["plus_two", "none"]
    assert (table["baseline"] == "base").all() and (table["units"] == "hours").all()
    plus = table.set_index("variant").loc["plus_two"]
    assert plus["n"] == 40
    assert plus["ci_low"] < 2.0 < plus["ci_high"]
    # Pairing removes the shared component: the interval is about noise*sqrt(2)/sqrt(n) wide, not shared/sqrt(n).
    assert plus["ci_high"] - plus["ci_low"] < 1.0
    values = ds["y"].values
    differences = values[1] - values[0]
    assert plus["difference"] == pytest.approx(differences.mean())
    assert plus["sd_difference"] == pytest.approx(differences.std(ddof=1))
    assert plus["cohens_d"] == pytest.approx(differences.mean() / differences.std(ddof=1))
    none = table.set_index("variant").loc["none"]
    assert none["ci_low"] < 0.0 < none["ci_high"]
    # Fixed seed: the same table twice; another baseline works.
    pd.testing.assert_frame_equal(table, analysis.compare(ds, "y"))
    other = analysis.compare(ds, "y", baseline="plus_two")
    assert set(other["variant"]) == {"base", "none"}
    with pytest.raises(ValueError, match="baseline 'nope' is not a variant"):
        analysis.compare(ds, "y", baseline="nope")


def test_compare_skips_incomplete_pairs_and_handles_degenerate_cases():
    base = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    ds = xr.Dataset({"y": (("variant", "replication"), np.stack([base, base + 1.0]))},
                    coords={"variant": ["base", "shift"]})
    ds["y"][1, 2] = np.nan
    row = analysis.compare(ds, "y").iloc[0]
    assert row["n"] == 4
    assert row["difference"] == pytest.approx(1.0)
    assert row["ci_low"] == pytest.approx(1.0) and row["ci_high"] == pytest.approx(1.0)
    assert np.isnan(row["cohens_d"])  # a constant non-zero shift has no effect size
    same = analysis.compare(xr.Dataset({"y": (("variant", "replication"), np.stack([base, base]))},
                                       coords={"variant": ["a", "b"]}), "y").iloc[0]
    assert same["difference"] == 0.0 and np.isnan(same["cohens_d"])


def test_cohens_d_is_undefined_when_the_paired_sd_is_rounding_noise():
    # Shares computed two ways (0.1 * k vs k / 10) differ by one ulp here and there: a
    # deterministic shift of 0.05 plus noise ~1e-17 gave d = 5e15 before.
    k = np.arange(1.0, 11.0)
    base = k / 10.0
    treated = 0.1 * k + 0.05
    assert np.std(treated - base, ddof=1) > 0  # not exactly constant: rounding noise only
    noisy = xr.Dataset({"y": (("variant", "replication"), np.stack([base, treated]))},
                       coords={"variant": ["base", "shift"]})
    row = analysis.compare(noisy, "y").iloc[0]
    assert row["difference"] == pytest.approx(0.05) and np.isnan(row["cohens_d"])
    # A real spread, even a small one, keeps its d = mean / sd.
    spread = np.array([0.0, 1e-6, -1e-6, 2e-6, 0.0, -2e-6, 1e-6, 0.0, -1e-6, 0.0])
    real = xr.Dataset({"y": (("variant", "replication"), np.stack([base, base + 0.05 + spread]))},
                      coords={"variant": ["base", "shift"]})
    differences = (base + 0.05 + spread) - base
    assert analysis.compare(real, "y").iloc[0]["cohens_d"] == pytest.approx(
        differences.mean() / differences.std(ddof=1))


def test_analysis_errors_suggest_the_nearest_name():
    ds = xr.Dataset({"share_on_time": (("variant", "replication"), np.zeros((2, 3)))},
                    coords={"variant": ["baseline", "high_rank_lead"]})
    with pytest.raises(KeyError, match="did you mean 'share_on_time'"):
        analysis.compare(ds, "share_ontime")
    with pytest.raises(ValueError, match="did you mean 'high_rank_lead'"):
        analysis.compare(ds, "share_on_time", baseline="high_rank_led")
    with pytest.raises(KeyError, match="did you mean 'share_on_time'"):
        ds.coordsim.summary("share_on_tme")
    with pytest.raises(KeyError, match="did you mean 'share_on_time'"):
        analysis.sensitivity(ds, "share_of_time")
    with pytest.raises(ValueError, match="did you mean 'high_rank_lead'"):
        analysis.plot_series(ds.expand_dims(step=[0]).transpose("variant", "replication", "step"), "share_on_time",
                             variants=["baseline", "highrank_lead"])


def test_bootstrap_interval_covers_the_true_mean_about_95_percent_of_the_time():
    rng = np.random.default_rng(7)
    covered = 0
    trials = 200
    for trial in range(trials):
        sample = rng.normal(3.0, 2.0, size=30)
        low, high = analysis.bootstrap_mean_interval(sample, n_boot=1000, seed=trial)
        covered += low < 3.0 < high
    # The percentile bootstrap under-covers a little at n=30 (about 93 %); 200 trials add +-2 %.
    assert 0.85 <= covered / trials <= 0.99


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=25), st.floats(-50, 50))
def test_shifting_both_variants_leaves_differences_unchanged(values, shift):
    base = np.array(values)
    treatment = base[::-1] * 0.5 + 1.0
    ds = xr.Dataset({"y": (("variant", "replication"), np.stack([base, treatment]))},
                    coords={"variant": ["a", "b"]})
    moved = ds.copy(deep=True)
    moved["y"] = moved["y"] + shift
    a, b = analysis.compare(ds, "y").iloc[0], analysis.compare(moved, "y").iloc[0]
    assert b["difference"] == pytest.approx(a["difference"], abs=1e-6)
    assert b["ci_low"] == pytest.approx(a["ci_low"], abs=1e-6)
    assert a["ci_low"] <= a["difference"] <= a["ci_high"]


def test_compare_on_a_run_uses_series_and_summaries(small_scenario):
    ds = coordsim.run(small_scenario, threads=2)
    summary = analysis.compare(ds, "share_on_time")
    assert list(summary["variant"]) == ["high_rank_lead", "cooperation"] and (summary["n"] == 3).all()
    last = analysis.compare(ds, "items_on_time")  # a series: its last step
    np.testing.assert_allclose(last["mean"], ds["items_on_time"].isel(step=-1).mean("replication").values[1:])
    mean = analysis.compare(ds, "items_on_time", step="mean")
    assert not np.allclose(mean["mean"], last["mean"])
    both = analysis.compare(ds, analysis.key_outcomes(ds))
    assert set(both["outcome"]) == set(analysis.key_outcomes(ds))
    table = analysis.summarize(ds, "share_on_time")
    assert list(table["variant"]) == ["baseline", "high_rank_lead", "cooperation"]
    assert (table["ci_low"] <= table["mean"]).all() and (table["mean"] <= table["ci_high"]).all()


# ---------------------------------------------------------------------------------------------
# Sobol indices on the Ishigami function (a=7, b=0.1), whose indices are known analytically.

ISHIGAMI_FIRST = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_TOTAL = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def test_sobol_indices_of_the_ishigami_function():
    bounds = {name: (-np.pi, np.pi) for name in ("x1", "x2", "x3")}
    design = analysis.saltelli_design(bounds, 4096)
    assert len(design) == 4096 * 5
    assert list(dict.fromkeys(design["block"])) == ["A", "B", "AB_x1", "AB_x2", "AB_x3"]
    design["y"] = analysis.ishigami(design[["x1", "x2", "x3"]].to_numpy())
    indices = analysis.sensitivity(design, "y", n_boot=300)
    for name in bounds:
        row = indices.loc[name]
        assert row["S1"] == pytest.approx(ISHIGAMI_FIRST[name], abs=0.03), name
        assert row["ST"] == pytest.approx(ISHIGAMI_TOTAL[name], abs=0.03), name
        assert row["S1_low"] <= row["S1"] <= row["S1_high"]
        assert row["ST_low"] - 0.01 < ISHIGAMI_TOTAL[name] < row["ST_high"] + 0.01, name
        assert row["S1_low"] - 0.01 < ISHIGAMI_FIRST[name] < row["S1_high"] + 0.01, name
    assert (indices["n"] == 4096).all()


def test_sensitivity_from_an_xarray_design():
    bounds = {"a": (0.0, 1.0), "b": (0.0, 1.0)}
    design = analysis.saltelli_design(bounds, 2048)
    # y = a + 3 b: S_a = 1/10, S_b = 9/10, additive so S1 == ST.
    y = design["a"].to_numpy() + 3.0 * design["b"].to_numpy()
    rng = np.random.default_rng(0)
    data = xr.DataArray(np.stack([y, y + rng.normal(0, 1e-3, y.size)], axis=1), dims=("sample", "replication"),
                        coords={"block": ("sample", design["block"].to_numpy())}, name="y")
    indices = analysis.sensitivity(data)
    assert indices.loc["a", "S1"] == pytest.approx(0.1, abs=0.03)
    assert indices.loc["b", "S1"] == pytest.approx(0.9, abs=0.03)
    assert indices.loc["b", "ST"] == pytest.approx(0.9, abs=0.03)


def test_sensitivity_rejects_a_wrong_layout():
    design = analysis.saltelli_design({"a": (0, 1), "b": (0, 1)}, 64)
    design["y"] = design["a"]
    shuffled = design.sample(frac=1.0, random_state=1)
    with pytest.raises(ValueError, match="blocks must be"):
        analysis.sensitivity(shuffled, "y")
    broken = design.copy()
    broken.loc[broken["block"] == "AB_a", "b"] += 0.5
    with pytest.raises(ValueError, match="block AB_a is not block A"):
        analysis.sensitivity(broken, "y")
    with pytest.raises(ValueError, match="power of two"):
        analysis.saltelli_design({"a": (0, 1)}, 100)
    with pytest.raises(ValueError, match="do not form a Saltelli design"):
        analysis.sobol_indices(np.zeros(11), ["a", "b", "c"])


# ---------------------------------------------------------------------------------------------
# Plots and the report.


def _texts(figure):
    axes = figure.axes
    return {"titles": [a.get_title() for a in axes] + [figure._suptitle.get_text() if figure._suptitle else ""],
            "xlabels": [a.get_xlabel() for a in axes], "ylabels": [a.get_ylabel() for a in axes],
            "legends": [a.get_legend() for a in axes]}


def test_plots_have_titles_units_and_legends(small_scenario, tmp_path):
    from matplotlib import pyplot

    outcomes, agents = coordsim.run(small_scenario, agents=True, threads=2)
    series = analysis.plot_series(outcomes, "items_on_time")
    assert series.figure.number in pyplot.get_fignums()  # pyplot knows it: plt.show()/savefig work
    texts = _texts(series.figure)
    assert "deadline" in texts["titles"][0] and "95% CI" in texts["titles"][0]
    assert texts["xlabels"][0] == "simulation step (working days)"
    assert texts["ylabels"][0] == "items_on_time (count)"
    legend = texts["legends"][0]
    assert [t.get_text() for t in legend.get_texts()] == ["baseline", "high_rank_lead", "cooperation"]

    effects = analysis.plot_effects(analysis.compare(outcomes, ["share_on_time", "hours_joint_total"]))
    assert len(effects) == 2  # one Axes per outcome
    texts = _texts(effects[0].figure)
    assert "difference to 'baseline' (dimensionless)" in texts["xlabels"][0]
    assert "difference to 'baseline' (h" in texts["xlabels"][1]

    distribution = analysis.plot_agent_distributions(agents["department"], "hours_joint")
    texts = _texts(distribution.figure)
    assert "per department" in texts["titles"][0] and texts["xlabels"][0].startswith("hours_joint (")

    grid = pd.DataFrame([(a, b, a * 10 + b) for a in (0.1, 0.5, 0.9) for b in (1, 2, 3, 4) for _ in range(2)],
                        columns=["lead.rank", "tasks.count", "share"])
    heatmap = analysis.plot_heatmap(grid, "share", x="lead.rank", y="tasks.count", units="1")
    texts = _texts(heatmap.figure)
    assert texts["xlabels"][0] == "lead.rank" and texts["ylabels"][0] == "tasks.count"
    assert heatmap.figure.axes[1].get_ylabel() == "share (dimensionless)"  # the colour bar

    for name, ax in [("series", series), ("effects", effects[0]), ("agents", distribution), ("heatmap", heatmap)]:
        path = tmp_path / f"{name}.png"
        ax.figure.savefig(path)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_heatmap_from_a_dataarray():
    array = xr.DataArray(np.arange(12.0).reshape(3, 4), dims=("a", "b"),
                         coords={"a": [1, 2, 3], "b": [0.1, 0.2, 0.3, 0.4]}, name="z",
                         attrs={"units": "hours", "long_name": "zed"})
    ax = analysis.plot_heatmap(array, x="b", y="a")
    assert ax.get_xlabel() == "b" and "zed" in ax.get_title()


def test_plots_draw_on_the_given_axes_and_return_it():
    from matplotlib.figure import Figure

    ds = xr.Dataset({"items": (("variant", "replication", "step"), np.ones((2, 3, 4)), {"units": "count"}),
                     "share": (("variant", "replication"), np.full((2, 3), 0.5), {"units": "1"})},
                    coords={"variant": ["a", "b"], "step": np.arange(4)})
    figure = Figure()
    ax = figure.add_subplot()
    assert analysis.plot_series(ds, "items", ax=ax) is ax
    other = figure.add_subplot(2, 1, 2)
    table = analysis.compare(ds, "share")
    assert analysis.plot_effects(table, ax=other) is other


def test_series_bands_stop_at_the_valid_range():
    # Counts 0, 0, 9 per replication: the t interval of the mean reaches below 0; shares 0.9, 1, 1
    # reach above 1. The bands are clipped, the means are not touched.
    counts = np.array([[0.0, 0.0, 9.0]]).T * np.ones((1, 5))
    shares = np.array([[0.9, 1.0, 1.0]]).T * np.ones((1, 5))
    ds = xr.Dataset({"items_late": (("variant", "replication", "step"), counts[np.newaxis], {"units": "count"}),
                     "share_on_time": (("variant", "replication", "step"), shares[np.newaxis], {"units": "1"})},
                    coords={"variant": ["baseline"], "step": np.arange(5)})
    for name, low, high in (("items_late", 0.0, np.inf), ("share_on_time", -np.inf, 1.0)):
        ax = analysis.plot_series(ds, name)
        band = ax.collections[0].get_paths()[0].vertices[:, 1]
        assert band.min() >= low and band.max() <= high, name
        line = ax.get_lines()[0].get_ydata()
        np.testing.assert_allclose(line, ds[name].mean("replication").values[0])
    assert analysis.valid_range(ds["items_late"]) == (0.0, np.inf)
    assert analysis.valid_range(ds["share_on_time"]) == (0.0, 1.0)


def test_plot_text_with_chinese_terms_draws_without_warnings(tmp_path):
    """Long names quote field terms (约谈, 配合度); without a CJK font they are left out of plot
    text instead of raising matplotlib's missing-glyph warning (an error under pytest.ini)."""
    array = xr.DataArray(np.arange(12.0).reshape(2, 2, 3), dims=("variant", "replication", "step"),
                         coords={"variant": ["a", "b"], "step": [0, 1, 2]}, name="talks",
                         attrs={"units": "count", "long_name": "Cases ending in a reminder talk (约谈) this step"})
    ax = analysis.plot_series(array)
    ax.figure.savefig(tmp_path / "talks.png")
    title = ax.get_title()
    assert title.startswith("Cases ending in a reminder talk") and "this step" in title
    from coordsim.analysis.plots import _cjk_font_family

    if _cjk_font_family() is not None:  # .ci/setup installs fonts-noto-cjk: the term is drawn, not dropped
        assert "约谈" in title and ax.title.get_fontfamily()[-1] == _cjk_font_family()
    from coordsim.analysis.plots import plot_text

    assert plot_text("plain (S0)") == "plain (S0)"


def test_sensitivity_reads_the_sweep_file_layout():
    """`coordsim sweep` (design: saltelli) stores blocks along `run` with integer coordinates
    saltelli_block (0 = A, 1 = B, 1 + i = AB_i) and saltelli_row, parameters in a root attribute."""
    bounds = {name: (-np.pi, np.pi) for name in ("x1", "x2", "x3")}
    design = analysis.saltelli_design(bounds, 2048)
    y = analysis.ishigami(design[["x1", "x2", "x3"]].to_numpy())
    block = np.repeat(np.arange(5), 2048)
    row = np.tile(np.arange(2048), 5)
    shuffle = np.random.default_rng(3).permutation(y.size)  # order along `run` must not matter
    values = np.stack([y[shuffle], y[shuffle] + 100.0], axis=1)[:, :, np.newaxis]  # (run, variant, replication)
    ds = xr.Dataset({"y": (("run", "variant", "replication"), values)},
                    coords={"variant": ["baseline", "other"], "saltelli_block": ("run", block[shuffle]),
                            "saltelli_row": ("run", row[shuffle])},
                    attrs={"parameters": ["x1", "x2", "x3"]})
    indices = analysis.sensitivity(ds, "y", n_boot=200)
    assert list(indices.index) == ["x1", "x2", "x3"]
    for name in bounds:
        assert indices.loc[name, "S1"] == pytest.approx(ISHIGAMI_FIRST[name], abs=0.04), name
        assert indices.loc[name, "ST"] == pytest.approx(ISHIGAMI_TOTAL[name], abs=0.04), name
    jansen = analysis.sensitivity(ds, "y", n_boot=200, first_order="jansen")
    assert jansen.loc["x2", "S1"] == pytest.approx(ISHIGAMI_FIRST["x2"], abs=0.04)
    with pytest.raises(ValueError, match="equal blocks"):
        analysis.sensitivity(ds, "y", parameters=["x1", "x2"])


def test_sensitivity_of_a_real_saltelli_sweep(run_cli, tmp_path):
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("base: default\ndesign: saltelli\nsamples: 8\nreplications: 1\nseed: 2\nsteps: 30\n"
                     "variants: [baseline]\nparameters:\n  tasks.lead_rank: {bounds: [0.1, 0.9]}\n"
                     "  leadership.attention_budget: {bounds: [0.5, 3.0]}\n")
    out = tmp_path / "sweep.h5"
    result = run_cli("sweep", sweep, "-o", out, "--threads", 2, "--quiet")
    assert result.returncode in (0, 1), result.stderr  # 1: some runs failed (NaN), still written
    summary = coordsim.open_groups(out)["summary"]
    indices = analysis.sensitivity(summary, "lead_hours_own_total", n_boot=100)
    assert list(indices.index) == ["tasks.lead_rank", "leadership.attention_budget"]
    assert np.isfinite(indices["ST"]).all() and (indices["n"] >= 6).all()
