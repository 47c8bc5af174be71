// Citizen demands (群众诉求, MODEL.md §3.6; seeds S1, S3, S4). Demands arrive at a township at
// citizens.rate_per_thousand per 1,000 residents per step; a share citizens.multi_share needs 2..k
// departments, the rest one. They come on the platform (platform.cpp), in person or by hotline.
// Multi-department demands are signed off in sequence (each department in turn; in person, each
// sign-off is another trip) or jointly at a one-stop window (一件事, S1). A department that acts may
// pass the demand back (推诿, S4 EV-charging case: "行业部门也相互推诿") with a probability rising
// with its departmentalism and falling with accountability; the citizen then waits again. Past a
// patience drawn at arrival the citizen gives up (S4: "最终不少居民放弃了购买新能源汽车"), and an
// abandoned demand may become a petition (越级上访, S3) — counted in State::petitions_this_step
// for the discipline commission. With delegated authority (赋权, S2) the township settles
// single-department demands itself and convenes departments for the others. Satisfaction falls with
// time to resolution and with passes back; an abandoned demand scores 0. Reports on officials
// (举报) go to the specialists (clusters.cpp); a local one may be suppressed (人情式监督, S3).
// Demands live in a fixed-capacity pool of 64-byte records per township that takes released slots
// back first (grassroots_state.hpp); every draw of a township comes from its own streams, in slot order.
#include "citizens.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "platform.hpp"

