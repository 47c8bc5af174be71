#pragma once
// A small model used only by the engine's tests: walkers that draw random increments and pass
// messages around a ring. It exercises every engine feature without knowing any real model.
#include "coordsim/sim/model.hpp"

namespace coordsim::test {

// Registers "toy" in `registry`. Parameters: walkers.count (int), walkers.drift (real),
// walkers.coupling (real), walkers.mode (choice: plain|noisy), walkers.enabled (bool),
// walkers.weights (real list).
void register_toy_model(sim::ModelRegistry& registry);

inline constexpr const char* kToyScenario = R"(model: toy
description: ring of walkers
run:
  steps: 20
  seed: 7
  replications: 3
parameters:
  walkers:
    count: 12
    drift: 0.5
variants:
  baseline: {}
  strong:
    walkers.coupling: 0.5
)";

}  // namespace coordsim::test
