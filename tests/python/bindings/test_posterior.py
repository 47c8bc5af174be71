"""coordsim.analysis.posterior on a calibration file: weighted quantiles, the summary table, and a
posterior predictive check that, simulated with the particles' own seeds through coordsim.run,
must reproduce the targets the calibration computed in the engine."""
import coordsim
import matplotlib
import numpy as np
import pytest
import xarray as xr

from coordsim.analysis import posterior

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def example(run_cli, scenarios_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("calibration") / "example.h5"
    result = run_cli("calibrate", scenarios_dir / "governance" / "calibration_example.yaml", "-o", out, "--quiet", "--threads", 2)
    assert result.returncode == 0, result.stderr
    return xr.load_dataset(out, engine="h5netcdf")


def test_weighted_quantile_equals_the_inverted_cdf_for_equal_weights():
    x = np.random.default_rng(1).normal(size=101)
    q = [0.05, 0.5, 0.95]
    assert np.array_equal(posterior.weighted_quantile(x, np.ones_like(x), q), np.quantile(x, q, method="inverted_cdf"))
    # Integer weights act as repetitions.
    values, counts = np.array([3.0, 1.0, 2.0]), np.array([1, 5, 2])
    assert np.array_equal(posterior.weighted_quantile(values, counts, q),
                          np.quantile(np.repeat(values, counts), q, method="inverted_cdf"))


def test_summary_matches_the_weighted_population(example):
    table = posterior.summary(example, level=0.9)
    last = example.isel(generation=-1)
    w = last["weight"].values
    for name in last["parameter"].values:
        x = last["value"].sel(parameter=name).values
        assert table.loc[name, "mean"] == pytest.approx(np.sum(w * x))
        assert table.loc[name, "prior_low"] <= table.loc[name, "low"] <= table.loc[name, "median"]
        assert table.loc[name, "median"] <= table.loc[name, "high"] <= table.loc[name, "prior_high"]
    assert posterior.plot_marginals(example) is not None
    assert posterior.plot_pairs(example) is not None


def test_predictive_check_with_particle_seeds_reproduces_the_engine_targets(example):
    check = posterior.predictive_check(example, draws=4, seed=3, particle_seeds=True, threads=2)
    last = example.isel(generation=-1)
    for d in range(4):
        expected = last["simulated"].isel(particle=int(check["particle"][d])).values
        np.testing.assert_allclose(check["simulated"].isel(draw=d).values, expected, rtol=1e-12, atol=0)
    fresh = posterior.predictive_check(example, draws=3, seed=4, threads=2)
    assert np.isfinite(fresh["simulated"].values).all()
    assert posterior.plot_predictive(fresh) is not None
