// F4 (MODEL.md §6, seed S0): seconded staff not detached from their home department give its work
// priority ("自己部门领导安排的活儿先干,专班的事儿后干"); detachment raises the task force's output.
// Scenario: scenarios/f4_detachment.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() {
  static const FactRun instance("f4_detachment.yaml");
  return instance;
}

TEST(F4Detachment, NonDetachedStaffGiveHomeWorkPriority) {
  expect_sound_batch(run(), 10);
  const sim::Interval d = sim::paired_difference(run().summary("not_detached", "seconded_home_share"),
                                                 run().summary("not_detached", "seconded_taskforce_share"));
  EXPECT_GT(d.low, 0.0) << "home share - task-force share: " << d.mean << " [" << d.low << ", " << d.high << "]";
}

TEST(F4Detachment, DetachmentRaisesTaskForceOutput) {
  const sim::Interval d = sim::paired_difference(run().summary("detached", "taskforce_work_total"),
                                                 run().summary("not_detached", "taskforce_work_total"));
  EXPECT_GT(d.low, 0.0) << "detached - not_detached work: " << d.mean << " [" << d.low << ", " << d.high << "]";
  const sim::Interval c = sim::paired_difference(run().summary("detached", "mean_completion_step"),
                                                 run().summary("not_detached", "mean_completion_step"));
  EXPECT_LE(c.mean, 0.0) << "completion step: " << c.mean << " [" << c.low << ", " << c.high << "]";
}

}  // namespace
}  // namespace coordsim::facts
