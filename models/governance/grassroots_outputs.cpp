// Outcomes of the grassroots and citizen layer (MODEL.md §5): per township (load/capacity,
// fatigue, turnover, hours on reporting, downward tasks and citizen service, real vs reported
// attainment — the 形式主义 of S2/S3 made countable) and for citizens (arrivals, resolved, passed
// back, abandoned, petitions, backlog, time to resolution, satisfaction, travel; S1, S3, S4).
// Reductions run serially in township order, so records do not depend on the thread count.
// With grassroots.count = 0 counts are 0 and means are NaN.
#include "grassroots_outputs.hpp"

#include <cmath>
#include <limits>

#include "citizens.hpp"

namespace coordsim::models::governance {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double ratio(double a, double b) { return b > 0.0 ? a / b : kNaN; }
}  // namespace

void append_grassroots_outputs(sim::OutputLayout& layout, std::size_t townships) {
  layout.series.insert(
      layout.series.end(),
      {
          {"township_load_ratio", "1",
           "Mean over townships of hours needed (reports, tasks, citizens) over hours available"},
          {"township_fatigue", "1", "Mean fatigue of townships"},
          {"township_turnover", "count", "Officials who left their township this step"},
          {"township_hours_available", "h", "Hours of all townships' officials this step"},
          {"township_hours_reporting", "h", "Township hours on reports of dispatched tasks (调度评比)"},
          {"township_hours_tasks", "h", "Township hours on downward tasks"},
          {"township_hours_service", "h", "Township hours serving citizens"},
          {"township_attainment_real", "1",
           "Mean over townships of real target attainment, last assessment (NaN before)"},
          {"township_attainment_reported", "1", "Mean over townships of reported target attainment, last assessment"},
          {"target_penalties", "count", "Missed rigid targets found and penalised this step"},
          {"demands_arrived", "count", "Citizen demands arrived this step"},
          {"demands_resolved", "count", "Citizen demands resolved this step"},
          {"demands_passed_back", "count", "Passes back (推诿) this step"},
          {"demands_abandoned", "count", "Demands given up by citizens this step"},
          {"petitions", "count", "Abandoned demands that became petitions (越级上访) this step"},
          {"demands_open", "count", "Open demands at the end of the step (backlog)"},
          {"mean_time_to_resolution", "steps", "Mean steps from arrival to resolution of demands resolved this step"},
          {"citizen_satisfaction", "1", "Mean satisfaction of demands closed this step (abandoned: 0)"},
          {"reports_suppressed", "count", "Reports on officials suppressed locally this step (人情式监督)"},
          {"report_cases_closed", "count", "Report cases closed by specialists this step"},
          {"demands_without_travel", "count", "Demands resolved this step without a trip by the citizen"},
      });
  layout.agent_kinds.push_back(
      {"township",
       townships,
       {
           {"load_ratio", "1", "Hours needed over hours available"},
           {"fatigue", "1", "Fatigue of the township's officials"},
           {"turnover", "count", "Officials who left this step"},
           {"hours_available", "h", "Hours of officials in post (and diverted specialists)"},
           {"hours_reporting", "h", "Hours on reports of dispatched tasks"},
           {"hours_tasks", "h", "Hours on downward tasks"},
           {"hours_service", "h", "Hours serving citizens"},
           {"hours_idle", "h", "Hours left unused"},
           {"share_reporting", "1", "Share of available hours on reporting (NaN: no hours)"},
           {"share_service", "1", "Share of available hours on citizen service (NaN: no hours)"},
           {"attainment_real", "1", "Real target attainment, last assessment (NaN before)"},
           {"attainment_reported", "1", "Reported target attainment, last assessment (NaN before)"},
           {"open_demands", "count", "Open citizen demands"},
           {"productivity", "1", "Work per hour: mean expertise x (1 - kappa x fatigue)"},
       }});
  layout.summaries.insert(
      layout.summaries.end(),
      {
          {{"township_fatigue_mean", "1", "Mean fatigue over townships and steps"}, false},
          {{"township_turnover_total", "count", "Officials who left, whole run"}, false},
          {{"township_share_reporting", "1", "Reporting hours over available township hours, whole run"}, false},
          {{"township_share_service", "1", "Citizen-service hours over available township hours, whole run"}, false},
          {{"township_hours_reporting_total", "h", "Township hours on reporting (paperwork), whole run"}, true},
          {{"township_hours_service_total", "h", "Township hours on citizen service, whole run"}, false},
          {{"township_staff_total", "persons", "Official posts and specialists of all townships"}, false},
          {{"attainment_real_mean", "1", "Mean real target attainment over townships and periods"}, false},
          {{"attainment_reported_mean", "1", "Mean reported target attainment over townships and periods"}, false},
          {{"attainment_supply_mean", "1", "Mean real attainment of the supply target (targets.conflict)"}, false},
          {{"attainment_safety_mean", "1", "Mean real attainment of the safety target (targets.conflict)"}, false},
          {{"target_penalties_total", "count", "Missed rigid targets penalised, whole run"}, false},
          {{"demands_total", "count", "Citizen demands arrived, whole run"}, false},
          {{"share_demands_resolved", "1", "Demands resolved over demands arrived"}, false},
          {{"share_demands_abandoned", "1", "Demands abandoned over demands arrived"}, false},
          {{"passed_back_per_demand", "1", "Passes back over demands arrived"}, false},
          {{"petitions_total", "count", "Petitions, whole run"}, true},
          {{"mean_time_to_resolution", "steps", "Mean steps from arrival to resolution over resolved demands"}, false},
          {{"mean_satisfaction", "1", "Mean satisfaction over closed demands (abandoned: 0)"}, false},
          {{"share_without_travel", "1", "Share of resolved demands settled without a trip"}, false},
          {{"reports_suppressed_total", "count", "Reports suppressed locally, whole run"}, false},
          {{"mean_report_case_time", "steps", "Mean steps from arrival to end (closed or abandoned) of report cases"},
           false},
          {{"trips_per_demand", "1", "Citizen trips over closed demands"}, false},
      });
}

