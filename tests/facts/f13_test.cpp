// F13 (MODEL.md §6, seed S3 南县片区协作): clusters handle cases faster, suppress fewer reports and
// see fewer petitions, with no extra staff. Scenario: scenarios/governance/f13_clusters.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f13_clusters.yaml"); }

sim::Interval difference(const char* summary) { return run().difference("clusters", "alone", summary); }

TEST(F13Clusters, CasesAreHandledFaster) {
  expect_sound_batch(run(), 10);
  EXPECT_LT(difference("mean_report_case_time").high, 0.0);
}

TEST(F13Clusters, FewerReportsAreSuppressed) { EXPECT_LT(difference("reports_suppressed_total").high, 0.0); }

TEST(F13Clusters, FewerPetitions) { EXPECT_LT(difference("petitions_total").high, 0.0); }

TEST(F13Clusters, WithNoExtraStaff) {
  EXPECT_EQ(run().summary("clusters", "township_staff_total"), run().summary("alone", "township_staff_total"));
}

}  // namespace
}  // namespace coordsim::facts
