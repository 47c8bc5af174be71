// Outcomes of the county-level mechanisms (MODEL.md §5): the discipline commission's referrals,
// queue, cases closed, reminder talks and accountability cases, core backlog, perceived
// accountability and deterrence (§3.4, S4); seconded staff's productive, idle, home and onboarding
// hours and the task force's work (§3.7, S0); blocked, escalated and settled decisions (F7, S4);
// effort at the three levels (F9, S4); coordination cost by kind: chasing, meetings, reporting
// (reports and briefings), consultations, onboarding (§4.2). Per department: penalties, seconded
// hours by use, hours of reports/briefings, consultations and training. Reductions are serial in id
// order, so records do not depend on the thread count.
#include "mechanism_outputs.hpp"

#include <limits>

namespace coordsim::models::governance {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

void append_mechanism_outputs(sim::OutputLayout& layout) {
  const std::vector<sim::VariableSpec> series = {
      {"discipline_referrals", "count", "Overdue items referred to the discipline commission this step"},
      {"discipline_queue", "count", "Referred cases waiting at the discipline commission"},
      {"discipline_cases_closed", "count", "Referral cases the commission closed this step"},
      {"discipline_talks", "count", "Closed cases ending in a reminder talk (约谈) this step"},
      {"discipline_accountability_cases", "count", "Closed cases ending in accountability (问责) this step"},
      {"discipline_core_backlog", "count", "The commission's own core cases waiting"},
      {"discipline_p_accountability", "1", "Perceived probability that a referred overdue item is held to account"},
      {"discipline_deterrence", "1", "Expected penalty per referred case (perceived probability x mean penalty)"},
      {"seconded_hours", "h", "Hours of seconded staff (抽调人员) this step"},
      {"seconded_hours_productive", "h", "Seconded hours of task-force work on items"},
      {"seconded_hours_idle", "h", "Seconded hours without work (no role, or no item available)"},
      {"seconded_hours_home", "h", "Seconded hours kept for the home department"},
      {"seconded_hours_onboarding", "h", "Seconded hours learning the work before being productive"},
      {"taskforce_work", "h", "Work delivered by task forces (hours x productivity)"},
      {"decisions_blocked", "count", "Items blocked by a conflict-laden decision"},
      {"decisions_escalated", "count", "Blocked decisions escalated to leadership and waiting"},
      {"decisions_made", "count", "Conflict-laden decisions settled so far"},
      {"effort_county", "1", "Mean effort of county leadership over open tasks (F9)"},
      {"effort_lead", "1", "Mean effort of the lead department's level over open tasks (F9)"},
      {"effort_grassroots", "1", "Mean effort of grassroots implementation over open tasks (F9)"},
      {"cost_hours_chasing", "h", "Coordination cost: hours chasing owners"},
      {"cost_hours_meetings", "h", "Coordination cost: participants' hours in coordination meetings"},
      {"cost_hours_reporting", "h", "Coordination cost: hours of progress reports and regular briefings"},
      {"cost_hours_consultations", "h", "Coordination cost: hours in joint consultations"},
      {"cost_hours_onboarding", "h", "Coordination cost: seconded staff onboarding plus the lead's training hours"},
  };
  layout.series.insert(layout.series.end(), series.begin(), series.end());
  const std::vector<sim::VariableSpec> department = {
      {"penalties", "1", "Cumulative discipline penalties on the department (约谈 and 问责)"},
      {"seconded_hours", "h", "Hours of the department's seconded staff"},
      {"seconded_hours_productive", "h", "Seconded hours of task-force work"},
      {"seconded_hours_idle", "h", "Seconded hours without work"},
      {"seconded_hours_home", "h", "Seconded hours kept for the home department"},
      {"seconded_hours_onboarding", "h", "Seconded hours onboarding"},
      {"hours_reporting", "h", "Hours of progress reports and regular briefings"},
      {"hours_consultation", "h", "Hours in joint consultations"},
      {"hours_training", "h", "Hours training seconded staff, as a lead"},
  };
  auto& variables = layout.agent_kinds[kDepartmentKind].variables;
  variables.insert(variables.end(), department.begin(), department.end());
  const std::vector<sim::SummarySpec> summaries = {
      {{"discipline_queue_mean", "count", "Mean referral queue of the discipline commission over the run"}, true},
      {{"discipline_queue_final", "count", "Referral queue at the end"}, false},
      {{"discipline_core_backlog_final", "count", "The commission's core-case backlog at the end"}, false},
      {{"discipline_core_backlog_mean", "count", "Mean core-case backlog of the commission over the run"}, false},
      {{"discipline_deterrence_mean", "1", "Mean expected penalty per referred case over the run"}, false},
      {{"discipline_referrals_total", "count", "Items referred over the run"}, false},
      {{"penalties_total", "1", "Discipline penalties on all departments over the run"}, false},
      {{"seconded_idle_share_early", "1", "Idle share of seconded hours over the first taskforce.early_steps steps"},
       false},
      {{"seconded_idle_share", "1", "Idle share of seconded hours over the run"}, false},
      {{"seconded_home_share", "1", "Share of seconded hours kept for home departments"}, false},
      {{"seconded_taskforce_share", "1", "Share of seconded hours given to the task force (work, onboarding, idle)"},
       false},
      {{"taskforce_work_total", "h", "Work delivered by task forces over the run"}, false},
      {{"decisions_resolved_share", "1", "Share of blocked decisions settled by the end (NaN: none blocked)"}, false},
      {{"mean_decision_time", "steps", "Mean steps from block to decision (unsettled: censored at the run end)"},
       false},
      {{"effort_county_mean", "1", "Mean county-leadership effort over open task-steps"}, false},
      {{"effort_lead_mean", "1", "Mean lead-level effort over open task-steps"}, false},
      {{"effort_grassroots_mean", "1", "Mean grassroots effort over open task-steps"}, false},
      {{"coordination_hours_total", "h", "Chasing, meetings, reports, briefings, consultations and onboarding hours"},
       false},
      {{"onboarding_hours_total", "h", "Seconded onboarding plus lead training hours over the run"}, false},
  };
  layout.summaries.insert(layout.summaries.end(), summaries.begin(), summaries.end());
}

void record_mechanisms(State& s, std::size_t step_index, sim::Recorder& recorder) {
  const auto step = static_cast<std::int64_t>(step_index);
  const auto& m = s.mechanisms;
  const auto& c = m.discipline;
  const auto& f = m.taskforce;
  const auto& d = s.departments;
  auto& totals = s.mechanisms.totals;
  double* row = recorder.series_row(step_index) + kSeriesCount;

  double seconded = 0, productive = 0, idle = 0, home = 0, onboarding = 0, training = 0;
  double chasing = 0, meetings = 0, reporting = 0, consultation = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    seconded += f.out[i];
    productive += f.dept_productive[i];
    idle += f.dept_idle[i];
    home += f.dept_home[i];
    onboarding += f.dept_onboarding[i];
    training += f.lead_training[i];
    chasing += d.chasing[i];
    meetings += d.meetings[i];
    reporting += m.costs.reporting[i];
    consultation += m.costs.consultation[i];
  }
  double blocked = 0, escalated = 0;
  if (!m.decisions.status.empty())
    for (std::size_t item = 0; item < s.items.size(); ++item) {
      blocked += m.decisions.blocked[item];
      escalated += m.decisions.status[item] == DecisionStatus::Escalated ? 1.0 : 0.0;
    }
  double county = 0, lead = 0, grassroots = 0, open = 0;
  if (s.parameters.levels.enabled)
    for (std::uint32_t task = 0; task < s.tasks.size(); ++task) {
      if (!task_open(s, task, step)) continue;
      county += m.levels.county[task];
      lead += m.levels.lead[task];
      grassroots += m.levels.grassroots[task];
      open += 1.0;
    }

