"""Shared by the identifiability tests: simulate a scenario at known parameter values, calibrate
those parameters back from the simulated outcomes with `coordsim calibrate`, and return the 90 %
credible interval of each from the last generation's weighted particles."""
import numpy as np
import xarray as xr


def credible_intervals(run_cli, base, truth, outcomes, priors, tmp_path, *, steps, replications, abc):
    """`truth`: {parameter: value}; `outcomes`: summary names observed (means over 4 replications of
    the baseline at the truth, seed 99); `priors`: {parameter: prior text}. Returns {parameter:
    (low, high)}."""
    observed_file = tmp_path / "truth.h5"
    result = run_cli("run", base, "-o", observed_file, "--quiet", "--no-agents", "--steps", steps,
                     "--replications", 4, "--seed", 99,
                     *sum((["--set", f"{k}={v}"] for k, v in truth.items()), []))
    assert result.returncode == 0, result.stderr
    summary = xr.open_dataset(observed_file, group="summary", engine="h5netcdf").sel(variant="baseline")
    observed = {name: float(summary[name].mean("replication")) for name in outcomes}
    calibration = tmp_path / "identify.yaml"
    calibration.write_text(
        f"base: {base}\nvariant: baseline\nseed: 5\nsteps: {steps}\nreplications: {replications}\nparameters:\n"
        + "".join(f"  {name}: {prior}\n" for name, prior in priors.items())
        + "targets:\n" + "".join(f"  - {{summary: {k}, observed: {v!r}}}\n" for k, v in observed.items())
        + f"abc: {abc}\n")
    out = tmp_path / "identify.h5"
    result = run_cli("calibrate", calibration, "-o", out, "--quiet", "--threads", 2)
    assert result.returncode == 0, result.stderr
    ds = xr.open_dataset(out, engine="h5netcdf").isel(generation=-1)
    intervals = {}
    for name in truth:
        x = ds["value"].sel(parameter=name).values
        order = np.argsort(x)
        cumulative = np.cumsum(ds["weight"].values[order])
        intervals[name] = (x[order][np.searchsorted(cumulative, 0.05)], x[order][np.searchsorted(cumulative, 0.95)])
    return intervals
