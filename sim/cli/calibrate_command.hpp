#pragma once
// The `calibrate` subcommand of the coordsim command line (see sim/CALIBRATION.md).
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

#include "coordsim/sim/model.hpp"
#include "sweep_command.hpp"

namespace coordsim::sim {

// Adds `calibrate` to `app`; the returned object holds its options and runs it when given.
std::unique_ptr<SweepCommands> add_calibrate_command(CLI::App& app);

}  // namespace coordsim::sim
