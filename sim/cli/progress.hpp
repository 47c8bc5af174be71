#pragma once
// Progress of the command-line runs on stderr: printed at most every 200 ms on a terminal (where the
// line is rewritten in place) and every 5 s otherwise, always at the end; the rate and the time left
// are measured from the clock's last restart. Also: the MPI rank this process was launched as.
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <optional>
#include <string>

namespace coordsim::sim::cli_progress {

class Meter {
 public:
  struct Reading {
    double rate;  // items per second
    double eta;   // seconds left at that rate
    bool finished;
  };

  explicit Meter(bool quiet) : quiet_(quiet), terminal_(isatty(STDERR_FILENO) != 0) {}
  bool terminal() const { return terminal_; }
  void restart() { start_ = last_ = std::chrono::steady_clock::now(); }

  // As read(), but done == 0 (a new pass starting) restarts the clock and reads nothing.
  std::optional<Reading> next(std::size_t done, std::size_t total) {
    if (done == 0) {
      restart();
      return std::nullopt;
    }
    return read(done, total);
  }

  // A reading when one is due for `done` of `total` items; none when quiet or too soon.
  std::optional<Reading> read(std::size_t done, std::size_t total) {
    if (quiet_) return std::nullopt;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const bool finished = done == total;
    if (!finished && now - last_ < (terminal_ ? std::chrono::milliseconds(200) : std::chrono::seconds(5)))
      return std::nullopt;
    last_ = now;
    const double rate = elapsed > 0.0 ? static_cast<double>(done) / elapsed : 0.0;
    const double eta = rate > 0.0 ? static_cast<double>(total - done) / rate : 0.0;
    return Reading{rate, eta, finished};
  }

 private:
  bool quiet_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

// "#####-----", 30 characters, filled in proportion to done / total.
inline std::string bar(std::size_t done, std::size_t total) {
  constexpr int kWidth = 30;
  const int filled = total > 0 ? static_cast<int>(kWidth * static_cast<double>(done) / static_cast<double>(total)) : kWidth;
  return std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(kWidth - filled), '-');
}

// The rank mpirun/srun gave this process, before MPI is initialised (0 when not launched by MPI).
inline int launch_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"})
    if (const char* value = std::getenv(name)) return std::atoi(value);
  return 0;
}

}  // namespace coordsim::sim::cli_progress
