#pragma once
// Shared by the stylized-fact tests (MODEL.md §6): load a scenario from scenarios/, run every
// variant and replication, and read one summary across replications.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "coordsim/models/governance/register.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"
#include "coordsim/sim/statistics.hpp"

namespace coordsim::facts {

class FactRun {
 public:
  explicit FactRun(const std::string& file) : label_(file.substr(0, file.find('_'))) {
    models::governance::register_governance(registry_);
    scenario_ = sim::load_scenario(std::string(COORDSIM_SCENARIO_DIR) + "/" + file, registry_);
    const sim::ExecutionContext execution(0);
    result_ = sim::run_batch(*registry_.find(scenario_.model), scenario_, execution, {});
  }
  const sim::Scenario& scenario() const { return scenario_; }
  const sim::BatchResult& result() const { return result_; }

  // Paired (common random numbers) difference treated - baseline of one summary, printed to the log.
  sim::Interval difference(const std::string& treated, const std::string& baseline, const std::string& name) const {
    const sim::Interval d = sim::paired_difference(summary(treated, name), summary(baseline, name));
    std::printf("%s %s: %s - %s = %.4f [%.4f, %.4f]\n", label_.c_str(), name.c_str(), treated.c_str(), baseline.c_str(),
                d.mean, d.low, d.high);
    return d;
  }

  // One summary of one variant, across replications.
  std::vector<double> summary(const std::string& variant, const std::string& name) const {
    std::size_t v = scenario_.variants.size();
    for (std::size_t k = 0; k < scenario_.variants.size(); ++k)
      if (scenario_.variants[k].name == variant) v = k;
    std::size_t s = result_.layout.summaries.size();
    for (std::size_t k = 0; k < result_.layout.summaries.size(); ++k)
      if (result_.layout.summaries[k].variable.name == name) s = k;
    EXPECT_LT(v, scenario_.variants.size()) << "no variant " << variant;
    EXPECT_LT(s, result_.layout.summaries.size()) << "no summary " << name;
    std::vector<double> values;
    if (v == scenario_.variants.size() || s == result_.layout.summaries.size()) return values;
    for (const auto& replication : result_.summaries[v]) values.push_back(replication[s]);
    return values;
  }

 private:
  std::string label_;
  sim::ModelRegistry registry_;
  sim::Scenario scenario_;
  sim::BatchResult result_;
};

// The run of one scenario of scenarios/, made on first use and shared by every test that asks for it.
inline const FactRun& shared_run(const std::string& file) {
  static std::map<std::string, std::unique_ptr<const FactRun>> runs;
  auto& slot = runs[file];
  if (!slot) slot = std::make_unique<const FactRun>(file);
  return *slot;
}

// "mean [low, high]", for failure messages.
inline std::string describe(const sim::Interval& interval) {
  std::ostringstream out;
  out << interval.mean << " [" << interval.low << ", " << interval.high << "]";
  return out.str();
}

inline void expect_sound_batch(const FactRun& run, std::int64_t minimum_replications) {
  EXPECT_EQ(run.result().failed, 0u);
  EXPECT_GE(run.scenario().run.replications, minimum_replications);
}

}  // namespace coordsim::facts
