// `--set key.path=value` overrides on the default county scenario, one per line of the input:
// applied or refused with a ScenarioError, nothing else.
#include <sstream>
#include <string>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/scenario.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& registry = coordsim::fuzz::registry();
  static const coordsim::sim::Scenario base =
      coordsim::sim::parse_scenario(registry.default_scenario_text(), registry.default_scenario_name(), registry);
  coordsim::sim::Scenario scenario = base;
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  std::string assignment;
  while (std::getline(lines, assignment)) {
    try {
      coordsim::sim::apply_override(scenario, assignment, registry);
    } catch (const coordsim::sim::ScenarioError&) {
    }
  }
  return 0;
}
