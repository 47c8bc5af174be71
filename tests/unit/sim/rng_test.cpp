#include "coordsim/sim/rng.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
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

TEST(Rng, GroupUniformsAreTheFourWordsOfTheirOwnBlock) {
  const Rng rng(11, 2);
  const auto values = rng.group_uniforms(5, 3, 7);
  // The block of counter (step, group, purpose, 2^63) under key (seed, replication).
  const auto block = RandomStream::Engine{}(RandomStream::Engine::ctr_type{{5, 3, 7, std::uint64_t{1} << 63}},
                                            RandomStream::Engine::key_type{{11, 2}});
  for (std::size_t j = 0; j < 4; ++j) EXPECT_EQ(values[j], RandomStream::to_uniform(block[j]));
  // Never the numbers of the stream with the same step, agent = group and purpose.
  auto stream = rng.stream(5, 3, 7);
  std::set<double> seen(values.begin(), values.end());
  for (int i = 0; i < 4; ++i) seen.insert(stream.uniform());
  EXPECT_EQ(seen.size(), 8u);
  EXPECT_EQ(rng.group_uniforms(5, 3, 7), values);  // same coordinates, same numbers
}

TEST(Rng, GroupUniformsAreUniformAndIndependentAcrossTheGroup) {
  const Rng rng(3, 0);
  const int groups = 50000;
  std::array<double, 4> sum{}, squares{};
  double cross = 0.0;  // words 0 and 1 of a block
  for (int g = 0; g < groups; ++g) {
    const auto u = rng.group_uniforms(1, static_cast<std::uint64_t>(g), 0);
    for (std::size_t j = 0; j < 4; ++j) {
      ASSERT_GT(u[j], 0.0);
      ASSERT_LT(u[j], 1.0);
      sum[j] += u[j];
      squares[j] += u[j] * u[j];
    }
    cross += (u[0] - 0.5) * (u[1] - 0.5);
  }
  for (std::size_t j = 0; j < 4; ++j) {
    const double mean = sum[j] / groups;
    EXPECT_NEAR(mean, 0.5, 5.0 * std::sqrt(1.0 / 12.0 / groups));
    EXPECT_NEAR(squares[j] / groups - mean * mean, 1.0 / 12.0, 0.003);
  }
  // Correlation of independent uniforms: standard error 1/sqrt(n); allow five of them.
  EXPECT_NEAR(cross / groups * 12.0, 0.0, 5.0 / std::sqrt(static_cast<double>(groups)));
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

// The quantile function inverts Phi(x) = erfc(-x / sqrt 2) / 2, computed independently by the C
// library: a wrong coefficient in any of the three regions of AS 241 shows up as an error far
// above 1e-12 somewhere on this grid. Only x <= 0, where p = Phi(x) carries full relative
// precision (1 - p for x > 0 would not); the upper half follows by symmetry, checked below.
TEST(Rng, NormalQuantileInvertsTheDistributionFunction) {
  double worst = 0.0;
  for (double x = -8.0; x <= 0.0; x += 1.0 / 512.0) {
    const double p = 0.5 * std::erfc(-x / std::sqrt(2.0));
    const double back = standard_normal_quantile(p);
    // Phi is flat in the far tails, so compare in probability there and in x near the centre.
    const double error = std::fabs(x) < 5.0 ? std::fabs(back - x) : std::fabs(0.5 * std::erfc(-back / std::sqrt(2.0)) - p) / p;
    worst = std::max(worst, error);
  }
  EXPECT_LT(worst, 1e-12);
  EXPECT_EQ(standard_normal_quantile(0.5), 0.0);
  EXPECT_NEAR(standard_normal_quantile(0.975), 1.959963984540054, 1e-14);  // the familiar 1.96
  EXPECT_NEAR(standard_normal_quantile(1e-10), -6.361340902404056, 1e-12);
  for (const double p : {0.2, 0.07, 1e-3, 1e-9})  // the regions mirror: q and -q give -z and z
    EXPECT_NEAR(standard_normal_quantile(1.0 - p), -standard_normal_quantile(p), 1e-12 / p) << p;
}

// Normal draws land in the central and tail regions of the quantile function in the right
// proportions: P(|Z| > 1.96) = 5% and P(Z > 3) = 0.135%.
TEST(Rng, FourQuantilesAtOnceAreBitForBitTheSingleOnes) {
  auto stream = Rng(5, 1).stream(0, 0, 0);
  int tails = 0;
  for (int i = 0; i < 20000; ++i) {
    std::array<double, 4> p{stream.uniform(), stream.uniform(), stream.uniform(), stream.uniform()};
    if (i % 7 == 0) p[i % 4] = std::ldexp(p[i % 4], -40);  // far tail
    const auto together = standard_normal_quantiles(p);
    for (std::size_t j = 0; j < 4; ++j) {
      const double alone = standard_normal_quantile(p[j]);
      ASSERT_EQ(std::memcmp(&alone, &together[j], sizeof alone), 0) << "p = " << p[j];
      tails += std::fabs(p[j] - 0.5) > 0.425 ? 1 : 0;
    }
  }
  EXPECT_GT(tails, 10000);  // both branches were compared
}

TEST(Rng, NormalTailsHaveTheRightMass) {
  auto stream = Rng(17, 3).stream(2, 1, 4);
  const int n = 400000;
  int beyond_196 = 0, above_3 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = stream.normal();
    beyond_196 += std::fabs(x) > 1.959963984540054 ? 1 : 0;
    above_3 += x > 3.0 ? 1 : 0;
  }
  const double p1 = 0.05, p2 = 0.0013498980316301;
  EXPECT_NEAR(static_cast<double>(beyond_196) / n, p1, 5.0 * std::sqrt(p1 * (1 - p1) / n));
  EXPECT_NEAR(static_cast<double>(above_3) / n, p2, 5.0 * std::sqrt(p2 * (1 - p2) / n));
}

}  // namespace
}  // namespace coordsim::sim
