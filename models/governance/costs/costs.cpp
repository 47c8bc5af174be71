// Cost rules (MODEL.md §4.2; seeds S0, S1, S4). The core charges chases, meetings, lead
// overhead and escalations (costs.* in core/parameters.cpp); this file adds the rest of §4.2. Every
// participant of an open task files a progress report every costs.report_every steps
// (costs.report_hours, 报送). Regular briefings (定期通报, S4 "建立定期通报、联合会商等统筹联动
// 协作机制") every costs.briefing_every steps cost every participant and the lead
// costs.briefing_hours and name the owners with overdue items, adding costs.briefing_pressure to the
// lead's chase pressure on them. Joint consultations (联合会商, S4; S1 "由政务办牵头组织相关部门
// 进行会商") every costs.consultation_every steps cost every participant and the lead
// costs.consultation_hours and settle each blocked decision of the task (decisions.cpp) with
// probability costs.consultation_clear. An information-sharing platform (costs.sharing_platform,
// S0 "部门间信息融通不够", S1 "建立跨部门信息共享机制…打破信息孤岛", S3 电子台账) multiplies the
// hours of every chase, meeting, lead overhead, escalation, report, briefing and consultation by
// costs.platform_factor. All these hours are charged before a department allocates the rest
// (allocation.cpp), capped by what it has left.
#include "costs.hpp"
#include "composition.hpp"

#include <algorithm>