namespace coordsim::models::governance {

namespace {
constexpr std::int64_t kMaxPatienceStep = std::numeric_limits<std::int32_t>::max();
}  // namespace

std::uint32_t acquire_demand(Demands& d, std::size_t township) noexcept {
  std::uint32_t slot = d.free_head[township];
  if (slot != kNoDemand) {
    d.free_head[township] = d[slot].next_free();
    --d.free_count[township];
  } else if (d.used_end[township] < d.block_begin[township] + d.capacity[township]) {
    slot = d.used_end[township]++;  // first use: the record is still all zero
  } else {
    return kNone;
  }
  d[slot].flags |= kOpen;
  return slot;
}

void release_demand(Demands& d, std::size_t township, std::uint32_t slot) noexcept {
  d[slot].flags &= static_cast<std::uint8_t>(~kOpen);
  d[slot].set_next_free(d.free_head[township]);
  d.free_head[township] = slot;
  ++d.free_count[township];
}

std::uint32_t open_demands(const Demands& d, std::size_t township) noexcept {
  return d.used_end[township] - d.block_begin[township] - d.free_count[township];
}

double pass_back_probability(const CitizenParameters& c, double beta, bool one_stop) noexcept {
  const double p = c.pass_back * (1.0 - c.accountability) * beta * (one_stop ? c.one_stop_pass_back_factor : 1.0);
  return std::clamp(p, 0.0, 1.0);
}

double satisfaction(const CitizenParameters& c, double steps, unsigned passes) noexcept {
  return std::exp(-steps / c.satisfaction_scale) * std::pow(c.satisfaction_pass_back, static_cast<double>(passes));
}

void demand_arrivals(State& s, std::size_t j, const sim::StepContext& context) {
  const auto& p = s.parameters;
  const auto& c = p.citizens;
  auto& g = s.grassroots;
  auto& d = g.demands;
  auto& counters = g.townships.citizens[j];
  const auto step = static_cast<std::int64_t>(context.step);
  auto stream = context.rng.stream(context.step, j, purpose::kDemandArrivals);
  const std::int64_t arrivals = stream.poisson(g.townships.arrival_rate[j]);
  const auto departments = static_cast<std::uint64_t>(s.departments.size());
  const double favouritism = p.grassroots.favouritism * (p.clusters.enabled ? 1.0 - p.clusters.cross_inspection : 1.0);
  for (std::int64_t a = 0; a < arrivals; ++a) {
    // Every attribute is drawn whatever is used, so variants share the arrivals.
    const double u_report = stream.uniform(), u_suppress = stream.uniform(), u_multi = stream.uniform();
    const double u_count = stream.uniform(), u_platform = stream.uniform(), u_walk = stream.uniform();
    const double patience = stream.exponential(1.0 / c.patience_mean);
    std::uint32_t chosen[kMaxDemandDepartments];
    for (std::int64_t k = 0; k < kMaxDemandDepartments; ++k)
      chosen[k] = static_cast<std::uint32_t>(stream.below(departments));
    ++counters.arrived;
    ++counters.arrived_total;
    const std::uint32_t slot = acquire_demand(d, j);
    if (slot == kNone) {  // the township's pool is full: the citizen is turned away at once
      ++counters.abandoned;
      ++counters.abandoned_total;
      continue;
    }
    const bool report = u_report < c.report_share;
    const bool platform = on_platform(p.platform, u_platform);
    const bool walk_in = !platform && u_walk < c.walk_in_share;
    std::uint8_t needed = 1;
    if (u_multi < c.multi_share)
      needed = static_cast<std::uint8_t>(
          2 +
          static_cast<std::int64_t>(u_count * static_cast<double>(c.max_departments - 1)) % (c.max_departments - 1));
    Demand& demand = d[slot];
    demand.flags = static_cast<std::uint8_t>(kOpen | (report ? kReport : 0) | (platform ? kPlatform : 0) |
                                             (walk_in ? kWalkIn : 0));
    if (report && u_suppress < favouritism) {
      demand.flags |= kSuppressed;
      ++counters.suppressed;
    }
    demand.counts = report ? std::uint8_t{0} : needed;  // stage 0
    demand.passes = 0;
    demand.trips = walk_in ? 1 : 0;
    demand.arrival = static_cast<std::int32_t>(step);
    // Held at INT32_MAX, which no step reaches: `step > patience_until` stays false all the same.
    demand.patience_until = static_cast<std::int32_t>(
        std::min<std::int64_t>(step + static_cast<std::int64_t>(std::ceil(patience)), kMaxPatienceStep));
    if (report)
      demand.set_case_remaining(c.case_hours);
    else
      demand.set_departments(chosen, needed);  // only the departments it needs are ever read
  }
}

double service_need(const State& s, std::size_t j, double productivity) noexcept {
  const auto& p = s.parameters;
  const auto& d = s.grassroots.demands;
  const double inverse = 1.0 / std::max(productivity, 0.05);
  double need = 0.0;
  for (std::uint32_t slot = d.block_begin[j]; slot < d.used_end[j]; ++slot) {
    const std::uint8_t flags = d[slot].flags;
    if (!(flags & kOpen)) continue;
    if (!(flags & kIntaken))
      need += township_intake_hours(p, (flags & kPlatform) != 0) * inverse;
    else if (p.grassroots.authority && !(flags & kReport) && d[slot].needed() == 1)
      need += p.citizens.local_hours * inverse;
  }
  return need;
}

void resolve_demand(State& s, std::size_t j, std::uint32_t slot, std::int64_t step) noexcept {
  auto& d = s.grassroots.demands;
  auto& counters = s.grassroots.townships.citizens[j];
  const double time = static_cast<double>(step - d[slot].arrival + 1);
  ++counters.resolved;
  ++counters.resolved_total;
  counters.time_sum += time;
  counters.satisfaction_sum += satisfaction(s.parameters.citizens, time, d[slot].passes);
  counters.trips += d[slot].trips;
  if (d[slot].trips == 0) ++counters.without_travel;
  if (d[slot].flags & kReport) {
    ++counters.cases_closed;
    ++counters.cases_ended;
    counters.case_time_sum += time;
  }
  release_demand(d, j, slot);
}

namespace {

void abandon_demand(State& s, std::size_t j, std::uint32_t slot, std::int64_t step, double u) noexcept {
  const auto& c = s.parameters.citizens;
  auto& d = s.grassroots.demands;
  auto& counters = s.grassroots.townships.citizens[j];
  ++counters.abandoned;
  ++counters.abandoned_total;
  counters.trips += d[slot].trips;
  const bool suppressed = (d[slot].flags & kSuppressed) != 0;
  if (u < (suppressed ? c.petition_probability_suppressed : c.petition_probability)) ++counters.petitions;
  if (d[slot].flags & kReport) {
    ++counters.cases_ended;
    counters.case_time_sum += static_cast<double>(step - d[slot].arrival + 1);
  }
  release_demand(d, j, slot);
}

}  // namespace

double serve_demands(State& s, std::size_t j, const sim::StepContext& context, double hours, double productivity) {
  const auto& p = s.parameters;
  const auto& c = p.citizens;
  auto& d = s.grassroots.demands;
  auto& counters = s.grassroots.townships.citizens[j];
  const auto step = static_cast<std::int64_t>(context.step);
  auto stream = context.rng.stream(context.step, j, purpose::kDemandProgress);
  const double inverse = 1.0 / std::max(productivity, 0.05);
  double agents = s.grassroots.townships.agent_hours[j];
  double used = 0.0;
  for (std::uint32_t slot = d.block_begin[j]; slot < d.used_end[j]; ++slot) {
    const std::uint8_t flags = d[slot].flags;
    if (!(flags & kOpen)) continue;
    const bool platform = (flags & kPlatform) != 0;
    if (step > d[slot].patience_until) {
      abandon_demand(s, j, slot, step, stream.uniform());
      continue;
    }
    if (!(flags & kIntaken)) {
      const double cost = township_intake_hours(p, platform) * inverse;
      if (platform && agents < c.intake_hours) continue;  // the village agent is busy
      if (used + cost > hours) continue;
      used += cost;
      if (platform) agents -= c.intake_hours;
      d[slot].flags = static_cast<std::uint8_t>(flags | kIntaken);
      continue;  // sign-offs start next step
    }
    if (flags & kReport) continue;  // specialists (clusters.cpp)
    const std::uint8_t needed = d[slot].needed();
    if (p.grassroots.authority && needed == 1) {
      const double cost = c.local_hours * inverse;
      if (used + cost > hours) continue;
      used += cost;
      resolve_demand(s, j, slot, step);
      continue;
    }
    const bool one_stop = c.sign_off == SignOff::OneStop || (p.grassroots.authority && needed > 1);
    const double respond =
        response_probability(one_stop ? c.one_stop_response : c.department_response, platform, p.platform);
    if (stream.uniform() >= respond) continue;
    const Demand& wanted = d[slot];
    double beta = 0.0;
    if (one_stop) {
      for (std::uint8_t k = 0; k < needed; ++k) beta += s.departments.departmentalism[wanted.department(k)];
      beta /= static_cast<double>(needed);
    } else {
      beta = s.departments.departmentalism[wanted.department(wanted.stage())];
    }
    const bool walk_in = (flags & kWalkIn) != 0;
    if (stream.uniform() < pass_back_probability(c, beta, one_stop)) {
      ++counters.passed_back;
      if (d[slot].passes < 255) ++d[slot].passes;
      if (walk_in && d[slot].trips < 255) ++d[slot].trips;
      continue;
    }
    const std::uint8_t stage = one_stop ? needed : static_cast<std::uint8_t>(d[slot].stage() + 1);
    d[slot].set_stage(stage);
    if (stage >= needed) {
      resolve_demand(s, j, slot, step);
    } else if (walk_in && d[slot].trips < 255) {
      ++d[slot].trips;  // the next sign-off is another trip
    }
  }
  return used;
}

}  // namespace coordsim::models::governance
