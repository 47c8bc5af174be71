#pragma once
// Conflicting goals and blocked decisions (MODEL.md §3.3, §6 F7; seed S4 卫生院 siting).
#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

void declare_decision_parameters(sim::ParamBindings<Parameters>& bindings);
// Draws which items wait on a decision (setup stream per item).
void init_decisions(State& state, const sim::Rng& rng);

// Probability that leadership settles an escalated conflict in one step: rate x attention.
inline double leadership_decision_probability(double rate, double attention) noexcept {
  const double p = rate * attention;
  return p < 0.0 ? 0.0 : (p > 1.0 ? 1.0 : p);
}

// One step: decision items that become ready are decided at once when the owner's goals agree
// with the task's, blocked otherwise; a lead with decision power settles blocked items itself, a
// mediating-only lead escalates them after decisions.mediation_steps; leadership settles escalated
// ones with a probability rising with its attention to the task.
void run_decisions(State& state, const sim::StepContext& context);

}  // namespace coordsim::models::governance
