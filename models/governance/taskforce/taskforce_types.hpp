#pragma once
// The task force with seconded staff (工作专班, ODD 3.9, MODEL.md §3.7): its typed parameters (bound in
// taskforce.cpp), its structure-of-arrays state (sized once when the world is built; stepping never
// allocates) and the reductions its reporters share. Off or neutral by default, so the core's
// results are unchanged.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace coordsim::models::governance {

// 工作专班 with 抽调人员 (§3.7, S0).
struct TaskForceParameters {
  bool enabled;
  double seconded_per_participant, max_share;
  bool role_assignment;
  std::int64_t role_delay;
  double onboarding_steps, training_hours, outside_expertise;
  bool detached;
  double home_priority;
  std::int64_t early_steps;
};

// 工作专班 (§3.7): one seconded contingent per task relation (participant department in a task).
struct TaskForceState {
  std::vector<double> onboarding_left;  // per relation, steps of full-time onboarding still needed
  std::vector<double> seconded;         // per relation, hours seconded this step
  std::vector<double> productive, idle, home, onboarding;  // per relation, this step
  // Per department, this step: hours out of the home pool (all seconded hours), by use.
  std::vector<double> out, dept_productive, dept_idle, dept_home, dept_onboarding, lead_training;
  std::vector<std::uint32_t> item_order;  // per task, items by deadline (contiguous like items)
  std::vector<double> task_hours, task_work;  // per task scratch
  double work_delivered = 0.0;                // this step, all task forces
};

// Reductions of the last recorded step (its tally), read by its series.
struct TaskForceTally {
  double seconded = 0, productive = 0, idle = 0, home = 0, onboarding = 0, training = 0;
};

}  // namespace coordsim::models::governance
