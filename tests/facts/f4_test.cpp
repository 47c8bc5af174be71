// F4 (MODEL.md §6, seed S0): seconded staff not detached from their home department give its work
// priority ("自己部门领导安排的活儿先干,专班的事儿后干"); detachment raises the task force's output.
// Scenario: scenarios/governance/f4_detachment.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() { return shared_run("f4_detachment.yaml"); }

TEST(F4Detachment, NonDetachedStaffGiveHomeWorkPriority) {
  expect_sound_batch(run(), 10);
  const sim::Interval d = sim::paired_difference(run().summary("not_detached", "seconded_home_share"),
                                                 run().summary("not_detached", "seconded_taskforce_share"));
  EXPECT_GT(d.low, 0.0) << "home share - task-force share: " << describe(d);
}

TEST(F4Detachment, DetachmentRaisesTaskForceOutput) {
  EXPECT_GT(run().difference("detached", "not_detached", "taskforce_work_total").low, 0.0);
  EXPECT_LE(run().difference("detached", "not_detached", "mean_completion_step").mean, 0.0);
}

}  // namespace
}  // namespace coordsim::facts
