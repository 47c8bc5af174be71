#pragma once
// The hook between the county-level mechanisms and the departments' allocation (MODEL.md §3.1,
// §4.2): hours a department has already committed this step before it allocates the rest.
#include <cstddef>

#include "world.hpp"

namespace coordsim::models::governance {

// Hours of `department` this step already spent in the mechanisms phase before it allocates the
// rest: reports, briefings, consultations (cost rules), training seconded staff as a lead and all
// hours of its seconded staff (task force).
inline double mechanism_hours(const State& s, std::size_t department) noexcept {
  const auto& m = s.mechanisms;
  return m.costs.reporting[department] + m.costs.consultation[department] + m.taskforce.lead_training[department] +
         m.taskforce.out[department];
}

}  // namespace coordsim::models::governance
