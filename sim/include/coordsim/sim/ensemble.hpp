#pragma once
// An ensemble: many worlds (members) of one composed model run as a single world, for scales above
// one world. Members are independent worlds with their own parameters and random streams, stepped
// in parallel; they are coupled only through an upper level whose state the ensemble keeps and
// passes down through a declared hook at the start of every step (never by rewriting a member's
// parameters). Series and summaries combine the members' values by each reporter's declared
// aggregation (mechanism.hpp); per-agent outputs concatenate the members' agents, member after
// member, and an optional kind with one agent per member is added last.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/hash.hpp"
#include "coordsim/sim/mechanism.hpp"
#include "coordsim/sim/model.hpp"
#include "coordsim/sim/output.hpp"
#include "coordsim/sim/rng.hpp"

namespace coordsim::sim {

// Seed of member m's random streams: the run's seed for member 0 (so a one-member ensemble meets the
// single world's numbers), a SplitMix64 mix of seed and member for the others.
inline std::uint64_t member_seed(std::uint64_t seed, std::size_t member) noexcept {
  return member == 0 ? seed : splitmix64(seed ^ splitmix64(0x5CA1E000ULL + member));
}

// The random streams of `members` members of one run: member m keyed by (member_seed(seed, m),
// replication).
inline std::vector<Rng> member_rngs(std::uint64_t seed, std::uint64_t replication, std::size_t members) {
  std::vector<Rng> rngs;
  rngs.reserve(members);
  for (std::size_t m = 0; m < members; ++m) rngs.emplace_back(member_seed(seed, m), replication);
  return rngs;
}

// The block (e.g. province) of member m when `members` are split into `blocks` contiguous,
// near-equal blocks.
inline std::size_t block_of(std::size_t member, std::size_t members, std::size_t blocks) noexcept {
  return members == 0 ? 0 : member * blocks / members;
}

// A budget per block shared among the block's members in proportion to their weights (a member of a
// block whose weights are all zero gets nothing). Writes `out[m]` for every member.
inline void share_by_block(const std::vector<double>& weights, std::size_t blocks, double budget,
                           std::vector<double>& out) {
  const std::size_t n = weights.size();
  out.assign(n, 0.0);
  if (budget <= 0.0 || n == 0) return;
  std::vector<double> total(blocks, 0.0);
  for (std::size_t m = 0; m < n; ++m) total[block_of(m, n, blocks)] += weights[m];
  for (std::size_t m = 0; m < n; ++m) {
    const double sum = total[block_of(m, n, blocks)];
    out[m] = sum > 0.0 ? budget * weights[m] / sum : 0.0;
  }
}

// A member's relative trait: lognormal with mean 1 and coefficient of variation `cv` (exactly 1 when
// cv <= 0), from the setup stream of (member, purpose) of `rng`.
inline double lognormal_factor(const Rng& rng, std::size_t member, std::uint64_t purpose, double cv) {
  if (cv <= 0.0) return 1.0;
  auto stream = rng.stream(Rng::kSetupStep, member, purpose);
  const double sigma2 = std::log1p(cv * cv);
  return std::exp(std::sqrt(sigma2) * stream.normal() - 0.5 * sigma2);
}

// What a model declares about its ensemble beyond the composition of its members.
template <class State, class Upper>
struct EnsembleSpec {
  std::string upper_phase;    // serial phase that updates the upper level and passes it down
  std::string members_phase;  // phase that steps every member (members in parallel)
  // Start of a step: the upper level reads the members' last step and passes its state down.
  std::function<void(Upper&, std::vector<State>&)> pass_down;
  // One agent per member (kind empty: none): `values` writes the member's variables, in order.
  std::string member_kind;
  std::vector<VariableSpec> member_variables;
  std::function<void(const Upper&, std::size_t member, const State&, const double* member_series, double* values)>
      member_values;
};

// Output layout of an ensemble with these members' agent counts.
template <class Parameters, class State, class Upper>
OutputLayout ensemble_layout(const Composition<Parameters, State>& composition, const std::vector<Parameters>& members,
                             const EnsembleSpec<State, Upper>& spec) {
  std::vector<std::size_t> counts;
  for (const auto& member : members) {
    const auto own = composition.agent_counts(member);
    counts.resize(own.size(), 0);
    for (std::size_t k = 0; k < own.size(); ++k) counts[k] += own[k];
  }
  OutputLayout layout = composition.layout(counts);
  if (!spec.member_kind.empty())
    layout.agent_kinds.push_back({spec.member_kind, members.size(), spec.member_variables});
  return layout;
}

template <class Parameters, class State, class Upper>
class Ensemble final : public World {
 public:
  using Generate = std::function<State(const Parameters&, const Rng&)>;

