// Calibration files: parsing and validation against the model's schema, priors, the particle
// seeds and the per-generation sweep. Every error is a ScenarioError naming file, line, column and
// key path. All YAML reading of calibration files lives in this file.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "coordsim/sim/calibration.hpp"
#include "coordsim/sim/model.hpp"
#include "coordsim/sim/rng.hpp"
#include "coordsim/sim/version.hpp"
#include "edit_distance.hpp"
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

// A YAML node with where it came from and its key path.
struct Node {
  YAML::Node value;
  YAML::Mark mark;
  std::string path;
};

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  SourceLocation at(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0) return SourceLocation{source_, 0, 0};
    return SourceLocation{source_, mark.line + 1, mark.column + 1};
  }
  [[noreturn]] void fail(const Node& node, const std::string& problem) const {
    throw ScenarioError(at(node.mark), node.path, problem);
  }
  static std::string found(const YAML::Node& node) {
    if (!node.IsDefined() || node.IsNull()) return "nothing";
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a mapping";
    return node.Tag() == "?" ? node.Scalar() : double_quoted(node.Scalar());
  }
  [[noreturn]] void expected(const Node& node, const std::string& what) const {
    fail(node, "expected " + what + ", found " + found(node.value));
  }

  // The entries of a mapping in file order; unknown and repeated keys are refused.
  std::vector<Node> entries(const Node& node, const std::vector<std::string>& known, const std::string& what) const {
    if (!node.value.IsMap()) expected(node, what);
    std::vector<Node> out;
    for (const auto& item : node.value) {
      const Node key{item.first, item.first.Mark(), node.path};
      if (!item.first.IsScalar()) expected(key, "a key name");
      const std::string& name = item.first.Scalar();
      const std::string path = node.path.empty() ? name : node.path + "." + name;
      for (const auto& seen : out)
        if (seen.path == path)
          fail(Node{item.first, item.first.Mark(), path},
               "duplicate key; first given at line " + std::to_string(seen.mark.line + 1));
      if (!known.empty() && std::find(known.begin(), known.end(), name) == known.end()) {
        const auto guess = detail::closest_match(name, known);
        fail(Node{item.first, item.first.Mark(), path},
             guess ? "unknown key; did you mean '" + *guess + "'?"
                   : "unknown key; expected one of " + detail::join(known, ", "));
      }
      out.push_back(Node{item.second, item.second.IsScalar() ? item.second.Mark() : item.first.Mark(), path});
    }
    return out;
  }

  static std::string key_of(const Node& node) {
    const auto dot = node.path.rfind('.');
    return dot == std::string::npos ? node.path : node.path.substr(dot + 1);
  }

  double real(const Node& node, double minimum, double maximum, const std::string& what) const {
    double number = 0.0;
    if (!node.value.IsScalar() || node.value.Tag() != "?" ||
        detail::parse_yaml_real(node.value.Scalar(), number) != detail::NumberParse::Ok || number < minimum ||
        number > maximum)
      expected(node, what);
    return number;
  }
  std::uint64_t count(const Node& node, std::uint64_t minimum, std::uint64_t maximum) const {
    std::uint64_t number = 0;
    const std::string what = "an integer in [" + std::to_string(minimum) + ", " + std::to_string(maximum) + "]";
    if (!node.value.IsScalar() || node.value.Tag() != "?" ||
        detail::parse_yaml_unsigned(node.value.Scalar(), number) != detail::NumberParse::Ok || number < minimum ||
        number > maximum)
      expected(node, what);
    return number;
  }
  bool boolean(const Node& node) const {
    if (node.value.IsScalar() && node.value.Tag() == "?") {
      if (detail::is_yaml_true(node.value.Scalar())) return true;
      if (detail::is_yaml_false(node.value.Scalar())) return false;
    }
    expected(node, "true or false");
  }
  std::string text(const Node& node, const std::string& what) const {
    if (!node.value.IsScalar() || node.value.Scalar().empty()) expected(node, what);
    return node.value.Scalar();
  }
  // [low, high] with low < high, both within [minimum, maximum].
  std::pair<double, double> pair(const Node& node, double minimum, double maximum, const std::string& what) const {
    if (!node.value.IsSequence() || node.value.size() != 2) expected(node, "[low, high]: " + what);
    const Node first{node.value[0], node.value[0].Mark(), node.path + "[0]"};
    const Node second{node.value[1], node.value[1].Mark(), node.path + "[1]"};
    const double low = real(first, minimum, maximum, what);
    const double high = real(second, minimum, maximum, what);
    if (!(low < high)) fail(second, "expected a value above " + detail::format_yaml_real(low) + ", found " + found(second.value));
    return {low, high};
  }

 private:
  std::string source_;
};

