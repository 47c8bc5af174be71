#pragma once
// Leadership attention and the leading small group (MODEL.md §3.3).
#include <cstdint>
#include <span>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Shares an attention budget across tasks in proportion to `claim` (0 for tasks not open), each
// task receiving at most 1; tasks with `guaranteed` set receive 1 outside the budget.
void share_attention(std::span<const double> claim, std::span<const std::uint8_t> guaranteed, double budget,
                     std::span<double> attention) noexcept;

// The leadership phase: attention per task from priorities and last step's escalations, and
// instructions (督办) on escalated items, issued with a probability equal to the task's attention.
void run_leadership_phase(State& state, const sim::StepContext& context);

}  // namespace coordsim::models::governance
