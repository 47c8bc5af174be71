// The core of the governance model (ODD "Entities, state variables and scales", "Process
// overview"): departments, joint tasks, work items and lead-owner relations, stepped by the four
// phases of MODEL.md §3 — leadership shares attention (§3.3), leads chase and escalate (§3.2),
// departments split their hours (§3.1), tasks apply the delivered work (§3.7) — and its outcomes
// (MODEL.md §5): items done on time / late / missing / open, progress, completion and synergy of
// joint tasks; hours of departments by use and of leads (chasing, coordinating, doing others'
// items: the "牵头部门跑断腿" of S0 made countable); trust, cooperation degree (配合度, S0: share of
// a department's due items delivered on time) and leadership attention (S4). Reductions run in a
// fixed order on one thread, so records do not depend on the thread count.
#include <cmath>
#include <limits>

#include "allocation.hpp"
#include "composition.hpp"
#include "lead.hpp"
#include "leadership.hpp"
#include "mechanisms.hpp"
#include "tasks.hpp"

namespace coordsim::models::governance {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using sim::Aggregation;

// Items of a department due by `step`, and those delivered on time (its cooperation degree is
// kept / due). Inlined: the tally calls it for every department at every step.
struct DueItems {
  std::uint32_t due = 0, kept = 0;
};
[[gnu::always_inline]] inline DueItems due_items(const State& s, std::size_t department, std::int64_t step) {
  const auto& d = s.departments;
  const auto& it = s.items;
  DueItems count;
  for (std::uint32_t k = d.owned_begin[department]; k < d.owned_begin[department + 1]; ++k) {
    const auto item = d.owned[k];
    if (it.deadline[item] > step) continue;
    ++count.due;
    if (it.done_step[item] != kNotDone && it.on_time[item]) ++count.kept;
  }
  return count;
}

// Sum of the departments' cooperation degrees (a department's share of its items due by `step`
// delivered on time) over the departments with items due, and their number. kKeep also stores
// every department's degree (NaN: none due) in `degrees`: at steps whose agent outcomes are
// recorded, for their reporter. Two instantiations, so that the usual steps pay no test per
// department.
struct Cooperation {
  double sum = 0.0, departments = 0.0;
};
template <bool kKeep>
[[gnu::always_inline]] inline Cooperation cooperation(const State& s, std::int64_t step, double* degrees) {
  Cooperation total;
  for (std::size_t i = 0; i < s.departments.size(); ++i) {
    const DueItems c = due_items(s, i, step);
    if (c.due > 0) {
      const double degree = static_cast<double>(c.kept) / c.due;
      total.sum += degree;
      total.departments += 1.0;
      if constexpr (kKeep) degrees[i] = degree;
    } else if constexpr (kKeep) {
      degrees[i] = kNaN;
    }
  }
  return total;
}

double task_progress(const Tasks& t, std::size_t task) {
  return t.total_work[task] > 0.0 ? t.done_work[task] / t.total_work[task] : 1.0;
}

// Reductions of one step shared by the series, and the run totals.
void tally(State& s, std::size_t step_index, bool agents_due) {
  const auto step = static_cast<std::int64_t>(step_index);
  const auto& d = s.departments;
  const auto& t = s.tasks;
  CoreTally y;  // a local: sums kept in registers, not stored through `s` at every element
  for (std::size_t task = 0; task < t.size(); ++task) {
    y.on_time += t.on_time[task];
    y.late += t.late[task];
    y.missing += t.missing[task];
    y.open += t.open[task];
    y.progress += task_progress(t, task);
    y.completed += t.completed_step[task] != kNotDone ? 1.0 : 0.0;
    y.synergy += t.synergy[task];
    if (t.claim[task] > 0.0) {
      y.attention += t.attention[task];
      y.open_tasks += 1.0;
    }
  }
  for (std::size_t i = 0; i < d.size(); ++i) {
    y.chasing += d.chasing[i];
    y.coordinating += d.coordinating_lead[i];
    y.doing_others += d.doing_others[i];
    y.joint += d.joint_own[i] + d.doing_others[i];
  }
  for (std::size_t r = 0; r < s.relations.size(); ++r) y.trust += s.relations.trust[r];
  Cooperation c;
  if (agents_due) {
    s.cooperation_degrees.resize(d.size());
    c = cooperation<true>(s, step, s.cooperation_degrees.data());
  } else {
    c = cooperation<false>(s, step, nullptr);
  }
  y.cooperation = c.sum;
  y.cooperating = c.departments;
  s.tally = y;
  s.totals.lead_chasing += y.chasing;
  s.totals.lead_coordinating += y.coordinating;
  s.totals.lead_doing_others += y.doing_others;
  s.totals.hours_joint += y.joint;
}

// Material items due within the run, and those done on time.
std::pair<double, double> material_due_kept(const State& s, std::size_t steps) {
  const auto& it = s.items;
  double due = 0, kept = 0;
  for (std::size_t item = 0; item < it.size(); ++item) {
    if (!it.material[item] || it.deadline[item] >= static_cast<std::int64_t>(steps)) continue;
    due += 1.0;
    if (it.done_step[item] != kNotDone && it.on_time[item]) kept += 1.0;
  }
  return {due, kept};
}

double mean_trust(const State& s) {
  double trust = 0.0;
  for (const double value : s.relations.trust) trust += value;
  return s.relations.size() > 0 ? trust / static_cast<double>(s.relations.size()) : kNaN;
}

// A per-department variable computed agent by agent.
template <class Value>
std::function<void(const State&, std::size_t, double*)> per_department(Value value) {
  return [value](const State& s, std::size_t step, double* row) {
    for (std::size_t i = 0; i < s.departments.size(); ++i) row[i] = value(s, i, static_cast<std::int64_t>(step));
  };
}
template <class Value>
std::function<void(const State&, std::size_t, double*)> per_task(Value value) {
  return [value](const State& s, std::size_t, double* row) {
    for (std::size_t task = 0; task < s.tasks.size(); ++task) row[task] = value(s.tasks, task);
  };
}

void declare_reporters(GovernanceMechanism& m) {
  const auto tasks = [](const State& s) { return static_cast<double>(s.tasks.size()); };
  m.series({"items_on_time", "count", "Items done by their deadline"}, Aggregation::Sum,
           [](const State& s) { return s.tally.on_time; })
      .series({"items_late", "count", "Items done after their deadline"}, Aggregation::Sum,
              [](const State& s) { return s.tally.late; })
      .series({"items_missing", "count", "Open items past deadline plus the grace window tasks.missing_after"},
              Aggregation::Sum, [](const State& s) { return s.tally.missing; })
      .series({"items_open", "count", "Open items not (yet) missing"}, Aggregation::Sum,
              [](const State& s) { return s.tally.open; })
      .series({"progress", "1", "Mean over tasks of the fraction of item work done"}, Aggregation::Mean,
              [tasks](const State& s) { return s.tally.progress / tasks(s); })
      .series({"tasks_completed", "count", "Tasks whose every item is done"}, Aggregation::Sum,
              [](const State& s) { return s.tally.completed; })
      .series({"synergy_ratio", "1", "Mean over tasks of joint output over the sum of parts"}, Aggregation::Mean,
              [tasks](const State& s) { return s.tally.synergy / tasks(s); })
      .series({"lead_hours_chasing", "h", "Hours leads spent chasing owners this step"}, Aggregation::Sum,
              [](const State& s) { return s.tally.chasing; })
      .series({"lead_hours_coordinating", "h", "Hours leads spent coordinating (overhead, meetings, escalations)"},
              Aggregation::Sum, [](const State& s) { return s.tally.coordinating; })
      .series({"lead_hours_doing_others", "h", "Hours leads spent doing other departments' items"}, Aggregation::Sum,
              [](const State& s) { return s.tally.doing_others; })
      .series({"hours_joint_work", "h", "Hours all departments spent on joint work items"}, Aggregation::Sum,
              [](const State& s) { return s.tally.joint; })
      .series({"mean_trust", "1", "Mean trust over task relations"}, Aggregation::Mean,
              [](const State& s) {
                const auto n = s.relations.size();
                return n > 0 ? s.tally.trust / static_cast<double>(n) : kNaN;
              })
      .series({"mean_cooperation_degree", "1", "Mean over departments with due items of the share delivered on time"},
              Aggregation::Mean,
              [](const State& s) { return s.tally.cooperating > 0 ? s.tally.cooperation / s.tally.cooperating : kNaN; })
      .series({"leadership_attention", "1", "Mean leadership attention over open tasks (0 when none is open)"},
              Aggregation::Mean,
              [](const State& s) { return s.tally.open_tasks > 0 ? s.tally.attention / s.tally.open_tasks : 0.0; })
      .series({"escalations", "count", "Items escalated to leadership this step"}, Aggregation::Sum,
              [](const State& s) { return static_cast<double>(s.escalations_posted); });

  const char* department = "department";
  m.agents(department, {"hours_joint", "h", "Hours on joint items (own and, for a lead, others')"},
           per_department([](const State& s, std::size_t i, std::int64_t) {
             return s.departments.joint_own[i] + s.departments.doing_others[i];
           }))
      .agents(department, {"hours_home", "h", "Hours on home work"},
              per_department([](const State& s, std::size_t i, std::int64_t) { return s.departments.home[i]; }))
      .agents(department, {"hours_idle", "h", "Hours left unused"},
              per_department([](const State& s, std::size_t i, std::int64_t) { return s.departments.idle[i]; }))
      .agents(department, {"hours_available", "h", "Staff hours of the step"},
              per_department([](const State& s, std::size_t i, std::int64_t) { return s.departments.capacity[i]; }))
      .agents(department, {"hours_coordination", "h", "Hours in meetings and, for a lead, coordinating"},
              per_department([](const State& s, std::size_t i, std::int64_t) {
                return s.departments.meetings[i] + s.departments.coordinating_lead[i];
              }))
      .agents(department,
              {"cooperation_degree", "1", "Share of the department's due items delivered on time (NaN: none due)"},
              per_department([](const State& s, std::size_t i, std::int64_t) { return s.cooperation_degrees[i]; }))
      .agents(department, {"trust", "1", "Mean trust over the department's task relations (NaN: none)"},
              per_department([](const State& s, std::size_t i, std::int64_t) {
                const auto& d = s.departments;
                double sum = 0.0;
                for (std::uint32_t k = d.relation_begin[i]; k < d.relation_begin[i + 1]; ++k)
                  sum += s.relations.trust[d.relations[k]];
                const std::uint32_t held = d.relation_begin[i + 1] - d.relation_begin[i];
                return held > 0 ? sum / held : kNaN;
              }))
      .agents(department, {"lead_hours_chasing", "h", "Hours chasing owners, as a lead"},
              per_department([](const State& s, std::size_t i, std::int64_t) { return s.departments.chasing[i]; }))
      .agents(
          department, {"lead_hours_doing_others", "h", "Hours doing other departments' items, as a lead"},
          per_department([](const State& s, std::size_t i, std::int64_t) { return s.departments.doing_others[i]; }));

  m.agents("task", {"progress", "1", "Fraction of the task's item work done"}, per_task(task_progress))
      .agents("task", {"completed", "1", "1 when every item is done"},
              per_task([](const Tasks& t, std::size_t task) { return t.completed_step[task] != kNotDone ? 1.0 : 0.0; }))
      .agents("task", {"attention", "1", "Leadership attention to the task"},
              per_task([](const Tasks& t, std::size_t task) { return t.attention[task]; }));

  m.summary({"share_on_time", "1", "Share of material items due within the run that were done on time"}, true,
            Aggregation::Mean,
            [](const State& s, std::size_t steps) {
              const auto [due, kept] = material_due_kept(s, steps);
              return due > 0 ? kept / due : kNaN;
            })
      .summary({"share_late_or_missing", "1", "Share of material items due within the run done late or still open"},
               true, Aggregation::Mean,
               [](const State& s, std::size_t steps) {
                 const auto [due, kept] = material_due_kept(s, steps);
                 return due > 0 ? 1.0 - kept / due : kNaN;
               })
      .summary(
          {"mean_completion_step", "steps", "Mean steps to task completion (uncompleted tasks count the run length)"},
          true, Aggregation::Mean,
          [](const State& s, std::size_t steps) {
            const auto& t = s.tasks;
            double completion = 0.0;
            for (std::size_t task = 0; task < t.size(); ++task)
              completion += t.completed_step[task] != kNotDone ? static_cast<double>(t.completed_step[task] + 1)
                                                               : static_cast<double>(steps);
            return completion / static_cast<double>(t.size());
          })
      .summary({"lead_hours_own_total", "h", "Lead hours chasing, coordinating and doing others' items, whole run"},
               true, Aggregation::Sum,
               [](const State& s, std::size_t) {
                 return s.totals.lead_chasing + s.totals.lead_coordinating + s.totals.lead_doing_others;
               })
      .summary({"lead_hours_doing_others", "h", "Lead hours doing other departments' items, whole run"}, false,
               Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.lead_doing_others; })
      .summary({"mean_trust_final", "1", "Mean trust over task relations at the end"}, false, Aggregation::Mean,
               [](const State& s, std::size_t) { return mean_trust(s); })
      .summary({"hours_joint_total", "h", "Hours all departments spent on joint items, whole run"}, true,
               Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.hours_joint; })
      .summary({"synergy_ratio_final", "1", "Mean over tasks of joint output over the sum of parts at the end"}, false,
               Aggregation::Mean, [](const State& s, std::size_t) {
                 double synergy = 0.0;
                 for (const double value : s.tasks.synergy) synergy += value;
                 return synergy / static_cast<double>(s.tasks.size());
               });
}

}  // namespace

