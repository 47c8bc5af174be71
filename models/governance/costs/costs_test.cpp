// Cost rules (MODEL.md §4.2): reports, briefings, consultations, sharing platform.
#include "costs.hpp"

#include <gtest/gtest.h>

#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::parameters;

TEST(CostRules, ThePlatformCutsEveryCoordinationCost) {
  const Parameters off = Parameters::read(parameters());
  const Parameters on = Parameters::read(parameters({{"costs.sharing_platform", true}, {"costs.platform_factor", 0.25}}));
  EXPECT_DOUBLE_EQ(on.costs.chase_hours, 0.25 * off.costs.chase_hours);
  EXPECT_DOUBLE_EQ(on.costs.meeting_hours, 0.25 * off.costs.meeting_hours);
  EXPECT_DOUBLE_EQ(on.costs.lead_overhead_hours, 0.25 * off.costs.lead_overhead_hours);
  EXPECT_DOUBLE_EQ(on.cost_rules.report_hours, 0.25 * off.cost_rules.report_hours);
  EXPECT_DOUBLE_EQ(on.cost_rules.consultation_hours, 0.25 * off.cost_rules.consultation_hours);
}

TEST(CostRules, ReportsAndConsultationsCostEveryParticipantOnTheirSteps) {
  testing::Stepper stepper(parameters({{"tasks.count", std::int64_t{1}}, {"costs.report_every", std::int64_t{3}},
                                       {"costs.consultation_every", std::int64_t{4}}}));
  const State& s = stepper.state;
  const auto owner = s.relations.department[0];
  const auto lead = s.tasks.lead[0];
  for (std::size_t step = 0; step < 13; ++step) {
    stepper.step(step);
    const double report = step % 3 == 0 ? s.parameters.cost_rules.report_hours : 0.0;
    const double consult = step % 4 == 0 ? s.parameters.cost_rules.consultation_hours : 0.0;
    EXPECT_DOUBLE_EQ(s.mechanisms.costs.reporting[owner], report) << step;
    EXPECT_DOUBLE_EQ(s.mechanisms.costs.consultation[owner], consult) << step;
    EXPECT_DOUBLE_EQ(s.mechanisms.costs.reporting[lead], 0.0) << step;  // the lead files no report to itself
    EXPECT_DOUBLE_EQ(s.mechanisms.costs.consultation[lead], consult) << step;
  }
}

TEST(CostRules, BriefingsPressOnlyOwnersWithOverdueItems) {
  auto set = parameters({{"tasks.count", std::int64_t{1}}, {"costs.briefing_every", std::int64_t{1}},
                         {"costs.briefing_pressure", 1.0}, {"lead.chase_probability", 0.0},
                         {"tasks.deadline_min", std::int64_t{0}}, {"tasks.deadline_max", std::int64_t{0}}});
  testing::Stepper stepper(set);
  stepper.step(0);
  for (std::size_t r = 0; r < stepper.state.relations.size(); ++r)
    EXPECT_DOUBLE_EQ(stepper.state.relations.chase_pressure[r], 0.0);  // nothing is overdue yet
  stepper.step(1);
  double pressed = 0.0;
  for (std::size_t r = 0; r < stepper.state.relations.size(); ++r) pressed += stepper.state.relations.chase_pressure[r];
  EXPECT_GT(pressed, 0.0);
}

}  // namespace
}  // namespace coordsim::models::governance
