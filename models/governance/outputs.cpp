// Outcomes of the governance model (MODEL.md §5): items done on time / late / missing / open,
// progress, completion and synergy of joint tasks; hours of departments by use (joint work, home
// work, coordination, idle) and of leads (chasing, coordinating, doing others' items — the
// "牵头部门跑断腿" of S0 made countable); trust, cooperation degree (配合度, S0: share of a
// department's due items delivered on time) and leadership attention (S4). Reductions run in a
// fixed order on one thread, so records do not depend on the thread count.
#include "outputs.hpp"

#include "grassroots_outputs.hpp"
#include "mechanism_outputs.hpp"

#include <cmath>
#include <limits>

namespace coordsim::models::governance {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

sim::OutputLayout make_layout(std::size_t departments, std::size_t tasks, std::size_t townships) {
  sim::OutputLayout layout;
  layout.series = {
      {"items_on_time", "count", "Items done by their deadline"},
      {"items_late", "count", "Items done after their deadline"},
      {"items_missing", "count", "Open items past deadline plus the grace window tasks.missing_after"},
      {"items_open", "count", "Open items not (yet) missing"},
      {"progress", "1", "Mean over tasks of the fraction of item work done"},
      {"tasks_completed", "count", "Tasks whose every item is done"},
      {"synergy_ratio", "1", "Mean over tasks of joint output over the sum of parts"},
      {"lead_hours_chasing", "h", "Hours leads spent chasing owners this step"},
      {"lead_hours_coordinating", "h", "Hours leads spent coordinating (overhead, meetings, escalations)"},
      {"lead_hours_doing_others", "h", "Hours leads spent doing other departments' items"},
      {"hours_joint_work", "h", "Hours all departments spent on joint work items"},
      {"mean_trust", "1", "Mean trust over task relations"},
      {"mean_cooperation_degree", "1", "Mean over departments with due items of the share delivered on time"},
      {"leadership_attention", "1", "Mean leadership attention over open tasks (0 when none is open)"},
      {"escalations", "count", "Items escalated to leadership this step"},
  };
  layout.agent_kinds = {
      {"department",
       departments,
       {
           {"hours_joint", "h", "Hours on joint items (own and, for a lead, others')"},
           {"hours_home", "h", "Hours on home work"},
           {"hours_idle", "h", "Hours left unused"},
           {"hours_available", "h", "Staff hours of the step"},
           {"hours_coordination", "h", "Hours in meetings and, for a lead, coordinating"},
           {"cooperation_degree", "1", "Share of the department's due items delivered on time (NaN: none due)"},
           {"trust", "1", "Mean trust over the department's task relations (NaN: none)"},
           {"lead_hours_chasing", "h", "Hours chasing owners, as a lead"},
           {"lead_hours_doing_others", "h", "Hours doing other departments' items, as a lead"},
       }},
      {"task",
       tasks,
       {
           {"progress", "1", "Fraction of the task's item work done"},
           {"completed", "1", "1 when every item is done"},
           {"attention", "1", "Leadership attention to the task"},
       }},
  };
  layout.summaries = {
      {{"share_on_time", "1", "Share of material items due within the run that were done on time"}, true},
      {{"share_late_or_missing", "1", "Share of material items due within the run done late or still open"}, true},
      {{"mean_completion_step", "steps", "Mean steps to task completion (uncompleted tasks count the run length)"}, true},
      {{"lead_hours_own_total", "h", "Lead hours chasing, coordinating and doing others' items, whole run"}, true},
      {{"lead_hours_doing_others", "h", "Lead hours doing other departments' items, whole run"}, false},
      {{"mean_trust_final", "1", "Mean trust over task relations at the end"}, false},
      {{"hours_joint_total", "h", "Hours all departments spent on joint items, whole run"}, true},
      {{"synergy_ratio_final", "1", "Mean over tasks of joint output over the sum of parts at the end"}, false},
  };
  append_mechanism_outputs(layout);  // county-level mechanisms, after the indices above
  append_grassroots_outputs(layout, townships);  // grassroots and citizens, after the mechanisms
  return layout;
}

void record_step(State& s, std::size_t step_index, sim::Recorder& recorder) {
  const auto step = static_cast<std::int64_t>(step_index);
  const auto& d = s.departments;
  const auto& t = s.tasks;
  const auto& it = s.items;
  const auto& rel = s.relations;
  double* row = recorder.series_row(step_index);

  double on_time = 0, late = 0, missing = 0, open = 0, progress = 0, completed = 0, synergy = 0;
  double attention = 0, open_tasks = 0;
  for (std::size_t task = 0; task < t.size(); ++task) {
    on_time += t.on_time[task];
    late += t.late[task];
    missing += t.missing[task];
    open += t.open[task];
    progress += t.total_work[task] > 0.0 ? t.done_work[task] / t.total_work[task] : 1.0;
    completed += t.completed_step[task] != kNotDone ? 1.0 : 0.0;
    synergy += t.synergy[task];
    if (t.claim[task] > 0.0) {
      attention += t.attention[task];
      open_tasks += 1.0;
    }
  }
  const double n_tasks = static_cast<double>(t.size());
  double chasing = 0, coordinating = 0, doing_others = 0, joint = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    chasing += d.chasing[i];
    coordinating += d.coordinating_lead[i];
    doing_others += d.doing_others[i];
    joint += d.joint_own[i] + d.doing_others[i];
  }
  double trust = 0;
  for (std::size_t r = 0; r < rel.size(); ++r) trust += rel.trust[r];

