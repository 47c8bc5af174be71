// Sweep files and designs: grid sizes and order, Latin hypercube strata, Saltelli blocks, seeds
// and common random numbers, and validation errors that name file, line, column and key.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <set>

#include "coordsim/sim/sweep.hpp"
#include "sweep_detail.hpp"
#include "test_model.hpp"

namespace coordsim::sim {
namespace {

// Variants differ only in a parameter the toy model never reads, so their runs must be identical
// when they share random numbers.
constexpr const char* kBase = R"(model: toy
run: {steps: 12, seed: 5, replications: 2}
parameters:
  walkers.count: 6
variants:
  a: {}
  b:
    walkers.weights: [0.1, 0.9]
)";

ModelRegistry toy_registry() {
  ModelRegistry registry;
  test::register_toy_model(registry);
  registry.set_default_scenario("toy.yaml", kBase);
  return registry;
}

Sweep parse(const std::string& text) {
  static const ModelRegistry registry = toy_registry();
  return parse_sweep(text, "sweep.yaml", "", registry);
}

// The message of the ScenarioError parsing `text` throws (empty when it parses).
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

TEST(SweepDesign, GridHasTheProductOfSizesFirstParameterSlowest) {
  const Sweep sweep = parse(R"(base: default
design: grid
parameters:
  walkers.drift: {values: [0.5, 1.0, 2.0]}
  walkers.count: {range: {start: 2, stop: 10, step: 4}}
  walkers.mode: {values: [plain, noisy]}
)");
  ASSERT_EQ(sweep.runs, 3u * 3u * 2u);
  std::set<std::tuple<double, std::int64_t, std::string>> seen;
  for (std::size_t p = 0; p < sweep.runs; ++p)
    seen.emplace(std::get<double>(sweep.value(p, 0)), std::get<std::int64_t>(sweep.value(p, 1)),
                 std::get<std::string>(sweep.value(p, 2)));
  EXPECT_EQ(seen.size(), sweep.runs);  // every combination exactly once
  // C order: the last parameter varies fastest.
  EXPECT_EQ(std::get<std::string>(sweep.value(0, 2)), "plain");
  EXPECT_EQ(std::get<std::string>(sweep.value(1, 2)), "noisy");
  EXPECT_EQ(std::get<std::int64_t>(sweep.value(2, 1)), 6);
  EXPECT_EQ(std::get<double>(sweep.value(6, 0)), 1.0);
  EXPECT_EQ(std::get<std::int64_t>(sweep.value(sweep.runs - 1, 1)), 10);  // stop is included
}

TEST(SweepDesign, LinspaceAndLogspaceUseValuesAsBounds) {
  const Sweep sweep = parse(R"(base: default
parameters:
  walkers.drift: {logspace: {start: 0.01, stop: 1, num: 3}}
  walkers.coupling: {linspace: {start: 0, stop: 1, num: 5}}
)");
  ASSERT_EQ(sweep.runs, 15u);
  EXPECT_NEAR(std::get<double>(sweep.value(0, 0)), 0.01, 1e-15);
  EXPECT_NEAR(std::get<double>(sweep.value(5, 0)), 0.1, 1e-12);
  EXPECT_EQ(std::get<double>(sweep.value(10, 0)), 1.0);
  EXPECT_EQ(std::get<double>(sweep.value(3, 1)), 0.75);
}

TEST(SweepDesign, LatinHypercubeHasOneSamplePerStratumPerDimension) {
  const Sweep sweep = parse(R"(base: default
design: lhs
samples: 40
parameters:
  walkers.drift: {bounds: [1, 3]}
  walkers.coupling: {bounds: [0.2, 0.6]}
)");
  ASSERT_EQ(sweep.runs, 40u);
  for (std::size_t i = 0; i < 2; ++i) {
    const double low = sweep.parameters[i].low, high = sweep.parameters[i].high;
    std::vector<int> hits(40, 0);
    for (std::size_t p = 0; p < sweep.runs; ++p) {
      const double x = std::get<double>(sweep.value(p, i));
      ASSERT_GE(x, low);
      ASSERT_LE(x, high);
      ++hits[static_cast<std::size_t>(std::floor((x - low) / (high - low) * 40.0))];
    }
    EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; })) << "dimension " << i;
  }
  // Integer parameters get integers within the bounds.
  const Sweep integers = parse(R"(base: default
design: lhs
samples: 30
parameters:
  walkers.count: {bounds: [3, 7]}
)");
  std::set<std::int64_t> values;
  for (std::size_t p = 0; p < integers.runs; ++p) values.insert(std::get<std::int64_t>(integers.value(p, 0)));
  EXPECT_EQ(values, (std::set<std::int64_t>{3, 4, 5, 6, 7}));
}

