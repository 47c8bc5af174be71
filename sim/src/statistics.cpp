#include "coordsim/sim/statistics.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace coordsim::sim {
namespace {

Interval interval_of(const std::vector<double>& values, double level) {
  Interval out;
  out.n = values.size();
  if (values.empty()) {
    out.mean = out.low = out.high = std::nan("");
    return out;
  }
  double sum = 0.0;
  for (double v : values) sum += v;
  out.mean = sum / static_cast<double>(values.size());
  if (values.size() == 1) {
    out.low = out.high = out.mean;
    return out;
  }
  double squares = 0.0;
  for (double v : values) squares += (v - out.mean) * (v - out.mean);
  const double n = static_cast<double>(values.size());
  const double standard_error = std::sqrt(squares / (n - 1.0) / n);
  const boost::math::students_t distribution(n - 1.0);
  const double t = boost::math::quantile(distribution, 0.5 + level / 2.0);
  out.low = out.mean - t * standard_error;
  out.high = out.mean + t * standard_error;
  return out;
}

}  // namespace

Interval mean_interval(std::span<const double> values, double level) {
  std::vector<double> finite;
  finite.reserve(values.size());
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  return interval_of(finite, level);
}

Interval paired_difference(std::span<const double> treatment, std::span<const double> baseline, double level) {
  std::vector<double> differences;
  const std::size_t n = std::min(treatment.size(), baseline.size());
  differences.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    if (std::isfinite(treatment[i]) && std::isfinite(baseline[i])) differences.push_back(treatment[i] - baseline[i]);
  return interval_of(differences, level);
}

}  // namespace coordsim::sim
