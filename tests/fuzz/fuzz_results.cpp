// Result and shard files: `info`, `verify` and `merge` on a file with these bytes either work or
// throw OutputError (BadFileError for damaged input); nothing else may happen.
#include <string>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/results_file.hpp"
#include "coordsim/sim/sweep.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = coordsim::fuzz::scratch_path("fuzz.h5");
  coordsim::fuzz::write_file(path, data, size);
  try {
    static_cast<void>(coordsim::sim::describe_results(path));
  } catch (const coordsim::sim::OutputError&) {
  }
  try {
    static_cast<void>(coordsim::sim::verify_result_file(path));
  } catch (const coordsim::sim::OutputError&) {
  }
  try {
    static_cast<void>(coordsim::sim::merge_sweep_shards(coordsim::fuzz::scratch_path("merged.h5"), {path}, true));
  } catch (const coordsim::sim::OutputError&) {
  }
  return 0;
}
