#pragma once
// The command-line interface over the library: run, validate, info, params. The executable's
// main() registers the models and calls cli_main.
#include "coordsim/sim/model.hpp"

namespace coordsim::sim {

// Returns the process exit code: 0 success, 1 runtime failure, 2 invalid input.
int cli_main(int argc, char** argv, const ModelRegistry& registry);

}  // namespace coordsim::sim
