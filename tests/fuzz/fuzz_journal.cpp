// Sweep journals: the input is the journal's bytes after a valid header (first byte odd) or the
// whole file, header included (first byte even). Resume either refuses it with a ScenarioError or
// keeps only valid records, each of which must then read back; nothing else may happen.
#include <cstdio>
#include <string>

#include "coordsim/sim/error.hpp"
#include "fuzz_common.hpp"
#include "journal.hpp"

namespace {

using namespace coordsim::sim::sweep_detail;

constexpr JournalHeader kHeader{0x5eed, 16, 24, 0, 1};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string path = coordsim::fuzz::scratch_path("fuzz.journal");
  // The header Journal::create writes, made once (creating syncs to disk: too slow per input).
  static const std::string header = [&] {
    { Journal::create(path, kHeader); }
    std::string bytes(64, '\0');
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr || std::fread(bytes.data(), 1, bytes.size(), file) != bytes.size()) __builtin_trap();
    std::fclose(file);
    return bytes;
  }();
  const bool keep_header = (data[0] & 1U) != 0;
  std::string contents = keep_header ? header : std::string();
  contents.append(reinterpret_cast<const char*>(data) + 1, size - 1);
  coordsim::fuzz::write_file(path, reinterpret_cast<const std::uint8_t*>(contents.data()), contents.size());
  try {
    Journal journal = Journal::resume(path, kHeader);
    for (std::uint64_t run = 0; run < kHeader.runs; ++run)
      if (journal.has(run) && journal.read(run).run != run) __builtin_trap();
  } catch (const coordsim::sim::ScenarioError&) {
  }
  // The record decoder on its own, as MPI messages use it.
  PointResult point;
  static_cast<void>(parse_point(reinterpret_cast<const char*>(data), size, kHeader.payload_doubles, point));
  return 0;
}
