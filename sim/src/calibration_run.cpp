// ABC-SMC calibration (adaptive population Monte Carlo, Lenormand, Jabot and Deffuant 2013) on
// the sweep machinery: each generation's proposals form a sweep (sweep_detail::compute_points, or
// the MPI dispatch of mpi_sweep.cpp), every simulated particle is appended to the journal at once,
// and the result file is written from the generations at the end.
//
// Determinism: proposal i of generation g draws its random numbers from Philox keyed by
// (seed, purpose) with counter (g, i): no draw depends on the schedule. Selection and weights are
// computed serially, in proposal order, from values that are themselves schedule-independent, so
// the file is the same for any thread or rank count, and after any interruption (--resume replays
// the algorithm, reading simulated particles back from the journal).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <numeric>

#include "calibration_detail.hpp"
#include "coordsim/sim/model.hpp"
#include "coordsim/sim/rng.hpp"
#include "hdf5_util.hpp"
#include "journal.hpp"
#include "sweep_detail.hpp"
#include "yaml_util.hpp"

namespace coordsim::sim {
namespace {

namespace fs = std::filesystem;
using calibration_detail::Generation;
using sweep_detail::PointResult;

constexpr std::uint64_t kProposalPurpose = 0x4142'432d'534d'4321ULL;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Simulates the proposals `pending` (run indices of `sweep`); `sink` gets each finished point.
using Dispatch = std::function<void(std::size_t generation, const Sweep& sweep, const std::vector<std::uint64_t>& pending,
                                    const std::function<void(PointResult&&)>& sink)>;

// Each target's value for one particle: the mean over replications (of the paired difference
// from the base variant for an effect). NaN when any needed value is missing.
std::vector<double> target_values(const Calibration& c, const PointResult& point, const sweep_detail::PayloadLayout& p) {
  std::vector<double> out(c.targets.size(), std::numeric_limits<double>::quiet_NaN());
  if (point.status != sweep_detail::kOk || point.payload.size() != p.total()) return out;
  const auto value = [&](const CalibrationTarget& t, std::size_t variant, std::size_t replication) {
    const double* sim = point.payload.data() + (variant * c.replications + replication) * p.stride;
    if (t.statistic == TargetStatistic::Summary) return sim[p.steps * p.n_series + t.index];
    if (t.statistic == TargetStatistic::Final) return sim[(p.steps - 1) * p.n_series + t.index];
    double acc = t.statistic == TargetStatistic::Max ? -kInfinity : 0.0;
    for (std::size_t step = 0; step < p.steps; ++step) {
      const double x = sim[step * p.n_series + t.index];
      if (std::isnan(x)) return x;
      acc = t.statistic == TargetStatistic::Max ? std::max(acc, x) : acc + x;
    }
    return t.statistic == TargetStatistic::Max ? acc : acc / static_cast<double>(p.steps);
  };
  for (std::size_t k = 0; k < c.targets.size(); ++k) {
    const auto& t = c.targets[k];
    double sum = 0.0;
    for (std::size_t r = 0; r < c.replications; ++r)
      sum += t.effect ? value(t, t.variant, r) - value(t, 0, r) : value(t, t.variant, r);
    out[k] = sum / static_cast<double>(c.replications);
  }
  return out;
}

double distance(const Calibration& c, const std::vector<double>& scales, const double* simulated) {
  double sum = 0.0;
  for (std::size_t k = 0; k < c.targets.size(); ++k) {
    const auto& t = c.targets[k];
    const double s = simulated[k];
    if (!std::isfinite(s)) return kInfinity;
    const double gap = t.interval ? (s < t.low ? t.low - s : (s > t.high ? s - t.high : 0.0)) : s - t.observed;
    const double e = gap / scales[k];
    sum += t.weight * e * e;
  }
  return std::sqrt(sum);
}

double median(std::vector<double> x) {
  if (x.empty()) return 0.0;
  std::sort(x.begin(), x.end());
  const std::size_t n = x.size();
  return n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

// Per-target scale: the given one, or 1.4826 x the median absolute deviation of generation 0's
// finite simulated values (the standard deviation for normal data); 1 when that is 0.
std::vector<double> target_scales(const Calibration& c, const std::vector<double>& simulated, std::size_t rows) {
  std::vector<double> scales(c.targets.size(), 1.0);
  for (std::size_t k = 0; k < c.targets.size(); ++k) {
    if (c.targets[k].scale > 0.0) {
      scales[k] = c.targets[k].scale;
      continue;
    }
    std::vector<double> x;
    for (std::size_t i = 0; i < rows; ++i)
      if (std::isfinite(simulated[i * c.targets.size() + k])) x.push_back(simulated[i * c.targets.size() + k]);
    const double centre = median(x);
    for (double& v : x) v = std::fabs(v - centre);
    const double mad = 1.4826 * median(x);
    if (mad > 0.0 && std::isfinite(mad)) scales[k] = mad;
  }
  return scales;
}

// The perturbation kernel: a multivariate normal with twice the population's weighted covariance
// (Beaumont et al. 2009), as its lower Cholesky factor.
struct Kernel {
  std::size_t k = 0;
  std::vector<double> chol;  // k x k, lower
  double log_norm = 0.0;     // log of the density's normalising constant

  Kernel(const Generation& g, std::size_t dims, const std::vector<CalibrationParameter>& parameters) : k(dims) {
    const std::size_t n = g.weights.size();
    const double total = std::accumulate(g.weights.begin(), g.weights.end(), 0.0);
    std::vector<double> mean(k, 0.0), cov(k * k, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t a = 0; a < k; ++a) mean[a] += g.weights[i] / total * g.values[i * k + a];
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = 0; b <= a; ++b)
          cov[a * k + b] += g.weights[i] / total * (g.values[i * k + a] - mean[a]) * (g.values[i * k + b] - mean[b]);
    for (std::size_t a = 0; a < k; ++a) {
      // A collapsed dimension still gets a kernel: a millionth of its prior's width.
      const double width = parameters[a].high - parameters[a].low;
      cov[a * k + a] = std::max(cov[a * k + a], 1e-12 * width * width);
    }
    chol.assign(k * k, 0.0);
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b <= a; ++b) {
        double s = 2.0 * cov[a * k + b];
        for (std::size_t j = 0; j < b; ++j) s -= chol[a * k + j] * chol[b * k + j];
        if (a == b) {
          const double floor = 2e-12 * (parameters[a].high - parameters[a].low) * (parameters[a].high - parameters[a].low);
          chol[a * k + a] = std::sqrt(std::max(s, floor));
        } else {
          chol[a * k + b] = s / chol[b * k + b];
        }
      }
    log_norm = -0.5 * static_cast<double>(k) * std::log(2.0 * M_PI);
    for (std::size_t a = 0; a < k; ++a) log_norm -= std::log(chol[a * k + a]);
  }

