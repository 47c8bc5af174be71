// Citizen demands (MODEL.md §3.6): the pool, passing back, satisfaction, sign-off modes, patience
// and petitions, and the demand balance (arrived = resolved + abandoned + open).
#include "citizens.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include "grassroots_support.hpp"

namespace coordsim::models::governance {
namespace {

using testing::LayerStepper;
using testing::parameters;

TEST(Pool, SlotsAreReusedWithoutGrowing) {
  State s = testing::make_state(parameters({{"grassroots.count", std::int64_t{2}}}));
  auto& d = s.grassroots.demands;
  const std::uint32_t capacity = d.capacity[0];
  ASSERT_GT(capacity, 0u);
  EXPECT_EQ(d.block_begin[1] % kDemandsPerPage, 0u);  // the next block starts on a page
  EXPECT_GE(d.block_begin[1] - d.block_begin[0], capacity);
  std::vector<std::uint32_t> taken;
  for (std::uint32_t k = 0; k < capacity; ++k) {
    const std::uint32_t slot = acquire_demand(d, 0);
    ASSERT_NE(slot, kNone);
    EXPECT_GE(slot, d.block_begin[0]);
    EXPECT_LT(slot, d.block_begin[0] + capacity);
    EXPECT_EQ(slot, d.block_begin[0] + k);  // lowest first
    taken.push_back(slot);
  }
  EXPECT_EQ(acquire_demand(d, 0), kNone);  // full
  EXPECT_EQ(open_demands(d, 0), capacity);
  EXPECT_EQ(open_demands(d, 1), 0u);  // blocks are separate
  // Released slots are taken again last released first, and only they: the pool stays full.
  release_demand(d, 0, taken[3]);
  release_demand(d, 0, taken[7]);
  EXPECT_EQ(open_demands(d, 0), capacity - 2);
  EXPECT_EQ(acquire_demand(d, 0), taken[7]);
  EXPECT_EQ(acquire_demand(d, 0), taken[3]);
  EXPECT_EQ(acquire_demand(d, 0), kNone);
  EXPECT_EQ(d.total_capacity(), std::size_t{d.capacity[0]} + d.capacity[1]);
}

TEST(Pool, FreshSlotsComeAfterReleasedOnesAndStartZeroed) {
  State s = testing::make_state(parameters({{"grassroots.count", std::int64_t{1}}}));
  auto& d = s.grassroots.demands;
  const std::uint32_t a = acquire_demand(d, 0), b = acquire_demand(d, 0);
  d[a].passes = 3;
  release_demand(d, 0, a);
  EXPECT_EQ(acquire_demand(d, 0), a);  // the released slot, with what it held
  EXPECT_EQ(d[a].passes, 3);
  const std::uint32_t c = acquire_demand(d, 0);  // then the next fresh one
  EXPECT_EQ(c, b + 1);
  EXPECT_EQ(d[c].passes, 0);
  EXPECT_EQ(d[c].arrival, 0);
  EXPECT_EQ(d[c].case_remaining(), 0.0);
  EXPECT_TRUE(d[a].open() && d[c].open());
  EXPECT_EQ(open_demands(d, 0), 3u);
}

TEST(Pool, OnlyThePagesDemandsReachBecomeResident) {
  State s = testing::make_state(
      parameters({{"grassroots.count", std::int64_t{2}}, {"citizens.patience_mean", 1000.0}}));
  auto& d = s.grassroots.demands;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t bytes = d.capacity[0] * sizeof(Demand);
  ASSERT_GT(bytes, 4 * page);  // a reserve of several pages
  for (int k = 0; k < 10; ++k) ASSERT_NE(acquire_demand(d, 0), kNone);
  auto* begin = reinterpret_cast<unsigned char*>(&d[d.block_begin[0]]);
  ASSERT_EQ(reinterpret_cast<std::uintptr_t>(begin) % page, 0u);  // the block starts on a page
  std::vector<unsigned char> resident((bytes + page - 1) / page);
  ASSERT_EQ(::mincore(begin, bytes, resident.data()), 0);
  EXPECT_TRUE(resident[0] & 1);  // the ten demands
  for (std::size_t k = 1; k < resident.size(); ++k) EXPECT_FALSE(resident[k] & 1) << "page " << k;
}

// The 32-byte record keeps each of its fields apart: departments up to the largest id, the counts
// of needed and signed-off departments, and the report's hours or the free link in shared bytes.
TEST(Pool, ARecordKeepsDepartmentIdsUpToTwentyBitsAndItsOtherFields) {
  Demand demand{};
  const std::uint32_t ids[kMaxDemandDepartments] = {0u,       1u,      65535u,  65536u,
                                                    999999u,  0xFFFFFu, 0x12345u, 0xABCDEu};
  demand.arrival = -7;
  demand.patience_until = 2147483647;
  demand.flags = kOpen | kWalkIn;
  demand.passes = 255;
  demand.trips = 9;
  demand.set_needed(8);
  demand.set_stage(5);
  constexpr auto kAll = static_cast<std::size_t>(kMaxDemandDepartments);
  demand.set_departments(ids, kAll);
  for (std::size_t k = 0; k < kAll; ++k) EXPECT_EQ(demand.department(k), ids[k]) << k;
  EXPECT_EQ(demand.needed(), 8);
  EXPECT_EQ(demand.stage(), 5);
  demand.set_stage(8);
  EXPECT_EQ(demand.needed(), 8);
  EXPECT_EQ(demand.stage(), 8);
  EXPECT_EQ(demand.arrival, -7);
  EXPECT_EQ(demand.patience_until, 2147483647);
  EXPECT_EQ(demand.flags, kOpen | kWalkIn);
  EXPECT_EQ(demand.passes, 255);
  EXPECT_EQ(demand.trips, 9);
  demand.set_case_remaining(0.1 + 0.2);
  EXPECT_EQ(demand.case_remaining(), 0.1 + 0.2);  // the same double, bit for bit
  demand.set_next_free(0xFFFFFFFEu);
  EXPECT_EQ(demand.next_free(), 0xFFFFFFFEu);
  EXPECT_EQ(demand.arrival, -7);
  EXPECT_EQ(demand.flags, kOpen | kWalkIn);
}

TEST(PassBack, RisesWithDepartmentalismFallsWithAccountabilityAndAtOneStop) {
  CitizenParameters c = Parameters::read(parameters()).citizens;
  c.pass_back = 1.0;
  c.accountability = 0.2;
  EXPECT_GT(pass_back_probability(c, 0.6, false), pass_back_probability(c, 0.2, false));
  EXPECT_LT(pass_back_probability(c, 0.6, true), pass_back_probability(c, 0.6, false));
  EXPECT_EQ(pass_back_probability(c, 0.0, false), 0.0);
  c.accountability = 1.0;
  EXPECT_EQ(pass_back_probability(c, 1.0, false), 0.0);
  c.accountability = 0.0;
  c.pass_back = 10.0;
  EXPECT_EQ(pass_back_probability(c, 1.0, false), 1.0);
}

TEST(Satisfaction, FallsWithTimeAndPassesBack) {
  const CitizenParameters c = Parameters::read(parameters()).citizens;
  EXPECT_GT(satisfaction(c, 1.0, 0), satisfaction(c, 5.0, 0));
  EXPECT_GT(satisfaction(c, 5.0, 0), satisfaction(c, 5.0, 2));
  EXPECT_LE(satisfaction(c, 0.0, 0), 1.0);
  EXPECT_GT(satisfaction(c, 100.0, 3), 0.0);
}

TEST(Balance, EveryDemandIsOpenResolvedOrAbandonedExactlyOnce) {
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{5}},
                                   {"citizens.rate_per_thousand", 0.5},
                                   {"citizens.patience_mean", 4.0},
                                   {"citizens.report_share", 0.2}}));
  std::uint64_t arrived = 0, resolved = 0, abandoned = 0;
  for (std::size_t step = 0; step < 120; ++step) {
    stepper.step(step);
    ASSERT_TRUE(testing::demands_balance(stepper.state)) << step;
    for (const auto& c : stepper.state.grassroots.townships.citizens) {
      arrived += c.arrived;
      resolved += c.resolved;
      abandoned += c.abandoned;
      EXPECT_LE(c.petitions, c.abandoned);  // only an abandoned demand becomes a petition
    }
  }
  std::uint64_t open = 0;
  for (std::size_t j = 0; j < 5; ++j) open += open_demands(stepper.state.grassroots.demands, j);
  EXPECT_EQ(arrived, resolved + abandoned + open);  // per-step counts add up to the totals
  EXPECT_GT(resolved, 0u);
  EXPECT_GT(abandoned, 0u);
}

