// Villages and their service agents (便民服务员, MODEL.md §3.8, §5.5; seed S3 益村: "梳理130项便民服务
// 事项 / 每个村聘用一名便民服务员", "能够解决村民80%的办事需求"). Every township holds per_township
// villages with a share of its residents; a registered citizen's demand arises in a village drawn by
// residents. Where the platform runs, each village has one service agent with agent_hours per step. A
// registered citizen's demand whose type is in the service catalogue (catalogue_share of demand types)
// joins the agent's queue; the agent splits its hours by the same logit as every agent (choice.hpp,
// P2) over filing each waiting demand (utility w_forward, the weight of platform throughput in its assessment, plus w_wait
// × waiting time over the citizens' mean patience for the platform, capped at 1.5), its other village
// duties (w_duties × backlog over its hours, capped at 1.5; duties arrive at duties_load × its hours)
// and idleness. A demand is filed once it has received file_hours and only then reaches the
// departments' queues, trip-free; one still waiting at the end of the citizen's patience for the
// platform (exponential, mean platform_patience) falls back to the ordinary channel: a trip and the
// township's intake. Demands outside the catalogue come in person at once.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>

#include "choice.hpp"
#include "society.hpp"

namespace coordsim::models::society {
namespace {

using sim::Aggregation;

bool agents_on(const Parameters& p) noexcept { return p.citizens.platform; }

// Villages of every township with a share of its residents (weights 0.5 + U(0, 1), normalised).
void init_villages(State& s, const sim::Rng& rng) {
  const auto& p = s.parameters.villages;
  auto& v = s.villages;
  const auto per = static_cast<std::size_t>(p.per_township);
  const auto n = s.townships.size() * per;
  v.township.assign(n, 0);
  for (auto* x : {&v.residents, &v.duties_backlog, &v.h_forward, &v.h_duties, &v.h_idle}) x->assign(n, 0.0);
  for (std::size_t t = 0; t < s.townships.size(); ++t) {
    auto r = rng.stream(sim::Rng::kSetupStep, t, purpose::kVillage);
    double sum = 0.0;
    for (std::size_t k = 0; k < per; ++k) sum += v.residents[t * per + k] = 0.5 + r.uniform();
    for (std::size_t k = 0; k < per; ++k) {
      v.township[t * per + k] = static_cast<std::uint32_t>(t);
      v.residents[t * per + k] *= s.townships.residents[t] / sum;
      v.duties_backlog[t * per + k] = agents_on(s.parameters) ? p.duties_load * p.agent_hours : 0.0;
    }
  }
}

// The citizen's patience for the platform, in whole steps (at least one).
std::int64_t platform_wait(double mean, double uniform) {
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(-mean * std::log(1.0 - uniform))));
}

// Demands whose citizen stopped waiting go in person (a trip, the township's intake); demands closed
// meanwhile (abandoned at the end of the citizen's whole patience) leave the queue.
void fall_back(State& s, std::int64_t step) {
  std::erase_if(s.filings, [&](const Filing& f) {
    auto& d = s.demands[f.demand];
    if (!d.open) return true;
    if (step < f.give_up) return false;
    s.intake.push_back(f.demand);
    s.flows.trips += 1.0;
    ++d.trips;
    s.flows.fallbacks += 1.0;
    return true;
  });
}

}  // namespace

