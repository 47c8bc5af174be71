// The coordsim executable: every built-in model, then the engine's command-line interface.
#include "coordsim/models/register_models.hpp"
#include "coordsim/sim/cli.hpp"

int main(int argc, char** argv) {
  coordsim::sim::ModelRegistry registry;
  coordsim::models::register_all(registry);
  return coordsim::sim::cli_main(argc, argv, registry);
}
