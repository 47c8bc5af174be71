#include "coordsim/sim/runner.hpp"

#include "coordsim/sim/results_file.hpp"

#include <sys/resource.h>
#include <sys/statvfs.h>
#include <tbb/parallel_for.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

namespace coordsim::sim {
namespace {

// Finished runs wait here for the writer thread. Bounded, so that a slow sink cannot make
// memory grow with the number of runs.
class RecordQueue {
 public:
  explicit RecordQueue(std::size_t capacity) : capacity_(capacity) {}

  void push(RunRecord&& record) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return records_.size() < capacity_; });
    records_.push_back(std::move(record));
    not_empty_.notify_one();
  }
  // Returns false once closed and drained.
  bool pop(RunRecord& out) {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !records_.empty() || closed_; });
    if (records_.empty()) return false;
    out = std::move(records_.front());
    records_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::deque<RunRecord> records_;
  bool closed_ = false;
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
};

}  // namespace

ResultMetadata result_metadata(const Scenario& scenario) {
  ResultMetadata metadata;
  metadata.model = scenario.model;
  metadata.scenario_yaml = scenario.resolved_yaml();
  metadata.seed = scenario.run.seed;
  for (const auto& variant : scenario.variants) metadata.variants.push_back(variant.name);
  metadata.replications = static_cast<std::size_t>(scenario.run.replications);
  metadata.steps = static_cast<std::size_t>(scenario.run.steps);
  metadata.agents = scenario.output.agents;
  metadata.agent_every = static_cast<std::size_t>(scenario.output.agent_every);
  return metadata;
}

OutputLayout scenario_layout(const Model& model, const Scenario& scenario) {
  OutputLayout layout = model.layout(scenario.variants.front().parameters);
  // Agent kinds are matched by name: a variant may have a kind the first one lacks (one that
  // enables a mechanism with agents of its own), and every kind gets the largest count of any variant.
  for (std::size_t v = 1; v < scenario.variants.size(); ++v) {
    const OutputLayout other = model.layout(scenario.variants[v].parameters);
    for (const auto& kind : other.agent_kinds) {
      const auto same = std::find_if(layout.agent_kinds.begin(), layout.agent_kinds.end(),
                                     [&](const AgentKindSpec& k) { return k.kind == kind.kind; });
      if (same == layout.agent_kinds.end())
        layout.agent_kinds.push_back(kind);
      else
        same->count = std::max(same->count, kind.count);
    }
  }
  return layout;
}

RunSpec run_spec(const Scenario& scenario, std::size_t variant, std::size_t replication) {
  return RunSpec{scenario.variants[variant].parameters, scenario.run.seed, variant, replication,
                 static_cast<std::size_t>(scenario.run.steps), scenario.output};
}

namespace {

// run_one's steps with every part timed; kept apart so that the plain loop has no clock calls.
// The recorder's buffers count as generation, freeing the world as its own part.
void profiled_run(const Model& model, const RunSpec& spec, const OutputLayout& layout,
                  const ExecutionContext& execution, RunRecord& record, Profile& profile) {
  Profile::Part& generation = profile.part("generation");
  Recorder recorder(layout, spec.steps, spec.output.agents, static_cast<std::size_t>(spec.output.agent_every), record);
  const Rng rng(spec.seed, spec.replication);
  const BuildContext build{spec.seed, spec.replication, spec.steps, rng, execution};
  try {  // as in run_one: an exception fails the run, not the batch
    auto world = model.build(spec.parameters, build);
    profile.charge(generation);
    const auto& phases = world->phases();
    std::vector<Profile::Part*> phase_parts;
    for (const auto& phase : phases) phase_parts.push_back(&profile.part("phase " + phase.name));
    Profile::Part& recording = profile.part("recording");
    Profile::Part& summarizing = profile.part("summarizing");
    const std::vector<TimedStep> timed = world->timed_steps();
    StepTimes times(timed.size());
    for (std::size_t step = 0; step < spec.steps; ++step) {
      const StepContext context{step, rng, execution, timed.empty() ? nullptr : &times};
      for (std::size_t p = 0; p < phases.size(); ++p) {
        phases[p].run(context);
        profile.charge(*phase_parts[p]);
      }
      world->record(context, recorder);
      profile.charge(recording);
    }
    world->summarize(spec.steps, recorder);
    profile.charge(summarizing);
    for (std::size_t k = 0; k < timed.size(); ++k)
      profile.detail(*phase_parts.at(timed[k].phase), timed[k].name, times.seconds(k), times.calls(k));
    world.reset();
    profile.charge(profile.part("freeing the world"));
  } catch (const std::exception& error) {
    record.ok = false;
    record.message = error.what();
  }
}

}  // namespace

