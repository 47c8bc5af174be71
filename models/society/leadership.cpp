// Leadership (党委政府领导, MODEL.md §3.3, §4.5): one attention budget per step shared by every claim
// on it — joint tasks (weighted by priority and by the share of their items overdue), leading small
// groups (a standing claim of their chair for each task that has one, whether or not the task is
// active), conflicts between departments a mediating-only lead cannot decide (decisions.cpp),
// townships' escalated coordination requests and recent petitions. A claim receives
// budget × weight / (sum of weights): the more claims, the less each gets. A leading group lends its
// task the chair's rank in proportion to the attention the task receives, up to group_attention. With
// the channel broken (coupling.shared_attention false) petitions and escalations no longer draw on the
// tasks' budget.
#include <algorithm>

#include "society.hpp"

namespace coordsim::models::society {
namespace {

using sim::Aggregation;

void allocate_attention(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters;
  const auto step = static_cast<std::int64_t>(c.step);
  auto& t = s.tasks;
  std::vector<double> weight(t.size(), 0.0);
  double tasks_weight = 0.0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const bool active = t.start[k] <= step && t.completed_step[k] == kNever;
    double w = 0.0;
    if (active) {
      double open = 0.0, overdue = 0.0;
      for (auto item = t.items_begin[k]; item < t.items_begin[k + 1]; ++item) {
        if (s.items.done_step[item] != kNever) continue;
        open += 1.0;
        if (step > s.items.deadline[item]) overdue += 1.0;
      }
      w = p.tasks.priority * (1.0 + (open > 0.0 ? overdue / open : 0.0));
    }
    if (t.leading_group[k]) w += p.leadership.leading_group_claim;  // standing claim of the chair
    weight[k] = w;
    tasks_weight += w;
  }
  while (!s.petition_steps.empty() && s.petition_steps.front() <= step - p.leadership.petition_memory)
    s.petition_steps.erase(s.petition_steps.begin());
  const double petitions = static_cast<double>(s.petition_steps.size()) * p.leadership.petition_claim;
  double escalations = 0.0;
  for (const auto& rq : s.requests) escalations += rq.escalated ? p.leadership.escalation_claim : 0.0;
  // Conflicts a mediating-only lead cannot decide go up to leadership (decisions.cpp).
  double conflicts = 0.0;
  for (std::size_t k = 0; k < t.size(); ++k)
    if (t.conflict[k] && t.decided_step[k] == kNever && t.start[k] <= step && t.lead_rank[k] < p.decisions.decide_rank)
      conflicts += p.decisions.conflict_claim;
  const double campaign = p.targets.count > 0 ? p.targets.attention_claim : 0.0;  // targets.cpp
  const double total = tasks_weight + conflicts + campaign + (p.coupling.shared_attention ? petitions + escalations : 0.0);
  // In a province or the nation, the provincial leadership's share lent to this county adds to it.
  const double budget = p.leadership.attention_budget + s.upper_attention;
  s.attention_tasks = s.attention_petitions = s.attention_escalations = 0.0;
  s.attention_conflicts = total > 0.0 ? budget * conflicts / total : 0.0;
  s.targets.attention = total > 0.0 ? budget * campaign / total : 0.0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    // A task's attention is its share of the budget; a leading group's standing claim is attention
    // spent on the group whether or not the task is active.
    t.attention[k] = total > 0.0 ? budget * weight[k] / total : 0.0;
    s.attention_tasks += t.attention[k];
    // A leading group lends its chair's rank only as far as the chair attends to it (S4: groups are
    // for major decisions; a group for every task lends each little).
    if (t.leading_group[k]) {
      const double attended = std::min(1.0, t.attention[k] / p.leadership.group_attention);
      t.lead_rank[k] = p.tasks.lead_rank + (p.tasks.chair_rank - p.tasks.lead_rank) * attended;
    }
  }
  if (total > 0.0 && p.coupling.shared_attention) {
    s.attention_petitions = budget * petitions / total;
    s.attention_escalations = budget * escalations / total;
  } else {
    // Knock-out: petitions and escalations are heard outside the budget the tasks share.
    const double side = petitions + escalations;
    s.attention_petitions = side > 0.0 ? budget * petitions / (side + tasks_weight) : 0.0;
    s.attention_escalations = side > 0.0 ? budget * escalations / (side + tasks_weight) : 0.0;
  }
  s.flows.attention_used = s.attention_tasks + s.attention_conflicts + s.targets.attention +
                          (p.coupling.shared_attention ? s.attention_petitions + s.attention_escalations : 0.0);
}

}  // namespace

SocietyMechanism leadership_mechanism() {
  SocietyMechanism m("leadership");
  m.parameters()
      .block("leadership", &Parameters::leadership)
      .real("attention_budget", &LeadershipParameters::attention_budget, 1.5, 0.0, 1e6, "1",
            "Leadership attention per step shared by every claim (§3.3; assumed, calibrated)")
      .real("leading_group_claim", &LeadershipParameters::leading_group_claim, 1.0, 0.0, 1e6, "1",
            "Standing claim of a leading small group on its chair's attention (S4: for major decisions)")
      .real("petition_claim", &LeadershipParameters::petition_claim, 0.5, 0.0, 1e6, "1",
            "Claim of one recent petition (越级上访, S3) on leadership attention")
      .real("escalation_claim", &LeadershipParameters::escalation_claim, 0.3, 0.0, 1e6, "1",
            "Claim of one escalated township coordination request")
      .real("group_attention", &LeadershipParameters::group_attention, 0.3, 1e-6, 1e6, "1",
            "Attention per step at which a leading group lends its task the chair's full rank")
      .integer("petition_memory", &LeadershipParameters::petition_memory, 20, 1, 100000, "steps",
               "Steps a petition keeps claiming attention");
  m.step(kPhaseLeadership, "attention", allocate_attention);
  m.series({"attention_tasks", "1", "Leadership attention given to joint tasks (incl. leading groups)"},
           Aggregation::Sum, [](const State& s) { return s.attention_tasks; })
      .series({"attention_petitions", "1", "Leadership attention drawn by petitions"}, Aggregation::Sum,
              [](const State& s) { return s.attention_petitions; })
      .series({"attention_escalations", "1", "Leadership attention drawn by escalated township requests"},
              Aggregation::Sum, [](const State& s) { return s.attention_escalations; });
  m.tally([](State& s, std::size_t, bool) { s.totals.attention_tasks_sum += s.attention_tasks; });
  m.summary({"attention_tasks_mean", "1", "Mean leadership attention per step given to joint tasks"}, false,
            Aggregation::Sum,
            [](const State& s, std::size_t steps) { return s.totals.attention_tasks_sum / static_cast<double>(steps); });
  m.ledger("attention", [](const State& s, sim::Ledger& l) {
    l.used.push_back(s.flows.attention_used);
    l.available.push_back(s.parameters.leadership.attention_budget + s.upper_attention);
  });
  return m;
}

}  // namespace coordsim::models::society
