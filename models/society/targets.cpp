// Rigid targets passed down the levels (MODEL.md §5.4, §3.5; seed S2). targets.count programmes per
// township carry a rigid target (S2: a voluntary vaccine demanded at 100 %, an insurance floor of 95 %).
// The target set above (targets.base) passes down targets.levels levels of dispatch (县里调度镇里,镇里调度
// 村里); each level adds a margin (层层加码) that grows with its exposure to accountability — the
// departments' mean p̂_acc for the county, the township's memory of detected formalism for the
// township — so the target a township must meet can exceed what a voluntary programme can reach
// (targets.feasible). How hard the county level pushes is its own choice: a binary logit between the
// campaign (its weight raised by the leadership attention the campaign draws, §4.5) and its other
// priorities, unless the level is engaged (targets.engaged_levels counts engaged levels from the top:
// "上热、中温、下凉" unless every level is engaged). Townships work on their targets as one option of
// their logit (utility: weight × county engagement × gap); real attainment rises with hours up to the
// feasible ceiling and decays; two targets may conflict (targets.conflict:
// work on one lowers the other, S2 energy supply vs work safety). Each step a township with a gap
// chooses by a binary logit whether to report the target as met (形式主义): the gain grows with the gap,
// the cost with the perceived detection (inspections; more with clusters' cross-inspection and with the
// platform's records) and its own sanction memory. Inspections detect false reports; a detection is a
// sanction and a case for the commission.
#include <algorithm>
#include <cmath>

#include "choice.hpp"
#include "society.hpp"

