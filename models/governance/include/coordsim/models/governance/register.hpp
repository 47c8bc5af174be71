#pragma once
// The governance coordination model (MODEL.md), registered under the name "governance".
#include "coordsim/sim/model.hpp"

namespace coordsim::models::governance {
void register_governance(sim::ModelRegistry& registry);
}  // namespace coordsim::models::governance
