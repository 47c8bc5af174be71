#pragma once
// Version strings written into every result file and printed by `coordsim --version`.
#include <string_view>

namespace coordsim::sim {
inline constexpr std::string_view kVersion = "0.1.0";
// Bumped whenever the HDF5 layout changes in a way readers must know about.
inline constexpr int kFormatVersion = 1;
}  // namespace coordsim::sim