RunRecord run_one(const Model& model, const RunSpec& spec, const OutputLayout& layout,
                  const ExecutionContext& execution, Profile* profile) {
  RunRecord record;
  record.variant = spec.variant;
  record.replication = spec.replication;
  if (profile != nullptr) {
    profiled_run(model, spec, layout, execution, record, *profile);
    return record;
  }
  const std::size_t steps = spec.steps;
  Recorder recorder(layout, steps, spec.output.agents, static_cast<std::size_t>(spec.output.agent_every), record);
  try {
    const Rng rng(spec.seed, spec.replication);
    const BuildContext build{spec.seed, spec.replication, steps, rng, execution};
    const auto world = model.build(spec.parameters, build);
    const auto& phases = world->phases();
    for (std::size_t step = 0; step < steps; ++step) {
      const StepContext context{step, rng, execution};
      for (const auto& phase : phases) phase.run(context);
      world->record(context, recorder);
    }
    world->summarize(steps, recorder);
  } catch (const std::exception& error) {
    record.ok = false;
    record.message = error.what();
  }
  return record;
}

RunRecord run_one(const Model& model, const Scenario& scenario, const OutputLayout& layout, std::size_t variant,
                  std::size_t replication, const ExecutionContext& execution) {
  return run_one(model, run_spec(scenario, variant, replication), layout, execution);
}

BatchResult run_batch(const Model& model, const Scenario& scenario, const ExecutionContext& execution,
                      const RecordSink& sink, const ProgressCallback& progress, Profile* profile) {
  BatchResult result;
  result.layout = scenario_layout(model, scenario);
  const std::size_t variants = scenario.variants.size();
  const auto replications = static_cast<std::size_t>(scenario.run.replications);
  const std::size_t total = variants * replications;
  const std::size_t n_summaries = result.layout.summaries.size();
  result.summaries.assign(
      variants, std::vector<std::vector<double>>(replications,
                                                 std::vector<double>(n_summaries, std::numeric_limits<double>::quiet_NaN())));

  const auto take = [&](const RunRecord& record) {  // the batch's own account of a finished run
    if (!record.ok) {
      ++result.failed;
      result.failures.push_back(scenario.variants[record.variant].name + "/" + std::to_string(record.replication) +
                                ": " + record.message);
    }
    result.summaries[record.variant][record.replication] = record.summaries;
  };
  if (profile != nullptr) {
    profile->charge(profile->part("preparing the batch"));
    for (std::size_t index = 0; index < total; ++index) {
      RunRecord record = execution.arena().execute([&] {
        return run_one(model, run_spec(scenario, index % variants, index / variants), result.layout, execution, profile);
      });
      take(record);
      if (sink) sink(std::move(record));
      profile->charge(profile->part("writing"));
      if (progress) progress(index + 1, total);
    }
    return result;
  }

  RecordQueue queue(2 * static_cast<std::size_t>(execution.threads()) + 2);
  std::exception_ptr sink_error;
  std::thread writer([&] {
    RunRecord record;
    std::size_t done = 0;
    while (queue.pop(record)) {
      take(record);
      if (!sink_error && sink) {
        try {
          sink(std::move(record));
        } catch (...) {
          sink_error = std::current_exception();  // keep draining so workers never block
        }
      }
      if (progress) progress(++done, total);
    }
  });

  try {
    execution.arena().execute([&] {
      tbb::parallel_for(std::size_t{0}, total, [&](std::size_t index) {
        // Replication-major order spreads variants of one replication over threads.
        const std::size_t replication = index / variants;
        const std::size_t variant = index % variants;
        queue.push(run_one(model, scenario, result.layout, variant, replication, execution));
      });
    });
  } catch (...) {
    queue.close();
    writer.join();
    throw;
  }
  queue.close();
  writer.join();
  if (sink_error) std::rethrow_exception(sink_error);
  return result;
}

namespace {

std::uint64_t read_number_file(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return 0;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return 0;
  }
}

