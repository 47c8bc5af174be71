#pragma once
// The determinism harness shared by the engine's and the models' tests: one run body executed
// with 1 and N threads must give bit-identical records (series, per-agent outputs, summaries).
// Tests call it instead of keeping their own copy of the comparison.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/model.hpp"
#include "coordsim/sim/output.hpp"
#include "coordsim/sim/rng.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"

namespace coordsim::test_support {

// Same length and the same bytes (NaN payloads included).
inline bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  // An empty vector's data() may be null, which memcmp must not see even for 0 bytes (UBSan).
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

// Both records hold the same bytes in every output.
inline ::testing::AssertionResult records_identical(const sim::RunRecord& a, const sim::RunRecord& b) {
  if (!bitwise_equal(a.series, b.series)) return ::testing::AssertionFailure() << "series differ";
  if (a.agents.size() != b.agents.size()) return ::testing::AssertionFailure() << "agent kinds differ in number";
  for (std::size_t k = 0; k < a.agents.size(); ++k)
    if (!bitwise_equal(a.agents[k], b.agents[k]))
      return ::testing::AssertionFailure() << "agent kind " << k << " differs";
  if (!bitwise_equal(a.summaries, b.summaries)) return ::testing::AssertionFailure() << "summaries differ";
  return ::testing::AssertionSuccess();
}

// Runs one (variant, replication) of `scenario` with every thread count in `threads` and expects
// records bit-identical to the first; returns that first record for further checks.
inline sim::RunRecord expect_thread_count_independent(const sim::Model& model, const sim::Scenario& scenario,
                                                      std::initializer_list<int> threads = {1, 4},
                                                      std::size_t variant = 0, std::size_t replication = 0) {
  const sim::OutputLayout layout = sim::scenario_layout(model, scenario);
  sim::RunRecord first;
  bool have_first = false;
  for (const int count : threads) {
    const sim::ExecutionContext execution(count);
    sim::RunRecord record = sim::run_one(model, scenario, layout, variant, replication, execution);
    EXPECT_TRUE(record.ok) << record.message;
    if (!have_first) {
      first = std::move(record);
      have_first = true;
    } else {
      EXPECT_TRUE(records_identical(first, record)) << count << " threads";
    }
  }
  return first;
}

// Positions of outputs by name, so that tests never depend on the order of the layout.
inline std::size_t series_index(const sim::OutputLayout& layout, const std::string& name) {
  for (std::size_t i = 0; i < layout.series.size(); ++i)
    if (layout.series[i].name == name) return i;
  ADD_FAILURE() << "no series " << name;
  return layout.series.size();
}
inline std::size_t summary_index(const sim::OutputLayout& layout, const std::string& name) {
  for (std::size_t i = 0; i < layout.summaries.size(); ++i)
    if (layout.summaries[i].variable.name == name) return i;
  ADD_FAILURE() << "no summary " << name;
  return layout.summaries.size();
}
inline std::size_t kind_index(const sim::OutputLayout& layout, const std::string& kind) {
  for (std::size_t k = 0; k < layout.agent_kinds.size(); ++k)
    if (layout.agent_kinds[k].kind == kind) return k;
  ADD_FAILURE() << "no agent kind " << kind;
  return layout.agent_kinds.size();
}
inline std::size_t variable_index(const sim::OutputLayout& layout, const std::string& kind, const std::string& name) {
  const auto& variables = layout.agent_kinds.at(kind_index(layout, kind)).variables;
  for (std::size_t v = 0; v < variables.size(); ++v)
    if (variables[v].name == name) return v;
  ADD_FAILURE() << "no variable " << name << " of kind " << kind;
  return variables.size();
}

// A world of `model` built from `set` with seed `seed` (replication 0, one thread) for `steps` steps,
// stepped by hand with every output recorded: for tests that check invariants step by step.
struct RecordedWorld {
  sim::OutputLayout layout;
  sim::RunRecord record;
  sim::Recorder recorder;
  sim::Rng rng;
  sim::ExecutionContext execution;
  std::unique_ptr<sim::World> world;

  RecordedWorld(const sim::Model& model, const sim::ParamSet& set, std::size_t steps, std::uint64_t seed)
      : layout(model.layout(set)), recorder(layout, steps, true, 1, record), rng(seed, 0), execution(1),
        world(model.build(set, sim::BuildContext{seed, 0, steps, rng, execution})) {}
  RecordedWorld(const RecordedWorld&) = delete;
  RecordedWorld& operator=(const RecordedWorld&) = delete;

  // Runs every phase of `step` in order, then records the step.
  void step(std::size_t step) {
    const sim::StepContext context{step, rng, execution};
    for (const auto& phase : world->phases()) phase.run(context);
    world->record(context, recorder);
  }
};

}  // namespace coordsim::test_support
