#pragma once
// The coupled county of MODEL.md version 2 (one society, 条块), registered under the name "society".
#include "coordsim/sim/model.hpp"

namespace coordsim::models::society {
void register_society(sim::ModelRegistry& registry);
}  // namespace coordsim::models::society
