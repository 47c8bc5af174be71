// `coordsim sweep SWEEP.yaml -o OUT.h5 [--threads N] [--resume] [--shard I/N] [--quiet]`
// `coordsim merge OUT.h5 SHARD.h5...`
#include "sweep_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/sweep.hpp"
#include "coordsim/sim/version.hpp"

namespace coordsim::sim {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitInvalidInput = 2;

// Progress on stderr: a bar updated in place on a terminal, a plain line every few seconds otherwise.
class SweepProgress {
 public:
  explicit SweepProgress(bool quiet) : quiet_(quiet), terminal_(isatty(STDERR_FILENO) != 0) {}
  void operator()(std::size_t done, std::size_t total) {
    if (quiet_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done == 0) {
      start_ = last_ = now;
      return;
    }
    const bool finished = done == total;
    if (!finished && now - last_ < (terminal_ ? std::chrono::milliseconds(200) : std::chrono::seconds(5))) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0.0 ? static_cast<double>(done) / elapsed : 0.0;
    const double eta = rate > 0.0 ? static_cast<double>(total - done) / rate : 0.0;
    if (terminal_) {
      constexpr int kWidth = 30;
      const int filled = total > 0 ? static_cast<int>(kWidth * static_cast<double>(done) / static_cast<double>(total)) : kWidth;
      const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                              std::string(static_cast<std::size_t>(kWidth - filled), '-');
      std::fprintf(stderr, "\r[%s] %zu/%zu runs  %.1f runs/s  ETA %.0f s   %s", bar.c_str(), done, total, rate, eta,
                   finished ? "\n" : "");
    } else {
      std::fprintf(stderr, "runs %zu/%zu  %.1f runs/s  ETA %.0f s\n", done, total, rate, eta);
    }
    std::fflush(stderr);
  }

 private:
  bool quiet_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

// The rank mpirun/srun gave this process, before MPI is initialised (0 when not launched by MPI).
int launch_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"})
    if (const char* value = std::getenv(name)) return std::atoi(value);
  return 0;
}

struct ShardSpec {
  std::size_t index = 0, count = 1;
};

ShardSpec parse_shard(const std::string& text) {
  ShardSpec shard;
  std::size_t used = 0;
  const auto fail = [&]() -> ShardSpec {
    throw ScenarioError(SourceLocation{"<command line>", 0, 0}, "--shard",
                        "expected I/N with 0 <= I < N (e.g. 3/16), found '" + text + "'");
  };
  const auto slash = text.find('/');
  if (slash == std::string::npos) return fail();
  try {
    shard.index = std::stoull(text.substr(0, slash), &used);
    if (used != slash) return fail();
    shard.count = std::stoull(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) return fail();
  } catch (const std::logic_error&) {
    return fail();
  }
  if (shard.count == 0 || shard.index >= shard.count) return fail();
  return shard;
}

class Commands final : public SweepCommands {
 public:
  explicit Commands(CLI::App& app) {
    sweep_ = app.add_subcommand("sweep", "Run a parameter sweep (grid, lhs, saltelli, morris) into one HDF5 file");
    sweep_->add_option("sweep", sweep_path_, "Sweep file (YAML)")->required();
    sweep_->add_option("-o,--output", output_, "Result file (default: <sweep name>.h5)");
    sweep_->add_option("--threads", threads_, "Worker threads per process (default: all cores)")
        ->check(CLI::NonNegativeNumber);
    sweep_->add_flag("--resume", resume_, "Continue an interrupted sweep from OUT.h5.journal: run only missing runs");
    sweep_->add_option("--shard", shard_, "Run only shard I of N (runs with run % N == I) into its own file");
    sweep_->add_flag("--keep-journal", keep_journal_, "Keep OUT.h5.journal after the result file is written");
    sweep_->add_flag("--quiet", quiet_, "No progress on stderr");

    merge_ = app.add_subcommand("merge", "Join the shard files of one sweep into one result file");
    merge_->add_option("output", merge_output_, "Merged result file")->required();
    merge_->add_option("shards", merge_inputs_, "Shard files (all N shards of one sweep)")->required();
  }

