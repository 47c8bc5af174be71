#pragma once
// The HDF5 result file (C API behind a thin RAII layer). Layout (format version 1):
//   /                 attributes: coordsim_version, format_version, model, scenario (resolved
//                     YAML), seed, replications, steps, variants (string array), agent_every
//   /series/<name>    float64 (variant, replication, step)
//   /summary/<name>   float64 (variant, replication)
//   /agents/<kind>/<name>  float64 (variant, replication, step, agent)
// Each group holds its own coordinate variables (variant: strings, replication, step, agent:
// int64) attached as HDF5 dimension scales, so xarray (h5netcdf engine) reads named dimensions.
// Every dataset has `units` and `long_name`. Data is chunked per run, shuffled and deflated.
// The file is written under a temporary name and renamed by commit(): an interrupted run never
// leaves a truncated file under the final name.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "coordsim/sim/output.hpp"

namespace coordsim::sim {

struct Scenario;

struct ResultMetadata {
  std::string model;
  std::string scenario_yaml;
  std::uint64_t seed = 0;
  std::vector<std::string> variants;
  std::size_t replications = 0;
  std::size_t steps = 0;
  bool agents = true;
  std::size_t agent_every = 1;
};

// A scenario's metadata: result_metadata() in runner.hpp.

class ResultWriter {
 public:
  // Creates `<path>.tmp-<pid>` with the whole layout; throws OutputError when it cannot.
  ResultWriter(std::string path, ResultMetadata metadata, OutputLayout layout);
  ~ResultWriter();  // removes the temporary file unless commit() succeeded
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  // Writes one run's record into its (variant, replication) slot. One thread at a time.
  void write(const RunRecord& record);
  // Closes the file and renames it to the final path.
  void commit();

  const std::string& path() const noexcept { return path_; }
  const std::string& temporary_path() const noexcept { return temporary_path_; }

 private:
  struct Impl;
  std::string path_;
  std::string temporary_path_;
  std::unique_ptr<Impl> impl_;
};

// A plain-words description of a result file for `coordsim info`. Throws OutputError.
std::string describe_results(const std::string& path);

}  // namespace coordsim::sim
