// F10 (MODEL.md §6, seed S2 energy supply vs safety): with conflicting rigid targets on one unit,
// penalties cannot be avoided, and the unit trades attainment of one target against the other.
// Scenario: scenarios/governance/f10_conflicting_targets.yaml.
#include <cstdio>

#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f10_conflicting_targets.yaml"); }

TEST(F10ConflictingTargets, PenaltiesCannotBeAvoided) {
  expect_sound_batch(run(), 10);
  for (const char* variant : {"conflict", "supply_first", "safety_first"}) {
    const auto penalties = run().summary(variant, "target_penalties_total");
    const sim::Interval m = sim::mean_interval(penalties);
    std::printf("F10 target_penalties_total %s = %.2f [%.2f, %.2f]\n", variant, m.mean, m.low, m.high);
    EXPECT_GT(m.low, 0.0) << variant;
    for (const double value : penalties) EXPECT_GT(value, 0.0) << variant;  // in every replication
    EXPECT_GT(run().difference(variant, "no_conflict", "target_penalties_total").low, 0.0) << variant;
  }
}

TEST(F10ConflictingTargets, AttainmentOfOneIsTradedAgainstTheOther) {
  EXPECT_GT(run().difference("supply_first", "safety_first", "attainment_supply_mean").low, 0.0);
  EXPECT_LT(run().difference("supply_first", "safety_first", "attainment_safety_mean").high, 0.0);
  // Neither target is fully met under conflict, whichever is preferred.
  for (const char* variant : {"conflict", "supply_first", "safety_first"}) {
    EXPECT_LT(sim::mean_interval(run().summary(variant, "attainment_supply_mean")).high, 1.0) << variant;
    EXPECT_LT(sim::mean_interval(run().summary(variant, "attainment_safety_mean")).high, 1.0) << variant;
  }
}

}  // namespace
}  // namespace coordsim::facts
