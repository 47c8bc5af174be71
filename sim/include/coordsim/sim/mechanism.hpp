#pragma once
// The model kit: a mechanism declared once, a model composed from an ordered list of mechanisms.
//
// A mechanism states in one place its parameters (bound to members of the model's typed parameter
// struct), its initialisation, its named steps within the model's phases, the agent kinds it adds,
// and its reporters: series (one value per step), per-agent variables, end-of-run summaries and
// ledgers of a conserved quantity. Each reporter carries its name, units, long name and how it is
// aggregated over the worlds of an ensemble (sum, mean or weighted mean). A Composition derives
// from the ordered list the parameter schema, the output layout, the recording of a step, the
// summaries, the phase order and a stepper for tests; nothing is listed twice.
//
// `State` is the model's world state: the core agent stores (structure of arrays) and each
// mechanism's own state. Steps and reporters are called once per phase or once per output and
// step, never per agent: the loops over agents stay inside the mechanism, free of indirection.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "coordsim/sim/model.hpp"
#include "coordsim/sim/output.hpp"
#include "coordsim/sim/param.hpp"
#include "coordsim/sim/param_bindings.hpp"
#include "coordsim/sim/profile.hpp"
#include "coordsim/sim/rng.hpp"

namespace coordsim::sim {

// How an output of one world is combined over the worlds of an ensemble. Values that are NaN in a
// world (undefined there) are left out; the result is NaN when no world defines the value.
enum class Aggregation : std::uint8_t {
  Sum,           // counts, hours, persons
  Mean,          // shares, means, steps: the plain mean over the worlds
  WeightedMean,  // the mean weighted by another output of the same world
};

// The aggregation of one output; `weight` indexes the weighting output (WeightedMean only).
struct AggregationRule {
  Aggregation how = Aggregation::Mean;
  std::size_t weight = 0;
};

using Problems = std::vector<std::pair<std::string, std::string>>;

template <class Parameters, class State>
class Mechanism {
 public:
  using StepFunction = std::function<void(State&, const StepContext&)>;

  explicit Mechanism(std::string name) : name_(std::move(name)) {}
  const std::string& name() const noexcept { return name_; }

  // Parameters, bound to members of `Parameters` (see param_bindings.hpp).
  ParamBindings<Parameters>& parameters() noexcept { return parameters_; }
  const ParamBindings<Parameters>& parameters() const noexcept { return parameters_; }
  // Checks across parameters the schema cannot express.
  Mechanism& check(std::function<void(const ParamSet&, Problems&)> rule) {
    checks_.push_back(std::move(rule));
    return *this;
  }
  // Sizes the mechanism's state and makes its setup draws, once per world.
  Mechanism& init(std::function<void(State&, const Rng&)> rule) {
    init_ = std::move(rule);
    return *this;
  }
  // A step of the mechanism within the model's phase `phase`. Steps of one phase run in ascending
  // `order`, ties in the order of the mechanisms.
  Mechanism& step(std::string phase, std::string name, StepFunction run, int order = 0) {
    steps_.push_back({std::move(phase), std::move(name), std::move(run), order});
    return *this;
  }
  // An agent kind this mechanism introduces, with its size given the parameters.
  Mechanism& agent_kind(std::string kind, std::function<std::size_t(const Parameters&)> count) {
    kinds_.push_back({std::move(kind), std::move(count)});
    return *this;
  }
  // Runs before this mechanism's reporters at every recorded step: reductions shared by several
  // reporters, and run totals. `agents_due` tells whether per-agent variables are recorded.
  Mechanism& tally(std::function<void(State&, std::size_t step, bool agents_due)> rule) {
    tally_ = std::move(rule);
    return *this;
  }
  Mechanism& series(VariableSpec variable, Aggregation how, std::function<double(const State&)> value,
                    std::string weight = {}) {
    series_.push_back({std::move(variable), how, std::move(weight), std::move(value)});
    return *this;
  }
  // A per-agent variable of `kind`: `fill` writes one value per agent of this world into `row`.
  Mechanism& agents(std::string kind, VariableSpec variable,
                    std::function<void(const State&, std::size_t step, double* row)> fill) {
    agents_.push_back({std::move(kind), std::move(variable), std::move(fill)});
    return *this;
  }
  // An end-of-run scalar; `key` shows it in the comparison table of `coordsim run`.
  Mechanism& summary(VariableSpec variable, bool key, Aggregation how,
                     std::function<double(const State&, std::size_t steps)> value, std::string weight = {}) {
    summaries_.push_back({std::move(variable), key, how, std::move(weight), std::move(value)});
    return *this;
  }
  // A conserved quantity of one agent kind: `fill` appends (used, available) of every agent for
  // the last step. Ledgers of the same name from several mechanisms concatenate in their order.
  Mechanism& ledger(std::string name, std::function<void(const State&, Ledger&)> fill) {
    ledgers_.push_back({std::move(name), std::move(fill)});
    return *this;
  }

