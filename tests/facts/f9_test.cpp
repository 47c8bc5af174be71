// F9 (MODEL.md §6, seed S4): effort attenuates down the levels — county leadership, lead
// department, grassroots implementation ("上热、中温、下凉") — unless all three levels are engaged.
// Scenario: scenarios/f9_three_levels.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() {
  static const FactRun instance("f9_three_levels.yaml");
  return instance;
}

sim::Interval attenuation(const std::string& variant) {
  return sim::paired_difference(run().summary(variant, "effort_county_mean"),
                                run().summary(variant, "effort_grassroots_mean"));
}

TEST(F9ThreeLevels, EffortAttenuatesUnlessAllLevelsAreEngaged) {
  expect_sound_batch(run(), 10);
  for (const char* variant : {"top_only", "top_and_lead"}) {
    const sim::Interval d = attenuation(variant);
    EXPECT_GT(d.low, 0.0) << variant << " county - grassroots: " << d.mean << " [" << d.low << ", " << d.high << "]";
  }
  const sim::Interval all = attenuation("all_engaged");
  EXPECT_LT(all.high, 0.05) << "all_engaged county - grassroots: " << all.mean << " [" << all.low << ", " << all.high << "]";
  const sim::Interval top = attenuation("top_only");
  EXPECT_LT(all.mean, top.mean);
}

TEST(F9ThreeLevels, EngagingAllLevelsRaisesGrassrootsEffortAndDelivery) {
  const sim::Interval effort = sim::paired_difference(run().summary("all_engaged", "effort_grassroots_mean"),
                                                      run().summary("top_only", "effort_grassroots_mean"));
  EXPECT_GT(effort.low, 0.0) << effort.mean << " [" << effort.low << ", " << effort.high << "]";
  const sim::Interval on_time = sim::paired_difference(run().summary("all_engaged", "share_on_time"),
                                                       run().summary("top_only", "share_on_time"));
  EXPECT_GT(on_time.low, 0.0) << "on time all - top: " << on_time.mean << " [" << on_time.low << ", " << on_time.high << "]";
}

}  // namespace
}  // namespace coordsim::facts
