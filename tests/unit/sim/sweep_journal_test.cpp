// The sweep journal: complete records survive, a torn tail is cut off, a journal of another sweep
// or shard is refused.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "journal.hpp"

namespace coordsim::sim::sweep_detail {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() : path(fs::temp_directory_path() / ("coordsim-journal-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

PointResult point(std::uint64_t run, std::size_t doubles, bool ok = true) {
  PointResult p;
  p.run = run;
  p.status = ok ? kOk : kFailed;
  p.message = ok ? "" : "boom at " + std::to_string(run);
  for (std::size_t i = 0; i < doubles; ++i) p.payload.push_back(static_cast<double>(run) * 1000.0 + static_cast<double>(i));
  return p;
}

// CRC-32 check value from the CRC catalogue: the nine bytes "123456789" give 0xCBF43926.
TEST(SweepJournal, Crc32MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32("123456789", 9), 0xCBF43926u);
  EXPECT_EQ(crc32("", 0), 0u);
}

// The record encoding elides values equal to the one `repeat_lag` places earlier. Whatever the
// lag, the decoded payload equals the original bit for bit: repeated and changing values, NaN
// payload bits, negative zero, infinities, a payload shorter than the lag, and an empty one.
TEST(SweepJournal, EncodingRoundTripsEveryBitPatternForAnyLag) {
  std::vector<double> values;
  for (int step = 0; step < 40; ++step) {
    values.push_back(0.0);                                   // constant series
    values.push_back(step < 20 ? 1.5 : 2.5);                 // one change
    values.push_back(static_cast<double>(step) * 0.1);       // changes every step
    values.push_back(step % 3 == 0 ? -0.0 : 0.0);            // signed zeros differ in bits
    values.push_back(step % 7 == 0 ? std::nan("7") : std::numeric_limits<double>::quiet_NaN());
    values.push_back(step % 2 == 0 ? std::numeric_limits<double>::infinity() : -1e300);
  }
  for (const std::size_t lag : {std::size_t{1}, std::size_t{6}, std::size_t{5}, std::size_t{1000}}) {
    for (const std::size_t size : {values.size(), std::size_t{3}, std::size_t{0}}) {
      PointResult original;
      original.run = 42;
      original.status = kOk;
      original.repeat_lag = lag;
      original.payload.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(size));
      const std::string record = encode_point(original);
      PointResult decoded;
      ASSERT_TRUE(parse_point(record.data(), record.size(), size, decoded)) << lag << " " << size;
      ASSERT_EQ(decoded.payload.size(), size);
      // memcmp must not see the null data() of an empty vector, even for 0 bytes.
      if (size > 0)
        EXPECT_EQ(std::memcmp(decoded.payload.data(), original.payload.data(), size * sizeof(double)), 0)
            << "lag " << lag << ", " << size << " values";
      EXPECT_EQ(decoded.run, 42u);
      // A record is refused for another payload size, and when cut short.
      EXPECT_FALSE(parse_point(record.data(), record.size(), size + 1, decoded));
      EXPECT_FALSE(parse_point(record.data(), record.size() - 1, size, decoded));
    }
  }
}

// With the lag of a run's series (the number of series variables), a run whose series are mostly
// constant encodes to far less than its raw size: the point of the encoding.
TEST(SweepJournal, ConstantSeriesCostAlmostNothing) {
  PointResult p;
  p.status = kOk;
  p.repeat_lag = 60;
  for (int step = 0; step < 250; ++step)
    for (int v = 0; v < 60; ++v) p.payload.push_back(v < 5 ? std::sin(step * 0.37 + v) : static_cast<double>(v));
  const std::string record = encode_point(p);
  // 5 changing series of 250 doubles are 10,000 bytes raw; the 55 constant ones add only bitmap.
  EXPECT_LT(record.size(), 12000u);
  EXPECT_GT(record.size(), 1000u);
}

TEST(SweepJournal, ResumeKeepsCompleteRecordsAndCutsATornTail) {
  TempDir dir;
  const std::string path = (dir.path / "out.h5.journal").string();
  const JournalHeader header{0x1234, 10, 5, 0, 1};
  {
    Journal journal = Journal::create(path, header);
    journal.append(point(3, 5));
    journal.append(point(7, 5, false));
    journal.append(point(1, 5));
  }
  const auto full = fs::file_size(path);
  // A kill in the middle of the fourth write leaves half a record.
  {
    std::string record(8, '\0');
    append_point(record, point(9, 5));
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out.write(record.data(), static_cast<std::streamsize>(record.size() / 2));
  }
  ASSERT_GT(fs::file_size(path), full);
  {
    Journal journal = Journal::resume(path, header);
    EXPECT_EQ(journal.count(), 3u);
    EXPECT_EQ(journal.failed(), 1u);
    EXPECT_TRUE(journal.has(3) && journal.has(7) && journal.has(1));
    EXPECT_FALSE(journal.has(9));
    EXPECT_GT(journal.truncated_bytes(), 0u);
    EXPECT_EQ(fs::file_size(path), full);
    const PointResult seven = journal.read(7);
    EXPECT_EQ(seven.status, kFailed);
    EXPECT_EQ(seven.message, "boom at 7");
    EXPECT_EQ(seven.payload, point(7, 5).payload);
    journal.append(point(9, 5));  // appending after the cut works
  }
  Journal again = Journal::resume(path, header);
  EXPECT_EQ(again.count(), 4u);
  EXPECT_EQ(again.read(9).payload, point(9, 5).payload);
}

// A damaged record in the middle loses only itself: the scan resynchronises on the next valid
// record, keeps it and every one after it, and appending goes on at the end.
TEST(SweepJournal, ADamagedRecordLosesOnlyItself) {
  TempDir dir;
  const std::string path = (dir.path / "j").string();
  const JournalHeader header{1, 6, 3, 0, 1};
  {
    Journal journal = Journal::create(path, header);
    for (std::uint64_t run = 0; run < 4; ++run) journal.append(point(run, 3, run != 3));
  }
  const auto size = fs::file_size(path);
  // Flip one byte near the end of the second record: its CRC no longer matches.
  std::uint32_t second_length = 0;
  {
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    std::uint32_t first_length = 0;
    file.seekg(64);
    file.read(reinterpret_cast<char*>(&first_length), 4);
    const std::streamoff second = 64 + 8 + first_length;
    file.seekg(second);
    file.read(reinterpret_cast<char*>(&second_length), 4);
    file.seekg(second + 8 + second_length - 3);
    const char old = static_cast<char>(file.get());
    file.seekp(second + 8 + second_length - 3);
    file.put(static_cast<char>(old ^ 0x5a));
  }
  {
    Journal journal = Journal::resume(path, header);
    EXPECT_EQ(journal.count(), 3u);
    EXPECT_TRUE(journal.has(0) && journal.has(2) && journal.has(3));
    EXPECT_FALSE(journal.has(1));
    EXPECT_EQ(journal.failed(), 1u);
    EXPECT_EQ(journal.skipped_bytes(), 8u + second_length);
    EXPECT_EQ(journal.truncated_bytes(), 0u);
    EXPECT_EQ(fs::file_size(path), size);
    EXPECT_EQ(journal.read(2).payload, point(2, 3).payload);
    EXPECT_EQ(journal.read(3).message, "boom at 3");
    journal.append(point(1, 3));  // the lost run, computed again
  }
  Journal again = Journal::resume(path, header);
  EXPECT_EQ(again.count(), 4u);
  EXPECT_EQ(again.read(1).payload, point(1, 3).payload);
}

// Garbage after the last record (here: a whole record's worth of noise) is cut off.
TEST(SweepJournal, NoiseAfterTheLastRecordIsCutOff) {
  TempDir dir;
  const std::string path = (dir.path / "j").string();
  const JournalHeader header{1, 4, 3, 0, 1};
  { Journal::create(path, header).append(point(2, 3)); }
  const auto size = fs::file_size(path);
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    for (int i = 0; i < 300; ++i) out.put(static_cast<char>(i * 37 + 11));
  }
  Journal journal = Journal::resume(path, header);
  EXPECT_EQ(journal.count(), 1u);
  EXPECT_EQ(journal.truncated_bytes(), 300u);
  EXPECT_EQ(fs::file_size(path), size);
}

