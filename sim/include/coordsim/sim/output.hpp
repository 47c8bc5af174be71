#pragma once
// What a model records, and the buffer one run records into. Model-level outcomes form the
// `series` group (variant, replication, step); per-agent outcomes form `agents/<kind>`
// (variant, replication, step, agent); end-of-run scalars form `summary` (variant, replication)
// and feed the comparison table.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace coordsim::sim {

struct VariableSpec {
  std::string name;       // dataset name: letters, digits, underscore
  std::string units;      // UDUNITS-style: "1", "hours", "steps", "count"
  std::string long_name;  // one line shown in plots and `coordsim info`
};

struct AgentKindSpec {
  std::string kind;  // group name under /agents
  std::size_t count = 0;
  std::vector<VariableSpec> variables;
};

struct SummarySpec {
  VariableSpec variable;
  bool key = false;  // shown in the comparison table printed by `coordsim run`
};

struct OutputLayout {
  std::vector<VariableSpec> series;
  std::vector<AgentKindSpec> agent_kinds;
  std::vector<SummarySpec> summaries;
};

// Everything one run (one variant, one replication) produced. Filled by Recorder, consumed by
// the result writer. Missing values (e.g. agents beyond this variant's count) are NaN.
struct RunRecord {
  std::size_t variant = 0;
  std::size_t replication = 0;
  std::size_t steps = 0;
  std::vector<double> series;  // [step][series variable]
  // Per kind: [record][variable][agent], records = recorded steps (see agent_every).
  std::vector<std::vector<double>> agents;
  std::vector<double> summaries;  // [summary]
  bool ok = true;
  std::string message;  // why the run failed, when !ok
};

// The model's write access to its run's record.
class Recorder {
 public:
  // `series_rows` > 0 keeps only that many rows of series, reused in turn (row step % series_rows):
  // a scratch recorder whose rows are copied out at each step (sim/ensemble.hpp). 0: one per step.
  Recorder(const OutputLayout& layout, std::size_t steps, bool agents_on, std::size_t agent_every,
           RunRecord& record, std::size_t series_rows = 0);

  // Row of series values for `step`, indexed like layout.series.
  double* series_row(std::size_t step) noexcept {
    return record_.series.data() + (step % series_rows_) * n_series_;
  }
  // True when per-agent outcomes of `step` are kept.
  bool agents_due(std::size_t step) const noexcept {
    return agents_on_ && (step % agent_every_ == 0);
  }
  // Every how many steps per-agent outcomes are kept.
  std::size_t agent_every() const noexcept { return agent_every_; }
  // Values of one agent variable at a due step: `count` slots, indexed by agent id.
  double* agent_row(std::size_t kind, std::size_t variable, std::size_t step) noexcept;
  double* summaries() noexcept { return record_.summaries.data(); }

  static std::size_t recorded_steps(std::size_t steps, bool agents_on, std::size_t agent_every) {
    return agents_on ? (steps + agent_every - 1) / agent_every : 0;
  }

 private:
  const OutputLayout& layout_;
  std::size_t n_series_;
  std::size_t series_rows_;
  bool agents_on_;
  std::size_t agent_every_;
  RunRecord& record_;
};

}  // namespace coordsim::sim