// Each agent splits its hours over its waiting demands, its other duties and idleness (§3.1 logit).
void decide_village_agents(State& s, std::int64_t step) {
  const auto& p = s.parameters.villages;
  const auto& choice = s.parameters.choice;
  auto& v = s.villages;
  std::fill(v.h_forward.begin(), v.h_forward.end(), 0.0);
  std::fill(v.h_duties.begin(), v.h_duties.end(), 0.0);
  std::fill(v.h_idle.begin(), v.h_idle.end(), 0.0);
  if (!agents_on(s.parameters)) return;
  fall_back(s, step);
  // Waiting demands by village (CSR, arrival order within a village).
  std::vector<std::uint32_t> begin(v.size() + 1, 0), order(s.filings.size());
  for (const auto& f : s.filings) ++begin[f.village + 1];
  for (std::size_t k = 0; k < v.size(); ++k) begin[k + 1] += begin[k];
  std::vector<std::uint32_t> fill(begin.begin(), begin.end() - 1);
  for (std::uint32_t k = 0; k < s.filings.size(); ++k) order[fill[s.filings[k].village]++] = k;
  std::vector<std::uint8_t> filed(s.filings.size(), 0);
  for (std::size_t a = 0; a < v.size(); ++a) {
    v.duties_backlog[a] += p.duties_load * p.agent_hours;
    // Options: the waiting demands (the kMaxOptions − 1 longest waiting when more wait), then duties.
    const std::size_t waiting = std::min<std::size_t>(begin[a + 1] - begin[a], kMaxOptions - 1);
    std::array<double, kMaxOptions> u{}, cap{}, h{};
    for (std::size_t j = 0; j < waiting; ++j) {
      const auto& f = s.filings[order[begin[a] + j]];
      const double waited = static_cast<double>(step - s.demands[f.demand].arrived);
      u[j] = p.w_forward + p.w_wait * std::min(1.5, waited / p.platform_patience);
      cap[j] = std::max(0.0, p.file_hours - f.credit);
    }
    u[waiting] = p.w_duties * std::min(1.5, v.duties_backlog[a] / std::max(1e-9, p.agent_hours));
    cap[waiting] = v.duties_backlog[a];
    const std::size_t n = waiting + 1;
    v.h_idle[a] = allocate(std::span(u.data(), n), std::span(cap.data(), n), p.agent_hours, choice.township_temperature,
                           choice.idle_utility, std::span(h.data(), n));
    v.h_duties[a] = h[waiting];
    v.duties_backlog[a] = std::max(0.0, v.duties_backlog[a] - h[waiting]);
    for (std::size_t j = 0; j < waiting; ++j) {
      const auto k = order[begin[a] + j];
      auto& f = s.filings[k];
      v.h_forward[a] += h[j];
      f.credit += h[j];
      if (f.credit + 1e-9 < p.file_hours) continue;
      // Filed: the demand reaches the departments' queues without a trip (掌上办理).
      filed[k] = 1;
      auto& d = s.demands[f.demand];
      d.channel = 1;
      s.flows.filed += 1.0;
      s.flows.filing_wait += static_cast<double>(step - d.arrived);
      route_demand(s, f.demand, step, false);
    }
  }
  std::vector<Filing> still;
  for (std::size_t k = 0; k < s.filings.size(); ++k)
    if (!filed[k]) still.push_back(s.filings[k]);
  s.filings.swap(still);
}

namespace {

void tally(State& s, std::size_t, bool) {
  auto& t = s.totals;
  t.village_forward += total(s.villages.h_forward);
  t.village_duties += total(s.villages.h_duties);
  t.village_idle += total(s.villages.h_idle);
  t.filed += s.flows.filed;
  t.filing_wait += s.flows.filing_wait;
  t.fallbacks += s.flows.fallbacks;
  t.registered_closed += s.flows.registered_closed;
  t.settled_online += s.flows.settled_online;
}

double ratio(double x, double y) { return y > 0.0 ? x / y : std::numeric_limits<double>::quiet_NaN(); }

}  // namespace

bool reach_village(State& s, std::uint32_t index, const sim::StepContext& c) {
  const auto& d = s.demands[index];
  // Only a registered citizen's demand can go to a village agent; any other needs no village.
  if (!d.registered) return false;
  const auto& v = s.villages;
  const auto per = static_cast<std::size_t>(s.parameters.villages.per_township);
  // A stream of its own per demand: the draws of the other mechanisms do not move.
  auto r = c.rng.stream(c.step, index, purpose::kVillage);
  double x = r.uniform() * s.townships.residents[d.township];
  std::size_t village = d.township * per;
  while (village + 1 < (d.township + 1) * per && x >= v.residents[village]) x -= v.residents[village++];
  const bool covered = r.uniform() < s.parameters.villages.catalogue_share;
  const auto give_up = static_cast<std::int64_t>(c.step) + platform_wait(s.parameters.villages.platform_patience, r.uniform());
  if (!covered) return false;
  s.filings.push_back({index, static_cast<std::uint32_t>(village), give_up, 0.0});
  return true;
}

