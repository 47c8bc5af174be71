#pragma once
// HDF5's Fletcher-32 checksum filter, for chunks that coordsim filters itself and writes with
// H5Dwrite_chunk (sweep_output.cpp): the filter appends to the filtered chunk the Fletcher-32 sum
// of its bytes taken as big-endian 16-bit words (a last odd byte is the high byte of a word), the
// two 16-bit sums kept modulo 65535, stored as a little-endian u32 (sum2 << 16 | sum1). Readers
// verify it before inflating. tests/unit/sim/hdf5_checksum_test.cpp checks this function against
// chunks written by HDF5's own filter.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace coordsim::sim::hdf5 {

inline std::uint32_t fletcher32(const unsigned char* data, std::size_t size) {
  std::uint32_t sum1 = 0, sum2 = 0;
  std::size_t words = size / 2;
  // 360 words keep both sums below 2^32 before they are folded back under 65536.
  while (words > 0) {
    const std::size_t block = words < 360 ? words : 360;
    words -= block;
    for (std::size_t i = 0; i < block; ++i) {
      sum1 += (static_cast<std::uint32_t>(data[0]) << 8) | data[1];
      sum2 += sum1;
      data += 2;
    }
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  if (size % 2 != 0) {
    sum1 += static_cast<std::uint32_t>(data[0]) << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  return (sum2 << 16) | sum1;
}

// Appends the checksum the Fletcher-32 filter stores after a chunk's bytes.
inline void append_fletcher32(std::vector<unsigned char>& chunk) {
  const std::uint32_t sum = fletcher32(chunk.data(), chunk.size());
  for (int b = 0; b < 4; ++b) chunk.push_back(static_cast<unsigned char>(sum >> (8 * b)));
}

}  // namespace coordsim::sim::hdf5