GovernanceMechanism core_mechanism() {
  GovernanceMechanism m("core");
  declare_core_parameters(m.parameters());
  m.check(check_core_parameters);
  m.init(generate_core);
  m.step(kPhaseLeadership, "share attention", run_leadership_phase)
      .step(kPhaseLead, "chase and escalate", run_lead_phase)
      .step(kPhaseDepartments, "allocate hours", run_departments_phase)
      .step(kPhaseTasks, "apply work", run_tasks_phase);
  m.agent_kind("department", [](const Parameters& p) {
     return static_cast<std::size_t>(p.departments.count);
   }).agent_kind("task", [](const Parameters& p) { return static_cast<std::size_t>(p.tasks.count); });
  m.tally(tally);
  declare_reporters(m);
  // Every department's hours: the mechanisms' hours committed before allocation plus the uses of
  // the lead and department phases never exceed its staff hours.
  m.ledger("hours", [](const State& s, sim::Ledger& ledger) {
    const auto& d = s.departments;
    for (std::size_t i = 0; i < d.size(); ++i) {
      ledger.used.push_back(d.chasing[i] + d.coordinating_lead[i] + d.meetings[i] + d.joint_own[i] + d.doing_others[i] +
                            d.home[i] + mechanism_hours(s, i));
      ledger.available.push_back(d.capacity[i]);
    }
  });
  return m;
}

}  // namespace coordsim::models::governance
