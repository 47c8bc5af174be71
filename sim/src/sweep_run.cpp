// Running a sweep on one process: design points on all cores (oneTBB), each finished point
// appended to the journal at once, the result file assembled from the journal at the end.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "coordsim/sim/runner.hpp"
#include "hdf5_util.hpp"
#include "journal.hpp"
#include "sweep_detail.hpp"

namespace coordsim::sim {
namespace sweep_detail {
namespace {

namespace fs = std::filesystem;

using hdf5::in_quotes;

constexpr std::size_t kMaxListedFailures = 20;


bool in_shard(std::uint64_t run, const SweepRunOptions& options) {
  return run % options.shard_count == options.shard_index;
}

// The command that continues this sweep, for messages.
std::string resume_command_for(const Sweep& sweep, const SweepRunOptions& options) {
  std::string command = "coordsim sweep " + (sweep.source.empty() ? std::string("SWEEP.yaml") : sweep.source) +
                        " -o " + options.output + " --resume";
  if (options.shard_count > 1)
    command += " --shard " + std::to_string(options.shard_index) + "/" + std::to_string(options.shard_count);
  return command;
}

}  // namespace

void compute_points(const Sweep& sweep, const Model& model, const std::vector<std::uint64_t>& points,
                    const ExecutionContext& execution, const std::atomic<bool>& cancel,
                    const std::function<void(PointResult&&)>& done, bool keep_payload) {
  const PayloadLayout layout = payload_layout(sweep);
  const std::size_t sims = layout.simulations;
  const std::size_t total = points.size() * sims;
  if (total == 0) return;

  struct Partial {
    PointResult result;
    std::size_t remaining = 0;
    std::size_t failed_simulation = ~std::size_t{0};
  };
  std::mutex partial_mutex, done_mutex;
  std::unordered_map<std::size_t, Partial> partials;
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  const ExecutionContext serial(1);  // runs are the parallel unit; phases inside a run stay serial

  const auto simulate = [&](std::size_t index) {
    const std::size_t position = index / sims;
    const std::size_t simulation = index % sims;
    const std::size_t variant = simulation / sweep.replications;
    const std::size_t replication = simulation % sweep.replications;
    const std::uint64_t run = points[position];

    // The same run-one-world path as `coordsim run`, with the point's parameters and seed.
    const ParamSet parameters = sweep.parameters_of(run, variant);
    const RunSpec spec{parameters, sweep.point_seed(run), 0, replication, sweep.steps,
                       OutputSettings{sweep.agents, static_cast<std::int64_t>(sweep.agent_every)}};
    RunRecord record = run_one(model, spec, sweep.layout, serial);

    std::string problem;
    if (!record.ok) {
      problem = record.message.empty() ? "the run failed" : record.message;
    } else {
      for (std::size_t i = 0; i < record.summaries.size() && sweep.fail_on_nan != "none"; ++i)
        if (std::isnan(record.summaries[i]) && (sweep.fail_on_nan == "all" || sweep.layout.summaries[i].key)) {
          problem = "summary '" + sweep.layout.summaries[i].variable.name + "' is NaN";
          break;
        }
    }

    std::unique_lock lock(partial_mutex);
    auto [slot, created] = partials.try_emplace(position);
    Partial& partial = slot->second;
    if (created) {
      partial.result.run = run;
      partial.result.repeat_lag = std::max<std::size_t>(1, layout.n_series);
      partial.result.payload.assign(layout.total(), std::numeric_limits<double>::quiet_NaN());
      partial.remaining = sims;
    }
    double* out = partial.result.payload.data() + simulation * layout.stride;
    const auto copy = [&](const std::vector<double>& values, std::size_t offset, std::size_t expected) {
      if (values.size() == expected) std::copy(values.begin(), values.end(), out + offset);
    };
    copy(record.series, 0, layout.steps * layout.n_series);
    copy(record.summaries, layout.steps * layout.n_series, layout.n_summaries);
    if (sweep.agents)
      for (std::size_t k = 0; k < layout.kind_offset.size() && k < record.agents.size(); ++k) {
        const auto& kind = sweep.layout.agent_kinds[k];
        copy(record.agents[k], layout.kind_offset[k], layout.recorded_steps * kind.variables.size() * kind.count);
      }
    // The message names the first failed simulation in (variant, replication) order, whatever
    // order they finished in, so files do not depend on scheduling.
    if (!problem.empty() && simulation < partial.failed_simulation) {
      partial.failed_simulation = simulation;
      partial.result.message = "variant '" + sweep.base.variants[variant].name + "' replication " +
                               std::to_string(replication) + ": " + problem;
      if (partial.result.message.size() > kMaxMessage) partial.result.message.resize(kMaxMessage);
    }
    if (--partial.remaining > 0) return;
    PointResult finished = std::move(partial.result);
    finished.status = partial.failed_simulation == ~std::size_t{0} ? kOk : kFailed;
    partials.erase(slot);
    lock.unlock();
    finished.encoded = encode_point(finished);  // compress here, in parallel, not under done_mutex
    if (!keep_payload) std::vector<double>().swap(finished.payload);

    std::lock_guard done_lock(done_mutex);
    if (stop) return;
    try {
      done(std::move(finished));
    } catch (...) {
      error = std::current_exception();
      stop = true;
    }
  };

  execution.arena().execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, total, 1), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t index = r.begin(); index < r.end(); ++index) {
        if (stop || cancel) return;
        simulate(index);
      }
    });
  });
  if (error) std::rethrow_exception(error);
}

