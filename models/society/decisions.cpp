// Conflicting goals on joint tasks (MODEL.md §3.3, §5.4; seed S4 "卫健局牵头……只进行了微调"). A share
// decisions.conflict_share of the joint tasks put participants with conflicting goals together: their
// items cannot progress until the conflict is decided. A lead of rank at least decide_rank decides it
// itself (probability lead_decision_rate per step); a mediating-only lead cannot, and the conflict
// goes up as a claim on leadership attention (conflict_claim), decided with probability
// 1 − exp(−decision_rate × attention it receives). Petitions and every other claim compete for the same
// budget (§4.5), so a conflict stalls longer when attention is low or petitions crowd it out.
#include <cmath>

#include "society.hpp"

namespace coordsim::models::society {
namespace {

using sim::Aggregation;

void init_decisions(State& s, const sim::Rng& rng) {
  auto& t = s.tasks;
  t.conflict.assign(t.size(), 0);
  t.decided_step.assign(t.size(), kNever);
  for (std::size_t k = 0; k < t.size(); ++k) {
    auto r = rng.stream(sim::Rng::kSetupStep, k, purpose::kConflict);
    t.conflict[k] = r.uniform() < s.parameters.decisions.conflict_share ? 1 : 0;
  }
}

void decide(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.decisions;
  const auto step = static_cast<std::int64_t>(c.step);
  auto& t = s.tasks;
  std::size_t waiting = 0;
  for (std::size_t k = 0; k < t.size(); ++k)
    if (t.conflict[k] && t.decided_step[k] == kNever && t.start[k] <= step && t.lead_rank[k] < p.decide_rank) ++waiting;
  const double each = waiting > 0 ? s.attention_conflicts / static_cast<double>(waiting) : 0.0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    if (!t.conflict[k] || t.decided_step[k] != kNever || t.start[k] > step) continue;
    auto r = c.rng.stream(c.step, k, purpose::kDecision);
    const double chance = t.lead_rank[k] >= p.decide_rank ? p.lead_decision_rate : 1.0 - std::exp(-p.decision_rate * each);
    if (r.uniform() < chance) t.decided_step[k] = step;
  }
}

double stalled(const State& s, std::int64_t step) {
  double n = 0.0;
  for (std::size_t k = 0; k < s.tasks.size(); ++k)
    n += s.tasks.conflict[k] && s.tasks.decided_step[k] == kNever && s.tasks.start[k] <= step ? 1.0 : 0.0;
  return n;
}

}  // namespace

SocietyMechanism decisions_mechanism() {
  SocietyMechanism m("decisions");
  m.parameters()
      .block("decisions", &Parameters::decisions)
      .real("conflict_share", &DecisionParameters::conflict_share, 0.0, 0.0, 1.0, "1", "Share of joint tasks whose participants have conflicting goals (S4)")
      .real("decision_rate", &DecisionParameters::decision_rate, 2.0, 0.0, 1e6, "1", "Hazard of a leadership decision per unit of attention a conflict receives")
      .real("decide_rank", &DecisionParameters::decide_rank, 0.8, 0.0, 1.0, "1", "Lead rank from which a lead decides conflicts itself")
      .real("lead_decision_rate", &DecisionParameters::lead_decision_rate, 0.1, 0.0, 1.0, "1/step", "Probability per step that such a lead decides")
      .real("conflict_claim", &DecisionParameters::conflict_claim, 1.0, 0.0, 1e6, "1", "Claim of one undecided conflict on leadership attention");
  m.init(init_decisions);
  m.step(kPhaseLeadership, "decide", decide, 1);
  m.series({"conflicts_stalled", "count", "Started joint tasks whose conflict is not yet decided"}, Aggregation::Sum,
           [](const State& s) { return s.tasks.size() > 0 ? s.totals.conflicts_stalled_now : 0.0; })
      .series({"attention_conflicts", "1", "Leadership attention drawn by undecided conflicts"}, Aggregation::Sum,
              [](const State& s) { return s.attention_conflicts; });
  m.tally([](State& s, std::size_t step, bool) {
    s.totals.conflicts_stalled_now = stalled(s, static_cast<std::int64_t>(step));
    s.totals.conflict_steps += s.totals.conflicts_stalled_now;
  });
  m.summary({"conflict_stall_steps_total", "steps", "Steps joint tasks spent stalled on undecided conflicts"}, false,
            Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.conflict_steps; });
  return m;
}

}  // namespace coordsim::models::society