Scenario load_base(const Node& node, const Reader& reader, const std::string& base_directory,
                   const ModelRegistry& registry) {
  const std::string name = reader.text(node, "a scenario file path (relative to the calibration file) or 'default'");
  if (name == "default")
    return parse_scenario(registry.default_scenario_text(), registry.default_scenario_name(), registry);
  fs::path path(name);
  if (path.is_relative() && !base_directory.empty()) path = fs::path(base_directory) / path;
  std::error_code error;
  if (!fs::exists(path, error))
    reader.fail(node, "no such scenario file " + double_quoted(name) + " (looked for " + double_quoted(path.string()) + ")");
  return load_scenario(path.lexically_normal().string(), registry);
}

std::size_t variant_index(Calibration& calibration, const std::vector<Variant>& all, const Node& node,
                          const Reader& reader) {
  const std::string name = reader.text(node, "a variant name of the base scenario");
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
  std::string problem = "unknown variant " + double_quoted(name) + "; the base scenario has " + detail::join(names, ", ");
  if (const auto guess = detail::closest_match(name, names)) problem += "; did you mean '" + *guess + "'?";
  reader.fail(node, problem);
}

CalibrationParameter read_parameter(const Node& node, const ParamSchema& schema, const Reader& reader) {
  CalibrationParameter parameter;
  parameter.path = node.path.substr(std::string("parameters.").size());
  parameter.where = reader.at(node.mark);
  const ParamSpec* spec = schema.find(parameter.path);
  if (spec == nullptr) {
    const auto guess = schema.suggest(parameter.path);
    reader.fail(node, "unknown parameter of the model" + (guess ? "; did you mean '" + *guess + "'?" : std::string()));
  }
  if (spec->type != ParamType::Real)
    reader.fail(node, "a " + to_string(spec->type) + " parameter cannot be calibrated; only real parameters can");
  parameter.unit = spec->unit;
  parameter.description = spec->description;
  const std::string range = detail::expected_text(*spec);
  std::map<std::string, Node> keys;
  for (auto& entry : reader.entries(node, kPriorKeys, "a prior: {prior: uniform|log_uniform|normal, ...}"))
    keys.emplace(Reader::key_of(entry), entry);
  const auto need = [&](const char* key, const std::string& why) -> const Node& {
    const auto found = keys.find(key);
    if (found == keys.end()) reader.fail(node, std::string("missing '") + key + "': " + why);
    return found->second;
  };
  const auto refuse = [&](const char* key, const std::string& why) {
    if (const auto found = keys.find(key); found != keys.end()) reader.fail(found->second, "not allowed here: " + why);
  };
  const Node& prior = need("prior", "uniform, log_uniform or normal");
  const std::string kind = reader.text(prior, "uniform, log_uniform or normal");
  if (kind == "uniform" || kind == "log_uniform") {
    parameter.prior = kind == "uniform" ? PriorKind::Uniform : PriorKind::LogUniform;
    std::tie(parameter.low, parameter.high) =
        reader.pair(need("bounds", "[low, high]"), spec->minimum, spec->maximum, range);
    if (parameter.prior == PriorKind::LogUniform && parameter.low <= 0.0)
      reader.fail(keys.at("bounds"), "a log-uniform prior needs bounds above 0");
    refuse("mean", "only a normal prior has a mean");
    refuse("sd", "only a normal prior has an sd");
  } else if (kind == "normal") {
    parameter.prior = PriorKind::Normal;
    parameter.mean = reader.real(need("mean", "the normal prior's mean"), -1e300, 1e300, "a real number");
    parameter.sd = reader.real(need("sd", "the normal prior's standard deviation"), 1e-300, 1e300, "a real number > 0");
    parameter.low = spec->minimum;
    parameter.high = spec->maximum;
    if (const auto bounds = keys.find("bounds"); bounds != keys.end())
      std::tie(parameter.low, parameter.high) = reader.pair(bounds->second, spec->minimum, spec->maximum, range);
    if (!std::isfinite(parameter.low) || !std::isfinite(parameter.high))
      reader.fail(node, "a normal prior needs finite bounds here (the schema's range is unbounded): add bounds");
  } else {
    const auto guess = detail::closest_match(kind, {"uniform", "log_uniform", "normal"});
    reader.fail(prior, "expected uniform, log_uniform or normal, found " + Reader::found(prior.value) +
                           (guess ? "; did you mean '" + *guess + "'?" : std::string()));
  }
  return parameter;
}

