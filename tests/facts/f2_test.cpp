// F2 (MODEL.md §6, seed S0): a task force without role assignment leaves its seconded staff largely
// idle for the first months (李冰: "到岗两个多月仍没下一线"); assigning roles lowers idleness.
// Scenario: scenarios/governance/f2_task_force_roles.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f2_task_force_roles.yaml"); }

TEST(F2TaskForceRoles, WithoutRolesSecondedStaffAreLargelyIdleEarly) {
  expect_sound_batch(run(), 10);
  const auto idle = run().summary("no_roles", "seconded_idle_share_early");
  const sim::Interval m = sim::mean_interval(idle);
  EXPECT_GT(m.low, 0.5) << "idle share, first 40 steps: " << describe(m);
}

TEST(F2TaskForceRoles, RoleAssignmentLowersIdleness) {
  EXPECT_LT(run().difference("roles", "no_roles", "seconded_idle_share_early").high, 0.0);
  const sim::Interval m = sim::mean_interval(run().summary("roles", "seconded_idle_share_early"));
  EXPECT_LT(m.high, 0.5) << "idle share with roles: " << describe(m);
}

TEST(F2TaskForceRoles, LateRolesLeaveTheFirstMonthsIdleButRaiseOutputLater) {
  const sim::Interval idle = sim::mean_interval(run().summary("roles_after_two_months", "seconded_idle_share_early"));
  EXPECT_GT(idle.low, 0.5) << describe(idle);
  EXPECT_GT(run().difference("roles_after_two_months", "no_roles", "taskforce_work_total").low, 0.0);
}

}  // namespace
}  // namespace coordsim::facts
