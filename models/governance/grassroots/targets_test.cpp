// Target management (MODEL.md §4.4, S2): escalation, attainment ceilings, formalism, conflicting
// targets, the task plan and penalties.
#include "targets.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "grassroots_support.hpp"
#include "platform.hpp"

namespace coordsim::models::governance {
namespace {

using testing::LayerStepper;
using testing::parameters;

TEST(Escalation, EachLevelMultipliesTheTargetUpToTheCap) {
  TargetParameters t = Parameters::read(parameters()).targets;
  t.base_target = 0.85;
  t.escalation = 0.1;
  t.target_cap = 1.0;
  t.levels = 0;
  EXPECT_DOUBLE_EQ(escalated_target(t), 0.85);
  t.levels = 1;
  EXPECT_DOUBLE_EQ(escalated_target(t), 0.85 * 1.1);
  t.levels = 3;
  EXPECT_DOUBLE_EQ(escalated_target(t), 1.0);
}

TEST(Attainment, CeilingMakesHighTargetsInfeasibleWhateverTheEffort) {
  EXPECT_DOUBLE_EQ(real_attainment(10.0, 10.0, 0.85, 0.95), 1.0);
  EXPECT_DOUBLE_EQ(real_attainment(100.0, 10.0, 1.0, 0.95), 0.95);
  EXPECT_DOUBLE_EQ(real_attainment(5.0, 10.0, 0.8, 0.95), 0.5);
  EXPECT_DOUBLE_EQ(real_attainment(0.0, 0.0, 0.8, 0.95), 1.0);
}

TEST(Attainment, RigidShortfallsAreReportedAsPartlyAchieved) {
  EXPECT_DOUBLE_EQ(reported_attainment(0.6, true, 0.8), 0.6 + 0.8 * 0.4);
  EXPECT_DOUBLE_EQ(reported_attainment(0.6, false, 0.8), 0.6);
  EXPECT_DOUBLE_EQ(reported_attainment(1.0, true, 0.8), 1.0);
  EXPECT_DOUBLE_EQ(reported_attainment(0.6, true, 0.0), 0.6);
}

TEST(Conflict, SomeTargetFallsShortForEveryChoice) {
  for (double gap : {0.1, 0.3, 0.7}) {
    for (double lambda = 0.0; lambda <= 1.0; lambda += 0.05) {
      const ConflictOutcome o = conflict_outcome(gap, lambda);
      EXPECT_LE(std::min(o.supply, o.safety), 1.0 - gap / 2.0 + 1e-12);
      EXPECT_NEAR(o.supply + o.safety, 2.0 - gap, 1e-12);  // a trade-off: what one gains the other loses
    }
  }
  const ConflictOutcome none = conflict_outcome(0.0, 0.3);
  EXPECT_EQ(none.supply, 1.0);
  EXPECT_EQ(none.safety, 1.0);
  EXPECT_GT(conflict_choice(3.0, 1.0), conflict_choice(1.0, 3.0));
  EXPECT_DOUBLE_EQ(conflict_choice(0.0, 0.0), 0.5);
}

TEST(Plan, DispatchedTasksComeFirstAndCostReportingHours) {
  const Parameters p = Parameters::read(parameters({{"grassroots.tasks", std::int64_t{5}},
                                                    {"targets.dispatched", std::int64_t{2}},
                                                    {"targets.forms_per_report", 3.0},
                                                    {"targets.hours_per_form", 2.0},
                                                    {"targets.report_every", std::int64_t{4}}}));
  TaskPlan plan;
  build_task_plan(p, plan);
  ASSERT_EQ(plan.order.size(), 5u);
  EXPECT_EQ(plan.order[0], 0u);
  EXPECT_EQ(plan.order[1], 1u);
  EXPECT_TRUE(plan.rigid[0] && plan.rigid[1] && !plan.rigid[2]);
  EXPECT_DOUBLE_EQ(plan.reporting_hours, 2.0 * 3.0 * 2.0 / 4.0);
  Parameters with_platform = p;
  with_platform.platform.enabled = true;
  TaskPlan electronic;
  build_task_plan(with_platform, electronic);
  EXPECT_DOUBLE_EQ(electronic.reporting_hours, plan.reporting_hours * (1.0 - p.platform.paperwork_cut));
}

TEST(Plan, EscalationRaisesTheWorkEveryTaskNeeds) {
  TaskPlan base, escalated;
  build_task_plan(Parameters::read(parameters()), base);
  build_task_plan(Parameters::read(parameters({{"targets.levels", std::int64_t{2}}})), escalated);
  for (std::size_t m = 0; m < base.required.size(); ++m) EXPECT_GT(escalated.required[m], base.required[m]);
}

TEST(TargetAssessment, InfeasibleRigidTargetsArePenalisedWhenInspectedAndOverReported) {
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{3}},
                                   {"grassroots.tasks", std::int64_t{4}},
                                   {"targets.dispatched", std::int64_t{3}},
                                   {"targets.levels", std::int64_t{3}},
                                   {"targets.inspection_probability", 1.0},
                                   {"targets.assessment_every", std::int64_t{10}}}));
  for (std::size_t step = 0; step < 9; ++step) stepper.step(step);
  EXPECT_TRUE(std::isnan(stepper.state.grassroots.townships.attainment_real[0]));  // no assessment yet
  stepper.step(9);
  const auto& tw = stepper.state.grassroots.townships;
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_EQ(tw.penalties[j], 3u) << j;  // every rigid task is above the attainable ceiling
    EXPECT_LE(tw.attainment_real[j], 0.95 + 1e-12);
    EXPECT_GT(tw.attainment_reported[j], tw.attainment_real[j]);
  }
  stepper.step(10);
  EXPECT_EQ(tw.penalties[0], 0u);  // penalties are counted in the step of the assessment only
  EXPECT_EQ(tw.penalties_total[0], 3u);
}

TEST(TargetAssessment, FeasibleTargetsMetInFullAreNeitherPenalisedNorOverReported) {
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{2}},
                                   {"grassroots.task_hours", 1.0},
                                   {"targets.inspection_probability", 1.0},
                                   {"targets.assessment_every", std::int64_t{5}}}));
  for (std::size_t step = 0; step < 5; ++step) stepper.step(step);
  const auto& tw = stepper.state.grassroots.townships;
  EXPECT_EQ(tw.penalties_total[0], 0u);
  EXPECT_DOUBLE_EQ(tw.attainment_real[0], 1.0);
  EXPECT_DOUBLE_EQ(tw.attainment_reported[0], 1.0);
}

}  // namespace
}  // namespace coordsim::models::governance
