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
#include "grassroots_outputs.hpp"
#include "grassroots_support.hpp"

namespace coordsim::models::governance {
namespace {

const sim::Model& model(sim::ModelRegistry& registry) {
  register_governance(registry);
  return *registry.find("governance");
}

TEST(GrassrootsLayout, IndicesMatchNames) {
  const sim::OutputLayout layout = make_layout(10, 2, 7);
  ASSERT_EQ(layout.series.size(), kGrassrootsSeriesBegin + kGrassrootsSeriesCount);
  EXPECT_EQ(layout.series[kGrassrootsSeriesBegin + kTownshipLoadRatio].name, "township_load_ratio");
  EXPECT_EQ(layout.series[kGrassrootsSeriesBegin + kDemandsWithoutTravel].name, "demands_without_travel");
  ASSERT_EQ(layout.summaries.size(), kGrassrootsSummaryBegin + kGrassrootsSummaryCount);
  EXPECT_EQ(layout.summaries[kGrassrootsSummaryBegin + kFatigueMean].variable.name, "township_fatigue_mean");
  EXPECT_EQ(layout.summaries[kGrassrootsSummaryBegin + kTripsPerDemand].variable.name, "trips_per_demand");
  ASSERT_GT(layout.agent_kinds.size(), kTownshipKind);
  EXPECT_EQ(layout.agent_kinds[kTownshipKind].kind, "township");
  EXPECT_EQ(layout.agent_kinds[kTownshipKind].count, 7u);
  EXPECT_EQ(layout.agent_kinds[kTownshipKind].variables.size(), kTownshipVariableCount);
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

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

TEST(GrassrootsDeterminism, OneThreadAndFourThreadsGiveIdenticalRecords) {
  sim::ModelRegistry registry;
  const sim::Model& m = model(registry);
  const sim::Scenario scenario = sim::parse_scenario(kLayerScenario, "<test>", registry);
  const sim::OutputLayout layout = sim::scenario_layout(m, scenario);
  const sim::ExecutionContext one(1), four(4);
  const sim::RunRecord serial = sim::run_one(m, scenario, layout, 0, 0, one);
  const sim::RunRecord parallel = sim::run_one(m, scenario, layout, 0, 0, four);
  ASSERT_TRUE(serial.ok) << serial.message;
  ASSERT_TRUE(parallel.ok) << parallel.message;
  EXPECT_TRUE(bitwise_equal(serial.series, parallel.series));
  ASSERT_EQ(serial.agents.size(), parallel.agents.size());
  for (std::size_t k = 0; k < serial.agents.size(); ++k)
    EXPECT_TRUE(bitwise_equal(serial.agents[k], parallel.agents[k]));
  EXPECT_TRUE(bitwise_equal(serial.summaries, parallel.summaries));
  const std::size_t width = layout.series.size();
  double arrived = 0.0;
  for (std::size_t step = 0; step < 80; ++step)
    arrived += serial.series[step * width + kGrassrootsSeriesBegin + kDemandsArrived];
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
  for (std::size_t step = 0; step < 80; ++step)
    for (std::size_t v = 0; v < kGrassrootsSeriesBegin; ++v) {
      const double a = with.series[step * width + v], b = without.series[step * width + v];
      EXPECT_TRUE((std::isnan(a) && std::isnan(b)) || a == b) << layout.series[v].name << " at " << step;
    }
  ASSERT_EQ(with.agents[kDepartmentKind].size(), without.agents[kDepartmentKind].size());
  EXPECT_EQ(std::memcmp(with.agents[kDepartmentKind].data(), without.agents[kDepartmentKind].data(),
                        with.agents[kDepartmentKind].size() * sizeof(double)),
            0);
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
    const sim::OutputLayout layout = m.layout(set);
    sim::RunRecord record;
    sim::Recorder recorder(layout, steps, true, 1, record);
    const sim::Rng rng(trial + 1, 0);
    const sim::ExecutionContext execution(1);
    const auto world = m.build(set, sim::BuildContext{trial + 1, 0, steps, rng, execution});
    const auto departments = static_cast<std::size_t>(set.integer("departments.count"));
    const auto townships = static_cast<std::size_t>(set.integer("grassroots.count"));
    double arrived = 0.0, resolved = 0.0, abandoned = 0.0;
    for (std::size_t step = 0; step < steps; ++step) {
      const sim::StepContext context{step, rng, execution};
      for (const auto& phase : world->phases()) phase.run(context);
      world->record(context, recorder);
      const auto balance = world->hours_balance();
      ASSERT_EQ(balance.size(), departments + townships);
      for (std::size_t j = departments; j < balance.size(); ++j) {
        ASSERT_GE(balance[j].first, 0.0) << trial << " " << step << " " << j;
        ASSERT_LE(balance[j].first, balance[j].second * (1.0 + 1e-12) + 1e-12) << trial << " " << step << " " << j;
      }
      const double* row = recorder.series_row(step) + kGrassrootsSeriesBegin;
      arrived += row[kDemandsArrived];
      resolved += row[kDemandsResolved];
      abandoned += row[kDemandsAbandoned];
      ASSERT_EQ(arrived, resolved + abandoned + row[kDemandsOpen]) << trial << " " << step;
      for (const std::size_t v :
           {kTownshipLoadRatio, kTownshipFatigue, kTownshipHoursAvailable, kTownshipHoursReporting, kTownshipHoursTasks,
            kTownshipHoursService, kPetitions, kDemandsOpen})
        ASSERT_FALSE(std::isnan(row[v])) << trial << " " << step << " " << v;
      ASSERT_GE(row[kTownshipFatigue], 0.0);
      ASSERT_LE(row[kTownshipFatigue], 1.0);
      if (row[kDemandsResolved] > 0) {
        ASSERT_FALSE(std::isnan(row[kMeanTimeToResolution]));
      }
      const auto* s = recorder.agent_row(kTownshipKind, kTownAttainmentReal, step);
      const auto* r = recorder.agent_row(kTownshipKind, kTownAttainmentReported, step);
      for (std::size_t j = 0; j < townships; ++j)
        if (!std::isnan(s[j])) {
          ASSERT_GE(r[j], s[j] - 1e-12) << trial;  // nobody under-reports
          ASSERT_LE(s[j], 1.0 + 1e-12);
        }
    }
    world->summarize(steps, recorder);
    const double* out = recorder.summaries() + kGrassrootsSummaryBegin;
    for (const std::size_t v : {kFatigueMean, kTurnoverTotal, kShareHoursReporting, kShareHoursService,
                                kTownshipStaffTotal, kPetitionsTotal, kDemandsTotal})
      ASSERT_FALSE(std::isnan(out[v])) << trial << " " << v;
  }
}

}  // namespace
}  // namespace coordsim::models::governance
