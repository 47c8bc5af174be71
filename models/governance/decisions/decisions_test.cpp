// Conflicting goals and blocked decisions (MODEL.md §3.3, F7).
#include "decisions.hpp"

#include <gtest/gtest.h>

#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::parameters;

TEST(LeadershipDecisionProbability, RisesWithAttention) {
  EXPECT_DOUBLE_EQ(leadership_decision_probability(0.3, 0.0), 0.0);
  EXPECT_LT(leadership_decision_probability(0.3, 0.2), leadership_decision_probability(0.3, 0.8));
  EXPECT_DOUBLE_EQ(leadership_decision_probability(2.0, 1.0), 1.0);
}

sim::ParamSet conflicted(double attention, bool lead_decides = false) {
  return parameters({{"decisions.enabled", true}, {"decisions.item_share", 1.0}, {"decisions.conflict_alignment", 1.0},
                     {"decisions.lead_decides", lead_decides}, {"leadership.attention_budget", attention},
                     {"tasks.count", std::int64_t{1}}});
}

TEST(Decisions, ConflictingItemsAreBlockedAndReceiveNoWork) {
  testing::Stepper stepper(conflicted(0.0));
  stepper.step(0);
  const auto& dec = stepper.state.mechanisms.decisions;
  for (std::uint32_t item = 0; item < stepper.state.items.size(); ++item) {
    EXPECT_TRUE(dec.blocked[item]);
    EXPECT_FALSE(item_available(stepper.state, item, 0));
  }
  // Zero attention and a mediating-only lead: nothing is ever decided, no work is done.
  for (std::size_t step = 1; step < 60; ++step) stepper.step(step);
  EXPECT_DOUBLE_EQ(dec.made, 0.0);
  EXPECT_DOUBLE_EQ(stepper.state.tasks.done_work[0], 0.0);
}

TEST(Decisions, AMediatingLeadEscalatesAfterMediation) {
  testing::Stepper stepper(conflicted(0.0));
  const auto mediation = static_cast<std::size_t>(stepper.state.parameters.decisions.mediation_steps);
  for (std::size_t step = 0; step < mediation; ++step) stepper.step(step);
  EXPECT_EQ(stepper.state.mechanisms.decisions.status[0], DecisionStatus::Mediating);
  stepper.step(mediation);
  EXPECT_EQ(stepper.state.mechanisms.decisions.status[0], DecisionStatus::Escalated);
}

TEST(Decisions, AlignedOwnersDecideAtOnce) {
  testing::Stepper stepper(parameters({{"decisions.enabled", true}, {"decisions.item_share", 1.0},
                                       {"decisions.conflict_alignment", 0.0}, {"tasks.count", std::int64_t{1}}}));
  stepper.step(0);
  for (std::uint32_t item = 0; item < stepper.state.items.size(); ++item)
    EXPECT_FALSE(stepper.state.mechanisms.decisions.blocked[item]);
}

TEST(Decisions, ALeadWithDecisionPowerOrFullAttentionUnblocks) {
  for (const auto& set : {conflicted(1.0), conflicted(0.0, true)}) {
    testing::Stepper stepper(set);
    for (std::size_t step = 0; step < 80; ++step) stepper.step(step);
    EXPECT_GT(stepper.state.mechanisms.decisions.made, 0.0);
    EXPECT_GT(stepper.state.tasks.done_work[0], 0.0);
  }
}

TEST(Decisions, ConsultationsSettleBlockedItems) {
  auto set = conflicted(0.0);
  set.set("costs.consultation_every", std::int64_t{5});
  set.set("costs.consultation_clear", 1.0);
  testing::Stepper stepper(set);
  for (std::size_t step = 0; step <= 5; ++step) stepper.step(step);
  EXPECT_DOUBLE_EQ(stepper.state.mechanisms.decisions.made, static_cast<double>(stepper.state.items.size()));
}

}  // namespace
}  // namespace coordsim::models::governance
