#pragma once
// FNV-1a, 64 bits: the identity of a sweep or calibration (its text, base scenario, design and
// layout), stored in the journal so that --resume refuses a file that would give other results.
// Not installed.
#include <cstddef>
#include <cstdint>
#include <string>

namespace coordsim::sim::detail {

inline void fnv(std::uint64_t& hash, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= bytes[i];
    hash *= 0x100000001b3ULL;
  }
}

// A string with its length first, so that consecutive strings cannot run into each other.
inline void fnv(std::uint64_t& hash, const std::string& text) {
  const std::uint64_t size = text.size();
  fnv(hash, &size, sizeof size);
  fnv(hash, text.data(), text.size());
}

}  // namespace coordsim::sim::detail
