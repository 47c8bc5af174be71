#pragma once
// Helpers for the grassroots and citizen layer's unit tests: a world with townships, stepped
// through the layer's own phases only (the layer reads departments but never writes them).
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "citizens.hpp"
#include "governance_support.hpp"
#include "grassroots.hpp"

namespace coordsim::models::governance::testing {

// A Stepper whose step runs the township and cluster phases only.
struct LayerStepper : Stepper {
  using Stepper::Stepper;

  void step(std::size_t index) {
    const sim::StepContext context{index, rng, execution};
    const auto& model = *composition();
    model.run_phase(model.phase_index(kPhaseTownships), state, context);
    model.run_phase(model.phase_index(kPhaseClusters), state, context);
  }
};

// This-step citizen counts summed over every township and every step of a run.
struct CitizenTotals {
  std::uint64_t arrived = 0, resolved = 0, without_travel = 0, suppressed = 0, cases_closed = 0, trips = 0;
};

// Steps `stepper` through steps 0 .. steps-1 and sums the counts of each step.
inline CitizenTotals run_and_total(LayerStepper& stepper, std::size_t steps) {
  CitizenTotals totals;
  for (std::size_t step = 0; step < steps; ++step) {
    stepper.step(step);
    for (const auto& c : stepper.state.grassroots.townships.citizens) {
      totals.arrived += c.arrived;
      totals.resolved += c.resolved;
      totals.without_travel += c.without_travel;
      totals.suppressed += c.suppressed;
      totals.cases_closed += c.cases_closed;
      totals.trips += c.trips;
    }
  }
  return totals;
}

// Checks every township's demand balance: arrived = resolved + abandoned + open.
inline bool demands_balance(const State& s) {
  for (std::size_t j = 0; j < s.grassroots.townships.size(); ++j) {
    const auto& c = s.grassroots.townships.citizens[j];
    if (c.arrived_total != c.resolved_total + c.abandoned_total + open_demands(s.grassroots.demands, j)) return false;
  }
  return true;
}

}  // namespace coordsim::models::governance::testing
