#pragma once
// The model interface. A model declares its parameters and outputs, and builds the world of one
// run; the engine steps that world through its phases and records it. The engine knows no model:
// models register themselves in a ModelRegistry through an explicit register_* function.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/output.hpp"
#include "coordsim/sim/param.hpp"
#include "coordsim/sim/rng.hpp"

namespace coordsim::sim {

class StepTimes;  // profile.hpp

struct StepContext {
  std::size_t step;
  const Rng& rng;
  const ExecutionContext& execution;
  // Only under a profile (`run --profile`): where a world adds the time of each of its timed steps.
  StepTimes* times = nullptr;
};

// A named step inside one of a world's phases (`phase` indexes phases()), timed under a profile.
struct TimedStep {
  std::size_t phase;
  std::string name;
};

// One phase of a step. Within a phase agents read state from earlier phases and write their own;
// messages posted in a phase are delivered before a later phase reads them.
struct Phase {
  std::string name;
  std::function<void(const StepContext&)> run;
};

// One conserved quantity of one agent kind in the last step: what each agent used of what it had.
// Conservation checks assert used <= available for every agent.
struct Ledger {
  std::string name;
  std::vector<double> used, available;
};

// The world of one run.
class World {
 public:
  virtual ~World() = default;
  virtual const std::vector<Phase>& phases() const = 0;
  // Called after the last phase of every step.
  virtual void record(const StepContext& context, Recorder& recorder) = 0;
  // Called once after the last step: fill recorder.summaries().
  virtual void summarize(std::size_t steps, Recorder& recorder) = 0;
  // The model's ledgers of conserved quantities for the last step (none by default).
  virtual std::vector<Ledger> ledgers() const { return {}; }
  // The steps inside the phases that add their time to StepContext::times when it is set, in the
  // order of their indices there (none by default: the profile then shows whole phases only).
  virtual std::vector<TimedStep> timed_steps() const { return {}; }
};

struct BuildContext {
  std::uint64_t seed;
  std::uint64_t replication;
  std::size_t steps;
  const Rng& rng;
  const ExecutionContext& execution;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  virtual const ParamSchema& schema() const = 0;
  // Cross-parameter checks the schema cannot express; return problems as (path, message).
  virtual std::vector<std::pair<std::string, std::string>> check(const ParamSet&) const { return {}; }
  virtual OutputLayout layout(const ParamSet& parameters) const = 0;
  virtual std::unique_ptr<World> build(const ParamSet& parameters, const BuildContext& context) const = 0;
  // Peak heap bytes of one world built from `parameters` (agents, their state, scratch buffers),
  // for the memory check `run` and `sweep` make before allocating anything. The default is a
  // generic guess from the recorded agents (4 KiB each) plus 64 MiB; a model whose worlds hold
  // many agents it does not record should override it with a (conservative) count of its own.
  virtual std::uint64_t world_memory_bytes(const ParamSet& parameters) const {
    std::uint64_t agents = 0;
    for (const auto& kind : layout(parameters).agent_kinds) agents += kind.count;
    return (std::uint64_t{64} << 20) + agents * 4096;
  }
};

class ModelRegistry {
 public:
  void add(std::unique_ptr<Model> model);
  const Model* find(std::string_view name) const;
  std::vector<std::string> names() const;
  // Scenario run when `coordsim run` is given no file.
  void set_default_scenario(std::string name, std::string yaml_text);
  const std::string& default_scenario_name() const noexcept { return default_name_; }
  const std::string& default_scenario_text() const noexcept { return default_text_; }
  // The model `coordsim params` and Python's params() describe when given none: the default
  // scenario's model, or the first registered one when there is no default scenario.
  std::string default_model() const;

 private:
  std::vector<std::unique_ptr<Model>> models_;
  std::string default_name_;
  std::string default_text_;
};

}  // namespace coordsim::sim