SocietyMechanism villages_mechanism() {
  SocietyMechanism m("villages");
  m.parameters()
      .block("villages", &Parameters::villages)
      .integer("per_township", &VillageParameters::per_township, 15, 1, 10000, "count",
               "Villages per township, one service agent each when the platform runs (MODEL.md §1: 200–400 villages in a county)")
      .real("agent_hours", &VillageParameters::agent_hours, 2.0, 0.0, 24.0, "h",
            "Hours per step a village service agent works (便民服务员, part-time; assumed)")
      .real("file_hours", &VillageParameters::file_hours, 1.0, 0.01, 100.0, "h",
            "Agent hours to take a demand, check its papers and file it online")
      .real("catalogue_share", &VillageParameters::catalogue_share, 0.9, 0.0, 1.0, "1",
            "Share of demand types in the platform's service catalogue (S3: 130 items)")
      .real("platform_patience", &VillageParameters::platform_patience, 5.0, 0.01, 1e6, "steps",
            "Mean steps a registered citizen waits for the agent to file before going in person (exponential)")
      .real("w_forward", &VillageParameters::w_forward, 1.0, 0.0, 100.0, "1",
            "Utility of filing a waiting demand: the weight of platform throughput in the agent's assessment")
      .real("w_wait", &VillageParameters::w_wait, 1.0, 0.0, 100.0, "1",
            "Added utility of filing per unit of waiting time over platform_patience (capped at 1.5)")
      .real("w_duties", &VillageParameters::w_duties, 0.6, 0.0, 100.0, "1",
            "Weight of the agent's other village duties, times their backlog over its hours (capped at 1.5)")
      .real("duties_load", &VillageParameters::duties_load, 0.8, 0.0, 100.0, "1",
            "Other village duties arriving per step, as a share of the agent's hours");
  m.init(init_villages);
  m.step(kPhaseArrivals, "village agents",
         [](State& s, const sim::StepContext& c) { decide_village_agents(s, static_cast<std::int64_t>(c.step)); }, 10);
  m.tally(tally);
  m.agent_kind("village_agent", [](const Parameters& p) {
    return agents_on(p) ? static_cast<std::size_t>(p.townships.count * p.villages.per_township) : std::size_t{0};
  });
  m.series({"village_hours_forwarding", "h", "Village service agents' hours filing platform demands"}, Aggregation::Sum,
           [](const State& s) { return total(s.villages.h_forward); })
      .series({"village_hours_duties", "h", "Village service agents' hours on other village duties"}, Aggregation::Sum,
              [](const State& s) { return total(s.villages.h_duties); })
      .series({"village_hours_idle", "h", "Village service agents' idle hours"}, Aggregation::Sum,
              [](const State& s) { return total(s.villages.h_idle); })
      .series({"platform_waiting", "count", "Platform demands waiting at village agents"}, Aggregation::Sum,
              [](const State& s) { return static_cast<double>(s.filings.size()); })
      .series({"platform_filed", "count", "Platform demands filed by village agents"}, Aggregation::Sum,
              [](const State& s) { return s.flows.filed; })
      .series({"platform_fallbacks", "count", "Platform demands whose citizen stopped waiting and came in person"},
              Aggregation::Sum, [](const State& s) { return s.flows.fallbacks; });
  m.agents("village_agent", {"hours_forwarding", "h", "Hours filing platform demands"},
           [](const State& s, std::size_t, double* row) {
             if (agents_on(s.parameters)) std::copy(s.villages.h_forward.begin(), s.villages.h_forward.end(), row);
           });
  m.summary({"village_hours_forwarding_total", "h", "Village service agents' hours filing platform demands in the run"},
            false, Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.village_forward; })
      .summary({"village_hours_duties_total", "h", "Village service agents' hours on other duties in the run"}, false,
               Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.village_duties; })
      .summary({"village_hours_idle_total", "h", "Village service agents' idle hours in the run"}, false, Aggregation::Sum,
               [](const State& s, std::size_t) { return s.totals.village_idle; })
      .summary({"platform_filed_total", "count", "Platform demands filed by village agents in the run"}, false,
               Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.filed; })
      .summary({"platform_fallbacks_total", "count", "Platform demands that fell back to coming in person"}, false,
               Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.fallbacks; })
      .summary({"platform_filing_wait_mean", "steps", "Mean steps from arrival to filing of filed platform demands"},
               false, Aggregation::Mean,
               [](const State& s, std::size_t) { return ratio(s.totals.filing_wait, s.totals.filed); })
      .summary({"platform_settled_share", "1",
                "Share of registered citizens' closed demands resolved without a trip (S3: ≈ 0.8)"},
               false, Aggregation::Mean,
               [](const State& s, std::size_t) { return ratio(s.totals.settled_online, s.totals.registered_closed); });
  m.ledger("village_agent_hours", [](const State& s, sim::Ledger& l) {
    if (!agents_on(s.parameters)) return;
    const auto& v = s.villages;
    for (std::size_t a = 0; a < v.size(); ++a) {
      l.used.push_back(v.h_forward[a] + v.h_duties[a]);
      l.available.push_back(s.parameters.villages.agent_hours);
    }
  });
  return m;
}

}  // namespace coordsim::models::society
