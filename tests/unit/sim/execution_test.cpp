#include "coordsim/sim/execution.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <mutex>

namespace coordsim::sim {
namespace {

TEST(ExecutionContext, ZeroThreadsMeansAllCores) {
  EXPECT_GE(ExecutionContext(0).threads(), 1);
  EXPECT_EQ(ExecutionContext(3).threads(), 3);
}

TEST(ExecutionContext, VisitsEveryIndexExactlyOnce) {
  for (int threads : {1, 4}) {
    const ExecutionContext execution(threads);
    std::vector<std::atomic<int>> hits(10007);
    execution.for_each(hits.size(), 13, [&](std::size_t i) { hits[i].fetch_add(1); });
    for (const auto& h : hits) ASSERT_EQ(h.load(), 1);
  }
}

TEST(ExecutionContext, OneThreadRunsOnTheCallingThread) {
  const ExecutionContext execution(1);
  std::set<std::thread::id> ids;
  std::mutex mutex;
  execution.for_each(1000, 1, [&](std::size_t) {
    std::lock_guard lock(mutex);
    ids.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(*ids.begin(), std::this_thread::get_id());
}

TEST(ExecutionContext, ArenaLimitsConcurrency) {
  const ExecutionContext execution(2);
  std::atomic<int> running{0}, peak{0};
  execution.for_each(64, 1, [&](std::size_t) {
    const int now = ++running;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {}
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    --running;
  });
  EXPECT_LE(peak.load(), 2);
}

}  // namespace
}  // namespace coordsim::sim
