#pragma once
// Three levels of a joint task (MODEL.md §6 F9; seed S4 "上热、中温、下凉").
#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

void declare_level_parameters(sim::ParamBindings<Parameters>& bindings);
// Draws which items are implemented at the grassroots (setup stream per item).
void init_levels(State& state, const sim::Rng& rng);

struct LevelEffort {
  double county, lead, grassroots;
};
// Effort at the three levels for a task with leadership attention `attention`: the county level's
// own engagement raises its effort above attention; each lower level passes on its upper level's
// effort fully when engaged and only pass_through of it when not.
LevelEffort level_effort(const LevelParameters& p, double attention) noexcept;

// One step: effort per level for every task.
void run_levels(State& state, const sim::StepContext& context);

// What owners feel of the top's push in the allocation (λ_att term): the task's attention when
// levels are off, the lead level's effort when on.
inline double felt_attention(const State& s, std::uint32_t task) noexcept {
  return s.parameters.levels.enabled ? s.mechanisms.levels.lead[task] : s.tasks.attention[task];
}
// Productivity multiplier of an owner on `item`: 1 unless the item is implemented at the
// grassroots, where it is the grassroots effort (floored at levels.minimum_effort).
inline double implementation_factor(const State& s, std::uint32_t item) noexcept {
  if (!s.parameters.levels.enabled || !s.mechanisms.levels.grassroots_item[item]) return 1.0;
  const double e = s.mechanisms.levels.grassroots[s.items.task[item]];
  const double floor = s.parameters.levels.minimum_effort;
  return e > floor ? e : floor;
}

}  // namespace coordsim::models::governance
