#include "coordsim/sim/runner.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "coordsim/sim/scenario.hpp"
#include "test_model.hpp"

namespace coordsim::sim {
namespace {

ModelRegistry toy_registry() {
  ModelRegistry registry;
  test::register_toy_model(registry);
  return registry;
}

// All records of a batch keyed by (variant, replication).
std::map<std::pair<std::size_t, std::size_t>, RunRecord> run_all(const Scenario& scenario, int threads) {
  const ModelRegistry registry = toy_registry();
  std::map<std::pair<std::size_t, std::size_t>, RunRecord> records;
  const ExecutionContext execution(threads);
  run_batch(*registry.find("toy"), scenario, execution,
            [&](RunRecord&& r) { records[{r.variant, r.replication}] = std::move(r); });
  return records;
}

bool bit_identical(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

TEST(Runner, ResultsAreBitIdenticalForAnyThreadCount) {
  const ModelRegistry registry = toy_registry();
  Scenario scenario = parse_scenario(test::kToyScenario, "toy.yaml", registry);
  apply_override(scenario, "walkers.count=500", registry);
  apply_override(scenario, "walkers.mode=noisy", registry);
  const auto one = run_all(scenario, 1);
  ASSERT_EQ(one.size(), 6u);
  for (int threads : {2, 3, 8}) {
    const auto many = run_all(scenario, threads);
    ASSERT_EQ(many.size(), one.size());
    for (const auto& [key, record] : one) {
      const RunRecord& other = many.at(key);
      EXPECT_TRUE(bit_identical(record.series, other.series)) << threads;
      ASSERT_EQ(record.agents.size(), other.agents.size());
      for (std::size_t k = 0; k < record.agents.size(); ++k) EXPECT_TRUE(bit_identical(record.agents[k], other.agents[k]));
      EXPECT_TRUE(bit_identical(record.summaries, other.summaries));
    }
  }
}

TEST(Runner, VariantsShareRandomNumbersAndReplicationsDoNot) {
  const ModelRegistry registry = toy_registry();
  // Zero coupling in both variants makes them the same model: identical results prove they
  // drew the same numbers; different replications must differ.
  Scenario scenario = parse_scenario(test::kToyScenario, "toy.yaml", registry);
  apply_override(scenario, "variants.strong.walkers.coupling=0", registry);
  const auto records = run_all(scenario, 2);
  EXPECT_TRUE(bit_identical(records.at({0, 1}).series, records.at({1, 1}).series));
  EXPECT_FALSE(bit_identical(records.at({0, 0}).series, records.at({0, 1}).series));
}

TEST(Runner, RecordsEveryStepAndThinsAgents) {
  const ModelRegistry registry = toy_registry();
  Scenario scenario = parse_scenario(test::kToyScenario, "toy.yaml", registry);
  apply_override(scenario, "output.agent_every=3", registry);
  const auto records = run_all(scenario, 1);
  const RunRecord& record = records.at({0, 0});
  EXPECT_EQ(record.series.size(), 20u * 2u);
  for (double v : record.series) EXPECT_TRUE(std::isfinite(v));
  EXPECT_EQ(record.agents[0].size(), 7u * 12u);  // steps 0,3,...,18
  // Every message is delivered: 12 walkers post one each per step.
  EXPECT_EQ(record.series[1], 12.0);
}

TEST(Runner, SinkErrorsPropagateAfterAllRunsFinish) {
  const ModelRegistry registry = toy_registry();
  const Scenario scenario = parse_scenario(test::kToyScenario, "toy.yaml", registry);
  const ExecutionContext execution(2);
  int calls = 0;
  EXPECT_THROW(run_batch(*registry.find("toy"), scenario, execution,
                         [&](RunRecord&&) {
                           ++calls;
                           throw std::runtime_error("disk full");
                         }),
               std::runtime_error);
  EXPECT_EQ(calls, 1) << "the sink is not called again after it failed";
}

}  // namespace
}  // namespace coordsim::sim
