// Scenario files: any text either parses or is refused with a ScenarioError; nothing else may
// escape (another exception, a crash, a sanitizer report).
#include <string>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/scenario.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto scenario = coordsim::sim::parse_scenario(text, "fuzz.yaml", coordsim::fuzz::registry());
    // A parsed scenario must survive its own round trip.
    static_cast<void>(coordsim::sim::parse_scenario(scenario.resolved_yaml(), "resolved.yaml", coordsim::fuzz::registry()));
  } catch (const coordsim::sim::ScenarioError&) {
  }
  return 0;
}
