#pragma once
// The multinomial-logit split of a department's hours (MODEL.md §3.1).
#include <cstddef>
#include <span>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Softmax of utility / temperature into `share` (same length). Numerically safe for any
// temperature > 0: as temperature -> 0 the share concentrates on the maximum (ties split evenly).
void logit_shares(std::span<const double> utility, double temperature, std::span<double> share) noexcept;

// urgency(home backlog): backlog in steps of own capacity, saturating; one half at `half`.
double home_urgency(double backlog_steps, double half) noexcept;
// urgency(deadline): 1 when due or overdue, exp(-slack / scale) before.
double deadline_urgency(double slack_steps, double scale) noexcept;

struct HoursSplit {
  double items = 0.0;  // hours to items
  double home = 0.0;   // hours to home work
  double idle = 0.0;   // hours left unused
};

// Splits `available` hours by `share` (index 0 = home work, i >= 1 = item option i). Item hours
// are capped by `cap[i]` (what the item still needs; cap[0] is ignored); the excess returns to
// home work, home work is capped by `backlog`, the rest is idle. Writes item hours to `hours`.
HoursSplit split_hours(double available, std::span<const double> share, std::span<const double> cap,
                       double backlog, std::span<double> hours) noexcept;

// The department phase: every department splits its remaining hours between home work and the
// items it may work on, and posts the work to the items' tasks.
void run_departments_phase(State& state, const sim::StepContext& context);

// Exposed for tests: allocation of one department at one step (writes only its own state and
// posts to its own outbox).
void allocate_department(State& state, std::size_t department, const sim::StepContext& context);

}  // namespace coordsim::models::governance
