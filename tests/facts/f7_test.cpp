// F7 (MODEL.md §6, seed S4): with conflicting goals and a mediating-only lead, decisions stall
// unless leadership attention is high ("卫健局只能居中协调并把意见上呈给分管领导决策"; "领导关注和
// 重视的程度往往决定了工作推进的效果"). Scenario: scenarios/governance/f7_conflicting_goals.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f7_conflicting_goals.yaml"); }

sim::Interval high_minus_low(const std::string& summary) {
  return run().difference("high_attention", "low_attention", summary);
}

TEST(F7ConflictingGoals, HighAttentionSettlesMoreBlockedDecisions) {
  expect_sound_batch(run(), 10);
  const sim::Interval d = high_minus_low("decisions_resolved_share");
  EXPECT_GT(d.low, 0.0) << "resolved share high - low: " << describe(d);
}

TEST(F7ConflictingGoals, HighAttentionShortensTheTimeToDecision) {
  const sim::Interval d = high_minus_low("mean_decision_time");
  EXPECT_LT(d.high, 0.0) << "decision time high - low: " << describe(d);
}

TEST(F7ConflictingGoals, WithLowAttentionDecisionsStall) {
  const sim::Interval m = sim::mean_interval(run().summary("low_attention", "decisions_resolved_share"));
  EXPECT_LT(m.high, 0.5) << "resolved share, low attention: " << describe(m);
}

}  // namespace
}  // namespace coordsim::facts