 private:
  template <class, class>
  friend class Composition;
  struct Step {
    std::string phase, name;
    StepFunction run;
    int order;
  };
  struct Kind {
    std::string kind;
    std::function<std::size_t(const Parameters&)> count;
  };
  struct Series {
    VariableSpec variable;
    Aggregation how;
    std::string weight;
    std::function<double(const State&)> value;
  };
  struct Agents {
    std::string kind;
    VariableSpec variable;
    std::function<void(const State&, std::size_t, double*)> fill;
  };
  struct Summary {
    VariableSpec variable;
    bool key;
    Aggregation how;
    std::string weight;
    std::function<double(const State&, std::size_t)> value;
  };
  struct LedgerFill {
    std::string name;
    std::function<void(const State&, Ledger&)> fill;
  };

  std::string name_;
  ParamBindings<Parameters> parameters_;
  std::vector<std::function<void(const ParamSet&, Problems&)>> checks_;
  std::function<void(State&, const Rng&)> init_;
  std::vector<Step> steps_;
  std::vector<Kind> kinds_;
  std::function<void(State&, std::size_t, bool)> tally_;
  std::vector<Series> series_;
  std::vector<Agents> agents_;
  std::vector<Summary> summaries_;
  std::vector<LedgerFill> ledgers_;
};

// A model as the ordered list of its mechanisms. The order is the order of parameters in the
// schema, of outputs in the layout and of tallies when recording; `phases` names the phases of a
// step in the order they run.
template <class Parameters, class State>
class Composition {
 public:
  using MechanismType = Mechanism<Parameters, State>;

  Composition(std::vector<std::string> phases, std::vector<MechanismType> mechanisms)
      : phase_names_(std::move(phases)), mechanisms_(std::move(mechanisms)) {
    for (const auto& m : mechanisms_) {
      m.parameters_.declare(schema_);
      bindings_.append(m.parameters_);
    }
    plan_phases();
    index_outputs();
    plan_recording();
  }

  const ParamSchema& schema() const noexcept { return schema_; }
  Parameters read(const ParamSet& set) const {
    Parameters parameters{};
    bindings_.read(set, parameters);
    return parameters;
  }
  Problems check(const ParamSet& set) const {
    Problems problems;
    for (const auto& m : mechanisms_)
      for (const auto& rule : m.checks_) rule(set, problems);
    return problems;
  }

  // Output layout of one world with these parameters.
  OutputLayout layout(const Parameters& parameters) const {
    OutputLayout layout = shape_;
    for (std::size_t k = 0; k < kind_counts_.size(); ++k) layout.agent_kinds[k].count = kind_counts_[k](parameters);
    return layout;
  }
  // Output layout with given agent counts per kind (an ensemble's concatenated agents).
  OutputLayout layout(const std::vector<std::size_t>& counts) const {
    OutputLayout layout = shape_;
    for (std::size_t k = 0; k < counts.size() && k < layout.agent_kinds.size(); ++k)
      layout.agent_kinds[k].count = counts[k];
    return layout;
  }
  std::vector<std::size_t> agent_counts(const Parameters& parameters) const {
    std::vector<std::size_t> counts;
    for (const auto& count : kind_counts_) counts.push_back(count(parameters));
    return counts;
  }
  const std::vector<AggregationRule>& series_aggregation() const noexcept { return series_rules_; }
  const std::vector<AggregationRule>& summary_aggregation() const noexcept { return summary_rules_; }
  // Index of a series by name (layout().series.size() when absent).
  std::size_t series_index(const std::string& name) const {
    for (std::size_t i = 0; i < shape_.series.size(); ++i)
      if (shape_.series[i].name == name) return i;
    return shape_.series.size();
  }

