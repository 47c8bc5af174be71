#pragma once
// The discipline commission (纪委监委, MODEL.md §3.4): referrals, queue, cases, deterrence.
#include <cstdint>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

void declare_discipline_parameters(sim::ParamBindings<Parameters>& bindings);
// Marks the referred tasks (setup draw per task, so a smaller share refers a subset of the tasks a
// larger share refers) and sizes the queue.
void init_discipline(State& state, const sim::Rng& rng);

// Perceived probability that a referred overdue item is held to account:
// audit_probability x min(1, capacity / demand_rate) (f(capacity / referral rate), §3.4).
double perceived_accountability(double audit_probability, double capacity, double demand_rate) noexcept;

// One step of the commission: new referrals, core arrivals (with petitions), casework within
// capacity, outcomes and penalties, perceived accountability for the next allocation.
void run_discipline(State& state, const sim::StepContext& context);

// The λ_acc·p·penalty term of an overdue item of `task` in its owner's utility (§3.1): the first
// slice's constant when the commission is off; the commission's perceived probability for referred
// tasks (and nothing for the others) when it is on. Promotion ties raise the stake of a case.
inline double overdue_accountability(const State& s, std::uint32_t task, double constant_term) noexcept {
  const Parameters& p = s.parameters;
  if (!p.discipline.enabled) return constant_term;
  if (!s.mechanisms.discipline.task_referred[task]) return 0.0;
  return p.allocation.lambda_accountability * s.mechanisms.discipline.p_accountability * p.accountability.penalty *
         (1.0 + p.discipline.promotion_weight);
}

}  // namespace coordsim::models::governance