namespace coordsim::models::society {
namespace {

using sim::Aggregation;

double work_needed(const State& s, std::size_t township) {
  return std::max(1.0, s.parameters.targets.work_per_resident * s.townships.residents[township]);
}

double detection(const State& s, std::size_t township) {
  const auto& p = s.parameters.targets;
  double d = p.detection * (s.parameters.townships.clusters ? p.detection_clusters : 1.0);
  if (s.parameters.citizens.platform) d *= 1.0 + p.detection_platform * s.townships.registered[township];
  return std::min(1.0, d);
}

void init_targets(State& s, const sim::Rng& rng) {
  const auto& p = s.parameters.targets;
  auto& g = s.targets;
  g.count = static_cast<std::size_t>(p.count);
  const std::size_t n = s.townships.size() * g.count;
  g.demanded.assign(n, p.base);
  g.real.assign(n, 0.0);
  g.reported.assign(n, 0.0);
  g.hours.assign(n, 0.0);
  g.penalty.assign(s.townships.size(), 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    auto r = rng.stream(sim::Rng::kSetupStep, k, purpose::kEngagement);
    g.real[k] = g.reported[k] = p.feasible * (0.4 + 0.2 * r.uniform());
  }
}

// The levels pass the target down, each adding a margin by its exposure; the county level chooses how
// hard to push the campaign.
void set_targets(State& s, const sim::StepContext&) {
  const auto& p = s.parameters.targets;
  auto& g = s.targets;
  if (g.count == 0) return;
  double deterrence = 0.0;
  for (const double x : s.departments.p_acc) deterrence += x;
  deterrence /= static_cast<double>(std::max<std::size_t>(1, s.departments.size()));
  g.county_engagement =
      p.engaged_levels >= 1
          ? 1.0
          : binary_choice(p.w_target * (1.0 + s.parameters.departments.lambda_attention * g.attention), p.w_level,
                          s.parameters.choice.department_temperature);
  for (std::size_t t = 0; t < s.townships.size(); ++t) {
    double target = p.base;
    for (std::int64_t level = 1; level < p.levels; ++level) {
      const double exposure = level == 1 ? deterrence : deterrence + g.penalty[t];
      target *= 1.0 + p.margin * (1.0 + exposure);
    }
    for (std::size_t j = 0; j < g.count; ++j) g.demanded[t * g.count + j] = std::min(1.0, target);
  }
}

// Formalism and inspections, after the townships' hours were applied.
void report(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.targets;
  auto& g = s.targets;
  if (g.count == 0) return;
  for (std::size_t t = 0; t < s.townships.size(); ++t) {
    g.penalty[t] *= 0.99;
    const double seen = detection(s, t);
    auto r = c.rng.stream(c.step, t, purpose::kFormalism);
    for (std::size_t j = 0; j < g.count; ++j) {
      const auto k = t * g.count + j;
      g.real[k] = std::max(0.0, g.real[k] - p.decay * g.real[k]);
      const double gap = std::max(0.0, g.demanded[k] - g.real[k]);
      const double u_fake = p.fake_gain * gap - p.fake_risk * seen * (1.0 + g.penalty[t]);
      const bool fake = gap > p.tolerance && r.uniform() < binary_choice(u_fake, 0.0, s.parameters.choice.township_temperature);
      g.reported[k] = fake ? g.demanded[k] : g.real[k];
      if (g.reported[k] > g.real[k] + p.tolerance && r.uniform() < seen) {
        g.penalty[t] += p.sanction;  // detected: sanctioned, and a case for the commission
        s.flows.detections += 1.0;
        s.core_backlog += s.parameters.commission.core_case_hours;
        g.reported[k] = g.real[k];
      }
    }
  }
}

void tally(State& s, std::size_t, bool) {
  auto& g = s.targets;
  auto& t = s.totals;
  t.detections += s.flows.detections;
  t.wasted_targets += s.flows.hours_wasted_targets;
  if (g.count == 0) return;
  double gap = 0.0, shortfall = 0.0, first = 0.0, second = 0.0;
  for (std::size_t k = 0; k < g.real.size(); ++k) {
    gap += g.reported[k] - g.real[k];
    shortfall += std::max(0.0, g.demanded[k] - g.real[k]);
  }
  for (std::size_t w = 0; w < s.townships.size(); ++w) {
    first += g.real[w * g.count];
    second += g.count > 1 ? g.real[w * g.count + 1] : 0.0;
  }
  const auto n = static_cast<double>(g.real.size());
  const auto nt = static_cast<double>(s.townships.size());
  t.target_gap_sum += gap / n;
  t.target_shortfall_sum += shortfall / n;
  t.target_demanded_sum += mean(g.demanded);
  t.target_first_sum += first / nt;
  t.target_second_sum += second / nt;
  t.engagement_sum += g.county_engagement;
  for (const double h : s.townships.h_targets) t.target_hours += h;
}

}  // namespace

void target_option(const State& s, std::size_t township, double& utility, double& capacity) {
  const auto& p = s.parameters.targets;
  const auto& g = s.targets;
  utility = 0.0;
  capacity = 0.0;
  if (g.count == 0) return;
  double gap = 0.0;
  for (std::size_t j = 0; j < g.count; ++j) {
    const auto k = township * g.count + j;
    gap += std::max(0.0, g.demanded[k] - g.real[k]);
    // The township tries for the whole target, feasible or not (door-to-door persuasion); hours spent
    // beyond the feasible ceiling bring nothing and are counted as wasted (apply_target_hours).
    capacity += std::max(0.0, g.demanded[k] - g.real[k]) * work_needed(s, township);
  }
  const double engaged = p.engaged_levels >= 2 ? 1.0 + p.w_level : 1.0;  // the township engaged too
  utility = p.w_target * g.county_engagement * engaged * (2.0 * gap / static_cast<double>(g.count) + g.penalty[township]);
}

void apply_target_hours(State& s, std::size_t township, double hours) {
  const auto& p = s.parameters.targets;
  auto& g = s.targets;
  if (g.count == 0) return;
  // Hours go to the targets in proportion to their gaps, the first weighted by its priority.
  const auto pull = [&](std::size_t j) {
    const auto k = township * g.count + j;
    return std::max(0.0, g.demanded[k] - g.real[k]) * (j == 0 ? p.first_priority : 1.0);
  };
  double gaps = 0.0;
  for (std::size_t j = 0; j < g.count; ++j) gaps += pull(j);
  std::vector<double> gain(g.count, 0.0);
  for (std::size_t j = 0; j < g.count; ++j) {
    const auto k = township * g.count + j;
    const double share = gaps > 0.0 ? pull(j) / gaps : 1.0 / static_cast<double>(g.count);
    g.hours[k] = hours * share;
    gain[j] = g.hours[k] / work_needed(s, township);
  }
  for (std::size_t j = 0; j < g.count; ++j) {
    const auto k = township * g.count + j;
    double other = 0.0;
    for (std::size_t i = 0; i < g.count; ++i)
      if (i != j) other += gain[i];
    const double reached = g.real[k] + gain[j] - p.conflict * other;
    if (reached > p.feasible) s.flows.hours_wasted_targets += (reached - p.feasible) * work_needed(s, township);
    g.real[k] = std::clamp(reached, 0.0, p.feasible);
  }
}

SocietyMechanism targets_mechanism() {
  SocietyMechanism m("targets");
  m.parameters()
      .block("targets", &Parameters::targets)
      .integer("count", &TargetParameters::count, 0, 0, 16, "count", "Rigid-target programmes per township (S2: vaccine, insurance)")
      .integer("levels", &TargetParameters::levels, 3, 1, 10, "count", "Levels of dispatch the target passes (S2: 3, 县里调度镇里,镇里调度村里)")
      .integer("engaged_levels", &TargetParameters::engaged_levels, 0, 0, 10, "count", "Levels, from the county down, fully engaged in the campaign (一把手 responsible)")
      .real("base", &TargetParameters::base, 0.8, 0.0, 1.0, "1", "Target set above the county")
      .real("margin", &TargetParameters::margin, 0.05, 0.0, 10.0, "1", "Margin a level adds per unit of (1 + its exposure to accountability) (层层加码)")
      .real("feasible", &TargetParameters::feasible, 0.85, 0.01, 1.0, "1", "Most a voluntary programme can really reach")
      .real("work_per_resident", &TargetParameters::work_per_resident, 0.2, 0.0, 100.0, "h", "Township hours per resident to take a target from zero to feasible")
      .real("decay", &TargetParameters::decay, 0.001, 0.0, 1.0, "1/step", "Share of real attainment lost per step")
      .real("w_target", &TargetParameters::w_target, 1.0, 0.0, 100.0, "1", "Assessment weight of a rigid target")
      .real("w_level", &TargetParameters::w_level, 1.0, 0.0, 100.0, "1", "Weight of a level's other priorities against the campaign")
      .real("attention_claim", &TargetParameters::attention_claim, 0.5, 0.0, 1e6, "1", "Claim of the campaign on leadership attention")
      .real("conflict", &TargetParameters::conflict, 0.0, 0.0, 10.0, "1", "Attainment of one target lost per unit gained on another (S2 energy supply vs work safety)")
      .real("first_priority", &TargetParameters::first_priority, 1.0, 0.0, 100.0, "1", "Weight of the first target against the others when the township splits its target hours")
      .real("fake_gain", &TargetParameters::fake_gain, 2.0, 0.0, 100.0, "1", "Utility of reporting a target as met, per unit of gap")
      .real("fake_risk", &TargetParameters::fake_risk, 20.0, 0.0, 1e4, "1", "Utility lost by a false report per unit of perceived detection × (1 + sanction memory)")
      .real("detection", &TargetParameters::detection, 0.02, 0.0, 1.0, "1/step", "Probability per step that an inspection checks a township's reports")
      .real("detection_clusters", &TargetParameters::detection_clusters, 3.0, 1.0, 100.0, "1", "Factor on detection with clusters' cross-inspection (S3)")
      .real("detection_platform", &TargetParameters::detection_platform, 1.0, 0.0, 100.0, "1", "Added detection per registered share on the platform (electronic records)")
      .real("sanction", &TargetParameters::sanction, 1.0, 0.0, 100.0, "1", "Sanction memory a detected false report adds to the township")
      .real("tolerance", &TargetParameters::tolerance, 0.02, 0.0, 1.0, "1", "Gap below which reports are not false");
  m.init(init_targets);
  m.step(kPhaseArrivals, "set targets", set_targets, 6);
  m.step(kPhaseTownships, "report", report, 3);
  m.tally(tally);
  m.series({"target_real_mean", "1", "Mean real attainment of rigid targets"}, Aggregation::Mean,
           [](const State& s) { return mean(s.targets.real); })
      .series({"target_reported_mean", "1", "Mean reported attainment of rigid targets"}, Aggregation::Mean,
              [](const State& s) { return mean(s.targets.reported); })
      .series({"target_demanded_mean", "1", "Mean target demanded of townships"}, Aggregation::Mean,
              [](const State& s) { return mean(s.targets.demanded); })
      .series({"target_county_engagement", "1", "The county level's push on the campaign (1: engaged)"}, Aggregation::Mean,
              [](const State& s) { return s.targets.count > 0 ? s.targets.county_engagement : std::numeric_limits<double>::quiet_NaN(); });
  const auto per_step = [](std::nullptr_t, double Totals::*field) {
    return [field](const State& s, std::size_t steps) {
      return s.targets.count > 0 ? s.totals.*field / static_cast<double>(steps) : std::numeric_limits<double>::quiet_NaN();
    };
  };
  m.summary({"target_overreport_mean", "1", "Mean reported minus real attainment (形式主义)"}, false, Aggregation::Mean,
            per_step(nullptr, &Totals::target_gap_sum))
      .summary({"target_shortfall_mean", "1", "Mean target demanded minus real attainment"}, false, Aggregation::Mean,
               per_step(nullptr, &Totals::target_shortfall_sum))
      .summary({"target_demanded_run_mean", "1", "Mean target demanded of townships over the run"}, false, Aggregation::Mean,
               per_step(nullptr, &Totals::target_demanded_sum))
      .summary({"target_first_real_mean", "1", "Mean real attainment of the first target"}, false, Aggregation::Mean,
               per_step(nullptr, &Totals::target_first_sum))
      .summary({"target_second_real_mean", "1", "Mean real attainment of the second target"}, false, Aggregation::Mean,
               per_step(nullptr, &Totals::target_second_sum))
      .summary({"target_county_engagement_mean", "1", "Mean push of the county level on the campaign (1: engaged)"}, false,
               Aggregation::Mean, per_step(nullptr, &Totals::engagement_sum))
      .summary({"township_hours_targets_total", "h", "Township hours on rigid targets"}, false, Aggregation::Sum,
               [](const State& s, std::size_t) { return s.totals.target_hours; })
      .summary({"hours_wasted_targets_total", "h", "Township hours on targets beyond what the programme can reach"},
               false, Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.wasted_targets; })
      .summary({"formalism_detected_total", "count", "False reports detected by inspections"}, false, Aggregation::Sum,
               [](const State& s, std::size_t) { return s.totals.detections; });
  return m;
}

}  // namespace coordsim::models::society
