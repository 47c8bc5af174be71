#pragma once
// The multinomial-logit split of a department's hours (MODEL.md §3.1).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Softmax of utility / temperature into `share` (same length). Numerically safe for any
// temperature > 0: as temperature -> 0 the share concentrates on the maximum (ties split evenly).
inline void logit_shares(std::span<const double> utility, double temperature, std::span<double> share) noexcept {
  const std::size_t n = utility.size();
  if (n == 0) return;
  if (n == 1) {  // most departments most days: nothing but home work, no exponential needed
    share[0] = 1.0;
    return;
  }
  double top = utility[0];
  for (std::size_t j = 1; j < n; ++j) top = std::max(top, utility[j]);
  double sum = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    // exp(0) is exactly 1: the maximum needs no exponential (NaN utilities still give NaN).
    share[j] = utility[j] == top ? 1.0 : std::exp((utility[j] - top) / temperature);
    sum += share[j];
  }
  const double inverse = 1.0 / sum;  // sum >= 1: the maximum contributes exp(0)
  for (std::size_t j = 0; j < n; ++j) share[j] *= inverse;
}

// urgency(home backlog): backlog in steps of own capacity, saturating; one half at `half`.
inline double home_urgency(double backlog_steps, double half) noexcept {
  const double b = std::max(0.0, backlog_steps);
  return b / (b + half);
}
// urgency(deadline): 1 when due or overdue, exp(-slack / scale) before.
inline double deadline_urgency(double slack_steps, double scale) noexcept {
  return slack_steps <= 0.0 ? 1.0 : std::exp(-slack_steps / scale);
}

// urgency(deadline) at a whole number of steps of slack, from the world's table (which covers
// every slack an item can have at a step >= 0).
inline double deadline_urgency(const State& s, std::int64_t slack_steps) noexcept {
  if (slack_steps <= 0) return 1.0;
  const auto k = static_cast<std::uint64_t>(slack_steps);
  return k < s.urgency_by_slack.size() ? s.urgency_by_slack[k]
                                       : deadline_urgency(static_cast<double>(slack_steps),
                                                          s.parameters.allocation.deadline_scale);
}

struct HoursSplit {
  double items = 0.0;  // hours to items
  double home = 0.0;   // hours to home work
  double idle = 0.0;   // hours left unused
};

// Splits `available` hours by `share` (index 0 = home work, i >= 1 = item option i). Item hours
// are capped by `cap[i]` (what the item still needs; cap[0] is ignored); the excess returns to
// home work, home work is capped by `backlog`, the rest is idle. Writes item hours to `hours`.
inline HoursSplit split_hours(double available, std::span<const double> share, std::span<const double> cap,
                              double backlog, std::span<double> hours) noexcept {
  HoursSplit split;
  double excess = 0.0;
  for (std::size_t j = 1; j < share.size(); ++j) {
    const double wanted = available * share[j];
    const double given = std::min(wanted, cap[j]);
    hours[j] = given;
    split.items += given;
    excess += wanted - given;
  }
  hours[0] = 0.0;
  split.home = std::min(available * share[0] + excess, std::max(0.0, backlog));
  split.idle = std::max(0.0, available - split.items - split.home);
  return split;
}

// The department phase: every department splits its remaining hours between home work and the
// items it may work on, and posts the work to the items' tasks.
void run_departments_phase(State& state, const sim::StepContext& context);

// Exposed for tests: allocation of one department at one step (writes only its own state and
// posts to its own outbox). `home_noise` is the standard normal noise of its home arrivals; the
// first form draws it as the phase does (departments 4g .. 4g + 3 share one counter block).
void allocate_department(State& state, std::size_t department, const sim::StepContext& context);
void allocate_department(State& state, std::size_t department, const sim::StepContext& context, double home_noise);

}  // namespace coordsim::models::governance