std::uint64_t mem_available() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t value = 0;
  std::string unit;
  while (in >> key >> value) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return value * 1024;
  }
  return 0;
}

std::uint64_t smaller_known(std::uint64_t a, std::uint64_t b) { return a == 0 ? b : (b == 0 ? a : std::min(a, b)); }

}  // namespace

std::string format_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(units)) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

std::string ResourceEstimate::describe() const {
  std::string text = "peak memory about " + format_bytes(memory_bytes);
  text += available_memory > 0 ? " (" + format_bytes(available_memory) + " available)" : " (available memory unknown)";
  text += "; output at most " + format_bytes(output_bytes);
  text += free_disk > 0 ? " (" + format_bytes(free_disk) + " free)" : " (free disk space unknown)";
  return text;
}

void measure_machine(ResourceEstimate& estimate, const std::string& output) {
  std::uint64_t available = mem_available();
  // cgroup v2, then v1: the limit minus what the group already uses.
  const std::uint64_t limit = smaller_known(read_number_file("/sys/fs/cgroup/memory.max"),
                                            read_number_file("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
  if (limit > 0 && limit < (std::uint64_t{1} << 60)) {
    const std::uint64_t used = smaller_known(read_number_file("/sys/fs/cgroup/memory.current"),
                                             read_number_file("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
    available = smaller_known(available, limit > used ? limit - used : 1);
  }
  rlimit address_space{};
  if (::getrlimit(RLIMIT_AS, &address_space) == 0 && address_space.rlim_cur != RLIM_INFINITY)
    available = smaller_known(available, static_cast<std::uint64_t>(address_space.rlim_cur));
  estimate.available_memory = available;
  const std::filesystem::path directory = std::filesystem::path(output).parent_path();
  struct statvfs disk {};
  if (::statvfs(directory.empty() ? "." : directory.c_str(), &disk) == 0)
    estimate.free_disk = static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize;
}

ResourceEstimate estimate_run(const Model& model, const Scenario& scenario, int threads, const std::string& output) {
  ResourceEstimate estimate;
  const OutputLayout layout = scenario_layout(model, scenario);
  const auto steps = static_cast<std::uint64_t>(scenario.run.steps);
  const auto every = static_cast<std::uint64_t>(std::max<std::int64_t>(scenario.output.agent_every, 1));
  std::uint64_t per_run = steps * layout.series.size() + layout.summaries.size();
  if (scenario.output.agents) {
    const std::uint64_t recorded = Recorder::recorded_steps(steps, true, every);
    for (const auto& kind : layout.agent_kinds) per_run += recorded * kind.variables.size() * kind.count;
  }
  per_run *= sizeof(double);
  std::uint64_t world = 0;
  for (const auto& variant : scenario.variants) world = std::max(world, model.world_memory_bytes(variant.parameters));
  const std::uint64_t runs = scenario.variants.size() * static_cast<std::uint64_t>(scenario.run.replications);
  const std::uint64_t workers =
      std::min<std::uint64_t>(threads > 0 ? static_cast<std::uint64_t>(threads) : std::thread::hardware_concurrency(),
                              std::max<std::uint64_t>(runs, 1));
  // Each worker holds a world and its record; the writer's queue holds up to 2 x threads + 2
  // finished records; the writer compresses one record at a time; 16 MiB for the program itself
  // (its code, the libraries, the thread pool: a shipped one-task scenario of 52 agents run with
  // `--replications 1 --threads 1` peaks at 17.6 MB, its world and record included).
  // The writer's HDF5 metadata cache holds the file's chunk index, ≈ 1 KiB per chunk written
  // (measured on a shipped scenario at 10 and 100 runs), up to HDF5's default cache size of 32 MiB.
  std::uint64_t chunked = layout.series.size();
  if (scenario.output.agents)
    for (const auto& kind : layout.agent_kinds) chunked += kind.variables.size();
  const std::uint64_t index = std::min<std::uint64_t>(runs * chunked * 1024, std::uint64_t{32} << 20);
  estimate.memory_bytes =
      workers * (world + per_run) + (2 * workers + 2) * per_run + per_run + index + (std::uint64_t{16} << 20);
  estimate.output_bytes = runs * per_run;
  measure_machine(estimate, output);
  return estimate;
}

}  // namespace coordsim::sim
