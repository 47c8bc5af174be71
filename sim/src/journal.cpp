// The sweep journal; see journal.hpp for the format and its guarantees.
#include "journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include <boost/crc.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <utility>

#include "coordsim/sim/error.hpp"

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

std::size_t max_body(const JournalHeader& header) {
  const auto raw = static_cast<uLong>(header.payload_doubles * sizeof(double));
  return 8 + 1 + 4 + kMaxMessage + 17 + compressBound(raw);
}

}  // namespace

std::uint32_t crc32(const void* data, std::size_t size) {
  boost::crc_32_type crc;
  crc.process_bytes(data, size);
  return crc.checksum();
}

std::string encode_point(const PointResult& point) {
  std::string out;
  const std::string message = point.message.substr(0, kMaxMessage);
  put<std::uint64_t>(out, point.run);
  put<std::uint8_t>(out, point.status);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(message.size()));
  out += message;
  // Byte-shuffle (all first bytes, then all second bytes, ...) then deflate: model outputs are
  // smooth series and counts, which this shrinks ~20x at a fraction of a run's cost.
  const std::size_t n = point.payload.size();
  std::string shuffled(n * sizeof(double), '\0');
  const auto* bytes = reinterpret_cast<const unsigned char*>(point.payload.data());
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < sizeof(double); ++b) shuffled[b * n + i] = static_cast<char>(bytes[i * sizeof(double) + b]);
  uLongf packed_size = compressBound(static_cast<uLong>(shuffled.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(shuffled.data()),
                static_cast<uLong>(shuffled.size()), 1) != Z_OK)
    throw OutputError("cannot compress the results of run " + std::to_string(point.run));
  put<std::uint8_t>(out, 1);
  put<std::uint64_t>(out, n);
  put<std::uint64_t>(out, packed_size);
  out.append(packed.data(), packed_size);
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
  if (encoding != 1 || doubles != expected_doubles || packed_size != size - offset) return false;
  std::string shuffled(doubles * sizeof(double), '\0');
  uLongf unpacked = static_cast<uLongf>(shuffled.size());
  if (uncompress(reinterpret_cast<Bytef*>(shuffled.data()), &unpacked, reinterpret_cast<const Bytef*>(data + offset),
                 static_cast<uLong>(packed_size)) != Z_OK ||
      unpacked != shuffled.size())
    return false;
  out.payload.resize(doubles);
  auto* bytes = reinterpret_cast<unsigned char*>(out.payload.data());
  for (std::size_t i = 0; i < doubles; ++i)
    for (std::size_t b = 0; b < sizeof(double); ++b)
      bytes[i * sizeof(double) + b] = static_cast<unsigned char>(shuffled[b * doubles + i]);
  return true;
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

void Journal::scan() {
  struct stat info {};
  if (::fstat(fd_, &info) != 0) fail_errno("read", path_, errno);
  const auto size = static_cast<std::uint64_t>(info.st_size);
  const std::size_t limit = max_body(header_);
  std::uint64_t offset = kHeaderSize;
  std::string body;
  PointResult point;
  while (offset + 8 <= size) {
    char prefix[8];
    if (!read_exact(fd_, offset, prefix, sizeof prefix)) break;
    const auto length = get<std::uint32_t>(prefix);
    const auto crc = get<std::uint32_t>(prefix + 4);
    if (length > limit || offset + 8 + length > size) break;
    body.resize(length);
    if (!read_exact(fd_, offset + 8, body.data(), length)) break;
    if (crc32(body.data(), length) != crc) break;
    if (!parse_point(body.data(), length, header_.payload_doubles, point) || point.run >= header_.runs) break;
    if (offsets_[point.run] == 0) {  // a run recorded twice keeps its first record
      offsets_[point.run] = offset;
      ++count_;
      if (point.status == kFailed) ++failed_;
    }
    offset += 8 + length;
  }
  end_ = offset;
  if (offset < size) {
    truncated_ = size - offset;
    if (::ftruncate(fd_, static_cast<off_t>(offset)) != 0) fail_errno("truncate", path_, errno);
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

}  // namespace coordsim::sim::sweep_detail
