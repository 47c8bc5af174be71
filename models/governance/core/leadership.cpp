// Leadership (党委政府领导 / 分管领导, MODEL.md §3.3). Leadership has an attention budget per step
// (leadership.attention_budget) shared across open joint tasks in proportion to their priority,
// raised by the escalations each task sent the previous step (leadership.escalation_weight); S4:
// "领导关注和重视的程度往往决定了工作推进的效果". Attention enters every owner's item utility
// (λ_att). Escalated items are decided with a probability equal to the task's attention: a decision
// is an instruction to the owner (督办) whose pressure carries the chair's rank. A leading small
// group (领导小组, S4: "以县委书记、县长为双组长") guarantees its task full attention outside the
// budget and lifts the effective lead rank to leadership.chair_rank (see Parameters).
#include "leadership.hpp"

#include <algorithm>

namespace coordsim::models::governance {

void share_attention(std::span<const double> claim, std::span<const std::uint8_t> guaranteed, double budget,
                     std::span<double> attention) noexcept {
  double total = 0.0;
  for (std::size_t k = 0; k < claim.size(); ++k)
    if (!guaranteed[k]) total += claim[k];
  for (std::size_t k = 0; k < claim.size(); ++k) {
    if (guaranteed[k]) attention[k] = claim[k] > 0.0 ? 1.0 : 0.0;
    else attention[k] = total > 0.0 ? std::min(1.0, budget * claim[k] / total) : 0.0;
  }
}

void run_leadership_phase(State& s, const sim::StepContext& context) {
  const Parameters& p = s.parameters;
  auto& t = s.tasks;
  const auto step = static_cast<std::int64_t>(context.step);
  const std::size_t n = t.size();

  // Claims: priority x (1 + weight x escalations) for open tasks, 0 for the others.
  for (std::size_t task = 0; task < n; ++task) {
    t.escalations[task] = static_cast<std::uint32_t>(s.escalations.inbox(task).size());
    t.claim[task] = task_open(s, static_cast<std::uint32_t>(task), step)
                        ? t.priority[task] * (1.0 + p.leadership.escalation_weight * t.escalations[task])
                        : 0.0;
  }
  share_attention(t.claim, t.guaranteed, p.leadership.attention_budget + s.upper_attention, t.attention);

  // Instructions on escalated items.
  auto& rel = s.relations;
  for (std::size_t task = 0; task < n; ++task) {
    for (std::uint32_t r = t.relation_begin[task]; r < t.relation_begin[task + 1]; ++r)
      rel.instruction_pressure[r] *= p.lead.chase_decay;
    for (const auto& envelope : s.escalations.inbox(task)) {
      const std::uint32_t item = envelope.message;
      if (s.items.done_step[item] != kNotDone) continue;
      auto stream = context.rng.stream(context.step, item, purpose::kInstruction);
      if (stream.bernoulli(t.attention[task])) rel.instruction_pressure[s.items.relation[item]] += 1.0;
    }
  }
}

}  // namespace coordsim::models::governance
