// F5 (MODEL.md §6, seed S4): the same task led by a high-rank department, or by a leading small
// group, finishes sooner than led by a functional bureau. Scenario: scenarios/governance/f5_lead_rank.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

class F5LeadRank : public ::testing::TestWithParam<const char*> {
 protected:
  static const FactRun& run() { return shared_run("f5_lead_rank.yaml"); }
};

TEST_P(F5LeadRank, FinishesSoonerThanAFunctionalBureau) {
  expect_sound_batch(run(), 10);
  EXPECT_LT(run().difference(GetParam(), "functional_bureau", "mean_completion_step").high, 0.0);
}

INSTANTIATE_TEST_SUITE_P(Authority, F5LeadRank, ::testing::Values("high_rank_lead", "leading_group"));

}  // namespace
}  // namespace coordsim::facts
