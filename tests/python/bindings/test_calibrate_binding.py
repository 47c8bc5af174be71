"""coordsim.calibrate from Python gives the same file as `coordsim calibrate`."""
import coordsim
import numpy as np
import xarray as xr


def test_calibrate_returns_the_file_the_command_line_writes(run_cli, scenarios_dir, tmp_path):
    example = scenarios_dir / "governance" / "calibration_example.yaml"
    ds = coordsim.calibrate(example, out=tmp_path / "python.h5", threads=2)
    result = run_cli("calibrate", example, "-o", tmp_path / "cli.h5", "--quiet", "--threads", 1)
    assert result.returncode == 0, result.stderr
    cli = xr.load_dataset(tmp_path / "cli.h5", engine="h5netcdf")
    for name in ("value", "weight", "distance", "simulated", "tolerance", "ess"):
        assert ds[name].values.tobytes() == cli[name].values.tobytes(), name
    assert list(ds["parameter"].values) == ["lead.rank", "allocation.temperature"]
    assert np.isclose(float(ds["weight"].isel(generation=-1).sum()), 1.0)
