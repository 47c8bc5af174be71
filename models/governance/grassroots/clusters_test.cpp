// Township clusters (MODEL.md §3.8, S3): membership, pooled casework oldest first, cross-inspection.
#include "clusters.hpp"

#include <gtest/gtest.h>

#include "grassroots_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::LayerStepper;
using testing::parameters;

TEST(Clusters, TwelveTownshipsIntoFourClustersOrEachAlone) {
  const State pooled = testing::make_state(parameters(
      {{"grassroots.count", std::int64_t{12}}, {"clusters.enabled", true}, {"clusters.size", std::int64_t{3}}}));
  ASSERT_EQ(pooled.grassroots.clusters.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k)
    EXPECT_EQ(pooled.grassroots.clusters.member_begin[k + 1] - pooled.grassroots.clusters.member_begin[k], 3u);
  EXPECT_EQ(pooled.grassroots.townships.cluster[7], 2u);
  const State alone = testing::make_state(parameters({{"grassroots.count", std::int64_t{12}}}));
  EXPECT_EQ(alone.grassroots.clusters.size(), 12u);
  // Same staff either way (不增加人员): pooling moves specialists' hours from general work to cases.
  EXPECT_EQ(pooled.grassroots.townships.official_begin, alone.grassroots.townships.official_begin);
  for (std::size_t j = 0; j < 12; ++j) {
    EXPECT_GT(pooled.grassroots.townships.specialist_case_work[j], alone.grassroots.townships.specialist_case_work[j]);
    EXPECT_LT(pooled.grassroots.townships.specialist_general_hours[j],
              alone.grassroots.townships.specialist_general_hours[j]);
  }
}

TEST(Clusters, PooledSpecialistsWorkTheOldestCaseOfAnyMemberFirst) {
  State s = testing::make_state(parameters({{"grassroots.count", std::int64_t{3}},
                                            {"clusters.enabled", true},
                                            {"clusters.size", std::int64_t{3}},
                                            {"citizens.rate_per_thousand", 0.0001}}));
  auto& d = s.grassroots.demands;
  const double pool = s.grassroots.townships.specialist_case_work[0] * 3.0;
  // A young case at township 0 and an old one at township 2, each needing the whole pool.
  const auto open_case = [&](std::size_t township, std::int64_t arrival) {
    const std::uint32_t slot = acquire_demand(d, township);
    d[slot].flags = kOpen | kReport | kIntaken;
    d[slot].arrival = arrival;
    d[slot].patience_until = 1000;
    d[slot].set_case_remaining(pool);
    return slot;
  };
  const std::uint32_t young = open_case(0, 5);
  const std::uint32_t old = open_case(2, 1);
  work_cluster_cases(s, 0, 6);
  EXPECT_FALSE(d[old].open());  // resolved and released
  EXPECT_TRUE(d[young].open());
  EXPECT_DOUBLE_EQ(d[young].case_remaining(), pool);
  EXPECT_EQ(s.grassroots.townships.citizens[2].cases_closed, 1u);
  EXPECT_EQ(s.grassroots.townships.citizens[2].resolved_total, 1u);
  EXPECT_EQ(s.grassroots.townships.citizens[0].cases_closed, 0u);
}

TEST(Clusters, CrossInspectionRemovesSuppression) {
  const auto world = [](bool enabled) {
    return parameters({{"grassroots.count", std::int64_t{6}},
                       {"clusters.enabled", enabled},
                       {"citizens.report_share", 0.5},
                       {"citizens.rate_per_thousand", 0.3}});
  };
  LayerStepper alone(world(false)), pooled(world(true));
  std::uint64_t suppressed_alone = 0, suppressed_pooled = 0;
  for (std::size_t step = 0; step < 60; ++step) {
    alone.step(step);
    pooled.step(step);
    for (const auto& c : alone.state.grassroots.townships.citizens) suppressed_alone += c.suppressed;
    for (const auto& c : pooled.state.grassroots.townships.citizens) suppressed_pooled += c.suppressed;
  }
  EXPECT_GT(suppressed_alone, 0u);
  EXPECT_EQ(suppressed_pooled, 0u);
}

TEST(Clusters, SuppressedReportsAreNeverWorked) {
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{2}},
                                   {"grassroots.favouritism", 1.0},
                                   {"citizens.report_share", 1.0},
                                   {"citizens.rate_per_thousand", 0.3}}));
  const auto run = testing::run_and_total(stepper, 60);
  EXPECT_EQ(run.cases_closed, 0u);
  EXPECT_EQ(run.suppressed, run.arrived);
}

}  // namespace
}  // namespace coordsim::models::governance
