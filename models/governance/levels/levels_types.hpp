#pragma once
// The three levels (上热、中温、下凉, ODD 3.9, F9): its typed parameters (bound in levels.cpp), its
// structure-of-arrays state (sized once when the world is built; stepping never allocates) and the
// reductions its reporters share. Off or neutral by default, so the core's results are unchanged.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace coordsim::models::governance {

// 上热、中温、下凉 (F9, S4): county leadership, lead department, grassroots implementation.
struct LevelParameters {
  bool enabled;
  double engagement_county, engagement_lead, engagement_grassroots;
  double pass_through, grassroots_share, minimum_effort;
};

// Three levels (F9): per task, effort at county leadership, lead department, grassroots.
struct LevelState {
  std::vector<double> county, lead, grassroots;
  std::vector<std::uint8_t> grassroots_item;  // per item: implemented by grassroots officials
};

// Reductions of the last recorded step (its tally), read by its series.
struct LevelTally {
  double county = 0, lead = 0, grassroots = 0, open = 0;
};

}  // namespace coordsim::models::governance