TEST(SweepDesign, SaltelliBlocksAreABAndABi) {
  const std::size_t n = 16;
  const Sweep sweep = parse(R"(base: default
design: saltelli
samples: 16
parameters:
  walkers.drift: {bounds: [0, 2]}
  walkers.coupling: {bounds: [0, 1]}
  walkers.count: {bounds: [2, 20]}
)");
  const std::size_t k = 3;
  ASSERT_EQ(sweep.runs, n * (k + 2));
  const auto at = [&](std::size_t block, std::size_t row, std::size_t i) {
    const std::size_t p = block * n + row;
    EXPECT_EQ(sweep.saltelli_block[p], static_cast<std::int64_t>(block));
    EXPECT_EQ(sweep.saltelli_row[p], static_cast<std::int64_t>(row));
    return format_value(sweep.value(p, i));
  };
  bool a_differs_from_b = false;
  for (std::size_t row = 0; row < n; ++row) {
    for (std::size_t i = 0; i < k; ++i) {
      a_differs_from_b = a_differs_from_b || at(0, row, i) != at(1, row, i);
      for (std::size_t j = 0; j < k; ++j) {
        // AB_j equals A except column j, which comes from B.
        EXPECT_EQ(at(2 + j, row, i), i == j ? at(1, row, i) : at(0, row, i)) << "AB_" << j << " row " << row;
      }
    }
  }
  EXPECT_TRUE(a_differs_from_b);
}

TEST(SweepSeeds, DifferAcrossPointsAndReplicationsButAreSharedAcrossVariants) {
  // walkers.enabled is never read by the toy model: points differ only by their seeds.
  const Sweep sweep = parse(R"(base: default
replications: 2
parameters:
  walkers.enabled: {values: [true, false]}
)");
  ASSERT_EQ(sweep.runs, 2u);
  EXPECT_NE(sweep.point_seed(0), sweep.point_seed(1));
  std::set<std::uint64_t> seeds;
  for (std::uint64_t p = 0; p < 100000; ++p) seeds.insert(sweep_point_seed(42, p));
  EXPECT_EQ(seeds.size(), 100000u);

  static const ModelRegistry registry = toy_registry();
  std::vector<sweep_detail::PointResult> results;
  const ExecutionContext execution(2);
  const std::atomic<bool> cancel{false};
  sweep_detail::compute_points(sweep, *registry.find("toy"), {0, 1}, execution, cancel,
                               [&](sweep_detail::PointResult&& r) { results.push_back(std::move(r)); }, true);
  ASSERT_EQ(results.size(), 2u);
  std::sort(results.begin(), results.end(), [](const auto& x, const auto& y) { return x.run < y.run; });
  const auto layout = sweep_detail::payload_layout(sweep);
  ASSERT_EQ(layout.simulations, 4u);  // 2 variants x 2 replications
  const auto sim = [&](std::size_t run, std::size_t variant, std::size_t replication) {
    const auto& payload = results[run].payload;
    const auto begin = payload.begin() + static_cast<std::ptrdiff_t>((variant * 2 + replication) * layout.stride);
    return std::vector<double>(begin, begin + static_cast<std::ptrdiff_t>(layout.stride));
  };
  for (std::size_t run = 0; run < 2; ++run) {
    EXPECT_EQ(results[run].status, sweep_detail::kOk);
    for (std::size_t r = 0; r < 2; ++r) EXPECT_EQ(sim(run, 0, r), sim(run, 1, r)) << "variants share numbers";
    EXPECT_NE(sim(run, 0, 0), sim(run, 0, 1)) << "replications differ";
  }
  EXPECT_NE(sim(0, 0, 0), sim(1, 0, 0)) << "points differ";
}

