// The grassroots and citizen layer inside the whole model: output layout, no effect on the
// department-level results, conservation of hours and demands for random parameter draws, nothing
// NaN where it is defined, and identical records for 1 and 4 threads.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "coordsim/models/governance/register.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"
#include "composition.hpp"
#include "determinism.hpp"
#include "grassroots_support.hpp"

namespace coordsim::models::governance {
namespace {

using test_support::series_index;
using test_support::summary_index;
using test_support::variable_index;

const sim::Model& model(sim::ModelRegistry& registry) {
  register_governance(registry);
  return *registry.find("governance");
}

TEST(GrassrootsLayout, TheLayerAddsItsOutputsAfterTheCountyMechanisms) {
  Parameters p = Parameters::read(testing::parameters({{"grassroots.count", std::int64_t{7}}}));
  p.departments.count = 10;
  p.tasks.count = 2;
  const sim::OutputLayout layout = make_layout(p);
  // The layer's series come last (the county's results keep their positions without it).
  EXPECT_GT(series_index(layout, "township_load_ratio"), series_index(layout, "cost_hours_onboarding"));
  EXPECT_EQ(layout.series.back().name, "demands_without_travel");
  EXPECT_GT(summary_index(layout, "township_fatigue_mean"), summary_index(layout, "onboarding_hours_total"));
  EXPECT_EQ(layout.summaries.back().variable.name, "trips_per_demand");
  const std::size_t township = test_support::kind_index(layout, "township");
  EXPECT_EQ(township, 2u);  // after departments and tasks
  EXPECT_EQ(layout.agent_kinds[township].count, 7u);
  EXPECT_EQ(layout.agent_kinds[township].variables.size(), 14u);
  EXPECT_EQ(variable_index(layout, "township", "productivity"), 13u);
  for (const auto& v : layout.series) EXPECT_NE(v.units, "hours") << v.name;  // "h": xarray decodes "hours"
  // Names are dataset names in one HDF5 group: no two may clash.
  std::set<std::string> series, summaries;
  for (const auto& v : layout.series) EXPECT_TRUE(series.insert(v.name).second) << v.name;
  for (const auto& v : layout.summaries) EXPECT_TRUE(summaries.insert(v.variable.name).second) << v.variable.name;
}

constexpr const char* kLayerScenario = R"(model: governance
run: { steps: 80, seed: 7, replications: 1 }
output: { agents: true, agent_every: 1 }
parameters:
  departments: { count: 40 }
  tasks: { count: 6, participants: 10, start_max: 10 }
  grassroots: { count: 14, tasks: 5, task_hours: 12.0, turnover_fatigue: 0.05 }
  targets: { dispatched: 4, levels: 2, conflict: true, assessment_every: 10 }
  citizens: { rate_per_thousand: 0.2, report_share: 0.1 }
  clusters: { enabled: true, size: 3 }
  platform: { enabled: true }
variants:
  baseline: {}
  none: { grassroots.count: 0 }
)";

TEST(GrassrootsDeterminism, OneThreadAndFourThreadsGiveIdenticalRecords) {
  sim::ModelRegistry registry;
  const sim::Model& m = model(registry);
  const sim::Scenario scenario = sim::parse_scenario(kLayerScenario, "<test>", registry);
  const sim::OutputLayout layout = sim::scenario_layout(m, scenario);
  const sim::RunRecord serial = test_support::expect_thread_count_independent(m, scenario, {1, 4});
  const std::size_t width = layout.series.size();
  const std::size_t demands_arrived = series_index(layout, "demands_arrived");
  double arrived = 0.0;
  for (std::size_t step = 0; step < 80; ++step) arrived += serial.series[step * width + demands_arrived];
  EXPECT_GT(arrived, 0.0);  // the layer did something worth comparing
}

TEST(GrassrootsIsolation, TheLayerLeavesDepartmentResultsUnchanged) {
  sim::ModelRegistry registry;
  const sim::Model& m = model(registry);
  const sim::Scenario scenario = sim::parse_scenario(kLayerScenario, "<test>", registry);
  const sim::OutputLayout layout = sim::scenario_layout(m, scenario);
  const sim::ExecutionContext one(1);
  const sim::RunRecord with = sim::run_one(m, scenario, layout, 0, 0, one);
  const sim::RunRecord without = sim::run_one(m, scenario, layout, 1, 0, one);
  ASSERT_TRUE(with.ok && without.ok);
  const std::size_t width = layout.series.size();
  const std::size_t department = test_support::kind_index(layout, "department");
  for (std::size_t step = 0; step < 80; ++step)
    for (std::size_t v = 0; v < series_index(layout, "township_load_ratio"); ++v) {
      const double a = with.series[step * width + v], b = without.series[step * width + v];
      EXPECT_TRUE((std::isnan(a) && std::isnan(b)) || a == b) << layout.series[v].name << " at " << step;
    }
  EXPECT_TRUE(test_support::bitwise_equal(with.agents[department], without.agents[department]));
}

// A random but valid parameter set of the layer drawn from `stream`.
sim::ParamSet random_layer(sim::RandomStream& stream) {
  const auto tasks = static_cast<std::int64_t>(2 + stream.below(14));
  return testing::parameters({
      {"departments.count", static_cast<std::int64_t>(5 + stream.below(40))},
      {"tasks.participants", std::int64_t{3}},
      {"grassroots.count", static_cast<std::int64_t>(1 + stream.below(25))},
      {"grassroots.staff_mean", 1.0 + 20.0 * stream.uniform()},
      {"grassroots.residents_mean", 100.0 + 50000.0 * stream.uniform()},
      {"grassroots.tasks", tasks},
      {"grassroots.task_hours", 30.0 * stream.uniform()},
      {"grassroots.turnover_base", 0.05 * stream.uniform()},
      {"grassroots.turnover_fatigue", 0.1 * stream.uniform()},
      {"grassroots.vacancy_steps", static_cast<std::int64_t>(stream.below(20))},
      {"grassroots.authority", stream.bernoulli(0.5)},
      {"grassroots.service_first", stream.bernoulli(0.3)},
      {"grassroots.specialists", 3.0 * stream.uniform()},
      {"targets.dispatched", static_cast<std::int64_t>(stream.below(static_cast<std::uint64_t>(tasks) + 1))},
      {"targets.levels", static_cast<std::int64_t>(stream.below(5))},
      {"targets.conflict", stream.bernoulli(0.5)},
      {"targets.hours_per_form", 10.0 * stream.uniform()},
      {"targets.assessment_every", static_cast<std::int64_t>(1 + stream.below(30))},
      {"citizens.rate_per_thousand", 0.5 * stream.uniform()},
      {"citizens.multi_share", stream.uniform()},
      {"citizens.max_departments", static_cast<std::int64_t>(2 + stream.below(7))},
      {"citizens.sign_off", std::string(stream.bernoulli(0.5) ? "sequential" : "one_stop")},
      {"citizens.patience_mean", 0.5 + 30.0 * stream.uniform()},
      {"citizens.report_share", 0.3 * stream.uniform()},
      {"citizens.department_response", stream.uniform()},
      {"clusters.enabled", stream.bernoulli(0.5)},
      {"clusters.size", static_cast<std::int64_t>(1 + stream.below(5))},
      {"platform.enabled", stream.bernoulli(0.5)},
      {"platform.share", stream.uniform()},
  });
}

TEST(GrassrootsConservation, HoursAndDemandsBalanceEveryStepForRandomParameters) {
  sim::ModelRegistry registry;
  const sim::Model& m = model(registry);
  const sim::Rng draws(2024, 0);
  for (std::uint64_t trial = 0; trial < 16; ++trial) {
    auto stream = draws.stream(0, trial, 0);
    const sim::ParamSet set = random_layer(stream);
    ASSERT_TRUE(m.check(set).empty()) << trial;
    const std::size_t steps = 100;
    test_support::RecordedWorld run(m, set, steps, trial + 1);
    const sim::OutputLayout& layout = run.layout;
    sim::Recorder& recorder = run.recorder;
    const auto departments = static_cast<std::size_t>(set.integer("departments.count"));
    const auto townships = static_cast<std::size_t>(set.integer("grassroots.count"));
    const auto series = [&](const char* name) { return series_index(layout, name); };
    const std::size_t demands_arrived = series("demands_arrived"), demands_resolved = series("demands_resolved"),
                      demands_abandoned = series("demands_abandoned"), demands_open = series("demands_open"),
                      fatigue = series("township_fatigue");
    const std::size_t township = test_support::kind_index(layout, "township");
    double arrived = 0.0, resolved = 0.0, abandoned = 0.0;
    for (std::size_t step = 0; step < steps; ++step) {
      run.step(step);
      const auto ledgers = run.world->ledgers();
      ASSERT_EQ(ledgers.size(), 1u);  // hours: departments, then townships
      const auto& hours = ledgers[0];
      ASSERT_EQ(hours.used.size(), departments + townships);
      for (std::size_t j = departments; j < hours.used.size(); ++j) {
        ASSERT_GE(hours.used[j], 0.0) << trial << " " << step << " " << j;
        ASSERT_LE(hours.used[j], hours.available[j] * (1.0 + 1e-12) + 1e-12) << trial << " " << step << " " << j;
      }
      const double* row = recorder.series_row(step);
      arrived += row[demands_arrived];
      resolved += row[demands_resolved];
      abandoned += row[demands_abandoned];
      ASSERT_EQ(arrived, resolved + abandoned + row[demands_open]) << trial << " " << step;
      for (const char* name : {"township_load_ratio", "township_fatigue", "township_hours_available",
                               "township_hours_reporting", "township_hours_tasks", "township_hours_service",
                               "petitions", "demands_open"})
        ASSERT_FALSE(std::isnan(row[series(name)])) << trial << " " << step << " " << name;
      ASSERT_GE(row[fatigue], 0.0);
      ASSERT_LE(row[fatigue], 1.0);
      if (row[demands_resolved] > 0) {
        ASSERT_FALSE(std::isnan(row[series("mean_time_to_resolution")]));
      }
      const auto* s = recorder.agent_row(township, variable_index(layout, "township", "attainment_real"), step);
      const auto* r = recorder.agent_row(township, variable_index(layout, "township", "attainment_reported"), step);
      for (std::size_t j = 0; j < townships; ++j)
        if (!std::isnan(s[j])) {
          ASSERT_GE(r[j], s[j] - 1e-12) << trial;  // nobody under-reports
          ASSERT_LE(s[j], 1.0 + 1e-12);
        }
    }
    run.world->summarize(steps, recorder);
    const double* out = recorder.summaries();
    for (const char* name : {"township_fatigue_mean", "township_turnover_total", "township_share_reporting",
                             "township_share_service", "township_staff_total", "petitions_total", "demands_total"})
      ASSERT_FALSE(std::isnan(out[summary_index(layout, name)])) << trial << " " << name;
  }
}

}  // namespace
}  // namespace coordsim::models::governance
