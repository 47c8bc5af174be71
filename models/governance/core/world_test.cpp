// Whole-model properties: conservation of hours and items for random parameter draws (MODEL.md
// §5), identical results for any thread count, common random numbers across variants, and the
// model's registration and parameter checks.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "coordsim/models/governance/register.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"
#include "determinism.hpp"
#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

const sim::Model& governance_model(sim::ModelRegistry& registry) {
  register_governance(registry);
  const sim::Model* model = registry.find("governance");
  EXPECT_NE(model, nullptr);
  return *model;
}

// A random but valid parameter set drawn from `stream`.
sim::ParamSet random_parameters(sim::RandomStream& stream) {
  const char* regimes[] = {"outcome_only", "cooperation_degree", "lead_evaluates", "joint"};
  const char* dependencies[] = {"sequential", "parallel", "complementary"};
  const auto departments = static_cast<std::int64_t>(5 + stream.below(80));
  const auto participants = static_cast<std::int64_t>(1 + stream.below(static_cast<std::uint64_t>(departments - 1)));
  return testing::parameters({
      {"departments.count", departments},
      {"departments.home_load", 0.5 + stream.uniform()},
      {"departments.staff_mean", 1.0 + 20.0 * stream.uniform()},
      {"tasks.count", static_cast<std::int64_t>(1 + stream.below(12))},
      {"tasks.participants", participants},
      {"tasks.items_per_participant", static_cast<std::int64_t>(1 + stream.below(4))},
      {"tasks.start_max", static_cast<std::int64_t>(stream.below(60))},
      {"tasks.dependency", std::string(dependencies[stream.below(3)])},
      {"assessment.regime", std::string(regimes[stream.below(4)])},
      {"lead.rank", stream.uniform()},
      {"lead.leading_group", stream.bernoulli(0.5)},
      {"lead.substitute", stream.bernoulli(0.7)},
      {"allocation.temperature", 0.01 + 2.0 * stream.uniform()},
      {"costs.chase_hours", 20.0 * stream.uniform()},
      {"costs.meeting_hours", 40.0 * stream.uniform()},
      {"costs.meeting_every", static_cast<std::int64_t>(stream.below(5))},
      {"costs.lead_overhead_hours", 30.0 * stream.uniform()},
      {"leadership.attention_budget", 3.0 * stream.uniform()},
      // County-level mechanisms (discipline.cpp, taskforce.cpp, decisions.cpp, levels.cpp, costs.cpp).
      {"discipline.enabled", stream.bernoulli(0.5)},
      {"discipline.capacity", 3.0 * stream.uniform()},
      {"taskforce.enabled", stream.bernoulli(0.5)},
      {"taskforce.detached", stream.bernoulli(0.5)},
      {"taskforce.seconded_per_participant", 3.0 * stream.uniform()},
      {"taskforce.role_delay", static_cast<std::int64_t>(stream.below(30))},
      {"decisions.enabled", stream.bernoulli(0.5)},
      {"levels.enabled", stream.bernoulli(0.5)},
      {"costs.report_every", static_cast<std::int64_t>(stream.below(6))},
      {"costs.report_hours", 10.0 * stream.uniform()},
      {"costs.briefing_every", static_cast<std::int64_t>(stream.below(6))},
      {"costs.consultation_every", static_cast<std::int64_t>(stream.below(6))},
      {"costs.consultation_hours", 20.0 * stream.uniform()},
      {"costs.sharing_platform", stream.bernoulli(0.5)},
  });
}

TEST(Conservation, HoursAndItemsBalanceEveryStepForRandomParameters) {
  sim::ModelRegistry registry;
  const sim::Model& model = governance_model(registry);
  const sim::Rng draws(99, 0);
  for (std::uint64_t trial = 0; trial < 12; ++trial) {
    auto stream = draws.stream(0, trial, 0);
    const sim::ParamSet set = random_parameters(stream);
    ASSERT_TRUE(model.check(set).empty()) << trial;
    const std::size_t steps = 150;
    test_support::RecordedWorld run(model, set, steps, trial + 1);
    const sim::OutputLayout& layout = run.layout;
    sim::Recorder& recorder = run.recorder;
    const auto items = static_cast<double>(set.integer("tasks.count") * set.integer("tasks.participants") *
                                           set.integer("tasks.items_per_participant"));
    const auto series = [&](const char* name) { return test_support::series_index(layout, name); };
    const std::size_t on_time = series("items_on_time"), late = series("items_late"),
                      missing = series("items_missing"), open = series("items_open");
    const std::size_t department = test_support::kind_index(layout, "department");
    const std::size_t hours_idle = test_support::variable_index(layout, "department", "hours_idle");
    for (std::size_t step = 0; step < steps; ++step) {
      run.step(step);
      const auto ledgers = run.world->ledgers();
      ASSERT_EQ(ledgers.size(), 1u);
      const auto& hours = ledgers[0];
      ASSERT_EQ(hours.name, "hours");
      ASSERT_EQ(hours.used.size(), static_cast<std::size_t>(set.integer("departments.count")));
      for (std::size_t d = 0; d < hours.used.size(); ++d) {
        ASSERT_GE(hours.used[d], 0.0) << trial << " " << step << " " << d;
        ASSERT_LE(hours.used[d], hours.available[d] * (1.0 + 1e-12)) << trial << " " << step << " " << d;
      }
      const double* row = recorder.series_row(step);
      ASSERT_EQ(row[on_time] + row[late] + row[missing] + row[open], items) << trial << " " << step;
      // Per department: hours by use add up to the hours available.
      for (std::size_t d = 0; d < hours.used.size(); ++d) {
        const double* idle = recorder.agent_row(department, hours_idle, step);
        ASSERT_NEAR(hours.used[d] + idle[d], hours.available[d], 1e-9 * hours.available[d]) << trial << " " << step;
      }
    }
    run.world->summarize(steps, recorder);
  }
}

