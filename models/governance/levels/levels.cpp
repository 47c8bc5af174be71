// Three levels of a joint task (MODEL.md §6 F9; seed S4: "一项跨部门性质的工作落实,上级统筹安排、
// 部门牵头协作和基层干部抓落实三个层面都不可偏废……才能有效规避'上热、中温、下凉'"). Effort is
// passed down from county leadership to the lead department's level to grassroots implementation.
// County effort e₁ = g₁ + (1 − g₁)·a, with a the leadership attention to the task (§3.3) and g₁ =
// levels.engagement_county the top's own engagement (督办 from above). Each lower level l passes on
// e_l = e_{l−1}·(π + (1 − π)·g_l), π = levels.pass_through, g_l its engagement
// (levels.engagement_lead: the lead level works the task through, 牵头协作; levels.engagement_grassroots:
// grassroots officials are engaged in implementation, 抓落实). With every g_l = 1 effort reaches the
// bottom undiminished; with a level disengaged it cools by π at that level and below. Effects: owners
// feel the lead level's effort in place of attention (the λ_att term, allocation.cpp), and items
// implemented at the grassroots (a share levels.grassroots_share, drawn per item) progress at the
// grassroots effort (their productivity × max(e₃, levels.minimum_effort)).
#include "levels.hpp"
#include "composition.hpp"

#include <limits>

namespace coordsim::models::governance {

void declare_level_parameters(sim::ParamBindings<Parameters>& s) {
  s.block("levels", &Parameters::levels).boolean("enabled", &LevelParameters::enabled, false,
            "Effort passes from county leadership through the lead department to grassroots implementation (F9, S4)")
      .real("engagement_county", &LevelParameters::engagement_county, 1.0, 0.0, 1.0, "1",
            "Engagement of county leadership beyond its attention (1: the top is hot, 上热)")
      .real("engagement_lead", &LevelParameters::engagement_lead, 0.0, 0.0, 1.0, "1",
            "Engagement of the lead department's level (0: it only relays, 中温)")
      .real("engagement_grassroots", &LevelParameters::engagement_grassroots, 0.0, 0.0, 1.0, "1",
            "Engagement of grassroots implementation (0: it only relays, 下凉)")
      .real("pass_through", &LevelParameters::pass_through, 0.5, 0.0, 1.0, "1", "Share of the upper level's effort a disengaged level passes on")
      .real("grassroots_share", &LevelParameters::grassroots_share, 0.5, 0.0, 1.0, "1", "Share of work items implemented at the grassroots")
      .real("minimum_effort", &LevelParameters::minimum_effort, 0.1, 0.01, 1.0, "1", "Floor of the productivity multiplier of grassroots items");
}

void init_levels(State& s, const sim::Rng& rng) {
  auto& l = s.mechanisms.levels;
  const std::size_t tasks = s.tasks.size();
  l.county.assign(tasks, 0.0);
  l.lead.assign(tasks, 0.0);
  l.grassroots.assign(tasks, 0.0);
  l.grassroots_item.assign(s.items.size(), 0);
  if (!s.parameters.levels.enabled) return;
  for (std::size_t item = 0; item < s.items.size(); ++item) {
    auto stream = rng.stream(sim::Rng::kSetupStep, item, purpose::kGrassrootsItems);
    l.grassroots_item[item] = stream.uniform() < s.parameters.levels.grassroots_share ? 1 : 0;
  }
}

LevelEffort level_effort(const LevelParameters& p, double attention) noexcept {
  LevelEffort e{};
  e.county = p.engagement_county + (1.0 - p.engagement_county) * attention;
  e.lead = e.county * (p.pass_through + (1.0 - p.pass_through) * p.engagement_lead);
  e.grassroots = e.lead * (p.pass_through + (1.0 - p.pass_through) * p.engagement_grassroots);
  return e;
}

void run_levels(State& s, const sim::StepContext& context) {
  const auto& p = s.parameters.levels;
  if (!p.enabled) return;
  auto& l = s.mechanisms.levels;
  const auto step = static_cast<std::int64_t>(context.step);
  for (std::uint32_t task = 0; task < s.tasks.size(); ++task) {
    const LevelEffort e = task_open(s, task, step) ? level_effort(p, s.tasks.attention[task]) : LevelEffort{0, 0, 0};
    l.county[task] = e.county;
    l.lead[task] = e.lead;
    l.grassroots[task] = e.grassroots;
  }
}


// Parameters, setup, the levels' step (third in the mechanisms phase: effort per level from this
// step's attention) and its outcomes: mean effort at each level over open tasks (F9, S4).
GovernanceMechanism levels_mechanism() {
  using sim::Aggregation;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  GovernanceMechanism m("levels");
  declare_level_parameters(m.parameters());
  m.init(init_levels).step(kPhaseMechanisms, "levels", run_levels, 3);
  m.tally([](State& s, std::size_t step, bool) {
    const auto& l = s.mechanisms.levels;
    LevelTally y;
    if (s.parameters.levels.enabled)
      for (std::uint32_t task = 0; task < s.tasks.size(); ++task) {
        if (!task_open(s, task, static_cast<std::int64_t>(step))) continue;
        y.county += l.county[task];
        y.lead += l.lead[task];
        y.grassroots += l.grassroots[task];
        y.open += 1.0;
      }
    s.mechanisms.tallies.levels = y;
    auto& totals = s.mechanisms.totals;
    totals.effort_county += y.county;
    totals.effort_lead += y.lead;
    totals.effort_grassroots += y.grassroots;
    totals.effort_samples += y.open;
  });
  const auto mean = [=](double sum, double count) { return count > 0 ? sum / count : kNaN; };
  const auto tally = [](const State& s) -> const LevelTally& { return s.mechanisms.tallies.levels; };
  m.series({"effort_county", "1", "Mean effort of county leadership over open tasks (F9)"}, Aggregation::Mean,
           [=](const State& s) { return mean(tally(s).county, tally(s).open); })
      .series({"effort_lead", "1", "Mean effort of the lead department's level over open tasks (F9)"},
              Aggregation::Mean, [=](const State& s) { return mean(tally(s).lead, tally(s).open); })
      .series({"effort_grassroots", "1", "Mean effort of grassroots implementation over open tasks (F9)"},
              Aggregation::Mean, [=](const State& s) { return mean(tally(s).grassroots, tally(s).open); });
  const auto totals = [](const State& s) -> const MechanismTotals& { return s.mechanisms.totals; };
  m.summary({"effort_county_mean", "1", "Mean county-leadership effort over open task-steps"}, false, Aggregation::Mean,
            [=](const State& s, std::size_t) { return mean(totals(s).effort_county, totals(s).effort_samples); })
      .summary({"effort_lead_mean", "1", "Mean lead-level effort over open task-steps"}, false, Aggregation::Mean,
               [=](const State& s, std::size_t) { return mean(totals(s).effort_lead, totals(s).effort_samples); })
      .summary({"effort_grassroots_mean", "1", "Mean grassroots effort over open task-steps"}, false,
               Aggregation::Mean,
               [=](const State& s, std::size_t) { return mean(totals(s).effort_grassroots, totals(s).effort_samples); });
  return m;
}

}  // namespace coordsim::models::governance
