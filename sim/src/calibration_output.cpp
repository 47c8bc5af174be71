// The calibration result file (sim/CALIBRATION.md, "The result file") and its description for
// `coordsim info`. Every axis has a named dimension scale, so xarray (h5netcdf) opens the file with
// generation, particle, parameter and target as coordinates.
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "calibration_detail.hpp"
#include "coordsim/sim/version.hpp"
#include "hdf5_handles.hpp"
#include "hdf5_util.hpp"
#include "sweep_detail.hpp"
#include "yaml_util.hpp"

namespace coordsim::sim {
namespace calibration_detail {
namespace {

namespace fs = std::filesystem;
using hdf5::Handle;

constexpr std::int64_t kCalibrationFormat = 1;

class FileWriter {
 public:
  explicit FileWriter(hid_t file) : file_(file) {}

  // A coordinate variable that is its own dimension's scale.
  void coordinate(const char* name, hid_t type, hsize_t length, const void* data, const std::string& units,
                  const std::string& long_name) {
    const std::string what = std::string("create coordinate '") + name + "'";
    const auto space = hdf5::simple_space(std::span(&length, 1));
    auto dataset = hdf5::dataset(H5Dcreate2(file_, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), what);
    if (length > 0) hdf5::check(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), what);
    hdf5::check(H5DSset_scale(dataset.get(), name), what);
    hdf5::describe_variable(dataset.get(), units, long_name);
    scales_.emplace_back(name, std::move(dataset));
  }
  void strings(const char* name, const std::vector<std::string>& values, const std::string& long_name) {
    std::vector<const char*> pointers;
    for (const auto& v : values) pointers.push_back(v.c_str());
    const auto type = hdf5::utf8_string_type();
    coordinate(name, type.get(), pointers.size(), pointers.data(), "1", long_name);
  }

  // A data variable over the named dimensions (each already a coordinate).
  template <typename T>
  void variable(const std::string& name, hid_t file_type, hid_t memory_type, const std::vector<const char*>& dims,
                const std::vector<T>& data, const std::string& units, const std::string& long_name) {
    const std::string what = "create dataset '" + name + "'";
    std::vector<hsize_t> shape;
    std::vector<hid_t> scales;
    for (const char* dim : dims)
      for (const auto& [scale_name, handle] : scales_)
        if (scale_name == dim) {
          hsize_t length = 0;
          const auto space = hdf5::dataspace(H5Dget_space(handle.get()), what);
          H5Sget_simple_extent_dims(space.get(), &length, nullptr);
          shape.push_back(length);
          scales.push_back(handle.get());
        }
    const auto space = hdf5::simple_space(shape);
    auto dataset =
        hdf5::dataset(H5Dcreate2(file_, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), what);
    if (!data.empty()) hdf5::check(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), what);
    for (unsigned axis = 0; axis < scales.size(); ++axis)
      hdf5::check(H5DSattach_scale(dataset.get(), scales[axis], axis), what + ": attach dimension scale");
    hdf5::describe_variable(dataset.get(), units, long_name);
  }
  void texts(const std::string& name, const char* dim, const std::vector<std::string>& values,
             const std::string& long_name) {
    std::vector<const char*> pointers;
    for (const auto& v : values) pointers.push_back(v.c_str());
    const auto type = hdf5::utf8_string_type();
    variable(name, type.get(), type.get(), {dim}, pointers, "1", long_name);
  }
  void reals(const std::string& name, const std::vector<const char*>& dims, const std::vector<double>& data,
             const std::string& units, const std::string& long_name) {
    variable(name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, data, units, long_name);
  }
  void integers(const std::string& name, const std::vector<const char*>& dims, const std::vector<std::int64_t>& data,
                const std::string& units, const std::string& long_name) {
    variable(name, H5T_STD_I64LE, H5T_NATIVE_INT64, dims, data, units, long_name);
  }

