#pragma once
// `coordsim run --profile`: wall-clock and CPU time per part of a run (start-up, generation, each
// phase, recording, summarizing, writing, closing the file). CPU time is the whole process's
// (CLOCK_PROCESS_CPUTIME_ID), so a part's CPU time counts every worker thread that helped it and its
// parallel efficiency is cpu / (wall * threads). The parts lie on one timeline: with a profile the
// runs of a batch are made one after another (each still using every thread inside its phases) and
// each record is written before the next run starts. Nothing here is called when no profile is asked.
#include <chrono>
#include <deque>
#include <string>
#include <string_view>

namespace coordsim::sim {

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
};

}  // namespace coordsim::sim
