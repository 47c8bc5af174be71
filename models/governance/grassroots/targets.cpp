// Target management (MODEL.md §4.4, §3.5; seed S2 "基层要有几双手"). Every township receives the
// same plan of downward tasks from county departments ("上面千条线,底下一根针"); the first
// targets.dispatched are dispatched and ranked (调度评比: a report of targets.forms_per_report forms
// every targets.report_every steps, S2 "大大小小总共13项,而且全都要调度评比"), weigh
// targets.dispatched_weight in assessment and are rigid; the others weigh targets.other_weight. A
// target set at the top is raised by 1 + e at each of targets.levels levels (层层加码: the vaccine
// "百分百完成" and the 95% insurance floor of S2), and the work a task needs grows with its target,
// while attainment cannot pass targets.ceiling (voluntary schemes). When the target is missed the
// township reports part of the gap as achieved (形式主义/痕迹管理): real and reported attainment
// are both kept. Under targets.conflict tasks 0 and 1 are the energy-supply and safety targets of
// S2 ("不违规超能力生产,就完不成增产任务"): whatever the township chooses, one of them falls short
// and penalties cannot be avoided; it trades one off against the other by their assessment weights.
#include "targets.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "platform.hpp"

namespace coordsim::models::governance {

double escalated_target(const TargetParameters& t) noexcept {
  return std::min(t.target_cap, t.base_target * std::pow(1.0 + t.escalation, static_cast<double>(t.levels)));
}

double real_attainment(double delivered, double required, double target, double ceiling) noexcept {
  const double worked = required > 0.0 ? std::min(1.0, delivered / required) : 1.0;
  return std::min(ceiling, target * worked) / target;
}

double reported_attainment(double real, bool rigid, double formalism) noexcept {
  if (!rigid || real >= 1.0) return real;
  return real + formalism * (1.0 - real);
}

double conflict_choice(double supply_weight, double safety_weight) noexcept {
  const double sum = supply_weight + safety_weight;
  return sum > 0.0 ? supply_weight / sum : 0.5;
}

ConflictOutcome conflict_outcome(double gap, double lambda) noexcept {
  return {1.0 - gap * (1.0 - lambda), 1.0 - gap * lambda};
}

void build_task_plan(const Parameters& p, TaskPlan& plan) {
  const auto& t = p.targets;
  const auto n = static_cast<std::size_t>(p.grassroots.tasks);
  const double target = escalated_target(t);
  plan.weight.assign(n, t.other_weight);
  plan.target.assign(n, target);
  plan.required.assign(n, p.grassroots.task_hours * target / t.base_target);
  plan.rigid.assign(n, 0);
  plan.dispatched.assign(n, 0);
  for (std::size_t m = 0; m < n && m < static_cast<std::size_t>(t.dispatched); ++m) {
    plan.dispatched[m] = 1;
    plan.rigid[m] = 1;
    plan.weight[m] = t.dispatched_weight;
  }
  if (t.conflict && n >= 2) {
    plan.rigid[0] = plan.rigid[1] = 1;
    plan.weight[0] = t.supply_weight;
    plan.weight[1] = t.safety_weight;
  }
  plan.order.resize(n);
  std::iota(plan.order.begin(), plan.order.end(), 0u);
  // Rigid tasks first, then by weight (疲态治理: what is ranked and checked is served first).
  std::stable_sort(plan.order.begin(), plan.order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (plan.rigid[a] != plan.rigid[b]) return plan.rigid[a] > plan.rigid[b];
    return plan.weight[a] > plan.weight[b];
  });
  const double dispatched = static_cast<double>(std::min<std::int64_t>(t.dispatched, p.grassroots.tasks));
  plan.reporting_hours = dispatched * t.forms_per_report * t.hours_per_form / static_cast<double>(t.report_every) *
                         paperwork_factor(p.platform);
}

void assess_township(State& s, std::size_t j, const sim::StepContext& context) {
  const auto& t = s.parameters.targets;
  auto& g = s.grassroots;
  auto& tw = g.townships;
  const auto n = g.plan.weight.size();
  auto stream = context.rng.stream(context.step, j, purpose::kAssessment);
  const double noise = stream.normal();
  const double lambda =
      std::clamp(conflict_choice(t.supply_weight, t.safety_weight) + t.conflict_noise * noise, 0.0, 1.0);
  const ConflictOutcome outcome = conflict_outcome(t.conflict_gap, lambda);
  double real_sum = 0.0, reported_sum = 0.0;
  std::uint32_t penalties = 0;
  for (std::size_t m = 0; m < n; ++m) {
    const std::size_t k = j * n + m;
    double real = real_attainment(tw.task_delivered[k], tw.task_required[k], g.plan.target[m], t.ceiling);
    if (t.conflict && m == 0) real *= outcome.supply;
    if (t.conflict && m == 1) real *= outcome.safety;
    const bool rigid = g.plan.rigid[m] != 0;
    const double reported = reported_attainment(real, rigid, t.formalism);
    const bool found = stream.uniform() < t.inspection_probability;
    if (rigid && real < 1.0 - t.tolerance && found) ++penalties;
    real_sum += real;
    reported_sum += reported;
    if (t.conflict && m == 0) tw.supply_sum[j] += real;
    if (t.conflict && m == 1) tw.safety_sum[j] += real;
    tw.task_delivered[k] = 0.0;
    tw.task_required[k] = 0.0;
  }
  if (n == 0) return;
  tw.attainment_real[j] = real_sum / static_cast<double>(n);
  tw.attainment_reported[j] = reported_sum / static_cast<double>(n);
  tw.real_sum[j] += tw.attainment_real[j];
  tw.reported_sum[j] += tw.attainment_reported[j];
  tw.periods[j] += 1.0;
  tw.penalties[j] = penalties;
  tw.penalties_total[j] += penalties;
}

}  // namespace coordsim::models::governance
