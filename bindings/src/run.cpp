// Running a scenario from Python: every variant x replication through sim::run_batch, exactly as
// `coordsim run` does, with the GIL released for the whole batch. Finished runs arrive on the
// engine's writer thread, which scatters them into one contiguous (variant, replication, step)
// buffer per outcome (the RunRecord is [step][variable] per run) and, when asked, writes the
// same HDF5 file as the command line. The buffers then become NumPy arrays without a copy.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/output.hpp"
#include "coordsim/sim/profile.hpp"
#include "coordsim/sim/results_file.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"
#include "coordsim/sim/version.hpp"

namespace coordsim::bindings {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// One contiguous buffer per outcome, filled run by run on the writer thread (one thread, so no
// locking), in the layout of the result file: [variant][replication][step(, agent)].
class Collector {
 public:
  Collector(const sim::OutputLayout& layout, std::size_t variants, std::size_t replications, std::size_t steps,
            std::size_t recorded_steps, bool collect_agents)
      : layout_(layout),
        runs_(variants * replications),
        replications_(replications),
        steps_(steps),
        recorded_steps_(recorded_steps),
        collect_agents_(collect_agents) {
    for (std::size_t i = 0; i < layout.series.size(); ++i) series.emplace_back(runs_ * steps_, kMissing);
    for (std::size_t i = 0; i < layout.summaries.size(); ++i) summaries.emplace_back(runs_, kMissing);
    if (collect_agents_) {
      for (const auto& kind : layout.agent_kinds) {
        auto& buffers = agents.emplace_back();
        for (std::size_t i = 0; i < kind.variables.size(); ++i)
          buffers.emplace_back(runs_ * recorded_steps_ * kind.count, kMissing);
      }
    }
  }

  // Same rule as the result writer: a buffer of a failed run that recorded nothing stays NaN.
  void add(const sim::RunRecord& record) {
    const std::size_t run = record.variant * replications_ + record.replication;
    const std::size_t n_series = series.size();
    if (record.series.size() == steps_ * n_series) {
      for (std::size_t variable = 0; variable < n_series; ++variable) {
        double* column = series[variable].data() + run * steps_;
        for (std::size_t step = 0; step < steps_; ++step) column[step] = record.series[step * n_series + variable];
      }
    }
    if (record.summaries.size() == summaries.size())
      for (std::size_t i = 0; i < summaries.size(); ++i) summaries[i][run] = record.summaries[i];
    if (!collect_agents_ || record.agents.size() != agents.size()) return;
    for (std::size_t k = 0; k < agents.size(); ++k) {
      const auto& kind = layout_.agent_kinds[k];
      const auto& values = record.agents[k];
      const std::size_t n_variables = kind.variables.size();
      if (values.size() != recorded_steps_ * n_variables * kind.count) continue;
      // The record holds [recorded step][variable][agent]; each buffer wants [recorded step][agent].
      for (std::size_t variable = 0; variable < n_variables; ++variable) {
        double* slab = agents[k][variable].data() + run * recorded_steps_ * kind.count;
        for (std::size_t step = 0; step < recorded_steps_; ++step) {
          const double* row = values.data() + (step * n_variables + variable) * kind.count;
          std::copy(row, row + kind.count, slab + step * kind.count);
        }
      }
    }
  }

  std::vector<std::vector<double>> series;                 // [series variable]
  std::vector<std::vector<double>> summaries;              // [summary]
  std::vector<std::vector<std::vector<double>>> agents;    // [kind][variable]

