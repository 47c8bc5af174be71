// The county-level mechanisms together: outputs appended after the first slice's, bit-identical
// records for 1 and 4 threads with every mechanism on, and the monotone response of on-time
// delivery to the lead's rank (property over random worlds).
#include <gtest/gtest.h>

#include <vector>

#include "coordsim/models/governance/register.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"
#include "governance_support.hpp"
#include "composition.hpp"
#include "determinism.hpp"

namespace coordsim::models::governance {
namespace {

using test_support::series_index;

TEST(MechanismOutputs, AreAppendedAfterTheCore) {
  const sim::OutputLayout layout = make_layout(Parameters::read(testing::parameters()));
  // The core's 15 series, 9 department variables and 8 summaries come first (MODEL.md §5).
  EXPECT_EQ(series_index(layout, "discipline_referrals"), 15u);
  EXPECT_EQ(series_index(layout, "discipline_queue"), 16u);
  EXPECT_EQ(series_index(layout, "cost_hours_onboarding"), 15u + 24u);
  EXPECT_EQ(test_support::variable_index(layout, "department", "penalties"), 9u);
  EXPECT_EQ(test_support::summary_index(layout, "discipline_queue_mean"), 8u);
  EXPECT_EQ(test_support::summary_index(layout, "onboarding_hours_total"), 8u + 18u);
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

TEST(MechanismDeterminism, OneThreadAndFourThreadsGiveIdenticalRecords) {
  sim::ModelRegistry registry;
  register_governance(registry);
  const sim::Model& model = *registry.find("governance");
  const sim::Scenario scenario = sim::parse_scenario(kAllMechanisms, "<test>", registry);
  const sim::OutputLayout layout = sim::scenario_layout(model, scenario);
  const sim::RunRecord serial = test_support::expect_thread_count_independent(model, scenario, {1, 4});
  // Every mechanism did something.
  const std::size_t width = layout.series.size();
  double referrals = 0, seconded = 0, blocked = 0, consult = 0;
  for (std::size_t step = 0; step < 80; ++step) {
    const double* row = serial.series.data() + step * width;
    referrals += row[series_index(layout, "discipline_referrals")];
    seconded += row[series_index(layout, "seconded_hours")];
    blocked += row[series_index(layout, "decisions_blocked")];
    consult += row[series_index(layout, "cost_hours_consultations")];
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