SweepOutcome run_sweep_with(const Sweep& sweep, const SweepRunOptions& options, const Executor& executor) {
  skip_hdf5_exit_cleanup();
  if (options.shard_count == 0 || options.shard_index >= options.shard_count)
    throw ScenarioError(SourceLocation{"<command line>", 0, 0}, "--shard",
                        "expected I/N with 0 <= I < N, found " + std::to_string(options.shard_index) + "/" +
                            std::to_string(options.shard_count));
  hdf5::check_output_destination(options.output);
  const std::string journal_path = options.output + ".journal";
  const PayloadLayout layout = payload_layout(sweep);
  const JournalHeader header{sweep.hash, sweep.runs, layout.total(), static_cast<std::uint32_t>(options.shard_index),
                             static_cast<std::uint32_t>(options.shard_count)};
  const auto note = [&](const std::string& text) {
    if (options.note) options.note(text);
  };

  // One process at a time per output: the lock is held until the result file is written.
  const OutputLock lock(options.output);
  for (const auto& stale : remove_stale_temporaries(options.output))
    note("removed " + in_quotes(stale) + ", left by a coordsim process that no longer runs");

  std::error_code error;
  const bool journal_exists = fs::exists(journal_path, error);
  const std::string resume_command = resume_command_for(sweep, options);
  if (journal_exists && !options.resume)
    throw ScenarioError(SourceLocation{journal_path, 0, 0}, "",
                        "the journal of an unfinished sweep is in the way; continue that sweep with `" +
                            resume_command + "`, or remove the journal to start afresh");
  SweepOutcome outcome;
  if (!journal_exists && options.resume) {
    if (const auto done = completed_sweep_status(options.output, sweep, ShardInfo{options.shard_index, options.shard_count})) {
      for (std::uint64_t run = 0; run < sweep.runs; ++run) {
        if (!in_shard(run, options)) continue;
        ++outcome.runs_in_scope;
        ++outcome.resumed;
        if ((*done)[run] == kFailed) ++outcome.failed;
      }
      note("nothing to resume: " + in_quotes(options.output) + " already holds every run of this sweep" +
           (options.shard_count > 1 ? " shard" : "") + " (remove it to run the sweep again)");
      return outcome;
    }
  }
  Journal journal = journal_exists ? Journal::resume(journal_path, header) : Journal::create(journal_path, header);

  std::vector<std::uint64_t> pending;
  for (std::uint64_t run = 0; run < sweep.runs; ++run) {
    if (!in_shard(run, options)) continue;
    ++outcome.runs_in_scope;
    if (journal.has(run))
      ++outcome.resumed;
    else
      pending.push_back(run);
  }
  if (journal_exists) {
    std::string text = "resuming from " + in_quotes(journal_path) + ": " + std::to_string(outcome.resumed) + " of " +
                       std::to_string(outcome.runs_in_scope) + " runs already done";
    if (journal.truncated_bytes() > 0)
      text += "; cut off " + std::to_string(journal.truncated_bytes()) + " bytes of an incomplete record";
    if (journal.skipped_bytes() > 0)
      text += "; skipped " + std::to_string(journal.skipped_bytes()) +
              " bytes of damaged records (their runs are computed again)";
    note(text);
  }

  const std::size_t todo = pending.size();
  if (options.progress) options.progress(0, todo);
  executor(pending, [&](PointResult&& point) {
    journal.append(point);
    ++outcome.computed;
    if (options.progress) options.progress(outcome.computed, todo);
  });
  journal.sync();

  // Assemble the result file from the journal, in run order, block by block; reading, decoding,
  // gathering and compressing run on all threads, HDF5's writes on this one.
  const ExecutionContext assembly(options.threads);
  SweepFileWriter writer(options.output, sweep, ShardInfo{options.shard_index, options.shard_count});
  const std::size_t block = writer.block_runs();
  std::vector<PointResult> points;
  std::vector<const PointResult*> pointers;
  for (std::size_t first = 0; first < sweep.runs; first += block) {
    const std::size_t count = std::min(block, sweep.runs - first);
    points.assign(count, PointResult{});
    pointers.assign(count, nullptr);
    assembly.for_each(count, 4, [&](std::size_t j) {
      const std::uint64_t run = first + j;
      if (in_shard(run, options) && journal.has(run)) points[j] = journal.read(run);
    });
    for (std::size_t j = 0; j < count; ++j) {
      const std::uint64_t run = first + j;
      if (!in_shard(run, options) || !journal.has(run)) continue;
      pointers[j] = &points[j];
      if (points[j].status == kFailed) {
        ++outcome.failed;
        if (outcome.failures.size() < kMaxListedFailures)
          outcome.failures.push_back("run " + std::to_string(run) + " (" + sweep.describe_point(run) +
                                     "): " + points[j].message);
      }
    }
    writer.write_block(first, pointers, assembly);
  }
  writer.commit();
  if (!options.keep_journal) fs::remove(journal_path, error);
  return outcome;
}

}  // namespace sweep_detail

