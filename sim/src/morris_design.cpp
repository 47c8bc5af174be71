// The Morris (1991) elementary-effects design: r trajectories of k + 1 points on a p-level grid of
// the unit hypercube. Point 0 of a trajectory is its base; point j + 1 equals point j except one
// parameter, moved by +-delta with delta = p / (2 (p - 1)); every parameter moves exactly once per
// trajectory, in a random order. See sim/SWEEPS.md ("morris").
#include <numeric>

#include "coordsim/sim/rng.hpp"
#include "coordsim/sim/sweep.hpp"

namespace coordsim::sim {
namespace {
constexpr std::uint64_t kMorrisPurpose = 0x4d4f'5252'4953'3931ULL;
}

double morris_delta(std::size_t levels) {
  return static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
}

std::vector<double> morris_design(std::size_t trajectories, std::size_t k, std::size_t levels, std::uint64_t seed) {
  const double step = 1.0 / static_cast<double>(levels - 1);
  const double delta = morris_delta(levels);
  // Base levels: those from which +delta stays on the grid (0 .. 1 - delta).
  const auto base_levels = static_cast<std::uint64_t>(levels - levels / 2);
  const Rng rng(seed, kMorrisPurpose);
  std::vector<double> unit(trajectories * (k + 1) * k);
  std::vector<std::size_t> order(k);
  std::vector<double> x(k);
  for (std::size_t t = 0; t < trajectories; ++t) {
    auto random = rng.stream(t, 0, 0);
    std::vector<int> direction(k);
    for (std::size_t i = 0; i < k; ++i) {
      const double base = static_cast<double>(random.below(base_levels)) * step;
      direction[i] = random.uniform() < 0.5 ? 1 : -1;
      // A negative move starts delta higher, so the pair is the same grid points either way.
      x[i] = direction[i] > 0 ? base : base + delta;
    }
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t j = k; j > 1; --j) std::swap(order[j - 1], order[random.below(j)]);  // Fisher-Yates
    double* row = unit.data() + t * (k + 1) * k;
    std::copy(x.begin(), x.end(), row);
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t i = order[j];
      x[i] += direction[i] > 0 ? delta : -delta;
      std::copy(x.begin(), x.end(), row + (j + 1) * k);
    }
  }
  return unit;
}

}  // namespace coordsim::sim
