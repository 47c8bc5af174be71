#pragma once
#include "coordsim/sim/model.hpp"

namespace helpdesk {
// Offices that receive requests and serve what their capacity allows; one mechanism, a shared
// helpdesk that takes requests off the longest queues.
void register_model(coordsim::sim::ModelRegistry& registry);
}  // namespace helpdesk
