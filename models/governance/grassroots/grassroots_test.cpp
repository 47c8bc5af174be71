// Townships and officials (MODEL.md §3.5): fatigue, turnover and learning, the order in which hours
// are spent (疲态治理), delegated authority, and the hours balance.
#include "grassroots.hpp"

#include <gtest/gtest.h>

#include "grassroots_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::LayerStepper;
using testing::parameters;

GrassrootsParameters grassroots_defaults() { return Parameters::read(parameters()).grassroots; }

TEST(Fatigue, RisesWithOverloadDecaysOtherwiseAndStaysInTheUnitInterval) {
  const auto g = grassroots_defaults();
  EXPECT_GT(updated_fatigue(g, 0.2, 1.5), 0.2);
  EXPECT_GT(updated_fatigue(g, 0.2, 1.5), updated_fatigue(g, 0.2, 1.1));
  EXPECT_EQ(updated_fatigue(g, 0.2, 3.0), updated_fatigue(g, 0.2, 2.0));  // overload counted up to 1
  EXPECT_LT(updated_fatigue(g, 0.2, 0.9), 0.2);
  EXPECT_EQ(updated_fatigue(g, 0.0, 0.5), 0.0);
  double fatigue = 0.0;
  for (int k = 0; k < 1000; ++k) fatigue = updated_fatigue(g, fatigue, 5.0);
  EXPECT_LE(fatigue, 1.0);
  EXPECT_GT(fatigue, 0.99);
}

TEST(Turnover, ProbabilityRisesWithFatigueAndProductivityFalls) {
  const auto g = grassroots_defaults();
  EXPECT_DOUBLE_EQ(turnover_probability(g, 0.0), g.turnover_base);
  EXPECT_GT(turnover_probability(g, 0.8), turnover_probability(g, 0.2));
  EXPECT_DOUBLE_EQ(fatigue_factor(g, 1.0), 1.0 - g.fatigue_productivity);
  EXPECT_DOUBLE_EQ(fatigue_factor(g, 0.0), 1.0);
}

TEST(Generation, NoTownshipsByDefault) {
  const State s = testing::make_state(parameters());
  EXPECT_EQ(s.grassroots.townships.size(), 0u);
  EXPECT_EQ(s.grassroots.demands.total_capacity(), 0u);
}

TEST(Generation, OfficialsStartInPostAtVeteranExpertise) {
  const State s = testing::make_state(parameters({{"grassroots.count", std::int64_t{7}}}));
  const auto& tw = s.grassroots.townships;
  ASSERT_EQ(tw.size(), 7u);
  for (std::size_t j = 0; j < 7; ++j) {
    EXPECT_GE(tw.official_begin[j + 1] - tw.official_begin[j], 1u);
    EXPECT_GE(tw.villages[j], 1u);
    EXPECT_GT(tw.residents[j], 0.0);
    EXPECT_GT(s.grassroots.demands.capacity[j], 0u);
  }
  for (std::size_t o = 0; o < s.grassroots.officials.expertise.size(); ++o) {
    EXPECT_EQ(s.grassroots.officials.vacant_until[o], kPresent);
    EXPECT_DOUBLE_EQ(s.grassroots.officials.expertise[o], 0.9);
  }
}

TEST(Turnover, NewcomersStartLowAndLearn) {
  // Everybody leaves at step 0 and is replaced at once; nobody leaves afterwards.
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{3}},
                                   {"grassroots.turnover_base", 1.0},
                                   {"grassroots.vacancy_steps", std::int64_t{0}}}));
  stepper.step(0);
  const auto& of = stepper.state.grassroots.officials;
  for (const double e : of.expertise) EXPECT_DOUBLE_EQ(e, 0.4);
  EXPECT_EQ(stepper.state.grassroots.townships.turnover[0], stepper.state.grassroots.townships.official_begin[1] -
                                                                stepper.state.grassroots.townships.official_begin[0]);
  stepper.state.parameters.grassroots.turnover_base = 0.0;
  stepper.state.parameters.grassroots.turnover_fatigue = 0.0;
  for (std::size_t step = 1; step < 50; ++step) stepper.step(step);
  for (const double e : of.expertise) {
    EXPECT_GT(e, 0.6);
    EXPECT_LT(e, 0.9);
  }
}

