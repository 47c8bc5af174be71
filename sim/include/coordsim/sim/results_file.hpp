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
  // Temporary files of this output left by dead processes, removed by the constructor.
  const std::vector<std::string>& removed_temporaries() const noexcept { return removed_; }

 private:
  struct Impl;
  std::vector<std::string> removed_;
  std::string path_;
  std::string temporary_path_;
  std::unique_ptr<Impl> impl_;
};

// A plain-words description of a result file for `coordsim info`. Throws OutputError.
std::string describe_results(const std::string& path);

// `coordsim verify`: checks a result file (run or sweep) end to end: every attribute the format
// defines has its type, shape and range, every data variable its shape, and every value of every
// dataset is read back (so HDF5's filters check each chunk: zlib's Adler-32 of the compressed
// chunks, Fletcher-32 where present). Throws BadFileError naming the first fault.
struct VerifyReport {
  std::string text;       // what was checked, in words
  bool complete = true;   // false: a sweep file with runs not done (e.g. a partial merge)
};
VerifyReport verify_result_file(const std::string& path);

// HDF5 registers an atexit cleanup that crashes when a file could not be closed (a full disk, a
// damaged file). Every file coordsim opens is closed explicitly, so command-line programs call
// this first, before any other HDF5 call (it has no effect once HDF5 is initialised).
void disable_hdf5_exit_cleanup() noexcept;

}  // namespace coordsim::sim