SweepOutcome run_sweep(const Sweep& sweep, const ModelRegistry& registry, const SweepRunOptions& options) {
  const Model* model = registry.find(sweep.model);
  if (model == nullptr) throw OutputError("model '" + sweep.model + "' is not registered");
  const ExecutionContext execution(options.threads);
  return sweep_detail::run_sweep_with(
      sweep, options,
      [&](const std::vector<std::uint64_t>& pending, const std::function<void(sweep_detail::PointResult&&)>& sink) {
        const std::atomic<bool> cancel{false};
        sweep_detail::compute_points(sweep, *model, pending, execution, cancel, sink);
      });
}

ResourceEstimate estimate_sweep(const Sweep& sweep, const ModelRegistry& registry, const SweepRunOptions& options) {
  ResourceEstimate estimate;
  const Model* model = registry.find(sweep.model);
  if (model == nullptr) throw OutputError("model '" + sweep.model + "' is not registered");
  const sweep_detail::PayloadLayout layout = sweep_detail::payload_layout(sweep);
  const std::uint64_t per_point = static_cast<std::uint64_t>(layout.total()) * sizeof(double);
  std::uint64_t world = 0;
  for (const auto& variant : sweep.base.variants) world = std::max(world, model->world_memory_bytes(variant.parameters));
  const std::uint64_t shard_count = std::max<std::size_t>(options.shard_count, 1);
  const std::uint64_t points = (sweep.runs + shard_count - 1) / shard_count;
  const std::uint64_t threads = options.threads > 0 ? static_cast<std::uint64_t>(options.threads)
                                                    : std::max(1U, std::thread::hardware_concurrency());
  const std::uint64_t workers = std::min<std::uint64_t>(threads, std::max<std::uint64_t>(points * layout.simulations, 1));
  // Workers: a world, a record and a point's payload being filled each (points in flight are at
  // most one per worker), its encoded form; assembly: a block of points (~8 MiB of payload, at
  // least one point) decoded, gathered and compressed, so three copies; 64 MiB for the program.
  const std::uint64_t block = std::max<std::uint64_t>(std::uint64_t{8} << 20, per_point);
  estimate.memory_bytes = workers * (world + 3 * per_point) + 3 * block + (std::uint64_t{64} << 20);
  estimate.output_bytes = 2 * points * per_point;  // journal and result file, uncompressed bound
  measure_machine(estimate, options.output);
  return estimate;
}

bool sweep_launched_by_mpi() noexcept {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

}  // namespace coordsim::sim

#ifndef COORDSIM_HAVE_MPI
namespace coordsim::sim {
bool sweep_mpi_available() noexcept { return false; }
SweepOutcome run_sweep_mpi(const Sweep&, const ModelRegistry&, const SweepRunOptions&, int& rank) {
  rank = 0;
  throw OutputError("this coordsim was built without MPI (configure with -DCOORDSIM_WITH_MPI=ON and an MPI "
                    "library installed); use --shard I/N job arrays and `coordsim merge` instead");
}
}  // namespace coordsim::sim
#endif
