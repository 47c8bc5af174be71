#pragma once
// Counter-based random numbers (Philox4x64-10 from Random123). The key is (seed, replication);
// the counter is (step, agent, purpose, draw). A number therefore depends only on what it is
// for, never on which thread or process asks for it, and every variant of one replication sees
// the same draws for the same agent and purpose (common random numbers). Rng::group_uniforms
// serves four agents from one block, for draws every agent makes once per step.
#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace coordsim::sim {

class RandomStream {
 public:
  using Engine = r123::Philox4x64;

  RandomStream(Engine::key_type key, Engine::ctr_type counter) noexcept : key_(key), counter_(counter) {}

  // Uniform on the open interval (0, 1).
  double uniform() noexcept {
    if (used_ == 4) refill();
    return to_uniform(block_[used_++]);
  }
  // The top 53 bits of a 64-bit word as a uniform on the open interval (0, 1).
  static double to_uniform(std::uint64_t bits) noexcept { return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53; }
  bool bernoulli(double probability) noexcept { return uniform() < probability; }
  double exponential(double rate) noexcept { return -std::log(uniform()) / rate; }
  // Standard normal by inversion: one uniform per value, no rejection loop, and in 85% of draws
  // no logarithm or square root either (see standard_normal_quantile). A draw's position in the
  // stream therefore depends only on how many values were asked for before it.
  double normal() noexcept;
  double normal(double mean, double sd) noexcept { return mean + sd * normal(); }
  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n) noexcept {
    return static_cast<std::uint64_t>(uniform() * static_cast<double>(n)) % n;
  }
  // Poisson by inversion for small means, normal approximation above 50.
  std::int64_t poisson(double mean) noexcept;

 private:
  void refill() noexcept {
    const auto out = Engine{}(counter_, key_);
    for (int i = 0; i < 4; ++i) block_[i] = out[i];
    ++counter_[3];
    used_ = 0;
  }
  Engine::key_type key_;
  Engine::ctr_type counter_;
  std::uint64_t block_[4] = {0, 0, 0, 0};
  int used_ = 4;
};

// The standard normal quantile function (inverse distribution function) for p in (0, 1), by
// Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988): a rational function of degree
// 7 in the central region |p - 0.5| <= 0.425, and of sqrt(-log(min(p, 1 - p))) in the tails.
// Relative error below 1e-15 (tests/unit/sim/rng_test.cpp checks it against erfc).
double standard_normal_quantile(double p) noexcept;

class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t replication) noexcept : key_{{seed, replication}} {}
  // The stream for one purpose of one agent at one step. `purpose` is a model-chosen constant;
  // use step = kSetupStep for draws made while building the world.
  RandomStream stream(std::uint64_t step, std::uint64_t agent, std::uint64_t purpose) const noexcept {
    return RandomStream(key_, RandomStream::Engine::ctr_type{{step, agent, purpose, 0}});
  }
  static constexpr std::uint64_t kSetupStep = ~std::uint64_t{0};

  // Four uniforms on (0, 1) from one Philox block, for a purpose where every agent draws exactly
  // one value per step: agent a takes value a % 4 of group a / 4, at a quarter of the cost of a
  // stream of its own. These counters (last word with its top bit set) never meet a stream's.
  std::array<double, 4> group_uniforms(std::uint64_t step, std::uint64_t group, std::uint64_t purpose) const noexcept {
    const auto out = RandomStream::Engine{}(RandomStream::Engine::ctr_type{{step, group, purpose, kGroupCounter}}, key_);
    return {RandomStream::to_uniform(out[0]), RandomStream::to_uniform(out[1]), RandomStream::to_uniform(out[2]),
            RandomStream::to_uniform(out[3])};
  }
  static constexpr std::size_t kGroupSize = 4;

 private:
  static constexpr std::uint64_t kGroupCounter = std::uint64_t{1} << 63;
  RandomStream::Engine::key_type key_;
};

