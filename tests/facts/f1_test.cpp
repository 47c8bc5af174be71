// F1 (MODEL.md §6, seed S0): with 50+ departments, a weak lead and outcome-only assessment, more
// than half of the material submissions due are late or missing. Scenario: scenarios/governance/f1_weak_lead.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

TEST(F1WeakLead, MoreThanHalfOfMaterialSubmissionsAreLateOrMissing) {
  const FactRun run("f1_weak_lead.yaml");
  expect_sound_batch(run, 10);
  EXPECT_GE(run.scenario().base.integer("tasks.participants"), 50);
  const auto late = run.summary("baseline", "share_late_or_missing");
  const sim::Interval interval = sim::mean_interval(late);
  RecordProperty("share_late_or_missing", std::to_string(interval.mean));
  EXPECT_EQ(interval.n, late.size());
  EXPECT_GT(interval.low, 0.5) << "mean " << interval.mean << " [" << interval.low << ", " << interval.high << "]";
}

}  // namespace
}  // namespace coordsim::facts