  const bool discipline = s.parameters.discipline.enabled;
  row[kDisciplineReferrals] = c.referrals;
  row[kDisciplineQueue] = static_cast<double>(c.queue_size);
  row[kDisciplineCasesClosed] = c.closed;
  row[kDisciplineTalks] = c.talks;
  row[kDisciplineAccountabilityCases] = c.accountability_cases;
  row[kDisciplineCoreBacklog] = c.core_backlog;
  row[kDisciplinePAccountability] = discipline ? c.p_accountability : s.parameters.accountability.probability;
  row[kDisciplineDeterrence] = discipline ? c.deterrence : kNaN;
  row[kSecondedHours] = seconded;
  row[kSecondedProductive] = productive;
  row[kSecondedIdle] = idle;
  row[kSecondedHome] = home;
  row[kSecondedOnboarding] = onboarding;
  row[kTaskForceWork] = f.work_delivered;
  row[kDecisionsBlocked] = blocked;
  row[kDecisionsEscalated] = escalated;
  row[kDecisionsMade] = m.decisions.made;
  row[kEffortCounty] = open > 0 ? county / open : kNaN;
  row[kEffortLead] = open > 0 ? lead / open : kNaN;
  row[kEffortGrassroots] = open > 0 ? grassroots / open : kNaN;
  row[kCostHoursChasing] = chasing;
  row[kCostHoursMeetings] = meetings;
  row[kCostHoursReporting] = reporting;
  row[kCostHoursConsultations] = consultation;
  row[kCostHoursOnboarding] = onboarding + training;

