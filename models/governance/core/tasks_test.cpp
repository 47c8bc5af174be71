// Joint tasks: dependencies, completion and synergy (MODEL.md §3.7).
#include "tasks.hpp"

#include <gtest/gtest.h>

#include <array>

#include "governance_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::parameters;

TEST(Synergy, ParallelIsOneByConstruction) {
  const std::array<double, 2> work = {10.0, 20.0};
  const std::array<double, 2> remaining = {4.0, 20.0};
  const std::array<std::int64_t, 2> done = {kNotDone, kNotDone};
  EXPECT_EQ(synergy_ratio(Dependency::Parallel, work, remaining, done, 2.0), 1.0);
}

TEST(Synergy, ComplementaryIsZeroUntilEveryPartIsDone) {
  const std::array<double, 3> work = {10.0, 20.0, 5.0};
  std::array<double, 3> remaining = {0.0, 0.0, 5.0};
  std::array<std::int64_t, 3> done = {3, 4, kNotDone};
  EXPECT_EQ(synergy_ratio(Dependency::Complementary, work, remaining, done, 1.5), 0.0);
  remaining[2] = 1.0;  // nearly done is still not done
  EXPECT_EQ(synergy_ratio(Dependency::Complementary, work, remaining, done, 1.5), 0.0);
  remaining[2] = 0.0;
  done[2] = 9;
  const double all_done = synergy_ratio(Dependency::Complementary, work, remaining, done, 1.5);
  EXPECT_GT(all_done, 1.0);
  EXPECT_DOUBLE_EQ(all_done, 1.5);
}

TEST(Synergy, SequentialCountsOnlyTheCompletedPrefix) {
  const std::array<double, 3> work = {10.0, 10.0, 10.0};
  const std::array<double, 3> remaining = {0.0, 5.0, 10.0};
  const std::array<std::int64_t, 3> done = {2, kNotDone, kNotDone};
  // 15 hours delivered, 10 of them in a completed item.
  EXPECT_DOUBLE_EQ(synergy_ratio(Dependency::Sequential, work, remaining, done, 1.5), 10.0 / 15.0);
}

TEST(Dependencies, SequentialItemWaitsForItsPredecessor) {
  State state = testing::make_state(parameters({{"tasks.count", std::int64_t{1}}, {"tasks.dependency", std::string("sequential")}}));
  std::uint32_t second = kNone;
  for (std::uint32_t item = 0; item < state.items.size(); ++item)
    if (state.items.predecessor[item] != kNone && state.items.predecessor[state.items.predecessor[item]] == kNone)
      second = item;
  ASSERT_NE(second, kNone);
  const std::uint32_t first = state.items.predecessor[second];
  EXPECT_TRUE(item_available(state, first, 0));
  EXPECT_FALSE(item_available(state, second, 0));
  state.items.done_step[first] = 0;
  EXPECT_TRUE(item_available(state, second, 1));
}

TEST(Dependencies, SequentialItemsAreDoneInChainOrderInAWholeRun) {
  testing::Stepper stepper(parameters({{"tasks.count", std::int64_t{3}}, {"tasks.dependency", std::string("sequential")},
                                       {"tasks.participants", std::int64_t{6}}}));
  for (std::size_t step = 0; step < 250; ++step) stepper.step(step);
  const auto& it = stepper.state.items;
  std::size_t checked = 0;
  for (std::uint32_t item = 0; item < it.size(); ++item) {
    const auto before = it.predecessor[item];
    if (before == kNone || it.done_step[item] == kNotDone) continue;
    ASSERT_NE(it.done_step[before], kNotDone);
    EXPECT_GT(it.done_step[item], it.done_step[before]);
    ++checked;
  }
  EXPECT_GT(checked, 0u);
}

TEST(Dependencies, ParallelItemsHaveNoPredecessor) {
  const State state = testing::make_state(parameters());
  for (std::uint32_t item = 0; item < state.items.size(); ++item) EXPECT_EQ(state.items.predecessor[item], kNone);
}

TEST(TaskUpdate, DeliveredWorkCompletesItemsOnTimeOrLate) {
  State state = testing::make_state(parameters({{"tasks.count", std::int64_t{1}}}));
  auto& it = state.items;
  const std::uint32_t early = 0, late = 1;
  const auto owner_early = it.owner[early], owner_late = it.owner[late];
  state.work.post(owner_early, 0, WorkDelivery{early, it.work[early]});
  state.work.post(owner_late, 0, WorkDelivery{late, it.work[late] * 2.0});  // overshoot is not carried over
  state.work.deliver();
  const std::int64_t step = it.deadline[early];
  it.deadline[late] = step - 1;
  update_task(state, 0, step);
  EXPECT_EQ(it.done_step[early], step);
  EXPECT_EQ(it.on_time[early], 1);
  EXPECT_EQ(it.done_step[late], step);
  EXPECT_EQ(it.on_time[late], 0);
  EXPECT_EQ(it.remaining[late], 0.0);
  EXPECT_DOUBLE_EQ(state.tasks.done_work[0], it.work[early] + it.work[late]);
  EXPECT_EQ(state.tasks.on_time[0], 1u);
  EXPECT_EQ(state.tasks.late[0], 1u);
  EXPECT_EQ(state.tasks.on_time[0] + state.tasks.late[0] + state.tasks.missing[0] + state.tasks.open[0],
            state.tasks.item_begin[1] - state.tasks.item_begin[0]);
}

TEST(TaskUpdate, OpenItemsBecomeMissingAfterTheGraceWindow) {
  State state = testing::make_state(parameters({{"tasks.count", std::int64_t{1}}, {"tasks.missing_after", std::int64_t{4}}}));
  state.work.deliver();
  const std::int64_t deadline = state.items.deadline[0];
  update_task(state, 0, deadline + 4);
  const auto missing_at_grace = state.tasks.missing[0];
  update_task(state, 0, deadline + 5);
  EXPECT_GT(state.tasks.missing[0], missing_at_grace);
}

}  // namespace
}  // namespace coordsim::models::governance
