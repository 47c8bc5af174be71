// F3 (MODEL.md §6, seeds S0 and S1): against outcome-only assessment, cooperation-degree and
// lead-evaluates assessment raise on-time delivery and cut the lead's own hours.
// Scenario: scenarios/governance/f3_assessment.yaml (variants share random numbers, so differences are paired).
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

class F3Assessment : public ::testing::TestWithParam<const char*> {
 protected:
  static const FactRun& run() { return shared_run("f3_assessment.yaml"); }
};

TEST_P(F3Assessment, RaisesOnTimeDeliveryAgainstOutcomeOnly) {
  expect_sound_batch(run(), 10);
  EXPECT_GT(run().difference(GetParam(), "outcome_only", "share_on_time").low, 0.0);
}

TEST_P(F3Assessment, CutsTheLeadsOwnHoursAgainstOutcomeOnly) {
  EXPECT_LT(run().difference(GetParam(), "outcome_only", "lead_hours_own_total").high, 0.0);
}

INSTANTIATE_TEST_SUITE_P(Regimes, F3Assessment, ::testing::Values("cooperation_degree", "lead_evaluates"));

}  // namespace
}  // namespace coordsim::facts
