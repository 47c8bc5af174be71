#pragma once
// Calibration by approximate Bayesian computation (ABC-SMC): a calibration file (YAML) names a
// base scenario, free parameters with priors, targets (observed values or intervals of summary
// outcomes or of statistics of series) and the algorithm's settings; `coordsim calibrate` runs
// the adaptive population Monte Carlo of Lenormand et al. (2013) on the sweep machinery (journal,
// MPI dispatch, per-run seeds) and writes one HDF5 file with every generation's population.
// See sim/CALIBRATION.md for the file format, the algorithm and the output layout.
//
//   base: scenario.yaml          # relative to this file, or `default`
//   variant: baseline            # the base variant (default: the scenario's first)
//   seed: 7
//   steps: 40
//   replications: 2              # simulations per particle (and per variant)
//   parameters:
//     walkers.drift: {prior: uniform, bounds: [0.1, 0.9]}
//     work.hours: {prior: log_uniform, bounds: [1, 40]}
//     tasks.weight: {prior: normal, mean: 0.5, sd: 0.1}   # truncated to the schema's range
//   targets:
//     - {summary: share_on_time, observed: 0.8, weight: 1}
//     - {series: backlog, statistic: mean, interval: [2, 5]}
//     - {summary: share_on_time, variant: reform, effect: true, observed: 0.1}
//   abc: {particles: 200, alpha: 0.5, tolerance: 0.0, min_acceptance: 0.02, max_runs: 4000}
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/output.hpp"
#include "coordsim/sim/scenario.hpp"
#include "coordsim/sim/sweep.hpp"

namespace coordsim::sim {

class ModelRegistry;

enum class PriorKind { Uniform, LogUniform, Normal };
std::string to_string(PriorKind kind);

struct CalibrationParameter {
  std::string path;  // dotted, a real parameter of the model
  PriorKind prior = PriorKind::Uniform;
  double low = 0.0, high = 0.0;   // support: the bounds (uniform, log-uniform) or the truncation (normal)
  double mean = 0.0, sd = 1.0;    // normal only
  std::string unit, description;  // from the schema
  SourceLocation where;
  std::string coordinate_name() const;  // dots replaced by "__"
  double density(double x) const;       // the prior's density (normalised on its support; 0 outside)
  double sample(double uniform) const;  // the prior's quantile function at `uniform` in (0, 1)
};

enum class TargetStatistic { Summary, Mean, Final, Max };
std::string to_string(TargetStatistic statistic);

struct CalibrationTarget {
  std::string name;     // label in the output (default: outcome, statistic, variant)
  std::string outcome;  // summary or series variable of the model
  TargetStatistic statistic = TargetStatistic::Summary;
  std::size_t index = 0;     // into the layout's summaries (Summary) or series (others)
  std::size_t variant = 0;   // index into Calibration::base.variants (0: the base variant)
  bool effect = false;       // the value in `variant` minus the value in the base variant (paired)
  bool interval = false;     // observed is [low, high] rather than a value
  double observed = 0.0, low = 0.0, high = 0.0;
  double weight = 1.0;
  double scale = 0.0;        // 0: the median absolute deviation of generation 0's simulated values
  SourceLocation where;
};

struct Calibration {
  std::string source, text, model, description;
  // The base scenario with the calibration's steps, seed and replications; variants: the base
  // variant first, then every other variant a target names, in order of first mention.
  Scenario base;
  std::uint64_t seed = 0;
  std::size_t replications = 1, steps = 1;
  std::vector<CalibrationParameter> parameters;
  std::vector<CalibrationTarget> targets;
  std::size_t particles = 100;     // population size N
  double alpha = 0.5;              // share of the candidates kept each generation
  double tolerance = 0.0;          // stop once the generation's tolerance is at or below this
  double min_acceptance = 0.01;    // stop once a generation accepts fewer of its proposals than this
  std::size_t max_runs = 0;        // particles simulated in total, at most (the budget)
  OutputLayout layout;
  std::uint64_t hash = 0;          // of everything that determines the results

  std::size_t first_batch() const;       // generation 0's proposals: ceil(N / alpha)
  std::size_t batch() const;             // later generations' proposals: first_batch - N
  std::size_t max_generations() const;   // as many as the budget allows
  std::size_t proposals_before(std::size_t generation) const;  // index of a generation's first proposal
  std::size_t simulations_per_particle() const { return base.variants.size() * replications; }
  // The particle seed of proposal `index` of `generation`: splitmix-derived, as for sweep runs.
  std::uint64_t particle_seed(std::size_t generation, std::size_t index) const;
  // The sweep that simulates one generation's proposals: run i has the values row i of `values`
  // (row-major, proposals x parameters) and the scenario seed particle_seed(generation, i).
  Sweep generation_sweep(std::size_t generation, const std::vector<double>& values) const;
};

// Parses and validates a calibration file (ScenarioError with file:line:col and key path).
Calibration parse_calibration(const std::string& text, const std::string& source, const std::string& base_directory,
                              const ModelRegistry& registry);
Calibration load_calibration(const std::string& path, const ModelRegistry& registry);

// Largest number of simulations a calibration may ask for; larger budgets are refused up front.
inline constexpr double kMaxCalibrationSimulations = 2e7;

struct CalibrationRunOptions {
  std::string output;
  int threads = 0;
  bool resume = false;
  bool keep_journal = false;
  // Particles of this generation done so far, of `total` to simulate now.
  std::function<void(std::size_t generation, std::size_t done, std::size_t total)> progress;
  std::function<void(const std::string&)> note;
};

struct CalibrationOutcome {
  std::size_t generations = 0;
  std::size_t simulated = 0;  // particles simulated now
  std::size_t resumed = 0;    // particles read back from the journal
  std::size_t failed = 0;     // particles whose simulations failed (never accepted)
  double tolerance = 0.0, acceptance = 0.0, ess = 0.0;  // of the last generation
  std::string stop_reason;
};

CalibrationOutcome run_calibration(const Calibration& calibration, const ModelRegistry& registry,
                                   const CalibrationRunOptions& options);
// Every MPI rank calls it; rank 0 runs the algorithm and writes, other ranks simulate.
CalibrationOutcome run_calibration_mpi(const Calibration& calibration, const ModelRegistry& registry,
                                       const CalibrationRunOptions& options, int& rank);

// `coordsim info` of a calibration file.
std::string describe_calibration(const std::string& path);

}  // namespace coordsim::sim
