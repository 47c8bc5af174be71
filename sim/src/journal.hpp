#pragma once
// The sweep journal (OUT.h5.journal): an append-only file of finished runs, written as each run
// finishes, from which the result file is assembled at the end. A process killed at any moment
// (SIGKILL, OOM killer, node failure) leaves a journal whose every complete record is valid; a
// torn last record is detected by its length and CRC32 and cut off on resume.
//
// Layout (little-endian):
//   header  "COORDSIM-JOURNAL" (16 bytes), u32 version = 1, u32 shard_index, u32 shard_count,
//           u32 reserved, u64 sweep hash, u64 runs, u64 payload doubles per run, u32 CRC32 of the
//           preceding 60 bytes                                                     (64 bytes)
//   records u32 body length, u32 CRC32 of the body, body:
//           u64 run, u8 status (1 ok, 2 failed), u32 message length, message bytes,
//           u8 encoding (2), u64 doubles, u64 packed bytes, the run's payload (sweep_detail.hpp):
//           a bitmap of the values equal to their predecessor, then the other values
//           byte-shuffled, raw-deflated together (level 1); see encode_point in journal.cpp.
//           Encoding 1 (every value shuffled, zlib format) is still read.
// The header is written to a temporary file, fsync'd and renamed, so a journal either has a
// whole header or does not exist. Records go straight to the kernel (one write() each: a killed
// process loses nothing already written) and are fsync'd at least every 2 seconds and at the end
// (what a power cut may lose).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "sweep_detail.hpp"

namespace coordsim::sim::sweep_detail {

struct JournalHeader {
  std::uint64_t hash = 0;
  std::uint64_t runs = 0;
  std::uint64_t payload_doubles = 0;
  std::uint32_t shard_index = 0;
  std::uint32_t shard_count = 1;
};

class Journal {
 public:
  // Creates a new journal (header written under a temporary name, fsync'd, renamed to `path`).
  static Journal create(const std::string& path, const JournalHeader& header);
  // Opens an existing journal for appending: checks the header against `expected` (ScenarioError
  // naming the journal when it belongs to another sweep or shard), reads every valid record and
  // cuts off a torn or corrupt tail. A damaged record in the middle loses only itself: the scan
// resynchronises on the next record whose length, contents and CRC32 are valid.
  static Journal resume(const std::string& path, const JournalHeader& expected);

  Journal(Journal&& other) noexcept;
  Journal& operator=(Journal&&) = delete;
  Journal(const Journal&) = delete;
  ~Journal();

  // Appends one record. Throws OutputError (file name and reason, e.g. "No space left on device");
  // the journal then still ends with the last complete record.
  void append(const PointResult& point);
  void sync();  // fsync; throws OutputError

  // Offset of each run's record, or 0 when the journal has none.
  bool has(std::uint64_t run) const { return offsets_[run] != 0; }
  std::size_t count() const noexcept { return count_; }
  std::size_t failed() const noexcept { return failed_; }
  std::uint64_t truncated_bytes() const noexcept { return truncated_; }
  // Bytes of damaged records skipped in the middle of the journal (their runs are rerun).
  std::uint64_t skipped_bytes() const noexcept { return skipped_; }
  PointResult read(std::uint64_t run) const;  // throws OutputError
  const std::string& path() const noexcept { return path_; }

 private:
  Journal(std::string path, int fd, JournalHeader header);
  void scan();
  std::uint64_t valid_record_at(std::uint64_t offset, std::uint64_t size, std::string& body, PointResult& point) const;
  std::uint64_t resynchronise(std::uint64_t from, std::uint64_t size, std::string& body, PointResult& point) const;

  std::string path_;
  int fd_ = -1;
  JournalHeader header_;
  std::vector<std::uint64_t> offsets_;
  std::uint64_t end_ = 0;
  std::size_t count_ = 0;
  std::size_t failed_ = 0;
  std::uint64_t truncated_ = 0;
  std::uint64_t skipped_ = 0;
  std::chrono::steady_clock::time_point last_sync_;
};

std::uint32_t crc32(const void* data, std::size_t size);

// An exclusive flock(2) on OUT.h5.lock for as long as a process writes OUT.h5 or its journal:
// a second sweep or resume on the same output fails at once with a clear OutputError instead of
// interleaving its records. The lock dies with the process (also on SIGKILL); the file is
// removed when the lock is released normally.
class OutputLock {
 public:
  explicit OutputLock(const std::string& output);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

// Removes OUT.h5.tmp-<pid> and OUT.h5.journal.tmp-<pid> files left by processes that no longer
// exist (a temporary of a live process is left alone); returns the paths removed.
std::vector<std::string> remove_stale_temporaries(const std::string& path);

}  // namespace coordsim::sim::sweep_detail
