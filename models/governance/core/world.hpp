#pragma once
// Structure-of-arrays stores of the governance model and the generation of one world.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "coordsim/sim/mailbox.hpp"
#include "coordsim/sim/rng.hpp"
#include "grassroots_state.hpp"
#include "mechanism_state.hpp"
#include "parameters.hpp"
#include "random_streams.hpp"

namespace coordsim::models::governance {


inline constexpr std::uint32_t kNone = ~std::uint32_t{0};
inline constexpr std::int64_t kNotDone = -1;

// Departments (MODEL.md §3.1). Index = department id.
struct Departments {
  std::vector<double> rank, capacity, home_rate, backlog, departmentalism, expertise;
  std::vector<double> orientation;  // [department * goals + goal], sums to 1 per department
  // Hours of the last step, by use. chasing and coordinating_lead are written by the lead phase
  // (leads only); the others by the department phase.
  std::vector<double> chasing, coordinating_lead, meetings, joint_own, doing_others, home, idle;
  // Compressed rows: items owned, task relations held, tasks led.
  std::vector<std::uint32_t> owned_begin, owned;
  std::vector<std::uint32_t> relation_begin, relations;
  std::vector<std::uint32_t> led_begin, led;
  // The most options (home work and items) any department can ever have: the allocation's scratch
  // holds that many, one scratch per thread (allocation.cpp).
  std::uint32_t max_options = 0;
  std::size_t size() const noexcept { return rank.size(); }
};

// Relations (task, participant): the lead's trust and pressure towards one owner in one task.
struct Relations {
  std::vector<std::uint32_t> task, department;
  std::vector<std::uint32_t> item_begin, item_end;  // the owner's items in the task (contiguous)
  std::vector<double> trust, chase_pressure, instruction_pressure, alignment;
  // Constant for a run (ranks do not change): weight of the lead's and of leadership's pressure
  // with this owner, and the probability that the lead chases it.
  std::vector<double> lead_factor, chair_factor, chase_probability;
  std::size_t size() const noexcept { return task.size(); }
};

// Joint tasks (MODEL.md §3.7). Items and relations of a task are contiguous.
struct Tasks {
  std::vector<std::uint32_t> lead;
  std::vector<std::int64_t> start;
  std::vector<double> priority, attention, total_work;
  std::vector<double> lead_alignment;  // goal alignment of the lead with the task
  std::vector<double> claim;             // claim on leadership attention this step
  std::vector<std::uint8_t> guaranteed;  // run by a leading small group: full attention
  std::vector<std::uint32_t> item_begin, relation_begin;
  std::vector<std::uint32_t> escalations;  // received by leadership at the start of this step
  std::vector<std::int64_t> completed_step;
  std::vector<double> done_work, synergy;
  std::vector<std::uint32_t> on_time, late, missing, open;  // item counts, disjoint
  std::size_t size() const noexcept { return lead.size(); }
};

// Work items: owner, hours, deadline, kind and the state of their completion.
struct Items {
  std::vector<std::uint32_t> task, owner, relation, predecessor;
  std::vector<std::uint8_t> material, on_time;
  std::vector<double> work, remaining;
  std::vector<std::int64_t> deadline, done_step;
  std::size_t size() const noexcept { return task.size(); }
};

// Work delivered by a department to an item of a task (department phase -> task phase).
struct WorkDelivery {
  std::uint32_t item;
  double work;  // hours x productivity
};

// Reductions of the last recorded step shared by the core's series (core.cpp).
struct CoreTally {
  double on_time = 0, late = 0, missing = 0, open = 0, progress = 0, completed = 0, synergy = 0;
  double attention = 0, open_tasks = 0;
  double chasing = 0, coordinating = 0, doing_others = 0, joint = 0, trust = 0;
  double cooperation = 0, cooperating = 0;
};

// Totals accumulated over the run for the summaries.
struct RunTotals {
  double lead_chasing = 0.0, lead_coordinating = 0.0, lead_doing_others = 0.0, hours_joint = 0.0;
};

struct State {
  Parameters parameters;
  Departments departments;
  Relations relations;
  Tasks tasks;
  Items items;
  sim::Mailbox<WorkDelivery> work{0, 0};         // department -> task
  sim::Mailbox<std::uint32_t> escalations{0, 0};  // lead department -> task (item id)
  std::uint32_t escalations_posted = 0;           // during the last step
  RunTotals totals;
  CoreTally tally;
  // Each department's cooperation degree, written by the tally at steps whose per-agent outcomes
  // are recorded (it computes the degrees for the mean anyway) and read by their reporter.
  std::vector<double> cooperation_degrees;
  // urgency(deadline) of MODEL.md §3.1 by whole steps of slack, 0 .. the latest deadline: the
  // department phase reads it instead of calling exp for every open item every step.
  std::vector<double> urgency_by_slack;
  // Petitions (越级上访) raised this step; written by the citizen slice when present, read by the
  // discipline commission as extra core casework (MODEL.md §3.4, §3.6). 0 until then.
  double petitions_this_step = 0.0;
  // Leadership attention given this step by the level above the county (a province's share,
  // passed down by the ensemble of scale.cpp); adds to leadership.attention_budget. 0 for one county.
  double upper_attention = 0.0;
  MechanismState mechanisms;  // discipline, task force, decisions, levels, cost rules
  GrassrootsState grassroots;  // townships, officials, citizen demands, clusters (grassroots.cpp)
  sim::Extensions extensions;  // state of mechanisms that keep their own (sim/extensions.hpp)
};

// Generates the core stores of `state` (whose parameters are set) from setup streams keyed by
// department and task ids, so that variants that change only mechanisms see the same departments,
// tasks and items.
void generate_core(State& state, const sim::Rng& rng);
// A whole world: the core, then every mechanism's initialisation (composition.hpp).
State generate_world(const Parameters& parameters, const sim::Rng& rng);

// True when the item can receive work at `step`: open, its task started, its predecessor done.
inline bool item_available(const State& s, std::uint32_t item, std::int64_t step) noexcept {
  if (s.items.done_step[item] != kNotDone) return false;
  if (s.tasks.start[s.items.task[item]] > step) return false;
  if (!s.mechanisms.decisions.blocked.empty() && s.mechanisms.decisions.blocked[item]) return false;
  const std::uint32_t before = s.items.predecessor[item];
  return before == kNone || s.items.done_step[before] != kNotDone;
}

inline bool task_open(const State& s, std::uint32_t task, std::int64_t step) noexcept {
  return s.tasks.start[task] <= step && s.tasks.completed_step[task] == kNotDone;
}

}  // namespace coordsim::models::governance
