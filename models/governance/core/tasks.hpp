#pragma once
// Progress, dependencies, completion and synergy of joint tasks (MODEL.md §3.7).
#include <cstdint>
#include <span>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Joint output over the sum of the parts of one task's items. `work` is each item's work content,
// `remaining` what it still needs, `done_step` kNotDone for open items.
//   parallel:      1 by construction (the whole is the sum of its parts, "1+1≈1+1")
//   complementary: bonus x total work / delivered work when every item is done, else 0 (Leontief)
//   sequential:    work of completed items (a prefix of the chain) / delivered work
// With nothing delivered yet: 1 for parallel, 0 otherwise.
double synergy_ratio(Dependency dependency, std::span<const double> work, std::span<const double> remaining,
                     std::span<const std::int64_t> done_step, double bonus) noexcept;

// The task phase: work delivered this step is applied to items in sender order; items are marked
// done on time or late; counts, progress, synergy and completion are updated.
void run_tasks_phase(State& state, const sim::StepContext& context);
// Exposed for tests: one task at one step.
void update_task(State& state, std::size_t task, std::int64_t step);

}  // namespace coordsim::models::governance
