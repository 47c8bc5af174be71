// The task force with seconded staff (MODEL.md §3.7, S0).
#include "taskforce.hpp"

#include <gtest/gtest.h>

#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::parameters;

TaskForceParameters defaults() { return Parameters::read(parameters()).taskforce; }

TEST(SplitSeconded, WithoutARoleTheTaskForceShareIsIdle) {
  TaskForceParameters p = defaults();
  p.detached = true;
  const SecondedSplit s = split_seconded(p, 8.0, 100.0, false, 80.0);
  EXPECT_DOUBLE_EQ(s.idle, 8.0);
  EXPECT_DOUBLE_EQ(s.home + s.onboarding + s.task_force, 0.0);
}

TEST(SplitSeconded, NonDetachedStaffServeHomeFirstWhileItHasBacklog) {
  TaskForceParameters p = defaults();
  p.detached = false;
  p.home_priority = 0.6;
  const SecondedSplit busy = split_seconded(p, 10.0, 100.0, true, 0.0);
  EXPECT_DOUBLE_EQ(busy.home, 6.0);
  EXPECT_DOUBLE_EQ(busy.task_force, 4.0);
  const SecondedSplit quiet = split_seconded(p, 10.0, 1.0, true, 0.0);  // little home backlog
  EXPECT_DOUBLE_EQ(quiet.home, 1.0);
  EXPECT_DOUBLE_EQ(quiet.task_force, 9.0);
}

TEST(SplitSeconded, NewcomersOnboardBeforeTheyWork) {
  TaskForceParameters p = defaults();
  p.detached = true;
  const SecondedSplit first = split_seconded(p, 8.0, 0.0, true, 20.0);
  EXPECT_DOUBLE_EQ(first.onboarding, 8.0);
  EXPECT_DOUBLE_EQ(first.task_force, 0.0);
  const SecondedSplit last = split_seconded(p, 8.0, 0.0, true, 3.0);
  EXPECT_DOUBLE_EQ(last.onboarding, 3.0);
  EXPECT_DOUBLE_EQ(last.task_force, 5.0);
}

TEST(TaskForce, SecondedHoursAddUpAndOnboardingTakesItsTime) {
  testing::Stepper stepper(parameters({{"taskforce.enabled", true}, {"taskforce.detached", true},
                                       {"taskforce.onboarding_steps", 5.0}, {"tasks.count", std::int64_t{2}}}));
  double early = 0.0, later = 0.0;
  for (std::size_t step = 0; step < 40; ++step) {
    stepper.step(step);
    const auto& f = stepper.state.mechanisms.taskforce;
    for (std::size_t r = 0; r < f.seconded.size(); ++r) {
      EXPECT_NEAR(f.productive[r] + f.idle[r] + f.home[r] + f.onboarding[r], f.seconded[r], 1e-9);
      if (step < 5 && f.seconded[r] >= stepper.state.parameters.departments.hours_per_staff - 1e-9) {
        EXPECT_DOUBLE_EQ(f.productive[r], 0.0) << "productive while onboarding at step " << step;
      }
    }
    if (step == 0) {
      double training = 0.0;
      for (const double h : f.lead_training) training += h;
      EXPECT_GT(training, 0.0);  // the lead trains newcomers
    }
    (step < 5 ? early : later) += f.work_delivered;
  }
  EXPECT_GT(later, early);  // onboarded staff deliver
}

TEST(TaskForce, OffByDefaultSecondsNobody) {
  testing::Stepper stepper(parameters());
  for (std::size_t step = 0; step < 10; ++step) stepper.step(step);
  for (const double h : stepper.state.mechanisms.taskforce.out) EXPECT_EQ(h, 0.0);
}

}  // namespace
}  // namespace coordsim::models::governance
