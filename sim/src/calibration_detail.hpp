#pragma once
// Internal pieces of calibration: one generation's population as the algorithm keeps it and as
// the result file stores it. Not installed.
#include <cstdint>
#include <string>
#include <vector>

#include "coordsim/sim/calibration.hpp"

namespace coordsim::sim::calibration_detail {

struct Generation {
  // The population after selection, particles in the order the selection ranked them.
  std::vector<double> values;     // particles x parameters
  std::vector<double> weights;    // unnormalised importance weights (prior / proposal density)
  std::vector<double> distances;  // particles
  std::vector<double> simulated;  // particles x targets
  std::vector<std::int64_t> born;      // generation in which the particle was proposed
  std::vector<std::int64_t> proposal;  // its index in that generation's batch
  std::vector<std::uint64_t> seeds;    // its scenario seed
  double tolerance = 0.0;   // largest distance kept
  double acceptance = 0.0;  // proposals of this generation kept / proposals of this generation
  double ess = 0.0;         // (sum w)^2 / sum w^2
  std::size_t proposals = 0, simulated_particles = 0, failed = 0;
};

// Writes the result file (under a temporary name, then renamed).
void write_calibration_file(const std::string& path, const Calibration& calibration,
                            const std::vector<double>& scales, const std::vector<Generation>& generations,
                            const std::string& stop_reason);

}  // namespace coordsim::sim::calibration_detail
