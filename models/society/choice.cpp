#include "choice.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace coordsim::models::society {

double allocate(std::span<const double> utility, std::span<const double> capacity, double hours, double temperature,
                double idle_utility, std::span<double> hours_out) {
  const std::size_t n = utility.size();
  if (n > kMaxOptions || capacity.size() != n || hours_out.size() != n)
    throw std::invalid_argument("allocate: option spans differ or exceed kMaxOptions");
  std::fill(hours_out.begin(), hours_out.end(), 0.0);
  if (hours <= 0.0) return 0.0;
  std::array<bool, kMaxOptions> open{};
  for (std::size_t j = 0; j < n; ++j) open[j] = capacity[j] > 0.0;
  const double t = std::max(temperature, 1e-12);
  double left = hours;
  // Each pass either places every remaining hour or saturates at least one option: at most n + 1 passes.
  for (std::size_t pass = 0; pass <= n; ++pass) {
    double top = idle_utility;
    for (std::size_t j = 0; j < n; ++j)
      if (open[j]) top = std::max(top, utility[j]);
    std::array<double, kMaxOptions> weight{};
    double total = std::exp((idle_utility - top) / t);
    for (std::size_t j = 0; j < n; ++j)
      if (open[j]) total += weight[j] = std::exp((utility[j] - top) / t);
    bool saturated = false;
    for (std::size_t j = 0; j < n; ++j) {
      if (!open[j]) continue;
      const double share = left * weight[j] / total;
      if (hours_out[j] + share >= capacity[j]) saturated = true;
    }
    if (!saturated) {
      for (std::size_t j = 0; j < n; ++j)
        if (open[j]) hours_out[j] += left * weight[j] / total;
      double used = 0.0;
      for (std::size_t j = 0; j < n; ++j) used += hours_out[j];
      return std::max(0.0, hours - used);
    }
    // Saturate the options whose share exceeds what they can absorb, then re-share the rest.
    for (std::size_t j = 0; j < n; ++j) {
      if (!open[j]) continue;
      const double share = left * weight[j] / total;
      if (hours_out[j] + share >= capacity[j]) {
        left -= capacity[j] - hours_out[j];
        hours_out[j] = capacity[j];
        open[j] = false;
      }
    }
    if (left <= 0.0) return 0.0;
  }
  return left;
}

double binary_choice(double utility_first, double utility_second, double temperature) noexcept {
  const double t = std::max(temperature, 1e-12);
  const double z = (utility_second - utility_first) / t;
  if (z > 700.0) return 0.0;
  return 1.0 / (1.0 + std::exp(z));
}

}  // namespace coordsim::models::society
