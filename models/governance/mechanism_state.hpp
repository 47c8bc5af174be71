#pragma once
// The county-level mechanisms' part of the world state: each mechanism's own state (declared in its
// folder, ODD 3.9), the reductions of the last recorded step and the run totals for the summaries.
#include "mechanism_parameters.hpp"

namespace coordsim::models::governance {

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
