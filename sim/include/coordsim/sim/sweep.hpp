#pragma once
// Parameter sweeps: a sweep file (YAML) names a base scenario, the parameters to vary and a
// design (full-factorial grid, Latin hypercube, Saltelli); `coordsim sweep` runs every design
// point ("run" below: one point = every selected variant x every replication) and writes one
// HDF5 file. See sim/SWEEPS.md for the file formats, the crash-safety design and cluster use.
//
//   base: f1_weak_lead.yaml          # relative to the sweep file, or `default`
//   design: lhs                      # grid | lhs | saltelli
//   samples: 64                      # lhs, saltelli
//   replications: 4                  # default: the base scenario's
//   seed: 11                         # default: the base scenario's run.seed
//   steps: 120                       # default: the base scenario's run.steps
//   variants: [baseline]             # default: all variants of the base scenario
//   fail_on_nan: key                 # key | all | none: NaN summaries that mark a run failed
//   output: { agents: false, agent_every: 1 }
//   parameters:
//     walkers.drift: { bounds: [0.1, 0.9] }             # lhs / saltelli
//     tasks.participants: { range: {start: 10, stop: 50, step: 20} }   # grid
//
// Seeds: point p uses the scenario seed sweep_point_seed(seed, p) and replication r the Rng key
// (that seed, r); every variant of one (p, r) shares it (common random numbers).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/hash.hpp"
#include "coordsim/sim/output.hpp"
#include "coordsim/sim/param.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/scenario.hpp"

namespace coordsim::sim {

class ModelRegistry;

enum class SweepDesign { Grid, Lhs, Saltelli, Morris };
std::string to_string(SweepDesign design);

// One varied parameter.
struct SweepParameter {
  std::string path;                 // dotted, e.g. "walkers.drift"
  ParamType type = ParamType::Real;  // Real or Integer; Boolean and Choice only in grids
  std::string generator;            // values | linspace | logspace | range | bounds
  std::vector<ParamValue> levels;   // grid: the values, in order
  double low = 0.0, high = 0.0;     // lhs / saltelli: inclusive bounds
  std::vector<std::string> choices;  // Choice: the schema's choices (values are indices)
  std::string unit;                 // from the schema
  std::string description;          // from the schema
  SourceLocation where;             // the parameter's key in the sweep file
  // Name of its coordinate variable in the result file: dots replaced by "__".
  std::string coordinate_name() const;
};

// The value of one parameter at every design point, stored by type (one vector is used).
struct SweepColumn {
  std::vector<double> real;            // Real
  std::vector<std::int64_t> integer;   // Integer, Boolean (0/1)
  std::vector<std::uint32_t> choice;   // Choice: index into SweepParameter::choices
};

struct Sweep {
  std::string source;  // sweep file path (or the name given to parse_sweep)
  std::string text;    // the sweep file as written
  std::string model;
  SweepDesign design = SweepDesign::Grid;
  std::size_t samples = 0;  // lhs, saltelli: N
  std::uint64_t seed = 0;
  std::size_t replications = 1;
  std::size_t steps = 1;
  bool agents = false;
  std::size_t agent_every = 1;
  // Which NaN summaries mark a run failed: "key" (default: summaries flagged key, those of the
  // comparison table; others may be NaN by design, e.g. "none due"), "all" or "none".
  std::string fail_on_nan = "key";
  // The base scenario with the sweep's steps, replications, output settings and only the
  // selected variants (in the sweep's order).
  Scenario base;
  std::vector<SweepParameter> parameters;
  std::size_t runs = 0;              // design points
  std::vector<SweepColumn> columns;  // [parameter]
  // Saltelli only: block of each run (0 = A, 1 = B, 2 + i = AB_i for parameter i counted from 0)
  // and its row within the block.
  std::vector<std::int64_t> saltelli_block;
  std::vector<std::int64_t> saltelli_row;
  // Morris only: levels p, and each run's trajectory and position in it (0: the base point).
  std::size_t morris_levels = 0;
  std::vector<std::int64_t> morris_trajectory;
  std::vector<std::int64_t> morris_step;
  OutputLayout layout;   // agent counts maximised over every point and variant
  std::uint64_t hash = 0;  // of everything that determines the results (see sweep_identity)

