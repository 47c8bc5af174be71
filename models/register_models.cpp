#include "coordsim/models/register_models.hpp"

#include <string>

#include "coordsim/models/governance/register.hpp"
#include "coordsim/models/society/register.hpp"

namespace coordsim::models {
void register_all(sim::ModelRegistry& registry) {
  governance::register_governance(registry);
  society::register_society(registry);
  registry.set_default_scenario("county.yaml", std::string(default_scenario_text()));
}
}  // namespace coordsim::models
