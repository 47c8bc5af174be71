#pragma once
// Small statistics used for the comparison table and by the stylized-fact tests: means with
// Student-t confidence intervals, and paired differences between variants that share random
// numbers.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace coordsim::sim {

struct Interval {
  double mean = 0.0;
  double low = 0.0;
  double high = 0.0;
  std::size_t n = 0;  // finite observations used
};

// Mean and two-sided confidence interval (t distribution, n-1 degrees of freedom). NaNs are
// skipped; with one observation the interval is the point.
Interval mean_interval(std::span<const double> values, double level = 0.95);
// Paired difference treatment - baseline (pairs with a NaN are skipped).
Interval paired_difference(std::span<const double> treatment, std::span<const double> baseline,
                           double level = 0.95);

}  // namespace coordsim::sim