TEST(Conservation, EveryItemIsDoneOrOpenExactlyOnce) {
  testing::Stepper stepper(testing::parameters({{"tasks.count", std::int64_t{5}}, {"departments.home_load", 0.9}}));
  for (std::size_t step = 0; step < 200; ++step) {
    stepper.step(step);
    const auto& it = stepper.state.items;
    std::size_t done = 0, open = 0;
    for (std::uint32_t item = 0; item < it.size(); ++item) {
      const bool is_done = it.done_step[item] != kNotDone;
      // Done means nothing remains; open means something does.
      EXPECT_EQ(is_done, it.remaining[item] == 0.0) << item;
      (is_done ? done : open) += 1;
    }
    EXPECT_EQ(done + open, it.size());
  }
}

constexpr const char* kDeterminismScenario = R"(model: governance
run: { steps: 60, seed: 5, replications: 1 }
output: { agents: true, agent_every: 1 }
parameters:
  departments: { count: 300 }
  tasks: { count: 40, participants: 25, start_max: 20, dependency: sequential }
  leadership: { attention_budget: 4.0 }
variants:
  baseline: {}
)";

TEST(Determinism, OneThreadAndFourThreadsGiveIdenticalRecords) {
  sim::ModelRegistry registry;
  const sim::Model& model = governance_model(registry);
  const sim::Scenario scenario = sim::parse_scenario(kDeterminismScenario, "<test>", registry);
  const sim::OutputLayout layout = sim::scenario_layout(model, scenario);
  const sim::RunRecord serial = test_support::expect_thread_count_independent(model, scenario, {1, 4});
  // The run did something worth comparing.
  const std::size_t width = layout.series.size();
  const std::size_t on_time = test_support::series_index(layout, "items_on_time");
  const std::size_t late = test_support::series_index(layout, "items_late");
  EXPECT_GT(serial.series[(60 - 1) * width + on_time] + serial.series[(60 - 1) * width + late], 0.0);
}

TEST(CommonRandomNumbers, MechanismVariantsMeetTheSameWorld) {
  const State outcome = testing::make_state(testing::parameters());
  const State group = testing::make_state(testing::parameters({{"lead.leading_group", true},
                                                                {"assessment.regime", std::string("joint")},
                                                                {"allocation.temperature", 1.0}}));
  EXPECT_EQ(outcome.departments.rank, group.departments.rank);
  EXPECT_EQ(outcome.departments.capacity, group.departments.capacity);
  EXPECT_EQ(outcome.tasks.lead, group.tasks.lead);
  EXPECT_EQ(outcome.items.owner, group.items.owner);
  EXPECT_EQ(outcome.items.work, group.items.work);
  EXPECT_EQ(outcome.items.deadline, group.items.deadline);
  // A different replication is a different world.
  const State other = testing::make_state(testing::parameters(), 11, 1);
  EXPECT_NE(outcome.items.deadline, other.items.deadline);
}

TEST(Model, RejectsMoreParticipantsThanDepartmentsBesidesTheLead) {
  sim::ModelRegistry registry;
  const sim::Model& model = governance_model(registry);
  EXPECT_EQ(model.name(), "governance");
  const auto problems = model.check(testing::parameters({{"departments.count", std::int64_t{10}},
                                                         {"tasks.participants", std::int64_t{10}}}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].first, "tasks.participants");
  EXPECT_TRUE(model.check(testing::parameters({{"departments.count", std::int64_t{11}},
                                                {"tasks.participants", std::int64_t{10}}})).empty());
}

TEST(Model, EveryParameterIsDocumented) {
  for (const auto& spec : schema().specs()) {
    EXPECT_FALSE(spec.description.empty()) << spec.path;
    if (spec.type == sim::ParamType::Real || spec.type == sim::ParamType::Integer) {
      EXPECT_FALSE(spec.unit.empty()) << spec.path;
    }
  }
}

}  // namespace
}  // namespace coordsim::models::governance
