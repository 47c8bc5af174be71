#pragma once
// The lead department's role in a joint task (MODEL.md §3.2): chasing, trust, escalation.
#include <algorithm>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Probability that a lead of effective rank `lead_rank` chases a late owner of rank
// `owner_rank`: base when the owner does not outrank the lead, falling exponentially with the gap.
double chase_probability(double base, double sensitivity, double owner_rank, double lead_rank) noexcept;
// Trust after one chase: falls by loss x gap only when the owner outranks the lead.
inline double trust_after_chase(double trust, double loss, double owner_rank, double lead_rank) noexcept {
  const double gap = owner_rank - lead_rank;
  return gap > 0.0 ? std::max(0.0, trust - loss * gap) : trust;
}
// Trust after one step of recovery towards its baseline.
inline double trust_recovered(double trust, double baseline, double rate) noexcept {
  return trust + rate * (baseline - trust);
}
// How much pressure from a chaser of rank `chaser_rank` weighs with an owner of rank `owner_rank`.
double rank_factor(double authority, double chaser_rank, double owner_rank) noexcept;
// The pressure of the lead and of leadership on an owner in one task relation (§3.1 chase_pressure).
inline double owner_pressure(const State& s, std::uint32_t r) noexcept {
  const auto& rel = s.relations;
  return rel.chase_pressure[r] * rel.trust[r] * rel.lead_factor[r] + rel.instruction_pressure[r] * rel.chair_factor[r];
}

// The lead phase: every lead department checks its tasks' items, chases, escalates.
void run_lead_phase(State& state, const sim::StepContext& context);
// Exposed for tests: one lead department at one step.
void lead_department(State& state, std::size_t department, const sim::StepContext& context);

}  // namespace coordsim::models::governance
