// The lead department's chasing, trust and escalation (MODEL.md §3.2).
#include "lead.hpp"

#include <gtest/gtest.h>

#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::parameters;

TEST(ChaseProbability, IsTheBaseWhenTheOwnerDoesNotOutrankTheLead) {
  EXPECT_DOUBLE_EQ(chase_probability(0.9, 3.0, 0.3, 0.5), 0.9);
  EXPECT_DOUBLE_EQ(chase_probability(0.9, 3.0, 0.5, 0.5), 0.9);
}

TEST(ChaseProbability, FallsWithTheRankGap) {
  const double small_gap = chase_probability(0.9, 3.0, 0.5, 0.4);
  const double large_gap = chase_probability(0.9, 3.0, 0.9, 0.4);
  EXPECT_LT(small_gap, 0.9);
  EXPECT_LT(large_gap, small_gap);
  EXPECT_GT(large_gap, 0.0);
  // A stronger lead facing the same owner chases more readily.
  EXPECT_GT(chase_probability(0.9, 3.0, 0.9, 0.7), large_gap);
}

TEST(Trust, FallsOnlyWhenTheOwnerOutranksTheLead) {
  EXPECT_DOUBLE_EQ(trust_after_chase(0.8, 0.5, 0.3, 0.4), 0.8);
  EXPECT_DOUBLE_EQ(trust_after_chase(0.8, 0.5, 0.4, 0.4), 0.8);
  const double slightly = trust_after_chase(0.8, 0.5, 0.5, 0.4);
  const double strongly = trust_after_chase(0.8, 0.5, 0.9, 0.4);
  EXPECT_LT(slightly, 0.8);
  EXPECT_LT(strongly, slightly);
  EXPECT_GE(trust_after_chase(0.1, 5.0, 1.0, 0.0), 0.0);
}

TEST(Trust, RecoversTowardsItsBaseline) {
  EXPECT_GT(trust_recovered(0.4, 0.8, 0.1), 0.4);
  EXPECT_LT(trust_recovered(0.4, 0.8, 0.1), 0.8);
  EXPECT_DOUBLE_EQ(trust_recovered(0.8, 0.8, 0.1), 0.8);
}

TEST(RankFactor, PressureWeighsMoreFromAboveThanFromBelow) {
  EXPECT_GT(rank_factor(2.0, 0.9, 0.5), 1.0);
  EXPECT_LT(rank_factor(2.0, 0.3, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(rank_factor(0.0, 0.3, 0.9), 1.0);
}

// One lead phase at a step when every item of the single task is overdue and open.
State after_overdue_lead_phase(const sim::ParamSet& set) {
  State state = testing::make_state(set);
  const sim::Rng rng(5, 0);
  const sim::ExecutionContext execution(1);
  run_lead_phase(state, sim::StepContext{400, rng, execution});
  return state;
}

TEST(LeadPhase, AWeakLeadChasesFewerOwnersOnTheSameDraws) {
  const std::initializer_list<std::pair<std::string, sim::ParamValue>> base = {
      {"tasks.count", std::int64_t{1}}, {"tasks.participants", std::int64_t{50}}, {"departments.count", std::int64_t{60}},
      {"lead.rank", 0.3}, {"departments.rank_mean", 0.6}, {"departments.rank_spread", 0.3},
      // Hours enough for every chase, so the lead's capacity does not bind.
      {"departments.staff_mean", 100.0}, {"departments.staff_cv", 0.0}};
  const State weak = after_overdue_lead_phase(parameters(base));
  auto group_set = parameters(base);
  group_set.set("lead.leading_group", true);  // same world, effective rank lifted to the chair's
  const State group = after_overdue_lead_phase(group_set);
  std::size_t weak_chases = 0, group_chases = 0;
  for (std::size_t r = 0; r < weak.relations.size(); ++r) {
    const bool weak_chased = weak.relations.chase_pressure[r] > 0.0;
    const bool group_chased = group.relations.chase_pressure[r] > 0.0;
    // Common random numbers: whoever the weak lead dares to chase, the stronger one chases too.
    if (weak_chased) {
      EXPECT_TRUE(group_chased) << r;
    }
    weak_chases += weak_chased;
    group_chases += group_chased;
  }
  EXPECT_LT(weak_chases, group_chases);
  EXPECT_LT(weak.departments.chasing[weak.tasks.lead[0]], group.departments.chasing[group.tasks.lead[0]]);
  EXPECT_DOUBLE_EQ(group.departments.chasing[group.tasks.lead[0]],
                   static_cast<double>(group_chases) * Parameters::read(group_set).costs.chase_hours);
}

TEST(LeadPhase, ChasingCostsTrustOnlyWithOwnersWhoOutrankTheLead) {
  const auto set = parameters({{"tasks.count", std::int64_t{1}}, {"tasks.participants", std::int64_t{50}},
                               {"departments.count", std::int64_t{60}}, {"lead.rank", 0.5},
                               {"lead.chase_rank_sensitivity", 0.0}, {"lead.trust_recovery", 0.0}});
  const State state = after_overdue_lead_phase(set);
  const double baseline = Parameters::read(set).lead.trust_initial;
  std::size_t lost = 0, kept = 0;
  for (std::size_t r = 0; r < state.relations.size(); ++r) {
    const double owner_rank = state.departments.rank[state.relations.department[r]];
    const bool chased = state.relations.chase_pressure[r] > 0.0;
    if (chased && owner_rank > 0.5) {
      EXPECT_LT(state.relations.trust[r], baseline);
      ++lost;
    } else {
      EXPECT_DOUBLE_EQ(state.relations.trust[r], baseline);
      ++kept;
    }
  }
  EXPECT_GT(lost, 0u);
  EXPECT_GT(kept, 0u);
}

TEST(LeadPhase, EscalatesLongOverdueItemsToLeadership) {
  const auto set = parameters({{"tasks.count", std::int64_t{1}}, {"lead.escalate_after", std::int64_t{5}}});
  State state = testing::make_state(set);
  const sim::Rng rng(5, 0);
  const sim::ExecutionContext execution(1);
  // Pick a step exactly escalate_after steps past the first item's deadline.
  const auto step = static_cast<std::size_t>(state.items.deadline[0] + 5);
  run_lead_phase(state, sim::StepContext{step, rng, execution});
  bool found = false;
  for (const auto& envelope : state.escalations.inbox(0)) found = found || envelope.message == 0u;
  EXPECT_TRUE(found);
  EXPECT_EQ(state.escalations_posted, state.escalations.inbox(0).size());
  EXPECT_GT(state.departments.coordinating_lead[state.tasks.lead[0]], 0.0);
}

}  // namespace
}  // namespace coordsim::models::governance