void record_grassroots(State& s, std::size_t step, sim::Recorder& recorder) {
  const auto& tw = s.grassroots.townships;
  const auto& d = s.grassroots.demands;
  auto& totals = s.grassroots.totals;
  double* row = recorder.series_row(step) + kGrassrootsSeriesBegin;
  const std::size_t n = tw.size();
  double load = 0, fatigue = 0, turnover = 0, available = 0, reporting = 0, tasks = 0, service = 0;
  double real = 0, reported = 0, assessed = 0, penalties = 0, open = 0;
  double arrived = 0, resolved = 0, passed = 0, abandoned = 0, petitions = 0, time = 0, satisfaction = 0;
  double suppressed = 0, cases = 0, without_travel = 0, trips = 0, case_time = 0, cases_ended = 0;
  for (std::size_t j = 0; j < n; ++j) {
    load += tw.load_ratio[j];
    fatigue += tw.fatigue[j];
    turnover += tw.turnover[j];
    available += tw.hours_available[j];
    reporting += tw.hours_reporting[j];
    tasks += tw.hours_tasks[j];
    service += tw.hours_service[j];
    if (!std::isnan(tw.attainment_real[j])) {
      real += tw.attainment_real[j];
      reported += tw.attainment_reported[j];
      assessed += 1.0;
    }
    penalties += tw.penalties[j];
    open += open_demands(d, j);
    const auto& c = tw.citizens[j];
    arrived += c.arrived;
    resolved += c.resolved;
    passed += c.passed_back;
    abandoned += c.abandoned;
    petitions += c.petitions;
    time += c.time_sum;
    satisfaction += c.satisfaction_sum;
    suppressed += c.suppressed;
    cases += c.cases_closed;
    without_travel += c.without_travel;
    trips += c.trips;
    case_time += c.case_time_sum;
    cases_ended += c.cases_ended;
  }
  const double townships = static_cast<double>(n);
  row[kTownshipLoadRatio] = ratio(load, townships);
  row[kTownshipFatigue] = ratio(fatigue, townships);
  row[kTownshipTurnover] = turnover;
  row[kTownshipHoursAvailable] = available;
  row[kTownshipHoursReporting] = reporting;
  row[kTownshipHoursTasks] = tasks;
  row[kTownshipHoursService] = service;
  row[kTownshipAttainmentReal] = ratio(real, assessed);
  row[kTownshipAttainmentReported] = ratio(reported, assessed);
  row[kTargetPenalties] = penalties;
  row[kDemandsArrived] = arrived;
  row[kDemandsResolved] = resolved;
  row[kDemandsPassedBack] = passed;
  row[kDemandsAbandoned] = abandoned;
  row[kPetitions] = petitions;
  row[kDemandsOpen] = open;
  row[kMeanTimeToResolution] = ratio(time, resolved);
  row[kCitizenSatisfaction] = ratio(satisfaction, resolved + abandoned);
  row[kReportsSuppressed] = suppressed;
  row[kReportCasesClosed] = cases;
  row[kDemandsWithoutTravel] = without_travel;

  totals.fatigue += fatigue;
  totals.samples += townships;
  totals.turnover += turnover;
  totals.penalties += penalties;
  totals.hours_available += available;
  totals.hours_reporting += reporting;
  totals.hours_tasks += tasks;
  totals.hours_service += service;
  totals.arrived += arrived;
  totals.resolved += resolved;
  totals.abandoned += abandoned;
  totals.passed_back += passed;
  totals.petitions += petitions;
  totals.without_travel += without_travel;
  totals.suppressed += suppressed;
  totals.trips += trips;
  totals.time_sum += time;
  totals.satisfaction_sum += satisfaction;
  totals.cases_ended += cases_ended;
  totals.case_time_sum += case_time;

  if (!recorder.agents_due(step) || n == 0) return;
  double* rows[kTownshipVariableCount];
  for (std::size_t v = 0; v < kTownshipVariableCount; ++v) rows[v] = recorder.agent_row(kTownshipKind, v, step);
  for (std::size_t j = 0; j < n; ++j) {
    rows[kTownLoadRatio][j] = tw.load_ratio[j];
    rows[kTownFatigue][j] = tw.fatigue[j];
    rows[kTownTurnover][j] = tw.turnover[j];
    rows[kTownHoursAvailable][j] = tw.hours_available[j];
    rows[kTownHoursReporting][j] = tw.hours_reporting[j];
    rows[kTownHoursTasks][j] = tw.hours_tasks[j];
    rows[kTownHoursService][j] = tw.hours_service[j];
    rows[kTownHoursIdle][j] = tw.hours_idle[j];
    rows[kTownShareReporting][j] = ratio(tw.hours_reporting[j], tw.hours_available[j]);
    rows[kTownShareService][j] = ratio(tw.hours_service[j], tw.hours_available[j]);
    rows[kTownAttainmentReal][j] = tw.attainment_real[j];
    rows[kTownAttainmentReported][j] = tw.attainment_reported[j];
    rows[kTownOpenDemands][j] = open_demands(d, j);
    rows[kTownProductivity][j] = tw.productivity[j];
  }
}

