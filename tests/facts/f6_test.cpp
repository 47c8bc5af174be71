// F6 (MODEL.md §6, seed S4 EV-charging case): multi-department citizen demands signed off in
// sequence under weak accountability are passed back more often and abandoned more often than at a
// one-stop window under strong accountability. Scenario: scenarios/governance/f6_passing_back.yaml (variants
// share townships and arrivals, so differences are paired).
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f6_passing_back.yaml"); }

TEST(F6PassingBack, SequentialWeakPassesBackMoreThanOneStopStrong) {
  expect_sound_batch(run(), 10);
  EXPECT_GT(run().difference("sequential_weak", "one_stop_strong", "passed_back_per_demand").low, 0.0);
}

TEST(F6PassingBack, SequentialWeakLosesMoreCitizensThanOneStopStrong) {
  EXPECT_GT(run().difference("sequential_weak", "one_stop_strong", "share_demands_abandoned").low, 0.0);
}

TEST(F6PassingBack, EachFactorAloneRaisesPassingBackAndAbandonment) {
  // Weak against strong accountability under sequential sign-off, and sequential against one-stop
  // under weak accountability.
  EXPECT_GT(run().difference("sequential_weak", "sequential_strong", "passed_back_per_demand").low, 0.0);
  EXPECT_GT(run().difference("sequential_weak", "sequential_strong", "share_demands_abandoned").low, 0.0);
  EXPECT_GT(run().difference("sequential_weak", "one_stop_weak", "passed_back_per_demand").low, 0.0);
  EXPECT_GT(run().difference("sequential_weak", "one_stop_weak", "share_demands_abandoned").low, 0.0);
}

}  // namespace
}  // namespace coordsim::facts
