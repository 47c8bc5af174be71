// Adding a mechanism to the governance model is one entry in its list of mechanisms: a mechanism
// defined here, with its own parameter block, state, step and reporter, appears in the schema, the
// layout and the records of the composed model, and leaves every other output bit for bit as it was.
#include <gtest/gtest.h>

#include <memory>

#include "composition.hpp"
#include "determinism.hpp"
#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

// An inspection office that visits every open task each step at a rate (a test mechanism only).
struct InspectionParameters {
  double rate = 0.0;
};
struct InspectionState {
  double visits = 0.0;  // cumulative
};

GovernanceMechanism inspection() {
  GovernanceMechanism m("inspection");
  m.parameters().extension<InspectionParameters>("inspection").real(
      "rate", &InspectionParameters::rate, 0.5, 0.0, 10.0, "1", "Visits per open task and step");
  m.init([](State& s, const sim::Rng&) { s.extensions.get<InspectionState>() = InspectionState{}; });
  m.step(kPhaseTasks, "inspect", [](State& s, const sim::StepContext& context) {
    const double rate = s.parameters.extensions.get<InspectionParameters>().rate;
    for (std::uint32_t task = 0; task < s.tasks.size(); ++task)
      if (task_open(s, task, static_cast<std::int64_t>(context.step)))
        s.extensions.get<InspectionState>().visits += rate;
  });
  m.series({"inspections", "count", "Inspection visits so far"}, sim::Aggregation::Sum,
           [](const State& s) { return s.extensions.get<InspectionState>().visits; });
  return m;
}

TEST(AddedMechanism, AppearsInSchemaLayoutAndRecordsAndChangesNothingElse) {
  auto list = mechanisms();
  list.push_back(inspection());
  const auto extended = std::make_shared<const GovernanceComposition>(phases(), list);
  const auto& base = *composition();

  ASSERT_NE(extended->schema().find("inspection.rate"), nullptr);
  EXPECT_EQ(base.schema().find("inspection.rate"), nullptr);
  sim::ParamSet set(extended->schema());
  set.set("inspection.rate", 0.25);
  set.set("tasks.start_max", std::int64_t{5});
  const Parameters p = extended->read(set);
  const sim::OutputLayout layout = extended->layout(p);
  const sim::OutputLayout base_layout = base.layout(p);
  ASSERT_EQ(layout.series.size(), base_layout.series.size() + 1);
  EXPECT_EQ(layout.series.back().name, "inspections");

  const std::size_t steps = 30;
  const sim::Rng rng(4, 0);
  const sim::ExecutionContext execution(1);
  sim::ComposedWorld<Parameters, State> with(extended, [&] {
    State s;
    s.parameters = p;
    extended->init(s, rng);
    return s;
  }());
  sim::ComposedWorld<Parameters, State> without(composition(), generate_world(p, rng));
  sim::RunRecord record_with, record_without;
  sim::Recorder recorder_with(layout, steps, true, 1, record_with);
  sim::Recorder recorder_without(base_layout, steps, true, 1, record_without);
  double expected = 0.0;
  for (std::size_t step = 0; step < steps; ++step) {
    const sim::StepContext context{step, rng, execution};
    for (const auto& phase : with.phases()) phase.run(context);
    for (const auto& phase : without.phases()) phase.run(context);
    // Visits counted from the tasks' own state: the inspection runs after the tasks phase, so it
    // visits the tasks started and still not completed at the end of the step.
    const auto& t = with.state().tasks;
    for (std::size_t task = 0; task < t.size(); ++task)
      if (t.start[task] <= static_cast<std::int64_t>(step) && t.completed_step[task] == kNotDone) expected += 0.25;
    with.record(context, recorder_with);
    without.record(context, recorder_without);
    EXPECT_EQ(recorder_with.series_row(step)[layout.series.size() - 1], expected) << step;
    for (std::size_t v = 0; v < base_layout.series.size(); ++v) {
      const double a = recorder_with.series_row(step)[v], b = recorder_without.series_row(step)[v];
      EXPECT_TRUE(a == b || (a != a && b != b)) << base_layout.series[v].name << " at " << step;
    }
  }
  EXPECT_GT(expected, 0.0);
  for (std::size_t k = 0; k < record_with.agents.size(); ++k)
    EXPECT_TRUE(test_support::bitwise_equal(record_with.agents[k], record_without.agents[k])) << k;
}

}  // namespace
}  // namespace coordsim::models::governance
