#pragma once
// The table `coordsim run` prints: each variant x key outcome, mean and 95% confidence interval
// over replications, and the paired difference to the first variant (variants share random
// numbers, so the pairing removes the noise they have in common).
#include <string>
#include <vector>

#include "coordsim/sim/runner.hpp"

namespace coordsim::sim {

std::string comparison_table(const BatchResult& result, const std::vector<std::string>& variant_names);

}  // namespace coordsim::sim
