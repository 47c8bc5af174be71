// F9 (MODEL.md §6, seed S4): effort attenuates down the levels — county leadership, lead
// department, grassroots implementation ("上热、中温、下凉") — unless all three levels are engaged.
// Scenario: scenarios/governance/f9_three_levels.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f9_three_levels.yaml"); }

sim::Interval attenuation(const std::string& variant) {
  return sim::paired_difference(run().summary(variant, "effort_county_mean"),
                                run().summary(variant, "effort_grassroots_mean"));
}

TEST(F9ThreeLevels, EffortAttenuatesUnlessAllLevelsAreEngaged) {
  expect_sound_batch(run(), 10);
  for (const char* variant : {"top_only", "top_and_lead"}) {
    const sim::Interval d = attenuation(variant);
    EXPECT_GT(d.low, 0.0) << variant << " county - grassroots: " << describe(d);
  }
  const sim::Interval all = attenuation("all_engaged");
  EXPECT_LT(all.high, 0.05) << "all_engaged county - grassroots: " << describe(all);
  const sim::Interval top = attenuation("top_only");
  EXPECT_LT(all.mean, top.mean);
}

TEST(F9ThreeLevels, EngagingAllLevelsRaisesGrassrootsEffortAndDelivery) {
  EXPECT_GT(run().difference("all_engaged", "top_only", "effort_grassroots_mean").low, 0.0);
  EXPECT_GT(run().difference("all_engaged", "top_only", "share_on_time").low, 0.0);
}

}  // namespace
}  // namespace coordsim::facts
