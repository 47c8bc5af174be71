// The discipline commission (纪委监委, MODEL.md §3.4, §4.3; seed S4). When discipline.enabled, a
// share discipline.referral_share of the joint tasks (1 = every task) pull the commission in: each
// of their items still open discipline.refer_after steps past its deadline is referred once and
// joins a FIFO queue. The commission also has its own core casework (discipline.core_arrivals per
// step, plus discipline.petition_cases per petition the citizen slice writes to
// State::petitions_this_step). Its capacity (discipline.capacity cases per step) is shared between
// the referral queue and the core backlog in proportion to their sizes, so that when "几乎每项涉及到
// 跨部门的工作安排都会明确要求加大问责力度" the queue grows and core work falls behind (S4 "纪委监委
// 包打天下 ... 加重了纪检机关的工作负担"). A closed referral ends in accountability (问责) with
// probability discipline.accountability_share, else in a reminder talk (约谈提醒); either adds a
// penalty to the owner department and pressure on its relation (S4 "通过约谈提醒、强化问责…形成
// 高压态势"). Owners perceive p_accountability = audit_probability × min(1, capacity / demand rate):
// the more cases compete for the same capacity, the less a single referral deters ("损害了执纪的
// 刚性和严肃性"). That p replaces the constant accountability.probability in the λ_acc term.
#include "discipline.hpp"

#include <algorithm>
#include <cmath>

