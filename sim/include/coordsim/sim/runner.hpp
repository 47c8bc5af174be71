#pragma once
// Running scenarios: one run (variant x replication) through every step and phase, and a batch
// of runs spread over the execution context's threads. Records of finished runs are handed to a
// sink on one dedicated writer thread, so the sink (e.g. the HDF5 writer) needs no locking.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/model.hpp"
#include "coordsim/sim/output.hpp"
#include "coordsim/sim/profile.hpp"
#include "coordsim/sim/results_file.hpp"
#include "coordsim/sim/scenario.hpp"

namespace coordsim::sim {

// Layout for a scenario: the model's outputs with agent counts maximised over variants.
OutputLayout scenario_layout(const Model& model, const Scenario& scenario);

// The metadata of a scenario's result file; the CLI and the Python bindings both use it, so their
// files are identical for the same scenario and seed.
ResultMetadata result_metadata(const Scenario& scenario);

// Everything one run needs, resolved: its parameters, seed, replication, length and what it
// records. `coordsim run` (run_batch), the Python bindings and the sweep runner all build one per
// run and go through run_one below, so a sweep point is bit for bit the run `coordsim run` makes
// with the same parameters and seed. The parameters are borrowed: they must outlive the run.
struct RunSpec {
  const ParamSet& parameters;
  std::uint64_t seed = 1;
  std::size_t variant = 0;  // index written into the record
  std::size_t replication = 0;
  std::size_t steps = 0;
  OutputSettings output;
};

// The spec of run (variant, replication) of a scenario.
RunSpec run_spec(const Scenario& scenario, std::size_t variant, std::size_t replication);

// One run. `execution` is used for parallelism inside the run's phases. With a profile, the time
// of generation, of each phase, of recording and of summarizing is added to its parts.
RunRecord run_one(const Model& model, const RunSpec& spec, const OutputLayout& layout, const ExecutionContext& execution,
                  Profile* profile = nullptr);
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
// may use the same arena. The sink is called from a single thread, in completion order. With a
// profile, the runs are made one after another on the calling thread (phases still use every
// thread), each record is handed to the sink before the next run (part "writing"), so that the
// parts add up to the batch's time; results are the same.
BatchResult run_batch(const Model& model, const Scenario& scenario, const ExecutionContext& execution,
                      const RecordSink& sink, const ProgressCallback& progress = {}, Profile* profile = nullptr);

// What a run or sweep will need, estimated before anything is allocated, and what the machine
// offers: available memory (the smaller of the cgroup's limit minus its usage, MemAvailable and
// RLIMIT_AS) and free space on the output's file system.
struct ResourceEstimate {
  std::uint64_t memory_bytes = 0;       // peak resident memory
  std::uint64_t output_bytes = 0;       // result file (and journal), uncompressed upper bound
  std::uint64_t available_memory = 0;   // 0: unknown
  std::uint64_t free_disk = 0;          // 0: unknown
  bool memory_ok() const noexcept { return available_memory == 0 || memory_bytes <= available_memory; }
  bool disk_ok() const noexcept { return free_disk == 0 || output_bytes <= free_disk; }
  // "peak memory about 1.2 GiB (31 GiB available); output at most 380 MiB (120 GiB free)"
  std::string describe() const;
};
// Fills available_memory and free_disk for an output file.
void measure_machine(ResourceEstimate& estimate, const std::string& output);
// The estimate of `coordsim run` for this scenario on `threads` worker threads.
ResourceEstimate estimate_run(const Model& model, const Scenario& scenario, int threads, const std::string& output);
// Bytes as "512 B", "3.4 MiB", "1.2 GiB".
std::string format_bytes(std::uint64_t bytes);

}  // namespace coordsim::sim
