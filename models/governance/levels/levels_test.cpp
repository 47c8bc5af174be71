// Three levels (F9, S4 "上热、中温、下凉").
#include "levels.hpp"

#include <gtest/gtest.h>

#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::parameters;

LevelParameters levels(double county, double lead, double grassroots) {
  LevelParameters p = Parameters::read(parameters()).levels;
  p.enabled = true;
  p.engagement_county = county;
  p.engagement_lead = lead;
  p.engagement_grassroots = grassroots;
  p.pass_through = 0.5;
  return p;
}

TEST(LevelEffort, AttenuatesDownDisengagedLevels) {
  const LevelEffort e = level_effort(levels(1.0, 0.0, 0.0), 0.3);
  EXPECT_DOUBLE_EQ(e.county, 1.0);
  EXPECT_DOUBLE_EQ(e.lead, 0.5);
  EXPECT_DOUBLE_EQ(e.grassroots, 0.25);
}

TEST(LevelEffort, ReachesTheBottomWhenAllAreEngaged) {
  const LevelEffort e = level_effort(levels(1.0, 1.0, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(e.grassroots, 1.0);
  const LevelEffort cold = level_effort(levels(0.0, 1.0, 1.0), 0.4);  // the top only attends
  EXPECT_DOUBLE_EQ(cold.county, 0.4);
  EXPECT_DOUBLE_EQ(cold.grassroots, 0.4);
}

TEST(Levels, OffByDefaultIsNeutral) {
  State s = testing::make_state(parameters());
  s.tasks.attention[0] = 0.7;
  EXPECT_DOUBLE_EQ(felt_attention(s, 0), 0.7);
  for (std::uint32_t item = 0; item < s.items.size(); ++item) EXPECT_DOUBLE_EQ(implementation_factor(s, item), 1.0);
}

TEST(Levels, GrassrootsItemsProgressAtGrassrootsEffort) {
  testing::Stepper stepper(parameters({{"levels.enabled", true}, {"levels.grassroots_share", 0.5}}));
  stepper.step(0);
  const State& s = stepper.state;
  std::size_t grassroots = 0;
  for (std::uint32_t item = 0; item < s.items.size(); ++item) {
    if (!s.mechanisms.levels.grassroots_item[item]) {
      EXPECT_DOUBLE_EQ(implementation_factor(s, item), 1.0);
      continue;
    }
    ++grassroots;
    if (task_open(s, s.items.task[item], 0)) {
      EXPECT_DOUBLE_EQ(implementation_factor(s, item), 0.25);  // 1 x 0.5 x 0.5 with the defaults
    }
  }
  EXPECT_GT(grassroots, 0u);
}

}  // namespace
}  // namespace coordsim::models::governance
