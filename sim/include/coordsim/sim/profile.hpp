#pragma once
// `coordsim run --profile`: wall-clock and CPU time per part of a run (start-up, generation, each
// phase and each mechanism's step within it, recording, summarizing, writing, closing the file). CPU time is the whole process's
// (CLOCK_PROCESS_CPUTIME_ID), so a part's CPU time counts every worker thread that helped it and its
// parallel efficiency is cpu / (wall * threads). The parts lie on one timeline: with a profile the
// runs of a batch are made one after another (each still using every thread inside its phases) and
// each record is written before the next run starts. Nothing here is called when no profile is asked.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace coordsim::sim {

// The time of each named step inside a world's phases (World::timed_steps), added by whichever
// thread ran the step: the sum over threads of each run's steady-clock time, and the number of runs.
class StepTimes {
 public:
  explicit StepTimes(std::size_t steps) : nanoseconds_(steps), calls_(steps) {}
  void add(std::size_t step, std::chrono::steady_clock::duration spent) noexcept {
    nanoseconds_[step].fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(spent).count(),
                                 std::memory_order_relaxed);
    calls_[step].fetch_add(1, std::memory_order_relaxed);
  }
  std::size_t size() const noexcept { return calls_.size(); }
  double seconds(std::size_t step) const noexcept {
    return 1e-9 * static_cast<double>(nanoseconds_[step].load(std::memory_order_relaxed));
  }
  std::size_t calls(std::size_t step) const noexcept { return calls_[step].load(std::memory_order_relaxed); }

 private:
  std::vector<std::atomic<std::int64_t>> nanoseconds_;
  std::vector<std::atomic<std::size_t>> calls_;
};

class Profile {
 public:
  struct Part {
    std::string name;
    double wall = 0.0;  // seconds
    double cpu = 0.0;   // seconds of process CPU time
    std::size_t calls = 0;
  };
  // A point in time on both clocks.
  struct Stamp {
    std::chrono::steady_clock::time_point wall;
    double cpu = 0.0;
  };
  static Stamp now() noexcept;

  explicit Profile(int threads) : threads_(threads), start_(now()), last_(start_) {}

  // The part called `name`, created (at the end of the report's order) on first use. References
  // stay valid for the profile's life. Not thread-safe: parts are timed from one thread.
  Part& part(std::string_view name);
  // Adds the time since the previous charge (or since construction) to `part` and returns now. The
  // parts thus tile the timeline: every moment belongs to exactly one part.
  Stamp charge(Part& part) noexcept;

  // A named step inside `part` (a phase): `seconds` of its measured time (summed over threads) and
  // `calls` are added to the detail `name` of that part. The report shows each part's details below
  // it, sharing out the part's wall and CPU time in proportion to the details' measured times, so
  // they add up to their part; they are not counted again in the sum of parts.
  void detail(const Part& part, std::string_view name, double seconds, std::size_t calls);

  const std::deque<Part>& parts() const noexcept { return parts_; }
  int threads() const noexcept { return threads_; }
  void set_threads(int threads) noexcept { threads_ = threads; }
  const Stamp& start() const noexcept { return start_; }

  // The table printed by --profile: one line per part, then the parts' sum and the total from
  // construction to `end` (wall and CPU, share of the total, parallel efficiency).
  std::string report(const Stamp& end) const;

 private:
  int threads_;
  Stamp start_;
  Stamp last_;
  std::deque<Part> parts_;
  struct Detail {
    const Part* part;
    std::string name;
    double seconds = 0.0;
    std::size_t calls = 0;
  };
  std::deque<Detail> details_;
};

}  // namespace coordsim::sim