CalibrationTarget read_target(Calibration& calibration, const std::vector<Variant>& all, const Node& node,
                              const Reader& reader) {
  CalibrationTarget target;
  target.where = reader.at(node.mark);
  std::map<std::string, Node> keys;
  for (auto& entry : reader.entries(node, kTargetKeys, "a target: {summary: NAME | series: NAME, observed: X, ...}"))
    keys.emplace(Reader::key_of(entry), entry);
  const auto find = [&](const char* key) -> const Node* {
    const auto found = keys.find(key);
    return found == keys.end() ? nullptr : &found->second;
  };
  const Node* summary = find("summary");
  const Node* series = find("series");
  if ((summary == nullptr) == (series == nullptr)) reader.fail(node, "expected exactly one of 'summary' and 'series'");
  if (summary != nullptr) {
    target.outcome = reader.text(*summary, "a summary outcome of the model");
    std::vector<std::string> names;
    for (const auto& s : calibration.layout.summaries) names.push_back(s.variable.name);
    const auto found = std::find(names.begin(), names.end(), target.outcome);
    if (found == names.end()) {
      const auto guess = detail::closest_match(target.outcome, names);
      reader.fail(*summary, "unknown summary outcome " + double_quoted(target.outcome) +
                                (guess ? "; did you mean '" + *guess + "'?" : "; the model has " + detail::join(names, ", ")));
    }
    target.index = static_cast<std::size_t>(found - names.begin());
    if (const Node* statistic = find("statistic"))
      reader.fail(*statistic, "not allowed here: a summary is one value (statistic is for series)");
  } else {
    target.outcome = reader.text(*series, "a series outcome of the model");
    std::vector<std::string> names;
    for (const auto& s : calibration.layout.series) names.push_back(s.name);
    const auto found = std::find(names.begin(), names.end(), target.outcome);
    if (found == names.end()) {
      const auto guess = detail::closest_match(target.outcome, names);
      reader.fail(*series, "unknown series outcome " + double_quoted(target.outcome) +
                               (guess ? "; did you mean '" + *guess + "'?" : "; the model has " + detail::join(names, ", ")));
    }
    target.index = static_cast<std::size_t>(found - names.begin());
    const Node* statistic = find("statistic");
    if (statistic == nullptr) reader.fail(node, "missing 'statistic': mean, final or max over the steps");
    const std::string word = reader.text(*statistic, "mean, final or max");
    if (word == "mean") target.statistic = TargetStatistic::Mean;
    else if (word == "final") target.statistic = TargetStatistic::Final;
    else if (word == "max") target.statistic = TargetStatistic::Max;
    else reader.expected(*statistic, "mean, final or max");
  }
  const Node* observed = find("observed");
  const Node* interval = find("interval");
  if ((observed == nullptr) == (interval == nullptr))
    reader.fail(node, "expected exactly one of 'observed: VALUE' and 'interval: [LOW, HIGH]'");
  if (observed != nullptr) target.observed = reader.real(*observed, -1e300, 1e300, "a real number");
  if (interval != nullptr) {
    target.interval = true;
    std::tie(target.low, target.high) = reader.pair(*interval, -1e300, 1e300, "real numbers");
    target.observed = 0.5 * (target.low + target.high);
  }
  if (const Node* weight = find("weight")) target.weight = reader.real(*weight, 1e-300, 1e300, "a real number > 0");
  if (const Node* scale = find("scale")) target.scale = reader.real(*scale, 1e-300, 1e300, "a real number > 0");
  if (const Node* variant = find("variant")) target.variant = variant_index(calibration, all, *variant, reader);
  if (const Node* effect = find("effect")) {
    target.effect = reader.boolean(*effect);
    if (target.effect && target.variant == 0)
      reader.fail(*effect, "an effect needs 'variant: NAME' other than the base variant (it is that variant minus the base)");
  }
  target.name = target.outcome;
  if (target.statistic != TargetStatistic::Summary) target.name += "_" + to_string(target.statistic);
  if (target.variant != 0)
    target.name += (target.effect ? "_effect_" : "_") + calibration.base.variants[target.variant].name;
  if (const Node* name = find("name")) target.name = reader.text(*name, "a name");
  return target;
}

