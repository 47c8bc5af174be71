// The county-level mechanisms together: outputs appended after the first slice's, bit-identical
// records for 1 and 4 threads with every mechanism on, and the monotone response of on-time
// delivery to the lead's rank (property over random worlds).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "coordsim/models/governance/register.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"
#include "governance_support.hpp"
#include "mechanism_outputs.hpp"
#include "outputs.hpp"

namespace coordsim::models::governance {
namespace {

TEST(MechanismOutputs, AreAppendedAfterTheFirstSlice) {
  const sim::OutputLayout layout = make_layout(10, 3);
  ASSERT_GE(layout.series.size(), std::size_t{kSeriesCount} + kMechanismSeriesCount);
  EXPECT_EQ(layout.series[std::size_t{kSeriesCount} + kDisciplineQueue].name, "discipline_queue");
  EXPECT_EQ(layout.series[std::size_t{kSeriesCount} + kCostHoursOnboarding].name, "cost_hours_onboarding");
  const auto& department = layout.agent_kinds[kDepartmentKind].variables;
  ASSERT_GE(department.size(), std::size_t{kDepartmentVariableCount} + kMechanismDepartmentVariableCount);
  EXPECT_EQ(department[std::size_t{kDepartmentVariableCount} + kDeptPenalties].name, "penalties");
  ASSERT_GE(layout.summaries.size(), std::size_t{kSummaryCount} + kMechanismSummaryCount);
  EXPECT_EQ(layout.summaries[std::size_t{kSummaryCount} + kOnboardingHoursTotal].variable.name, "onboarding_hours_total");
  for (const auto& v : layout.series) EXPECT_NE(v.units, "hours") << v.name;  // "h": xarray decodes "hours"
}

constexpr const char* kAllMechanisms = R"(model: governance
run: { steps: 80, seed: 9, replications: 1 }
output: { agents: true, agent_every: 1 }
parameters:
  departments: { count: 300 }
  tasks: { count: 40, participants: 25, start_max: 20, dependency: sequential }
  leadership: { attention_budget: 4.0 }
  discipline: { enabled: true, referral_share: 0.7, capacity: 2.0 }
  taskforce: { enabled: true, role_delay: 5 }
  decisions: { enabled: true, item_share: 0.3 }
  levels: { enabled: true, engagement_lead: 0.5 }
  costs: { report_every: 5, briefing_every: 10, consultation_every: 15, sharing_platform: true }
variants:
  all: {}
)";

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

TEST(MechanismDeterminism, OneThreadAndFourThreadsGiveIdenticalRecords) {
  sim::ModelRegistry registry;
  register_governance(registry);
  const sim::Model& model = *registry.find("governance");
  const sim::Scenario scenario = sim::parse_scenario(kAllMechanisms, "<test>", registry);
  const sim::OutputLayout layout = sim::scenario_layout(model, scenario);
  const sim::ExecutionContext one(1), four(4);
  const sim::RunRecord serial = sim::run_one(model, scenario, layout, 0, 0, one);
  const sim::RunRecord parallel = sim::run_one(model, scenario, layout, 0, 0, four);
  ASSERT_TRUE(serial.ok) << serial.message;
  ASSERT_TRUE(parallel.ok) << parallel.message;
  EXPECT_TRUE(bitwise_equal(serial.series, parallel.series));
  ASSERT_EQ(serial.agents.size(), parallel.agents.size());
  for (std::size_t k = 0; k < serial.agents.size(); ++k) EXPECT_TRUE(bitwise_equal(serial.agents[k], parallel.agents[k]));
  EXPECT_TRUE(bitwise_equal(serial.summaries, parallel.summaries));
  // Every mechanism did something.
  const std::size_t width = layout.series.size();
  double referrals = 0, seconded = 0, blocked = 0, consult = 0;
  for (std::size_t step = 0; step < 80; ++step) {
    const double* row = serial.series.data() + step * width + kSeriesCount;
    referrals += row[kDisciplineReferrals];
    seconded += row[kSecondedHours];
    blocked += row[kDecisionsBlocked];
    consult += row[kCostHoursConsultations];
  }
  EXPECT_GT(referrals, 0.0);
  EXPECT_GT(seconded, 0.0);
  EXPECT_GT(blocked, 0.0);
  EXPECT_GT(consult, 0.0);
}

// Property: raising the lead's rank never lowers on-time delivery on average (mean over
// replications of paired worlds), for random worlds and mechanism settings.
TEST(LeadRankProperty, RaisingTheLeadsRankNeverLowersOnTimeDeliveryOnAverage) {
  const sim::Rng draws(31, 0);
  for (std::uint64_t trial = 0; trial < 6; ++trial) {
    auto stream = draws.stream(0, trial, 2);
    const double low = 0.1 + 0.4 * stream.uniform();
    const double high = low + 0.1 + 0.4 * stream.uniform();
    const bool discipline = stream.bernoulli(0.5);
    const bool levels = stream.bernoulli(0.5);
    const auto tasks = static_cast<std::int64_t>(1 + stream.below(6));
    double difference = 0.0;
    for (std::uint64_t replication = 0; replication < 8; ++replication) {
      double on_time[2] = {0.0, 0.0}, due[2] = {0.0, 0.0};
      for (int k = 0; k < 2; ++k) {
        const auto set = testing::parameters({{"lead.rank", k == 0 ? low : high}, {"tasks.count", tasks},
                                              {"departments.count", std::int64_t{40}},
                                              {"discipline.enabled", discipline}, {"levels.enabled", levels}});
        testing::Stepper stepper(set, 100 * trial + replication + 1);
        for (std::size_t step = 0; step < 150; ++step) stepper.step(step);
        const auto& it = stepper.state.items;
        for (std::size_t item = 0; item < it.size(); ++item) {
          if (it.deadline[item] >= 150) continue;
          due[k] += 1.0;
          on_time[k] += it.done_step[item] != kNotDone && it.on_time[item] ? 1.0 : 0.0;
        }
      }
      difference += on_time[1] / due[1] - on_time[0] / due[0];
    }
    EXPECT_GE(difference / 8.0, 0.0) << "trial " << trial << " rank " << low << " -> " << high;
  }
}

}  // namespace
}  // namespace coordsim::models::governance
