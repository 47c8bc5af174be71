#include "comparison_table.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "coordsim/sim/statistics.hpp"

namespace coordsim::sim {
namespace {

std::string number(double value) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[32];
  const double magnitude = std::fabs(value);
  if (magnitude != 0.0 && (magnitude >= 1e5 || magnitude < 1e-3))
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  else if (magnitude >= 100.0)
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
  else
    std::snprintf(buffer, sizeof buffer, "%.3f", value);
  return buffer;
}

std::string with_interval(const Interval& interval) {
  if (interval.n == 0) return "n/a";
  return number(interval.mean) + " [" + number(interval.low) + ", " + number(interval.high) + "]";
}

std::string pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

std::vector<double> column(const BatchResult& result, std::size_t variant, std::size_t summary) {
  std::vector<double> values;
  for (const auto& replication : result.summaries[variant]) values.push_back(replication[summary]);
  return values;
}

}  // namespace

std::string comparison_table(const BatchResult& result, const std::vector<std::string>& variant_names) {
  std::ostringstream out;
  const std::size_t replications = result.summaries.empty() ? 0 : result.summaries.front().size();
  out << "Comparison of variants: mean [95% CI] over " << replications
      << " replications; difference to '" << variant_names.front() << "' paired by replication\n";
  std::size_t name_width = 8;
  for (const auto& name : variant_names) name_width = std::max(name_width, name.size() + 2);

  for (std::size_t s = 0; s < result.layout.summaries.size(); ++s) {
    const auto& spec = result.layout.summaries[s];
    if (!spec.key) continue;
    out << "\n" << spec.variable.name << " (" << spec.variable.units << "): " << spec.variable.long_name << "\n";
    out << "  " << pad("variant", name_width) << pad("mean [95% CI]", 30) << "difference [95% CI]\n";
    const auto baseline = column(result, 0, s);
    for (std::size_t v = 0; v < variant_names.size(); ++v) {
      const auto values = column(result, v, s);
      out << "  " << pad(variant_names[v], name_width) << pad(with_interval(mean_interval(values)), 30);
      if (v == 0) {
        out << "(baseline)";
      } else {
        const Interval difference = paired_difference(values, baseline);
        const bool clear = difference.n > 1 && (difference.low > 0.0 || difference.high < 0.0);
        out << (difference.mean >= 0.0 ? "+" : "") << with_interval(difference) << (clear ? " *" : "");
      }
      out << "\n";
    }
  }
  out << "\n* the 95% interval of the paired difference excludes zero\n";
  return out.str();
}

}  // namespace coordsim::sim
