#include "coordsim/sim/profile.hpp"

#include <time.h>

#include <cstdio>

namespace coordsim::sim {

Profile::Stamp Profile::now() noexcept {
  timespec cpu{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
  return Stamp{std::chrono::steady_clock::now(), static_cast<double>(cpu.tv_sec) + 1e-9 * static_cast<double>(cpu.tv_nsec)};
}

Profile::Part& Profile::part(std::string_view name) {
  for (auto& p : parts_)
    if (p.name == name) return p;
  return parts_.emplace_back(Part{std::string(name), 0.0, 0.0, 0});
}

Profile::Stamp Profile::charge(Part& part) noexcept {
  const Stamp stamp = now();
  part.wall += std::chrono::duration<double>(stamp.wall - last_.wall).count();
  part.cpu += stamp.cpu - last_.cpu;
  ++part.calls;
  last_ = stamp;
  return stamp;
}

void Profile::detail(const Part& part, std::string_view name, double seconds, std::size_t calls) {
  for (auto& d : details_)
    if (d.part == &part && d.name == name) {
      d.seconds += seconds;
      d.calls += calls;
      return;
    }
  details_.push_back(Detail{&part, std::string(name), seconds, calls});
}

namespace {

void line(std::string& out, const std::string& name, std::size_t calls, double wall, double cpu, double total_wall,
          int threads) {
  char buffer[256];
  const double share = total_wall > 0.0 ? 100.0 * wall / total_wall : 0.0;
  const double efficiency = wall > 0.0 ? 100.0 * cpu / (wall * threads) : 0.0;
  std::snprintf(buffer, sizeof buffer, "  %-44s %6zu %11.4f %11.4f %7.1f %%  %7.1f %%\n", name.c_str(), calls, wall, cpu,
                share, efficiency);
  out += buffer;
}

}  // namespace

std::string Profile::report(const Stamp& end) const {
  const double total_wall = std::chrono::duration<double>(end.wall - start_.wall).count();
  const double total_cpu = end.cpu - start_.cpu;
  char head[256];
  std::snprintf(head, sizeof head, "profile (%d threads; efficiency = CPU / (wall x threads)):\n  %-44s %6s %11s %11s %9s  %9s\n",
                threads_, "part", "calls", "wall s", "CPU s", "of wall", "efficiency");
  std::string out = head;
  double wall = 0.0, cpu = 0.0;
  for (const auto& p : parts_) {
    line(out, p.name, p.calls, p.wall, p.cpu, total_wall, threads_);
    wall += p.wall;
    cpu += p.cpu;
    double measured = 0.0;
    for (const auto& d : details_)
      if (d.part == &p) measured += d.seconds;
    if (measured <= 0.0) continue;
    for (const auto& d : details_)
      if (d.part == &p)
        line(out, "  " + d.name, d.calls, p.wall * d.seconds / measured, p.cpu * d.seconds / measured, total_wall,
             threads_);
  }
  line(out, "sum of parts", 0, wall, cpu, total_wall, threads_);
  line(out, "total", 1, total_wall, total_cpu, total_wall, threads_);
  return out;
}

}  // namespace coordsim::sim
