// `coordsim calibrate CALIBRATION.yaml -o OUT.h5 [--threads N] [--resume] [--keep-journal] [--quiet]`
#include "calibrate_command.hpp"
#include "progress.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "coordsim/sim/calibration.hpp"
#include "coordsim/sim/error.hpp"
#include "coordsim/sim/version.hpp"

namespace coordsim::sim {
namespace {

// Progress on stderr, per generation: a bar updated in place on a terminal, a plain line every
// few seconds otherwise.
class GenerationProgress {
 public:
  explicit GenerationProgress(bool quiet) : meter_(quiet) {}
  void operator()(std::size_t generation, std::size_t done, std::size_t total) {
    const auto reading = meter_.next(done, total);
    if (!reading) return;
    if (meter_.terminal()) {
      std::fprintf(stderr, "\rgeneration %zu [%s] %zu/%zu particles  %.1f/s  ETA %.0f s   %s", generation,
                   cli_progress::bar(done, total).c_str(), done, total, reading->rate, reading->eta,
                   reading->finished ? "\n" : "");
    } else {
      std::fprintf(stderr, "generation %zu: particles %zu/%zu  %.1f/s  ETA %.0f s\n", generation, done, total,
                   reading->rate, reading->eta);
    }
    std::fflush(stderr);
  }

 private:
  cli_progress::Meter meter_;
};

using cli_progress::launch_rank;

class Command final : public SweepCommands {
 public:
  explicit Command(CLI::App& app) {
    command_ = app.add_subcommand("calibrate", "Calibrate free parameters to observed targets (ABC-SMC) into one HDF5 file");
    command_->add_option("calibration", path_, "Calibration file (YAML; see sim/CALIBRATION.md)")->required();
    command_->add_option("-o,--output", output_, "Result file (default: <calibration name>.h5)");
    command_->add_option("--threads", threads_, "Worker threads per process (default: all cores)")
        ->check(CLI::NonNegativeNumber);
    command_->add_flag("--resume", resume_, "Continue an interrupted calibration from OUT.h5.journal");
    command_->add_flag("--keep-journal", keep_journal_, "Keep OUT.h5.journal after the result file is written");
    command_->add_flag("--quiet", quiet_, "No progress on stderr");
  }

  std::optional<int> dispatch(const ModelRegistry& registry) override {
    if (!*command_) return std::nullopt;
    if (launch_rank() == 0) return run(registry);
    try {  // other MPI ranks stay silent: rank 0 reports (the same) errors once
      return run(registry);
    } catch (const ScenarioError&) {
      return kExitInvalidInput;
    } catch (const std::exception&) {
      return kExitFailure;
    }
  }

 private:
  int run(const ModelRegistry& registry) {
    const Calibration calibration = load_calibration(path_, registry);
    CalibrationRunOptions options;
    options.output = output_.empty() ? std::filesystem::path(path_).stem().string() + ".h5" : output_;
    options.threads = threads_;
    options.resume = resume_;
    options.keep_journal = keep_journal_;
    const bool speaker = launch_rank() == 0 && !quiet_;
    GenerationProgress progress(!speaker);
    options.progress = [&](std::size_t g, std::size_t done, std::size_t total) { progress(g, done, total); };
    options.note = [&](const std::string& text) {
      if (speaker) std::fprintf(stderr, "%s\n", text.c_str());
    };
    if (speaker)
      std::fprintf(stderr,
                   "coordsim %s calibrate %s: %zu parameters, %zu targets, %zu particles (alpha %g), at most %zu "
                   "particles simulated, each %zu variants x %zu replications x %zu steps\n",
                   std::string(kVersion).c_str(), path_.c_str(), calibration.parameters.size(),
                   calibration.targets.size(), calibration.particles, calibration.alpha, calibration.max_runs,
                   calibration.base.variants.size(), calibration.replications, calibration.steps);
    const auto start = std::chrono::steady_clock::now();
    int rank = 0;
    const bool mpi = sweep_launched_by_mpi() && sweep_mpi_available();
    const CalibrationOutcome outcome = mpi ? run_calibration_mpi(calibration, registry, options, rank)
                                           : run_calibration(calibration, registry, options);
    if (rank != 0) return 0;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!quiet_)
      std::cout << "calibrate: " << outcome.generations << " generations (" << outcome.stop_reason << "), tolerance "
                << outcome.tolerance << ", acceptance " << outcome.acceptance << ", ESS " << outcome.ess << "; "
                << outcome.simulated << " particles simulated in " << seconds << " s"
                << (outcome.resumed > 0 ? ", " + std::to_string(outcome.resumed) + " from the journal" : std::string())
                << "; written to " << options.output << "\n";
    return 0;
  }

  CLI::App* command_ = nullptr;
  std::string path_, output_;
  int threads_ = 0;
  bool resume_ = false, keep_journal_ = false, quiet_ = false;
};

}  // namespace

std::unique_ptr<SweepCommands> add_calibrate_command(CLI::App& app) { return std::make_unique<Command>(app); }

}  // namespace coordsim::sim
