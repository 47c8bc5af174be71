#pragma once
// Version strings written into every result file and printed by `coordsim --version`.
#include <string_view>

namespace coordsim::sim {
inline constexpr std::string_view kVersion = "0.1.0";  // must equal project(VERSION) in CMakeLists.txt
// The git commit this build was made from (`git describe --always --dirty`), or "unknown" when the
// source was not a git checkout. Defined in the generated build_info.cpp (cmake/BuildInfo.cmake).
std::string_view git_commit() noexcept;
// Bumped whenever the HDF5 layout changes in a way readers must know about.
inline constexpr int kFormatVersion = 1;
}  // namespace coordsim::sim
