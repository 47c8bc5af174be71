// The logit split of a department's hours (MODEL.md §3.1).
#include "allocation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <vector>

#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::parameters;

TEST(LogitShares, SumToOneForAnyTemperature) {
  const std::vector<double> utility = {0.3, -1.2, 2.5, 0.0, 0.31, 7.0};
  for (const double temperature : {1e-6, 0.01, 0.05, 1.0, 10.0, 1e6}) {
    std::vector<double> share(utility.size());
    logit_shares(utility, temperature, share);
    EXPECT_NEAR(std::accumulate(share.begin(), share.end(), 0.0), 1.0, 1e-12) << temperature;
    for (const double s : share) EXPECT_GE(s, 0.0);
  }
}

TEST(LogitShares, HigherUtilityGetsMoreHours) {
  const std::vector<double> utility = {0.1, 0.5, 0.3};
  std::vector<double> share(3);
  logit_shares(utility, 0.2, share);
  EXPECT_GT(share[1], share[2]);
  EXPECT_GT(share[2], share[0]);
}

TEST(LogitShares, LowTemperaturePicksTheMaximum) {
  const std::vector<double> utility = {0.40, 0.41, 0.39};
  std::vector<double> share(3);
  logit_shares(utility, 1e-5, share);
  EXPECT_GT(share[1], 1.0 - 1e-12);
}

TEST(LogitShares, HighTemperatureIsNearUniform) {
  const std::vector<double> utility = {0.0, 1.0, 2.0, 3.0};
  std::vector<double> share(4);
  logit_shares(utility, 1e5, share);
  for (const double s : share) EXPECT_NEAR(s, 0.25, 1e-4);
}

TEST(SplitHours, ItemHoursAreCappedAndExcessReturnsHome) {
  const std::array<double, 3> share = {0.2, 0.5, 0.3};
  const std::array<double, 3> cap = {0.0, 10.0, 100.0};
  std::array<double, 3> hours{};
  const HoursSplit split = split_hours(100.0, share, cap, 1000.0, hours);
  EXPECT_DOUBLE_EQ(hours[1], 10.0);  // capped at what the item still needs
  EXPECT_DOUBLE_EQ(hours[2], 30.0);  // below its cap: its full share
  EXPECT_DOUBLE_EQ(split.home, 20.0 + 40.0);
  EXPECT_DOUBLE_EQ(split.idle, 0.0);
  EXPECT_DOUBLE_EQ(split.items + split.home + split.idle, 100.0);
}

TEST(SplitHours, HomeWorkIsCappedByBacklogAndTheRestIsIdle) {
  const std::array<double, 3> share = {0.2, 0.5, 0.3};
  const std::array<double, 3> cap = {0.0, 10.0, 100.0};
  std::array<double, 3> hours{};
  const HoursSplit split = split_hours(100.0, share, cap, 5.0, hours);
  EXPECT_DOUBLE_EQ(split.home, 5.0);
  EXPECT_DOUBLE_EQ(split.idle, 100.0 - 40.0 - 5.0);
}

