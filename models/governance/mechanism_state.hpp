#pragma once
// Structure-of-arrays state of the county-level mechanisms (discipline commission, task force,
// decisions, levels, cost rules). Sized once when the world is built (mechanisms.cpp); stepping
// never allocates. Empty vectors mean "mechanism off" where noted.
#include <cstdint>
#include <vector>

namespace coordsim::models::governance {

// 纪委监委 (§3.4): one agent; a FIFO ring of referred items and a core-casework backlog.
struct DisciplineState {
  std::vector<std::uint8_t> task_referred;  // per task: overdue items are referred
  std::vector<std::uint8_t> item_referred;  // per item: already referred once
  std::vector<std::uint32_t> queue;         // ring buffer, capacity = items + 1
  std::size_t queue_head = 0, queue_size = 0;
  double core_backlog = 0.0, referral_credit = 0.0;
  double demand_rate = 0.0;        // smoothed referrals + core arrivals per step
  double p_accountability = 0.0;   // perceived probability that an overdue referred item is held to account
  double deterrence = 0.0;         // expected penalty per referred case
  // This step.
  double referrals = 0.0, closed = 0.0, talks = 0.0, accountability_cases = 0.0, core_closed = 0.0;
  std::vector<double> penalties;  // per department, cumulative
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

// Decisions on conflicting goals (F7): per item.
enum class DecisionStatus : std::uint8_t { None, Pending, Mediating, Escalated, Decided };
struct DecisionState {
  std::vector<std::uint8_t> needs;     // per item: the item waits on a decision
  std::vector<std::uint8_t> blocked;   // per item: cannot receive work (read by item_available)
  std::vector<DecisionStatus> status;  // per item
  std::vector<std::int64_t> blocked_since, decided_step;
  double made = 0.0;  // cumulative conflicting decisions made
};

// Three levels (F9): per task, effort at county leadership, lead department, grassroots.
struct LevelState {
  std::vector<double> county, lead, grassroots;
  std::vector<std::uint8_t> grassroots_item;  // per item: implemented by grassroots officials
};

// Cost rules (§4.2): hours each department spends this step on reports, briefings, consultations.
struct CostState {
  std::vector<double> reporting, consultation;  // per department
};

// Reductions of the last recorded step, each written by its mechanism's tally and read by its
// series (and, for the cost rules, the task force's onboarding and training hours).
struct TaskForceTally {
  double seconded = 0, productive = 0, idle = 0, home = 0, onboarding = 0, training = 0;
};
struct DecisionTally {
  double blocked = 0, escalated = 0;
};
struct LevelTally {
  double county = 0, lead = 0, grassroots = 0, open = 0;
};
struct CostTally {
  double chasing = 0, meetings = 0, reporting = 0, consultation = 0;
};
struct MechanismTallies {
  TaskForceTally taskforce;
  DecisionTally decisions;
  LevelTally levels;
  CostTally costs;
};

// Run totals of the mechanisms for the summaries.
struct MechanismTotals {
  double queue_sum = 0.0, core_sum = 0.0, deterrence_sum = 0.0, referrals = 0.0;
  double seconded = 0.0, seconded_productive = 0.0, seconded_idle = 0.0, seconded_home = 0.0;
  double seconded_onboarding = 0.0, lead_training = 0.0, taskforce_work = 0.0;
  double early_seconded = 0.0, early_idle = 0.0;
  double effort_county = 0.0, effort_lead = 0.0, effort_grassroots = 0.0, effort_samples = 0.0;
  double coordination = 0.0;
};

struct MechanismState {
  DisciplineState discipline;
  TaskForceState taskforce;
  DecisionState decisions;
  LevelState levels;
  CostState costs;
  MechanismTotals totals;
  MechanismTallies tallies;
};

}  // namespace coordsim::models::governance
