// The choice rule (choice.hpp) against what a logit must do whatever the utilities: hours are
// conserved, no option gets more than it can absorb, shares follow exp(u/T), the T → 0 limit is the
// utility-maximising corner (MODEL.md §9) and a large T gives equal shares.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <numeric>

#include "choice.hpp"

namespace coordsim::models::society {
namespace {

TEST(SocietyChoice, SharesFollowTheLogitWhenNothingSaturates) {
  const std::array<double, 2> u{1.0, 0.0}, cap{1e9, 1e9};
  std::array<double, 2> h{};
  const double idle = allocate(u, cap, 10.0, 0.5, 0.0, h);
  // Weights e^{1/0.5}, e^0 and the idle option's e^0.
  const double w = std::exp(2.0), total = w + 2.0;
  EXPECT_NEAR(h[0], 10.0 * w / total, 1e-9);
  EXPECT_NEAR(h[1], 10.0 / total, 1e-9);
  EXPECT_NEAR(idle, 10.0 / total, 1e-9);
}

TEST(SocietyChoice, CapacityIsRespectedAndTheRestReshared) {
  const std::array<double, 3> u{2.0, 1.0, 0.5}, cap{1.0, 100.0, 100.0};
  std::array<double, 3> h{};
  const double idle = allocate(u, cap, 20.0, 1.0, -5.0, h);
  EXPECT_DOUBLE_EQ(h[0], 1.0);
  EXPECT_NEAR(h[0] + h[1] + h[2] + idle, 20.0, 1e-9);
  // After the first option is saturated the rest is split by the logit of the others.
  EXPECT_NEAR(h[1] / h[2], std::exp(0.5), 1e-9);
}

TEST(SocietyChoice, ZeroTemperatureIsTheUtilityMaximisingCorner) {
  const std::array<double, 4> u{0.3, 0.9, 0.6, 0.1}, cap{5.0, 4.0, 3.0, 50.0};
  std::array<double, 4> h{};
  const double idle = allocate(u, cap, 10.0, 1e-6, 0.2, h);
  // Best option (0.9) up to its 4 h, then 0.6 up to its 3 h, then 0.3 takes the remaining 3 h; the
  // option below the idle utility (0.1 < 0.2) gets nothing.
  EXPECT_NEAR(h[1], 4.0, 1e-6);
  EXPECT_NEAR(h[2], 3.0, 1e-6);
  EXPECT_NEAR(h[0], 3.0, 1e-6);
  EXPECT_NEAR(h[3], 0.0, 1e-6);
  EXPECT_NEAR(idle, 0.0, 1e-6);
  // With idle the best use of time, nothing is worked.
  const double rest = allocate(u, cap, 10.0, 1e-6, 2.0, h);
  EXPECT_NEAR(rest, 10.0, 1e-6);
}

TEST(SocietyChoice, HighTemperatureGivesEqualShares) {
  const std::array<double, 3> u{0.0, 1.0, 2.0}, cap{1e9, 1e9, 1e9};
  std::array<double, 3> h{};
  const double idle = allocate(u, cap, 40.0, 1e6, 1.0, h);
  for (const double x : h) EXPECT_NEAR(x, 10.0, 1e-3);
  EXPECT_NEAR(idle, 10.0, 1e-3);
}

TEST(SocietyChoice, BinaryChoiceIsTheTwoOptionLogit) {
  EXPECT_DOUBLE_EQ(binary_choice(1.0, 1.0, 0.3), 0.5);
  EXPECT_NEAR(binary_choice(1.0, 0.0, 0.5), 1.0 / (1.0 + std::exp(-2.0)), 1e-12);
  EXPECT_GT(binary_choice(1.0, 0.0, 1e-6), 1.0 - 1e-12);
}

}  // namespace
}  // namespace coordsim::models::society
