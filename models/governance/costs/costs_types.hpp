#pragma once
// The cost rules (ODD 3.9, MODEL.md §4.2): its typed parameters (bound in costs.cpp), its
// structure-of-arrays state (sized once when the world is built; stepping never allocates) and the
// reductions its reporters share. Off or neutral by default, so the core's results are unchanged.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace coordsim::models::governance {

// Cost rules beyond the core's costs.* (§4.2, S0, S1, S4).
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

// Cost rules (§4.2): hours each department spends this step on reports, briefings, consultations.
struct CostState {
  std::vector<double> reporting, consultation;  // per department
};

// Reductions of the last recorded step (its tally), read by its series.
struct CostTally {
  double chasing = 0, meetings = 0, reporting = 0, consultation = 0;
};

}  // namespace coordsim::models::governance
