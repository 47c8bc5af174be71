#pragma once
// Townships (乡镇/街道) and their officials (MODEL.md §3.5): generation, turnover and learning,
// fatigue, and the township phase that splits hours between reporting, downward tasks and
// citizen service.
#include <cstddef>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Fatigue after one step with load/capacity `load`: rises by rise x min(1, load - 1) x (1 - φ)
// when overloaded, falls by recovery x φ otherwise; stays in [0, 1].
double updated_fatigue(const GrassrootsParameters& grassroots, double fatigue, double load) noexcept;
// Probability per step that one official leaves: base + coefficient x fatigue, at most 1.
double turnover_probability(const GrassrootsParameters& grassroots, double fatigue) noexcept;
// Productivity multiplier of fatigue: 1 - κφ.
double fatigue_factor(const GrassrootsParameters& grassroots, double fatigue) noexcept;

// Builds townships, officials, the task plan, the demand pool and the clusters (setup streams
// keyed by township id). Nothing when grassroots.count = 0.
void generate_grassroots(State& state, const sim::Rng& rng);

// The township phase: officials leave and learn, demands arrive, hours go to reporting, then
// rigid and other downward tasks, then citizen service (疲态治理), targets are assessed at the end
// of each period, fatigue is updated. Parallel over townships; each writes only its own state.
void run_townships_phase(State& state, const sim::StepContext& context);
// Exposed for tests: one township at one step.
void step_township(State& state, std::size_t township, const sim::StepContext& context);

}  // namespace coordsim::models::governance
