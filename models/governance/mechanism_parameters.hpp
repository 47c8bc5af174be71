#pragma once
// Typed parameters of the county-level mechanisms (MODEL.md §3.3 decisions, §3.4 discipline
// commission, §3.7 task force, §4.2 cost rules, F9 three levels). Each block is declared (bound to
// these members) by its own mechanism file (discipline.cpp, taskforce.cpp, decisions.cpp, levels.cpp, costs.cpp);
// every mechanism is off or neutral by default, so the first slice's results are unchanged.
#include <cstdint>

#include "coordsim/sim/param.hpp"

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

// Conflicting goals and blocked decisions (F7, S4 卫生院 siting).
struct DecisionParameters {
  bool enabled;
  double item_share, conflict_alignment;
  bool lead_decides;
  double lead_decision_probability;
  std::int64_t mediation_steps;
  double leadership_decision_rate;
};

// 上热、中温、下凉 (F9, S4): county leadership, lead department, grassroots implementation.
struct LevelParameters {
  bool enabled;
  double engagement_county, engagement_lead, engagement_grassroots;
  double pass_through, grassroots_share, minimum_effort;
};

// Cost rules beyond costs.* of the first slice (§4.2, S0, S1, S4).
struct CostRuleParameters {
  double report_hours;
  std::int64_t report_every;
  double briefing_hours;
  std::int64_t briefing_every;
  double briefing_pressure;
  double consultation_hours;
  std::int64_t consultation_every;
  double consultation_clear;
  bool sharing_platform;
  double platform_factor;
};

}  // namespace coordsim::models::governance
