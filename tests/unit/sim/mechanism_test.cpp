// The model kit (mechanism.hpp, param_bindings.hpp, ensemble.hpp) on a small model defined here:
// parameters declared once give the schema and the typed read; a composition derives layout,
// phase order, records, summaries and ledgers from its list of mechanisms; adding a mechanism is
// one more entry in that list; outputs combine over an ensemble's members by their declared rule,
// with an upper level passed down every step, identically for any thread count.
#include "coordsim/sim/mechanism.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "coordsim/sim/ensemble.hpp"
#include "determinism.hpp"

namespace coordsim::sim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class Mode : std::uint8_t { Calm, Busy };

struct PoolParameters {
  std::int64_t count = 0;
  double refill = 0.0;
  Mode mode = Mode::Calm;
  bool doubled = false;
};
struct RainParameters {
  double amount = 0.0;
};
struct GardenParameters {
  PoolParameters pools;
  RainParameters rain;  // read by the mechanism added in AddingAMechanism
};

// Pools of water: each fills by `refill` per step (twice when busy); a log of which step ran.
struct Garden {
  GardenParameters parameters;
  std::vector<double> level;
  std::vector<std::string> log;
  double total = 0.0;   // tally of the last recorded step
  double given = 0.0;   // from the upper level of an ensemble, this step
  double rained = 0.0;  // by the mechanism added in AddingAMechanism
};

using GardenMechanism = Mechanism<GardenParameters, Garden>;

GardenMechanism pools() {
  GardenMechanism m("pools");
  m.parameters()
      .block("pools", &GardenParameters::pools)
      .integer("count", &PoolParameters::count, 3, 1, 100, "count", "Number of pools")
      .real("refill", &PoolParameters::refill, 1.5, 0.0, 10.0, "1", "Water added to each pool per step")
      .choice("mode", &PoolParameters::mode, "calm", {{"calm", Mode::Calm}, {"busy", Mode::Busy}}, "Pace of refills")
      .boolean("doubled", &PoolParameters::doubled, false, "Refill twice as fast");
  m.parameters().derive([](GardenParameters& p) {
    if (p.pools.doubled) p.pools.refill *= 2.0;
  });
  m.check([](const ParamSet& set, Problems& problems) {
    if (set.integer("pools.count") == 13) problems.emplace_back("pools.count", "unlucky");
  });
  m.init([](Garden& g, const Rng&) { g.level.assign(static_cast<std::size_t>(g.parameters.pools.count), 0.0); });
  m.step("fill", "refill", [](Garden& g, const StepContext&) {
    g.log.push_back("refill");
    const double per_step = g.parameters.pools.mode == Mode::Busy ? 2.0 : 1.0;
    for (std::size_t i = 0; i < g.level.size(); ++i)
      g.level[i] += per_step * g.parameters.pools.refill * static_cast<double>(i + 1) + g.given;
  });
  m.step("drain", "drain", [](Garden& g, const StepContext&) { g.log.push_back("drain"); });
  m.agent_kind("pool", [](const GardenParameters& p) { return static_cast<std::size_t>(p.pools.count); });
  m.tally([](Garden& g, std::size_t, bool) {
    g.total = 0.0;
    for (const double x : g.level) g.total += x;
  });
  m.series({"water", "count", "Water in all pools"}, Aggregation::Sum, [](const Garden& g) { return g.total; })
      .series(
          {"mean_level", "1", "Mean level"}, Aggregation::WeightedMean,
          [](const Garden& g) { return g.total / static_cast<double>(g.level.size()); }, "pools")
      .series({"pools", "count", "Pools"}, Aggregation::Sum,
              [](const Garden& g) { return static_cast<double>(g.level.size()); })
      .series({"first_level", "1", "Level of pool 0"}, Aggregation::Mean, [](const Garden& g) { return g.level[0]; });
  m.agents("pool", {"level", "1", "Level"}, [](const Garden& g, std::size_t, double* row) {
    for (std::size_t i = 0; i < g.level.size(); ++i) row[i] = g.level[i];
  });
  m.summary({"final_water", "count", "Water at the end"}, true, Aggregation::Sum, [](const Garden& g, std::size_t) {
    double sum = 0.0;
    for (const double x : g.level) sum += x;
    return sum;
  });
  m.ledger("capacity", [](const Garden& g, Ledger& ledger) {
    for (const double x : g.level) {
      ledger.used.push_back(x);
      ledger.available.push_back(1000.0);
    }
  });
  return m;
}

