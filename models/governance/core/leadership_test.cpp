// Leadership attention and the leading small group (MODEL.md §3.3).
#include "leadership.hpp"

#include <gtest/gtest.h>

#include <array>

#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::parameters;

TEST(ShareAttention, FollowsClaimsWithinTheBudget) {
  const std::array<double, 4> claim = {1.0, 2.0, 0.0, 1.0};
  const std::array<std::uint8_t, 4> guaranteed = {0, 0, 0, 0};
  std::array<double, 4> attention{};
  share_attention(claim, guaranteed, 1.0, attention);
  EXPECT_DOUBLE_EQ(attention[1], 2.0 * attention[0]);
  EXPECT_DOUBLE_EQ(attention[2], 0.0);  // not open: no attention
  EXPECT_NEAR(attention[0] + attention[1] + attention[3], 1.0, 1e-12);
}

TEST(ShareAttention, NoTaskGetsMoreThanFullAttention) {
  const std::array<double, 2> claim = {1.0, 3.0};
  const std::array<std::uint8_t, 2> guaranteed = {0, 0};
  std::array<double, 2> attention{};
  share_attention(claim, guaranteed, 10.0, attention);
  EXPECT_DOUBLE_EQ(attention[0], 1.0);
  EXPECT_DOUBLE_EQ(attention[1], 1.0);
}

TEST(ShareAttention, LeadingGroupTasksGetFullAttentionOutsideTheBudget) {
  const std::array<double, 3> claim = {1.0, 1.0, 0.0};
  const std::array<std::uint8_t, 3> guaranteed = {1, 0, 1};
  std::array<double, 3> attention{};
  share_attention(claim, guaranteed, 0.2, attention);
  EXPECT_DOUBLE_EQ(attention[0], 1.0);
  EXPECT_DOUBLE_EQ(attention[1], 0.2);  // the budget is not spent on the group's task
  EXPECT_DOUBLE_EQ(attention[2], 0.0);  // a closed group task needs none
}

TEST(LeadingGroup, LiftsTheEffectiveLeadRankToTheChairs) {
  Parameters p = Parameters::read(parameters({{"lead.rank", 0.35}, {"leadership.chair_rank", 0.95}}));
  EXPECT_DOUBLE_EQ(p.effective_lead_rank(), 0.35);
  p.lead.leading_group = true;
  EXPECT_DOUBLE_EQ(p.effective_lead_rank(), 0.95);
  p.lead.rank = 0.99;  // a group never lowers a lead that already outranks the chair
  EXPECT_DOUBLE_EQ(p.effective_lead_rank(), 0.99);
}

TEST(LeadingGroup, OwnersFeelMorePressureFromTheSameChase) {
  const auto weak = testing::make_state(parameters({{"tasks.count", std::int64_t{1}}}));
  const auto group = testing::make_state(parameters({{"tasks.count", std::int64_t{1}}, {"lead.leading_group", true}}));
  for (std::size_t r = 0; r < weak.relations.size(); ++r) EXPECT_GT(group.relations.lead_factor[r], weak.relations.lead_factor[r]);
}

TEST(LeadershipPhase, GuaranteesAttentionToLeadingGroupTasks) {
  const auto base = parameters({{"tasks.count", std::int64_t{3}}, {"leadership.attention_budget", 0.3}});
  auto group = base;
  group.set("lead.leading_group", true);
  State without = testing::make_state(base);
  State with = testing::make_state(group);
  const sim::Rng rng(1, 0);
  const sim::ExecutionContext execution(1);
  run_leadership_phase(without, sim::StepContext{0, rng, execution});
  run_leadership_phase(with, sim::StepContext{0, rng, execution});
  double total = 0.0;
  for (std::size_t task = 0; task < 3; ++task) {
    EXPECT_DOUBLE_EQ(with.tasks.attention[task], 1.0);
    EXPECT_LT(without.tasks.attention[task], 1.0);
    total += without.tasks.attention[task];
  }
  EXPECT_NEAR(total, 0.3, 1e-12);
}

TEST(LeadershipPhase, EscalationsDrawAttention) {
  const auto set = parameters({{"tasks.count", std::int64_t{2}}, {"tasks.priority_spread", 0.0},
                               {"leadership.attention_budget", 1.0}});
  State state = testing::make_state(set);
  const sim::Rng rng(1, 0);
  const sim::ExecutionContext execution(1);
  const std::uint32_t item = state.tasks.item_begin[0];
  state.escalations.post(state.tasks.lead[0], 0, item);
  state.escalations.post(state.tasks.lead[0], 0, item + 1);
  state.escalations.deliver();
  run_leadership_phase(state, sim::StepContext{0, rng, execution});
  EXPECT_EQ(state.tasks.escalations[0], 2u);
  EXPECT_GT(state.tasks.attention[0], state.tasks.attention[1]);
}

}  // namespace
}  // namespace coordsim::models::governance
