// The helpdesk executable: this project's model plus coordsim's command line.
#include "coordsim/sim/cli.hpp"
#include "helpdesk.hpp"

int main(int argc, char** argv) {
  coordsim::sim::ModelRegistry registry;
  helpdesk::register_model(registry);
  return coordsim::sim::cli_main(argc, argv, registry);
}