  // log density of x - centre.
  double log_density(const double* x, const double* centre) const {
    std::vector<double> y(k);
    double q = 0.0;
    for (std::size_t a = 0; a < k; ++a) {
      double s = x[a] - centre[a];
      for (std::size_t j = 0; j < a; ++j) s -= chol[a * k + j] * y[j];
      y[a] = s / chol[a * k + a];
      q += y[a] * y[a];
    }
    return log_norm - 0.5 * q;
  }
};

bool admissible(const Calibration& c, const Model& model, const double* x) {
  for (std::size_t a = 0; a < c.parameters.size(); ++a)
    if (c.parameters[a].density(x[a]) <= 0.0) return false;
  for (const auto& variant : c.base.variants) {
    ParamSet values = variant.parameters;
    for (std::size_t a = 0; a < c.parameters.size(); ++a) values.set(c.parameters[a].path, x[a]);
    if (!model.check(values).empty()) return false;
  }
  return true;
}

double log_prior(const Calibration& c, const double* x) {
  double sum = 0.0;
  for (std::size_t a = 0; a < c.parameters.size(); ++a) sum += std::log(c.parameters[a].density(x[a]));
  return sum;
}

// Proposals of generation g (rows of `values`) and whether each is admissible (inside the prior's
// support and accepted by the model's checks; inadmissible ones are never simulated).
void propose(const Calibration& c, const Model& model, std::size_t g, const Generation* previous,
             const Kernel* kernel, std::vector<double>& values, std::vector<char>& valid) {
  const std::size_t k = c.parameters.size();
  const std::size_t count = g == 0 ? c.first_batch() : c.batch();
  values.assign(count * k, 0.0);
  valid.assign(count, 0);
  std::vector<double> cumulative;
  if (previous != nullptr) {
    cumulative.resize(previous->weights.size());
    std::partial_sum(previous->weights.begin(), previous->weights.end(), cumulative.begin());
  }
  for (std::size_t i = 0; i < count; ++i) {
    RandomStream stream(RandomStream::Engine::key_type{{c.seed, kProposalPurpose}},
                        RandomStream::Engine::ctr_type{{g, i, 0, 0}});
    double* x = values.data() + i * k;
    if (previous == nullptr) {
      for (std::size_t a = 0; a < k; ++a) x[a] = c.parameters[a].sample(stream.uniform());
    } else {
      const double u = stream.uniform() * cumulative.back();
      const auto ancestor = static_cast<std::size_t>(
          std::min<std::ptrdiff_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin(),
                                   static_cast<std::ptrdiff_t>(cumulative.size()) - 1));
      std::vector<double> z(k);
      for (double& v : z) v = stream.normal();
      for (std::size_t a = 0; a < k; ++a) {
        double shift = 0.0;
        for (std::size_t j = 0; j <= a; ++j) shift += kernel->chol[a * k + j] * z[j];
        x[a] = previous->values[ancestor * k + a] + shift;
      }
    }
    valid[i] = admissible(c, model, x) ? 1 : 0;
  }
}

