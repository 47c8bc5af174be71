// Sweep files (base scenarios resolved against scenarios/governance/): parse or ScenarioError, nothing else.
#include <string>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/sweep.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    static_cast<void>(coordsim::sim::parse_sweep(text, "fuzz_sweep.yaml", COORDSIM_SCENARIO_DIR, coordsim::fuzz::registry()));
  } catch (const coordsim::sim::ScenarioError&) {
  }
  return 0;
}
