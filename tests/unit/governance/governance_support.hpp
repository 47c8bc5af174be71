#pragma once
// Helpers shared by the governance model's unit tests: parameters with overrides, a world built
// from them, and manual stepping through the model's phases.
#include <initializer_list>
#include <string>
#include <utility>

#include "allocation.hpp"
#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/param.hpp"
#include "coordsim/sim/rng.hpp"
#include "lead.hpp"
#include "leadership.hpp"
#include "mechanisms.hpp"
#include "parameters.hpp"
#include "tasks.hpp"
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

// Steps a state through the phases in the model's order.
struct Stepper {
  State state;
  sim::Rng rng;
  sim::ExecutionContext execution;

  Stepper(const sim::ParamSet& set, std::uint64_t seed = 11, int threads = 1)
      : state(make_state(set, seed)), rng(seed, 0), execution(threads) {}

  void step(std::size_t index) {
    const sim::StepContext context{index, rng, execution};
    run_leadership_phase(state, context);
    run_lead_phase(state, context);
    run_mechanisms_phase(state, context);
    run_departments_phase(state, context);
    run_tasks_phase(state, context);
  }
};

}  // namespace coordsim::models::governance::testing