void set_run(PointResult& point, std::uint64_t run) {
  point.run = run;
  if (point.encoded.size() >= 8) std::memcpy(point.encoded.data(), &run, 8);
}

CalibrationOutcome calibrate_with(const Calibration& c, const Model& model, const CalibrationRunOptions& options,
                                  const Dispatch& dispatch) {
  sweep_detail::skip_hdf5_exit_cleanup();
  hdf5::check_output_destination(options.output);
  const auto note = [&](const std::string& text) {
    if (options.note) options.note(text);
  };
  const std::size_t k = c.parameters.size(), t = c.targets.size(), n = c.particles;
  const Sweep shape = c.generation_sweep(0, std::vector<double>(k, 0.0));
  const sweep_detail::PayloadLayout payload = sweep_detail::payload_layout(shape);
  const std::string journal_path = options.output + ".journal";
  const sweep_detail::JournalHeader header{c.hash, c.proposals_before(c.max_generations()), payload.total(), 0, 1};
  std::error_code error;
  const bool journal_exists = fs::exists(journal_path, error);
  if (journal_exists && !options.resume)
    throw ScenarioError(SourceLocation{journal_path, 0, 0}, "",
                        "the journal of an unfinished calibration is in the way; rerun with --resume to continue it, "
                        "or remove the journal to start afresh");
  sweep_detail::Journal journal =
      journal_exists ? sweep_detail::Journal::resume(journal_path, header) : sweep_detail::Journal::create(journal_path, header);
  if (journal_exists)
    note("resuming from '" + journal_path + "': " + std::to_string(journal.count()) + " particles already simulated");

  CalibrationOutcome outcome;
  std::vector<Generation> generations;
  std::vector<double> scales;
  std::vector<double> values;
  std::vector<char> valid;
  for (std::size_t g = 0; g < c.max_generations(); ++g) {
    const Generation* previous = g == 0 ? nullptr : &generations.back();
    std::unique_ptr<Kernel> kernel;
    if (previous != nullptr) kernel = std::make_unique<Kernel>(*previous, k, c.parameters);
    propose(c, model, g, previous, kernel.get(), values, valid);
    const std::size_t count = valid.size();
    const std::uint64_t first = c.proposals_before(g);
    std::vector<double> simulated(count * t, std::numeric_limits<double>::quiet_NaN());
    std::vector<char> failed(count, 0);
    const auto take = [&](PointResult& point) {
      const std::size_t i = static_cast<std::size_t>(point.run - first);
      const auto stats = target_values(c, point, payload);
      std::copy(stats.begin(), stats.end(), simulated.begin() + static_cast<std::ptrdiff_t>(i * t));
      failed[i] = point.status != sweep_detail::kOk ? 1 : 0;
    };
    std::vector<std::uint64_t> pending;
    for (std::size_t i = 0; i < count; ++i) {
      if (!valid[i]) continue;
      if (journal.has(first + i)) {
        PointResult point = journal.read(first + i);
        take(point);
        ++outcome.resumed;
      } else {
        pending.push_back(i);
      }
    }
    const Sweep sweep = c.generation_sweep(g, values);
    std::size_t done = 0;
    if (options.progress) options.progress(g, 0, pending.size());
    dispatch(g, sweep, pending, [&](PointResult&& point) {
      if (point.payload.empty() && !point.encoded.empty() &&
          !sweep_detail::parse_point(point.encoded.data(), point.encoded.size(), payload.total(), point))
        throw OutputError("malformed result of particle " + std::to_string(point.run));
      set_run(point, first + point.run);
      journal.append(point);
      take(point);
      ++outcome.simulated;
      if (options.progress) options.progress(g, ++done, pending.size());
    });
    journal.sync();

    if (g == 0) {
      std::vector<double> usable;
      for (std::size_t i = 0; i < count; ++i)
        if (valid[i]) usable.insert(usable.end(), simulated.begin() + static_cast<std::ptrdiff_t>(i * t),
                                    simulated.begin() + static_cast<std::ptrdiff_t>((i + 1) * t));
      scales = target_scales(c, usable, usable.size() / std::max<std::size_t>(t, 1));
    }
    // Candidates: the previous population (kept with its weights), then this generation's
    // proposals in proposal order; the N smallest distances survive, ties to the earlier candidate.
    struct Candidate {
      double distance;
      std::size_t order;
    };
    std::vector<Candidate> candidates;
    const std::size_t carried = previous != nullptr ? previous->distances.size() : 0;
    for (std::size_t j = 0; j < carried; ++j) candidates.push_back({previous->distances[j], j});
    std::vector<double> new_distance(count, kInfinity);
    std::size_t failures = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (!valid[i]) continue;
      if (failed[i]) ++failures;
      new_distance[i] = distance(c, scales, simulated.data() + i * t);
      if (std::isfinite(new_distance[i])) candidates.push_back({new_distance[i], carried + i});
    }
    outcome.failed += failures;
    if (candidates.size() < n)
      throw OutputError("generation 0 gave only " + std::to_string(candidates.size()) + " particles with finite " +
                        "distances, fewer than the " + std::to_string(n) + " particles asked for (" +
                        std::to_string(failures) + " simulations failed); check the targets and priors");
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.distance < b.distance; });
    candidates.resize(n);

    Generation next;
    next.proposals = count;
    next.simulated_particles = std::count(valid.begin(), valid.end(), 1);
    next.failed = failures;
    std::size_t accepted = 0;
    for (const auto& candidate : candidates) {
      if (candidate.order < carried) {
        const std::size_t j = candidate.order;
        next.values.insert(next.values.end(), previous->values.begin() + static_cast<std::ptrdiff_t>(j * k),
                           previous->values.begin() + static_cast<std::ptrdiff_t>((j + 1) * k));
        next.simulated.insert(next.simulated.end(), previous->simulated.begin() + static_cast<std::ptrdiff_t>(j * t),
                              previous->simulated.begin() + static_cast<std::ptrdiff_t>((j + 1) * t));
        next.weights.push_back(previous->weights[j]);
        next.distances.push_back(previous->distances[j]);
        next.born.push_back(previous->born[j]);
        next.proposal.push_back(previous->proposal[j]);
        next.seeds.push_back(previous->seeds[j]);
        continue;
      }
      const std::size_t i = candidate.order - carried;
      ++accepted;
      const double* x = values.data() + i * k;
      next.values.insert(next.values.end(), x, x + k);
      next.simulated.insert(next.simulated.end(), simulated.begin() + static_cast<std::ptrdiff_t>(i * t),
                            simulated.begin() + static_cast<std::ptrdiff_t>((i + 1) * t));
      double weight = 1.0;  // generation 0: drawn from the prior, importance weight 1
      if (previous != nullptr) {
        // prior(x) / sum_j w_j K(x | x_j), the proposal's mixture density, in logs.
        const double total = std::accumulate(previous->weights.begin(), previous->weights.end(), 0.0);
        double peak = -kInfinity;
        std::vector<double> terms(carried);
        for (std::size_t j = 0; j < carried; ++j) {
          terms[j] = std::log(previous->weights[j] / total) + kernel->log_density(x, previous->values.data() + j * k);
          peak = std::max(peak, terms[j]);
        }
        double sum = 0.0;
        for (const double term : terms) sum += std::exp(term - peak);
        weight = std::exp(log_prior(c, x) - (peak + std::log(sum)));
      }
      next.weights.push_back(weight);
      next.distances.push_back(candidate.distance);
      next.born.push_back(static_cast<std::int64_t>(g));
      next.proposal.push_back(static_cast<std::int64_t>(i));
      next.seeds.push_back(c.particle_seed(g, i));
    }
    next.tolerance = next.distances.back();
    next.acceptance = static_cast<double>(accepted) / static_cast<double>(count);
    double sum = 0.0, squares = 0.0;
    for (const double w : next.weights) {
      sum += w;
      squares += w * w;
    }
    next.ess = sum * sum / squares;
    generations.push_back(std::move(next));
    const Generation& now = generations.back();
    char line[160];
    std::snprintf(line, sizeof line, "generation %zu: tolerance %.4g, acceptance %.3g, ESS %.1f", g, now.tolerance,
                  now.acceptance, now.ess);
    note(line);

    if (now.tolerance <= c.tolerance) {
      outcome.stop_reason = "tolerance reached";
      break;
    }
    if (g > 0 && now.acceptance < c.min_acceptance) {
      outcome.stop_reason = "acceptance rate below min_acceptance";
      break;
    }
    if (g + 1 == c.max_generations()) outcome.stop_reason = "budget of runs spent";
  }
  calibration_detail::write_calibration_file(options.output, c, scales, generations, outcome.stop_reason);
  journal.sync();
  if (!options.keep_journal) fs::remove(journal_path, error);
  const Generation& last = generations.back();
  outcome.generations = generations.size();
  outcome.tolerance = last.tolerance;
  outcome.acceptance = last.acceptance;
  outcome.ess = last.ess;
  return outcome;
}

