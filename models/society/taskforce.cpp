// Task forces (工作专班, MODEL.md §3.7; seed S0). When taskforce.enabled every joint task gets a task
// force: staff_per_participant persons seconded from each participant department for the task's
// active life, their hours taken from the home department's staff (no extra staff). Each seconded
// person splits its hours by the same logit as every agent over: its role's items (the home
// department's items of the task, when roles are assigned: utility w_role × urgency), items nobody
// assigned to it (without roles: w_unassigned, little to choose, S0 李冰 "到岗两个多月仍没下一线"),
// calls from its home department (its pull is the home department's β and home backlog, unless the
// person is detached), the task force's coordination meeting, and idleness. Productivity starts at
// onboarding_start and reaches one after onboarding_steps; work done without the meeting is less
// coordinated (× (0.5 + 0.5 × attendance)), so a task force can fail to work as one (S0 "协同后仍是
// 各干各的").
#include <algorithm>
#include <array>
#include <cmath>

#include "choice.hpp"
#include "society.hpp"

namespace coordsim::models::society {
namespace {

using sim::Aggregation;

void init_taskforce(State& s, const sim::Rng&) {
  const auto& p = s.parameters.taskforce;
  s.seconded_hours.assign(s.departments.size(), 0.0);
  if (!p.enabled) return;
  auto& c = s.seconded;
  for (std::uint32_t t = 0; t < s.tasks.size(); ++t) {
    std::vector<std::uint32_t> homes;
    for (auto item = s.tasks.items_begin[t]; item < s.tasks.items_begin[t + 1]; ++item)
      if (std::find(homes.begin(), homes.end(), s.items.owner[item]) == homes.end()) homes.push_back(s.items.owner[item]);
    for (const auto home : homes)
      for (std::int64_t k = 0; k < p.staff_per_participant; ++k) {
        c.task.push_back(t);
        c.home.push_back(home);
      }
  }
  for (auto* v : {&c.h_work, &c.h_home, &c.h_meeting, &c.h_idle, &c.idle_days}) v->assign(c.size(), 0.0);
}

bool active(const State& s, std::uint32_t task, std::int64_t step) {
  return s.tasks.start[task] <= step && s.tasks.completed_step[task] == kNever;
}

// Hours of each department's staff seconded this step (read by the departments' allocation).
void second_staff(State& s, const sim::StepContext& c) {
  const auto step = static_cast<std::int64_t>(c.step);
  std::fill(s.seconded_hours.begin(), s.seconded_hours.end(), 0.0);
  for (std::size_t k = 0; k < s.seconded.size(); ++k)
    if (active(s, s.seconded.task[k], step)) s.seconded_hours[s.seconded.home[k]] += s.parameters.taskforce.hours;
}

void work(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.taskforce;
  const auto step = static_cast<std::int64_t>(c.step);
  auto& sc = s.seconded;
  auto& it = s.items;
  auto& dep = s.departments;
  double meeting = 0.0, members = 0.0;
  for (std::size_t k = 0; k < sc.size(); ++k) {
    sc.h_work[k] = sc.h_home[k] = sc.h_meeting[k] = sc.h_idle[k] = 0.0;
    const auto t = sc.task[k];
    if (!active(s, t, step)) continue;
    const auto home = sc.home[k];
    const bool decided = !s.tasks.conflict[t] || s.tasks.decided_step[t] != kNever;
    const bool roles = p.roles && step >= s.tasks.start[t] + p.role_delay;
    double own = 0.0, any = 0.0, urg = 0.0;
    for (auto item = s.tasks.items_begin[t]; item < s.tasks.items_begin[t + 1]; ++item) {
      if (it.hours_left[item] <= 0.0 || !decided) continue;
      any += it.hours_left[item];
      if (it.owner[item] == home) own += it.hours_left[item];
      urg = std::max(urg, urgency(it.deadline[item], step, s.parameters.departments.urgency_horizon));
    }
    const double pull = p.detached ? 0.0 : dep.beta[home];
    const std::array<double, 4> u{p.w_role * urg, p.w_unassigned * urg,
                                  p.w_home_call * pull * std::min(1.5, dep.home_backlog[home] / dep.staff[home]),
                                  p.w_meeting};
    const std::array<double, 4> cap{roles ? own : 0.0, roles ? 0.0 : any, p.detached ? 0.0 : dep.home_backlog[home],
                                    p.meeting_hours};
    std::array<double, 4> h{};
    sc.h_idle[k] = allocate(u, cap, p.hours, s.parameters.choice.department_temperature, s.parameters.choice.idle_utility, h);
    sc.h_meeting[k] = h[3];
    sc.h_home[k] = h[2];
    dep.home_backlog[home] = std::max(0.0, dep.home_backlog[home] - h[2]);
    sc.h_work[k] = h[0] + h[1];
    if (sc.h_idle[k] >= 0.5 * p.hours) sc.idle_days[k] += 1.0;
    meeting += h[3];
    members += 1.0;
    // Work on the items, in proportion to their hours left, at onboarding and coordination productivity.
    const double ramp = std::min(1.0, p.onboarding_start + (1.0 - p.onboarding_start) *
                                          static_cast<double>(step - s.tasks.start[t]) /
                                          static_cast<double>(std::max<std::int64_t>(1, p.onboarding_steps)));
    double effective = sc.h_work[k] * ramp * (0.5 + 0.5 * s.meeting_share);
    const double pool = roles ? own : any;
    if (pool <= 0.0) continue;
    for (auto item = s.tasks.items_begin[t]; item < s.tasks.items_begin[t + 1] && effective > 0.0; ++item) {
      if (it.hours_left[item] <= 0.0 || (roles && it.owner[item] != home)) continue;
      it.hours_left[item] = std::max(0.0, it.hours_left[item] - effective * it.hours_left[item] / pool);
    }
  }
  s.meeting_share = members > 0.0 ? meeting / (members * p.meeting_hours) : 1.0;
}

}  // namespace

SocietyMechanism taskforce_mechanism() {
  SocietyMechanism m("taskforce");
  m.parameters()
      .block("taskforce", &Parameters::taskforce)
      .boolean("enabled", &TaskForceParameters::enabled, false, "Every joint task runs a task force of seconded staff (工作专班, S0)")
      .boolean("detached", &TaskForceParameters::detached, false, "Seconded staff are detached from their home department (no home calls)")
      .boolean("roles", &TaskForceParameters::roles, true, "Seconded staff get role assignments: their home department's items of the task")
      .integer("staff_per_participant", &TaskForceParameters::staff_per_participant, 1, 1, 1000, "persons", "Persons each participant seconds")
      .integer("onboarding_steps", &TaskForceParameters::onboarding_steps, 20, 0, 100000, "steps", "Steps until a seconded person is fully productive")
      .integer("role_delay", &TaskForceParameters::role_delay, 0, 0, 100000, "steps", "Steps after the task's start before roles are assigned (when roles)")
      .real("hours", &TaskForceParameters::hours, 4.0, 0.0, 24.0, "h", "Hours per step a seconded person gives the task force, taken from the home department (half-time secondment; assumed)")
      .real("meeting_hours", &TaskForceParameters::meeting_hours, 1.0, 0.0, 24.0, "h", "Hours of the task force's coordination meeting per person and step")
      .real("w_role", &TaskForceParameters::w_role, 0.9, 0.0, 100.0, "1", "Weight of the items of one's role")
      .real("w_unassigned", &TaskForceParameters::w_unassigned, 0.1, 0.0, 100.0, "1", "Weight of items nobody assigned to one (no role)")
      .real("w_home_call", &TaskForceParameters::w_home_call, 1.0, 0.0, 100.0, "1", "Weight of home-department calls, times its β and home backlog")
      .real("w_meeting", &TaskForceParameters::w_meeting, 0.5, 0.0, 100.0, "1", "Weight of attending the coordination meeting")
      .real("onboarding_start", &TaskForceParameters::onboarding_start, 0.3, 0.0, 1.0, "1", "Productivity of a newly seconded person");
  m.init(init_taskforce);
  m.step(kPhaseArrivals, "second staff", second_staff, 5);
  m.step(kPhaseDepartments, "task force", work, 2);
  m.agent_kind("seconded", [](const Parameters& p) {
    if (!p.taskforce.enabled) return std::size_t{0};
    // Upper bound known before generation: every participant of every task.
    return static_cast<std::size_t>(p.tasks.count * std::min(p.tasks.participants, p.departments.count - 1) *
                                    p.taskforce.staff_per_participant);
  });
  m.series({"taskforce_hours_work", "h", "Seconded staff's hours on task-force items"}, Aggregation::Sum,
           [](const State& s) { return total(s.seconded.h_work); })
      .series({"taskforce_hours_home", "h", "Seconded staff's hours answering home-department calls"}, Aggregation::Sum,
              [](const State& s) { return total(s.seconded.h_home); })
      .series({"taskforce_hours_meeting", "h", "Seconded staff's hours in coordination meetings"}, Aggregation::Sum,
              [](const State& s) { return total(s.seconded.h_meeting); })
      .series({"taskforce_hours_idle", "h", "Seconded staff's idle hours"}, Aggregation::Sum,
              [](const State& s) { return total(s.seconded.h_idle); });
  m.agents("seconded", {"idle_days", "steps", "Steps with at least half the hours idle, so far"},
           [](const State& s, std::size_t, double* row) {
             std::copy(s.seconded.idle_days.begin(), s.seconded.idle_days.end(), row);
           });
  m.summary({"seconded_idle_days_mean", "steps", "Mean over seconded staff of steps with at least half the hours idle"},
            false, Aggregation::Mean,
            [](const State& s, std::size_t) {
              return s.seconded.size() > 0 ? total(s.seconded.idle_days) / static_cast<double>(s.seconded.size())
                                           : std::numeric_limits<double>::quiet_NaN();
            });
  m.ledger("seconded_hours", [](const State& s, sim::Ledger& l) {
    const auto& c = s.seconded;
    for (std::size_t k = 0; k < c.size(); ++k) {
      l.used.push_back(c.h_work[k] + c.h_home[k] + c.h_meeting[k]);
      l.available.push_back(s.parameters.taskforce.hours);
    }
  });
  return m;
}

}  // namespace coordsim::models::society