namespace coordsim::models::governance {

void declare_discipline_parameters(sim::ParamSchema& s) {
  s.boolean("discipline.enabled", false,
            "The discipline commission (纪委监委) is modelled: referrals, queue, cases and perceived accountability "
            "replace the constant accountability.probability (S4)")
      .real("discipline.referral_share", 1.0, 0.0, 1.0, "1",
            "Share of joint tasks whose overdue items are referred to the commission (1: every task, 包打天下)")
      .integer("discipline.refer_after", 5, 0, 1000000, "steps",
               "Steps past its deadline after which an open item of a referred task is referred (once)")
      .real("discipline.capacity", 1.0, 0.0, 1000000.0, "count", "Cases the commission closes per step")
      .real("discipline.core_arrivals", 0.5, 0.0, 1000000.0, "count",
            "Mean arrivals per step of the commission's own core cases (Poisson)")
      .real("discipline.petition_cases", 0.2, 0.0, 1000.0, "count",
            "Core cases added per petition raised this step (State::petitions_this_step)")
      .real("discipline.audit_probability", 0.3, 0.0, 1.0, "1",
            "Perceived probability that a referred overdue item is held to account when capacity matches demand")
      .real("discipline.accountability_share", 0.3, 0.0, 1.0, "1",
            "Share of closed referral cases ending in accountability (问责) rather than a reminder talk (约谈)")
      .real("discipline.penalty_talk", 0.2, 0.0, 1000.0, "1", "Penalty on the owner department of a reminder talk")
      .real("discipline.penalty_accountability", 1.0, 0.0, 1000.0, "1",
            "Penalty on the owner department of an accountability case")
      .real("discipline.case_pressure", 1.0, 0.0, 1000.0, "1",
            "Instruction pressure a closed case adds to the owner's relation (weighted by the chair's rank)")
      .real("discipline.perception_rate", 0.1, 0.001, 1.0, "1",
            "Weight of this step in the smoothed demand rate (referrals + core arrivals) owners perceive")
      .real("discipline.promotion_weight", 0.0, 0.0, 100.0, "1",
            "Tie to promotion: a case's stake in the owner's utility is accountability.penalty x (1 + weight)");
}

DisciplineParameters read_discipline_parameters(const sim::ParamSet& p) {
  DisciplineParameters d{};
  d.enabled = p.boolean("discipline.enabled");
  d.referral_share = p.real("discipline.referral_share");
  d.refer_after = p.integer("discipline.refer_after");
  d.capacity = p.real("discipline.capacity");
  d.core_arrivals = p.real("discipline.core_arrivals");
  d.petition_cases = p.real("discipline.petition_cases");
  d.audit_probability = p.real("discipline.audit_probability");
  d.accountability_share = p.real("discipline.accountability_share");
  d.penalty_talk = p.real("discipline.penalty_talk");
  d.penalty_accountability = p.real("discipline.penalty_accountability");
  d.case_pressure = p.real("discipline.case_pressure");
  d.perception_rate = p.real("discipline.perception_rate");
  d.promotion_weight = p.real("discipline.promotion_weight");
  return d;
}

void init_discipline(State& s, const sim::Rng& rng) {
  auto& c = s.mechanisms.discipline;
  const auto& p = s.parameters.discipline;
  c.task_referred.assign(s.tasks.size(), 0);
  for (std::size_t task = 0; task < s.tasks.size(); ++task) {
    auto stream = rng.stream(sim::Rng::kSetupStep, task, purpose::kDisciplineReferral);
    c.task_referred[task] = stream.uniform() < p.referral_share ? 1 : 0;
  }
  c.item_referred.assign(s.items.size(), 0);
  c.queue.assign(s.items.size() + 1, 0);
  c.penalties.assign(s.departments.size(), 0.0);
  // Before any case the commission is perceived at full strength.
  c.demand_rate = p.core_arrivals;
  c.p_accountability = perceived_accountability(p.audit_probability, p.capacity, c.demand_rate);
}

double perceived_accountability(double audit_probability, double capacity, double demand_rate) noexcept {
  if (demand_rate <= capacity) return audit_probability;
  return audit_probability * capacity / demand_rate;
}

void run_discipline(State& s, const sim::StepContext& context) {
  const auto& p = s.parameters.discipline;
  auto& c = s.mechanisms.discipline;
  c.referrals = c.closed = c.talks = c.accountability_cases = c.core_closed = 0.0;
  if (!p.enabled) return;
  const auto step = static_cast<std::int64_t>(context.step);
  const auto& it = s.items;
  const auto& t = s.tasks;

  // Referrals, in item order.
  const std::size_t ring = c.queue.size();
  for (std::size_t task = 0; task < t.size(); ++task) {
    if (!c.task_referred[task]) continue;
    for (std::uint32_t item = t.item_begin[task]; item < t.item_begin[task + 1]; ++item) {
      if (c.item_referred[item] || it.done_step[item] != kNotDone) continue;
      if (step - it.deadline[item] < p.refer_after) continue;
      c.item_referred[item] = 1;
      c.queue[(c.queue_head + c.queue_size) % ring] = item;
      ++c.queue_size;
      c.referrals += 1.0;
    }
  }

  // Core arrivals: the commission's own casework plus petitions.
  auto core_stream = context.rng.stream(context.step, 0, purpose::kDisciplineCore);
  const double core_arrivals =
      static_cast<double>(core_stream.poisson(p.core_arrivals)) + p.petition_cases * s.petitions_this_step;
  c.core_backlog += core_arrivals;

  // Capacity shared in proportion to the two workloads, work-conserving.
  const double queued = static_cast<double>(c.queue_size);
  const double load = queued + c.core_backlog;
  const double referral_budget = load > 0.0 ? p.capacity * queued / load : 0.0;
  double core_budget = p.capacity - referral_budget;
  double core_done = std::min(c.core_backlog, core_budget);
  double budget = referral_budget + (core_budget - core_done) + c.referral_credit;
  auto& rel = s.relations;
  while (c.queue_size > 0 && budget >= 1.0) {
    const std::uint32_t item = c.queue[c.queue_head];
    c.queue_head = (c.queue_head + 1) % ring;
    --c.queue_size;
    budget -= 1.0;
    c.closed += 1.0;
    auto outcome = context.rng.stream(context.step, item, purpose::kDisciplineOutcome);
    const bool accountable = outcome.bernoulli(p.accountability_share);
    (accountable ? c.accountability_cases : c.talks) += 1.0;
    c.penalties[it.owner[item]] += accountable ? p.penalty_accountability : p.penalty_talk;
    rel.instruction_pressure[it.relation[item]] += p.case_pressure;
  }
  // Fractional capacity carries over only while referrals wait; what is left serves core work.
  if (c.queue_size > 0) {
    c.referral_credit = std::min(budget, 1.0);
  } else {
    c.referral_credit = 0.0;
    const double extra = std::min(c.core_backlog - core_done, budget);
    core_done += std::max(0.0, extra);
  }
  c.core_backlog -= core_done;
  c.core_closed = core_done;

  // Perceived accountability for this step's allocation.
  c.demand_rate += p.perception_rate * (c.referrals + core_arrivals - c.demand_rate);
  c.p_accountability = perceived_accountability(p.audit_probability, p.capacity, c.demand_rate);
  const double expected_penalty =
      p.accountability_share * p.penalty_accountability + (1.0 - p.accountability_share) * p.penalty_talk;
  c.deterrence = c.p_accountability * expected_penalty;
}

}  // namespace coordsim::models::governance