// One writer per output: a second lock on the same output fails with a message that says so,
// and the lock is free again once the first is released.
TEST(SweepJournal, ASecondLockOnTheSameOutputIsRefused) {
  TempDir dir;
  const std::string output = (dir.path / "out.h5").string();
  {
    const OutputLock first(output);
    try {
      const OutputLock second(output);
      FAIL() << "expected an OutputError";
    } catch (const OutputError& error) {
      EXPECT_NE(std::string(error.what()).find("another coordsim process is writing"), std::string::npos)
          << error.what();
    }
  }
  EXPECT_FALSE(fs::exists(output + ".lock"));
  EXPECT_NO_THROW(OutputLock again(output));
}

// Temporaries of dead processes go, those of live ones (this process) and other files stay.
TEST(SweepJournal, StaleTemporariesOfDeadProcessesAreRemoved) {
  TempDir dir;
  const std::string output = (dir.path / "out.h5").string();
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  int status = 0;
  ::waitpid(child, &status, 0);  // its pid now names no process
  const std::string dead = output + ".tmp-" + std::to_string(child);
  const std::string dead_journal = output + ".journal.tmp-" + std::to_string(child);
  const std::string live = output + ".tmp-" + std::to_string(::getpid());
  const std::string other = output + ".tmp-notapid";
  for (const auto& path : {dead, dead_journal, live, other}) std::ofstream(path) << "x";
  auto removed = remove_stale_temporaries(output);
  std::sort(removed.begin(), removed.end());
  std::vector<std::string> expected{dead_journal, dead};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(removed, expected);
  EXPECT_FALSE(fs::exists(dead) || fs::exists(dead_journal));
  EXPECT_TRUE(fs::exists(live) && fs::exists(other));
}

TEST(SweepJournal, AJournalOfAnotherSweepOrShardIsRefused) {
  TempDir dir;
  const std::string path = (dir.path / "j").string();
  { Journal::create(path, JournalHeader{0xabc, 4, 3, 1, 4}); }
  try {
    Journal::resume(path, JournalHeader{0xabd, 4, 3, 1, 4});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_NE(std::string(error.what()).find("belongs to a different sweep"), std::string::npos) << error.what();
    EXPECT_EQ(error.where().file, path);
  }
  try {
    Journal::resume(path, JournalHeader{0xabc, 4, 3, 2, 4});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_NE(std::string(error.what()).find("belongs to shard 1/4, not to shard 2/4"), std::string::npos)
        << error.what();
  }
  EXPECT_NO_THROW(Journal::resume(path, JournalHeader{0xabc, 4, 3, 1, 4}));
}

}  // namespace
}  // namespace coordsim::sim::sweep_detail
