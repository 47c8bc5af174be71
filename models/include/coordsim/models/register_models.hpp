#pragma once
// Registers every model built into this coordsim and sets the embedded default scenario.
#include <string_view>

#include "coordsim/sim/model.hpp"

namespace coordsim::models {
void register_all(sim::ModelRegistry& registry);
std::string_view default_scenario_text();  // scenarios/county.yaml, embedded at build time
}  // namespace coordsim::models