 private:
  hid_t file_;
  std::vector<std::pair<std::string, Handle>> scales_;
};

template <typename T, typename Field>
std::vector<T> gather(const std::vector<Generation>& generations, Field field) {
  std::vector<T> out;
  for (const auto& g : generations) {
    const auto& part = field(g);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

}  // namespace

void write_calibration_file(const std::string& path, const Calibration& c, const std::vector<double>& scales,
                            const std::vector<Generation>& generations, const std::string& stop_reason) {
  const std::string temporary = path + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
  {
    const std::string what = "create file " + hdf5::in_quotes(temporary);
    auto creation = hdf5::property_list(H5Pcreate(H5P_FILE_CREATE), what);
    hdf5::check(H5Pset_link_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
    auto file = hdf5::file(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, creation.get(), H5P_DEFAULT), what);
    const hid_t root = file.get();
    hdf5::write_string_attribute(root, "coordsim_version", std::string(kVersion));
    hdf5::write_scalar_attribute<std::int64_t>(root, "format_version", H5T_STD_I64LE, kCalibrationFormat);
    hdf5::write_string_attribute(root, "kind", "calibration");
    hdf5::write_string_attribute(root, "model", c.model);
    hdf5::write_string_attribute(root, "calibration", c.text);
    hdf5::write_string_attribute(root, "calibration_source", c.source);
    hdf5::write_string_attribute(root, "calibration_hash", sweep_detail::hash_text(c.hash));
    hdf5::write_string_attribute(root, "scenario", c.base.resolved_yaml());
    hdf5::write_string_attribute(root, "description", c.description);
    std::vector<std::string> variants;
    for (const auto& v : c.base.variants) variants.push_back(v.name);
    hdf5::write_string_array_attribute(root, "variants", variants);
    hdf5::write_scalar_attribute<std::uint64_t>(root, "seed", H5T_STD_U64LE, c.seed);
    hdf5::write_scalar_attribute<std::int64_t>(root, "replications", H5T_STD_I64LE, static_cast<std::int64_t>(c.replications));
    hdf5::write_scalar_attribute<std::int64_t>(root, "steps", H5T_STD_I64LE, static_cast<std::int64_t>(c.steps));
    hdf5::write_scalar_attribute<std::int64_t>(root, "particles", H5T_STD_I64LE, static_cast<std::int64_t>(c.particles));
    hdf5::write_scalar_attribute<double>(root, "alpha", H5T_IEEE_F64LE, c.alpha);
    hdf5::write_scalar_attribute<double>(root, "tolerance_goal", H5T_IEEE_F64LE, c.tolerance);
    hdf5::write_scalar_attribute<double>(root, "min_acceptance", H5T_IEEE_F64LE, c.min_acceptance);
    hdf5::write_scalar_attribute<std::int64_t>(root, "max_runs", H5T_STD_I64LE, static_cast<std::int64_t>(c.max_runs));
    hdf5::write_string_attribute(root, "stop_reason", stop_reason);

    FileWriter out(root);
    std::vector<std::int64_t> generation_index(generations.size()), particle_index(c.particles);
    for (std::size_t g = 0; g < generations.size(); ++g) generation_index[g] = static_cast<std::int64_t>(g);
    for (std::size_t i = 0; i < c.particles; ++i) particle_index[i] = static_cast<std::int64_t>(i);
    out.coordinate("generation", H5T_STD_I64LE, generation_index.size(), generation_index.data(), "1",
                   "ABC-SMC generation");
    out.coordinate("particle", H5T_STD_I64LE, particle_index.size(), particle_index.data(), "1",
                   "particle, by distance within its generation (0: closest)");
    std::vector<std::string> parameter_names, target_names, priors;
    for (const auto& p : c.parameters) {
      parameter_names.push_back(p.path);
      priors.push_back(to_string(p.prior));
    }
    for (const auto& t : c.targets) target_names.push_back(t.name);
    out.strings("parameter", parameter_names, "free parameter (dotted path)");
    out.strings("target", target_names, "calibration target");

    const std::vector<const char*> gp = {"generation", "particle"};
    out.reals("value", {"generation", "particle", "parameter"},
              gather<double>(generations, [](const Generation& g) -> const auto& { return g.values; }), "1",
              "parameter value of the particle (each parameter in its own units)");
    std::vector<double> weights;
    for (const auto& g : generations) {
      double total = 0.0;
      for (const double w : g.weights) total += w;
      for (const double w : g.weights) weights.push_back(w / total);
    }
    out.reals("weight", gp, weights, "1", "normalised importance weight of the particle");
    out.reals("distance", gp, gather<double>(generations, [](const Generation& g) -> const auto& { return g.distances; }),
              "1", "distance of the particle's simulated targets from the observed ones");
    out.reals("simulated", {"generation", "particle", "target"},
              gather<double>(generations, [](const Generation& g) -> const auto& { return g.simulated; }), "1",
              "target value simulated for the particle (mean over replications)");
    out.integers("born", gp, gather<std::int64_t>(generations, [](const Generation& g) -> const auto& { return g.born; }),
                 "1", "generation in which the particle was proposed and simulated");
    out.integers("proposal", gp,
                 gather<std::int64_t>(generations, [](const Generation& g) -> const auto& { return g.proposal; }), "1",
                 "index of the particle among its generation's proposals");
    out.variable("particle_seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, gp,
                 gather<std::uint64_t>(generations, [](const Generation& g) -> const auto& { return g.seeds; }), "1",
                 "scenario seed of the particle's simulations (replication r: Rng key (seed, r))");
    std::vector<double> tolerance, acceptance, ess;
    std::vector<std::int64_t> proposals, simulated, failed;
    for (const auto& g : generations) {
      tolerance.push_back(g.tolerance);
      acceptance.push_back(g.acceptance);
      ess.push_back(g.ess);
      proposals.push_back(static_cast<std::int64_t>(g.proposals));
      simulated.push_back(static_cast<std::int64_t>(g.simulated_particles));
      failed.push_back(static_cast<std::int64_t>(g.failed));
    }
    out.reals("tolerance", {"generation"}, tolerance, "1", "tolerance: largest distance in the population");
    out.reals("acceptance_rate", {"generation"}, acceptance, "1", "share of the generation's proposals accepted");
    out.reals("ess", {"generation"}, ess, "1", "effective sample size of the weighted population");
    out.integers("proposals", {"generation"}, proposals, "1", "particles proposed in the generation");
    out.integers("simulated_particles", {"generation"}, simulated, "1",
                 "proposals simulated (the others fell outside the prior's support or the model's checks)");
    out.integers("failed_particles", {"generation"}, failed, "1", "simulated proposals whose simulations failed");

    std::vector<double> observed, low, high, weight, scale;
    std::vector<std::int64_t> interval;
    for (std::size_t k = 0; k < c.targets.size(); ++k) {
      const auto& t = c.targets[k];
      observed.push_back(t.observed);
      low.push_back(t.interval ? t.low : t.observed);
      high.push_back(t.interval ? t.high : t.observed);
      interval.push_back(t.interval ? 1 : 0);
      weight.push_back(t.weight);
      scale.push_back(k < scales.size() ? scales[k] : std::numeric_limits<double>::quiet_NaN());
    }
    out.reals("observed", {"target"}, observed, "1", "observed value (the interval's midpoint for an interval)");
    out.reals("observed_low", {"target"}, low, "1", "lower end of the observed interval (the value itself otherwise)");
    out.reals("observed_high", {"target"}, high, "1", "upper end of the observed interval (the value itself otherwise)");
    out.integers("observed_is_interval", {"target"}, interval, "1", "1 when the target is an interval");
    out.reals("target_weight", {"target"}, weight, "1", "weight of the target in the distance");
    std::vector<std::string> outcome, statistic, variant;
    std::vector<std::int64_t> effect;
    for (const auto& t : c.targets) {
      outcome.push_back(t.outcome);
      statistic.push_back(to_string(t.statistic));
      variant.push_back(c.base.variants[t.variant].name);
      effect.push_back(t.effect ? 1 : 0);
    }
    out.texts("target_outcome", "target", outcome, "outcome of the model the target is computed from");
    out.texts("target_statistic", "target", statistic, "summary, or the statistic over the steps of a series");
    out.texts("target_variant", "target", variant, "variant the target is evaluated in");
    out.integers("target_effect", {"target"}, effect, "1", "1: the variant's value minus the base variant's");
    out.reals("target_scale", {"target"}, scale, "1", "scale dividing the target's deviation in the distance");
    std::vector<double> prior_low, prior_high, prior_mean, prior_sd;
    for (const auto& p : c.parameters) {
      prior_low.push_back(p.low);
      prior_high.push_back(p.high);
      prior_mean.push_back(p.prior == PriorKind::Normal ? p.mean : std::numeric_limits<double>::quiet_NaN());
      prior_sd.push_back(p.prior == PriorKind::Normal ? p.sd : std::numeric_limits<double>::quiet_NaN());
    }
    out.reals("prior_low", {"parameter"}, prior_low, "1", "lower end of the prior's support");
    out.reals("prior_high", {"parameter"}, prior_high, "1", "upper end of the prior's support");
    out.reals("prior_mean", {"parameter"}, prior_mean, "1", "mean of a normal prior (NaN otherwise)");
    out.reals("prior_sd", {"parameter"}, prior_sd, "1", "standard deviation of a normal prior (NaN otherwise)");
    hdf5::write_string_array_attribute(root, "priors", priors);
    hdf5::check(file.close(), "close " + hdf5::in_quotes(temporary));
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error)
    throw OutputError("cannot rename " + hdf5::in_quotes(temporary) + " to " + hdf5::in_quotes(path) + ": " +
                      error.message());
}

}  // namespace calibration_detail

namespace {
std::string show(double x) {
  std::ostringstream out;
  out << std::setprecision(4) << x;
  return out.str();
}
}  // namespace

std::string describe_calibration(const std::string& path) {
  const hdf5::QuietErrors quiet;
  const auto file = hdf5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + hdf5::in_quotes(path));
  const auto read_string = [&](const char* name) {
    if (H5Aexists(file.get(), name) <= 0) return std::string();
    const auto attribute = hdf5::attribute(H5Aopen(file.get(), name, H5P_DEFAULT), name);
    const auto type = hdf5::utf8_string_type();
    char* text = nullptr;
    hdf5::check(H5Aread(attribute.get(), type.get(), &text), name);
    std::string value = text != nullptr ? text : "";
    H5free_memory(text);
    return value;
  };
  const auto read_int = [&](const char* name) {
    std::int64_t value = 0;
    if (H5Aexists(file.get(), name) > 0) {
      const auto attribute = hdf5::attribute(H5Aopen(file.get(), name, H5P_DEFAULT), name);
      hdf5::check(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), name);
    }
    return value;
  };
  const auto read_doubles = [&](const char* name) {
    const auto dataset = hdf5::dataset(H5Dopen2(file.get(), name, H5P_DEFAULT), std::string("open ") + name);
    const auto space = hdf5::dataspace(H5Dget_space(dataset.get()), name);
    std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
    if (!values.empty())
      hdf5::check(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), name);
    return values;
  };
  const auto read_names = [&](const char* name) {
    const auto dataset = hdf5::dataset(H5Dopen2(file.get(), name, H5P_DEFAULT), std::string("open ") + name);
    const auto space = hdf5::dataspace(H5Dget_space(dataset.get()), name);
    std::vector<char*> pointers(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())), nullptr);
    const auto type = hdf5::utf8_string_type();
    if (!pointers.empty())
      hdf5::check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), name);
    std::vector<std::string> names;
    for (char* p : pointers) {
      names.emplace_back(p != nullptr ? p : "");
      H5free_memory(p);
    }
    return names;
  };
  const auto parameters = read_names("parameter");
  const auto targets = read_names("target");
  const auto tolerance = read_doubles("tolerance");
  const auto acceptance = read_doubles("acceptance_rate");
  const auto ess = read_doubles("ess");
  const auto values = read_doubles("value");
  const auto weights = read_doubles("weight");
  const auto simulated = read_doubles("simulated");
  const auto observed_low = read_doubles("observed_low");
  const auto observed_high = read_doubles("observed_high");
  const std::size_t generations = tolerance.size(), n = static_cast<std::size_t>(read_int("particles"));
  const std::size_t k = parameters.size(), t = targets.size();

  std::ostringstream out;
  out << "coordsim calibration file " << path << "\n"
      << "  model:        " << read_string("model") << "\n"
      << "  written by:   coordsim " << read_string("coordsim_version") << ", format version "
      << read_int("format_version") << "\n"
      << "  calibration:  " << read_string("calibration_source") << " (seed " << read_int("seed") << ", "
      << read_int("replications") << " replications x " << read_int("steps") << " steps per particle)\n"
      << "  ABC-SMC:      " << n << " particles, " << generations << " generations; stopped: "
      << read_string("stop_reason") << "\n"
      << "\ngenerations (tolerance, acceptance rate, ESS):\n";
  for (std::size_t g = 0; g < generations; ++g)
    out << "  " << g << ": " << std::setprecision(4) << tolerance[g] << "  " << std::setprecision(3) << acceptance[g]
        << "  " << std::setprecision(4) << ess[g] << "\n";
  if (generations > 0 && n > 0) {
    const std::size_t last = generations - 1;
    out << "\nposterior (last generation; weighted mean and standard deviation):\n";
    for (std::size_t a = 0; a < k; ++a) {
      double mean = 0.0, square = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        const double w = weights[last * n + i], x = values[(last * n + i) * k + a];
        mean += w * x;
        square += w * x * x;
      }
      out << "  " << parameters[a] << ": " << show(mean) << " +- "
          << show(std::sqrt(std::max(0.0, square - mean * mean))) << "\n";
    }
    out << "\ntargets (observed; weighted mean simulated in the last generation):\n";
    for (std::size_t j = 0; j < t; ++j) {
      double mean = 0.0;
      for (std::size_t i = 0; i < n; ++i) mean += weights[last * n + i] * simulated[(last * n + i) * t + j];
      out << "  " << targets[j] << ": "
          << (observed_low[j] == observed_high[j] ? show(observed_low[j])
                                                  : "[" + show(observed_low[j]) + ", " +
                                                        show(observed_high[j]) + "]")
          << "; simulated " << show(mean) << "\n";
    }
  }
  out << "\nvariables: value (generation, particle, parameter), weight, distance, born, proposal, particle_seed\n"
         "  (generation, particle), simulated (generation, particle, target), tolerance, acceptance_rate, ess,\n"
         "  proposals, simulated_particles, failed_particles (generation), observed, observed_low, observed_high,\n"
         "  target_weight, target_scale (target), prior_low, prior_high, prior_mean, prior_sd (parameter)\n";
  return out.str();
}

}  // namespace coordsim::sim
