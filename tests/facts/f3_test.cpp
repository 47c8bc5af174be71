// F3 (MODEL.md §6, seeds S0 and S1): against outcome-only assessment, cooperation-degree and
// lead-evaluates assessment raise on-time delivery and cut the lead's own hours.
// Scenario: scenarios/f3_assessment.yaml (variants share random numbers, so differences are paired).
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

class F3Assessment : public ::testing::TestWithParam<const char*> {
 protected:
  static const FactRun& run() {
    static const FactRun instance("f3_assessment.yaml");
    return instance;
  }
};

TEST_P(F3Assessment, RaisesOnTimeDeliveryAgainstOutcomeOnly) {
  expect_sound_batch(run(), 10);
  const auto treated = run().summary(GetParam(), "share_on_time");
  const auto baseline = run().summary("outcome_only", "share_on_time");
  const sim::Interval d = sim::paired_difference(treated, baseline);
  EXPECT_GT(d.low, 0.0) << GetParam() << " - outcome_only: " << d.mean << " [" << d.low << ", " << d.high << "]";
}

TEST_P(F3Assessment, CutsTheLeadsOwnHoursAgainstOutcomeOnly) {
  const auto treated = run().summary(GetParam(), "lead_hours_own_total");
  const auto baseline = run().summary("outcome_only", "lead_hours_own_total");
  const sim::Interval d = sim::paired_difference(treated, baseline);
  EXPECT_LT(d.high, 0.0) << GetParam() << " - outcome_only: " << d.mean << " [" << d.low << ", " << d.high << "]";
}

INSTANTIATE_TEST_SUITE_P(Regimes, F3Assessment, ::testing::Values("cooperation_degree", "lead_evaluates"));

}  // namespace
}  // namespace coordsim::facts