std::string proposals_blob(std::size_t generation, const Sweep& sweep) {
  std::string blob(8, '\0');
  const std::uint64_t g = generation;
  std::memcpy(blob.data(), &g, 8);
  for (std::size_t run = 0; run < sweep.runs; ++run)
    for (const auto& column : sweep.columns) blob.append(reinterpret_cast<const char*>(&column.real[run]), sizeof(double));
  return blob;
}

}  // namespace

CalibrationOutcome run_calibration(const Calibration& calibration, const ModelRegistry& registry,
                                   const CalibrationRunOptions& options) {
  const Model* model = registry.find(calibration.model);
  if (model == nullptr) throw OutputError("model '" + calibration.model + "' is not registered");
  const ExecutionContext execution(options.threads);
  return calibrate_with(calibration, *model, options,
                        [&](std::size_t, const Sweep& sweep, const std::vector<std::uint64_t>& pending,
                            const std::function<void(PointResult&&)>& sink) {
                          const std::atomic<bool> cancel{false};
                          sweep_detail::compute_points(sweep, *model, pending, execution, cancel, sink, true);
                        });
}

CalibrationOutcome run_calibration_mpi(const Calibration& calibration, const ModelRegistry& registry,
                                       const CalibrationRunOptions& options, int& rank) {
  const Model* model = registry.find(calibration.model);
  if (model == nullptr) throw OutputError("model '" + calibration.model + "' is not registered");
  CalibrationOutcome outcome;
  const auto make_sweep = [&](const std::string& blob) {
    std::uint64_t generation = 0;
    std::memcpy(&generation, blob.data(), 8);
    std::vector<double> values((blob.size() - 8) / sizeof(double));
    std::memcpy(values.data(), blob.data() + 8, values.size() * sizeof(double));
    return calibration.generation_sweep(generation, values);
  };
  sweep_detail::mpi_rounds(
      *model, options.threads, make_sweep,
      [&](const sweep_detail::RoundDispatch& round) {
        outcome = calibrate_with(calibration, *model, options,
                                 [&](std::size_t generation, const Sweep& sweep, const std::vector<std::uint64_t>& pending,
                                     const std::function<void(PointResult&&)>& sink) {
                                   round(proposals_blob(generation, sweep), sweep, pending, sink);
                                 });
      },
      [&] { outcome = run_calibration(calibration, registry, options); }, rank);
  return outcome;
}

}  // namespace coordsim::sim

#ifndef COORDSIM_HAVE_MPI
namespace coordsim::sim::sweep_detail {
void mpi_rounds(const Model&, int, const std::function<Sweep(const std::string&)>&,
                const std::function<void(const RoundDispatch&)>&, const std::function<void()>& alone, int& rank) {
  rank = 0;
  alone();
}
}  // namespace coordsim::sim::sweep_detail
#endif
