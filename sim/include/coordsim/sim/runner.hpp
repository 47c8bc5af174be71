#pragma once
// Running scenarios: one run (variant x replication) through every step and phase, and a batch
// of runs spread over the execution context's threads. Records of finished runs are handed to a
// sink on one dedicated writer thread, so the sink (e.g. the HDF5 writer) needs no locking.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/model.hpp"
#include "coordsim/sim/output.hpp"
#include "coordsim/sim/scenario.hpp"

namespace coordsim::sim {

// Layout for a scenario: the model's outputs with agent counts maximised over variants.
OutputLayout scenario_layout(const Model& model, const Scenario& scenario);

// One run. `execution` is used for parallelism inside the run's phases.
RunRecord run_one(const Model& model, const Scenario& scenario, const OutputLayout& layout,
                  std::size_t variant, std::size_t replication, const ExecutionContext& execution);

struct BatchResult {
  OutputLayout layout;
  // summaries[variant][replication][summary]; NaN for failed runs.
  std::vector<std::vector<std::vector<double>>> summaries;
  std::size_t failed = 0;
  std::vector<std::string> failures;  // "variant/replication: message"
};

using RecordSink = std::function<void(RunRecord&&)>;
using ProgressCallback = std::function<void(std::size_t done, std::size_t total)>;

// Runs every variant x replication. Runs are distributed over the threads; within a run phases
// may use the same arena. The sink is called from a single thread, in completion order.
BatchResult run_batch(const Model& model, const Scenario& scenario, const ExecutionContext& execution,
                      const RecordSink& sink, const ProgressCallback& progress = {});

}  // namespace coordsim::sim
