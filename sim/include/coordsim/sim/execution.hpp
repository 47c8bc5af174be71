#pragma once
// The one execution context of a run or a batch: a oneTBB task arena with the requested thread
// count, passed explicitly (never global). Loops whose iterations write only their own slots are
// deterministic whatever the partition; reductions are done by the caller in a fixed order.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cstddef>
#include <memory>

namespace coordsim::sim {

class ExecutionContext {
 public:
  // threads <= 0 means all cores.
  explicit ExecutionContext(int threads = 0);
  int threads() const noexcept { return threads_; }
  // The arena is internally synchronised; handing it out from a const context is safe.
  tbb::task_arena& arena() const noexcept { return *arena_; }

  // Calls body(begin, end) over [0, n) in chunks of at least `grain`; serial when one thread
  // or when n <= grain, so small worlds pay no scheduling cost.
  template <class Body>
  void for_ranges(std::size_t n, std::size_t grain, Body&& body) const {
    if (threads_ == 1 || n <= grain) {
      if (n > 0) body(std::size_t{0}, n);
      return;
    }
    arena_->execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                        [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
    });
  }
  template <class Body>
  void for_each(std::size_t n, std::size_t grain, Body&& body) const {
    for_ranges(n, grain, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) body(i);
    });
  }

 private:
  int threads_;
  std::unique_ptr<tbb::task_arena> arena_;
};

}  // namespace coordsim::sim
