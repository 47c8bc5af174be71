// F14 (MODEL.md §6, seed S3 益村): with the platform and village service agents most demands are
// settled without travel, time to resolution falls and paperwork falls.
// Scenario: scenarios/governance/f14_platform.yaml.
#include <cstdio>

#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f14_platform.yaml"); }

sim::Interval difference(const char* summary) { return run().difference("platform", "no_platform", summary); }

TEST(F14Platform, MostDemandsAreSettledWithoutTravel) {
  expect_sound_batch(run(), 10);
  const sim::Interval share = sim::mean_interval(run().summary("platform", "share_without_travel"));
  std::printf("F14 share_without_travel platform = %.4f [%.4f, %.4f]\n", share.mean, share.low, share.high);
  EXPECT_GT(share.low, 0.5);
  EXPECT_GT(difference("share_without_travel").low, 0.0);
}

TEST(F14Platform, TimeToResolutionFalls) { EXPECT_LT(difference("mean_time_to_resolution").high, 0.0); }

TEST(F14Platform, PaperworkFalls) { EXPECT_LT(difference("township_hours_reporting_total").high, 0.0); }

}  // namespace
}  // namespace coordsim::facts
