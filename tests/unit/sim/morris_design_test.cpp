// The Morris design: grid, one-at-a-time moves of exactly delta, each parameter once per
// trajectory, reproducible from the seed; and a sweep file with design: morris.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "coordsim/sim/model.hpp"
#include "coordsim/sim/sweep.hpp"
#include "test_model.hpp"

namespace coordsim::test {
namespace {

using namespace coordsim::sim;

TEST(MorrisDesign, TrajectoriesMoveEachParameterOnceByDeltaOnTheGrid) {
  const std::size_t r = 50, k = 5, p = 4;
  const auto unit = morris_design(r, k, p, 17);
  ASSERT_EQ(unit.size(), r * (k + 1) * k);
  const double delta = morris_delta(p);
  EXPECT_DOUBLE_EQ(delta, 4.0 / 6.0);
  std::size_t up = 0, down = 0;
  for (std::size_t t = 0; t < r; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t j = 0; j <= k; ++j)
      for (std::size_t i = 0; i < k; ++i) {
        const double x = unit[(t * (k + 1) + j) * k + i];
        // On the grid {0, 1/3, 2/3, 1}.
        EXPECT_NEAR(x * (p - 1), std::round(x * (p - 1)), 1e-12);
        EXPECT_GE(x, 0.0);
        EXPECT_LE(x, 1.0 + 1e-12);
      }
    for (std::size_t j = 0; j < k; ++j) {
      std::size_t changed = 0, which = k;
      for (std::size_t i = 0; i < k; ++i) {
        const double d = unit[(t * (k + 1) + j + 1) * k + i] - unit[(t * (k + 1) + j) * k + i];
        if (d != 0.0) {
          ++changed;
          which = i;
          EXPECT_NEAR(std::fabs(d), delta, 1e-12);
          (d > 0 ? up : down) += 1;
        }
      }
      EXPECT_EQ(changed, 1u);
      moved.insert(which);
    }
    EXPECT_EQ(moved.size(), k);
  }
  // Both directions occur (each with probability 1/2: 250 moves).
  EXPECT_GT(up, 80u);
  EXPECT_GT(down, 80u);
  EXPECT_EQ(unit, morris_design(r, k, p, 17));
  EXPECT_NE(unit, morris_design(r, k, p, 18));
}

TEST(MorrisDesign, SweepFileWithMorrisDesign) {
  ModelRegistry registry;
  register_toy_model(registry);
  const Scenario base = parse_scenario(kToyScenario, "toy.yaml", registry);
  const Sweep sweep = parse_sweep(R"(design: morris
trajectories: 6
levels: 6
variants: [baseline]
parameters:
  walkers.drift: {bounds: [0, 2]}
  walkers.coupling: {bounds: [0.1, 0.5]}
)", "morris.yaml", base, registry);
  ASSERT_EQ(sweep.runs, 6u * 3u);
  ASSERT_EQ(sweep.morris_trajectory.size(), sweep.runs);
  const auto unit = morris_design(6, 2, 6, sweep.seed);
  for (std::size_t run = 0; run < sweep.runs; ++run) {
    EXPECT_EQ(sweep.morris_trajectory[run], static_cast<std::int64_t>(run / 3));
    EXPECT_EQ(sweep.morris_step[run], static_cast<std::int64_t>(run % 3));
    EXPECT_DOUBLE_EQ(sweep.columns[0].real[run], 0.0 + 2.0 * unit[run * 2]);
    EXPECT_DOUBLE_EQ(sweep.columns[1].real[run], 0.1 + 0.4 * unit[run * 2 + 1]);
  }
  const auto refuse = [&](const std::string& text, const std::string& fragment) {
    try {
      parse_sweep(text, "morris.yaml", base, registry);
      ADD_FAILURE() << text;
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  refuse("design: morris\nparameters:\n  walkers.drift: {bounds: [0, 2]}\n", "needs 'trajectories: R'");
  refuse("design: morris\ntrajectories: 4\nlevels: 5\nparameters:\n  walkers.drift: {bounds: [0, 2]}\n",
         "expected an even integer");
  refuse("design: lhs\nsamples: 4\ntrajectories: 4\nparameters:\n  walkers.drift: {bounds: [0, 2]}\n",
         "trajectories is for morris designs");
}

}  // namespace
}  // namespace coordsim::test