  // Every mechanism's initialisation, in order.
  void init(State& state, const Rng& rng) const {
    for (const auto& m : mechanisms_)
      if (m.init_) m.init_(state, rng);
  }

  struct PlannedPhase {
    std::string name;
    std::vector<typename MechanismType::StepFunction> steps;
    std::vector<std::string> step_names;  // "mechanism: step", one per step
    std::size_t first_step = 0;           // index of steps[0] among every phase's steps (StepTimes)
  };
  const std::vector<PlannedPhase>& phases() const noexcept { return phases_; }
  // Index of the phase named `name` (throws when there is none).
  std::size_t phase_index(const std::string& name) const {
    for (std::size_t p = 0; p < phases_.size(); ++p)
      if (phases_[p].name == name) return p;
    throw std::logic_error("no phase '" + name + "'");
  }
  // Runs from one contiguous array of every phase's steps (a few cache lines per step of the
  // model), not from the per-phase vectors that phases() shows. Under a profile (context.times set)
  // each step adds its time at its flat index, which is its index in step_labels().
  void run_phase(std::size_t phase, State& state, const StepContext& context) const {
    const auto* const steps = flat_steps_.data();
    const std::size_t begin = phase == 0 ? 0 : phase_end_[phase - 1];
    const std::size_t end = phase_end_[phase];
    if (context.times == nullptr) {
      for (std::size_t i = begin; i < end; ++i) steps[i](state, context);
      return;
    }
    for (std::size_t i = begin; i < end; ++i) {
      const auto start = std::chrono::steady_clock::now();
      steps[i](state, context);
      context.times->add(i, std::chrono::steady_clock::now() - start);
    }
  }
  // Every phase's steps, in the order of their StepTimes indices: (phase index, "mechanism: step").
  std::vector<TimedStep> step_labels() const {
    std::vector<TimedStep> labels;
    for (std::size_t p = 0; p < phases_.size(); ++p)
      for (const auto& name : phases_[p].step_names) labels.push_back({p, name});
    return labels;
  }
  // One whole step: every phase in order (worlds of an ensemble, tests).
  void step(State& state, const StepContext& context) const {
    for (std::size_t p = 0; p < phases_.size(); ++p) run_phase(p, state, context);
  }

  // After the last phase of a step: every mechanism's tally, then its series and, when due, its
  // per-agent variables.
  // Walks the flat plan built by plan_recording(), not the mechanisms' declarations: recording
  // runs at every step, and touching a few contiguous cache lines instead of one declaration
  // (names, units, descriptions) per reporter keeps the model's own data in the L1 cache.
  // Locals hold the arrays and the stage so that the calls, opaque to the compiler, do not force
  // them to be loaded again from `this`.
  void record(State& state, std::size_t step, Recorder& recorder) const {
    double* const row = recorder.series_row(step);
    const bool agents = recorder.agents_due(step);
    const auto* const series = series_values_.data();
    const auto* const tallies = tallies_.data();
    std::size_t k = 0, a = 0;
    for (const RecordStage stage : record_plan_) {
      if (stage.tally != kNoTally) tallies[stage.tally](state, step, agents);
      for (; k < stage.series_end; ++k) row[k] = series[k](state);
      if (!agents) continue;
      for (; a < stage.agents_end; ++a) {
        const AgentFill& v = agent_fills_[a];
        v.fill(state, step, recorder.agent_row(v.kind, v.variable, step));
      }
    }
  }
  void summarize(const State& state, std::size_t steps, Recorder& recorder) const {
    double* out = recorder.summaries();
    std::size_t k = 0;
    for (const auto& m : mechanisms_)
      for (const auto& s : m.summaries_) out[k++] = s.value(state, steps);
  }
  // Appends this world's ledgers to `ledgers` (same names concatenate, in first-seen order).
  void append_ledgers(const State& state, std::vector<Ledger>& ledgers) const {
    for (const auto& m : mechanisms_)
      for (const auto& l : m.ledgers_) {
        auto found = std::find_if(ledgers.begin(), ledgers.end(), [&](const Ledger& x) { return x.name == l.name; });
        if (found == ledgers.end()) {
          ledgers.push_back(Ledger{l.name, {}, {}});
          found = ledgers.end() - 1;
        }
        l.fill(state, *found);
      }
  }

