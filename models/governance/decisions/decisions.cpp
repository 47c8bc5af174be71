// Conflicting goals and decisions (MODEL.md §3.3, §6 F7; seeds S4, S1). A share
// decisions.item_share of work items cannot start before a decision is taken (a siting, a split of
// responsibilities). When the item becomes ready (task started, predecessor done), the decision is
// immediate if its owner's goals agree with the task's (alignment ≥ decisions.conflict_alignment);
// otherwise the parties disagree and the item is blocked (S4: "教育部门想把卫生院设在学生较多的场镇
// ……属地的乡镇也想把综合性卫生院设在自己的场镇"; S1: "政府各部门如果价值取向不同,就难以形成统一的
// 工作方向"). A lead holding decision power (decisions.lead_decides) settles a blocked item with
// probability decisions.lead_decision_probability per step. A mediating-only lead cannot: after
// decisions.mediation_steps it escalates ("卫健局只能居中协调并把意见上呈给分管领导决策"), and
// leadership settles an escalated conflict with probability decisions.leadership_decision_rate ×
// attention to the task per step (§3.3), so decisions stall unless attention is high ("分管领导也有
// 自己的考虑"; "领导关注和重视的程度往往决定了工作推进的效果"). Joint consultations (costs.cpp) may
// also settle blocked items. A blocked item cannot receive work (item_available), nor is it chased.
#include "decisions.hpp"
#include "composition.hpp"

#include <limits>

