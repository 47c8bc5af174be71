// Calibration files: parsing and validation against the model's schema, priors, the particle
// seeds and the per-generation sweep. Every error is a ScenarioError naming file, line, column and
// key path. Values are read by the project's one YAML layer (yaml_reader.hpp), so a value text gets
// the same verdict and message here as in a scenario file, a --set override or a sweep file.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>

#include "coordsim/sim/calibration.hpp"
#include "coordsim/sim/model.hpp"
#include "coordsim/sim/rng.hpp"
#include "coordsim/sim/version.hpp"
#include "edit_distance.hpp"
#include "fnv_hash.hpp"
#include "yaml_reader.hpp"
#include "yaml_util.hpp"

namespace coordsim::sim {
namespace {

namespace fs = std::filesystem;
using detail::double_quoted;

const std::vector<std::string> kTopKeys = {"base", "variant", "description", "seed", "steps",
                                           "replications", "parameters", "targets", "abc"};
const std::vector<std::string> kPriorKeys = {"prior", "bounds", "mean", "sd"};
const std::vector<std::string> kTargetKeys = {"name", "summary", "series", "statistic", "observed",
                                              "interval", "weight", "scale", "variant", "effect"};
const std::vector<std::string> kAbcKeys = {"particles", "alpha", "tolerance", "min_acceptance", "max_runs"};
constexpr std::uint64_t kGenerationStream = 0x4341'4c49'4252'4154ULL;

using detail::Entry;
using detail::fail_expected;
using detail::found_text;
using detail::join_path;
using detail::Located;
using detail::located;
using detail::Origin;
using detail::read_real;

// The entries of a mapping by key, unknown keys refused with a "did you mean".
std::map<std::string, Entry> keyed_entries(const YAML::Node& mapping, const Origin& origin, const std::string& path,
                                           const std::vector<std::string>& known) {
  std::map<std::string, Entry> keys;
  for (auto& entry : detail::mapping_entries(mapping, origin, path)) {
    if (std::find(known.begin(), known.end(), entry.name) == known.end())
      origin.fail(entry.key_mark, join_path(path, entry.name), detail::unknown_key_problem(entry.name, known));
    keys.emplace(entry.name, entry);
  }
  return keys;
}

// A calibration file's mapping (the document, a prior, a target, abc:) read by key.
class Block {
 public:
  Block(const YAML::Node& mapping, const YAML::Mark& mark, std::string path, const Origin& origin,
        const std::vector<std::string>& known, const std::string& expected)
      : mark_(mark), path_(std::move(path)), origin_(origin) {
    if (!mapping.IsMap()) fail_expected(Located{mapping, mark, path_}, origin, expected);
    keys_ = keyed_entries(mapping, origin, path_, known);
  }
  const Entry* find(const std::string& key) const {
    const auto found = keys_.find(key);
    return found == keys_.end() ? nullptr : &found->second;
  }
  // The value of `key`, located for messages, or nullopt when the key is absent.
  std::optional<Located> value(const std::string& key) const {
    if (const Entry* entry = find(key)) return located(*entry, join_path(path_, key));
    return std::nullopt;
  }
  Located need(const std::string& key, const std::string& why) const {
    if (const auto found = value(key)) return *found;
    fail("missing '" + key + "': " + why);
  }
  void refuse(const std::string& key, const std::string& why) const {
    if (const Entry* entry = find(key)) origin_.fail(entry->key_mark, join_path(path_, key), "not allowed here: " + why);
  }
  [[noreturn]] void fail(const std::string& problem) const { origin_.fail(mark_, path_, problem); }
  const YAML::Mark& mark() const { return mark_; }

