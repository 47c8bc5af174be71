// A province or the nation of the county (models/society/scale.cpp): one county is untouched by the
// scale block; county traits are drawn around the template; with no provincial attention the
// counties are independent worlds (county 0 reproduces the single county, and a province's summed
// series are the sums of its counties run alone); the provincial leadership lends attention in
// proportion to unsettled escalations and that attention settles requests sooner (paired over
// replications); records do not depend on the thread count; attention stays within each county's
// budget; the shipped province and nation scenarios validate and have the nation's size.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <iostream>
#include <string>
#include <tuple>
#include <vector>

#include "coordsim/sim/ensemble.hpp"
#include "coordsim/sim/statistics.hpp"
#include "scale.hpp"
#include "society_support.hpp"

namespace coordsim::models::society {
namespace {

using test_support::records_identical;

// A small county (30 departments, 6 townships) from county.yaml, with its own variants; departments
// nearly saturated by home work and townships sending many requests, so that requests escalate.
std::string text(const std::string& scale, int steps = 80, int replications = 1, const std::string& variants = "") {
  return "extends: " + std::string(COORDSIM_SCENARIO_DIR) + "/county.yaml\n" + "run: { steps: " +
         std::to_string(steps) + ", seed: 5, replications: " + std::to_string(replications) +
         " }\n"
         "output: { agents: true, agent_every: 1 }\n"
         "parameters:\n"
         "  departments: { count: 30, home_load: 0.97 }\n"
         "  tasks: { count: 4, participants: 8 }\n"
         "  townships: { count: 6, escalate_after: 1, request_share: 0.6 }\n" +
         scale + "variants:\n  baseline: {}\n" + variants;
}

sim::Scenario parse(const std::string& yaml) { return sim::parse_scenario(yaml, "<test>", registry()); }

sim::RunRecord run(const sim::Scenario& scenario, int threads, sim::OutputLayout* layout_out = nullptr,
                   std::size_t variant = 0, std::size_t replication = 0) {
  const sim::Model& model = *registry().find("society");
  const sim::OutputLayout layout = sim::scenario_layout(model, scenario);
  if (layout_out) *layout_out = layout;
  const sim::ExecutionContext execution(threads);
  return sim::run_one(model, scenario, layout, variant, replication, execution);
}

Parameters read(const sim::Scenario& scenario) { return composition()->read(scenario.variants[0].parameters); }

TEST(SocietyScale, OneCountyIsBitIdenticalToNoScaleBlock) {
  const auto without = run(parse(text("")), 1);
  const auto with = run(parse(text("  scale: { counties: 1, departments_spread: 0.5, townships_spread: 0.5, "
                                   "province_attention: 3.0 }\n")),
                        1);
  ASSERT_TRUE(without.ok && with.ok) << without.message << with.message;
  EXPECT_TRUE(records_identical(without, with));
}

TEST(SocietyScale, SpreadsDrawDifferentCountiesAndZeroSpreadsEqualOnes) {
  const auto spread = county_parameters(read(parse(text(
      "  scale: { counties: 12, departments_spread: 0.3, townships_spread: 0.3, residents_spread: 0.3, "
      "lead_rank_spread: 0.1 }\n"))));
  ASSERT_EQ(spread.size(), 12u);
  int departments = 0, townships = 0, residents = 0, ranks = 0;
  for (std::size_t c = 1; c < spread.size(); ++c) {
    departments += spread[c].departments.count != spread[0].departments.count;
    townships += spread[c].townships.count != spread[0].townships.count;
    residents += spread[c].townships.residents_mean != spread[0].townships.residents_mean;
    ranks += spread[c].tasks.lead_rank != spread[0].tasks.lead_rank;
    EXPECT_GE(spread[c].departments.count, spread[c].tasks.participants + 1);
    EXPECT_GE(spread[c].townships.count, 1);
    EXPECT_LE(std::abs(spread[c].tasks.lead_rank - 0.35), 0.1 + 1e-12);
  }
  EXPECT_GT(departments, 0);
  EXPECT_GT(townships, 0);
  EXPECT_GT(residents, 0);
  EXPECT_GT(ranks, 0);
  for (const auto& q : county_parameters(read(parse(text("  scale: { counties: 4 }\n"))))) {
    EXPECT_EQ(q.departments.count, 30);
    EXPECT_EQ(q.townships.count, 6);
    EXPECT_EQ(q.tasks.lead_rank, 0.35);
  }
}

// Without provincial attention the counties are independent worlds: county 0 meets the single
// county's random numbers, and every summed series of the province is the sum of its counties run
// alone with their own seeds (sim::member_seed).
TEST(SocietyScale, WithoutProvincialAttentionCountiesAreTheSingleCountiesSideBySide) {
  sim::OutputLayout single_layout, province_layout;
  const auto single = run(parse(text("")), 1, &single_layout);
  const auto province_scenario = parse(text("  scale: { counties: 3 }\n"));
  const auto province = run(province_scenario, 1, &province_layout);
  ASSERT_TRUE(single.ok && province.ok);
  const std::size_t department = test_support::kind_index(single_layout, "department");
  const std::size_t vars = single_layout.agent_kinds[department].variables.size();
  for (std::size_t r = 0; r < 80 * vars; ++r)
    ASSERT_EQ(std::memcmp(&single.agents[department][r * 30], &province.agents[department][r * 90], 30 * sizeof(double)), 0)
        << "row " << r;

  std::vector<sim::RunRecord> alone;
  for (std::size_t c = 0; c < 3; ++c) {
    auto scenario = parse(text(""));
    scenario.run.seed = sim::member_seed(5, c);
    alone.push_back(run(scenario, 1));
  }
  const auto& rules = composition()->series_aggregation();
  const std::size_t width = province_layout.series.size();
  int summed = 0;
  for (std::size_t v = 0; v < width; ++v) {
    if (rules[v].how != sim::Aggregation::Sum) continue;
    ++summed;
    for (std::size_t step = 0; step < 80; ++step) {
      const double expected =
          alone[0].series[step * width + v] + alone[1].series[step * width + v] + alone[2].series[step * width + v];
      ASSERT_NEAR(province.series[step * width + v], expected, 1e-9 * (1.0 + std::abs(expected)))
          << province_layout.series[v].name << " step " << step;
    }
  }
  EXPECT_GT(summed, 20);
}

// The province lends its attention in proportion to each county's unsettled escalated requests of the
// same step, and all of it when any county has one.
TEST(SocietyScale, ProvincialAttentionFollowsEscalations) {
  sim::OutputLayout layout;
  const auto record =
      run(parse(text("  scale: { counties: 6, departments_spread: 0.3, townships_spread: 0.3, province_attention: 5.0 }\n",
                     120)),
          1, &layout);
  ASSERT_TRUE(record.ok) << record.message;
  const std::size_t kind = layout.agent_kinds.size() - 1;
  ASSERT_EQ(layout.agent_kinds[kind].kind, "county");
  const std::size_t n = 6, variables = layout.agent_kinds[kind].variables.size();
  const std::size_t escalated = test_support::variable_index(layout, "county", "escalated_requests");
  const std::size_t lent = test_support::variable_index(layout, "county", "province_attention");
  const auto& county = record.agents[kind];
  int steps_with_escalations = 0;
  for (std::size_t step = 0; step < 120; ++step) {
    const double* e = &county[(step * variables + escalated) * n];
    const double* a = &county[(step * variables + lent) * n];
    double total_e = 0.0, total_a = 0.0;
    for (std::size_t c = 0; c < n; ++c) total_e += e[c], total_a += a[c];
    if (total_e == 0.0) {
      EXPECT_EQ(total_a, 0.0) << "step " << step;
      continue;
    }
    ++steps_with_escalations;
    EXPECT_NEAR(total_a, 5.0, 1e-9) << "step " << step;
    for (std::size_t c = 0; c < n; ++c) EXPECT_NEAR(a[c], 5.0 * e[c] / total_e, 1e-9) << "step " << step;
  }
  EXPECT_GT(steps_with_escalations, 20);
}

// Provincial attention reaches the counties: their leadership decides escalated requests sooner, so
// fewer requests wait, and gives joint tasks more, so fewer items are overdue (paired over 10
// replications on common random numbers).
TEST(SocietyScale, ProvincialAttentionSettlesRequestsAndItemsSooner) {
  const auto scenario = parse(text("  scale: { counties: 6, townships_spread: 0.3 }\n", 120, 10,
                                   "  attention:\n    scale.province_attention: 5.0\n"));
  const sim::Model& model = *registry().find("society");
  const sim::OutputLayout layout = sim::scenario_layout(model, scenario);
  const std::size_t waiting = test_support::series_index(layout, "requests_waiting");
  const std::size_t overdue = test_support::summary_index(layout, "items_overdue_mean");
  const std::size_t width = layout.series.size();
  std::vector<double> waiting_base, waiting_lent, overdue_base, overdue_lent;
  for (std::size_t r = 0; r < 10; ++r)
    for (std::size_t v = 0; v < 2; ++v) {
      const auto record = run(scenario, 2, nullptr, v, r);
      ASSERT_TRUE(record.ok) << record.message;
      double mean = 0.0;
      for (std::size_t step = 0; step < 120; ++step) mean += record.series[step * width + waiting] / 120.0;
      (v == 0 ? waiting_base : waiting_lent).push_back(mean);
      (v == 0 ? overdue_base : overdue_lent).push_back(record.summaries[overdue]);
    }
  for (const auto& [name, lent, base] : {std::tuple{"requests_waiting", &waiting_lent, &waiting_base},
                                         std::tuple{"items_overdue_mean", &overdue_lent, &overdue_base}}) {
    const auto d = sim::paired_difference(*lent, *base);
    std::printf("%s, province attention - none: %.4g [%.4g, %.4g]\n", name, d.mean, d.low, d.high);
    ::testing::Test::RecordProperty(std::string("province_attention_") + name, std::to_string(d.mean) + " [" +
                                                                                  std::to_string(d.low) + ", " +
                                                                                  std::to_string(d.high) + "]");
    EXPECT_LT(d.high, 0.0) << name;
  }
}

TEST(SocietyScale, RecordsDoNotDependOnTheThreadCount) {
  const auto scenario = parse(text("  scale: { counties: 8, provinces: 2, departments_spread: 0.2, townships_spread: 0.3, "
                                   "residents_spread: 0.3, province_attention: 2.0 }\n",
                                   50));
  const auto one = run(scenario, 1);
  const auto four = run(scenario, 4);
  ASSERT_TRUE(one.ok && four.ok);
  EXPECT_TRUE(records_identical(one, four));
}

// Every county's ledgers hold in the ensemble, attention included: what a county's leadership gives
// never exceeds its own budget plus what the province lent it that step.
TEST(SocietyScale, EveryCountysLedgersBalance) {
  const auto scenario =
      parse(text("  scale: { counties: 5, departments_spread: 0.3, townships_spread: 0.4, province_attention: 3.0 }\n"));
  const sim::Model& model = *registry().find("society");
  const sim::Rng rng(5, 0);
  const sim::ExecutionContext execution(2);
  const sim::BuildContext build{5, 0, 60, rng, execution};
  const auto world = model.build(scenario.variants[0].parameters, build);
  for (std::size_t step = 0; step < 60; ++step) {
    const sim::StepContext context{step, rng, execution};
    for (const auto& phase : world->phases()) phase.run(context);
    for (const auto& ledger : world->ledgers()) {
      ASSERT_EQ(ledger.used.size(), ledger.available.size());
      for (std::size_t i = 0; i < ledger.used.size(); ++i)
        ASSERT_LE(ledger.used[i], ledger.available[i] * (1.0 + 1e-9) + 1e-9) << ledger.name << " " << i << " step " << step;
    }
  }
}

TEST(SocietyScale, ShippedProvinceAndNationValidateWithTheNationsSize) {
  const sim::Model& model = *registry().find("society");
  for (const char* file : {"province.yaml", "nation.yaml"}) {
    const auto scenario = scenario_file(file);
    EXPECT_EQ(scenario.model, "society") << file;
    EXPECT_GT(scenario.variants[0].parameters.integer("scale.counties"), 1) << file;
    const sim::OutputLayout layout = sim::scenario_layout(model, scenario);
    EXPECT_EQ(layout.agent_kinds.back().kind, "county") << file;
    if (std::string(file) == "nation.yaml") {  // MODEL.md §2: ≈ 2,800 counties, ≈ 40,000 townships
      EXPECT_EQ(layout.agent_kinds.back().count, 2800u);
      const std::size_t townships = layout.agent_kinds[test_support::kind_index(layout, "township")].count;
      std::cout << "nation: " << layout.agent_kinds[test_support::kind_index(layout, "department")].count
                << " departments, " << townships << " townships\n";
      EXPECT_GT(townships, 35000u);
      EXPECT_LT(townships, 45000u);
    }
  }
}

}  // namespace
}  // namespace coordsim::models::society