 private:
  const sim::OutputLayout& layout_;
  std::size_t runs_;
  std::size_t replications_;
  std::size_t steps_;
  std::size_t recorded_steps_;
  bool collect_agents_;
};

py::dict variable_entry(const sim::VariableSpec& spec, py::array_t<double> data) {
  py::dict entry;
  entry["name"] = spec.name;
  entry["units"] = spec.units;
  entry["long_name"] = spec.long_name;
  entry["data"] = std::move(data);
  return entry;
}

// The engine's own validation and messages, exactly as `--seed` / `--replications` / `--steps`.
void apply_setting(sim::Scenario& scenario, const char* key, const py::object& value) {
  if (!value.is_none()) set_by_path(scenario, key, value);
}

py::dict run(const sim::Scenario& original, const py::object& seed, const py::object& replications,
             const py::object& steps, int threads, bool agents, const py::object& agent_every,
             const std::optional<std::string>& output, const std::optional<std::function<void(std::size_t, std::size_t)>>& progress,
             bool profiled) {
  std::optional<sim::Profile> profile;  // as `coordsim run --profile`
  if (profiled) profile.emplace(1);
  sim::Profile* const timed = profile ? &*profile : nullptr;
  if (threads < 0) throw py::value_error("threads must be >= 0 (0: all cores), found " + std::to_string(threads));
  sim::Scenario scenario = original;
  apply_setting(scenario, "run.seed", seed);
  apply_setting(scenario, "run.replications", replications);
  apply_setting(scenario, "run.steps", steps);
  apply_setting(scenario, "output.agent_every", agent_every);
  // Per-agent outcomes are recorded when returned or when the file must hold them (as the CLI
  // writes them: by the scenario's output.agents); otherwise they are not recorded at all.
  if (agents) scenario.output.agents = true;
  else if (!output) scenario.output.agents = false;

  const sim::Model& model = *registry().find(scenario.model);
  const std::size_t n_variants = scenario.variants.size();
  const auto n_replications = static_cast<std::size_t>(scenario.run.replications);
  const auto n_steps = static_cast<std::size_t>(scenario.run.steps);
  const std::size_t agent_interval = std::max<std::size_t>(static_cast<std::size_t>(scenario.output.agent_every), 1);
  const std::size_t recorded_steps =
      sim::Recorder::recorded_steps(n_steps, scenario.output.agents, agent_interval);

  const sim::OutputLayout layout = sim::scenario_layout(model, scenario);
  std::optional<Collector> collected;
  sim::BatchResult batch;
  std::exception_ptr progress_error;
  {
    py::gil_scoped_release release;
    collected.emplace(layout, n_variants, n_replications, n_steps, recorded_steps, agents);
    std::optional<sim::ResultWriter> writer;
    if (output) writer.emplace(*output, sim::result_metadata(scenario), layout);
    const sim::ExecutionContext execution(threads);
    if (timed != nullptr) {
      timed->set_threads(execution.threads());
      timed->charge(timed->part(output ? "buffers, creating the file" : "buffers"));
    }
    const sim::RecordSink sink = [&](sim::RunRecord&& record) {
      if (writer) writer->write(record);
      collected->add(record);
    };
    sim::ProgressCallback report;
    if (progress) {
      // Called on the engine's writer thread: take the GIL for the Python callback only. An
      // exception from it is kept and raised once the batch is done (the engine cannot stop).
      report = [&](std::size_t done, std::size_t total) {
        if (progress_error) return;
        py::gil_scoped_acquire acquire;
        try {
          (*progress)(done, total);
        } catch (...) {
          progress_error = std::current_exception();
        }
      };
    }
    batch = sim::run_batch(model, scenario, execution, sink, report, timed);
    if (writer) writer->commit();
    if (timed != nullptr && writer) timed->charge(timed->part("closing the file"));
  }
  if (progress_error) std::rethrow_exception(progress_error);

  const auto V = static_cast<py::ssize_t>(n_variants);
  const auto R = static_cast<py::ssize_t>(n_replications);
  const auto S = static_cast<py::ssize_t>(n_steps);

  py::list series;
  for (std::size_t i = 0; i < layout.series.size(); ++i)
    series.append(variable_entry(layout.series[i], adopt_buffer(std::move(collected->series[i]), {V, R, S})));
  py::list summaries;
  for (std::size_t i = 0; i < layout.summaries.size(); ++i) {
    py::dict entry = variable_entry(layout.summaries[i].variable, adopt_buffer(std::move(collected->summaries[i]), {V, R}));
    entry["key"] = layout.summaries[i].key;
    summaries.append(entry);
  }
  py::list agent_kinds;
  if (agents) {
    std::vector<std::int64_t> recorded(recorded_steps);
    for (std::size_t i = 0; i < recorded_steps; ++i) recorded[i] = static_cast<std::int64_t>(i * agent_interval);
    for (std::size_t k = 0; k < layout.agent_kinds.size(); ++k) {
      const auto& kind = layout.agent_kinds[k];
      py::list variables;
      for (std::size_t i = 0; i < kind.variables.size(); ++i)
        variables.append(variable_entry(
            kind.variables[i], adopt_buffer(std::move(collected->agents[k][i]),
                                            {V, R, static_cast<py::ssize_t>(recorded_steps),
                                             static_cast<py::ssize_t>(kind.count)})));
      py::dict entry;
      entry["kind"] = kind.kind;
      entry["count"] = kind.count;
      entry["steps"] = recorded;
      entry["variables"] = variables;
      agent_kinds.append(entry);
    }
  }

  const sim::ResultMetadata metadata = sim::result_metadata(scenario);
  py::dict attrs;
  attrs["coordsim_version"] = std::string(sim::kVersion);
  attrs["coordsim_commit"] = std::string(sim::git_commit());
  attrs["format_version"] = sim::kFormatVersion;
  attrs["model"] = metadata.model;
  attrs["scenario"] = metadata.scenario_yaml;
  attrs["seed"] = metadata.seed;
  attrs["replications"] = metadata.replications;
  attrs["steps"] = metadata.steps;
  attrs["variants"] = metadata.variants;
  attrs["agents"] = metadata.agents;
  attrs["agent_every"] = agent_interval;

  py::dict result;
  result["attrs"] = attrs;
  result["variants"] = metadata.variants;
  result["series"] = series;
  result["summary"] = summaries;
  result["agents"] = agent_kinds;
  result["failures"] = batch.failures;
  result["output"] = output ? py::object(py::str(*output)) : py::object(py::none());
  if (timed != nullptr) result["profile"] = timed->report(timed->charge(timed->part("arrays for Python")));
  return result;
}

}  // namespace

void register_run(py::module_& module) {
  module.def("run", &run, py::arg("scenario"), py::kw_only(), py::arg("seed") = py::none(),
             py::arg("replications") = py::none(), py::arg("steps") = py::none(), py::arg("threads") = 0,
             py::arg("agents") = false, py::arg("agent_every") = py::none(), py::arg("output") = py::none(),
             py::arg("progress") = py::none(), py::arg("profile") = false,
             R"doc(
Run every variant x replication of `scenario` (the GIL is released meanwhile); low level,
use coordsim.run for xarray. Returns a dict: attrs (the result file's root attributes),
variants, series / summary (lists of {name, units, long_name, data[, key]}; data float64
(variant, replication, step) / (variant, replication), owned by a capsule, not copied),
agents (kinds: {kind, count, steps, variables}; empty unless agents=True), failures, output.
`output` also writes the CLI's HDF5 file. `progress(done, total)` is called with the GIL held.
`profile=True` adds "profile": the table of `coordsim run --profile` (the runs then one at a time).
)doc");
}

}  // namespace coordsim::bindings