namespace coordsim::models::governance {

void declare_decision_parameters(sim::ParamBindings<Parameters>& s) {
  s.block("decisions", &Parameters::decisions).boolean("enabled", &DecisionParameters::enabled, false,
            "Some items wait on a decision that participants with conflicting goals block (F7, S4)")
      .real("item_share", &DecisionParameters::item_share, 0.3, 0.0, 1.0, "1", "Share of work items that wait on a decision before work")
      .real("conflict_alignment", &DecisionParameters::conflict_alignment, 0.8, 0.0, 1.0, "1",
            "An owner whose goal alignment with the task is below this blocks the item's decision")
      .boolean("lead_decides", &DecisionParameters::lead_decides, false,
               "The lead may decide blocked items itself; false: a mediating-only lead (居中协调) escalates")
      .real("lead_decision_probability", &DecisionParameters::lead_decision_probability, 0.3, 0.0, 1.0, "1",
            "Per step, probability that a lead with decision power settles a blocked item")
      .integer("mediation_steps", &DecisionParameters::mediation_steps, 5, 0, 1000000, "steps",
               "Steps a mediating-only lead mediates before escalating a blocked decision to leadership")
      .real("leadership_decision_rate", &DecisionParameters::leadership_decision_rate, 0.3, 0.0, 1.0, "1",
            "Per step, probability that leadership settles an escalated conflict at full attention (x attention)");
}

void init_decisions(State& s, const sim::Rng& rng) {
  auto& dec = s.mechanisms.decisions;
  const auto& p = s.parameters.decisions;
  if (!p.enabled) return;  // empty vectors: item_available ignores decisions
  const std::size_t n = s.items.size();
  dec.needs.assign(n, 0);
  for (std::size_t item = 0; item < n; ++item) {
    auto stream = rng.stream(sim::Rng::kSetupStep, item, purpose::kDecisionItems);
    dec.needs[item] = stream.uniform() < p.item_share ? 1 : 0;
  }
  dec.blocked.assign(n, 0);
  dec.status.assign(n, DecisionStatus::None);
  for (std::size_t item = 0; item < n; ++item)
    if (dec.needs[item]) dec.status[item] = DecisionStatus::Pending;
  dec.blocked_since.assign(n, kNotDone);
  dec.decided_step.assign(n, kNotDone);
}

void run_decisions(State& s, const sim::StepContext& context) {
  const auto& p = s.parameters.decisions;
  if (!p.enabled) return;
  auto& dec = s.mechanisms.decisions;
  const auto& it = s.items;
  const auto& t = s.tasks;
  const auto step = static_cast<std::int64_t>(context.step);
  for (std::uint32_t item = 0; item < it.size(); ++item) {
    switch (dec.status[item]) {
      case DecisionStatus::None:
      case DecisionStatus::Decided: break;
      case DecisionStatus::Pending: {
        const std::uint32_t before = it.predecessor[item];
        if (t.start[it.task[item]] > step || (before != kNone && it.done_step[before] == kNotDone)) break;
        if (s.relations.alignment[it.relation[item]] >= p.conflict_alignment) {
          dec.status[item] = DecisionStatus::Decided;  // no conflict: decided at once, not counted as blocked
          break;
        }
        dec.status[item] = DecisionStatus::Mediating;
        dec.blocked[item] = 1;
        dec.blocked_since[item] = step;
        break;
      }
      case DecisionStatus::Mediating: {
        if (p.lead_decides) {
          auto stream = context.rng.stream(context.step, item, purpose::kDecision);
          if (stream.bernoulli(p.lead_decision_probability)) {
            dec.status[item] = DecisionStatus::Decided;
            dec.blocked[item] = 0;
            dec.decided_step[item] = step;
            dec.made += 1.0;
          }
        } else if (step - dec.blocked_since[item] >= p.mediation_steps) {
          dec.status[item] = DecisionStatus::Escalated;
        }
        break;
      }
      case DecisionStatus::Escalated: {
        auto stream = context.rng.stream(context.step, item, purpose::kDecision);
        const double attention = t.attention[it.task[item]];
        if (stream.bernoulli(leadership_decision_probability(p.leadership_decision_rate, attention))) {
          dec.status[item] = DecisionStatus::Decided;
          dec.blocked[item] = 0;
          dec.decided_step[item] = step;
          dec.made += 1.0;
        }
        break;
      }
    }
  }
}


// Parameters, setup, the decisions' step (first in the mechanisms phase: it reads this step's
// leadership attention and decides which items stay blocked) and its outcomes (F7, S4).
GovernanceMechanism decisions_mechanism() {
  using sim::Aggregation;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  GovernanceMechanism m("decisions");
  declare_decision_parameters(m.parameters());
  m.init(init_decisions).step(kPhaseMechanisms, "decisions", run_decisions, 1);
  m.tally([](State& s, std::size_t, bool) {
    const auto& dec = s.mechanisms.decisions;
    DecisionTally y;
    if (!dec.status.empty())
      for (std::size_t item = 0; item < s.items.size(); ++item) {
        y.blocked += dec.blocked[item];
        y.escalated += dec.status[item] == DecisionStatus::Escalated ? 1.0 : 0.0;
      }
    s.mechanisms.tallies.decisions = y;
  });
  m.series({"decisions_blocked", "count", "Items blocked by a conflict-laden decision"}, Aggregation::Sum,
           [](const State& s) { return s.mechanisms.tallies.decisions.blocked; })
      .series({"decisions_escalated", "count", "Blocked decisions escalated to leadership and waiting"},
              Aggregation::Sum, [](const State& s) { return s.mechanisms.tallies.decisions.escalated; })
      .series({"decisions_made", "count", "Conflict-laden decisions settled so far"}, Aggregation::Sum,
              [](const State& s) { return s.mechanisms.decisions.made; });
  // Blocked items, those settled, and the steps they waited (unsettled: until the run end).
  struct Waits {
    double blocked = 0, decided = 0, waited = 0;
  };
  const auto waits = [](const State& s, std::size_t steps) {
    Waits w;
    const auto& dec = s.mechanisms.decisions;
    for (std::size_t item = 0; item < dec.blocked_since.size(); ++item) {
      if (dec.blocked_since[item] == kNotDone) continue;
      w.blocked += 1.0;
      const bool settled = dec.decided_step[item] != kNotDone;
      w.decided += settled ? 1.0 : 0.0;
      w.waited += static_cast<double>((settled ? dec.decided_step[item] : static_cast<std::int64_t>(steps)) -
                                      dec.blocked_since[item]);
    }
    return w;
  };
  m.summary({"decisions_resolved_share", "1", "Share of blocked decisions settled by the end (NaN: none blocked)"},
            false, Aggregation::Mean,
            [=](const State& s, std::size_t steps) {
              const Waits w = waits(s, steps);
              return w.blocked > 0 ? w.decided / w.blocked : kNaN;
            })
      .summary({"mean_decision_time", "steps", "Mean steps from block to decision (unsettled: censored at the run end)"},
               false, Aggregation::Mean, [=](const State& s, std::size_t steps) {
                 const Waits w = waits(s, steps);
                 return w.blocked > 0 ? w.waited / w.blocked : kNaN;
               });
  return m;
}

}  // namespace coordsim::models::governance
