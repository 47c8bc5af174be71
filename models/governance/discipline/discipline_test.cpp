// The discipline commission (MODEL.md §3.4): perceived accountability, referrals, queue, cases.
#include "discipline.hpp"

#include <gtest/gtest.h>

#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::parameters;

TEST(PerceivedAccountability, FallsWhenDemandExceedsCapacity) {
  EXPECT_DOUBLE_EQ(perceived_accountability(0.3, 2.0, 1.0), 0.3);
  EXPECT_DOUBLE_EQ(perceived_accountability(0.3, 2.0, 2.0), 0.3);
  EXPECT_DOUBLE_EQ(perceived_accountability(0.3, 2.0, 4.0), 0.15);
  EXPECT_LT(perceived_accountability(0.3, 2.0, 8.0), perceived_accountability(0.3, 2.0, 4.0));
}

TEST(Discipline, OffByDefaultKeepsTheConstantAccountabilityTerm) {
  const State s = testing::make_state(parameters());
  EXPECT_FALSE(s.parameters.discipline.enabled);
  EXPECT_DOUBLE_EQ(overdue_accountability(s, 0, 0.123), 0.123);
}

TEST(Discipline, ReplacesTheConstantOnlyForReferredTasks) {
  State s = testing::make_state(parameters({{"discipline.enabled", true}, {"discipline.referral_share", 0.5},
                                            {"tasks.count", std::int64_t{20}}, {"discipline.promotion_weight", 1.0}}));
  const auto& c = s.mechanisms.discipline;
  std::size_t referred = 0;
  for (std::uint32_t task = 0; task < s.tasks.size(); ++task) {
    const double term = overdue_accountability(s, task, 99.0);
    if (c.task_referred[task]) {
      ++referred;
      const auto& p = s.parameters;
      EXPECT_DOUBLE_EQ(term, p.allocation.lambda_accountability * c.p_accountability * p.accountability.penalty * 2.0);
    } else {
      EXPECT_DOUBLE_EQ(term, 0.0);
    }
  }
  EXPECT_GT(referred, 0u);
  EXPECT_LT(referred, s.tasks.size());
}

TEST(Discipline, FewerReferredTasksAreASubsetOfMore) {
  const auto few = testing::make_state(parameters({{"discipline.enabled", true}, {"discipline.referral_share", 0.3},
                                                   {"tasks.count", std::int64_t{30}}}));
  const auto more = testing::make_state(parameters({{"discipline.enabled", true}, {"discipline.referral_share", 0.7},
                                                    {"tasks.count", std::int64_t{30}}}));
  for (std::size_t task = 0; task < 30; ++task) {
    if (few.mechanisms.discipline.task_referred[task]) {
      EXPECT_TRUE(more.mechanisms.discipline.task_referred[task]);
    }
  }
}

TEST(Discipline, ReferralsAreCountedOnceAndCasesConserved) {
  testing::Stepper stepper(parameters({{"discipline.enabled", true}, {"discipline.capacity", 0.3},
                                       {"tasks.count", std::int64_t{6}}, {"departments.count", std::int64_t{40}}}));
  double referrals = 0.0, closed = 0.0, talks = 0.0, accountable = 0.0;
  for (std::size_t step = 0; step < 200; ++step) {
    stepper.step(step);
    const auto& c = stepper.state.mechanisms.discipline;
    referrals += c.referrals;
    closed += c.closed;
    talks += c.talks;
    accountable += c.accountability_cases;
    EXPECT_DOUBLE_EQ(referrals - closed, static_cast<double>(c.queue_size)) << step;
    EXPECT_LE(c.closed, 1.0 + 0.3) << step;  // capacity plus at most one carried case
    EXPECT_GE(c.core_backlog, 0.0);
  }
  const auto& c = stepper.state.mechanisms.discipline;
  double flagged = 0.0;
  for (const auto flag : c.item_referred) flagged += flag;
  EXPECT_DOUBLE_EQ(flagged, referrals);
  EXPECT_GT(referrals, 0.0);
  EXPECT_DOUBLE_EQ(talks + accountable, closed);
  double penalties = 0.0;
  for (const double value : c.penalties) penalties += value;
  const auto& p = stepper.state.parameters.discipline;
  EXPECT_NEAR(penalties, talks * p.penalty_talk + accountable * p.penalty_accountability, 1e-9);
}

