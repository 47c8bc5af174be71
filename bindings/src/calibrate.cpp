// Calibration from Python (coordsim.calibrate): a calibration file goes through the same parser,
// validation and runner (journal, resume, HDF5 file) as `coordsim calibrate`, with the GIL
// released. Reading the file back as xarray is Python's.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

#include "bindings.hpp"
#include "coordsim/sim/calibration.hpp"

namespace coordsim::bindings {

void register_calibrate(py::module_& module) {
  module.def(
      "calibrate",
      [](const std::string& calibration_path, const std::string& output, int threads, bool resume) {
        if (threads < 0) throw py::value_error("threads must be >= 0 (0: all cores), found " + std::to_string(threads));
        const sim::Calibration calibration = sim::load_calibration(calibration_path, registry());
        sim::CalibrationRunOptions options;
        options.output = output;
        options.threads = threads;
        options.resume = resume;
        sim::CalibrationOutcome outcome;
        {
          py::gil_scoped_release release;
          outcome = sim::run_calibration(calibration, registry(), options);
        }
        py::dict out;
        out["output"] = output;
        out["generations"] = outcome.generations;
        out["simulated"] = outcome.simulated;
        out["resumed"] = outcome.resumed;
        out["stop_reason"] = outcome.stop_reason;
        return out;
      },
      py::arg("calibration"), py::arg("output"), py::arg("threads") = 0, py::arg("resume") = false,
      "Run a calibration file (sim/CALIBRATION.md) into `output`, as `coordsim calibrate`.");
}

}  // namespace coordsim::bindings
