// The sweep journal; see journal.hpp for the format and its guarantees.
#include "journal.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>


#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <new>
#include <utility>

#include "coordsim/sim/error.hpp"
#include "zlib_codec.hpp"

namespace coordsim::sim::sweep_detail {
namespace {

namespace fs = std::filesystem;

constexpr char kMagic[16] = {'C', 'O', 'O', 'R', 'D', 'S', 'I', 'M', '-', 'J', 'O', 'U', 'R', 'N', 'A', 'L'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderSize = 64;
constexpr auto kSyncInterval = std::chrono::seconds(2);

std::string in_quotes(const std::string& text) { return "'" + text + "'"; }

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}
template <typename T>
T get(const char* data) {
  T value;
  std::memcpy(&value, data, sizeof value);
  return value;
}

std::string encode_header(const JournalHeader& header) {
  std::string out(kMagic, sizeof kMagic);
  put<std::uint32_t>(out, kVersion);
  put<std::uint32_t>(out, header.shard_index);
  put<std::uint32_t>(out, header.shard_count);
  put<std::uint32_t>(out, 0);
  put<std::uint64_t>(out, header.hash);
  put<std::uint64_t>(out, header.runs);
  put<std::uint64_t>(out, header.payload_doubles);
  out.resize(kHeaderSize - 4, '\0');
  put<std::uint32_t>(out, crc32(out.data(), out.size()));
  return out;
}

[[noreturn]] void fail_errno(const std::string& what, const std::string& path, int error) {
  throw OutputError("cannot " + what + " journal " + in_quotes(path) + ": " + std::strerror(error));
}

void write_all(int fd, const char* data, std::size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail_errno("write", path, errno);
    }
    if (written == 0) fail_errno("write", path, ENOSPC);
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

bool read_exact(int fd, std::uint64_t offset, char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t got = ::pread(fd, data, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    data += got;
    size -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

}  // namespace

std::uint32_t crc32(const void* data, std::size_t size) {
  // CRC-32 (ISO-HDLC, as in zip and PNG) by zlib's table-driven implementation: several times
  // faster than a bytewise loop on records of tens of kilobytes.
  uLong crc = ::crc32(0L, Z_NULL, 0);
  const auto* bytes = static_cast<const Bytef*>(data);
  while (size > 0) {
    const auto chunk = static_cast<uInt>(std::min<std::size_t>(size, 1U << 30));
    crc = ::crc32(crc, bytes, chunk);
    bytes += chunk;
    size -= chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

namespace {

// Encoding 2 of a run's values. Most recorded series of a run are constant (mechanisms switched
// off, counters that stay at zero) or hold their value for many steps, and deflating them byte by
// byte cost a fifth of a sweep's CPU time. So a value equal (bit for bit) to the one before it is
// not stored: a bitmap marks those repeats, and only the other values are byte-shuffled (all first
// bytes, then all second bytes, ...) and deflated (raw deflate, level 1, run-length strategy: the
// record has its own CRC32, so zlib's Adler-32 would be a second checksum).
// A run's series are stored step by step ([step][variable]), so "before it" means `lag` values
// back, lag = the number of series variables: a value repeats the same variable's previous step.
//   packed = u64 lag | deflate(bitmap: ceil(n / 8) bytes, bit i set when value i equals value
//                              i - lag | the m values that are not repeats, byte-shuffled)
constexpr std::uint8_t kEncodingDeflate = 1;  // older journals: every value shuffled, zlib format
constexpr std::uint8_t kEncodingRepeats = 2;

std::size_t bitmap_bytes(std::size_t doubles) { return (doubles + 7) / 8; }

using zlib_codec::Deflater;
using zlib_codec::Inflater;
using zlib_codec::Wrapper;

std::size_t packed_bound(std::size_t doubles) {
  // deflateBound for raw level-1 streams is below compressBound; compressBound is independent of
  // any stream state and so usable for the journal's record size limit.
  return 8 + compressBound(static_cast<uLong>(bitmap_bytes(doubles) + doubles * sizeof(double)));
}

bool decode_deflate(const char* data, std::size_t packed_size, std::size_t doubles, std::vector<double>& payload) {
  thread_local Inflater inflater(Wrapper::Zlib);
  std::vector<unsigned char> shuffled(doubles * sizeof(double));
  if (inflater.unpack(reinterpret_cast<const unsigned char*>(data), packed_size, shuffled.data(), shuffled.size()) !=
      shuffled.size())
    return false;
  payload.resize(doubles);
  zlib_codec::unshuffle8(shuffled.data(), doubles, reinterpret_cast<unsigned char*>(payload.data()));
  return true;
}

bool decode_repeats(const char* data, std::size_t packed_size, std::size_t doubles, std::vector<double>& payload) {
  thread_local Inflater inflater(Wrapper::Raw);
  thread_local std::vector<unsigned char> plain;
  if (packed_size < 8) return false;
  const auto lag = get<std::uint64_t>(data);
  if (lag == 0) return false;
  const std::size_t map_size = bitmap_bytes(doubles);
  plain.resize(map_size + doubles * sizeof(double));
  const std::size_t got = inflater.unpack(reinterpret_cast<const unsigned char*>(data + 8), packed_size - 8,
                                          plain.data(), plain.size());
  if (got == SIZE_MAX || got < map_size) return false;
  const unsigned char* map = plain.data();
  const auto repeats = [&](std::size_t i) { return ((map[i / 8] >> (i % 8)) & 1U) != 0; };
  for (std::size_t i = 0; i < std::min(lag, doubles); ++i)
    if (repeats(i)) return false;  // a repeat of nothing
  if (doubles % 8 != 0 && (map[map_size - 1] >> (doubles % 8)) != 0) return false;  // bits past the end
  std::size_t repeated = 0;
  for (std::size_t i = 0; i < map_size; i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, map + i, std::min<std::size_t>(8, map_size - i));
    repeated += static_cast<std::size_t>(std::popcount(word));
  }
  const std::size_t stored = doubles - repeated;
  if (got != map_size + stored * sizeof(double)) return false;
  const unsigned char* shuffled = plain.data() + map_size;
  payload.resize(doubles);
  double* values = payload.data();
  std::size_t k = 0;
  for (std::size_t i = 0; i < doubles; ++i) {
    if (repeats(i)) {
      std::memcpy(values + i, values + i - lag, sizeof(double));
      continue;
    }
    std::uint64_t value = 0;
    for (std::size_t b = 0; b < sizeof(double); ++b) value |= std::uint64_t{shuffled[b * stored + k]} << (8 * b);
    std::memcpy(values + i, &value, sizeof(double));
    ++k;
  }
  return true;
}

std::size_t max_body(const JournalHeader& header) {
  return 8 + 1 + 4 + kMaxMessage + 17 + packed_bound(header.payload_doubles);
}

}  // namespace

std::string encode_point(const PointResult& point) {
  thread_local Deflater deflater(Wrapper::Raw);
  thread_local std::vector<unsigned char> plain;
  thread_local std::vector<std::uint64_t> bits;
  thread_local std::vector<std::size_t> stored_at;
  thread_local std::vector<unsigned char> packed;
  std::string out;
  const std::string message = point.message.substr(0, kMaxMessage);
  put<std::uint64_t>(out, point.run);
  put<std::uint8_t>(out, point.status);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(message.size()));
  out += message;

  const std::size_t n = point.payload.size();
  const std::size_t lag = std::max<std::size_t>(1, point.repeat_lag);
  const std::size_t map_size = bitmap_bytes(n);
  bits.resize(n);
  if (n > 0) std::memcpy(bits.data(), point.payload.data(), n * sizeof(double));
  // `plain` is grown, never shrunk: shrinking it to the stored values would make the next run's
  // resize zero-fill the tail again.
  if (plain.size() < map_size + n * sizeof(double)) plain.resize(map_size + n * sizeof(double));
  unsigned char* map = plain.data();
  if (map_size > 0) std::memset(map, 0, map_size);
  // One pass marks the repeats and lists the values to store; the second writes the stored values
  // one byte plane at a time.
  stored_at.clear();
  for (std::size_t i = 0; i < n; ++i) {
    if (i >= lag && bits[i] == bits[i - lag])
      map[i / 8] = static_cast<unsigned char>(map[i / 8] | (1U << (i % 8)));
    else
      stored_at.push_back(i);
  }
  const std::size_t stored = stored_at.size();
  unsigned char* shuffled = plain.data() + map_size;
  for (std::size_t b = 0; b < sizeof(double); ++b) {
    unsigned char* plane = shuffled + b * stored;
    for (std::size_t k = 0; k < stored; ++k) plane[k] = static_cast<unsigned char>(bits[stored_at[k]] >> (8 * b));
  }
  const std::size_t plain_size = map_size + stored * sizeof(double);

  // u8 encoding, u64 doubles, u64 packed bytes, then the packed bytes: u64 lag, raw deflate.
  // Deflated into a reused buffer, so that the record is not first sized (and zero-filled) to the
  // deflate bound, several times its final size.
  const std::size_t capacity = deflater.bound(plain_size);
  if (packed.size() < capacity) packed.resize(capacity);
  const std::size_t deflated = deflater.pack(plain.data(), plain_size, packed.data(), capacity);
  if (deflated == 0) throw OutputError("cannot compress the results of run " + std::to_string(point.run));
  const std::uint64_t doubles = n, packed_size = 8 + deflated, lag_field = lag;
  out.reserve(out.size() + 17 + packed_size);
  put<std::uint8_t>(out, kEncodingRepeats);
  put<std::uint64_t>(out, doubles);
  put<std::uint64_t>(out, packed_size);
  put<std::uint64_t>(out, lag_field);
  out.append(reinterpret_cast<const char*>(packed.data()), deflated);
  return out;
}

void append_point(std::string& out, const PointResult& point) {
  if (!point.encoded.empty())
    out += point.encoded;
  else
    out += encode_point(point);
}

bool parse_point(const char* data, std::size_t size, std::size_t expected_doubles, PointResult& out) {
  if (size < 8 + 1 + 4) return false;
  out.run = get<std::uint64_t>(data);
  out.status = get<std::uint8_t>(data + 8);
  const auto message_size = get<std::uint32_t>(data + 9);
  if (out.status != kOk && out.status != kFailed) return false;
  std::size_t offset = 13;
  if (message_size > kMaxMessage || size < offset + message_size + 17) return false;
  out.message.assign(data + offset, message_size);
  offset += message_size;
  const auto encoding = get<std::uint8_t>(data + offset);
  const auto doubles = get<std::uint64_t>(data + offset + 1);
  const auto packed_size = get<std::uint64_t>(data + offset + 9);
  offset += 17;
  if (doubles != expected_doubles || packed_size != size - offset) return false;
  if (encoding == kEncodingRepeats) return decode_repeats(data + offset, packed_size, doubles, out.payload);
  if (encoding == kEncodingDeflate) return decode_deflate(data + offset, packed_size, doubles, out.payload);
  return false;
}

Journal::Journal(std::string path, int fd, JournalHeader header)
    : path_(std::move(path)),
      fd_(fd),
      header_(header),
      offsets_(header.runs, 0),
      end_(kHeaderSize),
      last_sync_(std::chrono::steady_clock::now()) {}

Journal::Journal(Journal&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      header_(other.header_),
      offsets_(std::move(other.offsets_)),
      end_(other.end_),
      count_(other.count_),
      failed_(other.failed_),
      truncated_(other.truncated_),
      skipped_(other.skipped_),
      last_sync_(other.last_sync_) {}

Journal::~Journal() {
  if (fd_ >= 0) {
    ::fsync(fd_);
    ::close(fd_);
  }
}

Journal Journal::create(const std::string& path, const JournalHeader& header) {
  const std::string temporary = path + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
  const int fd = ::open(temporary.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_errno("create", temporary, errno);
  try {
    const std::string bytes = encode_header(header);
    write_all(fd, bytes.data(), bytes.size(), temporary);
    if (::fsync(fd) != 0) fail_errno("sync", temporary, errno);
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    throw OutputError("cannot create journal " + in_quotes(path) + ": rename failed: " + std::strerror(error));
  }
  // Make the rename itself durable.
  const std::string directory = fs::path(path).parent_path().empty() ? "." : fs::path(path).parent_path().string();
  if (const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return Journal(path, fd, header);
}

Journal Journal::resume(const std::string& path, const JournalHeader& expected) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) fail_errno("open", path, errno);
  Journal journal(path, fd, expected);
  char bytes[kHeaderSize];
  const SourceLocation where{path, 0, 0};
  if (!read_exact(fd, 0, bytes, kHeaderSize) || std::memcmp(bytes, kMagic, sizeof kMagic) != 0 ||
      get<std::uint32_t>(bytes + kHeaderSize - 4) != crc32(bytes, kHeaderSize - 4))
    throw ScenarioError(where, "", "not a coordsim sweep journal (bad header); remove it to start the sweep afresh");
  if (get<std::uint32_t>(bytes + 16) != kVersion)
    throw ScenarioError(where, "", "journal written by another version of coordsim; remove it to start afresh");
  const JournalHeader found{get<std::uint64_t>(bytes + 32), get<std::uint64_t>(bytes + 40),
                            get<std::uint64_t>(bytes + 48), get<std::uint32_t>(bytes + 20),
                            get<std::uint32_t>(bytes + 24)};
  if (found.hash != expected.hash || found.runs != expected.runs || found.payload_doubles != expected.payload_doubles)
    throw ScenarioError(where, "",
                        "the journal belongs to a different sweep (sweep hash " + hash_text(found.hash) +
                            ", this sweep " + hash_text(expected.hash) +
                            "): the sweep file, its base scenario or coordsim changed since it was started; "
                            "restore them, or remove the journal (losing its " +
                            "runs) or write to another output file");
  if (found.shard_index != expected.shard_index || found.shard_count != expected.shard_count)
    throw ScenarioError(where, "",
                        "the journal belongs to shard " + std::to_string(found.shard_index) + "/" +
                            std::to_string(found.shard_count) + ", not to shard " +
                            std::to_string(expected.shard_index) + "/" + std::to_string(expected.shard_count));
  journal.scan();
  return journal;
}

// The record at `offset` when it is whole and valid (length, CRC32, contents): its total size
// (prefix included), else 0.
std::uint64_t Journal::valid_record_at(std::uint64_t offset, std::uint64_t size, std::string& body,
                                       PointResult& point) const {
  const std::size_t limit = max_body(header_);
  char prefix[8];
  if (offset + 8 > size || !read_exact(fd_, offset, prefix, sizeof prefix)) return 0;
  const auto length = get<std::uint32_t>(prefix);
  if (length > limit || offset + 8 + length > size) return 0;
  body.resize(length);
  if (!read_exact(fd_, offset + 8, body.data(), length)) return 0;
  if (crc32(body.data(), length) != get<std::uint32_t>(prefix + 4)) return 0;
  if (!parse_point(body.data(), length, header_.payload_doubles, point) || point.run >= header_.runs) return 0;
  return 8 + std::uint64_t{length};
}

// After a damaged record: the offset of the next valid record, or `size` when there is none.
// Candidates are filtered on what a record's first bytes must hold (a length within bounds, a
// run index below the run count, status 1 or 2, a short message) before the CRC32 is computed,
// so the search reads the damaged stretch once, in blocks.
std::uint64_t Journal::resynchronise(std::uint64_t from, std::uint64_t size, std::string& body,
                                     PointResult& point) const {
  constexpr std::size_t kWindow = 1 << 20;
  constexpr std::size_t kLook = 8 + 13;  // prefix, run, status, message length
  const std::size_t limit = max_body(header_);
  std::vector<char> window;
  for (std::uint64_t base = from; base + kLook <= size; base += kWindow) {
    const std::size_t span = static_cast<std::size_t>(std::min<std::uint64_t>(kWindow + kLook, size - base));
    window.resize(span);
    if (!read_exact(fd_, base, window.data(), span)) return size;
    for (std::size_t i = 0; i + kLook <= span && i < kWindow; ++i) {
      const char* at = window.data() + i;
      const auto length = get<std::uint32_t>(at);
      if (length < 13 + 17 || length > limit || base + i + 8 + length > size) continue;
      if (get<std::uint64_t>(at + 8) >= header_.runs) continue;
      const auto status = get<std::uint8_t>(at + 16);
      if ((status != kOk && status != kFailed) || get<std::uint32_t>(at + 17) > kMaxMessage) continue;
      if (valid_record_at(base + i, size, body, point) != 0) return base + i;
    }
  }
  return size;
}

void Journal::scan() {
  struct stat info {};
  if (::fstat(fd_, &info) != 0) fail_errno("read", path_, errno);
  const auto size = static_cast<std::uint64_t>(info.st_size);
  std::uint64_t offset = kHeaderSize;
  std::uint64_t end_of_valid = kHeaderSize;
  std::string body;
  PointResult point;
  while (offset < size) {
    const std::uint64_t record = valid_record_at(offset, size, body, point);
    if (record == 0) {
      // A damaged record loses only itself: carry on at the next valid one, if any.
      const std::uint64_t next = resynchronise(offset + 1, size, body, point);
      if (next >= size) break;
      skipped_ += next - offset;
      offset = next;
      continue;
    }
    if (offsets_[point.run] == 0) {  // a run recorded twice keeps its first record
      offsets_[point.run] = offset;
      ++count_;
      if (point.status == kFailed) ++failed_;
    }
    offset += record;
    end_of_valid = offset;
  }
  end_ = end_of_valid;
  if (end_ < size) {
    truncated_ = size - end_;
    if (::ftruncate(fd_, static_cast<off_t>(end_)) != 0) fail_errno("truncate", path_, errno);
    if (::fsync(fd_) != 0) fail_errno("sync", path_, errno);
  }
}

void Journal::append(const PointResult& point) {
  std::string record(8, '\0');
  append_point(record, point);
  const auto length = static_cast<std::uint32_t>(record.size() - 8);
  const std::uint32_t crc = crc32(record.data() + 8, length);
  std::memcpy(record.data(), &length, 4);
  std::memcpy(record.data() + 4, &crc, 4);
  if (::lseek(fd_, static_cast<off_t>(end_), SEEK_SET) < 0) fail_errno("write", path_, errno);
  try {
    write_all(fd_, record.data(), record.size(), path_);
  } catch (const OutputError& error) {
    // Keep the journal ending with a complete record (best effort: resume would cut it anyway).
    static_cast<void>(::ftruncate(fd_, static_cast<off_t>(end_)));
    throw OutputError(std::string(error.what()) + "; the " + std::to_string(count_) +
                      " runs recorded so far are kept: free space and rerun with --resume");
  }
  if (offsets_[point.run] == 0) {
    offsets_[point.run] = end_;
    ++count_;
    if (point.status == kFailed) ++failed_;
  }
  end_ += record.size();
  const auto now = std::chrono::steady_clock::now();
  if (now - last_sync_ >= kSyncInterval) {
    sync();
    last_sync_ = now;
  }
}

void Journal::sync() {
  if (::fsync(fd_) != 0) fail_errno("sync", path_, errno);
}

PointResult Journal::read(std::uint64_t run) const {
  const std::uint64_t offset = offsets_[run];
  char prefix[8];
  if (offset == 0 || !read_exact(fd_, offset, prefix, sizeof prefix))
    throw OutputError("cannot read run " + std::to_string(run) + " from journal " + in_quotes(path_));
  const auto length = get<std::uint32_t>(prefix);
  std::string body(length, '\0');
  PointResult point;
  if (!read_exact(fd_, offset + 8, body.data(), length) || crc32(body.data(), length) != get<std::uint32_t>(prefix + 4) ||
      !parse_point(body.data(), length, header_.payload_doubles, point))
    throw OutputError("journal " + in_quotes(path_) + " is corrupt at run " + std::to_string(run) +
                      " (changed while the sweep ran?)");
  return point;
}

OutputLock::OutputLock(const std::string& output) : path_(output + ".lock") {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw OutputError("cannot create lock file " + in_quotes(path_) + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw OutputError("another coordsim process is writing " + in_quotes(output) + " (it holds " + in_quotes(path_) +
                        "); wait for it to finish, or stop it, before running or resuming this sweep");
    throw OutputError("cannot lock " + in_quotes(path_) + ": " + std::strerror(error));
  }
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());  // still locked, so no other process is using it
  ::close(fd_);
}

std::vector<std::string> remove_stale_temporaries(const std::string& path) {
  std::vector<std::string> removed;
  const fs::path target(path);
  const fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string name = target.filename().string();
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const std::string candidate = entry.path().filename().string();
    // <name>.tmp-<pid> and <name>.journal.tmp-<pid>
    for (const std::string& prefix : {name + ".tmp-", name + ".journal.tmp-"}) {
      if (candidate.size() <= prefix.size() || candidate.compare(0, prefix.size(), prefix) != 0) continue;
      const std::string digits = candidate.substr(prefix.size());
      if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
      const auto pid = static_cast<pid_t>(std::stol(digits));
      if (pid <= 0 || pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // still alive
      std::error_code ignored;
      if (fs::remove(entry.path(), ignored)) removed.push_back(entry.path().string());
    }
  }
  return removed;
}

}  // namespace coordsim::sim::sweep_detail
