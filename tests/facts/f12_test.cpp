// F12 (MODEL.md §6, seeds S2 "13项全都要调度评比" and S3 疲态治理): many dispatched and ranked items:
// reporting hours crowd out citizen service; fatigue and turnover rise.
// Scenario: scenarios/governance/f12_dispatch_load.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f12_dispatch_load.yaml"); }

sim::Interval difference(const char* summary) { return run().difference("all_dispatched", "few_dispatched", summary); }

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