  // `rngs[m]` are member m's random streams; `generate` builds one member's state.
  Ensemble(std::shared_ptr<const Composition<Parameters, State>> composition, const std::vector<Parameters>& members,
           std::vector<Rng> rngs, const Generate& generate, Upper upper, EnsembleSpec<State, Upper> spec,
           const BuildContext& context)
      : composition_(std::move(composition)),
        spec_(std::move(spec)),
        upper_(std::move(upper)),
        rngs_(std::move(rngs)),
        steps_(context.steps),
        serial_(1) {
    const std::size_t n = members.size();
    members_.resize(n);
    // Each member from its own streams into its own slot, so generation order cannot matter.
    context.execution.for_each(n, 1, [&](std::size_t m) { members_[m] = generate(members[m], rngs_[m]); });
    counts_.reserve(n);
    for (const auto& member : members) counts_.push_back(composition_->agent_counts(member));
    layout_ = composition_->layout(counts_.empty() ? std::vector<std::size_t>{} : counts_.front());
    phases_.push_back({spec_.upper_phase, [this](const StepContext&) { spec_.pass_down(upper_, members_); }});
    phases_.push_back({spec_.members_phase, [this](const StepContext& c) {
                         c.execution.for_each(members_.size(), 1, [&](std::size_t m) {
                           const StepContext member{c.step, rngs_[m], serial_, c.times};
                           composition_->step(members_[m], member);
                         });
                       }});
  }

  const std::vector<Phase>& phases() const override { return phases_; }

  void record(const StepContext& context, Recorder& recorder) override {
    if (slots_.empty()) make_slots(recorder);
    const std::size_t n = members_.size(), width = layout_.series.size(), step = context.step;
    const bool agents = recorder.agents_due(step);
    rows_.resize(n * width);
    context.execution.for_each(slots_.size(), 1, [&](std::size_t k) {
      auto& slot = *slots_[k];
      for (std::size_t m = slot.first; m < slot.last; ++m) {
        composition_->record(members_[m], step, *slot.recorder);
        std::memcpy(rows_.data() + m * width, slot.recorder->series_row(step), width * sizeof(double));
        if (agents) copy_agents(m, step, *slot.recorder, recorder);
      }
    });
    aggregate_rows(rows_, n, composition_->series_aggregation(), recorder.series_row(step));
    if (!agents || spec_.member_kind.empty()) return;
    const std::size_t kind = layout_.agent_kinds.size();  // after the members' kinds
    const std::size_t variables = spec_.member_variables.size();
    std::vector<double*> out(variables);
    for (std::size_t v = 0; v < variables; ++v) out[v] = recorder.agent_row(kind, v, step);
    std::vector<double> values(variables);
    for (std::size_t m = 0; m < n; ++m) {
      spec_.member_values(upper_, m, members_[m], rows_.data() + m * width, values.data());
      for (std::size_t v = 0; v < variables; ++v) out[v][m] = values[v];
    }
  }

  void summarize(std::size_t steps, Recorder& recorder) override {
    const std::size_t n = members_.size(), width = layout_.summaries.size();
    std::vector<double> rows(n * width, std::numeric_limits<double>::quiet_NaN());
    if (slots_.empty()) return;
    for (auto& slot : slots_) {  // serial: cheap, once per run
      for (std::size_t m = slot->first; m < slot->last; ++m) {
        composition_->summarize(members_[m], steps, *slot->recorder);
        std::memcpy(rows.data() + m * width, slot->recorder->summaries(), width * sizeof(double));
      }
    }
    aggregate_rows(rows, n, composition_->summary_aggregation(), recorder.summaries());
  }