TEST(Discipline, PetitionsLoadTheCoreBacklog) {
  const auto set = parameters({{"discipline.enabled", true}, {"discipline.core_arrivals", 0.0},
                               {"discipline.capacity", 0.0}, {"discipline.petition_cases", 0.5}});
  testing::Stepper stepper(set);
  stepper.state.petitions_this_step = 4.0;
  stepper.step(0);
  EXPECT_DOUBLE_EQ(stepper.state.mechanisms.discipline.core_backlog, 2.0);
}

// Property: over random worlds, more capacity never lengthens the referral queue (same seed).
TEST(DisciplineProperty, MoreCapacityNeverLengthensTheQueue) {
  const sim::Rng draws(7, 0);
  for (std::uint64_t trial = 0; trial < 10; ++trial) {
    auto stream = draws.stream(0, trial, 1);
    const double low = 0.1 + 0.5 * stream.uniform();
    const double high = low + 0.1 + stream.uniform();
    const auto tasks = static_cast<std::int64_t>(2 + stream.below(8));
    const double share = 0.2 + 0.8 * stream.uniform();
    const auto base = [&](double capacity) {
      return parameters({{"discipline.enabled", true}, {"discipline.capacity", capacity},
                         {"discipline.referral_share", share}, {"tasks.count", tasks},
                         {"tasks.start_max", std::int64_t{50}}, {"departments.count", std::int64_t{40}}});
    };
    testing::Stepper weak(base(low), trial + 3), strong(base(high), trial + 3);
    double weak_sum = 0.0, strong_sum = 0.0;
    for (std::size_t step = 0; step < 200; ++step) {
      weak.step(step);
      strong.step(step);
      weak_sum += static_cast<double>(weak.state.mechanisms.discipline.queue_size);
      strong_sum += static_cast<double>(strong.state.mechanisms.discipline.queue_size);
    }
    EXPECT_LE(strong_sum, weak_sum) << "trial " << trial << " capacity " << low << " -> " << high;
  }
}

// Property (F8): over random worlds, referring the overdue items of more tasks never shortens the
// referral queue on average (same world and draws; the tasks of the smaller share are a subset of
// the larger share's). The queue is summed over the steps of three seeds per world.
TEST(DisciplineProperty, MoreReferringTasksNeverShortenTheQueueOnAverage) {
  const sim::Rng draws(13, 0);
  for (std::uint64_t trial = 0; trial < 8; ++trial) {
    auto stream = draws.stream(0, trial, 1);
    const double low = 0.1 + 0.4 * stream.uniform();
    const double high = low + 0.1 + (1.0 - low - 0.1) * stream.uniform();
    const auto tasks = static_cast<std::int64_t>(4 + stream.below(10));
    const double capacity = 0.2 + stream.uniform();
    const auto refer_after = static_cast<std::int64_t>(stream.below(4));
    const auto base = [&](double share) {
      return parameters({{"discipline.enabled", true}, {"discipline.capacity", capacity},
                         {"discipline.referral_share", share}, {"discipline.refer_after", refer_after},
                         {"tasks.count", tasks}, {"tasks.start_max", std::int64_t{100}},
                         {"departments.count", std::int64_t{40}}});
    };
    double few_sum = 0.0, more_sum = 0.0;
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      testing::Stepper few(base(low), 100 * trial + seed + 5), more(base(high), 100 * trial + seed + 5);
      for (std::size_t step = 0; step < 200; ++step) {
        few.step(step);
        more.step(step);
        few_sum += static_cast<double>(few.state.mechanisms.discipline.queue_size);
        more_sum += static_cast<double>(more.state.mechanisms.discipline.queue_size);
      }
    }
    EXPECT_GE(more_sum, few_sum) << "trial " << trial << " share " << low << " -> " << high << ", " << tasks
                                 << " tasks, capacity " << capacity << ", refer_after " << refer_after;
  }
}

}  // namespace
}  // namespace coordsim::models::governance
