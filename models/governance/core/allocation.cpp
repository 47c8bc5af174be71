// Allocation of a department's hours (MODEL.md §3.1). Each step a department subtracts the hours
// it has already spent (the lead's chasing and coordinating, coordination meetings), then splits
// the rest between its home work and every joint item it may work on by a multinomial logit with
// temperature T over the utilities of §3.1: home work weighs w_home x urgency(backlog); an item
// weighs (1-β)[w_assess + λ_att·attention + λ_chase·pressure + λ_acc·p·penalty·overdue +
// λ_align·alignment]·urgency(deadline) - coordination cost. Departmentalism β is the 本位主义 of S0,
// the attention term the "领导关注和重视的程度往往决定了工作推进的效果" of S4, alignment the goal
// conflict of S1. A lead under outcome_only assessment may also work on its tasks' overdue items
// owned by others, at an expertise penalty (S0 "配合部门不积极,牵头部门跑断腿"). Work reaches items
// as messages to the task phase, so no two threads write one item.
#include "allocation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "assessment.hpp"
#include "discipline.hpp"
#include "levels.hpp"
#include "mechanisms.hpp"
#include "lead.hpp"

namespace coordsim::models::governance {

namespace {
// The standard normal home-arrival noise of the departments of group g (4g .. 4g + 3) at a step.
std::array<double, 4> home_noise(const sim::StepContext& context, std::size_t group) {
  return sim::standard_normal_quantiles(context.rng.group_uniforms(context.step, group, purpose::kHomeArrivals));
}

// Scratch of one department's allocation, one slot per option it can have (Departments::max_options).
// Options live only while their department is allocated, so the scratch is one per thread, not one
// per department: it grows to the largest max_options of the worlds this thread has stepped, once.
struct OptionScratch {
  std::vector<double> utility, share, cap, hours, productivity;
  std::vector<std::uint32_t> item;
};

OptionScratch& option_scratch(std::size_t options) {
  thread_local OptionScratch scratch;
  if (scratch.item.size() < options) {
    for (auto* v : {&scratch.utility, &scratch.share, &scratch.cap, &scratch.hours, &scratch.productivity})
      v->resize(options);
    scratch.item.resize(options);
  }
  return scratch;
}
}  // namespace

void allocate_department(State& s, std::size_t dept, const sim::StepContext& context) {
  constexpr std::size_t kGroup = sim::Rng::kGroupSize;
  allocate_department(s, dept, context, home_noise(context, dept / kGroup)[dept % kGroup]);
}

namespace {

// Allocation of department `dept` with `options` large enough for its options.
void allocate(State& s, std::size_t dept, const sim::StepContext& context, double noise, OptionScratch& options) {
  const Parameters& p = s.parameters;
  const auto step = static_cast<std::int64_t>(context.step);
  auto& d = s.departments;
  const auto& it = s.items;
  const auto& t = s.tasks;
  const auto& a = p.allocation;

  // Home arrivals of this step.
  d.backlog[dept] += d.home_rate[dept] * std::max(0.0, 1.0 + p.departments.home_noise * noise);

  // Hours already spent this step: the lead's chasing and coordinating, then meetings.
  const double capacity = d.capacity[dept];
  // Reports, briefings, consultations, training and seconded staff (mechanisms phase) come first too.
  double available = std::max(0.0, capacity - d.chasing[dept] - d.coordinating_lead[dept] - mechanism_hours(s, dept));
  double meetings = 0.0;
  if (p.costs.meeting_every > 0 && p.costs.meeting_hours > 0.0) {
    for (std::uint32_t k = d.relation_begin[dept]; k < d.relation_begin[dept + 1]; ++k) {
      const auto task = s.relations.task[d.relations[k]];
      if (task_open(s, task, step) && (step - t.start[task]) % p.costs.meeting_every == 0)
        meetings += std::min(p.costs.meeting_hours, available - meetings);
    }
  }
  d.meetings[dept] = meetings;
  available -= meetings;

  // Options: 0 = home work, then own available items, then (lead under outcome_only) overdue items
  // of led tasks owned by others.
  double* utility = options.utility.data();
  double* cap = options.cap.data();
  double* productivity = options.productivity.data();
  std::uint32_t* option_item = options.item.data();
  std::size_t n = 1;
  utility[0] = a.w_home * home_urgency(d.backlog[dept] / capacity, a.home_urgency_half);
  cap[0] = 0.0;

  const double beta = d.departmentalism[dept];
  const double lead_rank = p.effective_lead_rank();
  const double accountability = a.lambda_accountability * p.accountability.probability * p.accountability.penalty;
  const double owner_weight = assessment_weight(p.assessment, false, lead_rank);
  for (std::uint32_t k = d.owned_begin[dept]; k < d.owned_begin[dept + 1]; ++k) {
    const std::uint32_t item = d.owned[k];
    if (!item_available(s, item, step)) continue;
    const auto task = it.task[item];
    const auto relation = it.relation[item];
    const std::int64_t slack_steps = it.deadline[item] - step;
    const double drive = owner_weight + a.lambda_attention * felt_attention(s, task) +
                         a.lambda_chase * owner_pressure(s, relation) +
                         (slack_steps < 0 ? overdue_accountability(s, task, accountability) : 0.0) +
                         a.lambda_alignment * s.relations.alignment[relation];
    utility[n] = (1.0 - beta) * drive * deadline_urgency(s, slack_steps) - p.costs.coordination;
    productivity[n] = d.expertise[dept] * implementation_factor(s, item);
    cap[n] = it.remaining[item] / productivity[n];
    option_item[n] = item;
    ++n;
  }
  const std::size_t own_end = n;
  if (p.lead.substitute && p.assessment.regime == Regime::OutcomeOnly) {
    const double lead_weight = assessment_weight(p.assessment, true, lead_rank);
    const double substitute_productivity = d.expertise[dept] * p.lead.substitute_expertise;
    for (std::uint32_t k = d.led_begin[dept]; k < d.led_begin[dept + 1]; ++k) {
      const auto task = d.led[k];
      if (!task_open(s, task, step)) continue;
      const double drive = lead_weight + a.lambda_attention * t.attention[task] + accountability +
                           a.lambda_alignment * t.lead_alignment[task];
      const double u = (1.0 - beta) * drive - p.costs.coordination;  // overdue: urgency 1
      for (std::uint32_t item = t.item_begin[task]; item < t.item_begin[task + 1]; ++item) {
        if (it.deadline[item] >= step || !item_available(s, item, step)) continue;
        utility[n] = u;
        productivity[n] = substitute_productivity;
        cap[n] = it.remaining[item] / substitute_productivity;
        option_item[n] = item;
        ++n;
      }
    }
  }

  double* share = options.share.data();
  double* hours = options.hours.data();
  logit_shares({utility, n}, a.temperature, {share, n});
  const HoursSplit split = split_hours(available, {share, n}, {cap, n}, d.backlog[dept], {hours, n});

  double own = 0.0, others = 0.0;
  for (std::size_t j = 1; j < n; ++j) {
    if (hours[j] <= 0.0) continue;
    (j < own_end ? own : others) += hours[j];
    s.work.post(dept, it.task[option_item[j]], WorkDelivery{option_item[j], hours[j] * productivity[j]});
  }
  d.backlog[dept] -= split.home;
  d.home[dept] = split.home;
  d.joint_own[dept] = own;
  d.doing_others[dept] = others;
  d.idle[dept] = split.idle;
}

}  // namespace

void allocate_department(State& s, std::size_t dept, const sim::StepContext& context, double noise) {
  allocate(s, dept, context, noise, option_scratch(s.departments.max_options));
}

void run_departments_phase(State& s, const sim::StepContext& context) {
  constexpr std::size_t kGroup = sim::Rng::kGroupSize;
  const std::size_t n = s.departments.size();
  context.execution.for_each((n + kGroup - 1) / kGroup, 16, [&](std::size_t group) {
    const auto noise = home_noise(context, group);
    OptionScratch& options = option_scratch(s.departments.max_options);
    for (std::size_t j = 0; j < kGroup && group * kGroup + j < n; ++j)
      allocate(s, group * kGroup + j, context, noise[j], options);
  });
  s.work.deliver();
}

}  // namespace coordsim::models::governance