TEST(SweepErrors, NameFileLineColumnAndKeyPath) {
  EXPECT_EQ(error_of("base: default\nparameters:\n  walkers.drfit: {values: [1]}\n"),
            "sweep.yaml:3:3: parameters.walkers.drfit: unknown parameter of model 'toy'; did you mean "
            "'walkers.drift'?");
  EXPECT_EQ(error_of("base: default\nparameters:\n  walkers:\n    coupling: {values: [0.5, 1.5]}\n"),
            "sweep.yaml:4:30: parameters.walkers.coupling.values[1]: expected a real number in [0, 1], found 1.5");
  EXPECT_EQ(error_of("base: default\nparameters:\n  walkers.count: {values: [2, 2.5]}\n"),
            "sweep.yaml:3:31: parameters.walkers.count.values[1]: expected an integer in [1, 100000], found 2.5");
  EXPECT_EQ(error_of("base: default\ndesign: lhs\nsamples: 4\nparameters:\n  walkers.drift: {bounds: [0, 11]}\n"),
            "sweep.yaml:5:31: parameters.walkers.drift.bounds[1]: expected a real number in [0, 10], found 11");
  EXPECT_NE(error_of("base: default\nparameters:\n  walkers.count: {linspace: {start: 1, stop: 4, num: 3}}\n")
                .find("sweep.yaml:3:19: parameters.walkers.count.linspace: linspace gives 2.5, not an integer"),
            std::string::npos);
  EXPECT_NE(error_of("base: default\ndesign: lhs\nsamples: 4\nparameters:\n  walkers.drift: {values: [1]}\n")
                .find("sweep.yaml:5:19: parameters.walkers.drift.values: a lhs design samples"),
            std::string::npos);
  EXPECT_NE(error_of("base: default\nparameters:\n  walkers.drift: {bounds: [1, 2]}\n")
                .find("sweep.yaml:3:19: parameters.walkers.drift.bounds: bounds are for lhs and saltelli"),
            std::string::npos);
  EXPECT_EQ(error_of("base: default\nvariants: [a, bb]\nparameters:\n  walkers.drift: {values: [1]}\n"),
            "sweep.yaml:2:15: variants[1]: unknown variant \"bb\"; the base scenario has a, b; did you mean 'b'?");
  EXPECT_NE(error_of("base: default\nparameters:\n  walkers.weights: {values: [1]}\n")
                .find("sweep.yaml:3:3: parameters.walkers.weights: a list parameter cannot be varied"),
            std::string::npos);
  EXPECT_EQ(error_of("base: default\ndesing: grid\nparameters:\n  walkers.drift: {values: [1]}\n"),
            "sweep.yaml:2:1: desing: unknown key; did you mean 'design'?");
  EXPECT_NE(error_of("base: missing.yaml\nparameters:\n  walkers.drift: {values: [1]}\n")
                .find("sweep.yaml:1:7: base: no such scenario file \"missing.yaml\""),
            std::string::npos);
  EXPECT_NE(error_of("base: default\nparameters:\n  walkers.drift: {values: [1], bounds: [1, 2]}\n")
                .find("sweep.yaml:3:32: parameters.walkers.drift.bounds: give one of"),
            std::string::npos);
  // A variant of the base scenario that sets a varied parameter would ignore the sweep.
  EXPECT_NE(error_of("base: default\nparameters:\n  walkers.weights: {values: [1]}\n").find("list parameter"),
            std::string::npos);
}

TEST(SweepErrors, VariantOverridingAVariedParameterIsRefused) {
  ModelRegistry registry;
  test::register_toy_model(registry);
  registry.set_default_scenario("toy.yaml", test::kToyScenario);  // variant 'strong' sets walkers.coupling
  try {
    parse_sweep("base: default\nparameters:\n  walkers.coupling: {values: [0.1, 0.2]}\n", "s.yaml", "", registry);
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_NE(std::string(error.what()).find("s.yaml:3:3: parameters.walkers.coupling: variant 'strong'"),
              std::string::npos)
        << error.what();
  }
  // Leaving that variant out makes the sweep valid.
  const Sweep sweep = parse_sweep("base: default\nvariants: [baseline]\nparameters:\n  walkers.coupling: {values: [0.1]}\n",
                                  "s.yaml", "", registry);
  EXPECT_EQ(sweep.variant_count(), 1u);
}

}  // namespace
}  // namespace coordsim::sim