  std::size_t variant_count() const noexcept { return base.variants.size(); }
  std::size_t simulations_per_run() const noexcept { return variant_count() * replications; }
  ParamValue value(std::size_t run, std::size_t parameter) const;
  std::uint64_t point_seed(std::size_t run) const;
  // Variant `variant`'s parameters at design point `run`.
  ParamSet parameters_of(std::size_t run, std::size_t variant) const;
  // "walkers.drift=0.35, walkers.count=20"
  std::string describe_point(std::size_t run) const;
};

// Parses and validates a sweep (text read from `source`; a relative base path is resolved
// against `base_directory`). Throws ScenarioError with file, line, column and key path.
Sweep parse_sweep(const std::string& text, const std::string& source, const std::string& base_directory,
                  const ModelRegistry& registry);
Sweep load_sweep(const std::string& path, const ModelRegistry& registry);
// The same for a sweep whose base scenario is given instead of named (Python's coordsim.sweep):
// `text` has every key of a sweep file except `base`, which is refused.
Sweep parse_sweep(const std::string& text, const std::string& source, const Scenario& base,
                  const ModelRegistry& registry);

// --- designs (exposed for tests and for the documentation of the file format) -------------------

// The scenario seed of design point `run`: splitmix64(splitmix64(seed) ^ run). Distinct points get
// distinct seeds (both steps are bijections).
std::uint64_t sweep_point_seed(std::uint64_t seed, std::uint64_t run) noexcept;
// Level index of each dimension for grid point `run`; the first dimension varies slowest.
std::vector<std::size_t> grid_point(std::size_t run, const std::vector<std::size_t>& sizes);
// n x k Latin hypercube on (0, 1), row-major: in every column each stratum [j/n, (j+1)/n) holds
// exactly one row. `stream` separates independent hypercubes drawn from one seed.
std::vector<double> latin_hypercube(std::size_t n, std::size_t k, std::uint64_t seed, std::uint64_t stream);
// Saltelli design on (0, 1): n*(k+2) rows x k, row-major, in blocks of n rows: A, B, AB_1..AB_k,
// where AB_i equals A except column i, taken from B. A and B are independent Latin hypercubes.
std::vector<double> saltelli_design(std::size_t n, std::size_t k, std::uint64_t seed);

// Morris (1991) design on the unit hypercube (sim/src/morris_design.cpp): `trajectories` x (k + 1)
// rows x k, row-major, on the grid {0, 1/(levels-1), ..., 1}; within a trajectory consecutive rows
// differ in one parameter by +-morris_delta(levels), and every parameter moves once.
std::vector<double> morris_design(std::size_t trajectories, std::size_t k, std::size_t levels, std::uint64_t seed);
double morris_delta(std::size_t levels);  // levels / (2 (levels - 1))

// --- running ---------------------------------------------------------------------------------

struct SweepRunOptions {
  std::string output;          // result file; its journal is output + ".journal"
  int threads = 0;             // 0: all cores
  bool resume = false;         // continue from the journal
  std::size_t shard_index = 0;  // run only runs with run % shard_count == shard_index
  std::size_t shard_count = 1;
  bool keep_journal = false;   // leave the journal after the result file is written
  std::function<void(std::size_t done, std::size_t total)> progress;  // runs of this invocation
  std::function<void(const std::string&)> note;                       // one-line notices
};

struct SweepOutcome {
  std::size_t runs_in_scope = 0;  // runs of this shard (all runs when unsharded)
  std::size_t resumed = 0;        // already in the journal
  std::size_t computed = 0;       // run now
  std::size_t failed = 0;         // in the final file
  std::vector<std::string> failures;  // "run 12 (walkers.drift=0.3): message", at most 20
};

// Runs the sweep on this process (oneTBB, all cores or `threads`), journaling each finished run,
// then assembles the result file. Throws OutputError (I/O) and ScenarioError (a journal that
// belongs to another sweep, or one found without --resume).
SweepOutcome run_sweep(const Sweep& sweep, const ModelRegistry& registry, const SweepRunOptions& options);

// Peak memory and output size of the sweep (shard) on `threads` threads, with what the machine
// offers (see ResourceEstimate in runner.hpp). output_bytes counts the journal and the result file.
ResourceEstimate estimate_sweep(const Sweep& sweep, const ModelRegistry& registry, const SweepRunOptions& options);

// MPI. sweep_mpi_available: coordsim was built with MPI. sweep_launched_by_mpi: this process was
// started by mpirun/srun (environment), so every rank must call run_sweep_mpi. Rank 0 hands out
// chunks of run indices, journals the results and writes the file; other ranks compute. `rank`
// is set; the outcome is meaningful on rank 0 only.
bool sweep_mpi_available() noexcept;
bool sweep_launched_by_mpi() noexcept;
SweepOutcome run_sweep_mpi(const Sweep& sweep, const ModelRegistry& registry, const SweepRunOptions& options,
                           int& rank);

// Joins shard files (each written with --shard I/N of the same sweep) into one file whose datasets
// equal an unsharded sweep's. Before anything is written it proves the merge complete: every shard
// of the same sweep text, engine version and shapes, each shard given once, and every run present
// in exactly one shard (its owner). Otherwise BadFileError and no output. With allow_partial,
// runs missing from their shards are allowed: the file gets root attributes partial = 1 and
// missing_runs (their indices). Returns the number of failed runs.
struct MergeOutcome {
  std::size_t failed = 0;
  std::vector<std::uint64_t> missing;  // runs no shard holds (allow_partial only)
};
MergeOutcome merge_sweep_shards(const std::string& output, const std::vector<std::string>& shards,
                                bool allow_partial = false);

}  // namespace coordsim::sim
