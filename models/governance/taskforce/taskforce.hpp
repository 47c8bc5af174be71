#pragma once
// Task force (工作专班) with seconded staff (抽调人员): MODEL.md §3.7, seed S0.
#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

void declare_taskforce_parameters(sim::ParamBindings<Parameters>& bindings);
void init_taskforce(State& state);

// How one contingent's seconded hours of one step divide (all ≥ 0, summing to `hours`).
struct SecondedSplit {
  double home = 0.0, onboarding = 0.0, task_force = 0.0, idle = 0.0;
};
// `home_room`: home backlog hours the contingent may still take; `has_role`: the task force has
// assigned roles; `onboarding_left`: steps of full-time onboarding still needed. Non-detached staff
// serve home work first, up to home_priority of their hours (自己部门领导安排的活儿先干); without a role
// the rest is idle; with one it goes to onboarding until onboarded, then to task-force work.
SecondedSplit split_seconded(const TaskForceParameters& p, double hours, double home_room, bool has_role,
                             double onboarding_left) noexcept;

// One step: second staff for every open task, split their hours, train newcomers at the lead's
// expense, apply task-force work to the task's open items in deadline order.
void run_taskforce(State& state, const sim::StepContext& context);

}  // namespace coordsim::models::governance
