// The coordsim._core extension module: a thin shell over the engine library, one file per area
// (scenario.cpp, run.cpp, results.cpp, sweep.cpp). The pure-Python package `coordsim` re-exports it.
#include <pybind11/pybind11.h>

#include <string>

#include "bindings.hpp"
#include "coordsim/models/register_models.hpp"
#include "coordsim/sim/version.hpp"

namespace coordsim::bindings {

const sim::ModelRegistry& registry() {
  // Built on first use, after the interpreter imported us: no static-initialisation order games.
  static const sim::ModelRegistry instance = [] {
    sim::ModelRegistry models;
    models::register_all(models);
    return models;
  }();
  return instance;
}

}  // namespace coordsim::bindings

PYBIND11_MODULE(_core, module) {
  namespace bindings = coordsim::bindings;
  module.doc() = "coordsim's engine: scenarios, runs and result files (use the `coordsim` package)";
  module.attr("__version__") = std::string(coordsim::sim::kVersion);
  module.attr("__commit__") = std::string(coordsim::sim::git_commit());
  module.attr("FORMAT_VERSION") = coordsim::sim::kFormatVersion;
  bindings::register_scenario(module);
  bindings::register_run(module);
  bindings::register_results(module);
  bindings::register_sweep(module);
  bindings::register_calibrate(module);
}