// A mechanism added by a test: one parameter, one step in an existing phase, one reporter.
GardenMechanism rain() {
  GardenMechanism m("rain");
  m.parameters()
      .block("rain", &GardenParameters::rain)
      .real("amount", &RainParameters::amount, 0.25, 0.0, 5.0, "1", "Rain per step");
  m.step("fill", "rain", [](Garden& g, const StepContext&) {
    g.log.push_back("rain");
    g.rained += g.parameters.rain.amount;
  });
  m.series({"rained", "1", "Rain so far"}, Aggregation::Mean, [](const Garden& g) { return g.rained; });
  return m;
}

std::shared_ptr<const Composition<GardenParameters, Garden>> compose(std::vector<GardenMechanism> list) {
  return std::make_shared<const Composition<GardenParameters, Garden>>(std::vector<std::string>{"fill", "drain"},
                                                                       std::move(list));
}

Garden make_garden(const Composition<GardenParameters, Garden>& model, const GardenParameters& p, const Rng& rng) {
  Garden g;
  g.parameters = p;
  model.init(g, rng);
  return g;
}

// What the runner does with a world: every phase of every step, a record after each, summaries.
void run_world(World& world, std::size_t steps, const Rng& rng, const ExecutionContext& execution, Recorder& recorder) {
  for (std::size_t step = 0; step < steps; ++step) {
    const StepContext context{step, rng, execution};
    for (const auto& phase : world.phases()) phase.run(context);
    world.record(context, recorder);
  }
  world.summarize(steps, recorder);
}

TEST(ParamBindings, OneDeclarationGivesTheSchemaAndTheTypedRead) {
  const auto model = compose({pools()});
  const ParamSchema& schema = model->schema();
  ASSERT_EQ(schema.specs().size(), 4u);
  const ParamSpec* refill = schema.find("pools.refill");
  ASSERT_NE(refill, nullptr);
  EXPECT_EQ(refill->type, ParamType::Real);
  EXPECT_EQ(std::get<double>(refill->default_value), 1.5);
  EXPECT_EQ(refill->maximum, 10.0);
  EXPECT_EQ(schema.find("pools.mode")->choices, (std::vector<std::string>{"calm", "busy"}));

  ParamSet set(schema);
  set.set("pools.count", std::int64_t{7});
  set.set("pools.mode", std::string("busy"));
  set.set("pools.doubled", true);
  const GardenParameters p = model->read(set);
  EXPECT_EQ(p.pools.count, 7);
  EXPECT_EQ(p.pools.mode, Mode::Busy);
  EXPECT_EQ(p.pools.refill, 3.0);  // derived after the read: 1.5 doubled
  set.set("pools.mode", std::string("frantic"));
  EXPECT_THROW(model->read(set), std::invalid_argument);

  set.set("pools.count", std::int64_t{13});
  ASSERT_EQ(model->check(set).size(), 1u);
  EXPECT_EQ(model->check(set)[0].first, "pools.count");
}

TEST(Composition, DerivesLayoutRecordsSummariesAndLedgers) {
  const auto model = compose({pools()});
  GardenParameters p;
  p.pools = {3, 1.5, Mode::Calm, false};
  const OutputLayout layout = model->layout(p);
  ASSERT_EQ(layout.series.size(), 4u);
  EXPECT_EQ(layout.series[0].name, "water");
  ASSERT_EQ(layout.agent_kinds.size(), 1u);
  EXPECT_EQ(layout.agent_kinds[0].kind, "pool");
  EXPECT_EQ(layout.agent_kinds[0].count, 3u);
  ASSERT_EQ(layout.summaries.size(), 1u);
  EXPECT_TRUE(layout.summaries[0].key);

  const Rng rng(1, 0);
  const ExecutionContext execution(1);
  ComposedWorld<GardenParameters, Garden> world(model, make_garden(*model, p, rng));
  ASSERT_EQ(world.phases().size(), 2u);
  RunRecord record;
  Recorder recorder(layout, 2, true, 1, record);
  run_world(world, 2, rng, execution, recorder);
  // Pool i holds 2 x 1.5 x (i + 1) after two steps: 3, 6, 9.
  const double* last = recorder.series_row(1);
  EXPECT_EQ(last[0], 18.0);
  EXPECT_EQ(last[1], 6.0);
  EXPECT_EQ(last[2], 3.0);
  EXPECT_EQ(last[3], 3.0);
  EXPECT_EQ(recorder.agent_row(0, 0, 1)[2], 9.0);
  EXPECT_EQ(recorder.summaries()[0], 18.0);
  const auto ledgers = world.ledgers();
  ASSERT_EQ(ledgers.size(), 1u);
  EXPECT_EQ(ledgers[0].name, "capacity");
  EXPECT_EQ(ledgers[0].used, (std::vector<double>{3.0, 6.0, 9.0}));
}

