// F8 (MODEL.md §6, seed S4): discipline referral for every task: the commission's queue and core
// backlog grow and deterrence per case falls, against referral for few tasks (纪委监委"包打天下").
// Scenario: scenarios/f8_discipline_overload.yaml.
#include "facts_support.hpp"

namespace coordsim::facts {
namespace {

const FactRun& run() {
  static const FactRun instance("f8_discipline_overload.yaml");
  return instance;
}

sim::Interval every_minus_few(const std::string& summary) {
  return sim::paired_difference(run().summary("every_task", summary), run().summary("few_tasks", summary));
}

TEST(F8DisciplineOverload, QueueGrows) {
  expect_sound_batch(run(), 10);
  const sim::Interval d = every_minus_few("discipline_queue_mean");
  EXPECT_GT(d.low, 0.0) << "queue every - few: " << d.mean << " [" << d.low << ", " << d.high << "]";
}

TEST(F8DisciplineOverload, CoreBacklogGrows) {
  const sim::Interval d = every_minus_few("discipline_core_backlog_mean");
  EXPECT_GT(d.low, 0.0) << "core backlog every - few: " << d.mean << " [" << d.low << ", " << d.high << "]";
}

TEST(F8DisciplineOverload, DeterrencePerCaseFalls) {
  const sim::Interval d = every_minus_few("discipline_deterrence_mean");
  EXPECT_LT(d.high, 0.0) << "deterrence every - few: " << d.mean << " [" << d.low << ", " << d.high << "]";
}

}  // namespace
}  // namespace coordsim::facts
