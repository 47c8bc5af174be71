#pragma once
// The one choice rule of the society (MODEL.md §0 P2, §3): an agent with `hours` to spend splits them
// over its open options by a multinomial logit of their marginal utilities at temperature T. Each
// option can absorb at most its remaining work (`capacity`); the hours an option cannot absorb are
// re-shared among the others by the same logit. Leaving hours unused is an option too, with utility
// `idle_utility` and no limit. As T → 0 the split tends to the utility-maximising corner (the best
// option up to its capacity, then the next, …; Holmström & Milgrom 1991), as T grows to equal shares.
#include <cstddef>
#include <span>

namespace coordsim::models::society {

// Writes into `hours_out` the hours given to each option and returns the idle hours.
// `utility`, `capacity` and `hours_out` have the same length (at most kMaxOptions options).
double allocate(std::span<const double> utility, std::span<const double> capacity, double hours, double temperature,
                double idle_utility, std::span<double> hours_out);

// Probability of the first of two options under the same logit (a binary choice such as handling a
// sign-off or passing it back).
double binary_choice(double utility_first, double utility_second, double temperature) noexcept;

inline constexpr std::size_t kMaxOptions = 64;

}  // namespace coordsim::models::society
