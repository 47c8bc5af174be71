// F5 (MODEL.md §6, seed S4): the same task led by a high-rank department, or by a leading small
// group, finishes sooner than led by a functional bureau. Scenario: scenarios/f5_lead_rank.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

class F5LeadRank : public ::testing::TestWithParam<const char*> {
 protected:
  static const FactRun& run() {
    static const FactRun instance("f5_lead_rank.yaml");
    return instance;
  }
};

TEST_P(F5LeadRank, FinishesSoonerThanAFunctionalBureau) {
  expect_sound_batch(run(), 10);
  const auto treated = run().summary(GetParam(), "mean_completion_step");
  const auto baseline = run().summary("functional_bureau", "mean_completion_step");
  const sim::Interval d = sim::paired_difference(treated, baseline);
  EXPECT_LT(d.high, 0.0) << GetParam() << " - functional_bureau: " << d.mean << " [" << d.low << ", " << d.high << "]";
}

INSTANTIATE_TEST_SUITE_P(Authority, F5LeadRank, ::testing::Values("high_rank_lead", "leading_group"));

}  // namespace
}  // namespace coordsim::facts
