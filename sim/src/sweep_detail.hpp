#pragma once
// Internal pieces of the sweep machinery shared by the local driver, the MPI driver, the journal
// and the HDF5 writer. Not installed.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "coordsim/sim/execution.hpp"
#include "coordsim/sim/model.hpp"
#include "coordsim/sim/sweep.hpp"

namespace coordsim::sim::sweep_detail {

enum RunStatus : std::uint8_t { kNotRun = 0, kOk = 1, kFailed = 2 };

// Everything one design point produced: every variant x replication, in one flat payload.
// Simulation s = variant * replications + replication occupies payload[s * stride, (s+1) * stride):
// series [step][series variable], then summaries, then per agent kind [recorded step][variable][agent].
struct PointResult {
  std::uint64_t run = 0;
  std::uint8_t status = kNotRun;
  std::string message;
  std::vector<double> payload;
  // Distance in the payload between a value and the one it most often equals (the same series
  // variable one step earlier): the journal's encoding stores only values that differ from it.
  std::size_t repeat_lag = 1;
  // The serialised form (append_point), filled by compute_points on the worker thread so that
  // compression never runs under the journal's lock; payload is then released.
  std::string encoded;
};

struct PayloadLayout {
  std::size_t steps = 0, n_series = 0, n_summaries = 0, recorded_steps = 0;
  std::vector<std::size_t> kind_offset;  // within one simulation's stride
  std::size_t stride = 0;                // doubles per simulation
  std::size_t simulations = 0;
  std::size_t total() const noexcept { return stride * simulations; }
};
PayloadLayout payload_layout(const Sweep& sweep);

// Longest failure message kept (journal records, run_message).
inline constexpr std::size_t kMaxMessage = 2000;

// Runs `points` on the execution context's threads; `done` is called once per point, from worker
// threads but never concurrently. Stops early (skipping unstarted simulations) once `cancel` is set.
void compute_points(const Sweep& sweep, const Model& model, const std::vector<std::uint64_t>& points,
                    const ExecutionContext& execution, const std::atomic<bool>& cancel,
                    const std::function<void(PointResult&&)>& done, bool keep_payload = false);

// How the pending runs get computed: locally, or handed out to MPI ranks. `sink` must be called
// from one thread at a time; it may throw (the executor then stops and rethrows).
using Executor =
    std::function<void(const std::vector<std::uint64_t>& pending, const std::function<void(PointResult&&)>& sink)>;

// The whole sweep around an executor: journal (create or resume), executor, assembly.
SweepOutcome run_sweep_with(const Sweep& sweep, const SweepRunOptions& options, const Executor& executor);

// Rounds of distributed work over MPI ranks (calibration generations): on rank 0 `lead` runs with
// a dispatch that broadcasts a round's description (`blob`), hands out its pending points to the
// other ranks, which rebuild the round's sweep with `make_sweep`, and passes each finished point
// (encoded, payload released) to `sink`. With a single rank, `alone` runs instead. Collective.
using RoundDispatch = std::function<void(const std::string& blob, const Sweep& sweep,
                                         const std::vector<std::uint64_t>& pending,
                                         const std::function<void(PointResult&&)>& sink)>;
void mpi_rounds(const Model& model, int threads, const std::function<Sweep(const std::string&)>& make_sweep,
                const std::function<void(const RoundDispatch&)>& lead, const std::function<void()>& alone, int& rank);

// Serialisation of a point (journal records and MPI messages share it): u64 run, u8 status,
// u32 message length, message, u8 encoding (2: repeats elided, the rest byte-shuffled, raw
// deflate level 1; see journal.cpp), u64 doubles, u64 compressed bytes, compressed bytes. Uses point.encoded when set.
void append_point(std::string& out, const PointResult& point);
std::string encode_point(const PointResult& point);
// Parses one point at `data`; false when malformed. `expected_doubles` bounds the payload.
bool parse_point(const char* data, std::size_t size, std::size_t expected_doubles, PointResult& out);

// --- the HDF5 result file of a sweep ---------------------------------------------------------

struct ShardInfo {
  std::size_t index = 0, count = 1;
};

// Writes a sweep result file under a temporary name; runs are written in blocks, in run order.
class SweepFileWriter {
 public:
  SweepFileWriter(const std::string& path, const Sweep& sweep, ShardInfo shard);
  ~SweepFileWriter();
  SweepFileWriter(const SweepFileWriter&) = delete;
  SweepFileWriter& operator=(const SweepFileWriter&) = delete;

  std::size_t block_runs() const noexcept;
  // Writes runs [first, first + points.size()); a null entry is a run not done (NaN, status 0).
  // Chunks are gathered, shuffled and deflated on `execution`'s threads (exactly as HDF5's
  // shuffle and deflate filters would, so readers see an ordinary filtered dataset) and then
  // written in a fixed order, so the file does not depend on the thread count.
  void write_block(std::size_t first, const std::vector<const PointResult*>& points, const ExecutionContext& execution);
  void commit();  // close and rename to the final path
  const std::string& temporary_path() const noexcept;

 private:
  struct Impl;
  Impl* impl_;
};

// Call before the first HDF5 call of a process that writes sweep files (see sweep_output.cpp).
void skip_hdf5_exit_cleanup() noexcept;

// Resolved sweep identity (hash as 16 hex digits) as written into files and journals.
std::string hash_text(std::uint64_t hash);

}  // namespace coordsim::sim::sweep_detail
