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
#include "composition.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace coordsim::models::governance {

void declare_discipline_parameters(sim::ParamBindings<Parameters>& s) {
  s.block("discipline", &Parameters::discipline).boolean("enabled", &DisciplineParameters::enabled, false,
            "The discipline commission (纪委监委) is modelled: referrals, queue, cases and perceived accountability "
            "replace the constant accountability.probability (S4)")
      .real("referral_share", &DisciplineParameters::referral_share, 1.0, 0.0, 1.0, "1",
            "Share of joint tasks whose overdue items are referred to the commission (1: every task, 包打天下)")
      .integer("refer_after", &DisciplineParameters::refer_after, 5, 0, 1000000, "steps",
               "Steps past its deadline after which an open item of a referred task is referred (once)")
      .real("capacity", &DisciplineParameters::capacity, 1.0, 0.0, 1000000.0, "count", "Cases the commission closes per step")
      .real("core_arrivals", &DisciplineParameters::core_arrivals, 0.5, 0.0, 1000000.0, "count",
            "Mean arrivals per step of the commission's own core cases (Poisson)")
      .real("petition_cases", &DisciplineParameters::petition_cases, 0.2, 0.0, 1000.0, "count",
            "Core cases added per petition raised this step (State::petitions_this_step)")
      .real("audit_probability", &DisciplineParameters::audit_probability, 0.3, 0.0, 1.0, "1",
            "Perceived probability that a referred overdue item is held to account when capacity matches demand")
      .real("accountability_share", &DisciplineParameters::accountability_share, 0.3, 0.0, 1.0, "1",
            "Share of closed referral cases ending in accountability (问责) rather than a reminder talk (约谈)")
      .real("penalty_talk", &DisciplineParameters::penalty_talk, 0.2, 0.0, 1000.0, "1", "Penalty on the owner department of a reminder talk")
      .real("penalty_accountability", &DisciplineParameters::penalty_accountability, 1.0, 0.0, 1000.0, "1",
            "Penalty on the owner department of an accountability case")
      .real("case_pressure", &DisciplineParameters::case_pressure, 1.0, 0.0, 1000.0, "1",
            "Instruction pressure a closed case adds to the owner's relation (weighted by the chair's rank)")
      .real("perception_rate", &DisciplineParameters::perception_rate, 0.1, 0.001, 1.0, "1",
            "Weight of this step in the smoothed demand rate (referrals + core arrivals) owners perceive")
      .real("promotion_weight", &DisciplineParameters::promotion_weight, 0.0, 0.0, 100.0, "1",
            "Tie to promotion: a case's stake in the owner's utility is accountability.penalty x (1 + weight)");
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


// Parameters, setup, the commission's step (last in the mechanisms phase: it reads this step's
// referrals, then sets the perceived accountability owners weigh in this step's allocation) and
// its outcomes: referrals, queue, cases closed by outcome, core backlog, perceived accountability
// and deterrence (§3.4, S4), penalties per department.
GovernanceMechanism discipline_mechanism() {
  using sim::Aggregation;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  GovernanceMechanism m("discipline");
  declare_discipline_parameters(m.parameters());
  m.init(init_discipline).step(kPhaseMechanisms, "discipline commission", run_discipline, 5);
  m.tally([](State& s, std::size_t, bool) {
    const auto& c = s.mechanisms.discipline;
    auto& totals = s.mechanisms.totals;
    totals.queue_sum += static_cast<double>(c.queue_size);
    totals.core_sum += c.core_backlog;
    totals.deterrence_sum += c.deterrence;
    totals.referrals += c.referrals;
  });
  const auto commission = [](const State& s) -> const DisciplineState& { return s.mechanisms.discipline; };
  m.series({"discipline_referrals", "count", "Overdue items referred to the discipline commission this step"},
           Aggregation::Sum, [=](const State& s) { return commission(s).referrals; })
      .series({"discipline_queue", "count", "Referred cases waiting at the discipline commission"}, Aggregation::Sum,
              [=](const State& s) { return static_cast<double>(commission(s).queue_size); })
      .series({"discipline_cases_closed", "count", "Referral cases the commission closed this step"}, Aggregation::Sum,
              [=](const State& s) { return commission(s).closed; })
      .series({"discipline_talks", "count", "Closed cases ending in a reminder talk (约谈) this step"}, Aggregation::Sum,
              [=](const State& s) { return commission(s).talks; })
      .series({"discipline_accountability_cases", "count", "Closed cases ending in accountability (问责) this step"},
              Aggregation::Sum, [=](const State& s) { return commission(s).accountability_cases; })
      .series({"discipline_core_backlog", "count", "The commission's own core cases waiting"}, Aggregation::Sum,
              [=](const State& s) { return commission(s).core_backlog; })
      .series({"discipline_p_accountability", "1",
               "Perceived probability that a referred overdue item is held to account"},
              Aggregation::Mean,
              [=](const State& s) {
                return s.parameters.discipline.enabled ? commission(s).p_accountability
                                                       : s.parameters.accountability.probability;
              })
      .series({"discipline_deterrence", "1", "Expected penalty per referred case (perceived probability x mean penalty)"},
              Aggregation::Mean,
              [=](const State& s) { return s.parameters.discipline.enabled ? commission(s).deterrence : kNaN; });
  m.agents("department", {"penalties", "1", "Cumulative discipline penalties on the department (约谈 and 问责)"},
           [=](const State& s, std::size_t, double* row) {
             const auto& penalties = commission(s).penalties;
             for (std::size_t i = 0; i < s.departments.size(); ++i) row[i] = penalties[i];
           });
  const auto mean_over_run = [](double total, std::size_t steps) { return total / static_cast<double>(steps); };
  m.summary({"discipline_queue_mean", "count", "Mean referral queue of the discipline commission over the run"}, true,
            Aggregation::Sum,
            [=](const State& s, std::size_t steps) { return mean_over_run(s.mechanisms.totals.queue_sum, steps); })
      .summary({"discipline_queue_final", "count", "Referral queue at the end"}, false, Aggregation::Sum,
               [=](const State& s, std::size_t) { return static_cast<double>(commission(s).queue_size); })
      .summary({"discipline_core_backlog_final", "count", "The commission's core-case backlog at the end"}, false,
               Aggregation::Sum, [=](const State& s, std::size_t) { return commission(s).core_backlog; })
      .summary({"discipline_core_backlog_mean", "count", "Mean core-case backlog of the commission over the run"},
               false, Aggregation::Sum,
               [=](const State& s, std::size_t steps) { return mean_over_run(s.mechanisms.totals.core_sum, steps); })
      .summary({"discipline_deterrence_mean", "1", "Mean expected penalty per referred case over the run"}, false,
               Aggregation::Mean,
               [=](const State& s, std::size_t steps) {
                 return s.parameters.discipline.enabled ? mean_over_run(s.mechanisms.totals.deterrence_sum, steps)
                                                        : kNaN;
               })
      .summary({"discipline_referrals_total", "count", "Items referred over the run"}, false, Aggregation::Sum,
               [](const State& s, std::size_t) { return s.mechanisms.totals.referrals; })
      .summary({"penalties_total", "1", "Discipline penalties on all departments over the run"}, false,
               Aggregation::Mean, [=](const State& s, std::size_t) {
                 double penalties = 0.0;
                 for (const double value : commission(s).penalties) penalties += value;
                 return penalties;
               });
  return m;
}

}  // namespace coordsim::models::governance
