// Sweeps over MPI ranks (`mpirun -n R coordsim sweep ...`). Rank 0 is the coordinator: it owns the
// journal and the result file exactly as a single-process sweep does, and hands out chunks of
// pending run indices on request (dynamic load balancing: a rank that finishes early asks
// again). Ranks 1..R-1 compute their chunks on all their cores (oneTBB) and send the finished
// runs back with their next request. Because the result file is assembled from the journal in
// run order, its datasets do not depend on R, on which rank ran what, or on the order results
// arrived. Resume, shards and failure handling are those of the single-process path.
//
// Only the main thread of each rank calls MPI (MPI_THREAD_FUNNELED).
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "coordsim/sim/model.hpp"
#include "sweep_detail.hpp"

namespace coordsim::sim {
namespace {

using sweep_detail::PointResult;

constexpr int kTagRequest = 1;  // worker -> coordinator: u32 threads, then finished runs
constexpr int kTagWork = 2;     // coordinator -> worker: u64 run indices; none = stop

class MpiSession {
 public:
  MpiSession() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
      int provided = 0;
      MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
      owner_ = true;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiSession() {
    if (owner_) MPI_Finalize();
  }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  bool owner_ = false;
  int rank_ = 0, size_ = 1;
};

std::string receive_bytes(int source, int tag, int& actual_source) {
  MPI_Status status;
  MPI_Probe(source, tag, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  std::string buffer(static_cast<std::size_t>(count), '\0');
  MPI_Recv(buffer.data(), count, MPI_BYTE, status.MPI_SOURCE, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  actual_source = status.MPI_SOURCE;
  return buffer;
}

void send_work(int worker, const std::vector<std::uint64_t>& runs) {
  MPI_Send(runs.data(), static_cast<int>(runs.size() * sizeof(std::uint64_t)), MPI_BYTE, worker, kTagWork,
           MPI_COMM_WORLD);
}

// Coordinator: answers requests until every worker has been told to stop.
class Coordinator {
 public:
  Coordinator(int size, std::size_t doubles)
      : stopped_(static_cast<std::size_t>(size), false), handed_out_(static_cast<std::size_t>(size), 0), doubles_(doubles) {
    stopped_[0] = true;
    active_ = size - 1;
  }

  void run(const std::vector<std::uint64_t>& pending, const std::function<void(PointResult&&)>& sink) {
    std::size_t next = 0;
    std::exception_ptr error;
    while (active_ > 0) {
      int source = 0;
      const std::string request = poll_request(source);
      std::uint32_t threads = 1;
      if (request.size() >= 4) std::memcpy(&threads, request.data(), 4);
      if (!error) {
        try {
          unpack(request, sink);
        } catch (...) {
          error = std::current_exception();
        }
      }
      const std::size_t remaining = pending.size() - next;
      if (error || remaining == 0) {
        stop(source);
        continue;
      }
      const std::size_t workers = stopped_.size() - 1;
      std::size_t chunk = std::max<std::size_t>(remaining / (3 * workers), 2 * std::max<std::uint32_t>(threads, 1));
      chunk = std::min<std::size_t>({chunk, remaining, 64 * std::size_t{std::max<std::uint32_t>(threads, 1)}});
      const std::vector<std::uint64_t> runs(pending.begin() + static_cast<std::ptrdiff_t>(next),
                                            pending.begin() + static_cast<std::ptrdiff_t>(next + chunk));
      next += chunk;
      handed_out_[static_cast<std::size_t>(source)] += chunk;
      send_work(source, runs);
    }
    if (error) std::rethrow_exception(error);
  }

  // "rank 1: 12 runs, rank 2: 18 runs"
  std::string summary() const {
    std::string text;
    for (std::size_t rank = 1; rank < handed_out_.size(); ++rank)
      text += (text.empty() ? "" : ", ") + ("rank " + std::to_string(rank) + ": " + std::to_string(handed_out_[rank]) +
                                            " runs");
    return text;
  }

  // Stops every worker still waiting (after an error before or during the run).
  void release() {
    while (active_ > 0) {
      int source = 0;
      poll_request(source);
      stop(source);
    }
  }

 private:
  // Polls instead of blocking in MPI_Probe, which spins a core in Open MPI: the coordinator
  // shares its node with workers.
  std::string poll_request(int& source) {
    MPI_Status status;
    int flag = 0;
    auto pause = std::chrono::microseconds(50);
    for (;;) {
      MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &flag, &status);
      if (flag) break;
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::microseconds(2000));
    }
    return receive_bytes(status.MPI_SOURCE, kTagRequest, source);
  }

  void stop(int worker) {
    send_work(worker, {});
    if (!stopped_[static_cast<std::size_t>(worker)]) {
      stopped_[static_cast<std::size_t>(worker)] = true;
      --active_;
    }
  }

  void unpack(const std::string& request, const std::function<void(PointResult&&)>& sink) const {
    std::size_t offset = 4;
    while (offset + 8 <= request.size()) {
      std::uint64_t length = 0;
      std::memcpy(&length, request.data() + offset, 8);
      offset += 8;
      PointResult point;
      if (length > request.size() - offset ||
          !sweep_detail::parse_point(request.data() + offset, length, doubles_, point))
        throw OutputError("malformed result message from an MPI rank");
      point.encoded.assign(request.data() + offset, length);  // journaled as received: no recompression
      std::vector<double>().swap(point.payload);
      offset += length;
      sink(std::move(point));
    }
  }

  std::vector<bool> stopped_;
  std::vector<std::size_t> handed_out_;
  int active_ = 0;
  std::size_t doubles_;
};

void worker_loop(const Sweep& sweep, const Model& model, int threads) {
  const ExecutionContext execution(threads);
  const std::atomic<bool> cancel{false};
  std::string results;
  for (;;) {
    std::string request(4, '\0');
    const auto thread_count = static_cast<std::uint32_t>(execution.threads());
    std::memcpy(request.data(), &thread_count, 4);
    request += results;
    results.clear();
    MPI_Send(request.data(), static_cast<int>(request.size()), MPI_BYTE, 0, kTagRequest, MPI_COMM_WORLD);
    int source = 0;
    const std::string reply = receive_bytes(0, kTagWork, source);
    if (reply.empty()) return;
    std::vector<std::uint64_t> runs(reply.size() / sizeof(std::uint64_t));
    std::memcpy(runs.data(), reply.data(), runs.size() * sizeof(std::uint64_t));
    sweep_detail::compute_points(sweep, model, runs, execution, cancel, [&](PointResult&& point) {
      std::string bytes;
      sweep_detail::append_point(bytes, point);
      const std::uint64_t length = bytes.size();
      results.append(reinterpret_cast<const char*>(&length), 8);
      results += bytes;
    });
  }
}

}  // namespace

bool sweep_mpi_available() noexcept { return true; }

SweepOutcome run_sweep_mpi(const Sweep& sweep, const ModelRegistry& registry, const SweepRunOptions& options,
                           int& rank) {
  const Model* model = registry.find(sweep.model);
  if (model == nullptr) throw OutputError("model '" + sweep.model + "' is not registered");
  MpiSession session;
  rank = session.rank();
  if (session.size() == 1) return run_sweep(sweep, registry, options);
  if (rank != 0) {
    worker_loop(sweep, *model, options.threads);
    return {};
  }
  Coordinator coordinator(session.size(), sweep_detail::payload_layout(sweep).total());
  try {
    SweepOutcome outcome = sweep_detail::run_sweep_with(
        sweep, options,
        [&](const std::vector<std::uint64_t>& pending, const std::function<void(PointResult&&)>& sink) {
          coordinator.run(pending, sink);
        });
    coordinator.release();
    if (options.note) options.note("MPI: " + std::to_string(session.size() - 1) + " worker ranks; " + coordinator.summary());
    return outcome;
  } catch (...) {
    coordinator.release();
    throw;
  }
}

namespace sweep_detail {
namespace {

// The round description from rank 0 to every rank; empty means no more rounds.
std::string broadcast_blob(std::string blob) {
  std::uint64_t size = blob.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  blob.resize(size);
  if (size > 0) MPI_Bcast(blob.data(), static_cast<int>(size), MPI_BYTE, 0, MPI_COMM_WORLD);
  return blob;
}

}  // namespace

void mpi_rounds(const Model& model, int threads, const std::function<Sweep(const std::string&)>& make_sweep,
                const std::function<void(const RoundDispatch&)>& lead, const std::function<void()>& alone, int& rank) {
  MpiSession session;
  rank = session.rank();
  if (session.size() == 1) {
    alone();
    return;
  }
  if (rank != 0) {
    for (std::string blob = broadcast_blob({}); !blob.empty(); blob = broadcast_blob({}))
      worker_loop(make_sweep(blob), model, threads);
    return;
  }
  try {
    lead([&](const std::string& blob, const Sweep& sweep, const std::vector<std::uint64_t>& pending,
             const std::function<void(PointResult&&)>& sink) {
      broadcast_blob(blob);
      Coordinator coordinator(session.size(), payload_layout(sweep).total());
      coordinator.run(pending, sink);
    });
  } catch (...) {
    broadcast_blob({});
    throw;
  }
  broadcast_blob({});
}

}  // namespace sweep_detail
}  // namespace coordsim::sim
