#pragma once
// Helpers shared by the governance model's unit tests: parameters with overrides, a world built
// from them, and manual stepping through the model's phases (the composition's own stepper).
#include <initializer_list>
#include <string>
#include <utility>

#include "composition.hpp"
#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/param.hpp"
#include "coordsim/sim/rng.hpp"
#include "parameters.hpp"
#include "world.hpp"

namespace coordsim::models::governance::testing {

inline sim::ParamSet parameters(std::initializer_list<std::pair<std::string, sim::ParamValue>> overrides = {}) {
  sim::ParamSet set(schema());
  for (const auto& [path, value] : overrides) set.set(path, value);
  return set;
}

inline State make_state(const sim::ParamSet& set, std::uint64_t seed = 11, std::uint64_t replication = 0) {
  return generate_world(Parameters::read(set), sim::Rng(seed, replication));
}

// Steps a state through every phase in the model's order.
struct Stepper {
  State state;
  sim::Rng rng;
  sim::ExecutionContext execution;

  Stepper(const sim::ParamSet& set, std::uint64_t seed = 11, int threads = 1)
      : state(make_state(set, seed)), rng(seed, 0), execution(threads) {}

  void step(std::size_t index) {
    composition()->step(state, sim::StepContext{index, rng, execution});
  }
};

}  // namespace coordsim::models::governance::testing
