// Task force with seconded staff (工作专班 / 抽调人员, MODEL.md §3.7, §4.2, §4.5; seed S0). With
// taskforce.enabled every open joint task has a task force: each participant department seconds
// taskforce.seconded_per_participant persons (hours_per_staff each; a department never seconds more
// than taskforce.max_share of its capacity, nor more than the lead phase and cost rules left it).
// Seconded hours leave the department's own pool (allocation.cpp) and divide as split_seconded says:
// staff not detached from their home department (taskforce.detached false) first serve its home
// backlog with taskforce.home_priority of their hours (S0 "有的专班成员与原单位工作没有脱钩…'自己部门
// 领导安排的活儿先干,专班的事儿后干'"); the rest goes to the task force. Without role assignment
// (taskforce.role_assignment false, or before task start + taskforce.role_delay) those hours are idle
// (S0: 李冰 "到岗两个多月仍没下一线……'每天上班不知道该干啥'"). Once roles are assigned, newcomers
// first onboard for taskforce.onboarding_steps full-time steps — a part-timer takes longer — and the
// lead spends taskforce.training_hours per person onboarding each step (S0 "就要专门对其进行培训,
// 所需成本较高"). Onboarded staff work on the task's open available items, earliest deadline first,
// at their department's expertise × taskforce.outside_expertise ("外单位同事业务不熟练"); hours for
// which no item is available are idle.
#include "taskforce.hpp"
#include "composition.hpp"

#include <limits>
#include <algorithm>
#include <numeric>

