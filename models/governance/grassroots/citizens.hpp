#pragma once
// Citizen demands (群众诉求, MODEL.md §3.6): a compact pool per township, arrivals, sign-offs,
// passing back, abandonment, petitions, satisfaction.
#include <cstddef>
#include <cstdint>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Pool operations: take a free slot of the township's block (kNone when the block is full), and
// give it back. No allocation.
std::uint32_t acquire_demand(Demands& demands, std::size_t township) noexcept;
void release_demand(Demands& demands, std::size_t township, std::uint32_t slot) noexcept;
// Open demands of one township.
std::uint32_t open_demands(const Demands& demands, std::size_t township) noexcept;

// Probability that a department with departmentalism `beta` passes a demand back when it acts.
double pass_back_probability(const CitizenParameters& citizens, double beta, bool one_stop) noexcept;
// Satisfaction with a demand resolved after `steps` steps and `passes` passes back.
double satisfaction(const CitizenParameters& citizens, double steps, unsigned passes) noexcept;

// Arrivals of one step at one township (Poisson, rate per 1,000 residents).
void demand_arrivals(State& state, std::size_t township, const sim::StepContext& context);
// Township hours its open demands would need this step (intake, local settlement) at `productivity`.
double service_need(const State& state, std::size_t township, double productivity) noexcept;
// One step of the township's demands with at most `hours` township hours: abandonment and
// petitions, intake, local settlement (with authority), sign-offs, passing back, resolution.
// Returns the township hours used.
double serve_demands(State& state, std::size_t township, const sim::StepContext& context, double hours,
                     double productivity);
// Close a demand as resolved at `step` (also called by the cluster phase for report cases).
void resolve_demand(State& state, std::size_t township, std::uint32_t slot, std::int64_t step) noexcept;

}  // namespace coordsim::models::governance
