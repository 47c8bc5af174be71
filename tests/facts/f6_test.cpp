// F6 (MODEL.md §6, seed S4 EV-charging case): multi-department citizen demands signed off in
// sequence under weak accountability are passed back more often and abandoned more often than at a
// one-stop window under strong accountability. Scenario: scenarios/f6_passing_back.yaml (variants
// share townships and arrivals, so differences are paired).
#include <cstdio>

#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() {
  static const FactRun instance("f6_passing_back.yaml");
  return instance;
}

sim::Interval difference(const char* treated, const char* baseline, const char* summary) {
  const sim::Interval d = sim::paired_difference(run().summary(treated, summary), run().summary(baseline, summary));
  std::printf("F6 %s: %s - %s = %.4f [%.4f, %.4f]\n", summary, treated, baseline, d.mean, d.low, d.high);
  return d;
}

TEST(F6PassingBack, SequentialWeakPassesBackMoreThanOneStopStrong) {
  expect_sound_batch(run(), 10);
  EXPECT_GT(difference("sequential_weak", "one_stop_strong", "passed_back_per_demand").low, 0.0);
}

TEST(F6PassingBack, SequentialWeakLosesMoreCitizensThanOneStopStrong) {
  EXPECT_GT(difference("sequential_weak", "one_stop_strong", "share_demands_abandoned").low, 0.0);
}

TEST(F6PassingBack, EachFactorAloneRaisesPassingBackAndAbandonment) {
  // Weak against strong accountability under sequential sign-off, and sequential against one-stop
  // under weak accountability.
  EXPECT_GT(difference("sequential_weak", "sequential_strong", "passed_back_per_demand").low, 0.0);
  EXPECT_GT(difference("sequential_weak", "sequential_strong", "share_demands_abandoned").low, 0.0);
  EXPECT_GT(difference("sequential_weak", "one_stop_weak", "passed_back_per_demand").low, 0.0);
  EXPECT_GT(difference("sequential_weak", "one_stop_weak", "share_demands_abandoned").low, 0.0);
}

}  // namespace
}  // namespace coordsim::facts