  std::vector<Ledger> ledgers() const override {
    std::vector<Ledger> ledgers;
    for (const State& member : members_) composition_->append_ledgers(member, ledgers);
    return ledgers;
  }

  // The members' steps, timed over every member, inside the members' phase: "phase/mechanism: step".
  std::vector<TimedStep> timed_steps() const override {
    std::vector<TimedStep> steps;
    const auto& planned = composition_->phases();
    for (auto& step : composition_->step_labels()) steps.push_back({1, planned[step.phase].name + "/" + step.name});
    return steps;
  }

  const std::vector<State>& members() const noexcept { return members_; }
  const Upper& upper() const noexcept { return upper_; }

 private:
  struct Slot {
    std::size_t first = 0, last = 0;
    OutputLayout layout;
    RunRecord record;
    std::unique_ptr<Recorder> recorder;
  };

  // Scratch recorders: one per member when per-agent outputs are on (each member has its own agent
  // counts), else one per block of members; each keeps one row of series, reused at every step.
  void make_slots(Recorder& recorder) {
    const bool agents_on = recorder.agents_due(0);
    const std::size_t every = agents_on ? recorder.agent_every() : steps_;
    const std::size_t kinds = layout_.agent_kinds.size();
    const std::size_t n = members_.size();
    const std::size_t block = agents_on ? 1 : 16;
    offsets_.assign(agents_on ? n : 0, std::vector<std::size_t>(kinds, 0));
    std::vector<std::size_t> offset(kinds, 0);
    for (std::size_t first = 0; first < n; first += block) {
      auto slot = std::make_unique<Slot>();
      slot->first = first;
      slot->last = std::min(n, first + block);
      if (agents_on) {
        slot->layout = composition_->layout(counts_[first]);
        offsets_[first] = offset;
        for (std::size_t k = 0; k < kinds; ++k) offset[k] += slot->layout.agent_kinds[k].count;
      } else {
        slot->layout = layout_;
      }
      // One row of series: record() copies it out at each step.
      slot->recorder = std::make_unique<Recorder>(slot->layout, steps_, agents_on, every, slot->record, 1);
      slots_.push_back(std::move(slot));
    }
  }

  void copy_agents(std::size_t m, std::size_t step, Recorder& from, Recorder& to) {
    const auto& layout = slots_[m]->layout;
    for (std::size_t k = 0; k < layout.agent_kinds.size(); ++k) {
      const std::size_t count = layout.agent_kinds[k].count;
      if (count == 0) continue;
      for (std::size_t v = 0; v < layout.agent_kinds[k].variables.size(); ++v)
        std::memcpy(to.agent_row(k, v, step) + offsets_[m][k], from.agent_row(k, v, step), count * sizeof(double));
    }
  }

  std::shared_ptr<const Composition<Parameters, State>> composition_;
  EnsembleSpec<State, Upper> spec_;
  Upper upper_;
  std::vector<Rng> rngs_;
  std::size_t steps_;
  ExecutionContext serial_;
  std::vector<State> members_;
  std::vector<std::vector<std::size_t>> counts_;  // agents per kind of each member
  OutputLayout layout_;                           // of member 0: series and summaries, same for all
  std::vector<double> rows_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::vector<std::size_t>> offsets_;
  std::vector<Phase> phases_;
};

// An ensemble of these members, each on its own streams (member_rngs of the run's seed and
// replication), under `upper`.
template <class Parameters, class State, class Upper>
std::unique_ptr<World> make_ensemble(std::shared_ptr<const Composition<Parameters, State>> composition,
                                     const std::vector<Parameters>& members,
                                     const typename Ensemble<Parameters, State, Upper>::Generate& generate,
                                     Upper upper, EnsembleSpec<State, Upper> spec, const BuildContext& context) {
  return std::make_unique<Ensemble<Parameters, State, Upper>>(
      std::move(composition), members, member_rngs(context.seed, context.replication, members.size()), generate,
      std::move(upper), std::move(spec), context);
}

}  // namespace coordsim::sim
