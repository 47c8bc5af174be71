// The coordsim command line: a thin shell over the library. Every user error ends with a one-line
// message naming the file, line and key, exit code 2, and no output file.
#include "coordsim/sim/cli.hpp"

#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>

#include "comparison_table.hpp"
#include "progress.hpp"
#include "calibrate_command.hpp"
#include "sweep_command.hpp"
#include "coordsim/sim/error.hpp"
#include "coordsim/sim/profile.hpp"
#include "coordsim/sim/results_file.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"
#include "coordsim/sim/version.hpp"

namespace coordsim::sim {
namespace {

std::string listed(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

struct ScenarioOptions {
  std::string path;  // empty: the embedded default
  std::vector<std::string> assignments;
  std::optional<std::uint64_t> seed;
  std::optional<std::int64_t> replications;
  std::optional<std::int64_t> steps;
};

struct RunOptions {
  ScenarioOptions scenario;
  std::string output;
  int threads = 0;
  bool quiet = false;
  bool no_agents = false;
  bool dry_run = false;
  bool force = false;
  bool profile = false;
};

void add_scenario_options(CLI::App& command, ScenarioOptions& options, bool optional_file,
                          const ModelRegistry& registry) {
  auto* file = command.add_option("scenario", options.path,
                                  optional_file ? "Scenario file (YAML); the embedded default scenario (" +
                                                      registry.default_scenario_name() + ") if omitted"
                                                : std::string("Scenario file (YAML)"));
  if (!optional_file) file->required();
  command.add_option("--set", options.assignments,
                     "Override a value: key.path=value (repeatable), e.g. --set walkers.drift=0.9 --set run.steps=100");
  command.add_option("--seed", options.seed, "Base random seed (overrides run.seed)");
  command.add_option("--replications", options.replications, "Replications per variant (overrides run.replications)")
      ->check(CLI::PositiveNumber);
  command.add_option("--steps", options.steps, "Steps per run (overrides run.steps)")->check(CLI::PositiveNumber);
}

Scenario resolve_scenario(const ScenarioOptions& options, const ModelRegistry& registry) {
  Scenario scenario = options.path.empty()
                          ? parse_scenario(registry.default_scenario_text(), registry.default_scenario_name(), registry)
                          : load_scenario(options.path, registry);
  for (const auto& assignment : options.assignments) apply_override(scenario, assignment, registry);
  if (options.seed) apply_override(scenario, "run.seed=" + std::to_string(*options.seed), registry);
  if (options.replications) apply_override(scenario, "run.replications=" + std::to_string(*options.replications), registry);
  if (options.steps) apply_override(scenario, "run.steps=" + std::to_string(*options.steps), registry);
  return scenario;
}

std::string default_output_path(const ScenarioOptions& options, const ModelRegistry& registry) {
  const std::string source = options.path.empty() ? registry.default_scenario_name() : options.path;
  return std::filesystem::path(source).stem().string() + ".h5";
}

// Progress on stderr: updated in place on a terminal, a plain line every few seconds otherwise.
class ProgressReporter {
 public:
  explicit ProgressReporter(bool quiet) : meter_(quiet) {}
  void operator()(std::size_t done, std::size_t total) {
    const auto reading = meter_.read(done, total);
    if (!reading) return;
    std::fprintf(stderr, "%sruns %zu/%zu  %.1f runs/s  ETA %.0f s%s", meter_.terminal() ? "\r" : "", done, total,
                 reading->rate, reading->eta, meter_.terminal() && !reading->finished ? "" : "\n");
    std::fflush(stderr);
  }

 private:
  cli_progress::Meter meter_;
};

int command_run(const RunOptions& options, const ModelRegistry& registry) {
  std::optional<Profile> profile;
  if (options.profile) profile.emplace(1);  // started first: the start-up parts include reading the scenario
  Profile* const timed = profile ? &*profile : nullptr;
  Scenario scenario = resolve_scenario(options.scenario, registry);
  if (options.no_agents) scenario.output.agents = false;
  const Model& model = *registry.find(scenario.model);
  const std::string output = options.output.empty() ? default_output_path(options.scenario, registry) : options.output;

  const ExecutionContext execution(options.threads);
  if (timed != nullptr) timed->charge(timed->part("reading the scenario, threads"));
  const ResourceEstimate estimate = estimate_run(model, scenario, execution.threads(), output);
  if (timed != nullptr) timed->charge(timed->part("estimating memory and disk"));
  if (options.dry_run) {
    std::cout << scenario.source << ": " << scenario.variants.size() << " variants x " << scenario.run.replications
              << " replications x " << scenario.run.steps << " steps on " << execution.threads() << " threads: "
              << estimate.describe() << "\n";
    return estimate.memory_ok() && estimate.disk_ok() ? 0 : kExitFailure;
  }
  if (!options.force && (!estimate.memory_ok() || !estimate.disk_ok()))
    throw ScenarioError(SourceLocation{scenario.source, 0, 0}, "",
                        std::string("this run would not fit: ") + estimate.describe() +
                            ". Use fewer replications, variants or steps, --threads, --no-agents or a larger "
                            "output.agent_every, or write elsewhere; --force runs it anyway");
  ResultWriter writer(output, result_metadata(scenario), scenario_layout(model, scenario));
  for (const auto& stale : writer.removed_temporaries())
    std::fprintf(stderr, "removed '%s', left by a coordsim process that no longer runs\n", stale.c_str());
  if (!options.quiet)
    std::fprintf(stderr, "coordsim %s: %s, %zu variants x %lld replications x %lld steps on %d threads\n",
                 std::string(kVersion).c_str(), scenario.source.c_str(), scenario.variants.size(),
                 static_cast<long long>(scenario.run.replications), static_cast<long long>(scenario.run.steps),
                 execution.threads());
  ProgressReporter progress(options.quiet);
  if (timed != nullptr) {
    timed->set_threads(execution.threads());
    timed->charge(timed->part("creating the file"));
  }
  const BatchResult result = run_batch(
      model, scenario, execution, [&](RunRecord&& record) { writer.write(record); },
      [&](std::size_t done, std::size_t total) { progress(done, total); }, timed);
  writer.commit();
  if (timed != nullptr) timed->charge(timed->part("closing the file"));

  // --quiet: nothing on stdout either (the results are in the file; failures still go to stderr).
  if (!options.quiet) {
    std::vector<std::string> names;
    for (const auto& variant : scenario.variants) names.push_back(variant.name);
    std::cout << comparison_table(result, names);
    std::cout << "\nResults written to " << output << "\n";
  }
  if (timed != nullptr) {
    std::cout.flush();
    std::fputs(timed->report(timed->charge(timed->part("comparison table"))).c_str(), stderr);
  }
  if (result.failed > 0) {
    std::cerr << result.failed << " run(s) failed:\n";
    for (const auto& failure : result.failures) std::cerr << "  " << failure << "\n";
    return kExitFailure;
  }
  return 0;
}

int command_validate(const ScenarioOptions& options, const ModelRegistry& registry) {
  const Scenario scenario = resolve_scenario(options, registry);
  std::cout << scenario.source << ": valid " << scenario.model << " scenario, " << scenario.variants.size()
            << " variant(s):";
  for (const auto& variant : scenario.variants) std::cout << " " << variant.name;
  std::cout << "\n";
  return 0;
}

int command_params(const std::string& model_name, const ModelRegistry& registry) {
  const std::string name = model_name.empty() ? registry.default_model() : model_name;
  const Model* model = registry.find(name);
  if (model == nullptr) {
    std::cerr << "error: unknown model '" << name << "'; available: " << listed(registry.names()) << "\n";
    return kExitInvalidInput;
  }
  std::cout << "Model '" << model->name() << "': " << model->description() << "\n\n" << model->schema().describe();
  return 0;
}

// `coordsim explore ...`: the explorer is the Python module coordsim.explorer (a local web server
// over the bindings). Hand it the arguments, with the package beside this executable on PYTHONPATH
// (<build>/bin -> <build>/python; <prefix>/bin -> <prefix>/lib/python3/dist-packages) before any
// PYTHONPATH of the caller. The interpreter: $COORDSIM_PYTHON, else Debian's /usr/bin/python3.
int command_explore(const std::vector<std::string>& arguments) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path root = fs::read_symlink("/proc/self/exe", error).parent_path().parent_path();
  std::string pythonpath;
  for (const fs::path& candidate : {root / "python", root / "lib" / "python3" / "dist-packages"}) {
    if (!error && fs::exists(candidate / "coordsim" / "explorer.py")) {
      pythonpath = candidate.string();
      break;
    }
  }
  if (const char* existing = std::getenv("PYTHONPATH"); existing != nullptr && *existing != '\0')
    pythonpath += (pythonpath.empty() ? "" : ":") + std::string(existing);
  if (!pythonpath.empty()) setenv("PYTHONPATH", pythonpath.c_str(), 1);
  const char* chosen = std::getenv("COORDSIM_PYTHON");
  const std::string python = chosen != nullptr && *chosen != '\0' ? chosen : "/usr/bin/python3";
  std::vector<std::string> words = {python, "-m", "coordsim.explorer"};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  execvp(argv[0], argv.data());
  std::cerr << "error: cannot start " << python << " for coordsim explore: " << std::strerror(errno)
            << " (set COORDSIM_PYTHON to a Python that has the coordsim package)\n";
  return kExitFailure;
}

// Runs allocate and free the same large buffers (agent stores, recorded series) thousands of times.
// glibc's defaults serve blocks above 128 KiB with mmap and hand freed heap tops back to the kernel,
// so every run paid page faults and zeroing for fresh pages (a tenth of a sweep's CPU time with the
// F1 scenario). Keeping freed memory in the process costs nothing in peak memory: the next run
// reuses it.
void keep_freed_memory() noexcept {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's largest allowed value on 64-bit
  mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
#endif
}

}  // namespace

int cli_main(int argc, char** argv, const ModelRegistry& registry) {
  keep_freed_memory();
  disable_hdf5_exit_cleanup();  // e.g. `run` on a full disk: report, then exit without HDF5's cleanup
  CLI::App app{"coordsim: agent-based simulation (models: " + listed(registry.names()) + ")"};
  app.set_version_flag("--version", "coordsim " + std::string(kVersion) + " (commit " + std::string(git_commit()) +
                                        ", result format " + std::to_string(kFormatVersion) + ")");
  app.require_subcommand(1);

  RunOptions run;
  auto* run_command = app.add_subcommand("run", "Run a scenario and compare its variants; write results to HDF5");
  add_scenario_options(*run_command, run.scenario, true, registry);
  run_command->add_option("-o,--output", run.output, "Result file (default: <scenario name>.h5)");
  run_command->add_option("--threads", run.threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  run_command->add_flag("--quiet", run.quiet, "No progress on stderr and no comparison table on stdout (errors still reported)");
  run_command->add_flag("--no-agents", run.no_agents, "Do not write per-agent outcomes");
  run_command->add_flag("--dry-run", run.dry_run,
                        "Print the estimated peak memory and output size, compared with what the machine has; run nothing");
  run_command->add_flag("--profile", run.profile,
                        "After the run, print on stderr the wall and CPU time of each part (start-up, generation, each "
                        "phase, recording, summarizing, writing, closing the file) and its parallel efficiency; runs "
                        "are then made one after another, each using every thread inside its phases");
  run_command->add_flag("--force", run.force, "Run even when the estimate exceeds the available memory or disk space");

  ScenarioOptions validate;
  auto* validate_command = app.add_subcommand("validate", "Check a scenario file against its model's schema");
  add_scenario_options(*validate_command, validate, false, registry);

  std::string info_path;
  auto* info_command = app.add_subcommand("info", "Describe a result file in words");
  info_command->add_option("file", info_path, "Result file (HDF5)")->required();

  std::string verify_path;
  auto* verify_command = app.add_subcommand(
      "verify", "Check a result or sweep file end to end: attributes, shapes, and every value read back "
                "through its checksums; exit 0 when whole, 1 when a sweep has runs not done, 2 when damaged");
  verify_command->add_option("file", verify_path, "Result file (HDF5)")->required();

  std::string params_model;
  auto* params_command = app.add_subcommand("params", "Print a model's parameters: type, default, unit, range");
  params_command->add_option("model", params_model, "Model name (default: the model of the default scenario)");

  auto* explore_command = app.add_subcommand(
      "explore", "Explore a scenario in the web browser (127.0.0.1): sliders, variants, live plots; see --help");
  explore_command->prefix_command();
  explore_command->allow_extras();
  explore_command->set_help_flag();  // --help goes to the explorer (Python), which lists its options

  const auto sweep_commands = add_sweep_commands(app);  // sweep, merge (sim/cli/sweep_command.cpp)
  const auto calibrate_command = add_calibrate_command(app);  // calibrate (sim/cli/calibrate_command.cpp)

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitInvalidInput;
  }

  try {
    if (const auto code = sweep_commands->dispatch(registry)) return *code;
    if (const auto code = calibrate_command->dispatch(registry)) return *code;
    if (*run_command) return command_run(run, registry);
    if (*validate_command) return command_validate(validate, registry);
    if (*info_command) {
      std::cout << describe_results(info_path);
      return 0;
    }
    if (*params_command) return command_params(params_model, registry);
    if (*explore_command) return command_explore(explore_command->remaining());
    if (*verify_command) {
      const VerifyReport report = verify_result_file(verify_path);
      std::cout << verify_path << ": " << report.text << (report.complete ? "OK\n" : "INCOMPLETE: runs are missing\n");
      return report.complete ? 0 : kExitFailure;
    }
  } catch (const ScenarioError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitInvalidInput;
  } catch (const BadFileError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitInvalidInput;
  } catch (const OutputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitFailure;
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory; no result file was written (`coordsim run --dry-run` estimates what a "
                 "scenario needs)\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace coordsim::sim
