#pragma once
// What the areas of the _core module share: the one model registry (every built-in model) and
// NumPy arrays that adopt C++ buffers. Each area adds itself to the module in register_<area>.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "coordsim/sim/model.hpp"
#include "coordsim/sim/scenario.hpp"

namespace coordsim::bindings {

namespace py = pybind11;

// Every model of this build, registered once on first use (models::register_all).
const sim::ModelRegistry& registry();

// A float64 array of `shape` (C order) over `data`'s buffer, without copying: the vector moves
// into a heap object that a py::capsule owns and that is the array's base, so the memory lives
// exactly as long as the last array or view on it.
py::array_t<double> adopt_buffer(std::vector<double>&& data, const std::vector<py::ssize_t>& shape);

// Sets a scenario value by dotted path as `--set key=value` would, with `value` written as YAML
// (a str stays a string). Throws sim::ScenarioError (raised in Python as coordsim.ScenarioError).
void set_by_path(sim::Scenario& scenario, const std::string& key, py::handle value);

void register_scenario(py::module_& module);  // Scenario, ScenarioError, models, parameter schemas
void register_run(py::module_& module);       // run(): a batch of runs with the GIL released
void register_results(py::module_& module);   // OutputError, describe(): result files
void register_calibrate(py::module_& module);  // calibrate(): ABC-SMC calibration, GIL released
void register_sweep(py::module_& module);     // sweep(), check_sweep(): parameter sweeps, GIL released

}  // namespace coordsim::bindings
