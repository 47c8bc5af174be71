#pragma once
// Structure-of-arrays state of the grassroots and citizen layer (MODEL.md §3.5, §3.6, §3.8):
// townships, their officials and downward tasks, the citizen-demand pool and township clusters.
// Sized once when the world is built (grassroots.cpp); stepping never allocates.
#include <cstdint>
#include <vector>

#include "random_streams.hpp"

namespace coordsim::models::governance {

inline constexpr std::int64_t kPresent = -1;

// Citizen-side counts of one township for the current step, and its cumulative balance.
struct CitizenCounters {
  // This step.
  std::uint32_t arrived = 0, resolved = 0, passed_back = 0, abandoned = 0, petitions = 0;
  std::uint32_t without_travel = 0, suppressed = 0, cases_closed = 0, cases_ended = 0, trips = 0;
  double time_sum = 0.0, satisfaction_sum = 0.0, case_time_sum = 0.0;
  // Since the start: arrived_total = resolved_total + abandoned_total + open, every step.
  std::uint64_t arrived_total = 0, resolved_total = 0, abandoned_total = 0;
};

// Townships (乡镇/街道, §3.5). Index = township id.
struct Townships {
  // Constant for a run.
  std::vector<double> residents, arrival_rate, agent_hours, specialist_case_work, specialist_general_hours;
  std::vector<std::uint32_t> villages, cluster, official_begin;
  // State.
  std::vector<double> fatigue;
  // This step (written by the township phase).
  std::vector<double> hours_available, hours_reporting, hours_tasks, hours_service, hours_idle, load_ratio,
      productivity;
  std::vector<std::uint32_t> turnover, penalties;
  // Latest assessment period (NaN before the first).
  std::vector<double> attainment_real, attainment_reported;
  // Downward tasks, [township * tasks + task]: work delivered and required in the current period.
  std::vector<double> task_delivered, task_required;
  // Run accumulators per township.
  std::vector<double> real_sum, reported_sum, supply_sum, safety_sum, periods;
  std::vector<std::uint64_t> penalties_total, turnover_total;
  std::vector<CitizenCounters> citizens;
  std::size_t size() const noexcept { return residents.size(); }
};

// Officials (基层干部), contiguous per township.
struct Officials {
  std::vector<double> expertise;
  std::vector<std::int64_t> vacant_until;  // kPresent when in post
};

// The downward tasks every township receives (same plan for all townships).
struct TaskPlan {
  std::vector<double> weight, target, required;  // required: work per step at the escalated target
  std::vector<std::uint8_t> rigid, dispatched;
  std::vector<std::uint32_t> order;  // by weight, heaviest first (ties by task id)
  double reporting_hours = 0.0;      // per township per step, after the platform's cut
};

enum class DemandStatus : std::uint8_t { Free, Open };
enum DemandFlag : std::uint8_t {
  kIntaken = 1,     // the township (or a village agent) has taken it in
  kReport = 2,      // a report on officials, handled by specialists
  kSuppressed = 4,  // suppressed locally (人情式监督)
  kPlatform = 8,    // made on the platform
  kWalkIn = 16,     // made in person
};

// Citizen demands (群众诉求, §3.6): a fixed-capacity pool per township (contiguous blocks) with a
// free-list stack, so arrivals and closures never allocate.
struct Demands {
  std::vector<std::uint32_t> block_begin;  // per township, size townships + 1
  std::vector<std::uint32_t> free_count;   // per township: free slots on its stack
  std::vector<std::uint32_t> free_stack;   // same layout as the blocks
  std::vector<std::uint32_t> used_end;     // per township: one past the highest slot ever taken (loops stop there)
  std::vector<DemandStatus> status;
  std::vector<std::uint8_t> flags, needed, stage, passes, trips;
  std::vector<std::int64_t> arrival, patience_until;
  std::vector<double> case_remaining;
  std::vector<std::uint32_t> departments;  // [slot * kMaxDemandDepartments + j]
  std::size_t capacity() const noexcept { return status.size(); }
};

// Township clusters (片区协作, §3.8); without clusters every township is its own cluster.
struct Clusters {
  std::vector<std::uint32_t> member_begin, members;
  std::vector<std::uint32_t> scratch_begin;  // per cluster: case scratch in `scratch`
  std::vector<std::uint32_t> scratch;        // slots of open cases, sorted by arrival
  std::size_t size() const noexcept { return member_begin.empty() ? 0 : member_begin.size() - 1; }
};

// Sums over the run for the summaries (accumulated by the layer's tally, serially).
struct GrassrootsTotals {
  double fatigue = 0.0, samples = 0.0, turnover = 0.0, penalties = 0.0;
  double hours_available = 0.0, hours_reporting = 0.0, hours_tasks = 0.0, hours_service = 0.0;
  double arrived = 0.0, resolved = 0.0, abandoned = 0.0, passed_back = 0.0, petitions = 0.0;
  double without_travel = 0.0, suppressed = 0.0, trips = 0.0, time_sum = 0.0, satisfaction_sum = 0.0;
  double cases_ended = 0.0, case_time_sum = 0.0;
};

// Reductions of the last recorded step over townships (grassroots_layer.cpp).
struct GrassrootsTally {
  double townships = 0, load = 0, fatigue = 0, turnover = 0, available = 0, reporting = 0, tasks = 0, service = 0;
  double real = 0, reported = 0, assessed = 0, penalties = 0, open = 0;
  double arrived = 0, resolved = 0, passed = 0, abandoned = 0, petitions = 0, time = 0, satisfaction = 0;
  double suppressed = 0, cases = 0, without_travel = 0, trips = 0, case_time = 0, cases_ended = 0;
};

struct GrassrootsState {
  GrassrootsTotals totals;
  GrassrootsTally tally;
  Townships townships;
  Officials officials;
  TaskPlan plan;
  Demands demands;
  Clusters clusters;
};

}  // namespace coordsim::models::governance