namespace coordsim::models::governance {

void declare_taskforce_parameters(sim::ParamBindings<Parameters>& s) {
  s.block("taskforce", &Parameters::taskforce).boolean("enabled", &TaskForceParameters::enabled, false, "Every joint task runs a task force (工作专班) of seconded staff (S0)")
      .real("seconded_per_participant", &TaskForceParameters::seconded_per_participant, 1.0, 0.0, 1000.0, "count",
            "Persons each participant department seconds to the task force of each task it joins")
      .real("max_share", &TaskForceParameters::max_share, 0.5, 0.0, 1.0, "1", "At most this share of a department's capacity is seconded")
      .boolean("role_assignment", &TaskForceParameters::role_assignment, true,
               "The task force assigns roles to seconded staff; false: they never get one (S0 李冰)")
      .integer("role_delay", &TaskForceParameters::role_delay, 0, 0, 1000000, "steps", "Steps after task start before roles are assigned")
      .real("onboarding_steps", &TaskForceParameters::onboarding_steps, 10.0, 0.0, 1000000.0, "steps",
            "Full-time steps a seconded person needs to learn the work before being productive (岗前培训)")
      .real("training_hours", &TaskForceParameters::training_hours, 1.0, 0.0, 1000.0, "h",
            "Lead hours per step per seconded person onboarding (training outside staff)")
      .real("outside_expertise", &TaskForceParameters::outside_expertise, 0.7, 0.01, 1.0, "1",
            "Productivity of seconded staff on task-force work relative to their department's expertise")
      .boolean("detached", &TaskForceParameters::detached, false,
               "Seconded staff are detached from their home department (脱钩); false: they serve home work first")
      .real("home_priority", &TaskForceParameters::home_priority, 0.6, 0.0, 1.0, "1",
            "Share of a non-detached seconded person's hours that go to home work first, while it has backlog")
      .integer("early_steps", &TaskForceParameters::early_steps, 40, 1, 1000000, "steps",
               "Window from step 0 over which the summary seconded_idle_share_early is taken");
}

void init_taskforce(State& s) {
  auto& f = s.mechanisms.taskforce;
  const std::size_t relations = s.relations.size(), departments = s.departments.size();
  // Per department: read by the other mechanisms and the reporters, zero while there is no task force.
  for (auto* v : {&f.out, &f.dept_productive, &f.dept_idle, &f.dept_home, &f.dept_onboarding, &f.lead_training})
    v->assign(departments, 0.0);
  // The rest only the task force's own step reads, which does nothing without it.
  if (!s.parameters.taskforce.enabled) return;
  f.onboarding_left.assign(relations, s.parameters.taskforce.onboarding_steps);
  for (auto* v : {&f.seconded, &f.productive, &f.idle, &f.home, &f.onboarding}) v->assign(relations, 0.0);
  f.task_hours.assign(s.tasks.size(), 0.0);
  f.task_work.assign(s.tasks.size(), 0.0);
  // Items of each task by deadline (ties by id), for the task force's earliest-deadline-first work.
  f.item_order.resize(s.items.size());
  std::iota(f.item_order.begin(), f.item_order.end(), 0u);
  for (std::size_t task = 0; task < s.tasks.size(); ++task)
    std::stable_sort(f.item_order.begin() + s.tasks.item_begin[task], f.item_order.begin() + s.tasks.item_begin[task + 1],
                     [&](std::uint32_t a, std::uint32_t b) { return s.items.deadline[a] < s.items.deadline[b]; });
}

SecondedSplit split_seconded(const TaskForceParameters& p, double hours, double home_room, bool has_role,
                             double onboarding_left) noexcept {
  SecondedSplit split;
  if (hours <= 0.0) return split;
  split.home = p.detached ? 0.0 : std::min(p.home_priority * hours, std::max(0.0, home_room));
  const double rest = hours - split.home;
  if (!has_role) {
    split.idle = rest;
    return split;
  }
  // Onboarding consumes full-time steps: a contingent of h hours per person-step needs
  // onboarding_left × (hours per person-step) hours; `hours` counts the whole contingent, so the
  // caller passes onboarding_left already in contingent hours.
  split.onboarding = std::min(rest, std::max(0.0, onboarding_left));
  split.task_force = rest - split.onboarding;
  return split;
}

namespace {

// Hours one contingent (relation r) is seconded this step, before department caps.
double contingent_hours(const State& s, std::uint32_t r, std::int64_t step) {
  const auto task = s.relations.task[r];
  if (!task_open(s, task, step)) return 0.0;
  return s.parameters.taskforce.seconded_per_participant * s.parameters.departments.hours_per_staff;
}

}  // namespace

void run_taskforce(State& s, const sim::StepContext& context) {
  const auto& p = s.parameters.taskforce;
  if (!p.enabled) return;
  auto& f = s.mechanisms.taskforce;
  auto& d = s.departments;
  const auto& rel = s.relations;
  auto& t = s.tasks;
  auto& it = s.items;
  const auto& costs = s.mechanisms.costs;
  const auto step = static_cast<std::int64_t>(context.step);
  const double person_hours = s.parameters.departments.hours_per_staff;

  // 1. Per department (its own relations only, so departments could run in parallel): second,
  //    cap, split. Task-force hours are pooled per task afterwards, in relation order.
  std::fill(f.task_hours.begin(), f.task_hours.end(), 0.0);
  std::fill(f.task_work.begin(), f.task_work.end(), 0.0);
  for (std::size_t dept = 0; dept < d.size(); ++dept) {
    double wanted = 0.0;
    for (std::uint32_t k = d.relation_begin[dept]; k < d.relation_begin[dept + 1]; ++k)
      wanted += contingent_hours(s, d.relations[k], step);
    const double left = std::max(0.0, d.capacity[dept] - d.chasing[dept] - d.coordinating_lead[dept] -
                                          costs.reporting[dept] - costs.consultation[dept]);
    const double allowed = std::min(left, p.max_share * d.capacity[dept]);
    const double scale = wanted > allowed && wanted > 0.0 ? allowed / wanted : 1.0;
    double home_room = std::max(0.0, d.backlog[dept]);
    double out = 0.0, home = 0.0;
    for (std::uint32_t k = d.relation_begin[dept]; k < d.relation_begin[dept + 1]; ++k) {
      const std::uint32_t r = d.relations[k];
      const double hours = contingent_hours(s, r, step) * scale;
      const auto task = rel.task[r];
      const bool has_role = p.role_assignment && step >= t.start[task] + p.role_delay;
      // Onboarding left in contingent hours: steps x persons x hours per person.
      const double persons = p.seconded_per_participant * scale;
      const SecondedSplit split = split_seconded(p, hours, home_room, has_role, f.onboarding_left[r] * persons * person_hours);
      if (persons > 0.0) f.onboarding_left[r] = std::max(0.0, f.onboarding_left[r] - split.onboarding / (persons * person_hours));
      home_room -= split.home;
      f.seconded[r] = hours;
      f.home[r] = split.home;
      f.onboarding[r] = split.onboarding;
      f.idle[r] = split.idle;
      f.productive[r] = split.task_force;  // provisional: trimmed to the work available below
      f.task_hours[task] += split.task_force;
      f.task_work[task] += split.task_force * d.expertise[dept] * p.outside_expertise;
      out += hours;
      home += split.home;
    }
    d.backlog[dept] -= home;
    f.out[dept] = out;
  }

  // 2. Per task: apply pooled work to open available items, earliest deadline first.
  f.work_delivered = 0.0;
  for (std::uint32_t task = 0; task < t.size(); ++task) {
    const double work = f.task_work[task];
    if (work <= 0.0) continue;
    double left = work;
    for (std::uint32_t k = t.item_begin[task]; k < t.item_begin[task + 1] && left > 0.0; ++k) {
      const std::uint32_t item = f.item_order[k];
      if (!item_available(s, item, step) || it.remaining[item] <= 0.0) continue;
      const double applied = std::min(left, it.remaining[item]);
      it.remaining[item] -= applied;
      left -= applied;
    }
    const double used = work - left;
    t.done_work[task] += used;
    f.work_delivered += used;
    f.task_work[task] = used / work;  // from here on: the share of the pooled hours that found work
  }

  // 3. Per relation: productive hours that found no work are idle; department sums; lead training.
  std::fill(f.lead_training.begin(), f.lead_training.end(), 0.0);
  for (std::size_t dept = 0; dept < d.size(); ++dept) {
    double productive = 0.0, idle = 0.0, home = 0.0, onboarding = 0.0;
    for (std::uint32_t k = d.relation_begin[dept]; k < d.relation_begin[dept + 1]; ++k) {
      const std::uint32_t r = d.relations[k];
      const auto task = rel.task[r];
      if (f.productive[r] > 0.0) {
        const double used = f.productive[r] * f.task_work[task];
        f.idle[r] += f.productive[r] - used;
        f.productive[r] = used;
      }
      productive += f.productive[r];
      idle += f.idle[r];
      home += f.home[r];
      onboarding += f.onboarding[r];
    }
    f.dept_productive[dept] = productive;
    f.dept_idle[dept] = idle;
    f.dept_home[dept] = home;
    f.dept_onboarding[dept] = onboarding;
  }
  for (std::uint32_t task = 0; task < t.size(); ++task) {
    if (!task_open(s, task, step)) continue;
    double persons_onboarding = 0.0;
    for (std::uint32_t r = t.relation_begin[task]; r < t.relation_begin[task + 1]; ++r)
      if (f.onboarding[r] > 0.0) persons_onboarding += p.seconded_per_participant;
    if (persons_onboarding <= 0.0) continue;
    const auto lead = t.lead[task];
    const double left = std::max(0.0, d.capacity[lead] - d.chasing[lead] - d.coordinating_lead[lead] -
                                          costs.reporting[lead] - costs.consultation[lead] - f.out[lead] -
                                          f.lead_training[lead]);
    f.lead_training[lead] += std::min(left, p.training_hours * persons_onboarding);
  }
}


// Parameters, setup, the task force's step (fourth in the mechanisms phase: seconded hours and
// their work applied before owners allocate) and its outcomes: seconded hours by use, the task
// forces' work (§3.7, S0), per department and over the run.
GovernanceMechanism taskforce_mechanism() {
  using sim::Aggregation;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  GovernanceMechanism m("taskforce");
  declare_taskforce_parameters(m.parameters());
  m.init([](State& s, const sim::Rng&) { init_taskforce(s); })
      .step(kPhaseMechanisms, "task force", run_taskforce, 4);
  m.tally([](State& s, std::size_t step, bool) {
    const auto& f = s.mechanisms.taskforce;
    TaskForceTally y;
    // Off, the per-department hours stay at their initial zeros: nothing to add.
    if (s.parameters.taskforce.enabled)
      for (std::size_t i = 0; i < s.departments.size(); ++i) {
        y.seconded += f.out[i];
        y.productive += f.dept_productive[i];
        y.idle += f.dept_idle[i];
        y.home += f.dept_home[i];
        y.onboarding += f.dept_onboarding[i];
        y.training += f.lead_training[i];
      }
    s.mechanisms.tallies.taskforce = y;
    auto& totals = s.mechanisms.totals;
    totals.seconded += y.seconded;
    totals.seconded_productive += y.productive;
    totals.seconded_idle += y.idle;
    totals.seconded_home += y.home;
    totals.seconded_onboarding += y.onboarding;
    totals.lead_training += y.training;
    totals.taskforce_work += f.work_delivered;
    if (static_cast<std::int64_t>(step) < s.parameters.taskforce.early_steps) {
      totals.early_seconded += y.seconded;
      totals.early_idle += y.idle;
    }
  });
  const auto tally = [](const State& s) -> const TaskForceTally& { return s.mechanisms.tallies.taskforce; };
  m.series({"seconded_hours", "h", "Hours of seconded staff (抽调人员) this step"}, Aggregation::Sum,
           [=](const State& s) { return tally(s).seconded; })
      .series({"seconded_hours_productive", "h", "Seconded hours of task-force work on items"}, Aggregation::Sum,
              [=](const State& s) { return tally(s).productive; })
      .series({"seconded_hours_idle", "h", "Seconded hours without work (no role, or no item available)"},
              Aggregation::Sum, [=](const State& s) { return tally(s).idle; })
      .series({"seconded_hours_home", "h", "Seconded hours kept for the home department"}, Aggregation::Sum,
              [=](const State& s) { return tally(s).home; })
      .series({"seconded_hours_onboarding", "h", "Seconded hours learning the work before being productive"},
              Aggregation::Sum, [=](const State& s) { return tally(s).onboarding; })
      .series({"taskforce_work", "h", "Work delivered by task forces (hours x productivity)"}, Aggregation::Sum,
              [](const State& s) { return s.mechanisms.taskforce.work_delivered; });
  m.agents("department", {"seconded_hours", "h", "Hours of the department's seconded staff"},
           department_values([](const State& s) -> const std::vector<double>& { return s.mechanisms.taskforce.out; }))
      .agents("department", {"seconded_hours_productive", "h", "Seconded hours of task-force work"},
              department_values(
                  [](const State& s) -> const std::vector<double>& { return s.mechanisms.taskforce.dept_productive; }))
      .agents("department", {"seconded_hours_idle", "h", "Seconded hours without work"},
              department_values(
                  [](const State& s) -> const std::vector<double>& { return s.mechanisms.taskforce.dept_idle; }))
      .agents("department", {"seconded_hours_home", "h", "Seconded hours kept for the home department"},
              department_values(
                  [](const State& s) -> const std::vector<double>& { return s.mechanisms.taskforce.dept_home; }))
      .agents("department", {"seconded_hours_onboarding", "h", "Seconded hours onboarding"},
              department_values(
                  [](const State& s) -> const std::vector<double>& { return s.mechanisms.taskforce.dept_onboarding; }));
  const auto share = [=](double part, double whole) { return whole > 0 ? part / whole : kNaN; };
  m.summary({"seconded_idle_share_early", "1", "Idle share of seconded hours over the first taskforce.early_steps steps"},
            false, Aggregation::Mean,
            [=](const State& s, std::size_t) {
              return share(s.mechanisms.totals.early_idle, s.mechanisms.totals.early_seconded);
            })
      .summary({"seconded_idle_share", "1", "Idle share of seconded hours over the run"}, false, Aggregation::Mean,
               [=](const State& s, std::size_t) {
                 return share(s.mechanisms.totals.seconded_idle, s.mechanisms.totals.seconded);
               })
      .summary({"seconded_home_share", "1", "Share of seconded hours kept for home departments"}, false,
               Aggregation::Mean,
               [=](const State& s, std::size_t) {
                 return share(s.mechanisms.totals.seconded_home, s.mechanisms.totals.seconded);
               })
      .summary({"seconded_taskforce_share", "1",
                "Share of seconded hours given to the task force (work, onboarding, idle)"},
               false, Aggregation::Mean,
               [=](const State& s, std::size_t) {
                 const auto& totals = s.mechanisms.totals;
                 return totals.seconded > 0 ? 1.0 - totals.seconded_home / totals.seconded : kNaN;
               })
      .summary({"taskforce_work_total", "h", "Work delivered by task forces over the run"}, false, Aggregation::Sum,
               [](const State& s, std::size_t) { return s.mechanisms.totals.taskforce_work; });
  return m;
}

}  // namespace coordsim::models::governance