TEST(Composition, AddingAMechanismIsOneEntryInTheList) {
  const auto base = compose({pools()});
  const auto extended = compose({pools(), rain()});
  // Its parameter joins the schema, its reporter the layout (after the others), its step its phase.
  EXPECT_EQ(base->schema().find("rain.amount"), nullptr);
  ASSERT_NE(extended->schema().find("rain.amount"), nullptr);
  GardenParameters p = extended->read(ParamSet(extended->schema()));
  EXPECT_EQ(p.rain.amount, 0.25);
  const OutputLayout layout = extended->layout(p);
  ASSERT_EQ(layout.series.size(), base->layout(p).series.size() + 1);
  EXPECT_EQ(layout.series.back().name, "rained");

  const Rng rng(1, 0);
  const ExecutionContext execution(1);
  Garden g = make_garden(*extended, p, rng);
  RunRecord record;
  Recorder recorder(layout, 4, false, 1, record);
  for (std::size_t step = 0; step < 4; ++step) {
    extended->step(g, StepContext{step, rng, execution});
    extended->record(g, step, recorder);
  }
  EXPECT_EQ(recorder.series_row(3)[4], 1.0);  // 4 steps x 0.25
  // The test stepper runs phases in order, mechanisms in list order within a phase.
  EXPECT_EQ((std::vector<std::string>(g.log.begin(), g.log.begin() + 3)),
            (std::vector<std::string>{"refill", "rain", "drain"}));
  // The pools' outputs are untouched by the new mechanism.
  Garden alone = make_garden(*base, p, rng);
  for (std::size_t step = 0; step < 4; ++step) base->step(alone, StepContext{step, rng, execution});
  EXPECT_EQ(alone.level, g.level);
}

TEST(Composition, StepsRunByPhaseThenByDeclaredOrder) {
  GardenMechanism first("first"), second("second");
  first.step("drain", "a", [](Garden& g, const StepContext&) { g.log.push_back("first drain"); })
      .step(
          "fill", "b", [](Garden& g, const StepContext&) { g.log.push_back("first fill"); }, 2);
  second.step(
      "fill", "c", [](Garden& g, const StepContext&) { g.log.push_back("second fill"); }, 1);
  const auto model = compose({first, second});
  Garden g;
  const Rng rng(1, 0);
  const ExecutionContext execution(1);
  model->step(g, StepContext{0, rng, execution});
  EXPECT_EQ(g.log, (std::vector<std::string>{"second fill", "first fill", "first drain"}));
  GardenMechanism lost("lost");
  lost.step("weed", "d", [](Garden&, const StepContext&) {});
  EXPECT_THROW(compose({lost}), std::logic_error);
}

TEST(Aggregation, SumMeanAndWeightedMeanSkipUndefinedValues) {
  // Three worlds, outputs: a (sum), b (mean), c (mean weighted by a).
  const std::vector<AggregationRule> rules = {
      {Aggregation::Sum, 0}, {Aggregation::Mean, 0}, {Aggregation::WeightedMean, 0}};
  const std::vector<double> rows = {1.0,  2.0,  10.0,  //
                                    3.0,  kNaN, 20.0,  //
                                    kNaN, 6.0,  30.0};
  double out[3];
  aggregate_rows(rows, 3, rules, out);
  EXPECT_EQ(out[0], 4.0);
  EXPECT_EQ(out[1], 4.0);
  EXPECT_EQ(out[2], (1.0 * 10.0 + 3.0 * 20.0) / 4.0);  // world 3 has no weight
  const std::vector<double> undefined = {kNaN, kNaN, kNaN};
  aggregate_rows(undefined, 1, rules, out);
  EXPECT_TRUE(std::isnan(out[0]) && std::isnan(out[1]) && std::isnan(out[2]));
}

