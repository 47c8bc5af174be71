// Townships and their officials (MODEL.md §3.5; seeds S2 "基层要有几双手" and S3 "告别基层疲态
// 治理"). A township has officials (staff × grassroots.hours_per_staff hours a step), residents and
// villages, and receives downward tasks from many departments ("上面千条线,下面一根针"; targets.cpp).
// Each step it first fills the reports of dispatched tasks, then works rigid (dispatched and
// ranked) tasks, then the others, and serves citizens with what is left (疲态治理: "被动式应对、
// 应激式突击"; grassroots.service_first reverses the order as a counterfactual). Load/capacity above
// one raises fatigue φ, which lowers productivity by 1 − κφ and raises each official's chance of
// leaving; a post stays empty for grassroots.vacancy_steps and its newcomer starts at low expertise
// and learns ("往往业务刚上手,人就走了", S3). With delegated authority (赋权, S2) the township
// settles single-department demands itself (citizens.cpp). Townships run in parallel; each writes
// only its own state and draws only from its own streams.
#include "grassroots.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "citizens.hpp"
#include "clusters.hpp"
#include "platform.hpp"
#include "targets.hpp"

namespace coordsim::models::governance {

double updated_fatigue(const GrassrootsParameters& g, double fatigue, double load) noexcept {
  double next = load > 1.0 ? fatigue + g.fatigue_rise * std::min(1.0, load - 1.0) * (1.0 - fatigue)
                           : fatigue - g.fatigue_recovery * fatigue;
  return std::clamp(next, 0.0, 1.0);
}

double turnover_probability(const GrassrootsParameters& g, double fatigue) noexcept {
  return std::min(1.0, g.turnover_base + g.turnover_fatigue * fatigue);
}

double fatigue_factor(const GrassrootsParameters& g, double fatigue) noexcept {
  return 1.0 - g.fatigue_productivity * fatigue;
}

void generate_grassroots(State& s, const sim::Rng& rng) {
  const Parameters& p = s.parameters;
  const auto& gp = p.grassroots;
  auto& g = s.grassroots;
  auto& tw = g.townships;
  const auto n = static_cast<std::size_t>(gp.count);
  const auto tasks = static_cast<std::size_t>(gp.tasks);
  build_task_plan(p, g.plan);

  tw.residents.resize(n);
  tw.arrival_rate.resize(n);
  tw.agent_hours.resize(n);
  tw.villages.resize(n);
  tw.official_begin.assign(n + 1, 0);
  const bool pooled = p.clusters.enabled;
  const double diversion = pooled ? p.clusters.diversion : gp.specialist_diversion;
  const double case_expertise = pooled ? p.clusters.specialist_expertise : gp.specialist_expertise;
  tw.specialist_case_work.assign(n, gp.specialists * gp.hours_per_staff * (1.0 - diversion) * case_expertise);
  tw.specialist_general_hours.assign(n, gp.specialists * gp.hours_per_staff * diversion);
  for (std::size_t j = 0; j < n; ++j) {
    auto traits = rng.stream(sim::Rng::kSetupStep, j, purpose::kTownshipTraits);
    const auto lognormal = [&](double mean, double cv) {
      const double z = traits.normal();
      if (cv <= 0.0) return mean;
      const double sigma2 = std::log1p(cv * cv);
      return mean * std::exp(std::sqrt(sigma2) * z - 0.5 * sigma2);
    };
    const double staff = std::max(1.0, std::round(lognormal(gp.staff_mean, gp.staff_cv)));
    tw.residents[j] = std::max(1.0, std::round(lognormal(gp.residents_mean, gp.residents_cv)));
    tw.villages[j] = static_cast<std::uint32_t>(std::max<std::int64_t>(1, traits.poisson(gp.villages_mean)));
    tw.arrival_rate[j] = tw.residents[j] / 1000.0 * p.citizens.rate_per_thousand;
    tw.agent_hours[j] = agent_hours(p.platform, static_cast<double>(tw.villages[j]));
    tw.official_begin[j + 1] = tw.official_begin[j] + static_cast<std::uint32_t>(staff);
  }
  g.officials.expertise.assign(tw.official_begin[n], gp.veteran_expertise);
  g.officials.vacant_until.assign(tw.official_begin[n], kPresent);

  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  tw.fatigue.assign(n, 0.0);
  for (auto* v :
       {&tw.hours_available, &tw.hours_reporting, &tw.hours_tasks, &tw.hours_service, &tw.hours_idle, &tw.load_ratio,
        &tw.productivity, &tw.real_sum, &tw.reported_sum, &tw.supply_sum, &tw.safety_sum, &tw.periods})
    v->assign(n, 0.0);
  tw.attainment_real.assign(n, kNaN);
  tw.attainment_reported.assign(n, kNaN);
  tw.turnover.assign(n, 0);
  tw.penalties.assign(n, 0);
  tw.penalties_total.assign(n, 0);
  tw.turnover_total.assign(n, 0);
  tw.task_delivered.assign(n * tasks, 0.0);
  tw.task_required.assign(n * tasks, 0.0);
  tw.citizens.assign(n, CitizenCounters{});

  // Demand pool: a block per township large enough for every demand that can be open at once with
  // overwhelming probability (arrivals within a long patience); beyond it a citizen is turned away.
  // Blocks start on a page; the records' memory is touched only where demands arrive.
  auto& d = g.demands;
  d.block_begin.assign(n + 1, 0);
  d.capacity.assign(n, 0);
  d.used_end.assign(n, 0);
  d.free_head.assign(n, kNoDemand);
  d.free_count.assign(n, 0);
  const double horizon = 6.0 * p.citizens.patience_mean + 2.0;
  for (std::size_t j = 0; j < n; ++j) {
    const double expected = tw.arrival_rate[j] * horizon;
    const auto capacity = static_cast<std::uint32_t>(std::ceil(expected + 8.0 * std::sqrt(expected) + 16.0));
    d.capacity[j] = tw.arrival_rate[j] > 0.0 ? capacity : 0u;
    const std::uint32_t pages = (d.capacity[j] + kDemandsPerPage - 1) / kDemandsPerPage;
    d.block_begin[j + 1] = d.block_begin[j] + pages * kDemandsPerPage;
    d.used_end[j] = d.block_begin[j];
  }
  d.records = UntouchedArray<Demand>(d.block_begin[n]);
  // A demand names its departments in 20 bits (Demand); departments.count allows at most 1,000,000,
  // but a county drawn around it (scale.departments_spread) could exceed 2^20.
  if (d.block_begin[n] > 0 && s.departments.size() > kDemandDepartmentIds)
    throw std::length_error("a county with citizen demands has at most " + std::to_string(kDemandDepartmentIds) +
                            " departments, this one " + std::to_string(s.departments.size()));

  build_clusters(s);
}

void step_township(State& s, std::size_t j, const sim::StepContext& context) {
  const Parameters& p = s.parameters;
  const auto& gp = p.grassroots;
  auto& g = s.grassroots;
  auto& tw = g.townships;
  auto& officials = g.officials;
  const auto step = static_cast<std::int64_t>(context.step);
  {
    CitizenCounters& counters = tw.citizens[j];
    const CitizenCounters totals = counters;
    counters = CitizenCounters{};
    counters.arrived_total = totals.arrived_total;
    counters.resolved_total = totals.resolved_total;
    counters.abandoned_total = totals.abandoned_total;
  }

  // Officials: leave (probability rising with fatigue), posts refilled by newcomers who learn.
  auto stream = context.rng.stream(context.step, j, purpose::kTurnover);
  const double leave = turnover_probability(gp, tw.fatigue[j]);
  std::uint32_t present = 0, leaving = 0;
  double expertise = 0.0;
  for (std::uint32_t o = tw.official_begin[j]; o < tw.official_begin[j + 1]; ++o) {
    const double u = stream.uniform();
    if (officials.vacant_until[o] != kPresent) {
      if (step < officials.vacant_until[o]) continue;
      officials.vacant_until[o] = kPresent;
      officials.expertise[o] = gp.newcomer_expertise;
    } else if (u < leave) {
      ++leaving;
      officials.expertise[o] = gp.newcomer_expertise;
      if (gp.vacancy_steps > 0) {
        officials.vacant_until[o] = step + gp.vacancy_steps;
        continue;
      }
    } else if (officials.expertise[o] < gp.veteran_expertise) {
      officials.expertise[o] += gp.learning_rate * (gp.veteran_expertise - officials.expertise[o]);
    }
    ++present;
    expertise += officials.expertise[o];
  }
  tw.turnover[j] = leaving;
  tw.turnover_total[j] += leaving;
  const double productivity = present > 0 ? expertise / present * fatigue_factor(gp, tw.fatigue[j]) : 0.0;
  const double effective = std::max(productivity, 0.05);
  const double hours = static_cast<double>(present) * gp.hours_per_staff + tw.specialist_general_hours[j];

  demand_arrivals(s, j, context);

  // Load: what reporting, downward tasks and citizens would take this step, over the hours there are.
  const auto& plan = g.plan;
  const std::size_t n_tasks = plan.weight.size();
  double task_need = 0.0;
  for (std::size_t m = 0; m < n_tasks; ++m) task_need += plan.required[m] / effective;
  const double need = plan.reporting_hours + task_need + service_need(s, j, productivity);
  tw.load_ratio[j] = hours > 0.0 ? need / hours : (need > 0.0 ? 10.0 : 0.0);

  // Hours in order of rigidity: reports, rigid tasks, other tasks, citizens (疲态治理).
  double left = hours;
  const double reporting = std::min(left, plan.reporting_hours);
  left -= reporting;
  double service = 0.0;
  if (gp.service_first) {
    service = serve_demands(s, j, context, left, productivity);
    left -= service;
  }
  double task_hours = 0.0;
  for (const std::uint32_t m : plan.order) {
    const std::size_t k = j * n_tasks + m;
    const double given = std::min(left, plan.required[m] / effective);
    tw.task_delivered[k] += given * productivity;
    tw.task_required[k] += plan.required[m];
    left -= given;
    task_hours += given;
  }
  if (!gp.service_first) {
    service = serve_demands(s, j, context, left, productivity);
    left -= service;
  }
  tw.hours_available[j] = hours;
  tw.hours_reporting[j] = reporting;
  tw.hours_tasks[j] = task_hours;
  tw.hours_service[j] = service;
  tw.hours_idle[j] = std::max(0.0, left);
  tw.productivity[j] = productivity;

  tw.penalties[j] = 0;
  if ((step + 1) % p.targets.assessment_every == 0) assess_township(s, j, context);
  tw.fatigue[j] = updated_fatigue(gp, tw.fatigue[j], tw.load_ratio[j]);
}

void run_townships_phase(State& s, const sim::StepContext& context) {
  context.execution.for_each(s.grassroots.townships.size(), 4, [&](std::size_t j) { step_township(s, j, context); });
}

}  // namespace coordsim::models::governance
