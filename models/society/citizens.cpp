// Citizens' demands (群众诉求, MODEL.md §3.6, §4.4). Demands arrive at each township (Poisson, per
// 1,000 residents), need the sign-off of one to max_signoffs departments, and come in person
// (walk-in: the township's intake first, one trip) or, where the 益村 platform runs, the resident is
// registered and the matter is in the service catalogue, through the village service agent, who files
// it into the departments' queues without a trip when it decides to give it hours (villages.cpp, §3.8). A township with authority settles one-department matters itself; otherwise every
// needed sign-off is department work (§4.4): one after another, a trip each (sequential), or all at
// once plus a joint consultation (one-stop, 一件事). A demand still open at the end of the citizen's
// patience is abandoned and may become a petition (越级上访, S3), which claims leadership attention
// and adds commission casework.
#include <algorithm>
#include <cmath>

#include "society.hpp"

namespace coordsim::models::society {
namespace {

using sim::Aggregation;

void arrive(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.citizens;
  const auto step = static_cast<std::int64_t>(c.step);
  const auto nd = s.departments.size();
  auto& w = s.townships;
  for (std::size_t t = 0; t < w.size(); ++t) {
    auto r = c.rng.stream(c.step, t, purpose::kDemand);
    const auto n = r.poisson(p.rate_per_thousand * w.residents[t] / 1000.0);
    for (std::int64_t k = 0; k < n; ++k) {
      Demand d{};
      d.township = static_cast<std::uint32_t>(t);
      const bool multi = r.uniform() < p.multi_share && p.max_signoffs > 1 && nd > 1;
      d.needed = static_cast<std::uint8_t>(
          multi ? 2 + r.below(static_cast<std::uint64_t>(std::min<std::int64_t>(p.max_signoffs, 3) - 1)) : 1);
      for (std::uint8_t j = 0; j < d.needed; ++j) {
        // Distinct departments for one demand.
        std::uint32_t pick;
        bool again;
        do {
          pick = static_cast<std::uint32_t>(r.below(nd));
          again = false;
          for (std::uint8_t i = 0; i < j; ++i) again |= d.departments[i] == pick;
        } while (again);
        d.departments[j] = pick;
      }
      d.registered = p.platform && r.uniform() < w.registered[t];
      d.channel = 0;
      d.arrived = step;
      d.patience_until = step + static_cast<std::int64_t>(std::ceil(-p.patience_mean * std::log(1.0 - r.uniform())));
      d.open = true;
      d.closed = kNever;
      const auto index = static_cast<std::uint32_t>(s.demands.size());
      s.demands.push_back(d);
      s.open_demands.push_back(index);
      s.flows.arrived += 1.0;
      // A registered citizen's demand within the catalogue waits for the village agent to file it (no
      // trip, no intake); any other demand comes in person.
      if (!reach_village(s, index, c)) {
        s.intake.push_back(index);
        s.flows.trips += 1.0;
        ++s.demands[index].trips;
      }
    }
  }
}

void close_demands(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.citizens;
  const auto step = static_cast<std::int64_t>(c.step);
  std::vector<std::uint32_t> still;
  for (const auto index : s.open_demands) {
    auto& d = s.demands[index];
    if (d.registered && (d.done >= d.needed || step >= d.patience_until)) {
      s.flows.registered_closed += 1.0;
      if (d.done >= d.needed && d.trips == 0) s.flows.settled_online += 1.0;
    }
    if (d.done >= d.needed) {
      d.open = false;
      d.closed = step;
      s.flows.resolved += 1.0;
      s.flows.resolution_time += static_cast<double>(step - d.arrived);
      continue;
    }
    if (step >= d.patience_until) {
      d.open = false;
      d.closed = step;
      s.flows.abandoned += 1.0;
      auto r = c.rng.stream(c.step, index, purpose::kPetition);
      if (r.uniform() < p.petition_share) {
        raise_petition(s, step);
        s.core_backlog += s.parameters.commission.petition_cases * s.parameters.commission.core_case_hours;
      }
      continue;
    }
    still.push_back(index);
  }
  s.open_demands.swap(still);
  std::erase_if(s.signoffs, [&](const SignOff& so) { return !s.demands[so.demand].open; });
}

void tally(State& s, std::size_t, bool) {
  auto& t = s.totals;
  t.arrived += s.flows.arrived;
  t.resolved += s.flows.resolved;
  t.resolution_time += s.flows.resolution_time;
  t.abandoned += s.flows.abandoned;
  t.passed_back += s.flows.passed_back;
  t.trips += s.flows.trips;
  t.petitions += s.flows.petitions;
  t.wasted_pass_back += s.flows.hours_wasted_pass_back;
}

}  // namespace

void route_demand(State& s, std::uint32_t index, std::int64_t step, bool township_settles) {
  auto& d = s.demands[index];
  if (township_settles) {
    d.done = d.needed;  // 赋权: settled in the township
    return;
  }
  if (s.parameters.citizens.one_stop) {
    for (std::uint8_t j = 0; j < d.needed; ++j) s.signoffs.push_back({index, d.departments[j], step});
  } else {
    s.signoffs.push_back({index, d.departments[0], step});
  }
}

void raise_petition(State& s, std::int64_t step) {
  s.flows.petitions += 1.0;
  s.petition_steps.push_back(step);
}

SocietyMechanism citizens_mechanism() {
  SocietyMechanism m("citizens");
  m.parameters()
      .block("citizens", &Parameters::citizens)
      .real("rate_per_thousand", &CitizenParameters::rate_per_thousand, 0.05, 0.0, 1e4, "1/step", "Demands per 1,000 residents per step")
      .real("multi_share", &CitizenParameters::multi_share, 0.3, 0.0, 1.0, "1", "Share of demands needing several departments' sign-offs")
      .integer("max_signoffs", &CitizenParameters::max_signoffs, 3, 1, 3, "count", "Most departments one demand needs")
      .real("intake_hours", &CitizenParameters::intake_hours, 2.0, 0.0, 1e4, "h", "Township hours to take in a walk-in demand")
      .real("patience_mean", &CitizenParameters::patience_mean, 60.0, 1.0, 1e6, "steps", "Mean patience of a citizen (exponential)")
      .real("petition_share", &CitizenParameters::petition_share, 0.15, 0.0, 1.0, "1", "Share of abandoned demands that become petitions (越级上访, S3)")
      .real("return_delay", &CitizenParameters::return_delay, 3.0, 0.0, 1e4, "steps", "Steps a citizen needs for another trip")
      .boolean("one_stop", &CitizenParameters::one_stop, false, "One-stop handling (一件事, S1): parallel sign-offs plus one joint consultation")
      .boolean("platform", &CitizenParameters::platform, false, "The 益村 platform with village service agents (S3)")
      .real("registered_final", &CitizenParameters::registered_final, 0.367, 0.0, 1.0, "1", "Share of residents registered in the long run (S3: 36.7%)")
      .real("registration_rate", &CitizenParameters::registration_rate, 0.02, 0.0, 1.0, "1/step", "Speed at which registration approaches its final share")
      .real("platform_report_cut", &CitizenParameters::platform_report_cut, 0.3, 0.0, 1.0, "1", "Share of ranked-task reporting the platform's records replace at full registration");
  m.step(kPhaseArrivals, "demands", arrive);
  m.step(kPhaseCitizens, "close", close_demands);
  m.tally(tally);
  m.series({"citizen_arrivals", "count", "Demands arriving"}, Aggregation::Sum, [](const State& s) { return s.flows.arrived; })
      .series({"citizen_resolved", "count", "Demands resolved"}, Aggregation::Sum, [](const State& s) { return s.flows.resolved; })
      .series({"citizen_abandoned", "count", "Demands abandoned"}, Aggregation::Sum, [](const State& s) { return s.flows.abandoned; })
      .series({"citizen_passed_back", "count", "Sign-offs passed back (推诿)"}, Aggregation::Sum, [](const State& s) { return s.flows.passed_back; })
      .series({"citizen_open", "count", "Demands open"}, Aggregation::Sum, [](const State& s) { return static_cast<double>(s.open_demands.size()); })
      .series({"petitions", "count", "Petitions raised"}, Aggregation::Sum, [](const State& s) { return s.flows.petitions; })
      .series({"citizen_trips", "count", "Trips citizens made"}, Aggregation::Sum, [](const State& s) { return s.flows.trips; });
  m.summary({"citizen_time_to_resolution_mean", "steps", "Mean steps from arrival to resolution"}, true, Aggregation::Mean,
            [](const State& s, std::size_t) {
              return s.totals.resolved > 0.0 ? s.totals.resolution_time / s.totals.resolved
                                             : std::numeric_limits<double>::quiet_NaN();
            })
      .summary({"petitions_total", "count", "Petitions in the run"}, true, Aggregation::Sum,
               [](const State& s, std::size_t) { return s.totals.petitions; })
      .summary({"citizen_abandoned_share", "1", "Share of arrived demands abandoned"}, false, Aggregation::Mean,
               [](const State& s, std::size_t) { return s.totals.arrived > 0.0 ? s.totals.abandoned / s.totals.arrived : 0.0; })
      .summary({"citizen_trips_per_demand", "count", "Trips citizens made per arrived demand"}, false, Aggregation::Mean,
               [](const State& s, std::size_t) { return s.totals.arrived > 0.0 ? s.totals.trips / s.totals.arrived : 0.0; })
      .summary({"citizen_passed_back_total", "count", "Sign-offs passed back"}, false, Aggregation::Sum,
               [](const State& s, std::size_t) { return s.totals.passed_back; });
  return m;
}

}  // namespace coordsim::models::society
