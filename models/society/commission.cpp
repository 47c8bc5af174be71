// The discipline commission (纪委监委, MODEL.md §3.4, §4.6). Referrals arrive from overdue items
// under the referral rule (none, overdue items of core tasks, every task: S4 "几乎每项……都会明确要求
// 加大问责力度"), and petitions add core casework. Its staff split their hours between core casework
// and the referral queue by the same logit as every agent (choice.hpp). A closed referral ends in
// a reminder talk (约谈) or accountability (问责): the sanction enters the department's penalty
// memory, and a head whose memory passes a threshold is replaced (S4: the police bureau improved only
// after staff were replaced), which redraws its β and expertise. Every department's p̂_acc is learned
// from the commission as observed: the share of referrals it clears and how long they wait, so a
// flooded commission ("纪委监委包打天下") deters less because its queue is long.
#include <algorithm>
#include <array>
#include <cmath>

#include "choice.hpp"
#include "society.hpp"

namespace coordsim::models::society {
namespace {

using sim::Aggregation;

void refer(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.commission;
  const auto step = static_cast<std::int64_t>(c.step);
  auto& it = s.items;
  if (p.referral != Referral::None) {
    for (std::size_t item = 0; item < it.size(); ++item) {
      if (it.done_step[item] != kNever || it.referred_step[item] != kNever) continue;
      if (step <= it.deadline[item] + p.refer_after) continue;
      if (p.referral == Referral::OverdueCore && !s.tasks.core[it.task[item]]) continue;
      it.referred_step[item] = step;
      s.commission_queue.push_back({it.owner[item], step, p.case_hours});
      s.flows.referrals += 1.0;
    }
  }
  auto r = c.rng.stream(c.step, 0, purpose::kCore);
  s.core_backlog += static_cast<double>(r.poisson(p.core_arrivals)) * p.core_case_hours;
}

void replace_head(State& s, std::size_t d, const sim::StepContext& c) {
  auto& dep = s.departments;
  const auto& p = s.parameters.departments;
  auto r = c.rng.stream(c.step, d, purpose::kReplace);
  dep.beta[d] = std::clamp(p.beta_mean + p.beta_spread * (r.uniform() - 0.5), 0.0, 1.0);
  dep.expertise[d] = 0.6 + 0.4 * r.uniform();
  dep.penalty[d] = 0.0;
  ++dep.heads_replaced[d];
}

void work_cases(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.commission;
  const auto& choice = s.parameters.choice;
  const auto step = static_cast<std::int64_t>(c.step);
  double queue_hours = 0.0;
  for (const auto& k : s.commission_queue) queue_hours += k.hours_left;
  const std::array<double, 2> u{p.w_core * std::min(1.5, s.core_backlog / p.staff_hours),
                                p.w_referral * std::min(1.5, queue_hours / p.staff_hours)};
  const std::array<double, 2> cap{s.core_backlog, queue_hours};
  std::array<double, 2> h{};
  s.commission_idle = allocate(u, cap, p.staff_hours, choice.commission_temperature, choice.idle_utility, h);
  s.commission_core_hours = h[0];
  s.commission_case_hours = h[1];
  s.core_backlog = std::max(0.0, s.core_backlog - h[0]);
  double hours = h[1];
  std::size_t closed = 0;
  for (; closed < s.commission_queue.size() && hours > 0.0; ++closed) {
    auto& k = s.commission_queue[closed];
    const double spent = std::min(hours, k.hours_left);
    k.hours_left -= spent;
    hours -= spent;
    if (k.hours_left > 1e-9) break;
    // Closed: a reminder talk or accountability for the department.
    auto r = c.rng.stream(c.step, closed, purpose::kSanction);
    const bool sanction = r.uniform() < p.sanction_share;
    auto& dep = s.departments;
    dep.penalty[k.target] += sanction ? p.sanction_penalty : p.talk_penalty;
    s.flows.closed += 1.0;
    s.flows.wait_closed += static_cast<double>(step - k.arrived);
    if (s.parameters.coupling.accountability && dep.penalty[k.target] > p.replace_threshold) replace_head(s, k.target, c);
  }
  s.commission_queue.erase(s.commission_queue.begin(), s.commission_queue.begin() + static_cast<std::ptrdiff_t>(closed));
}

// p̂_acc learned from the commission as observed: clearance (closed / arrived, smoothed) discounted by
// how long cases wait (the closed cases' mean wait, or the oldest open case's age when none closed).
void learn(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.commission;
  const auto step = static_cast<std::int64_t>(c.step);
  auto& dep = s.departments;
  const double a = p.learning_rate;
  s.arrivals_seen = (1.0 - a) * s.arrivals_seen + a * s.flows.referrals;
  s.closures_seen = (1.0 - a) * s.closures_seen + a * s.flows.closed;
  const double oldest = s.commission_queue.empty() ? 0.0 : static_cast<double>(step - s.commission_queue.front().arrived);
  const double wait = s.flows.closed > 0.0 ? s.flows.wait_closed / s.flows.closed : oldest;
  s.mean_wait = (1.0 - a) * s.mean_wait + a * std::max(wait, oldest);
  s.clearance = s.arrivals_seen > 1e-9 ? std::min(1.0, s.closures_seen / s.arrivals_seen) : 1.0;
  const double target = p.audit_probability * s.clearance * std::exp(-s.mean_wait / p.wait_scale);
  for (std::size_t d = 0; d < dep.size(); ++d) {
    if (!p.learn) {
      dep.p_acc[d] = p.audit_probability;
      continue;
    }
    // Own sanctions are the most salient observation: memory lifts the estimate toward one.
    const double own = std::min(1.0, target + 0.2 * dep.penalty[d]);
    dep.p_acc[d] += a * (own - dep.p_acc[d]);
  }
}

void tally(State& s, std::size_t, bool) {
  s.totals.queue_sum += static_cast<double>(s.commission_queue.size());
  s.totals.deterrence_sum += mean(s.departments.p_acc);
  s.totals.referrals += s.flows.referrals;
  s.totals.closed += s.flows.closed;
}

}  // namespace

SocietyMechanism commission_mechanism() {
  SocietyMechanism m("commission");
  m.parameters()
      .block("commission", &Parameters::commission)
      .real("staff_hours", &CommissionParameters::staff_hours, 8.0, 0.0, 1e6, "h", "Commission staff hours per step")
      .real("case_hours", &CommissionParameters::case_hours, 40.0, 0.01, 1e6, "h", "Hours to close one referred case")
      .real("core_arrivals", &CommissionParameters::core_arrivals, 0.1, 0.0, 1e6, "count", "Mean core cases arriving per step (Poisson)")
      .real("core_case_hours", &CommissionParameters::core_case_hours, 40.0, 0.0, 1e6, "h", "Hours of one core case")
      .choice("referral", &CommissionParameters::referral, "overdue_core",
              {{"none", Referral::None}, {"overdue_core", Referral::OverdueCore}, {"every", Referral::Every}},
              "Referral rule (§5.3): none, overdue items of core tasks, overdue items of every task (S4)")
      .real("core_task_share", &CommissionParameters::core_task_share, 0.25, 0.0, 1.0, "1", "Share of joint tasks that are core tasks")
      .integer("refer_after", &CommissionParameters::refer_after, 5, 0, 1000000, "steps", "Steps past its deadline after which an open item is referred")
      .real("sanction_share", &CommissionParameters::sanction_share, 0.3, 0.0, 1.0, "1", "Share of closed cases ending in accountability (问责) rather than a talk (约谈)")
      .real("talk_penalty", &CommissionParameters::talk_penalty, 0.2, 0.0, 1000.0, "1", "Penalty memory added by a reminder talk")
      .real("sanction_penalty", &CommissionParameters::sanction_penalty, 1.0, 0.0, 1000.0, "1", "Penalty memory added by accountability")
      .real("audit_probability", &CommissionParameters::audit_probability, 0.6, 0.0, 1.0, "1", "p̂_acc of a commission that clears every referral at once")
      .real("learning_rate", &CommissionParameters::learning_rate, 0.05, 0.0, 1.0, "1/step", "Weight of this step's observation in p̂_acc and in the observed clearance")
      .real("wait_scale", &CommissionParameters::wait_scale, 30.0, 0.1, 1e6, "steps", "Wait at which the observed deterrence falls by a factor e")
      .real("w_core", &CommissionParameters::w_core, 1.0, 0.0, 100.0, "1", "Staff weight of core casework")
      .real("w_referral", &CommissionParameters::w_referral, 1.0, 0.0, 100.0, "1", "Staff weight of referred cases")
      .real("replace_threshold", &CommissionParameters::replace_threshold, 1.5, 0.0, 1e6, "1", "Penalty memory at which a department's head is replaced")
      .real("petition_cases", &CommissionParameters::petition_cases, 0.3, 0.0, 1000.0, "count", "Core cases one petition adds")
      .real("inspection_cases", &CommissionParameters::inspection_cases, 1.0, 0.0, 1000.0, "count", "Core cases a township's overdue discipline case adds when it becomes a petition")
      .boolean("learn", &CommissionParameters::learn, true, "p̂_acc learned from observed clearance (false: fixed at audit_probability)");
  m.step(kPhaseCommission, "refer", refer);
  m.step(kPhaseCommission, "cases", work_cases, 1);
  m.step(kPhaseCommission, "learn", learn, 2);
  m.tally(tally);
  m.series({"discipline_queue", "count", "Referred cases waiting in the commission's queue"}, Aggregation::Sum,
           [](const State& s) { return static_cast<double>(s.commission_queue.size()); })
      .series({"discipline_core_backlog", "h", "Commission's core casework waiting"}, Aggregation::Sum,
              [](const State& s) { return s.core_backlog; })
      .series({"referrals", "count", "Cases referred this step"}, Aggregation::Sum, [](const State& s) { return s.flows.referrals; })
      .series({"cases_closed", "count", "Referred cases closed this step"}, Aggregation::Sum, [](const State& s) { return s.flows.closed; })
      .series({"deterrence", "1", "Mean perceived probability of being held to account (p̂_acc)"}, Aggregation::Mean,
              [](const State& s) { return mean(s.departments.p_acc); });
  m.summary({"discipline_queue_mean", "count", "Mean referral queue over the run"}, true, Aggregation::Sum,
            [](const State& s, std::size_t steps) { return s.totals.queue_sum / static_cast<double>(steps); })
      .summary({"deterrence_mean", "1", "Mean over the run of the departments' mean p̂_acc"}, true, Aggregation::Mean,
               [](const State& s, std::size_t steps) { return s.totals.deterrence_sum / static_cast<double>(steps); })
      .summary({"referrals_total", "count", "Cases referred in the run"}, false, Aggregation::Sum,
               [](const State& s, std::size_t) { return s.totals.referrals; })
      .summary({"heads_replaced_total", "count", "Department heads replaced after repeated sanctions"}, false,
               Aggregation::Sum, [](const State& s, std::size_t) {
                 double n = 0;
                 for (const auto k : s.departments.heads_replaced) n += static_cast<double>(k);
                 return n;
               });
  m.ledger("commission_hours", [](const State& s, sim::Ledger& l) {
    l.used.push_back(s.commission_core_hours + s.commission_case_hours);
    l.available.push_back(s.parameters.commission.staff_hours);
  });
  return m;
}

}  // namespace coordsim::models::society