namespace coordsim::models::governance {

void declare_cost_rule_parameters(sim::ParamBindings<Parameters>& s) {
  s.block("costs", &Parameters::cost_rules).real("report_hours", &CostRuleParameters::report_hours, 1.0, 0.0, 1000.0, "h", "Hours each participant spends per progress report (报送)")
      .integer("report_every", &CostRuleParameters::report_every, 0, 0, 1000000, "steps", "Steps between progress reports of an open task (0: none)")
      .real("briefing_hours", &CostRuleParameters::briefing_hours, 1.0, 0.0, 1000.0, "h",
            "Hours each participant and the lead spend per regular briefing (定期通报)")
      .integer("briefing_every", &CostRuleParameters::briefing_every, 0, 0, 1000000, "steps", "Steps between regular briefings of an open task (0: none)")
      .real("briefing_pressure", &CostRuleParameters::briefing_pressure, 0.5, 0.0, 100.0, "1",
            "Chase pressure a briefing adds to each owner named with an overdue item")
      .real("consultation_hours", &CostRuleParameters::consultation_hours, 3.0, 0.0, 1000.0, "h",
            "Hours each participant and the lead spend per joint consultation (联合会商)")
      .integer("consultation_every", &CostRuleParameters::consultation_every, 0, 0, 1000000, "steps",
               "Steps between joint consultations of an open task (0: none)")
      .real("consultation_clear", &CostRuleParameters::consultation_clear, 0.5, 0.0, 1.0, "1",
            "Probability that a consultation settles each blocked decision of its task")
      .boolean("sharing_platform", &CostRuleParameters::sharing_platform, false,
               "An information-sharing platform cuts the hours of chases, meetings, lead overhead, escalations, "
               "reports, briefings and consultations (S0, S1, S3)")
      .real("platform_factor", &CostRuleParameters::platform_factor, 0.5, 0.0, 1.0, "1", "Multiplier on those hours when the platform is on");
}

void init_costs(State& s) {
  s.mechanisms.costs.reporting.assign(s.departments.size(), 0.0);
  s.mechanisms.costs.consultation.assign(s.departments.size(), 0.0);
}

namespace {

// Whether any report, briefing or consultation is ever charged; with none, the per-department
// reporting and consultation hours stay at their initial zeros.
bool any_cost_rule(const CostRuleParameters& c) {
  return c.report_every != 0 || c.briefing_every != 0 || c.consultation_every != 0;
}

void charge_department(State& s, std::size_t dept, std::int64_t step) {
  const auto& c = s.parameters.cost_rules;
  auto& d = s.departments;
  const auto& t = s.tasks;
  double left = std::max(0.0, d.capacity[dept] - d.chasing[dept] - d.coordinating_lead[dept]);
  double reporting = 0.0, consultation = 0.0;
  const auto charge = [&](double hours, double& into) {
    const double given = std::min(hours, left);
    into += given;
    left -= given;
  };
  const auto task_costs = [&](std::uint32_t task, bool lead) {
    if (!task_open(s, task, step)) return;
    const std::int64_t age = step - t.start[task];
    if (!lead && period_due(c.report_every, age)) charge(c.report_hours, reporting);
    if (period_due(c.briefing_every, age)) charge(c.briefing_hours, reporting);
    if (period_due(c.consultation_every, age)) charge(c.consultation_hours, consultation);
  };
  for (std::uint32_t k = d.relation_begin[dept]; k < d.relation_begin[dept + 1]; ++k)
    task_costs(s.relations.task[d.relations[k]], false);
  for (std::uint32_t k = d.led_begin[dept]; k < d.led_begin[dept + 1]; ++k) task_costs(d.led[k], true);
  s.mechanisms.costs.reporting[dept] = reporting;
  s.mechanisms.costs.consultation[dept] = consultation;
}

}  // namespace

void run_costs(State& s, const sim::StepContext& context) {
  const auto& c = s.parameters.cost_rules;
  const auto step = static_cast<std::int64_t>(context.step);
  if (!any_cost_rule(c)) return;  // vectors stay 0
  context.execution.for_each(s.departments.size(), 64, [&](std::size_t dept) { charge_department(s, dept, step); });

  // Briefings and consultations act on tasks (serial: a task touches only its own relations and items).
  auto& t = s.tasks;
  auto& it = s.items;
  auto& rel = s.relations;
  auto& dec = s.mechanisms.decisions;
  for (std::uint32_t task = 0; task < t.size(); ++task) {
    if (!task_open(s, task, step)) continue;
    const std::int64_t age = step - t.start[task];
    if (period_due(c.briefing_every, age)) {
      for (std::uint32_t r = t.relation_begin[task]; r < t.relation_begin[task + 1]; ++r) {
        bool overdue = false;
        for (std::uint32_t item = rel.item_begin[r]; item < rel.item_end[r]; ++item)
          overdue = overdue || (it.done_step[item] == kNotDone && it.deadline[item] < step);
        if (overdue) rel.chase_pressure[r] += c.briefing_pressure;
      }
    }
    if (period_due(c.consultation_every, age) && !dec.blocked.empty()) {
      for (std::uint32_t item = t.item_begin[task]; item < t.item_begin[task + 1]; ++item) {
        if (!dec.blocked[item]) continue;
        auto stream = context.rng.stream(context.step, item, purpose::kConsultation);
        if (!stream.bernoulli(c.consultation_clear)) continue;
        dec.blocked[item] = 0;
        dec.status[item] = DecisionStatus::Decided;
        dec.decided_step[item] = step;
        dec.made += 1.0;
      }
    }
  }
}


// Parameters (with the sharing platform's rescaling of every cost hour, costs.* of the core
// included), setup, the cost rules' step (second in the mechanisms phase: reports, briefings,
// consultations charged before allocation; a consultation may unblock a decision) and the
// coordination cost by kind (§4.2). The onboarding cost adds the task force's onboarding and
// training hours, read from the task force's tally (recorded before this one).
GovernanceMechanism costs_mechanism() {
  using sim::Aggregation;
  GovernanceMechanism m("costs");
  declare_cost_rule_parameters(m.parameters());
  m.parameters().derive([](Parameters& p) {
    if (!p.cost_rules.sharing_platform) return;
    auto& costs = p.costs;
    auto& c = p.cost_rules;
    const double f = c.platform_factor;
    for (double* hours : {&costs.chase_hours, &costs.meeting_hours, &costs.lead_overhead_hours, &costs.escalation_hours,
                          &c.report_hours, &c.briefing_hours, &c.consultation_hours})
      *hours *= f;
  });
  m.init([](State& s, const sim::Rng&) { init_costs(s); }).step(kPhaseMechanisms, "cost rules", run_costs, 2);
  m.tally([](State& s, std::size_t, bool) {
    const auto& d = s.departments;
    const auto& costs = s.mechanisms.costs;
    CostTally y;
    // The core's tally (recorded first) summed the same chasing hours in the same order.
    y.chasing = s.tally.chasing;
    for (std::size_t i = 0; i < d.size(); ++i) y.meetings += d.meetings[i];
    if (any_cost_rule(s.parameters.cost_rules))  // else sums of zeros
      for (std::size_t i = 0; i < d.size(); ++i) {
        y.reporting += costs.reporting[i];
        y.consultation += costs.consultation[i];
      }
    s.mechanisms.tallies.costs = y;
    const auto& f = s.mechanisms.tallies.taskforce;
    s.mechanisms.totals.coordination += y.chasing + y.meetings + y.reporting + y.consultation + f.onboarding + f.training;
  });
  const auto tally = [](const State& s) -> const CostTally& { return s.mechanisms.tallies.costs; };
  m.series({"cost_hours_chasing", "h", "Coordination cost: hours chasing owners"}, Aggregation::Sum,
           [=](const State& s) { return tally(s).chasing; })
      .series({"cost_hours_meetings", "h", "Coordination cost: participants' hours in coordination meetings"},
              Aggregation::Sum, [=](const State& s) { return tally(s).meetings; })
      .series({"cost_hours_reporting", "h", "Coordination cost: hours of progress reports and regular briefings"},
              Aggregation::Sum, [=](const State& s) { return tally(s).reporting; })
      .series({"cost_hours_consultations", "h", "Coordination cost: hours in joint consultations"}, Aggregation::Sum,
              [=](const State& s) { return tally(s).consultation; })
      .series({"cost_hours_onboarding", "h",
               "Coordination cost: seconded staff onboarding plus the lead's training hours"},
              Aggregation::Sum, [](const State& s) {
                const auto& f = s.mechanisms.tallies.taskforce;
                return f.onboarding + f.training;
              });
  m.agents("department", {"hours_reporting", "h", "Hours of progress reports and regular briefings"},
           department_values([](const State& s) -> const std::vector<double>& { return s.mechanisms.costs.reporting; }))
      .agents("department", {"hours_consultation", "h", "Hours in joint consultations"},
              department_values(
                  [](const State& s) -> const std::vector<double>& { return s.mechanisms.costs.consultation; }))
      .agents("department", {"hours_training", "h", "Hours training seconded staff, as a lead"},
              department_values(
                  [](const State& s) -> const std::vector<double>& { return s.mechanisms.taskforce.lead_training; }));
  m.summary({"coordination_hours_total", "h", "Chasing, meetings, reports, briefings, consultations and onboarding hours"},
            false, Aggregation::Sum, [](const State& s, std::size_t) { return s.mechanisms.totals.coordination; })
      .summary({"onboarding_hours_total", "h", "Seconded onboarding plus lead training hours over the run"}, false,
               Aggregation::Sum, [](const State& s, std::size_t) {
                 return s.mechanisms.totals.seconded_onboarding + s.mechanisms.totals.lead_training;
               });
  return m;
}

}  // namespace coordsim::models::governance