 private:
  YAML::Mark mark_;
  std::string path_;
  const Origin& origin_;
  std::map<std::string, Entry> keys_;
};

constexpr double kHuge = 1e300;  // the range of an unconstrained real in a calibration file

// A real number > 0 (weights, scales, a normal prior's sd).
double read_positive(const Located& value, const Origin& origin) {
  return read_real(value, origin, 1e-300, kHuge, "a real number > 0");
}

Scenario load_base(const Located& value, const Origin& origin, const std::string& base_directory,
                   const ModelRegistry& registry) {
  const std::string name =
      detail::read_text(value, origin, "a scenario file path (relative to the calibration file) or 'default'");
  return detail::load_base_scenario(name, value.mark, value.path, origin, base_directory, registry);
}

std::size_t variant_index(Calibration& calibration, const std::vector<Variant>& all, const Located& value,
                          const Origin& origin) {
  const std::string name = detail::read_text(value, origin, "a variant name of the base scenario");
  for (std::size_t v = 0; v < calibration.base.variants.size(); ++v)
    if (calibration.base.variants[v].name == name) return v;
  std::vector<std::string> names;
  for (const auto& variant : all) {
    names.push_back(variant.name);
    if (variant.name == name) {
      calibration.base.variants.push_back(variant);
      return calibration.base.variants.size() - 1;
    }
  }
  std::string problem = "unknown variant " + double_quoted(detail::shortened(name)) + "; the base scenario has " +
                        detail::join(names, ", ");
  if (const auto guess = detail::closest_match(name, names)) problem += "; did you mean '" + *guess + "'?";
  origin.fail(value.mark, value.path, problem);
}

CalibrationParameter read_parameter(const Entry& entry, const ParamSchema& schema, const Origin& origin) {
  CalibrationParameter parameter;
  parameter.path = entry.name;
  const std::string path = "parameters." + entry.name;
  parameter.where = origin.at(entry.key_mark);
  const ParamSpec* spec = schema.find(parameter.path);
  if (spec == nullptr) {
    const auto guess = schema.suggest(parameter.path);
    origin.fail(entry.key_mark, path,
                "unknown parameter of the model" + (guess ? "; did you mean '" + *guess + "'?" : std::string()));
  }
  if (spec->type != ParamType::Real)
    origin.fail(entry.key_mark, path,
                "a " + to_string(spec->type) + " parameter cannot be calibrated; only real parameters can");
  parameter.unit = spec->unit;
  parameter.description = spec->description;
  const std::string range = detail::expected_text(*spec);
  const std::string finite = "the bounds of a prior must be finite";
  const Block prior(entry.value, located(entry, path).mark, path, origin, kPriorKeys,
                    "a prior: {prior: uniform|log_uniform|normal, ...}");
  const std::string kind = detail::read_name(prior.need("prior", "uniform, log_uniform or normal"), origin,
                                             {"uniform", "log_uniform", "normal"}, "uniform, log_uniform or normal");
  if (kind == "uniform" || kind == "log_uniform") {
    parameter.prior = kind == "uniform" ? PriorKind::Uniform : PriorKind::LogUniform;
    const Located bounds = prior.need("bounds", "[low, high]");
    std::tie(parameter.low, parameter.high) =
        detail::read_real_pair(bounds, origin, spec->minimum, spec->maximum, range, finite);
    if (parameter.prior == PriorKind::LogUniform && parameter.low <= 0.0)
      origin.fail(bounds.mark, bounds.path, "a log-uniform prior needs bounds above 0");
    prior.refuse("mean", "only a normal prior has a mean");
    prior.refuse("sd", "only a normal prior has an sd");
  } else {
    parameter.prior = PriorKind::Normal;
    parameter.mean = read_real(prior.need("mean", "the normal prior's mean"), origin, -kHuge, kHuge, "a real number");
    parameter.sd = read_positive(prior.need("sd", "the normal prior's standard deviation"), origin);
    parameter.low = spec->minimum;
    parameter.high = spec->maximum;
    if (const auto bounds = prior.value("bounds"))
      std::tie(parameter.low, parameter.high) =
          detail::read_real_pair(*bounds, origin, spec->minimum, spec->maximum, range, finite);
    if (!std::isfinite(parameter.low) || !std::isfinite(parameter.high))
      prior.fail("a normal prior needs finite bounds here (the schema's range is unbounded): add bounds");
  }
  return parameter;
}

// The index of the outcome `value` names among `names` ("summary" or "series" outcomes).
std::size_t outcome_index(const Located& value, const Origin& origin, const std::vector<std::string>& names,
                          const std::string& kind, std::string& outcome) {
  outcome = detail::read_text(value, origin, "a " + kind + " outcome of the model");
  const auto found = std::find(names.begin(), names.end(), outcome);
  if (found == names.end()) {
    const auto guess = detail::closest_match(outcome, names);
    origin.fail(value.mark, value.path,
                "unknown " + kind + " outcome " + double_quoted(detail::shortened(outcome)) +
                    (guess ? "; did you mean '" + *guess + "'?" : "; the model has " + detail::join(names, ", ")));
  }
  return static_cast<std::size_t>(found - names.begin());
}

CalibrationTarget read_target(Calibration& calibration, const std::vector<Variant>& all, const YAML::Node& item,
                              const YAML::Mark& list_mark, const std::string& path, const Origin& origin) {
  CalibrationTarget target;
  const YAML::Mark mark = item.IsDefined() && !item.IsNull() ? item.Mark() : list_mark;
  target.where = origin.at(mark);
  const Block keys(item, mark, path, origin, kTargetKeys, "a target: {summary: NAME | series: NAME, observed: X, ...}");
  const auto summary = keys.value("summary");
  const auto series = keys.value("series");
  if (summary.has_value() == series.has_value()) keys.fail("expected exactly one of 'summary' and 'series'");
  if (summary) {
    std::vector<std::string> names;
    for (const auto& s : calibration.layout.summaries) names.push_back(s.variable.name);
    target.index = outcome_index(*summary, origin, names, "summary", target.outcome);
    keys.refuse("statistic", "a summary is one value (statistic is for series)");
  } else {
    std::vector<std::string> names;
    for (const auto& s : calibration.layout.series) names.push_back(s.name);
    target.index = outcome_index(*series, origin, names, "series", target.outcome);
    const std::string word = detail::read_name(keys.need("statistic", "mean, final or max over the steps"), origin,
                                               {"mean", "final", "max"}, "mean, final or max");
    target.statistic = word == "mean" ? TargetStatistic::Mean : word == "final" ? TargetStatistic::Final : TargetStatistic::Max;
  }
  const auto observed = keys.value("observed");
  const auto interval = keys.value("interval");
  if (observed.has_value() == interval.has_value())
    keys.fail("expected exactly one of 'observed: VALUE' and 'interval: [LOW, HIGH]'");
  if (observed) target.observed = read_real(*observed, origin, -kHuge, kHuge, "a real number");
  if (interval) {
    target.interval = true;
    std::tie(target.low, target.high) =
        detail::read_real_pair(*interval, origin, -kHuge, kHuge, "a real number", "an interval must be finite");
    target.observed = 0.5 * (target.low + target.high);
  }
  if (const auto weight = keys.value("weight")) target.weight = read_positive(*weight, origin);
  if (const auto scale = keys.value("scale")) target.scale = read_positive(*scale, origin);
  if (const auto variant = keys.value("variant")) target.variant = variant_index(calibration, all, *variant, origin);
  if (const auto effect = keys.value("effect")) {
    target.effect = detail::read_boolean(*effect, origin);
    if (target.effect && target.variant == 0)
      origin.fail(effect->mark, effect->path,
                  "an effect needs 'variant: NAME' other than the base variant (it is that variant minus the base)");
  }
  target.name = target.outcome;
  if (target.statistic != TargetStatistic::Summary) target.name += "_" + to_string(target.statistic);
  if (target.variant != 0)
    target.name += (target.effect ? "_effect_" : "_") + calibration.base.variants[target.variant].name;
  if (const auto name = keys.value("name")) target.name = detail::read_text(*name, origin, "a name");
  return target;
}

using detail::fnv;

void read_abc(Calibration& c, const YAML::Node& node, const YAML::Mark& mark, const Origin& origin) {
  const Block abc(node, mark, "abc", origin, kAbcKeys, "a mapping of ABC settings");
  if (const auto v = abc.value("particles"))
    c.particles = static_cast<std::size_t>(detail::read_integer(*v, origin, 2, 1e7, "an integer in [2, 10000000]"));
  if (const auto v = abc.value("alpha")) c.alpha = read_real(*v, origin, 0.01, 0.99, "a real number in [0.01, 0.99]");
  if (const auto v = abc.value("tolerance")) c.tolerance = read_real(*v, origin, 0.0, kHuge, "a real number >= 0");
  if (const auto v = abc.value("min_acceptance"))
    c.min_acceptance = read_real(*v, origin, 0.0, 1.0, "a real number in [0, 1]");
  const auto budget = abc.value("max_runs");
  if (!budget)
    c.max_runs = c.first_batch() + 20 * c.batch();
  else if ((c.max_runs = static_cast<std::size_t>(detail::read_count(*budget, origin, 1e12))) < c.first_batch())
    origin.fail(budget->mark, budget->path,
                "the budget must cover generation 0's " + std::to_string(c.first_batch()) +
                    " particles (particles / alpha), found " + std::to_string(c.max_runs));
  const double simulations = static_cast<double>(c.max_runs) * static_cast<double>(c.simulations_per_particle());
  if (simulations > kMaxCalibrationSimulations)
    abc.fail("the budget allows up to " + std::to_string(c.max_runs) + " particles x " +
             std::to_string(c.simulations_per_particle()) + " simulations (variants x replications) = " +
             detail::shortest_real(simulations) + " simulations of " + std::to_string(c.steps) +
             " steps, more than the limit of " + detail::shortest_real(kMaxCalibrationSimulations) +
             "; lower abc.max_runs, particles or replications");
}

Calibration read_document(const YAML::Node& root, const std::string& text, const Origin& origin,
                          const std::string& base_directory, const ModelRegistry& registry) {
  Calibration c;
  c.source = origin.source;
  c.text = text;
  if (root.IsNull()) origin.fail("", "the calibration file is empty; expected base, parameters and targets");
  const Block top(root, root.Mark(), "", origin, kTopKeys,
                  "a mapping of calibration keys (base, parameters, targets, abc)");
  const Scenario scenario =
      load_base(top.need("base", "the scenario file (or 'default') to calibrate"), origin, base_directory, registry);
  const Model* model = registry.find(scenario.model);
  if (model == nullptr) throw OutputError("model '" + scenario.model + "' is not registered");
  c.model = scenario.model;
  c.base = scenario;
  c.base.variants.clear();
  c.base.output.agents = false;
  if (const auto variant = top.value("variant")) {
    Calibration probe;
    probe.base = scenario;
    probe.base.variants.clear();
    c.base.variants.push_back(scenario.variants[variant_index(probe, scenario.variants, *variant, origin)]);
  } else {
    c.base.variants.push_back(scenario.variants.front());
  }
  if (const auto d = top.value("description")) c.description = detail::read_text(*d, origin, "one line of text");
  // seed, steps and replications by the rules of a scenario's run: block.
  RunSettings run = scenario.run;
  for (const char* key : {"seed", "steps", "replications"})
    if (const Entry* entry = top.find(key)) detail::read_run_setting(*entry, origin, key, run);
  c.seed = run.seed;
  c.steps = static_cast<std::size_t>(run.steps);
  c.replications = static_cast<std::size_t>(run.replications);
  c.base.run.seed = c.seed;
  c.base.run.steps = static_cast<std::int64_t>(c.steps);
  c.base.run.replications = static_cast<std::int64_t>(c.replications);
  c.layout = model->layout(c.base.variants.front().parameters);

  const Located parameters = top.need("parameters", "the free parameters with their priors");
  if (!parameters.node.IsMap() || parameters.node.size() == 0)
    fail_expected(parameters, origin, "a mapping of parameter: {prior: ...} with at least one parameter");
  for (const auto& entry : detail::mapping_entries(parameters.node, origin, "parameters"))
    c.parameters.push_back(read_parameter(entry, model->schema(), origin));

  const Located targets = top.need("targets", "the observed values to fit");
  if (!targets.node.IsSequence() || targets.node.size() == 0)
    fail_expected(targets, origin, "a non-empty list of targets");
  for (std::size_t i = 0; i < targets.node.size(); ++i)
    c.targets.push_back(read_target(c, scenario.variants, targets.node[i], targets.mark,
                                     "targets[" + std::to_string(i) + "]", origin));
  for (std::size_t i = 0; i < c.targets.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (c.targets[i].name == c.targets[j].name)
        throw ScenarioError(c.targets[i].where, "targets[" + std::to_string(i) + "]",
                            "target name " + double_quoted(c.targets[i].name) + " repeats targets[" + std::to_string(j) +
                                "]'s; give one of them a 'name'");
  // A variant that sets a free parameter would silently win over the proposals.
  for (const auto& variant : c.base.variants)
    for (const auto& parameter : c.parameters)
      if (std::find(variant.overridden.begin(), variant.overridden.end(), parameter.path) != variant.overridden.end())
        throw ScenarioError(parameter.where, "parameters." + parameter.path,
                            "variant '" + variant.name + "' of the base scenario sets this parameter, so it cannot be "
                            "calibrated with that variant");
  if (const Entry* abc = top.find("abc"))
    read_abc(c, abc->value.IsNull() ? YAML::Node(YAML::NodeType::Map) : abc->value, abc->key_mark, origin);
  else
    read_abc(c, YAML::Node(YAML::NodeType::Map), YAML::Mark::null_mark(), origin);

  std::uint64_t hash = 0xcbf29ce484222325ULL;
  fnv(hash, "coordsim calibration format 1");
  fnv(hash, std::string(kVersion));
  fnv(hash, c.text);
  fnv(hash, c.base.resolved_yaml());
  for (const auto& variant : c.base.variants) fnv(hash, variant.name);
  c.hash = hash;
  return c;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

}  // namespace

std::string to_string(PriorKind kind) {
  switch (kind) {
    case PriorKind::Uniform: return "uniform";
    case PriorKind::LogUniform: return "log_uniform";
    case PriorKind::Normal: return "normal";
  }
  return "?";
}

std::string to_string(TargetStatistic statistic) {
  switch (statistic) {
    case TargetStatistic::Summary: return "summary";
    case TargetStatistic::Mean: return "mean";
    case TargetStatistic::Final: return "final";
    case TargetStatistic::Max: return "max";
  }
  return "?";
}

std::string CalibrationParameter::coordinate_name() const {
  std::string name = path;
  std::string out;
  for (const char ch : name) out += ch == '.' ? std::string("__") : std::string(1, ch);
  return out;
}

double CalibrationParameter::density(double x) const {
  if (!(x >= low && x <= high)) return 0.0;
  switch (prior) {
    case PriorKind::Uniform: return 1.0 / (high - low);
    case PriorKind::LogUniform: return 1.0 / (x * std::log(high / low));
    case PriorKind::Normal: {
      const double mass = normal_cdf((high - mean) / sd) - normal_cdf((low - mean) / sd);
      const double z = (x - mean) / sd;
      return std::exp(-0.5 * z * z) / (sd * std::sqrt(2.0 * M_PI) * mass);
    }
  }
  return 0.0;
}

double CalibrationParameter::sample(double u) const {
  double x = low;
  switch (prior) {
    case PriorKind::Uniform: x = low + u * (high - low); break;
    case PriorKind::LogUniform: x = low * std::exp(u * std::log(high / low)); break;
    case PriorKind::Normal: {
      const double a = normal_cdf((low - mean) / sd), b = normal_cdf((high - mean) / sd);
      x = mean + sd * standard_normal_quantile(a + u * (b - a));
      break;
    }
  }
  return std::clamp(x, low, high);
}

std::size_t Calibration::first_batch() const {
  return static_cast<std::size_t>(std::ceil(static_cast<double>(particles) / alpha - 1e-9));
}
std::size_t Calibration::batch() const { return std::max<std::size_t>(1, first_batch() - particles); }
std::size_t Calibration::max_generations() const { return 1 + (max_runs - first_batch()) / batch(); }
std::size_t Calibration::proposals_before(std::size_t generation) const {
  return generation == 0 ? 0 : first_batch() + (generation - 1) * batch();
}

std::uint64_t Calibration::particle_seed(std::size_t generation, std::size_t index) const {
  return sweep_point_seed(sweep_point_seed(seed ^ kGenerationStream, generation), index);
}

Sweep Calibration::generation_sweep(std::size_t generation, const std::vector<double>& values) const {
  Sweep sweep;
  sweep.source = source;
  sweep.text = text;
  sweep.model = model;
  sweep.seed = sweep_point_seed(seed ^ kGenerationStream, generation);
  sweep.replications = replications;
  sweep.steps = steps;
  sweep.fail_on_nan = "none";  // a NaN target value is judged by the calibration, not by the sweep
  sweep.base = base;
  sweep.layout = layout;
  const std::size_t k = parameters.size();
  sweep.runs = k == 0 ? 0 : values.size() / k;
  sweep.columns.assign(k, SweepColumn{});
  for (std::size_t i = 0; i < k; ++i) {
    SweepParameter p;
    p.path = parameters[i].path;
    p.type = ParamType::Real;
    p.generator = "bounds";
    p.low = parameters[i].low;
    p.high = parameters[i].high;
    sweep.parameters.push_back(p);
    sweep.columns[i].real.resize(sweep.runs);
    for (std::size_t run = 0; run < sweep.runs; ++run) sweep.columns[i].real[run] = values[run * k + i];
  }
  sweep.hash = hash;
  return sweep;
}

Calibration parse_calibration(const std::string& text, const std::string& source, const std::string& base_directory,
                              const ModelRegistry& registry) {
  const Origin origin{source};
  return detail::guarded(origin, "calibration file", [&] {
    detail::check_is_text(text, origin);
    return read_document(detail::load_single_document(text, origin), text, origin, base_directory, registry);
  });
}

Calibration load_calibration(const std::string& path, const ModelRegistry& registry) {
  const Origin origin{path};
  const std::string text = detail::guarded(origin, "calibration file", [&] {
    return detail::read_input_file(path, origin, "a calibration file");
  });
  return parse_calibration(text, path, fs::path(path).parent_path().string(), registry);
}

}  // namespace coordsim::sim
