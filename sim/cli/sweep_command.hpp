#pragma once
// The `sweep` and `merge` subcommands of the coordsim command line (see sim/SWEEPS.md).
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

#include "coordsim/sim/model.hpp"

namespace coordsim::sim {

// Exit codes of every coordsim command besides 0: a failure, and invalid input.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitInvalidInput = 2;

class SweepCommands {
 public:
  virtual ~SweepCommands() = default;
  // The exit code when one of the subcommands was given, nothing otherwise. Throws ScenarioError
  // (invalid input) and OutputError like the other commands.
  virtual std::optional<int> dispatch(const ModelRegistry& registry) = 0;
};

// Adds `sweep` and `merge` to `app`; the returned object holds their options.
std::unique_ptr<SweepCommands> add_sweep_commands(CLI::App& app);

}  // namespace coordsim::sim
