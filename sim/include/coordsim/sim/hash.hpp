#pragma once
// Integer mixing shared by the engine and models: derived seeds must come from one function so
// that the same inputs give the same streams everywhere.
#include <cstdint>

namespace coordsim::sim {

// The splitmix64 finaliser: a bijection of 64-bit integers with good avalanche.
std::uint64_t splitmix64(std::uint64_t x) noexcept;

}  // namespace coordsim::sim
