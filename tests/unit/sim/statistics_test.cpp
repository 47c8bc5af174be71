#include "coordsim/sim/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace coordsim::sim {
namespace {

TEST(Statistics, MeanIntervalUsesStudentT) {
  // Values 1..5: mean 3, sd sqrt(2.5), se sqrt(0.5); t(0.975, 4) = 2.7764451 (standard tables).
  const std::vector<double> values{1, 2, 3, 4, 5};
  const Interval interval = mean_interval(values);
  EXPECT_DOUBLE_EQ(interval.mean, 3.0);
  EXPECT_NEAR(interval.high - interval.mean, 2.7764451 * std::sqrt(0.5), 1e-6);
  EXPECT_NEAR(interval.mean - interval.low, 2.7764451 * std::sqrt(0.5), 1e-6);
  EXPECT_EQ(interval.n, 5u);
}

TEST(Statistics, NaNsAreSkippedAndSingleValueIsAPoint) {
  const std::vector<double> values{std::nan(""), 4.0};
  const Interval interval = mean_interval(values);
  EXPECT_EQ(interval.n, 1u);
  EXPECT_EQ(interval.low, 4.0);
  EXPECT_EQ(interval.high, 4.0);
}

TEST(Statistics, PairingRemovesSharedNoise) {
  // Large common noise, constant treatment effect: the paired interval is exact, unpaired is not.
  const std::vector<double> baseline{10, 50, 30, 90, 70};
  std::vector<double> treatment;
  for (double b : baseline) treatment.push_back(b + 1.0);
  const Interval difference = paired_difference(treatment, baseline);
  EXPECT_DOUBLE_EQ(difference.mean, 1.0);
  EXPECT_NEAR(difference.low, 1.0, 1e-12);
  EXPECT_NEAR(difference.high, 1.0, 1e-12);
}

}  // namespace
}  // namespace coordsim::sim