namespace detail {
// Horner evaluation of c[0] + c[1] r + ... + c[7] r^7.
inline double polynomial7(const double (&c)[8], double r) noexcept {
  return ((((((c[7] * r + c[6]) * r + c[5]) * r + c[4]) * r + c[3]) * r + c[2]) * r + c[1]) * r + c[0];
}
// AS 241, central region: numerator and denominator coefficients.
inline constexpr double kCentralP[8] = {3.3871328727963666080e0, 1.3314166789178437745e+2,
                                        1.9715909503065514427e+3, 1.3731693765509461125e+4,
                                        4.5921953931549871457e+4, 6.7265770927008700853e+4,
                                        3.3430575583588128105e+4, 2.5090809287301226727e+3};
inline constexpr double kCentralQ[8] = {1.0,
                                        4.2313330701600911252e+1, 6.8718700749205790830e+2,
                                        5.3941960214247511077e+3, 2.1213794301586595867e+4,
                                        3.9307895800092710610e+4, 2.8729085735721942674e+4,
                                        5.2264952788528545610e+3};
// The quantile for |q| <= 0.425, q = p - 0.5.
inline double central_quantile(double q) noexcept {
  const double r = 0.180625 - q * q;
  return q * polynomial7(kCentralP, r) / polynomial7(kCentralQ, r);
}
}  // namespace detail

inline double standard_normal_quantile(double p) noexcept {
  // Coefficients of AS 241 (numerator, then denominator with its constant term 1).
  static constexpr double kNearP[8] = {1.42343711074968357734e0, 4.63033784615654529590e0,
                                       5.76949722146069140550e0, 3.64784832476320460504e0,
                                       1.27045825245236838258e0, 2.41780725177450611770e-1,
                                       2.27238449892691845833e-2, 7.74545014278341407640e-4};
  static constexpr double kNearQ[8] = {1.0,
                                       2.05319162663775882187e0, 1.67638483018380384940e0,
                                       6.89767334985100004550e-1, 1.48103976427480074590e-1,
                                       1.51986665636164571966e-2, 5.47593808499534494600e-4,
                                       1.05075007164441684324e-9};
  static constexpr double kFarP[8] = {6.65790464350110377720e0, 5.46378491116411436990e0,
                                      1.78482653991729133580e0, 2.96560571828504891230e-1,
                                      2.65321895265761230930e-2, 1.24266094738807843860e-3,
                                      2.71155556874348757815e-5, 2.01033439929228813265e-7};
  static constexpr double kFarQ[8] = {1.0,
                                      5.99832206555887937690e-1, 1.36929880922735805310e-1,
                                      1.48753612908506148525e-2, 7.86869131145613259100e-4,
                                      1.84631831751005468180e-5, 1.42151175831644588870e-7,
                                      2.04426310338993978564e-15};
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) return detail::central_quantile(q);
  double r = std::sqrt(-std::log(q < 0.0 ? p : 1.0 - p));
  double value = 0.0;
  if (r <= 5.0) {
    r -= 1.6;
    value = detail::polynomial7(kNearP, r) / detail::polynomial7(kNearQ, r);
  } else {
    r -= 5.0;
    value = detail::polynomial7(kFarP, r) / detail::polynomial7(kFarQ, r);
  }
  return q < 0.0 ? -value : value;
}

inline double RandomStream::normal() noexcept { return standard_normal_quantile(uniform()); }

// standard_normal_quantile of four values, bit for bit: the central region of all four is
// evaluated together (compilers emit vector instructions for it), the tails one by one.
inline std::array<double, 4> standard_normal_quantiles(const std::array<double, 4>& p) noexcept {
  std::array<double, 4> out;
  for (std::size_t j = 0; j < 4; ++j) out[j] = detail::central_quantile(p[j] - 0.5);
  for (std::size_t j = 0; j < 4; ++j)
    if (!(std::fabs(p[j] - 0.5) <= 0.425)) out[j] = standard_normal_quantile(p[j]);
  return out;
}

inline std::int64_t RandomStream::poisson(double mean) noexcept {
  if (mean <= 0.0) return 0;
  if (mean > 50.0) {
    const double x = std::floor(normal(mean, std::sqrt(mean)) + 0.5);
    return x < 0.0 ? 0 : static_cast<std::int64_t>(x);
  }
  const double limit = std::exp(-mean);
  double product = uniform();
  std::int64_t count = 0;
  while (product > limit) {
    product *= uniform();
    ++count;
  }
  return count;
}

}  // namespace coordsim::sim
