// Parameter sweeps from Python (coordsim.sweep): the sweep is given as the text of a sweep file
// without `base` (written by the Python layer) plus the base Scenario, so it goes through the same
// parser and validation as `coordsim sweep SWEEP.yaml`, and through the same runner (journal, then
// assembly of the HDF5 file), with the GIL released. Reading the file back as xarray is Python's.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <exception>
#include <functional>
#include <optional>
#include <string>

#include "bindings.hpp"
#include "coordsim/sim/error.hpp"
#include "coordsim/sim/sweep.hpp"

namespace coordsim::bindings {
namespace {

constexpr const char* kSource = "coordsim.sweep()";

using Progress = std::function<void(std::size_t, std::size_t)>;

sim::Sweep parse(const sim::Scenario& base, const std::string& text) {
  try {
    return sim::parse_sweep(text, kSource, base, registry());
  } catch (const sim::ScenarioError& error) {
    // Lines and columns would point into the generated text, not at anything the caller wrote.
    throw sim::ScenarioError(sim::SourceLocation{kSource, 0, 0}, error.key_path(), error.problem());
  }
}

py::dict describe(const sim::Sweep& sweep) {
  py::dict out;
  out["model"] = sweep.model;
  out["design"] = sim::to_string(sweep.design);
  out["runs"] = sweep.runs;
  out["variants"] = sweep.variant_count();
  out["replications"] = sweep.replications;
  out["steps"] = sweep.steps;
  py::list parameters;
  for (const auto& parameter : sweep.parameters) parameters.append(parameter.path);
  out["parameters"] = parameters;
  return out;
}

py::dict check(const sim::Scenario& base, const std::string& text) { return describe(parse(base, text)); }

py::dict sweep(const sim::Scenario& base, const std::string& text, const std::string& output, int threads,
               bool resume, const std::optional<Progress>& progress) {
  if (threads < 0) throw py::value_error("threads must be >= 0 (0: all cores), found " + std::to_string(threads));
  const sim::Sweep parsed = parse(base, text);
  sim::SweepRunOptions options;
  options.output = output;
  options.threads = threads;
  options.resume = resume;
  std::exception_ptr progress_error;
  if (progress) {
    // Called from the runner's threads: take the GIL for the Python callback only. An exception
    // from it is kept and raised once the sweep is done (the runner cannot be stopped).
    options.progress = [&](std::size_t done, std::size_t total) {
      py::gil_scoped_acquire acquire;
      if (progress_error) return;
      try {
        (*progress)(done, total);
      } catch (...) {
        progress_error = std::current_exception();
      }
    };
  }
  sim::SweepOutcome outcome;
  {
    py::gil_scoped_release release;
    outcome = sim::run_sweep(parsed, registry(), options);
  }
  if (progress_error) std::rethrow_exception(progress_error);
  py::dict out = describe(parsed);
  out["output"] = output;
  out["runs_in_scope"] = outcome.runs_in_scope;
  out["resumed"] = outcome.resumed;
  out["computed"] = outcome.computed;
  out["failed"] = outcome.failed;
  out["failures"] = outcome.failures;
  return out;
}

}  // namespace

void register_sweep(py::module_& module) {
  module.def("check_sweep", &check, py::arg("scenario"), py::arg("text"),
             R"doc(
Parse and validate a sweep (the text of a sweep file without `base`; `scenario` is the base)
exactly as `coordsim sweep` does, without running it. Returns {model, design, runs, variants,
replications, steps, parameters}. Invalid input raises ScenarioError (file 'coordsim.sweep()').
)doc");
  module.def("sweep", &sweep, py::arg("scenario"), py::arg("text"), py::kw_only(), py::arg("output"),
             py::arg("threads") = 0, py::arg("resume") = false, py::arg("progress") = py::none(),
             R"doc(
Run a sweep (the text of a sweep file without `base`; `scenario` is the base) through the
command line's sweep runner with the GIL released, writing the result file `output` (journal
`output`.journal while it runs). Low level: use coordsim.sweep for xarray. Returns what
check_sweep returns plus output, runs_in_scope, resumed, computed, failed, failures.
`progress(done, total)` is called with the GIL held.
)doc");
}

}  // namespace coordsim::bindings
