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

namespace coordsim::models::governance {

void declare_level_parameters(sim::ParamSchema& s) {
  s.boolean("levels.enabled", false,
            "Effort passes from county leadership through the lead department to grassroots implementation (F9, S4)")
      .real("levels.engagement_county", 1.0, 0.0, 1.0, "1",
            "Engagement of county leadership beyond its attention (1: the top is hot, 上热)")
      .real("levels.engagement_lead", 0.0, 0.0, 1.0, "1",
            "Engagement of the lead department's level (0: it only relays, 中温)")
      .real("levels.engagement_grassroots", 0.0, 0.0, 1.0, "1",
            "Engagement of grassroots implementation (0: it only relays, 下凉)")
      .real("levels.pass_through", 0.5, 0.0, 1.0, "1", "Share of the upper level's effort a disengaged level passes on")
      .real("levels.grassroots_share", 0.5, 0.0, 1.0, "1", "Share of work items implemented at the grassroots")
      .real("levels.minimum_effort", 0.1, 0.01, 1.0, "1", "Floor of the productivity multiplier of grassroots items");
}

LevelParameters read_level_parameters(const sim::ParamSet& p) {
  LevelParameters l{};
  l.enabled = p.boolean("levels.enabled");
  l.engagement_county = p.real("levels.engagement_county");
  l.engagement_lead = p.real("levels.engagement_lead");
  l.engagement_grassroots = p.real("levels.engagement_grassroots");
  l.pass_through = p.real("levels.pass_through");
  l.grassroots_share = p.real("levels.grassroots_share");
  l.minimum_effort = p.real("levels.minimum_effort");
  return l;
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

}  // namespace coordsim::models::governance
