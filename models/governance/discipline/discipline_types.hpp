#pragma once
// The discipline commission (纪委监委, ODD 3.9, MODEL.md §3.4): its typed parameters (bound in
// discipline.cpp), its structure-of-arrays state (sized once when the world is built; stepping
// never allocates) and the reductions its reporters share. Off or neutral by default, so the core's
// results are unchanged.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace coordsim::models::governance {

// 纪委监委 (§3.4, S4 "纪委监委包打天下").
struct DisciplineParameters {
  bool enabled;
  double referral_share;  // share of tasks whose overdue items are referred (1 = every task)
  std::int64_t refer_after;
  double capacity, core_arrivals, petition_cases;
  double audit_probability, accountability_share, penalty_talk, penalty_accountability;
  double case_pressure, perception_rate, promotion_weight;
};

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

}  // namespace coordsim::models::governance
