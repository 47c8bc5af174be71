// `coordsim sweep SWEEP.yaml -o OUT.h5 [--threads N] [--resume] [--shard I/N] [--quiet]`
// `coordsim merge OUT.h5 SHARD.h5...`
#include "sweep_command.hpp"
#include "progress.hpp"

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

// Progress on stderr: a bar updated in place on a terminal, a plain line every few seconds otherwise.
class SweepProgress {
 public:
  explicit SweepProgress(bool quiet) : meter_(quiet) {}
  void operator()(std::size_t done, std::size_t total) {
    const auto reading = meter_.next(done, total);
    if (!reading) return;
    if (meter_.terminal()) {
      std::fprintf(stderr, "\r[%s] %zu/%zu runs  %.1f runs/s  ETA %.0f s   %s", cli_progress::bar(done, total).c_str(),
                   done, total, reading->rate, reading->eta, reading->finished ? "\n" : "");
    } else {
      std::fprintf(stderr, "runs %zu/%zu  %.1f runs/s  ETA %.0f s\n", done, total, reading->rate, reading->eta);
    }
    std::fflush(stderr);
  }

 private:
  cli_progress::Meter meter_;
};

using cli_progress::launch_rank;

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
    sweep_->add_flag("--dry-run", dry_run_,
                     "Print the estimated peak memory and output size (journal and file), compared with what the "
                     "machine has; run nothing");
    sweep_->add_flag("--force", force_, "Run even when the estimate exceeds the available memory or disk space");

    merge_ = app.add_subcommand("merge", "Join the shard files of one sweep into one result file");
    merge_->add_option("output", merge_output_, "Merged result file")->required();
    merge_->add_option("shards", merge_inputs_, "Shard files (all N shards of one sweep)")->required();
    merge_->add_flag("--allow-partial", allow_partial_,
                     "Write the file even when runs are missing from their shards, marked partial (attributes "
                     "partial, missing_runs)");
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
    const ResourceEstimate estimate = estimate_sweep(sweep, registry, options);
    if (dry_run_) {
      if (launch_rank() == 0) std::cout << sweep_path_ << ": " << sweep.runs << " runs: " << estimate.describe() << "\n";
      return estimate.memory_ok() && estimate.disk_ok() ? 0 : kExitFailure;
    }
    if (!force_ && (!estimate.memory_ok() || !estimate.disk_ok()))
      throw ScenarioError(SourceLocation{sweep_path_, 0, 0}, "",
                          std::string("this sweep would not fit: ") + estimate.describe() +
                              ". Use fewer replications or steps, --threads, --shard I/N, output.agents: false, or "
                              "write elsewhere; --force runs it anyway");
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
    SweepOutcome outcome;
    try {
      outcome = mpi ? run_sweep_mpi(sweep, registry, options, rank) : run_sweep(sweep, registry, options);
    } catch (const OutputError&) {
      // The runs finished so far are in the journal: say how to continue.
      std::error_code ignored;
      if (speaker && std::filesystem::exists(options.output + ".journal", ignored))
        std::fprintf(stderr, "the finished runs are kept in %s.journal; continue with: coordsim sweep %s -o %s --resume%s\n",
                     options.output.c_str(), sweep_path_.c_str(), options.output.c_str(),
                     shard.count > 1 ? (" --shard " + shard_).c_str() : "");
      throw;
    } catch (const std::bad_alloc&) {
      if (speaker)
        std::fprintf(stderr, "out of memory; the finished runs are kept in %s.journal; continue with --resume "
                             "(with fewer --threads)\n", options.output.c_str());
      throw;
    }
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
    const MergeOutcome outcome = merge_sweep_shards(merge_output_, merge_inputs_, allow_partial_);
    std::cout << "merged " << merge_inputs_.size() << " shard(s) into " << merge_output_;
    if (!outcome.missing.empty())
      std::cout << " (PARTIAL: " << outcome.missing.size() << " run(s) missing, listed in its missing_runs attribute)";
    std::cout << "\n";
    if (outcome.failed > 0) std::cerr << outcome.failed << " run(s) failed (see run_status and run_message)\n";
    return outcome.failed > 0 || !outcome.missing.empty() ? kExitFailure : 0;
  }

  CLI::App* sweep_ = nullptr;
  CLI::App* merge_ = nullptr;
  std::string sweep_path_, output_, shard_;
  int threads_ = 0;
  bool resume_ = false, keep_journal_ = false, quiet_ = false, allow_partial_ = false, dry_run_ = false, force_ = false;
  std::string merge_output_;
  std::vector<std::string> merge_inputs_;
};

}  // namespace

std::unique_ptr<SweepCommands> add_sweep_commands(CLI::App& app) { return std::make_unique<Commands>(app); }

}  // namespace coordsim::sim
