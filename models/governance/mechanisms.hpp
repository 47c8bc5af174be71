#pragma once
// The county-level mechanisms as one phase of the governance model, run after the lead phase and
// before the departments phase: decisions, cost rules, levels, task force, discipline commission.
#include <cstddef>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Sizes the mechanisms' state and makes their setup draws (called by generate_world).
void init_mechanisms(State& state, const sim::Rng& rng);

// The "mechanisms" phase.
void run_mechanisms_phase(State& state, const sim::StepContext& context);

// Hours of `department` this step already spent by the mechanisms phase before it allocates the
// rest: reports, briefings, consultations, training seconded staff (as a lead) and all hours of its
// seconded staff.
inline double mechanism_hours(const State& s, std::size_t department) noexcept {
  const auto& m = s.mechanisms;
  return m.costs.reporting[department] + m.costs.consultation[department] + m.taskforce.lead_training[department] +
         m.taskforce.out[department];
}

}  // namespace coordsim::models::governance
