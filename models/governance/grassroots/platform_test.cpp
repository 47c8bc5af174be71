// The 益村 platform (MODEL.md §3.8, S3): routing, handling cost, response, paperwork, travel.
#include "platform.hpp"

#include <gtest/gtest.h>

#include "grassroots_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::LayerStepper;
using testing::parameters;

TEST(Platform, OffMeansNoEffect) {
  const Parameters p = Parameters::read(parameters());
  EXPECT_FALSE(p.platform.enabled);
  EXPECT_EQ(paperwork_factor(p.platform), 1.0);
  EXPECT_FALSE(on_platform(p.platform, 0.0001));
  EXPECT_EQ(agent_hours(p.platform, 12.0), 0.0);
  EXPECT_EQ(response_probability(0.3, false, p.platform), 0.3);
}

TEST(Platform, OnlineDemandsCostLessAndAreAnsweredFaster) {
  Parameters p = Parameters::read(parameters({{"platform.enabled", true}}));
  EXPECT_TRUE(on_platform(p.platform, 0.5));
  EXPECT_FALSE(on_platform(p.platform, 0.9));
  EXPECT_LT(township_intake_hours(p, true), township_intake_hours(p, false));
  EXPECT_GT(response_probability(0.3, true, p.platform), response_probability(0.3, false, p.platform));
  EXPECT_EQ(response_probability(0.9, true, p.platform), 1.0);  // a probability stays a probability
  EXPECT_DOUBLE_EQ(paperwork_factor(p.platform), 1.0 - p.platform.paperwork_cut);
  EXPECT_DOUBLE_EQ(agent_hours(p.platform, 12.0), 12.0 * p.platform.agent_hours);
}

TEST(Platform, EveryDemandOnThePlatformIsSettledWithoutTravel) {
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{3}},
                                   {"platform.enabled", true},
                                   {"platform.share", 1.0},
                                   {"citizens.rate_per_thousand", 0.3}}));
  const auto run = testing::run_and_total(stepper, 80);
  EXPECT_GT(run.resolved, 0u);
  EXPECT_EQ(run.without_travel, run.resolved);
  EXPECT_EQ(run.trips, 0u);
}

TEST(Platform, WalkInsTravelForEverySignOff) {
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{3}},
                                   {"citizens.walk_in_share", 1.0},
                                   {"citizens.multi_share", 1.0},
                                   {"citizens.report_share", 0.0},
                                   {"citizens.rate_per_thousand", 0.3}}));
  const auto run = testing::run_and_total(stepper, 80);
  EXPECT_GT(run.resolved, 0u);
  EXPECT_EQ(run.without_travel, 0u);
  EXPECT_GE(run.trips, 2 * run.resolved);  // at least two sign-offs each
}

}  // namespace
}  // namespace coordsim::models::governance
