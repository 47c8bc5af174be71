// The grassroots and citizen layer as one mechanism of the model (ODD 3.10), and its outcomes
// (MODEL.md §5): per township (load/capacity,
// fatigue, turnover, hours on reporting, downward tasks and citizen service, real vs reported
// attainment — the 形式主义 of S2/S3 made countable) and for citizens (arrivals, resolved, passed
// back, abandoned, petitions, backlog, time to resolution, satisfaction, travel; S1, S3, S4).
// Reductions run serially in township order, so records do not depend on the thread count.
// With grassroots.count = 0 counts are 0 and means are NaN.
#include <cmath>
#include <limits>

#include "citizens.hpp"
#include "clusters.hpp"
#include "composition.hpp"
#include "grassroots.hpp"

namespace coordsim::models::governance {
namespace {

using sim::Aggregation;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double ratio(double a, double b) { return b > 0.0 ? a / b : kNaN; }

// Reductions of one step over townships (in township order) shared by the series, and run totals.
void tally(State& s, std::size_t, bool) {
  const auto& tw = s.grassroots.townships;
  const auto& d = s.grassroots.demands;
  auto& totals = s.grassroots.totals;
  GrassrootsTally y;  // a local: sums kept in registers, not stored through `s` at every township
  const std::size_t n = tw.size();
  for (std::size_t j = 0; j < n; ++j) {
    y.load += tw.load_ratio[j];
    y.fatigue += tw.fatigue[j];
    y.turnover += tw.turnover[j];
    y.available += tw.hours_available[j];
    y.reporting += tw.hours_reporting[j];
    y.tasks += tw.hours_tasks[j];
    y.service += tw.hours_service[j];
    if (!std::isnan(tw.attainment_real[j])) {
      y.real += tw.attainment_real[j];
      y.reported += tw.attainment_reported[j];
      y.assessed += 1.0;
    }
    y.penalties += tw.penalties[j];
    y.open += open_demands(d, j);
    const auto& c = tw.citizens[j];
    y.arrived += c.arrived;
    y.resolved += c.resolved;
    y.passed += c.passed_back;
    y.abandoned += c.abandoned;
    y.petitions += c.petitions;
    y.time += c.time_sum;
    y.satisfaction += c.satisfaction_sum;
    y.suppressed += c.suppressed;
    y.cases += c.cases_closed;
    y.without_travel += c.without_travel;
    y.trips += c.trips;
    y.case_time += c.case_time_sum;
    y.cases_ended += c.cases_ended;
  }
  y.townships = static_cast<double>(n);
  s.grassroots.tally = y;

  totals.fatigue += y.fatigue;
  totals.samples += y.townships;
  totals.turnover += y.turnover;
  totals.penalties += y.penalties;
  totals.hours_available += y.available;
  totals.hours_reporting += y.reporting;
  totals.hours_tasks += y.tasks;
  totals.hours_service += y.service;
  totals.arrived += y.arrived;
  totals.resolved += y.resolved;
  totals.abandoned += y.abandoned;
  totals.passed_back += y.passed;
  totals.petitions += y.petitions;
  totals.without_travel += y.without_travel;
  totals.suppressed += y.suppressed;
  totals.trips += y.trips;
  totals.time_sum += y.time;
  totals.satisfaction_sum += y.satisfaction;
  totals.cases_ended += y.cases_ended;
  totals.case_time_sum += y.case_time;
}

// Sums over townships of their assessment periods and staff, for the end-of-run summaries.
struct PeriodSums {
  double real = 0, reported = 0, periods = 0, supply = 0, safety = 0, staff = 0;
};
PeriodSums periods(const State& s) {
  const auto& tw = s.grassroots.townships;
  PeriodSums p;
  for (std::size_t j = 0; j < tw.size(); ++j) {
    p.real += tw.real_sum[j];
    p.reported += tw.reported_sum[j];
    p.periods += tw.periods[j];
    p.supply += tw.supply_sum[j];
    p.safety += tw.safety_sum[j];
    p.staff +=
        static_cast<double>(tw.official_begin[j + 1] - tw.official_begin[j]) + s.parameters.grassroots.specialists;
  }
  return p;
}

void declare_reporters(GovernanceMechanism& m) {
  // Series from the step's tally, per-township variables, and summaries from the run totals.
  const auto tally = [&m](sim::VariableSpec v, Aggregation how, double (*value)(const GrassrootsTally&)) {
    m.series(std::move(v), how, [value](const State& s) { return value(s.grassroots.tally); });
  };
  const auto township = [&m](sim::VariableSpec v, double (*value)(const State&, const Townships&, std::size_t)) {
    m.agents("township", std::move(v), [value](const State& s, std::size_t, double* row) {
      const auto& tw = s.grassroots.townships;
      for (std::size_t j = 0; j < tw.size(); ++j) row[j] = value(s, tw, j);
    });
  };
  const auto total = [&m](sim::VariableSpec v, bool key, Aggregation how, double (*value)(const GrassrootsTotals&)) {
    m.summary(std::move(v), key, how, [value](const State& s, std::size_t) { return value(s.grassroots.totals); });
  };
  const auto run = [&m](sim::VariableSpec v, Aggregation how, double (*value)(const State&)) {
    m.summary(std::move(v), false, how, [value](const State& s, std::size_t) { return value(s); });
  };
  tally({"township_load_ratio", "1",
         "Mean over townships of hours needed (reports, tasks, citizens) over hours available"},
        Aggregation::Mean, [](const GrassrootsTally& y) { return ratio(y.load, y.townships); });
  tally({"township_fatigue", "1", "Mean fatigue of townships"}, Aggregation::Mean,
        [](const GrassrootsTally& y) { return ratio(y.fatigue, y.townships); });
  tally({"township_turnover", "count", "Officials who left their township this step"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.turnover; });
  tally({"township_hours_available", "h", "Hours of all townships' officials this step"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.available; });
  tally({"township_hours_reporting", "h", "Township hours on reports of dispatched tasks (调度评比)"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.reporting; });
  tally({"township_hours_tasks", "h", "Township hours on downward tasks"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.tasks; });
  tally({"township_hours_service", "h", "Township hours serving citizens"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.service; });
  tally(
      {"township_attainment_real", "1", "Mean over townships of real target attainment, last assessment (NaN before)"},
      Aggregation::Mean, [](const GrassrootsTally& y) { return ratio(y.real, y.assessed); });
  tally({"township_attainment_reported", "1", "Mean over townships of reported target attainment, last assessment"},
        Aggregation::Mean, [](const GrassrootsTally& y) { return ratio(y.reported, y.assessed); });
  tally({"target_penalties", "count", "Missed rigid targets found and penalised this step"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.penalties; });
  tally({"demands_arrived", "count", "Citizen demands arrived this step"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.arrived; });
  tally({"demands_resolved", "count", "Citizen demands resolved this step"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.resolved; });
  tally({"demands_passed_back", "count", "Passes back (推诿) this step"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.passed; });
  tally({"demands_abandoned", "count", "Demands given up by citizens this step"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.abandoned; });
  tally({"petitions", "count", "Abandoned demands that became petitions (越级上访) this step"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.petitions; });
  tally({"demands_open", "count", "Open demands at the end of the step (backlog)"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.open; });
  tally({"mean_time_to_resolution", "steps", "Mean steps from arrival to resolution of demands resolved this step"},
        Aggregation::Mean, [](const GrassrootsTally& y) { return ratio(y.time, y.resolved); });
  tally({"citizen_satisfaction", "1", "Mean satisfaction of demands closed this step (abandoned: 0)"},
        Aggregation::Mean, [](const GrassrootsTally& y) { return ratio(y.satisfaction, y.resolved + y.abandoned); });
  tally({"reports_suppressed", "count", "Reports on officials suppressed locally this step (人情式监督)"},
        Aggregation::Sum, [](const GrassrootsTally& y) { return y.suppressed; });
  tally({"report_cases_closed", "count", "Report cases closed by specialists this step"}, Aggregation::Sum,
        [](const GrassrootsTally& y) { return y.cases; });
  tally({"demands_without_travel", "count", "Demands resolved this step without a trip by the citizen"},
        Aggregation::Sum, [](const GrassrootsTally& y) { return y.without_travel; });
  township({"load_ratio", "1", "Hours needed over hours available"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.load_ratio[j]; });
  township({"fatigue", "1", "Fatigue of the township's officials"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.fatigue[j]; });
  township({"turnover", "count", "Officials who left this step"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.turnover[j]; });
  township({"hours_available", "h", "Hours of officials in post (and diverted specialists)"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.hours_available[j]; });
  township({"hours_reporting", "h", "Hours on reports of dispatched tasks"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.hours_reporting[j]; });
  township({"hours_tasks", "h", "Hours on downward tasks"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.hours_tasks[j]; });
  township({"hours_service", "h", "Hours serving citizens"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.hours_service[j]; });
  township({"hours_idle", "h", "Hours left unused"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.hours_idle[j]; });
  township({"share_reporting", "1", "Share of available hours on reporting (NaN: no hours)"},
           [](const State&, const Townships& tw, std::size_t j) -> double {
             return ratio(tw.hours_reporting[j], tw.hours_available[j]);
           });
  township({"share_service", "1", "Share of available hours on citizen service (NaN: no hours)"},
           [](const State&, const Townships& tw, std::size_t j) -> double {
             return ratio(tw.hours_service[j], tw.hours_available[j]);
           });
  township({"attainment_real", "1", "Real target attainment, last assessment (NaN before)"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.attainment_real[j]; });
  township({"attainment_reported", "1", "Reported target attainment, last assessment (NaN before)"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.attainment_reported[j]; });
  township(
      {"open_demands", "count", "Open citizen demands"},
      [](const State& s, const Townships&, std::size_t j) -> double { return open_demands(s.grassroots.demands, j); });
  township({"productivity", "1", "Work per hour: mean expertise x (1 - kappa x fatigue)"},
           [](const State&, const Townships& tw, std::size_t j) -> double { return tw.productivity[j]; });
  total({"township_fatigue_mean", "1", "Mean fatigue over townships and steps"}, false, Aggregation::Mean,
        [](const GrassrootsTotals& t) { return ratio(t.fatigue, t.samples); });
  total({"township_turnover_total", "count", "Officials who left, whole run"}, false, Aggregation::Sum,
        [](const GrassrootsTotals& t) { return t.turnover; });
  total({"township_share_reporting", "1", "Reporting hours over available township hours, whole run"}, false,
        Aggregation::Mean, [](const GrassrootsTotals& t) { return ratio(t.hours_reporting, t.hours_available); });
  total({"township_share_service", "1", "Citizen-service hours over available township hours, whole run"}, false,
        Aggregation::Mean, [](const GrassrootsTotals& t) { return ratio(t.hours_service, t.hours_available); });
  total({"township_hours_reporting_total", "h", "Township hours on reporting (paperwork), whole run"}, true,
        Aggregation::Sum, [](const GrassrootsTotals& t) { return t.hours_reporting; });
  total({"township_hours_service_total", "h", "Township hours on citizen service, whole run"}, false, Aggregation::Sum,
        [](const GrassrootsTotals& t) { return t.hours_service; });
  run({"township_staff_total", "persons", "Official posts and specialists of all townships"}, Aggregation::Sum,
      [](const State& s) { return periods(s).staff; });
  run({"attainment_real_mean", "1", "Mean real target attainment over townships and periods"}, Aggregation::Mean,
      [](const State& s) { return ratio(periods(s).real, periods(s).periods); });
  run({"attainment_reported_mean", "1", "Mean reported target attainment over townships and periods"},
      Aggregation::Mean, [](const State& s) { return ratio(periods(s).reported, periods(s).periods); });
  run({"attainment_supply_mean", "1", "Mean real attainment of the supply target (targets.conflict)"},
      Aggregation::Mean, [](const State& s) {
        return s.parameters.targets.conflict ? ratio(periods(s).supply, periods(s).periods) : kNaN;
      });
  run({"attainment_safety_mean", "1", "Mean real attainment of the safety target (targets.conflict)"},
      Aggregation::Mean, [](const State& s) {
        return s.parameters.targets.conflict ? ratio(periods(s).safety, periods(s).periods) : kNaN;
      });
  total({"target_penalties_total", "count", "Missed rigid targets penalised, whole run"}, false, Aggregation::Sum,
        [](const GrassrootsTotals& t) { return t.penalties; });
  total({"demands_total", "count", "Citizen demands arrived, whole run"}, false, Aggregation::Sum,
        [](const GrassrootsTotals& t) { return t.arrived; });
  total({"share_demands_resolved", "1", "Demands resolved over demands arrived"}, false, Aggregation::Mean,
        [](const GrassrootsTotals& t) { return ratio(t.resolved, t.arrived); });
  total({"share_demands_abandoned", "1", "Demands abandoned over demands arrived"}, false, Aggregation::Mean,
        [](const GrassrootsTotals& t) { return ratio(t.abandoned, t.arrived); });
  total({"passed_back_per_demand", "1", "Passes back over demands arrived"}, false, Aggregation::Mean,
        [](const GrassrootsTotals& t) { return ratio(t.passed_back, t.arrived); });
  total({"petitions_total", "count", "Petitions, whole run"}, true, Aggregation::Sum,
        [](const GrassrootsTotals& t) { return t.petitions; });
  total({"mean_time_to_resolution", "steps", "Mean steps from arrival to resolution over resolved demands"}, false,
        Aggregation::Mean, [](const GrassrootsTotals& t) { return ratio(t.time_sum, t.resolved); });
  total({"mean_satisfaction", "1", "Mean satisfaction over closed demands (abandoned: 0)"}, false, Aggregation::Mean,
        [](const GrassrootsTotals& t) { return ratio(t.satisfaction_sum, t.resolved + t.abandoned); });
  total({"share_without_travel", "1", "Share of resolved demands settled without a trip"}, false, Aggregation::Mean,
        [](const GrassrootsTotals& t) { return ratio(t.without_travel, t.resolved); });
  total({"reports_suppressed_total", "count", "Reports suppressed locally, whole run"}, false, Aggregation::Sum,
        [](const GrassrootsTotals& t) { return t.suppressed; });
  total({"mean_report_case_time", "steps", "Mean steps from arrival to end (closed or abandoned) of report cases"},
        false, Aggregation::Mean, [](const GrassrootsTotals& t) { return ratio(t.case_time_sum, t.cases_ended); });
  total({"trips_per_demand", "1", "Citizen trips over closed demands"}, false, Aggregation::Mean,
        [](const GrassrootsTotals& t) { return ratio(t.trips, t.resolved + t.abandoned); });
}

}  // namespace

// The layer as a mechanism of the model: parameters (grassroots.*, targets.*, citizens.*,
// clusters.*, platform.*), generation of townships, officials, demand pool and clusters, the
// townships' step after the county's phases and the clusters' casework after it, the `township`
// agent kind and its outcomes, and the townships' hours as part of the model's hours ledger.
GovernanceMechanism grassroots_mechanism() {
  GovernanceMechanism m("grassroots");
  declare_grassroots_parameters(m.parameters());
  m.check(check_grassroots_parameters);
  m.init(generate_grassroots)
      .step(kPhaseTownships, "townships", run_townships_phase)
      .step(kPhaseClusters, "cluster casework", run_clusters_phase);
  m.agent_kind("township", [](const Parameters& p) { return static_cast<std::size_t>(p.grassroots.count); });
  m.tally(tally);
  declare_reporters(m);
  m.ledger("hours", [](const State& s, sim::Ledger& ledger) {
    const auto& tw = s.grassroots.townships;
    for (std::size_t j = 0; j < tw.size(); ++j) {
      ledger.used.push_back(tw.hours_reporting[j] + tw.hours_tasks[j] + tw.hours_service[j]);
      ledger.available.push_back(tw.hours_available[j]);
    }
  });
  return m;
}

}  // namespace coordsim::models::governance