  const bool agents = recorder.agents_due(step_index);
  double* cooperation_row = agents ? recorder.agent_row(kDepartmentKind, kDeptCooperationDegree, step_index) : nullptr;
  double cooperation = 0, cooperating = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    std::uint32_t due = 0, kept = 0;
    for (std::uint32_t k = d.owned_begin[i]; k < d.owned_begin[i + 1]; ++k) {
      const auto item = d.owned[k];
      if (it.deadline[item] > step) continue;
      ++due;
      if (it.done_step[item] != kNotDone && it.on_time[item]) ++kept;
    }
    const double degree = due > 0 ? static_cast<double>(kept) / due : kNaN;
    if (due > 0) {
      cooperation += degree;
      cooperating += 1.0;
    }
    if (agents) cooperation_row[i] = degree;
  }

  row[kItemsOnTime] = on_time;
  row[kItemsLate] = late;
  row[kItemsMissing] = missing;
  row[kItemsOpen] = open;
  row[kProgress] = progress / n_tasks;
  row[kTasksCompleted] = completed;
  row[kSynergyRatio] = synergy / n_tasks;
  row[kLeadHoursChasing] = chasing;
  row[kLeadHoursCoordinating] = coordinating;
  row[kLeadHoursDoingOthers] = doing_others;
  row[kHoursJointWork] = joint;
  row[kMeanTrust] = rel.size() > 0 ? trust / static_cast<double>(rel.size()) : kNaN;
  row[kMeanCooperationDegree] = cooperating > 0 ? cooperation / cooperating : kNaN;
  row[kLeadershipAttention] = open_tasks > 0 ? attention / open_tasks : 0.0;
  row[kEscalations] = s.escalations_posted;

  s.totals.lead_chasing += chasing;
  s.totals.lead_coordinating += coordinating;
  s.totals.lead_doing_others += doing_others;
  s.totals.hours_joint += joint;

  if (!agents) return;
  double* hours_joint = recorder.agent_row(kDepartmentKind, kDeptHoursJoint, step_index);
  double* hours_home = recorder.agent_row(kDepartmentKind, kDeptHoursHome, step_index);
  double* hours_idle = recorder.agent_row(kDepartmentKind, kDeptHoursIdle, step_index);
  double* hours_available = recorder.agent_row(kDepartmentKind, kDeptHoursAvailable, step_index);
  double* hours_coordination = recorder.agent_row(kDepartmentKind, kDeptHoursCoordination, step_index);
  double* trust_row = recorder.agent_row(kDepartmentKind, kDeptTrust, step_index);
  double* chasing_row = recorder.agent_row(kDepartmentKind, kDeptLeadHoursChasing, step_index);
  double* others_row = recorder.agent_row(kDepartmentKind, kDeptLeadHoursDoingOthers, step_index);
  for (std::size_t i = 0; i < d.size(); ++i) {
    hours_joint[i] = d.joint_own[i] + d.doing_others[i];
    hours_home[i] = d.home[i];
    hours_idle[i] = d.idle[i];
    hours_available[i] = d.capacity[i];
    hours_coordination[i] = d.meetings[i] + d.coordinating_lead[i];
    double sum = 0.0;
    for (std::uint32_t k = d.relation_begin[i]; k < d.relation_begin[i + 1]; ++k) sum += rel.trust[d.relations[k]];
    const std::uint32_t held = d.relation_begin[i + 1] - d.relation_begin[i];
    trust_row[i] = held > 0 ? sum / held : kNaN;
    chasing_row[i] = d.chasing[i];
    others_row[i] = d.doing_others[i];
  }
  double* progress_row = recorder.agent_row(kTaskKind, kTaskProgress, step_index);
  double* completed_row = recorder.agent_row(kTaskKind, kTaskCompleted, step_index);
  double* attention_row = recorder.agent_row(kTaskKind, kTaskAttention, step_index);
  for (std::size_t task = 0; task < t.size(); ++task) {
    progress_row[task] = t.total_work[task] > 0.0 ? t.done_work[task] / t.total_work[task] : 1.0;
    completed_row[task] = t.completed_step[task] != kNotDone ? 1.0 : 0.0;
    attention_row[task] = t.attention[task];
  }
}

void summarize_run(const State& s, std::size_t steps, sim::Recorder& recorder) {
  const auto& it = s.items;
  const auto& t = s.tasks;
  double due = 0, kept = 0;
  for (std::size_t item = 0; item < it.size(); ++item) {
    if (!it.material[item] || it.deadline[item] >= static_cast<std::int64_t>(steps)) continue;
    due += 1.0;
    if (it.done_step[item] != kNotDone && it.on_time[item]) kept += 1.0;
  }
  double completion = 0.0;
  for (std::size_t task = 0; task < t.size(); ++task)
    completion += t.completed_step[task] != kNotDone ? static_cast<double>(t.completed_step[task] + 1)
                                                      : static_cast<double>(steps);
  double trust = 0.0;
  for (const double value : s.relations.trust) trust += value;
  double synergy = 0.0;
  for (const double value : t.synergy) synergy += value;

  double* out = recorder.summaries();
  out[kShareOnTime] = due > 0 ? kept / due : kNaN;
  out[kShareLateOrMissing] = due > 0 ? 1.0 - kept / due : kNaN;
  out[kMeanCompletionStep] = completion / static_cast<double>(t.size());
  out[kLeadHoursOwnTotal] = s.totals.lead_chasing + s.totals.lead_coordinating + s.totals.lead_doing_others;
  out[kLeadHoursDoingOthersTotal] = s.totals.lead_doing_others;
  out[kMeanTrustFinal] = s.relations.size() > 0 ? trust / static_cast<double>(s.relations.size()) : kNaN;
  out[kHoursJointTotal] = s.totals.hours_joint;
  out[kSynergyRatioFinal] = synergy / static_cast<double>(t.size());
}

}  // namespace coordsim::models::governance