TEST(Turnover, VacantPostsRemoveHours) {
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{2}},
                                   {"grassroots.turnover_base", 1.0},
                                   {"grassroots.vacancy_steps", std::int64_t{5}},
                                   {"grassroots.specialists", 0.0}}));
  stepper.step(0);
  EXPECT_EQ(stepper.state.grassroots.townships.hours_available[0], 0.0);
  for (std::size_t step = 1; step <= 5; ++step) stepper.step(step);
  EXPECT_GT(stepper.state.grassroots.townships.hours_available[0], 0.0);  // refilled at step 5
}

TEST(Allocation, CitizenServiceComesLastUnlessServiceFirst) {
  // Downward tasks need far more than the township has: rigid-first leaves nothing for citizens.
  const auto overloaded = [](bool service_first) {
    return parameters({{"grassroots.count", std::int64_t{2}},
                       {"grassroots.task_hours", 500.0},
                       {"grassroots.service_first", service_first},
                       {"citizens.rate_per_thousand", 1.0}});
  };
  LayerStepper last(overloaded(false)), first(overloaded(true));
  double service_last = 0.0, service_first = 0.0;
  for (std::size_t step = 0; step < 20; ++step) {
    last.step(step);
    first.step(step);
    service_last += last.state.grassroots.townships.hours_service[0];
    service_first += first.state.grassroots.townships.hours_service[0];
    EXPECT_GT(last.state.grassroots.townships.load_ratio[0], 1.0);
  }
  EXPECT_EQ(service_last, 0.0);
  EXPECT_GT(service_first, 0.0);
  EXPECT_GT(last.state.grassroots.townships.fatigue[0], 0.5);
}

TEST(Allocation, HoursSpentNeverExceedHoursAvailable) {
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{6}},
                                   {"grassroots.task_hours", 30.0},
                                   {"targets.dispatched", std::int64_t{6}},
                                   {"targets.hours_per_form", 20.0},
                                   {"citizens.rate_per_thousand", 0.5}}));
  for (std::size_t step = 0; step < 100; ++step) {
    stepper.step(step);
    const auto& tw = stepper.state.grassroots.townships;
    for (std::size_t j = 0; j < tw.size(); ++j) {
      const double spent = tw.hours_reporting[j] + tw.hours_tasks[j] + tw.hours_service[j];
      EXPECT_LE(spent, tw.hours_available[j] * (1.0 + 1e-12)) << step << " " << j;
      EXPECT_NEAR(spent + tw.hours_idle[j], tw.hours_available[j], 1e-9 * (1.0 + tw.hours_available[j]));
    }
  }
}

TEST(Authority, DelegatedAuthoritySettlesSingleDepartmentDemandsWithoutPassingBack) {
  const auto world = [](bool authority) {
    return parameters({{"grassroots.count", std::int64_t{4}},
                       {"grassroots.authority", authority},
                       {"citizens.multi_share", 0.0},
                       {"citizens.report_share", 0.0},
                       {"citizens.accountability", 0.0},
                       {"citizens.rate_per_thousand", 0.3}});
  };
  LayerStepper with(world(true)), without(world(false));
  std::uint64_t passed_with = 0, passed_without = 0;
  double time_with = 0, time_without = 0, resolved_with = 0, resolved_without = 0;
  for (std::size_t step = 0; step < 100; ++step) {
    with.step(step);
    without.step(step);
    for (std::size_t j = 0; j < 4; ++j) {
      const auto& a = with.state.grassroots.townships.citizens[j];
      const auto& b = without.state.grassroots.townships.citizens[j];
      passed_with += a.passed_back;
      passed_without += b.passed_back;
      time_with += a.time_sum;
      time_without += b.time_sum;
      resolved_with += a.resolved;
      resolved_without += b.resolved;
    }
  }
  EXPECT_EQ(passed_with, 0u);
  EXPECT_GT(passed_without, 0u);
  EXPECT_LT(time_with / resolved_with, time_without / resolved_without);
}

}  // namespace
}  // namespace coordsim::models::governance
