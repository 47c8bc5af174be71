#pragma once
// Structure-of-arrays state of the grassroots and citizen layer (MODEL.md §3.5, §3.6, §3.8):
// townships, their officials and downward tasks, the citizen-demand pool and township clusters.
// Sized once when the world is built (grassroots.cpp); stepping never allocates (the cluster case
// scratch is per thread and grows only to the largest cluster a thread works, clusters.cpp).
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "grassroots_parameters.hpp"
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

// Memory for `count` values of a trivial type T, taken from the system zeroed and untouched: a
// page becomes resident only when a value on it is first written, so a reserve sized for rare peaks
// costs address space, not memory. Copies copy every value.
template <class T>
class UntouchedArray {
 public:
  UntouchedArray() = default;
  explicit UntouchedArray(std::size_t count) : size_(count) {
    if (count == 0) return;
    void* memory = ::mmap(nullptr, bytes(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<T*>(memory);
  }
  UntouchedArray(const UntouchedArray& other) : UntouchedArray(other.size_) {
    if (size_ > 0) std::memcpy(data_, other.data_, bytes());
  }
  UntouchedArray(UntouchedArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  UntouchedArray& operator=(UntouchedArray other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~UntouchedArray() {
    if (data_ != nullptr) ::munmap(data_, bytes());
  }
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  T* data() noexcept { return data_; }
  const T* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

 private:
  static_assert(std::is_trivially_copyable_v<T>);
  std::size_t bytes() const noexcept { return size_ * sizeof(T); }
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

enum DemandFlag : std::uint8_t {
  kIntaken = 1,     // the township (or a village agent) has taken it in
  kReport = 2,      // a report on officials, handled by specialists
  kSuppressed = 4,  // suppressed locally (人情式监督)
  kPlatform = 8,    // made on the platform
  kWalkIn = 16,     // made in person
  kOpen = 32,       // the slot holds an open demand (else it is free)
};

inline constexpr std::uint32_t kNoDemand = ~std::uint32_t{0};
// Department ids a demand can name: 20 bits each (departments.count is at most 1,000,000).
inline constexpr std::size_t kDemandDepartmentIds = std::size_t{1} << 20;

// One citizen demand. 32 bytes: a page holds 128 of them, and a township's block starts on a page.
// A report's remaining specialist hours, a request's departments and a free slot's link share their
// bytes, since no slot needs two of them: a report names no department (it goes to specialists), and
// a free slot holds neither. The departments are kept as 16 low bits each plus 4 high bits each.
struct alignas(32) Demand {
  std::int32_t arrival;         // step (run.steps is at most 1e9)
  std::int32_t patience_until;  // the last step the citizen waits (held at INT32_MAX when beyond)

  // Specialist hours a report still needs.
  double case_remaining() const noexcept { return load<double>(0); }
  void set_case_remaining(double hours) noexcept { store(0, hours); }
  // A free slot: the slot released before it (kNoDemand: none).
  std::uint32_t next_free() const noexcept { return load<std::uint32_t>(0); }
  void set_next_free(std::uint32_t slot) noexcept { store(0, slot); }
  // A request: the k-th department it needs (k < the `count` last set); ids below kDemandDepartmentIds.
  std::uint32_t department(std::size_t k) const noexcept {
    const auto low = load<std::uint16_t>(2 * k);
    return low | (((load<std::uint32_t>(kHigh) >> (4 * k)) & 0xFu) << 16);
  }
  // Keeps ids[0 .. count) (count <= kMaxDemandDepartments); the others are left undefined.
  void set_departments(const std::uint32_t* ids, std::size_t count) noexcept {
    std::uint32_t high = 0;
    for (std::size_t k = 0; k < count; ++k) {
      store(2 * k, static_cast<std::uint16_t>(ids[k] & 0xFFFFu));
      high |= ((ids[k] >> 16) & 0xFu) << (4 * k);
    }
    store(kHigh, high);
  }
  bool open() const noexcept { return (flags & kOpen) != 0; }
  // Departments a request needs (at most kMaxDemandDepartments) and those that signed off so far.
  std::uint8_t needed() const noexcept { return counts & 0xFu; }
  std::uint8_t stage() const noexcept { return static_cast<std::uint8_t>(counts >> 4); }
  void set_needed(std::uint8_t n) noexcept { counts = static_cast<std::uint8_t>((counts & 0xF0u) | n); }
  void set_stage(std::uint8_t n) noexcept { counts = static_cast<std::uint8_t>((counts & 0x0Fu) | (n << 4)); }

 private:
  static constexpr auto kDepartments = static_cast<std::size_t>(kMaxDemandDepartments);
  static constexpr std::size_t kHigh = 2 * kDepartments;
  template <class T>
  T load(std::size_t at) const noexcept {
    T value;
    std::memcpy(&value, shared_ + at, sizeof(T));
    return value;
  }
  template <class T>
  void store(std::size_t at, T value) noexcept {
    std::memcpy(shared_ + at, &value, sizeof(T));
  }
  unsigned char shared_[kHigh + 4];

 public:
  std::uint8_t flags;   // DemandFlag bits
  std::uint8_t counts;  // needed (low 4 bits), stage (high 4 bits)
  std::uint8_t passes, trips;
};
static_assert(sizeof(Demand) == 32 && std::is_trivially_copyable_v<Demand>);
static_assert(kMaxDemandDepartments <= 8 && std::size_t{1000000} <= kDemandDepartmentIds);
inline constexpr std::uint32_t kDemandsPerPage = 128;

// Citizen demands (群众诉求, §3.6): a fixed-capacity pool per township, one block each in township
// order. A block hands out its slots from the lowest up and takes released slots back first (last
// released, first taken), so arrivals and closures never allocate. Blocks start on a page and the
// records live in untouched memory: a township's reserve costs memory only as far as its demands
// have ever reached (used_end), however large the capacity (sized for rare peaks, grassroots.cpp).
struct Demands {
  std::vector<std::uint32_t> block_begin;  // per township, size townships + 1 (multiples of kDemandsPerPage)
  std::vector<std::uint32_t> capacity;     // per township: the most demands it holds at once
  std::vector<std::uint32_t> used_end;     // per township: one past the highest slot ever taken (loops stop there)
  std::vector<std::uint32_t> free_head;    // per township: the slot released last (kNoDemand: none)
  std::vector<std::uint32_t> free_count;   // per township: released slots waiting to be taken again
  UntouchedArray<Demand> records;          // by slot
  Demand& operator[](std::uint32_t slot) noexcept { return records[slot]; }
  const Demand& operator[](std::uint32_t slot) const noexcept { return records[slot]; }
  // Slots of every township together.
  std::size_t total_capacity() const noexcept {
    std::size_t total = 0;
    for (const auto c : capacity) total += c;
    return total;
  }
};

// Township clusters (片区协作, §3.8); without clusters every township is its own cluster.
struct Clusters {
  std::vector<std::uint32_t> member_begin, members;
  std::vector<std::uint32_t> case_capacity;  // per cluster: the most cases it can hold (its scratch, clusters.cpp)
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