  std::optional<int> dispatch(const ModelRegistry& registry) override {
    if (*sweep_) {
      if (launch_rank() == 0) return command_sweep(registry);
      // Other MPI ranks stay silent: rank 0 reports (the same) errors once.
      try {
        return command_sweep(registry);
      } catch (const ScenarioError&) {
        return kExitInvalidInput;
      } catch (const std::exception&) {
        return kExitFailure;
      }
    }
    if (*merge_) return command_merge();
    return std::nullopt;
  }

 private:
  int command_sweep(const ModelRegistry& registry) {
    const ShardSpec shard = shard_.empty() ? ShardSpec{} : parse_shard(shard_);
    const Sweep sweep = load_sweep(sweep_path_, registry);
    SweepRunOptions options;
    options.output = output_;
    if (options.output.empty()) {
      const std::string stem = std::filesystem::path(sweep_path_).stem().string();
      options.output = shard.count > 1 ? stem + ".shard" + std::to_string(shard.index) + "of" +
                                             std::to_string(shard.count) + ".h5"
                                       : stem + ".h5";
    }
    options.threads = threads_;
    options.resume = resume_;
    options.shard_index = shard.index;
    options.shard_count = shard.count;
    options.keep_journal = keep_journal_;
    const bool mpi = sweep_launched_by_mpi() && sweep_mpi_available();
    const bool speaker = launch_rank() == 0 && !quiet_;
    SweepProgress progress(!speaker);
    options.progress = [&](std::size_t done, std::size_t total) { progress(done, total); };
    options.note = [&](const std::string& text) {
      if (speaker) std::fprintf(stderr, "%s\n", text.c_str());
    };
    if (speaker) {
      std::fprintf(stderr, "coordsim %s sweep %s: %s design, %zu runs x %zu variants x %zu replications x %zu steps%s\n",
                   std::string(kVersion).c_str(), sweep_path_.c_str(), to_string(sweep.design).c_str(), sweep.runs,
                   sweep.variant_count(), sweep.replications, sweep.steps,
                   shard.count > 1 ? (", shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count)).c_str()
                                   : "");
    }
    const auto start = std::chrono::steady_clock::now();
    int rank = 0;
    const SweepOutcome outcome = mpi ? run_sweep_mpi(sweep, registry, options, rank) : run_sweep(sweep, registry, options);
    if (rank != 0) return 0;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!quiet_) {
      std::cout << "sweep: " << outcome.runs_in_scope << " runs (" << outcome.runs_in_scope - outcome.failed << " ok, "
                << outcome.failed << " failed";
      if (outcome.resumed > 0) std::cout << "; " << outcome.resumed << " from the journal";
      std::cout << ") written to " << options.output;
      if (outcome.computed > 0 && seconds > 0.0)
        std::cout << "; " << outcome.computed << " runs in " << seconds << " s ("
                  << static_cast<double>(outcome.computed) / seconds << " runs/s)";
      std::cout << "\n";
    }
    if (outcome.failed > 0) {
      std::cerr << outcome.failed << " run(s) failed:\n";
      for (const auto& failure : outcome.failures) std::cerr << "  " << failure << "\n";
      if (outcome.failures.size() < outcome.failed)
        std::cerr << "  ... (run_status and run_message in " << options.output << " list them all)\n";
      return kExitFailure;
    }
    return 0;
  }

  int command_merge() {
    const std::size_t failed = merge_sweep_shards(merge_output_, merge_inputs_);
    std::cout << "merged " << merge_inputs_.size() << " shard(s) into " << merge_output_ << "\n";
    if (failed > 0) {
      std::cerr << failed << " run(s) failed (see run_status and run_message)\n";
      return kExitFailure;
    }
    return 0;
  }

  CLI::App* sweep_ = nullptr;
  CLI::App* merge_ = nullptr;
  std::string sweep_path_, output_, shard_;
  int threads_ = 0;
  bool resume_ = false, keep_journal_ = false, quiet_ = false;
  std::string merge_output_;
  std::vector<std::string> merge_inputs_;
};

}  // namespace

std::unique_ptr<SweepCommands> add_sweep_commands(CLI::App& app) { return std::make_unique<Commands>(app); }

}  // namespace coordsim::sim
