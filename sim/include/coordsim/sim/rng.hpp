#pragma once
// Counter-based random numbers (Philox4x64-10 from Random123). The key is (seed, replication);
// the counter is (step, agent, purpose, draw). A number therefore depends only on what it is
// for, never on which thread or process asks for it, and every variant of one replication sees
// the same draws for the same agent and purpose (common random numbers).
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace coordsim::sim {

class RandomStream {
 public:
  using Engine = r123::Philox4x64;

  RandomStream(Engine::key_type key, Engine::ctr_type counter) noexcept : key_(key), counter_(counter) {}

  // Uniform on the open interval (0, 1).
  double uniform() noexcept {
    if (used_ == 4) refill();
    const std::uint64_t bits = block_[used_++];
    return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
  }
  bool bernoulli(double probability) noexcept { return uniform() < probability; }
  double exponential(double rate) noexcept { return -std::log(uniform()) / rate; }
  // Standard normal by Marsaglia's polar method: no trigonometry, which matters in per-agent
  // per-step draws. One value per call; the partner is discarded so that a draw's position in the
  // stream depends only on how many values were asked for before it.
  double normal() noexcept {
    double x = 0.0, y = 0.0, radius = 0.0;
    do {
      x = 2.0 * uniform() - 1.0;
      y = 2.0 * uniform() - 1.0;
      radius = x * x + y * y;
    } while (radius >= 1.0 || radius == 0.0);
    return x * std::sqrt(-2.0 * std::log(radius) / radius);
  }
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

class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t replication) noexcept : key_{{seed, replication}} {}
  // The stream for one purpose of one agent at one step. `purpose` is a model-chosen constant;
  // use step = kSetupStep for draws made while building the world.
  RandomStream stream(std::uint64_t step, std::uint64_t agent, std::uint64_t purpose) const noexcept {
    return RandomStream(key_, RandomStream::Engine::ctr_type{{step, agent, purpose, 0}});
  }
  static constexpr std::uint64_t kSetupStep = ~std::uint64_t{0};

 private:
  RandomStream::Engine::key_type key_;
};

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
