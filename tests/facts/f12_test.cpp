// F12 (MODEL.md §6, seeds S2 "13项全都要调度评比" and S3 疲态治理): many dispatched and ranked items:
// reporting hours crowd out citizen service; fatigue and turnover rise.
// Scenario: scenarios/f12_dispatch_load.yaml.
#include <cstdio>

#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() {
  static const FactRun instance("f12_dispatch_load.yaml");
  return instance;
}

sim::Interval difference(const char* summary) {
  const sim::Interval d =
      sim::paired_difference(run().summary("all_dispatched", summary), run().summary("few_dispatched", summary));
  std::printf("F12 %s: all_dispatched - few_dispatched = %.4f [%.4f, %.4f]\n", summary, d.mean, d.low, d.high);
  return d;
}

TEST(F12DispatchLoad, ReportingHoursCrowdOutCitizenService) {
  expect_sound_batch(run(), 10);
  EXPECT_GT(difference("township_share_reporting").low, 0.0);
  EXPECT_LT(difference("township_share_service").high, 0.0);
  EXPECT_GT(difference("share_demands_abandoned").low, 0.0);
}

TEST(F12DispatchLoad, FatigueAndTurnoverRise) {
  EXPECT_GT(difference("township_fatigue_mean").low, 0.0);
  EXPECT_GT(difference("township_turnover_total").low, 0.0);
}

}  // namespace
}  // namespace coordsim::facts
