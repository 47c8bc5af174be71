// Scale (scale.hpp): one county stays bit-identical to the model without a scale block; county
// traits are drawn around the template (equal with zero spreads, yet counties run on distinct
// streams); provincial attention follows escalations; records do not depend on the thread count;
// hours are conserved in every county.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "coordsim/models/governance/register.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"
#include "outputs.hpp"
#include "parameters.hpp"
#include "scale.hpp"

namespace coordsim::models::governance {
namespace {

const sim::Model& model(sim::ModelRegistry& registry) {
  register_governance(registry);
  return *registry.find("governance");
}

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

bool records_equal(const sim::RunRecord& a, const sim::RunRecord& b) {
  if (!bitwise_equal(a.series, b.series) || !bitwise_equal(a.summaries, b.summaries)) return false;
  if (a.agents.size() != b.agents.size()) return false;
  for (std::size_t k = 0; k < a.agents.size(); ++k)
    if (!bitwise_equal(a.agents[k], b.agents[k])) return false;
  return true;
}

std::string scenario_text(const std::string& scale, int steps = 60) {
  return "model: governance\nrun: { steps: " + std::to_string(steps) +
         ", seed: 3, replications: 1 }\n"
         "output: { agents: true, agent_every: 1 }\n"
         "parameters:\n"
         "  departments: { count: 30 }\n"
         "  tasks: { count: 4, participants: 8, start_max: 10, deadline_min: 5, deadline_max: 30 }\n"
         "  leadership: { attention_budget: 0.5 }\n"
         "  grassroots: { count: 5, tasks: 4, task_hours: 10.0 }\n"
         "  targets: { dispatched: 2 }\n"
         "  citizens: { rate_per_thousand: 0.1 }\n" +
         scale + "variants:\n  baseline: {}\n";
}

sim::RunRecord run(const std::string& text, int threads, sim::OutputLayout* layout_out = nullptr) {
  sim::ModelRegistry registry;
  const sim::Model& m = model(registry);
  const sim::Scenario scenario = sim::parse_scenario(text, "<test>", registry);
  const sim::OutputLayout layout = sim::scenario_layout(m, scenario);
  if (layout_out) *layout_out = layout;
  const sim::ExecutionContext execution(threads);
  return sim::run_one(m, scenario, layout, 0, 0, execution);
}

Parameters read(const std::string& text) {
  sim::ModelRegistry registry;
  model(registry);
  const sim::Scenario scenario = sim::parse_scenario(text, "<test>", registry);
  return Parameters::read(scenario.variants[0].parameters);
}

TEST(Scale, OneCountyIsBitIdenticalToNoScaleBlock) {
  const auto without = run(scenario_text(""), 1);
  const auto with = run(scenario_text("  scale: { counties: 1, provinces: 1, departments_spread: 0.5, "
                                      "townships_spread: 0.5, province_attention: 3.0 }\n"),
                        1);
  ASSERT_TRUE(without.ok) << without.message;
  ASSERT_TRUE(with.ok) << with.message;
  EXPECT_TRUE(records_equal(without, with));
}

TEST(Scale, SpreadsDrawDifferentCountiesAndZeroSpreadsEqualOnes) {
  const auto spread = county_parameters(read(scenario_text(
      "  scale: { counties: 12, departments_spread: 0.3, townships_spread: 0.3, residents_spread: 0.3, "
      "staff_spread: 0.3, lead_rank_spread: 0.1 }\n")));
  ASSERT_EQ(spread.size(), 12u);
  int departments_differ = 0, townships_differ = 0, ranks_differ = 0, residents_differ = 0;
  for (std::size_t c = 1; c < spread.size(); ++c) {
    departments_differ += spread[c].departments.count != spread[0].departments.count;
    townships_differ += spread[c].grassroots.count != spread[0].grassroots.count;
    ranks_differ += spread[c].lead.rank != spread[0].lead.rank;
    residents_differ += spread[c].grassroots.residents_mean != spread[0].grassroots.residents_mean;
    EXPECT_GE(spread[c].departments.count, spread[c].tasks.participants + 1);
    EXPECT_GE(spread[c].grassroots.count, 1);
  }
  EXPECT_GT(departments_differ, 0);
  EXPECT_GT(townships_differ, 0);
  EXPECT_GT(ranks_differ, 0);
  EXPECT_GT(residents_differ, 0);

  const auto same = county_parameters(read(scenario_text("  scale: { counties: 5 }\n")));
  for (const auto& q : same) {
    EXPECT_EQ(q.departments.count, 30);
    EXPECT_EQ(q.grassroots.count, 5);
    EXPECT_EQ(q.departments.staff_mean, same[0].departments.staff_mean);
    EXPECT_EQ(q.grassroots.residents_mean, same[0].grassroots.residents_mean);
    EXPECT_EQ(q.lead.rank, same[0].lead.rank);
    EXPECT_EQ(q.targets.base_target, same[0].targets.base_target);
  }
  // A provincial target is one more level of escalation above the county's.
  std::string text = scenario_text("  scale: { counties: 2, province_target: 0.8, province_escalation: 0.2 }\n");
  const std::string targets = "  targets: { dispatched: 2 }\n";
  text.replace(text.find(targets), targets.size(),
               "  targets: { dispatched: 2, levels: 2, escalation: 0.1, target_cap: 5.0 }\n");
  const auto target = county_parameters(read(text));
  EXPECT_EQ(target[1].targets.levels, 3);
  EXPECT_DOUBLE_EQ(target[1].targets.base_target, 0.8);
  EXPECT_NEAR(std::pow(1.0 + target[1].targets.escalation, 3.0), 1.2 * 1.1 * 1.1, 1e-12);

  // Equal parameters, distinct streams: counties' outcomes still differ.
  sim::OutputLayout layout;
  const auto record = run(scenario_text("  scale: { counties: 3 }\n"), 1, &layout);
  ASSERT_TRUE(record.ok) << record.message;
  ASSERT_EQ(layout.agent_kinds[kDepartmentKind].count, 90u);
  const auto& hours = record.agents[kDepartmentKind];
  const std::size_t vars = layout.agent_kinds[kDepartmentKind].variables.size();
  const std::size_t last = (59 * vars + kDeptHoursAvailable) * 90;  // available hours differ by staff draw
  EXPECT_NE(std::memcmp(&hours[last], &hours[last + 30], 30 * sizeof(double)), 0);
}

TEST(Scale, CountyZeroOfAProvinceReproducesTheSingleCounty) {
  sim::OutputLayout single_layout, province_layout;
  const auto single = run(scenario_text(""), 1, &single_layout);
  const auto province = run(scenario_text("  scale: { counties: 3 }\n"), 1, &province_layout);
  ASSERT_TRUE(single.ok && province.ok);
  // Department agents of county 0 are the first 30 of the province's.
  const std::size_t vars = single_layout.agent_kinds[kDepartmentKind].variables.size();
  for (std::size_t r = 0; r < 60 * vars; ++r)
    EXPECT_EQ(std::memcmp(&single.agents[kDepartmentKind][r * 30], &province.agents[kDepartmentKind][r * 90],
                          30 * sizeof(double)),
              0)
        << "row " << r;
}

TEST(Scale, ProvincialAttentionFollowsEscalations) {
  std::vector<double> out;
  share_province_attention({0.0, 2.0, 6.0, 1.0, 1.0}, 2, 4.0, out);  // provinces {0,1,2} and {3,4}
  ASSERT_EQ(out.size(), 5u);
  EXPECT_DOUBLE_EQ(out[0], 0.0);
  EXPECT_DOUBLE_EQ(out[1], 1.0);
  EXPECT_DOUBLE_EQ(out[2], 3.0);
  EXPECT_DOUBLE_EQ(out[3], 2.0);
  EXPECT_DOUBLE_EQ(out[4], 2.0);
  EXPECT_EQ(province_of(2, 5, 2), 0u);
  EXPECT_EQ(province_of(3, 5, 2), 1u);

  // In a run: within a step, a county that escalated more in the step before receives more.
  sim::OutputLayout layout;
  const auto record = run(scenario_text("  lead: { escalate_after: 1 }\n"
                                        "  scale: { counties: 6, departments_spread: 0.3, province_attention: 5.0 }\n",
                                        80),
                          1, &layout);
  ASSERT_TRUE(record.ok) << record.message;
  const std::size_t kind = layout.agent_kinds.size() - 1;
  ASSERT_EQ(layout.agent_kinds[kind].kind, "county");
  const auto& county = record.agents[kind];
  const std::size_t n = 6;
  int compared = 0;
  double received = 0.0;
  for (std::size_t step = 1; step < 80; ++step) {
    const double* escalations = &county[((step - 1) * kCountyVariableCount + kCountyEscalations) * n];
    const double* attention = &county[(step * kCountyVariableCount + kCountyProvinceAttention) * n];
    for (std::size_t a = 0; a < n; ++a) {
      received += attention[a];
      for (std::size_t b = 0; b < n; ++b)
        if (escalations[a] > escalations[b]) {
          EXPECT_GT(attention[a], attention[b]) << "step " << step;
          ++compared;
        }
    }
  }
  EXPECT_GT(compared, 0);
  EXPECT_GT(received, 0.0);
}

TEST(Scale, TenCountiesGiveIdenticalRecordsOnOneAndFourThreads) {
  const std::string text = scenario_text(
      "  scale: { counties: 10, provinces: 2, departments_spread: 0.2, townships_spread: 0.3, "
      "residents_spread: 0.3, province_attention: 2.0, province_target: 0.8, province_escalation: 0.1 }\n",
      50);
  const auto one = run(text, 1);
  const auto four = run(text, 4);
  ASSERT_TRUE(one.ok) << one.message;
  ASSERT_TRUE(four.ok) << four.message;
  EXPECT_TRUE(records_equal(one, four));
}

TEST(Scale, HoursAreConservedInEveryCounty) {
  sim::ModelRegistry registry;
  const sim::Model& m = model(registry);
  const sim::Scenario scenario = sim::parse_scenario(
      scenario_text("  scale: { counties: 5, departments_spread: 0.3, townships_spread: 0.4, province_attention: 3.0 }\n"),
      "<test>", registry);
  const sim::Rng rng(3, 0);
  const sim::ExecutionContext execution(2);
  const sim::BuildContext build{3, 0, 60, rng, execution};
  const auto world = m.build(scenario.variants[0].parameters, build);
  const auto counties = county_parameters(Parameters::read(scenario.variants[0].parameters));
  std::size_t agents = 0;
  for (const auto& q : counties) agents += static_cast<std::size_t>(q.departments.count + q.grassroots.count);
  for (std::size_t step = 0; step < 60; ++step) {
    const sim::StepContext context{step, rng, execution};
    for (const auto& phase : world->phases()) phase.run(context);
    const auto balance = world->hours_balance();
    ASSERT_EQ(balance.size(), agents);
    for (std::size_t i = 0; i < balance.size(); ++i)
      ASSERT_LE(balance[i].first, balance[i].second * (1.0 + 1e-9) + 1e-9) << "agent " << i << " step " << step;
  }
}

TEST(Scale, ScenariosValidateAndLayoutsAggregate) {
  sim::ModelRegistry registry;
  const sim::Model& m = model(registry);
  for (const char* file : {"province.yaml", "nation.yaml"}) {
    const sim::Scenario scenario = sim::load_scenario(std::string(COORDSIM_SCENARIO_DIR) + "/" + file, registry);
    EXPECT_GT(scenario.variants[0].parameters.integer("scale.counties"), 1) << file;
    const sim::OutputLayout layout = sim::scenario_layout(m, scenario);
    EXPECT_EQ(layout.agent_kinds.back().kind, "county");
    if (std::string(file) == "nation.yaml") {  // MODEL.md §2: ≈ 2,800 counties, ≈ 40,000 townships
      EXPECT_EQ(layout.agent_kinds.back().count, 2800u);
      const std::size_t townships = layout.agent_kinds[kDepartmentKind + 2].count;
      std::cout << "nation: " << layout.agent_kinds[kDepartmentKind].count << " departments, " << townships
                << " townships\n";
      EXPECT_GT(townships, 35000u);
      EXPECT_LT(townships, 45000u);
    }
  }
  EXPECT_TRUE(summed_over_counties("h"));
  EXPECT_TRUE(summed_over_counties("count"));
  EXPECT_FALSE(summed_over_counties("1"));
  EXPECT_FALSE(summed_over_counties("steps"));
}

}  // namespace
}  // namespace coordsim::models::governance