  totals.queue_sum += static_cast<double>(c.queue_size);
  totals.core_sum += c.core_backlog;
  totals.deterrence_sum += c.deterrence;
  totals.referrals += c.referrals;
  totals.seconded += seconded;
  totals.seconded_productive += productive;
  totals.seconded_idle += idle;
  totals.seconded_home += home;
  totals.seconded_onboarding += onboarding;
  totals.lead_training += training;
  totals.taskforce_work += f.work_delivered;
  if (step < s.parameters.taskforce.early_steps) {
    totals.early_seconded += seconded;
    totals.early_idle += idle;
  }
  totals.effort_county += county;
  totals.effort_lead += lead;
  totals.effort_grassroots += grassroots;
  totals.effort_samples += open;
  totals.coordination += chasing + meetings + reporting + consultation + onboarding + training;

  if (!recorder.agents_due(step_index)) return;
  double* rows[kMechanismDepartmentVariableCount];
  for (std::size_t v = 0; v < kMechanismDepartmentVariableCount; ++v)
    rows[v] = recorder.agent_row(kDepartmentKind, kDepartmentVariableCount + v, step_index);
  for (std::size_t i = 0; i < d.size(); ++i) {
    rows[kDeptPenalties][i] = c.penalties[i];
    rows[kDeptSecondedHours][i] = f.out[i];
    rows[kDeptSecondedProductive][i] = f.dept_productive[i];
    rows[kDeptSecondedIdle][i] = f.dept_idle[i];
    rows[kDeptSecondedHome][i] = f.dept_home[i];
    rows[kDeptSecondedOnboarding][i] = f.dept_onboarding[i];
    rows[kDeptHoursReporting][i] = m.costs.reporting[i];
    rows[kDeptHoursConsultation][i] = m.costs.consultation[i];
    rows[kDeptHoursTraining][i] = f.lead_training[i];
  }
}

void summarize_mechanisms(const State& s, std::size_t steps, sim::Recorder& recorder) {
  const auto& m = s.mechanisms;
  const auto& totals = m.totals;
  const auto& c = m.discipline;
  double* out = recorder.summaries() + kSummaryCount;
  const double n = static_cast<double>(steps);
  const bool discipline = s.parameters.discipline.enabled;
  out[kDisciplineQueueMean] = totals.queue_sum / n;
  out[kDisciplineQueueFinal] = static_cast<double>(c.queue_size);
  out[kDisciplineCoreBacklogFinal] = c.core_backlog;
  out[kDisciplineCoreBacklogMean] = totals.core_sum / n;
  out[kDisciplineDeterrenceMean] = discipline ? totals.deterrence_sum / n : kNaN;
  out[kDisciplineReferralsTotal] = totals.referrals;
  double penalties = 0.0;
  for (const double value : c.penalties) penalties += value;
  out[kPenaltiesTotal] = penalties;
  out[kSecondedIdleShareEarly] = totals.early_seconded > 0 ? totals.early_idle / totals.early_seconded : kNaN;
  out[kSecondedIdleShare] = totals.seconded > 0 ? totals.seconded_idle / totals.seconded : kNaN;
  out[kSecondedHomeShare] = totals.seconded > 0 ? totals.seconded_home / totals.seconded : kNaN;
  out[kSecondedTaskForceShare] = totals.seconded > 0 ? 1.0 - totals.seconded_home / totals.seconded : kNaN;
  out[kTaskForceWorkTotal] = totals.taskforce_work;

  double blocked = 0, decided = 0, waited = 0;
  const auto& dec = m.decisions;
  for (std::size_t item = 0; item < dec.blocked_since.size(); ++item) {
    if (dec.blocked_since[item] == kNotDone) continue;
    blocked += 1.0;
    const bool settled = dec.decided_step[item] != kNotDone;
    decided += settled ? 1.0 : 0.0;
    waited += static_cast<double>((settled ? dec.decided_step[item] : static_cast<std::int64_t>(steps)) -
                                  dec.blocked_since[item]);
  }
  out[kDecisionsResolvedShare] = blocked > 0 ? decided / blocked : kNaN;
  out[kMeanDecisionTime] = blocked > 0 ? waited / blocked : kNaN;
  const double samples = totals.effort_samples;
  out[kEffortCountyMean] = samples > 0 ? totals.effort_county / samples : kNaN;
  out[kEffortLeadMean] = samples > 0 ? totals.effort_lead / samples : kNaN;
  out[kEffortGrassrootsMean] = samples > 0 ? totals.effort_grassroots / samples : kNaN;
  out[kCoordinationHoursTotal] = totals.coordination;
  out[kOnboardingHoursTotal] = totals.seconded_onboarding + totals.lead_training;
}

}  // namespace coordsim::models::governance