TEST(Urgency, HomeRisesWithBacklogAndDeadlineWithLateness) {
  EXPECT_DOUBLE_EQ(home_urgency(0.0, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(home_urgency(1.0, 1.0), 0.5);
  EXPECT_LT(home_urgency(1.0, 1.0), home_urgency(3.0, 1.0));
  EXPECT_LT(home_urgency(1e9, 1.0), 1.0 + 1e-12);
  EXPECT_DOUBLE_EQ(deadline_urgency(0.0, 10.0), 1.0);
  EXPECT_DOUBLE_EQ(deadline_urgency(-5.0, 10.0), 1.0);
  EXPECT_GT(deadline_urgency(2.0, 10.0), deadline_urgency(20.0, 10.0));
  EXPECT_NEAR(deadline_urgency(10.0, 10.0), std::exp(-1.0), 1e-15);
}

TEST(Urgency, TheWorldsTableIsTheDeadlineUrgencyOfEveryWholeSlack) {
  const State state = testing::make_state(parameters({{"allocation.deadline_scale", 7.5}}));
  const auto& deadlines = state.items.deadline;
  ASSERT_FALSE(deadlines.empty());
  // Every slack an item can have at a step >= 0 is in the table.
  EXPECT_EQ(state.urgency_by_slack.size(),
            static_cast<std::size_t>(*std::max_element(deadlines.begin(), deadlines.end())) + 1);
  for (std::size_t k = 0; k < state.urgency_by_slack.size(); ++k)
    EXPECT_EQ(state.urgency_by_slack[k], std::exp(-static_cast<double>(k) / 7.5)) << k;
}

TEST(LogitShares, TiesShareEquallyAndNaNUtilitiesPropagate) {
  const std::vector<double> tie = {2.0, 2.0, 1.0};
  std::vector<double> share(3);
  logit_shares(tie, 0.5, share);
  EXPECT_EQ(share[0], share[1]);
  EXPECT_NEAR(share[0] / share[2], std::exp(1.0 / 0.5), 1e-12);
  const std::vector<double> broken = {1.0, std::nan(""), 0.5};
  logit_shares(broken, 0.5, share);
  EXPECT_TRUE(std::isnan(share[1]));  // a NaN utility must not pass as the maximum
}

TEST(DepartmentAllocation, ThePhaseDrawsTheSameHomeNoiseAsOneDepartmentAlone) {
  // The phase serves four departments from one counter block; allocating any department alone
  // must take the same draw, or tests of one department would not see the phase's world.
  // 13 departments: three whole groups of four and one group of one.
  State together = testing::make_state(parameters({{"departments.count", std::int64_t{13}}}));
  State alone = together;
  const sim::Rng rng(3, 0);
  const sim::ExecutionContext execution(1);
  const sim::StepContext context{4, rng, execution};
  run_departments_phase(together, context);
  for (std::size_t d = 0; d < alone.departments.size(); ++d) allocate_department(alone, d, context);
  for (std::size_t d = 0; d < alone.departments.size(); ++d)
    EXPECT_EQ(together.departments.backlog[d], alone.departments.backlog[d]) << d;
}

// A participant that owns an available item and a copy of its state to compare allocations.
struct Scene {
  State state;
  std::size_t department = 0;
  std::uint32_t relation = 0;
};

Scene scene(const sim::ParamSet& set) {
  Scene s{testing::make_state(set)};
  const auto& it = s.state.items;
  for (std::uint32_t item = 0; item < it.size(); ++item) {
    if (s.state.tasks.lead[it.task[item]] == it.owner[item]) continue;
    s.department = it.owner[item];
    s.relation = it.relation[item];
    return s;
  }
  ADD_FAILURE() << "no participant item";
  return s;
}

double joint_hours_after(State state, std::size_t department, std::size_t step) {
  const sim::Rng rng(3, 0);
  const sim::ExecutionContext execution(1);
  allocate_department(state, department, sim::StepContext{step, rng, execution});
  return state.departments.joint_own[department];
}

TEST(DepartmentAllocation, ChasePressureDrawsHoursToTheChasedItems) {
  Scene s = scene(parameters({{"allocation.temperature", 0.3}, {"tasks.count", std::int64_t{1}}}));
  const double calm = joint_hours_after(s.state, s.department, 5);
  s.state.relations.chase_pressure[s.relation] = 5.0;
  const double chased = joint_hours_after(s.state, s.department, 5);
  EXPECT_GT(chased, calm);
}

TEST(DepartmentAllocation, AssessedOwnersGiveMoreHoursThanUnassessedOnes) {
  const auto outcome = scene(parameters({{"allocation.temperature", 0.3}, {"tasks.count", std::int64_t{1}}}));
  const auto cooperation = scene(parameters({{"allocation.temperature", 0.3},
                                             {"tasks.count", std::int64_t{1}},
                                             {"assessment.regime", std::string("cooperation_degree")}}));
  ASSERT_EQ(outcome.department, cooperation.department);  // same world: only the rule differs
  EXPECT_GT(joint_hours_after(cooperation.state, cooperation.department, 5),
            joint_hours_after(outcome.state, outcome.department, 5));
}

TEST(DepartmentAllocation, HoursSpentNeverExceedHoursAvailable) {
  State state = testing::make_state(parameters({{"allocation.temperature", 10.0}, {"costs.meeting_every", std::int64_t{1}},
                                                {"costs.meeting_hours", 30.0}}));
  const sim::Rng rng(3, 0);
  const sim::ExecutionContext execution(1);
  for (std::size_t d = 0; d < state.departments.size(); ++d) {
    allocate_department(state, d, sim::StepContext{1, rng, execution});
    const auto& dep = state.departments;
    const double spent = dep.meetings[d] + dep.joint_own[d] + dep.doing_others[d] + dep.home[d];
    EXPECT_LE(spent, dep.capacity[d] * (1.0 + 1e-12));
    EXPECT_NEAR(spent + dep.idle[d], dep.capacity[d], 1e-9 * dep.capacity[d]);
  }
}

// The lead may do its task's overdue items only under outcome_only with substitution on.
double lead_doing_others(const sim::ParamSet& set) {
  State state = testing::make_state(set);
  const std::size_t lead = state.tasks.lead[0];
  const sim::Rng rng(3, 0);
  const sim::ExecutionContext execution(1);
  const std::size_t late_step = 400;  // every deadline has passed; no item is done
  allocate_department(state, lead, sim::StepContext{late_step, rng, execution});
  return state.departments.doing_others[lead];
}

TEST(DepartmentAllocation, LeadSubstitutesOnlyUnderOutcomeOnlyWithSubstitution) {
  const std::initializer_list<std::pair<std::string, sim::ParamValue>> base = {
      {"tasks.count", std::int64_t{1}}, {"allocation.temperature", 0.3}};
  EXPECT_GT(lead_doing_others(parameters(base)), 0.0);
  auto off = parameters(base);
  off.set("lead.substitute", false);
  EXPECT_EQ(lead_doing_others(off), 0.0);
  auto cooperation = parameters(base);
  cooperation.set("assessment.regime", std::string("cooperation_degree"));
  EXPECT_EQ(lead_doing_others(cooperation), 0.0);
}

}  // namespace
}  // namespace coordsim::models::governance