void fnv(std::uint64_t& hash, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= bytes[i];
    hash *= 0x100000001b3ULL;
  }
}
void fnv(std::uint64_t& hash, const std::string& text) {
  const std::uint64_t size = text.size();
  fnv(hash, &size, sizeof size);
  fnv(hash, text.data(), text.size());
}

void read_abc(Calibration& c, const Node& node, const Reader& reader) {
  Node budget;
  for (const auto& entry : reader.entries(node, kAbcKeys, "a mapping of ABC settings")) {
    const std::string key = Reader::key_of(entry);
    if (key == "particles") c.particles = reader.count(entry, 2, 10'000'000);
    if (key == "alpha") c.alpha = reader.real(entry, 0.01, 0.99, "a real number in [0.01, 0.99]");
    if (key == "tolerance") c.tolerance = reader.real(entry, 0.0, 1e300, "a real number >= 0");
    if (key == "min_acceptance") c.min_acceptance = reader.real(entry, 0.0, 1.0, "a real number in [0, 1]");
    if (key == "max_runs") {
      c.max_runs = reader.count(entry, 1, 1'000'000'000'000ULL);
      budget = entry;
    }
  }
  if (budget.path.empty())
    c.max_runs = c.first_batch() + 20 * c.batch();
  else if (c.max_runs < c.first_batch())
    reader.fail(budget, "the budget must cover generation 0's " + std::to_string(c.first_batch()) +
                            " particles (particles / alpha), found " + std::to_string(c.max_runs));
  const double simulations = static_cast<double>(c.max_runs) * static_cast<double>(c.simulations_per_particle());
  if (simulations > kMaxCalibrationSimulations)
    reader.fail(node, "the budget allows up to " + std::to_string(c.max_runs) + " particles x " +
                          std::to_string(c.simulations_per_particle()) + " simulations (variants x replications) = " +
                          detail::shortest_real(simulations) + " simulations of " + std::to_string(c.steps) +
                          " steps, more than the limit of " + detail::shortest_real(kMaxCalibrationSimulations) +
                          "; lower abc.max_runs, particles or replications");
}

