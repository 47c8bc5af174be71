#pragma once
// Cost rules of coordination (MODEL.md §4.2): reports, regular briefings, joint consultations and
// the information-sharing platform.
#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Binds the cost rules' parameters (costs_mechanism adds the sharing platform's rescaling of the
// core's hours per chase, meeting, lead overhead and escalation by costs.platform_factor).
void declare_cost_rule_parameters(sim::ParamBindings<Parameters>& bindings);
void init_costs(State& state);

// True on the steps of an open task when a rule with period `every` (> 0) applies.
inline bool period_due(std::int64_t every, std::int64_t age) noexcept { return every > 0 && age % every == 0; }

// One step: hours of reports, briefings and consultations charged to every department (capped by
// what the lead phase left), briefing pressure on late owners, consultations clearing blocked
// decisions.
void run_costs(State& state, const sim::StepContext& context);

}  // namespace coordsim::models::governance
