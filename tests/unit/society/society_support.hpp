#pragma once
// Shared by the society model's tests: the county scenario (scenarios/county.yaml) or a fact scenario
// (scenarios/fN_*.yaml, the county plus at most three changes per variant) with overrides,
// and paired comparisons of its variants on common random numbers (MODEL.md §7).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include "coordsim/models/society/register.hpp"
#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"
#include "coordsim/sim/statistics.hpp"
#include "determinism.hpp"

namespace coordsim::models::society {

inline sim::ModelRegistry& registry() {
  static sim::ModelRegistry instance = [] {
    sim::ModelRegistry r;
    register_society(r);
    return r;
  }();
  return instance;
}

// A scenario file of scenarios/ with command-line style overrides applied to it and every variant.
inline sim::Scenario scenario_file(const std::string& file, std::initializer_list<std::string> overrides = {}) {
  auto scenario = sim::load_scenario(std::string(COORDSIM_SCENARIO_DIR) + "/" + file, registry());
  for (const auto& o : overrides) sim::apply_override(scenario, o, registry());
  return scenario;
}

inline sim::Scenario county(std::initializer_list<std::string> overrides = {}) {
  return scenario_file("county.yaml", overrides);
}

// Runs the named variants of a scenario (every replication) and returns one summary of each.
struct Runs {
  sim::Scenario scenario;
  sim::BatchResult result;
  // Every variant when `keep` is empty.
  explicit Runs(sim::Scenario s, std::vector<std::string> keep = {}) : scenario(std::move(s)) {
    std::erase_if(scenario.variants, [&](const sim::Variant& v) {
      return !keep.empty() && std::find(keep.begin(), keep.end(), v.name) == keep.end();
    });
    const sim::ExecutionContext execution(0);
    result = sim::run_batch(*registry().find(scenario.model), scenario, execution, {});
  }
  std::vector<double> summary(const std::string& variant, const std::string& name) const {
    std::vector<double> values;
    const auto s = coordsim::test_support::summary_index(result.layout, name);
    for (std::size_t v = 0; v < scenario.variants.size(); ++v)
      if (scenario.variants[v].name == variant)
        for (const auto& replication : result.summaries[v]) values.push_back(replication[s]);
    EXPECT_FALSE(values.empty()) << variant;
    return values;
  }
  sim::Interval difference(const std::string& treated, const std::string& name,
                           const std::string& baseline = "baseline") const {
    const auto d = sim::paired_difference(summary(treated, name), summary(baseline, name));
    std::printf("%s: %s - %s = %.4g [%.4g, %.4g]\n", name.c_str(), treated.c_str(), baseline.c_str(), d.mean, d.low,
                d.high);
    ::testing::Test::RecordProperty(treated + "_" + name, std::to_string(d.mean) + " [" + std::to_string(d.low) + ", " +
                                                             std::to_string(d.high) + "]");
    return d;
  }
};

// Paired difference of one summary of one variant between two runs of the county that differ in
// their overrides (same seeds: common random numbers), recorded like Runs::difference.
inline sim::Interval paired(const Runs& treated, const Runs& baseline, const std::string& name,
                            const std::string& label, const std::string& variant = "baseline") {
  const auto d = sim::paired_difference(treated.summary(variant, name), baseline.summary(variant, name));
  std::printf("%s %s: %.4g [%.4g, %.4g]\n", label.c_str(), name.c_str(), d.mean, d.low, d.high);
  ::testing::Test::RecordProperty(label + "_" + name,
                                  std::to_string(d.mean) + " [" + std::to_string(d.low) + ", " + std::to_string(d.high) + "]");
  return d;
}

// Mean and 95 % interval of one summary of one variant, recorded.
inline sim::Interval level(const Runs& runs, const std::string& name, const std::string& label,
                           const std::string& variant = "baseline") {
  const auto values = runs.summary(variant, name);
  const auto m = sim::mean_interval(values);
  std::printf("%s %s: %.4g [%.4g, %.4g]\n", label.c_str(), name.c_str(), m.mean, m.low, m.high);
  ::testing::Test::RecordProperty(label + "_" + name,
                                  std::to_string(m.mean) + " [" + std::to_string(m.low) + ", " + std::to_string(m.high) + "]");
  return m;
}

}  // namespace coordsim::models::society
