// F13 (MODEL.md §6, seed S3 南县片区协作): clusters handle cases faster, suppress fewer reports and
// see fewer petitions, with no extra staff. Scenario: scenarios/f13_clusters.yaml.
#include <cstdio>

#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() {
  static const FactRun instance("f13_clusters.yaml");
  return instance;
}

sim::Interval difference(const char* summary) {
  const sim::Interval d = sim::paired_difference(run().summary("clusters", summary), run().summary("alone", summary));
  std::printf("F13 %s: clusters - alone = %.4f [%.4f, %.4f]\n", summary, d.mean, d.low, d.high);
  return d;
}

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