void summarize_grassroots(const State& s, std::size_t, sim::Recorder& recorder) {
  const auto& tw = s.grassroots.townships;
  const auto& t = s.grassroots.totals;
  double real = 0, reported = 0, periods = 0, supply = 0, safety = 0, staff = 0;
  for (std::size_t j = 0; j < tw.size(); ++j) {
    real += tw.real_sum[j];
    reported += tw.reported_sum[j];
    periods += tw.periods[j];
    supply += tw.supply_sum[j];
    safety += tw.safety_sum[j];
    staff += static_cast<double>(tw.official_begin[j + 1] - tw.official_begin[j]) + s.parameters.grassroots.specialists;
  }
  const bool conflict = s.parameters.targets.conflict;
  const double closed = t.resolved + t.abandoned;
  double* out = recorder.summaries() + kGrassrootsSummaryBegin;
  out[kFatigueMean] = ratio(t.fatigue, t.samples);
  out[kTurnoverTotal] = t.turnover;
  out[kShareHoursReporting] = ratio(t.hours_reporting, t.hours_available);
  out[kShareHoursService] = ratio(t.hours_service, t.hours_available);
  out[kHoursReportingTotal] = t.hours_reporting;
  out[kHoursServiceTotal] = t.hours_service;
  out[kTownshipStaffTotal] = staff;
  out[kAttainmentRealMean] = ratio(real, periods);
  out[kAttainmentReportedMean] = ratio(reported, periods);
  out[kAttainmentSupplyMean] = conflict ? ratio(supply, periods) : kNaN;
  out[kAttainmentSafetyMean] = conflict ? ratio(safety, periods) : kNaN;
  out[kTargetPenaltiesTotal] = t.penalties;
  out[kDemandsTotal] = t.arrived;
  out[kShareDemandsResolved] = ratio(t.resolved, t.arrived);
  out[kShareDemandsAbandoned] = ratio(t.abandoned, t.arrived);
  out[kPassedBackPerDemand] = ratio(t.passed_back, t.arrived);
  out[kPetitionsTotal] = t.petitions;
  out[kMeanTimeToResolutionRun] = ratio(t.time_sum, t.resolved);
  out[kMeanSatisfaction] = ratio(t.satisfaction_sum, closed);
  out[kShareWithoutTravel] = ratio(t.without_travel, t.resolved);
  out[kReportsSuppressedTotal] = t.suppressed;
  out[kMeanReportCaseTime] = ratio(t.case_time_sum, t.cases_ended);
  out[kTripsPerDemand] = ratio(t.trips, closed);
}

void append_township_hours_balance(const State& s, std::vector<std::pair<double, double>>& balance) {
  const auto& tw = s.grassroots.townships;
  for (std::size_t j = 0; j < tw.size(); ++j)
    balance.emplace_back(tw.hours_reporting[j] + tw.hours_tasks[j] + tw.hours_service[j], tw.hours_available[j]);
}

}  // namespace coordsim::models::governance