TEST(Balance, SteppingDoesNotAllocate) {
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{4}}, {"citizens.rate_per_thousand", 0.4}}));
  const auto& d = stepper.state.grassroots.demands;
  const auto* records = d.records.data();
  for (std::size_t step = 0; step < 60; ++step) stepper.step(step);
  EXPECT_EQ(d.records.data(), records);
}

TEST(SignOff, OneStopResolvesMultiDepartmentDemandsFaster) {
  const auto world = [](const char* mode) {
    return parameters({{"grassroots.count", std::int64_t{4}},
                       {"citizens.sign_off", std::string(mode)},
                       {"citizens.multi_share", 1.0},
                       {"citizens.report_share", 0.0},
                       {"citizens.patience_mean", 1000.0},
                       {"citizens.rate_per_thousand", 0.2}});
  };
  LayerStepper sequential(world("sequential")), one_stop(world("one_stop"));
  double time_sequential = 0, time_one_stop = 0, n_sequential = 0, n_one_stop = 0;
  for (std::size_t step = 0; step < 150; ++step) {
    sequential.step(step);
    one_stop.step(step);
    for (const auto& c : sequential.state.grassroots.townships.citizens) {
      time_sequential += c.time_sum;
      n_sequential += c.resolved;
    }
    for (const auto& c : one_stop.state.grassroots.townships.citizens) {
      time_one_stop += c.time_sum;
      n_one_stop += c.resolved;
    }
  }
  ASSERT_GT(n_sequential, 0.0);
  ASSERT_GT(n_one_stop, 0.0);
  EXPECT_LT(time_one_stop / n_one_stop, time_sequential / n_sequential);
}

TEST(Patience, ImpatientCitizensAbandonAndSomePetition) {
  LayerStepper stepper(parameters({{"grassroots.count", std::int64_t{3}},
                                   {"citizens.patience_mean", 0.2},
                                   {"citizens.department_response", 0.0},
                                   {"citizens.report_share", 0.0},
                                   {"citizens.petition_probability", 1.0},
                                   {"citizens.rate_per_thousand", 0.3}}));
  std::uint64_t arrived = 0, abandoned = 0, petitions = 0, resolved = 0;
  for (std::size_t step = 0; step < 50; ++step) {
    stepper.step(step);
    double sum = 0.0;
    for (const auto& c : stepper.state.grassroots.townships.citizens) {
      arrived += c.arrived;
      abandoned += c.abandoned;
      petitions += c.petitions;
      resolved += c.resolved;
      sum += c.petitions;
    }
    EXPECT_EQ(stepper.state.petitions_this_step, sum);  // the field the discipline commission reads
  }
  EXPECT_EQ(resolved, 0u);  // no department ever acts
  EXPECT_GT(abandoned, arrived / 2);
  EXPECT_EQ(petitions, abandoned);
}

}  // namespace
}  // namespace coordsim::models::governance
