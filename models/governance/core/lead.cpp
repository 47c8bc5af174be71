// The lead department (牵头部门, MODEL.md §3.2). Each step a lead checks the items of its open
// tasks; an owner with an item due within lead.chase_ahead steps or overdue may be chased (催办).
// The chase probability falls with the rank by which the owner outranks the lead's effective rank
// (S0: "我们还不敢催太急,生怕对方反感"); a chase costs the lead costs.chase_hours and, when the owner
// outranks it, lowers the relation's trust, which in turn discounts the owner's response to
// future chases ("后续材料就更收不上来了"). Trust recovers slowly towards its baseline. Items overdue
// by lead.escalate_after steps are escalated to leadership as messages, again every
// escalate_after steps while they stay open (S4: "居中协调并把意见上呈
// 给分管领导"). Coordinating an open task costs the lead overhead hours, meetings and escalation
// reports; all lead hours are capped by its capacity.
#include "lead.hpp"

#include <algorithm>
#include <cmath>

namespace coordsim::models::governance {

double chase_probability(double base, double sensitivity, double owner_rank, double lead_rank) noexcept {
  const double gap = std::max(0.0, owner_rank - lead_rank);
  return base * std::exp(-sensitivity * gap);
}

double rank_factor(double authority, double chaser_rank, double owner_rank) noexcept {
  return std::exp(authority * (chaser_rank - owner_rank));
}

void lead_department(State& s, std::size_t dept, const sim::StepContext& context) {
  auto& d = s.departments;
  if (d.led_begin[dept] == d.led_begin[dept + 1]) return;
  const Parameters& p = s.parameters;
  const auto step = static_cast<std::int64_t>(context.step);
  auto& rel = s.relations;
  auto& it = s.items;
  const auto& t = s.tasks;
  const double lead_rank = p.effective_lead_rank();
  const double budget = d.capacity[dept];
  double used = 0.0, chasing = 0.0, coordinating = 0.0;
  const auto coordinate = [&](double hours) {
    const double given = std::min(hours, budget - used);
    coordinating += given;
    used += given;
  };
  const std::int64_t escalate_after = p.lead.escalate_after;

  for (std::uint32_t k = d.led_begin[dept]; k < d.led_begin[dept + 1]; ++k) {
    const auto task = d.led[k];
    if (!task_open(s, task, step)) continue;
    coordinate(p.costs.lead_overhead_hours);
    if (p.costs.meeting_every > 0 && (step - t.start[task]) % p.costs.meeting_every == 0)
      coordinate(p.costs.meeting_hours);
    for (std::uint32_t r = t.relation_begin[task]; r < t.relation_begin[task + 1]; ++r) {
      rel.chase_pressure[r] *= p.lead.chase_decay;
      rel.trust[r] = trust_recovered(rel.trust[r], p.lead.trust_initial, p.lead.trust_recovery);
      bool due = false;
      for (std::uint32_t item = rel.item_begin[r]; item < rel.item_end[r]; ++item) {
        if (!item_available(s, item, step)) continue;
        if (it.deadline[item] - step <= p.lead.chase_ahead) due = true;
        const std::int64_t overdue = step - it.deadline[item];
        if (overdue >= escalate_after && overdue % escalate_after == 0) {
          s.escalations.post(dept, task, item);
          coordinate(p.costs.escalation_hours);
        }
      }
      if (!due) continue;
      auto stream = context.rng.stream(context.step, r, purpose::kChase);
      const bool chase = stream.bernoulli(rel.chase_probability[r]);
      if (chase && used + p.costs.chase_hours <= budget) {
        rel.chase_pressure[r] += 1.0;
        rel.trust[r] = trust_after_chase(rel.trust[r], p.lead.trust_loss, d.rank[rel.department[r]], lead_rank);
        used += p.costs.chase_hours;
        chasing += p.costs.chase_hours;
      }
    }
  }
  d.chasing[dept] = chasing;
  d.coordinating_lead[dept] = coordinating;
}

void run_lead_phase(State& s, const sim::StepContext& context) {
  context.execution.for_each(s.departments.size(), 64,
                             [&](std::size_t dept) { lead_department(s, dept, context); });
  s.escalations.deliver();
  s.escalations_posted = static_cast<std::uint32_t>(s.escalations.delivered());
}

}  // namespace coordsim::models::governance
