#include "coordsim/sim/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace coordsim::sim {
namespace {

TEST(Rng, PhiloxMatchesPublishedKnownAnswer) {
  // Known-answer vector for Philox4x64-10 with zero counter and key, as published with Random123.
  const auto out = RandomStream::Engine{}(RandomStream::Engine::ctr_type{{0, 0, 0, 0}},
                                          RandomStream::Engine::key_type{{0, 0}});
  EXPECT_EQ(out[0], 0x16554d9eca36314cULL);
  EXPECT_EQ(out[1], 0xdb20fe9d672d0fdcULL);
  EXPECT_EQ(out[2], 0xd7e772cee186176bULL);
  EXPECT_EQ(out[3], 0x7e68b68aec7ba23bULL);
}

TEST(Rng, SameCoordinatesGiveSameNumbersWhateverTheOrderOfAsking) {
  const Rng rng(42, 3);
  auto later = rng.stream(10, 5, 2);
  auto other = rng.stream(9, 5, 2);
  (void)other.uniform();
  auto first = rng.stream(10, 5, 2);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(first.uniform(), later.uniform());
}

TEST(Rng, EachCoordinateAndKeyChangesTheStream) {
  const double base = Rng(1, 0).stream(0, 0, 0).uniform();
  std::set<double> seen{base};
  seen.insert(Rng(2, 0).stream(0, 0, 0).uniform());
  seen.insert(Rng(1, 1).stream(0, 0, 0).uniform());
  seen.insert(Rng(1, 0).stream(1, 0, 0).uniform());
  seen.insert(Rng(1, 0).stream(0, 1, 0).uniform());
  seen.insert(Rng(1, 0).stream(0, 0, 1).uniform());
  EXPECT_EQ(seen.size(), 6u);
}

TEST(Rng, UniformIsInOpenUnitIntervalWithRightMoments) {
  auto stream = Rng(7, 0).stream(0, 0, 0);
  const int n = 200000;
  double sum = 0.0, squares = 0.0;
  for (int i = 0; i < n; ++i) {
    const double u = stream.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    squares += u * u;
  }
  const double mean = sum / n;
  // Standard error of the mean of U(0,1) is sqrt(1/12/n); allow five of them.
  EXPECT_NEAR(mean, 0.5, 5.0 * std::sqrt(1.0 / 12.0 / n));
  EXPECT_NEAR(squares / n - mean * mean, 1.0 / 12.0, 0.002);
}

TEST(Rng, PoissonHasMeanAndVarianceEqualToItsParameter) {
  for (double lambda : {0.7, 4.0, 120.0}) {
    auto stream = Rng(11, 0).stream(0, 0, 0);
    const int n = 100000;
    double sum = 0.0, squares = 0.0;
    for (int i = 0; i < n; ++i) {
      const double k = static_cast<double>(stream.poisson(lambda));
      sum += k;
      squares += k * k;
    }
    const double mean = sum / n;
    EXPECT_NEAR(mean, lambda, 5.0 * std::sqrt(lambda / n)) << lambda;
    EXPECT_NEAR((squares / n - mean * mean) / lambda, 1.0, 0.05) << lambda;
  }
}

TEST(Rng, NormalHasZeroMeanUnitVariance) {
  auto stream = Rng(5, 0).stream(0, 0, 0);
  const int n = 100000;
  double sum = 0.0, squares = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = stream.normal();
    sum += x;
    squares += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(squares / n, 1.0, 0.02);
}

}  // namespace
}  // namespace coordsim::sim