Calibration read_document(const std::string& text, const std::string& source, const std::string& base_directory,
                          const ModelRegistry& registry) {
  const Reader reader(source);
  Calibration c;
  c.source = source;
  c.text = text;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    throw ScenarioError(reader.at(error.mark), "", "invalid YAML: " + error.msg);
  }
  const Node document{root, YAML::Mark::null_mark(), ""};
  std::map<std::string, Node> keys;
  for (auto& entry : reader.entries(document, kTopKeys, "a mapping of calibration keys (base, parameters, targets, abc)"))
    keys.emplace(entry.path, entry);
  const auto need = [&](const char* key, const char* what) -> const Node& {
    const auto found = keys.find(key);
    if (found == keys.end()) reader.fail(document, std::string("missing '") + key + "': " + what);
    return found->second;
  };
  const auto find = [&](const char* key) -> const Node* {
    const auto found = keys.find(key);
    return found == keys.end() ? nullptr : &found->second;
  };
  const Scenario scenario = load_base(need("base", "the scenario file (or 'default') to calibrate"), reader,
                                      base_directory, registry);
  const Model* model = registry.find(scenario.model);
  if (model == nullptr) throw OutputError("model '" + scenario.model + "' is not registered");
  c.model = scenario.model;
  c.base = scenario;
  c.base.variants.clear();
  c.base.output.agents = false;
  if (const Node* variant = find("variant")) {
    Calibration probe;
    probe.base = scenario;
    probe.base.variants.clear();
    c.base.variants.push_back(scenario.variants[variant_index(probe, scenario.variants, *variant, reader)]);
  } else {
    c.base.variants.push_back(scenario.variants.front());
  }
  if (const Node* d = find("description")) c.description = reader.text(*d, "one line of text");
  c.seed = scenario.run.seed;
  c.replications = static_cast<std::size_t>(scenario.run.replications);
  c.steps = static_cast<std::size_t>(scenario.run.steps);
  if (const Node* seed = find("seed")) c.seed = reader.count(*seed, 0, ~std::uint64_t{0});
  if (const Node* steps = find("steps")) c.steps = reader.count(*steps, 1, 1'000'000'000);
  if (const Node* r = find("replications")) c.replications = reader.count(*r, 1, 1'000'000);
  c.base.run.seed = c.seed;
  c.base.run.steps = static_cast<std::int64_t>(c.steps);
  c.base.run.replications = static_cast<std::int64_t>(c.replications);
  c.layout = model->layout(c.base.variants.front().parameters);

  const Node& parameters = need("parameters", "the free parameters with their priors");
  for (const auto& entry : reader.entries(parameters, {}, "a mapping of parameter: {prior: ...}"))
    c.parameters.push_back(read_parameter(entry, model->schema(), reader));
  if (c.parameters.empty()) reader.expected(parameters, "at least one parameter");

  const Node& targets = need("targets", "the observed values to fit");
  if (!targets.value.IsSequence() || targets.value.size() == 0) reader.expected(targets, "a non-empty list of targets");
  for (std::size_t i = 0; i < targets.value.size(); ++i) {
    const YAML::Node item = targets.value[i];
    c.targets.push_back(
        read_target(c, scenario.variants, Node{item, item.Mark(), "targets[" + std::to_string(i) + "]"}, reader));
  }
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
  if (const Node* abc = find("abc"))
    read_abc(c, *abc, reader);
  else
    read_abc(c, Node{YAML::Node(YAML::NodeType::Map), YAML::Mark::null_mark(), "abc"}, reader);

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
  return read_document(text, source, base_directory, registry);
}

Calibration load_calibration(const std::string& path, const ModelRegistry& registry) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(SourceLocation{path, 0, 0}, "", "cannot read the calibration file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string directory = fs::path(path).parent_path().string();
  return parse_calibration(buffer.str(), path, directory, registry);
}

}  // namespace coordsim::sim
