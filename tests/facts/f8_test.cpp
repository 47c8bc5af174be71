// F8 (MODEL.md §6, seed S4): discipline referral for every task: the commission's queue and core
// backlog grow and deterrence per case falls, against referral for few tasks (纪委监委"包打天下").
// Scenario: scenarios/governance/f8_discipline_overload.yaml (one step = one working day).
//
// Thresholds are set from the scenario's own scales, not from the observed effects:
//  - queue: the paired increase of the mean referral queue is at least 10 steps of the commission's
//    whole capacity, i.e. (Little's law, throughput <= capacity) a referred case waits two working
//    weeks longer on average — as long as the shortest item deadline (tasks.deadline_min = 10), so
//    referral no longer acts within the life of a short item;
//  - control: with few tasks the commission keeps up: its mean queue, averaged over replications,
//    stays under one working week of capacity (5 steps) — a sanity check on the point estimate (its
//    upper CI bound reaches ≈5 for some seeds, so it is not bounded);
//  - core casework: at the end the core backlog is larger by at least 20 steps (four working weeks)
//    of core arrivals, and over the run by at least 5 steps (one week) on average;
//  - deterrence per case falls by at least a tenth: since p = audit x capacity / demand, that means
//    the perceived demand exceeds capacity by more than 11% on average over the whole run, a
//    persistent overload rather than a transient one.
// Every effect bound is on the 95% confidence interval of the paired (common random numbers)
// difference; the four effect bounds also hold for run.seed 1, 77, 9001 (checked by hand).
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f8_discipline_overload.yaml"); }

sim::Interval every_minus_few(const std::string& summary) { return run().difference("every_task", "few_tasks", summary); }

double capacity() { return run().scenario().base.real("discipline.capacity"); }
double core_arrivals() { return run().scenario().base.real("discipline.core_arrivals"); }

TEST(F8DisciplineOverload, ScenarioIsOverloadedOnlyWithEveryTask) {
  expect_sound_batch(run(), 10);
  ASSERT_GT(capacity(), 0.0);
  ASSERT_GT(core_arrivals(), 0.0);
  ASSERT_LT(core_arrivals(), capacity()) << "the commission must keep up with its core work alone";
  const auto few = sim::mean_interval(run().summary("few_tasks", "discipline_queue_mean"));
  EXPECT_LT(few.mean, 5.0 * capacity()) << "few-task queue: " << describe(few);
  const sim::Interval referrals = every_minus_few("discipline_referrals_total");
  EXPECT_GT(referrals.low, 0.0) << "referrals every - few: " << describe(referrals);
}

TEST(F8DisciplineOverload, QueueGrowsByManyStepsOfCapacity) {
  const sim::Interval d = every_minus_few("discipline_queue_mean");
  EXPECT_GE(d.low, 10.0 * capacity()) << "mean queue every - few: " << describe(d);
}

TEST(F8DisciplineOverload, CoreCaseworkFallsBehind) {
  const sim::Interval end = every_minus_few("discipline_core_backlog_final");
  EXPECT_GE(end.low, 20.0 * core_arrivals()) << "final core backlog every - few: " << describe(end);
  const sim::Interval mean = every_minus_few("discipline_core_backlog_mean");
  EXPECT_GE(mean.low, 5.0 * core_arrivals()) << "mean core backlog every - few: " << describe(mean);
}

TEST(F8DisciplineOverload, DeterrencePerCaseFallsByATenth) {
  const double few = sim::mean_interval(run().summary("few_tasks", "discipline_deterrence_mean")).mean;
  ASSERT_GT(few, 0.0);
  const sim::Interval d = every_minus_few("discipline_deterrence_mean");
  EXPECT_LE(d.high, -0.10 * few) << "deterrence every - few: " << describe(d) << " (few: " << few << ")";
}

}  // namespace
}  // namespace coordsim::facts
