#include "coordsim/sim/execution.hpp"

#include <tbb/info.h>

namespace coordsim::sim {

ExecutionContext::ExecutionContext(int threads)
    : threads_(threads > 0 ? threads : static_cast<int>(tbb::info::default_concurrency())),
      arena_(std::make_unique<tbb::task_arena>(threads_)) {}

}  // namespace coordsim::sim