 private:
  void plan_phases() {
    struct Placed {
      std::size_t phase;
      int order;
      std::size_t sequence;
      typename MechanismType::StepFunction run;
      std::string label;
    };
    std::vector<Placed> placed;
    for (const auto& m : mechanisms_)
      for (const auto& s : m.steps_) {
        const auto at = std::find(phase_names_.begin(), phase_names_.end(), s.phase);
        if (at == phase_names_.end())
          throw std::logic_error("mechanism '" + m.name_ + "': step '" + s.name + "' names unknown phase '" + s.phase +
                                 "'");
        placed.push_back({static_cast<std::size_t>(at - phase_names_.begin()), s.order, placed.size(), s.run,
                          m.name_ + ": " + s.name});
      }
    std::stable_sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
      return a.phase != b.phase ? a.phase < b.phase : a.order < b.order;
    });
    for (const auto& name : phase_names_) phases_.push_back({name, {}, {}, 0});
    for (auto& p : placed) {
      phases_[p.phase].steps.push_back(std::move(p.run));
      phases_[p.phase].step_names.push_back(std::move(p.label));
    }
    std::size_t first = 0;
    for (auto& phase : phases_) {
      phase.first_step = first;
      first += phase.steps.size();
      flat_steps_.insert(flat_steps_.end(), phase.steps.begin(), phase.steps.end());
      phase_end_.push_back(flat_steps_.size());
    }
  }

  // record()'s plan: per mechanism with a tally or reporters, in order, its tally and where its
  // series and agent reporters end in the flat arrays.
  void plan_recording() {
    std::size_t a = 0;
    for (const auto& m : mechanisms_) {
      if (!m.tally_ && m.series_.empty() && m.agents_.empty()) continue;
      RecordStage stage{kNoTally, 0, 0};
      if (m.tally_) {
        stage.tally = tallies_.size();
        tallies_.push_back(m.tally_);
      }
      for (const auto& s : m.series_) series_values_.push_back(s.value);
      for (const auto& v : m.agents_) {
        const auto [kind, variable] = agent_slots_[a++];
        agent_fills_.push_back({kind, variable, v.fill});
      }
      stage.series_end = series_values_.size();
      stage.agents_end = agent_fills_.size();
      record_plan_.push_back(stage);
    }
  }

  static std::size_t index_of(const std::vector<VariableSpec>& variables, const std::string& name) {
    for (std::size_t i = 0; i < variables.size(); ++i)
      if (variables[i].name == name) return i;
    throw std::logic_error("weighting output '" + name + "' is not declared");
  }

  void index_outputs() {
    for (const auto& m : mechanisms_)
      for (const auto& k : m.kinds_) {
        shape_.agent_kinds.push_back({k.kind, 0, {}});
        kind_counts_.push_back(k.count);
      }
    std::vector<VariableSpec> summary_variables;
    for (const auto& m : mechanisms_) {
      for (const auto& s : m.series_) shape_.series.push_back(s.variable);
      for (const auto& s : m.summaries_) {
        shape_.summaries.push_back({s.variable, s.key});
        summary_variables.push_back(s.variable);
      }
      for (const auto& v : m.agents_) {
        const auto kind = std::find_if(shape_.agent_kinds.begin(), shape_.agent_kinds.end(),
                                       [&](const AgentKindSpec& k) { return k.kind == v.kind; });
        if (kind == shape_.agent_kinds.end())
          throw std::logic_error("mechanism '" + m.name_ + "': variable '" + v.variable.name +
                                 "' of undeclared kind '" + v.kind + "'");
        agent_slots_.push_back({static_cast<std::size_t>(kind - shape_.agent_kinds.begin()), kind->variables.size()});
        kind->variables.push_back(v.variable);
      }
    }
    for (const auto& m : mechanisms_) {
      for (const auto& s : m.series_)
        series_rules_.push_back(
            {s.how, s.how == Aggregation::WeightedMean ? index_of(shape_.series, s.weight) : std::size_t{0}});
      for (const auto& s : m.summaries_)
        summary_rules_.push_back(
            {s.how, s.how == Aggregation::WeightedMean ? index_of(summary_variables, s.weight) : std::size_t{0}});
    }
  }

  std::vector<std::string> phase_names_;
  std::vector<MechanismType> mechanisms_;
  ParamSchema schema_;
  ParamBindings<Parameters> bindings_;
  std::vector<PlannedPhase> phases_;
  std::vector<typename MechanismType::StepFunction> flat_steps_;  // every phase's steps, in phase order
  std::vector<std::size_t> phase_end_;                             // one past each phase's last step
  OutputLayout shape_;  // agent counts 0
  std::vector<std::function<std::size_t(const Parameters&)>> kind_counts_;
  std::vector<std::pair<std::size_t, std::size_t>> agent_slots_;  // (kind, variable) of each agent reporter
  std::vector<AggregationRule> series_rules_, summary_rules_;

  static constexpr std::size_t kNoTally = ~std::size_t{0};
  struct RecordStage {
    std::size_t tally;       // index in tallies_, kNoTally when the mechanism has none
    std::size_t series_end;  // one past its last series in series_values_
    std::size_t agents_end;  // one past its last agent reporter in agent_fills_
  };
  struct AgentFill {
    std::size_t kind, variable;
    std::function<void(const State&, std::size_t, double*)> fill;
  };
  std::vector<RecordStage> record_plan_;
  std::vector<std::function<void(State&, std::size_t, bool)>> tallies_;
  std::vector<std::function<double(const State&)>> series_values_;
  std::vector<AgentFill> agent_fills_;
};