// The upper level of the test ensemble: gives each member the previous step's total water of all
// members divided by 100.
struct Reservoir {
  double last_total = 0.0;
};

EnsembleSpec<Garden, Reservoir> reservoir_spec() {
  EnsembleSpec<Garden, Reservoir> spec;
  spec.upper_phase = "reservoir";
  spec.members_phase = "gardens";
  spec.pass_down = [](Reservoir& r, std::vector<Garden>& gardens) {
    double total = 0.0;
    for (const auto& g : gardens)
      for (const double x : g.level) total += x;
    r.last_total = total;
    for (auto& g : gardens) g.given = total / 100.0;
  };
  spec.member_kind = "garden";
  spec.member_variables = {{"water", "count", "Water of the garden"}, {"given", "1", "Water given from above"}};
  spec.member_values = [](const Reservoir&, std::size_t, const Garden& g, const double* series, double* values) {
    values[0] = series[0];
    values[1] = g.given;
  };
  return spec;
}

RunRecord run_ensemble(int threads) {
  const auto model = compose({pools()});
  std::vector<GardenParameters> members(3);
  for (std::size_t m = 0; m < 3; ++m) members[m].pools = {static_cast<std::int64_t>(m + 1), 1.0, Mode::Calm, false};
  const OutputLayout layout = ensemble_layout(*model, members, reservoir_spec());
  const Rng rng(5, 0);
  const ExecutionContext execution(threads);
  std::vector<Rng> rngs(3, rng);
  Ensemble<GardenParameters, Garden, Reservoir> world(
      model, members, rngs, [&](const GardenParameters& p, const Rng& r) { return make_garden(*model, p, r); },
      Reservoir{}, reservoir_spec(), BuildContext{5, 0, 3, rng, execution});
  RunRecord record;
  Recorder recorder(layout, 3, true, 1, record);
  run_world(world, 3, rng, execution, recorder);
  return record;
}

TEST(Ensemble, PassesTheUpperLevelDownAndAggregatesByDeclaredRule) {
  const auto model = compose({pools()});
  std::vector<GardenParameters> members(3);
  for (std::size_t m = 0; m < 3; ++m) members[m].pools = {static_cast<std::int64_t>(m + 1), 1.0, Mode::Calm, false};
  const OutputLayout layout = ensemble_layout(*model, members, reservoir_spec());
  ASSERT_EQ(layout.agent_kinds.size(), 2u);
  EXPECT_EQ(layout.agent_kinds[0].count, 6u);  // 1 + 2 + 3 pools, member after member
  EXPECT_EQ(layout.agent_kinds[1].kind, "garden");

  const RunRecord record = run_ensemble(1);
  // Step 0: nothing given; pools hold 1 | 1, 2 | 1, 2, 3: gardens 1, 3, 6 -> 10.
  // Step 1: each pool gets 0.1 more: 2.1 | 2.1, 4.1 | 2.1, 4.1, 6.1: gardens 2.1, 6.2, 12.3.
  const std::size_t width = layout.series.size();
  EXPECT_EQ(record.series[0 * width + 0], 10.0);
  EXPECT_DOUBLE_EQ(record.series[1 * width + 0], 2.1 + 6.2 + 12.3);
  EXPECT_EQ(record.series[0 * width + 2], 6.0);  // pools: summed
  // mean_level weighted by pools: (1 x 1 + 2 x 1.5 + 3 x 2) / 6 = total / pools.
  EXPECT_DOUBLE_EQ(record.series[0 * width + 1], 10.0 / 6.0);
  EXPECT_EQ(record.series[0 * width + 3], 1.0);  // first_level: plain mean of 1, 1, 1
  // The garden kind: water per member, and what the upper level gave at step 1.
  const auto& gardens = record.agents[1];
  const std::size_t members_count = 3, variables = 2;
  EXPECT_EQ(gardens[(0 * variables + 0) * members_count + 2], 6.0);
  EXPECT_DOUBLE_EQ(gardens[(1 * variables + 1) * members_count + 0], 0.1);
  EXPECT_DOUBLE_EQ(record.summaries[0], record.series[2 * width + 0]);
  EXPECT_TRUE(test_support::records_identical(record, run_ensemble(4)));
}

}  // namespace
}  // namespace coordsim::sim
