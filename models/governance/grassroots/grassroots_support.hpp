#pragma once
// Helpers for the grassroots and citizen layer's unit tests: a world with townships, stepped
// through the layer's own phases only (the layer reads departments but never writes them).
#include <initializer_list>
#include <string>
#include <utility>

#include "citizens.hpp"
#include "governance_support.hpp"
#include "grassroots.hpp"

namespace coordsim::models::governance::testing {

struct LayerStepper {
  State state;
  sim::Rng rng;
  sim::ExecutionContext execution;

  LayerStepper(const sim::ParamSet& set, std::uint64_t seed = 11, int threads = 1)
      : state(make_state(set, seed)), rng(seed, 0), execution(threads) {}

  void step(std::size_t index) {
    const sim::StepContext context{index, rng, execution};
    const auto& model = *composition();
    model.run_phase(model.phase_index(kPhaseTownships), state, context);
    model.run_phase(model.phase_index(kPhaseClusters), state, context);
  }
};

// Checks every township's demand balance: arrived = resolved + abandoned + open.
inline bool demands_balance(const State& s) {
  for (std::size_t j = 0; j < s.grassroots.townships.size(); ++j) {
    const auto& c = s.grassroots.townships.citizens[j];
    if (c.arrived_total != c.resolved_total + c.abandoned_total + open_demands(s.grassroots.demands, j)) return false;
  }
  return true;
}

}  // namespace coordsim::models::governance::testing