// Combines the rows of several worlds ([world][output]) into one row by each output's rule.
inline void aggregate_rows(const std::vector<double>& rows, std::size_t worlds,
                           const std::vector<AggregationRule>& rules, double* out) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const std::size_t width = rules.size();
  for (std::size_t v = 0; v < width; ++v) {
    const auto& rule = rules[v];
    double sum = 0.0, defined = 0.0;
    for (std::size_t w = 0; w < worlds; ++w) {
      const double x = rows[w * width + v];
      if (std::isnan(x)) continue;
      if (rule.how == Aggregation::WeightedMean) {
        const double weight = rows[w * width + rule.weight];
        if (std::isnan(weight)) continue;
        sum += weight * x;
        defined += weight;
      } else {
        sum += x;
        defined += 1.0;
      }
    }
    if (rule.how == Aggregation::Sum)
      out[v] = defined > 0.0 ? sum : kNaN;
    else
      out[v] = defined > 0.0 ? sum / defined : kNaN;
  }
}

// The world of one run of a composed model: the state and the composition's phases.
template <class Parameters, class State>
class ComposedWorld final : public World {
 public:
  ComposedWorld(std::shared_ptr<const Composition<Parameters, State>> composition, State state)
      : composition_(std::move(composition)), state_(std::move(state)) {
    const auto& planned = composition_->phases();
    for (std::size_t p = 0; p < planned.size(); ++p)
      phases_.push_back({planned[p].name, [this, p](const StepContext& c) { composition_->run_phase(p, state_, c); }});
  }
  const std::vector<Phase>& phases() const override { return phases_; }
  void record(const StepContext& context, Recorder& recorder) override {
    composition_->record(state_, context.step, recorder);
  }
  void summarize(std::size_t steps, Recorder& recorder) override { composition_->summarize(state_, steps, recorder); }
  std::vector<Ledger> ledgers() const override {
    std::vector<Ledger> ledgers;
    composition_->append_ledgers(state_, ledgers);
    return ledgers;
  }
  std::vector<TimedStep> timed_steps() const override { return composition_->step_labels(); }
  const State& state() const noexcept { return state_; }

 private:
  std::shared_ptr<const Composition<Parameters, State>> composition_;
  State state_;
  std::vector<Phase> phases_;
};

}  // namespace coordsim::sim
