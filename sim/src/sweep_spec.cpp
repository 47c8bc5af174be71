// Sweep files: parsing, validation against the model's schema, and the designs (grid, Latin
// hypercube, Saltelli). Errors are ScenarioErrors naming file, line, column and key path, like
// scenario files; nothing here writes anything.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>

#include "coordsim/sim/model.hpp"
#include "coordsim/sim/rng.hpp"
#include "coordsim/sim/runner.hpp"
#include "coordsim/sim/sweep.hpp"
#include "coordsim/sim/version.hpp"
#include "edit_distance.hpp"
#include "fnv_hash.hpp"
#include "yaml_reader.hpp"
#include "yaml_util.hpp"

namespace coordsim::sim {
namespace {

namespace fs = std::filesystem;
using detail::double_quoted;
using detail::Entry;
using detail::found_text;
using detail::join_path;
using detail::Located;
using detail::located;
using detail::mapping_entries;
using detail::Origin;
using detail::read_integer;
using detail::read_real;
using detail::required_mapping;
using detail::shortened;
using detail::unknown_key_problem;

// Designs larger than this are almost surely a mistake (and would not fit a run index in memory).
constexpr std::size_t kMaxRuns = std::size_t{1} << 31;
constexpr std::uint64_t kDesignPurpose = 0x5157'4545'5044'4553ULL;

const std::vector<std::string> kTopLevelKeys = {"base",      "description", "design",   "samples", "replications",
                                                "seed",      "steps",       "variants", "output",  "parameters", "fail_on_nan",
                                                "trajectories", "levels"};
const std::vector<std::string> kGeneratorKeys = {"values", "linspace", "logspace", "range", "bounds"};

// A count in [1, maximum] (samples, replications, steps, agent_every, num).
std::size_t read_size(const Located& value, const Origin& origin, double maximum) {
  return static_cast<std::size_t>(detail::read_count(value, origin, maximum));
}

// The ends of linspace, logspace and bounds: finite whatever the parameter's range allows.
double read_finite(const Located& value, const Origin& origin, double minimum, double maximum,
                   const std::string& expected) {
  return detail::read_finite_real(value, origin, minimum, maximum, expected, "the ends of a design must be finite");
}

// --- parameters ------------------------------------------------------------------------------

// A value of `spec`'s type read from the sweep file, by the rules of a scenario file.
ParamValue read_value(const ParamSpec& spec, const Located& value, const Origin& origin) {
  if (spec.type == ParamType::RealList)
    origin.fail(value.mark, value.path, "a " + to_string(spec.type) + " parameter cannot be varied by a sweep");
  return detail::read_parameter_value(spec, value, origin);
}

bool same_value(const ParamValue& a, const ParamValue& b) { return a == b; }

class ParameterReader {
 public:
  ParameterReader(const Model& model, const Origin& origin, SweepDesign design)
      : model_(model), schema_(model.schema()), origin_(origin), design_(design) {}

  void read_block(const Entry& entry, const std::string& block, std::vector<SweepParameter>& out) const {
    const std::string key = join_path("parameters", block);
    for (const auto& item : required_mapping(entry, origin_, key, "a mapping of parameters to vary"))
      read_entry(join_path(block, item.name), block, item, out);
  }

 private:
  void read_entry(const std::string& path, const std::string& block, const Entry& entry,
                  std::vector<SweepParameter>& out) const {
    if (const ParamSpec* spec = schema_.find(path)) {
      for (const auto& earlier : out)
        if (earlier.path == path)
          origin_.fail(entry.key_mark, key(path),
                       "parameter given twice; first given at line " + std::to_string(earlier.where.line));
      out.push_back(read_parameter(*spec, entry));
    } else if (schema_.is_block(path)) {
      read_block(entry, path, out);
    } else {
      origin_.fail(entry.key_mark, key(path), detail::unknown_parameter_problem(model_, path, block));
    }
  }

  std::string key(const std::string& path) const { return join_path("parameters", path); }

  SweepParameter read_parameter(const ParamSpec& spec, const Entry& entry) const {
    SweepParameter parameter;
    parameter.path = spec.path;
    parameter.type = spec.type;
    parameter.choices = spec.choices;
    parameter.unit = spec.unit;
    parameter.description = spec.description;
    parameter.where = origin_.at(entry.key_mark);
    const std::string path = key(spec.path);
    if (spec.type == ParamType::RealList)
      origin_.fail(entry.key_mark, path, "a list parameter cannot be varied by a sweep; vary a scalar parameter");
    const auto items = required_mapping(entry, origin_, path,
                                        "a mapping with one of values, linspace, logspace, range (grid) or "
                                        "bounds (lhs, saltelli)");
    if (items.empty())
      origin_.fail(entry.key_mark, path, "expected one of values, linspace, logspace, range or bounds, found none");
    for (const auto& item : items)
      if (std::find(kGeneratorKeys.begin(), kGeneratorKeys.end(), item.name) == kGeneratorKeys.end())
        origin_.fail(item.key_mark, join_path(path, item.name), unknown_key_problem(item.name, kGeneratorKeys));
    if (items.size() > 1)
      origin_.fail(items[1].key_mark, join_path(path, items[1].name),
                   "give one of values, linspace, logspace, range or bounds, not both '" + items[0].name + "' and '" +
                       items[1].name + "'");
    const Entry& generator = items.front();
    parameter.generator = generator.name;
    const std::string generator_path = join_path(path, generator.name);
    const bool sampled = design_ != SweepDesign::Grid;
    if (sampled && generator.name != "bounds")
      origin_.fail(generator.key_mark, generator_path,
                   "a " + to_string(design_) + " design samples each parameter within 'bounds: [low, high]'; " +
                       generator.name + " is for grid designs");
    if (!sampled && generator.name == "bounds")
      origin_.fail(generator.key_mark, generator_path,
                   "bounds are for lhs and saltelli designs; a grid needs values, linspace, logspace or range");
    if (generator.name == "values") read_values(spec, generator, generator_path, parameter);
    if (generator.name == "linspace" || generator.name == "logspace")
      read_spaced(spec, generator, generator_path, parameter);
    if (generator.name == "range") read_range(spec, generator, generator_path, parameter);
    if (generator.name == "bounds") read_bounds(spec, generator, generator_path, parameter);
    return parameter;
  }

  void add_level(SweepParameter& parameter, ParamValue value, const YAML::Mark& mark, const std::string& path) const {
    for (const auto& level : parameter.levels)
      if (same_value(level, value)) origin_.fail(mark, path, "value " + format_value(value) + " given twice");
    parameter.levels.push_back(std::move(value));
  }

  void read_values(const ParamSpec& spec, const Entry& entry, const std::string& path, SweepParameter& parameter) const {
    if (!entry.value.IsSequence() || entry.value.size() == 0)
      detail::fail_expected(located(entry, path), origin_, "a non-empty list of " + detail::expected_text(spec));
    std::size_t index = 0;
    for (const auto& element : entry.value) {
      const Located value = located(element, entry.key_mark, path + "[" + std::to_string(index++) + "]");
      add_level(parameter, read_value(spec, value, origin_), value.mark, value.path);
    }
  }

  // linspace / logspace: {start, stop, num}; start and stop are values, not exponents.
  void read_spaced(const ParamSpec& spec, const Entry& entry, const std::string& path, SweepParameter& parameter) const {
    const bool log = entry.name == "logspace";
    if (spec.type != ParamType::Real && spec.type != ParamType::Integer)
      origin_.fail(entry.key_mark, path,
                   entry.name + " needs a numeric parameter; this one is " + to_string(spec.type) + " (use values)");
    const auto items = required_mapping(entry, origin_, path, "a mapping {start, stop, num}");
    const Entry* start = nullptr;
    const Entry* stop = nullptr;
    const Entry* num = nullptr;
    for (const auto& item : items) {
      if (item.name == "start") start = &item;
      else if (item.name == "stop") stop = &item;
      else if (item.name == "num") num = &item;
      else origin_.fail(item.key_mark, join_path(path, item.name), unknown_key_problem(item.name, {"start", "stop", "num"}));
    }
    for (const auto& [name, item] : {std::pair{"start", start}, std::pair{"stop", stop}, std::pair{"num", num}})
      if (item == nullptr) origin_.fail(entry.key_mark, join_path(path, name), "missing; expected {start, stop, num}");
    ParamSpec range_spec = spec;
    range_spec.type = ParamType::Real;
    if (log) range_spec.minimum = std::max(spec.minimum, std::numeric_limits<double>::denorm_min());
    const std::string expected =
        log ? detail::expected_text(range_spec) + " and > 0 (logspace bounds are values, not exponents)"
            : detail::expected_text(range_spec);
    const double a = read_finite(located(*start, join_path(path, "start")), origin_, range_spec.minimum, spec.maximum,
                               expected);
    const double b = read_finite(located(*stop, join_path(path, "stop")), origin_, range_spec.minimum, spec.maximum,
                               expected);
    const std::size_t n = read_size(located(*num, join_path(path, "num")), origin_, 1e8);
    for (std::size_t i = 0; i < n; ++i) {
      const double t = n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1);
      double x = log ? a * std::pow(b / a, t) : a + (b - a) * t;
      if (i + 1 == n) x = b;  // exact end point
      x = std::clamp(x, std::min(a, b), std::max(a, b));
      if (spec.type == ParamType::Integer) {
        const double rounded = std::round(x);
        if (std::fabs(x - rounded) > 1e-9 * std::max(1.0, std::fabs(x)))
          origin_.fail(entry.key_mark, path,
                       entry.name + " gives " + detail::shortest_real(x) +
                           ", not an integer; integer parameters need integer values (use range or values)");
        add_level(parameter, static_cast<std::int64_t>(rounded), entry.key_mark, path);
      } else {
        add_level(parameter, x, entry.key_mark, path);
      }
    }
  }

  // range: {start, stop, step} for integers; stop is included when start + k*step reaches it.
  void read_range(const ParamSpec& spec, const Entry& entry, const std::string& path, SweepParameter& parameter) const {
    if (spec.type != ParamType::Integer)
      origin_.fail(entry.key_mark, path,
                   "range is for integer parameters; this one is " + to_string(spec.type) + " (use linspace or values)");
    const auto items = required_mapping(entry, origin_, path, "a mapping {start, stop, step}");
    std::map<std::string, std::int64_t> got;
    const std::string expected = detail::expected_text(spec);
    for (const auto& item : items) {
      const std::string item_path = join_path(path, item.name);
      if (item.name == "start" || item.name == "stop")
        got[item.name] = read_integer(located(item, item_path), origin_, spec.minimum, spec.maximum, expected);
      else if (item.name == "step")
        got[item.name] = read_integer(located(item, item_path), origin_, -9.2e18, 9.2e18, "a non-zero integer");
      else
        origin_.fail(item.key_mark, item_path, unknown_key_problem(item.name, {"start", "stop", "step"}));
    }
    for (const char* name : {"start", "stop"})
      if (!got.count(name)) origin_.fail(entry.key_mark, join_path(path, name), "missing; expected {start, stop, step}");
    const std::int64_t start = got["start"], stop = got["stop"];
    const std::int64_t step = got.count("step") ? got["step"] : (stop >= start ? 1 : -1);
    const auto step_item = std::find_if(items.begin(), items.end(), [](const Entry& e) { return e.name == "step"; });
    const YAML::Mark step_mark = step_item != items.end() ? step_item->value.Mark() : entry.key_mark;
    if (step == 0 || (stop - start) / step < 0 || (stop != start && (stop > start) != (step > 0)))
      origin_.fail(step_mark, join_path(path, "step"),
                   "expected a non-zero step leading from start " + std::to_string(start) + " to stop " +
                       std::to_string(stop) + ", found " + std::to_string(step));
    const std::uint64_t count = static_cast<std::uint64_t>((stop - start) / step) + 1;
    if (count > 100000000ULL) origin_.fail(entry.key_mark, path, "range gives more than 100000000 values");
    for (std::uint64_t i = 0; i < count; ++i)
      parameter.levels.push_back(static_cast<std::int64_t>(start + static_cast<std::int64_t>(i) * step));
  }

  void read_bounds(const ParamSpec& spec, const Entry& entry, const std::string& path, SweepParameter& parameter) const {
    if (spec.type != ParamType::Real && spec.type != ParamType::Integer)
      origin_.fail(entry.key_mark, path,
                   "lhs and saltelli designs sample numeric parameters; this one is " + to_string(spec.type));
    if (!entry.value.IsSequence() || entry.value.size() != 2)
      detail::fail_expected(located(entry, path), origin_, "[low, high]",
                            entry.value.IsSequence() ? " of " + std::to_string(entry.value.size()) + " values" : "");
    double bound[2] = {0.0, 0.0};
    for (std::size_t i = 0; i < 2; ++i) {
      const Located s = located(entry.value[i], entry.key_mark, path + "[" + std::to_string(i) + "]");
      bound[i] = spec.type == ParamType::Integer
                     ? static_cast<double>(read_integer(s, origin_, spec.minimum, spec.maximum, detail::expected_text(spec)))
                     : read_finite(s, origin_, spec.minimum, spec.maximum, detail::expected_text(spec));
    }
    if (!(bound[0] < bound[1]))
      origin_.fail(located(entry.value[1], entry.key_mark, "").mark, path + "[1]",
                   "expected high > low (" + detail::shortest_real(bound[0]) + "), found " +
                       detail::shortest_real(bound[1]));
    parameter.low = bound[0];
    parameter.high = bound[1];
  }

  const Model& model_;
  const ParamSchema& schema_;
  const Origin& origin_;
  SweepDesign design_;
};

// --- the document ----------------------------------------------------------------------------

Scenario load_base(const Entry& entry, const Origin& origin, const std::string& base_directory,
                   const ModelRegistry& registry) {
  if (!entry.value.IsScalar() || entry.value.Scalar().empty())
    detail::fail_expected(located(entry, "base"), origin,
                          "a scenario file path (relative to the sweep file) or 'default'");
  return detail::load_base_scenario(entry.value.Scalar(), entry.value.Mark(), "base", origin, base_directory,
                                    registry);
}

std::vector<Variant> select_variants(const Entry& entry, const Origin& origin, const Scenario& base) {
  std::vector<std::string> names;
  for (const auto& v : base.variants) names.push_back(v.name);
  std::vector<Variant> chosen;
  if (entry.value.IsScalar()) {  // a single name
    YAML::Node list(YAML::NodeType::Sequence);
    list.push_back(entry.value);
    return select_variants(Entry{entry.name, entry.key_mark, list}, origin, base);
  }
  if (!entry.value.IsSequence() || entry.value.size() == 0)
    detail::fail_expected(located(entry, "variants"), origin,
                          "a non-empty list of variant names of the base scenario (" + detail::join(names, ", ") + ")");
  std::size_t index = 0;
  for (const auto& item : entry.value) {
    const std::string path = "variants[" + std::to_string(index++) + "]";
    const YAML::Mark mark = located(item, entry.key_mark, path).mark;
    if (!item.IsScalar()) origin.fail(mark, path, "expected a variant name, found " + found_text(item));
    const auto found = std::find(names.begin(), names.end(), item.Scalar());
    if (found == names.end()) {
      std::string problem = "unknown variant " + double_quoted(shortened(item.Scalar())) + "; the base scenario has " +
                            detail::join(names, ", ");
      if (const auto guess = detail::closest_match(item.Scalar(), names)) problem += "; did you mean '" + *guess + "'?";
      origin.fail(mark, path, problem);
    }
    for (const auto& v : chosen)
      if (v.name == item.Scalar()) origin.fail(mark, path, "variant " + double_quoted(v.name) + " given twice");
    chosen.push_back(base.variants[static_cast<std::size_t>(found - names.begin())]);
  }
  return chosen;
}

using detail::fnv;

// Everything that determines the result file's datasets and attributes.
std::uint64_t sweep_identity(const Sweep& sweep) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  fnv(hash, "coordsim sweep format 1");
  fnv(hash, std::string(kVersion));
  fnv(hash, sweep.text);
  fnv(hash, sweep.base.resolved_yaml());
  for (const auto& variant : sweep.base.variants) fnv(hash, variant.name);
  fnv(hash, sweep.fail_on_nan);
  const std::uint64_t numbers[] = {static_cast<std::uint64_t>(sweep.design), sweep.samples, sweep.seed,
                                   sweep.replications, sweep.steps, sweep.agents ? 1u : 0u, sweep.agent_every,
                                   sweep.runs};
  fnv(hash, numbers, sizeof numbers);
  for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
    fnv(hash, sweep.parameters[i].path);
    const auto& column = sweep.columns[i];
    fnv(hash, column.real.data(), column.real.size() * sizeof(double));
    fnv(hash, column.integer.data(), column.integer.size() * sizeof(std::int64_t));
    fnv(hash, column.choice.data(), column.choice.size() * sizeof(std::uint32_t));
  }
  for (const auto& spec : sweep.layout.series) fnv(hash, spec.name);
  for (const auto& spec : sweep.layout.summaries) fnv(hash, spec.variable.name);
  for (const auto& kind : sweep.layout.agent_kinds) {
    fnv(hash, kind.kind);
    const std::uint64_t count = kind.count;
    fnv(hash, &count, sizeof count);
  }
  return hash;
}

// Morris designs (sim/src/morris_design.cpp): `trajectories: R` (stored as samples) and
// `levels: P` (default 4, even).
void read_morris_keys(Sweep& sweep, const Entry* trajectories, const Entry* levels, const Origin& origin,
                      const YAML::Mark& design_mark) {
  if (sweep.design != SweepDesign::Morris) {
    for (const Entry* e : {trajectories, levels})
      if (e != nullptr) origin.fail(e->key_mark, e->name, e->name + " is for morris designs");
    return;
  }
  if (trajectories == nullptr) origin.fail(design_mark, "trajectories", "missing; a morris design needs 'trajectories: R'");
  sweep.samples = read_size(located(*trajectories, "trajectories"), origin, static_cast<double>(kMaxRuns));
  if (levels == nullptr) {
    sweep.morris_levels = 4;
    return;
  }
  const Located value = located(*levels, "levels");
  sweep.morris_levels =
      static_cast<std::size_t>(detail::read_integer(value, origin, 2, 1000, "an even integer in [2, 1000]"));
  if (sweep.morris_levels % 2 != 0)
    detail::fail_expected(value, origin, "an even integer in [2, 1000] (so that every level pair is equally likely)");
}

template <typename Allocate, typename Store>
void build_morris_points(Sweep& sweep, const Allocate& allocate, const Store& store_unit, const Origin& origin,
                         const YAML::Mark& design_mark) {
  const std::size_t k = sweep.parameters.size();
  if (sweep.samples > kMaxRuns / (k + 1))
    origin.fail(design_mark, "trajectories", "the Morris design has more than " + std::to_string(kMaxRuns) + " points");
  const std::size_t runs = sweep.samples * (k + 1);
  allocate(runs);
  const auto unit = morris_design(sweep.samples, k, sweep.morris_levels, sweep.seed);
  sweep.morris_trajectory.resize(runs);
  sweep.morris_step.resize(runs);
  for (std::size_t p = 0; p < runs; ++p) {
    sweep.morris_trajectory[p] = static_cast<std::int64_t>(p / (k + 1));
    sweep.morris_step[p] = static_cast<std::int64_t>(p % (k + 1));
    for (std::size_t i = 0; i < k; ++i) store_unit(p, i, unit[p * k + i]);
  }
}

// Fills the columns from the design.
void build_points(Sweep& sweep, const Origin& origin, const YAML::Mark& design_mark) {
  const std::size_t k = sweep.parameters.size();
  sweep.columns.assign(k, SweepColumn{});
  const auto store_unit = [&](std::size_t p, std::size_t i, double u) {
    const auto& parameter = sweep.parameters[i];
    auto& column = sweep.columns[i];
    if (parameter.type == ParamType::Integer) {
      // Uniform over the integers low..high: floor on the widened interval [low, high + 1).
      const double x = std::floor(parameter.low + u * (parameter.high - parameter.low + 1.0));
      column.integer[p] = static_cast<std::int64_t>(std::min(x, parameter.high));
    } else {
      column.real[p] = std::min(parameter.low + u * (parameter.high - parameter.low), parameter.high);
    }
  };
  const auto allocate = [&](std::size_t runs) {
    sweep.runs = runs;
    for (std::size_t i = 0; i < k; ++i) {
      const auto type = sweep.parameters[i].type;
      if (type == ParamType::Real) sweep.columns[i].real.resize(runs);
      if (type == ParamType::Integer || type == ParamType::Boolean) sweep.columns[i].integer.resize(runs);
      if (type == ParamType::Choice) sweep.columns[i].choice.resize(runs);
    }
  };

  if (sweep.design == SweepDesign::Grid) {
    std::vector<std::size_t> sizes;
    std::size_t runs = 1;
    for (const auto& parameter : sweep.parameters) {
      sizes.push_back(parameter.levels.size());
      if (runs > kMaxRuns / parameter.levels.size())
        origin.fail(design_mark, "design", "the grid has more than " + std::to_string(kMaxRuns) + " points");
      runs *= parameter.levels.size();
    }
    allocate(runs);
    for (std::size_t p = 0; p < runs; ++p) {
      const auto index = grid_point(p, sizes);
      for (std::size_t i = 0; i < k; ++i) {
        const ParamValue& level = sweep.parameters[i].levels[index[i]];
        auto& column = sweep.columns[i];
        switch (sweep.parameters[i].type) {
          case ParamType::Real: column.real[p] = std::get<double>(level); break;
          case ParamType::Integer: column.integer[p] = std::get<std::int64_t>(level); break;
          case ParamType::Boolean: column.integer[p] = std::get<bool>(level) ? 1 : 0; break;
          case ParamType::Choice: {
            const auto& choices = sweep.parameters[i].choices;
            column.choice[p] = static_cast<std::uint32_t>(
                std::find(choices.begin(), choices.end(), std::get<std::string>(level)) - choices.begin());
            break;
          }
          case ParamType::RealList: break;
        }
      }
    }
  } else if (sweep.design == SweepDesign::Lhs) {
    allocate(sweep.samples);
    const auto unit = latin_hypercube(sweep.samples, k, sweep.seed, 0);
    for (std::size_t p = 0; p < sweep.samples; ++p)
      for (std::size_t i = 0; i < k; ++i) store_unit(p, i, unit[p * k + i]);
  } else if (sweep.design == SweepDesign::Morris) {
    build_morris_points(sweep, allocate, store_unit, origin, design_mark);
  } else {
    if (sweep.samples > kMaxRuns / (k + 2))
      origin.fail(design_mark, "samples", "the Saltelli design has more than " + std::to_string(kMaxRuns) + " points");
    const std::size_t runs = sweep.samples * (k + 2);
    allocate(runs);
    const auto unit = saltelli_design(sweep.samples, k, sweep.seed);
    sweep.saltelli_block.resize(runs);
    sweep.saltelli_row.resize(runs);
    for (std::size_t p = 0; p < runs; ++p) {
      sweep.saltelli_block[p] = static_cast<std::int64_t>(p / sweep.samples);
      sweep.saltelli_row[p] = static_cast<std::int64_t>(p % sweep.samples);
      for (std::size_t i = 0; i < k; ++i) store_unit(p, i, unit[p * k + i]);
    }
  }
}

// The model's cross-parameter checks at every point and variant, and the layout with agent counts
// maximised over all of them. One ParamSet per variant is updated in place: no copies per point.
void check_points(Sweep& sweep, const Model& model, const Origin& origin) {
  const std::size_t k = sweep.parameters.size();
  // A variant that sets a varied parameter itself would silently ignore the sweep's values.
  for (const auto& variant : sweep.base.variants)
    for (const auto& parameter : sweep.parameters)
      if (std::find(variant.overridden.begin(), variant.overridden.end(), parameter.path) != variant.overridden.end())
        throw ScenarioError(parameter.where, "parameters." + parameter.path,
                            "variant '" + variant.name +
                                "' of the base scenario sets this parameter, so the sweep cannot vary it; leave the "
                                "variant out (variants: [...]) or vary another parameter");
  sweep.layout = model.layout(sweep.base.variants.front().parameters);
  for (std::size_t v = 0; v < sweep.base.variants.size(); ++v) {
    ParamSet values = sweep.base.variants[v].parameters;
    for (std::size_t p = 0; p < sweep.runs; ++p) {
      for (std::size_t i = 0; i < k; ++i) values.set(sweep.parameters[i].path, sweep.value(p, i));
      for (const auto& [path, message] : model.check(values)) {
        const auto varied = std::find_if(sweep.parameters.begin(), sweep.parameters.end(),
                                         [&key = path](const SweepParameter& s) { return s.path == key; });
        const SourceLocation where = varied != sweep.parameters.end() ? varied->where : SourceLocation{origin.source};
        throw ScenarioError(where, "parameters." + path,
                            message + " (at run " + std::to_string(p) + ": " + sweep.describe_point(p) +
                                ", variant '" + sweep.base.variants[v].name + "')");
      }
      if (sweep.agents) {
        const OutputLayout other = model.layout(values);
        for (std::size_t a = 0; a < sweep.layout.agent_kinds.size() && a < other.agent_kinds.size(); ++a)
          sweep.layout.agent_kinds[a].count = std::max(sweep.layout.agent_kinds[a].count, other.agent_kinds[a].count);
      }
    }
  }
}

Sweep read_document(const YAML::Node& root, const std::string& text, const Origin& origin,
                    const std::string& base_directory, const ModelRegistry& registry,
                    const Scenario* given_base = nullptr) {
  if (!root.IsMap())
    origin.fail(root.Mark(), "",
                "expected a mapping of sweep keys (base, design, parameters, ...), found " + found_text(root));
  const auto entries = mapping_entries(root, origin, "");
  const auto find = [&](const char* name) -> const Entry* {
    for (const auto& entry : entries)
      if (entry.name == name) return &entry;
    return nullptr;
  };
  for (const auto& entry : entries)
    if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), entry.name) == kTopLevelKeys.end())
      origin.fail(entry.key_mark, entry.name, unknown_key_problem(entry.name, kTopLevelKeys));

  Sweep sweep;
  sweep.source = origin.source;
  sweep.text = text;
  const Entry* base_entry = find("base");
  if (given_base != nullptr) {
    if (base_entry != nullptr)
      origin.fail(base_entry->key_mark, "base", "not allowed here: the base scenario is given");
    sweep.base = *given_base;
  } else {
    if (base_entry == nullptr)
      origin.fail("base",
                  "missing; expected 'base: SCENARIO.yaml' (relative to the sweep file) or 'base: default'");
    sweep.base = load_base(*base_entry, origin, base_directory, registry);
  }
  sweep.model = sweep.base.model;
  const Model& model = *registry.find(sweep.model);

  YAML::Mark design_mark = YAML::Mark::null_mark();
  if (const Entry* design = find("design")) {
    design_mark = located(*design, "design").mark;
    const std::string name = detail::read_name(located(*design, "design"), origin, {"grid", "lhs", "saltelli", "morris"},
                                               "one of grid, lhs, saltelli, morris");
    sweep.design = name == "lhs"        ? SweepDesign::Lhs
                   : name == "saltelli" ? SweepDesign::Saltelli
                   : name == "morris"   ? SweepDesign::Morris
                                        : SweepDesign::Grid;
  }
  read_morris_keys(sweep, find("trajectories"), find("levels"), origin, design_mark);  // morris: trajectories, levels
  const Entry* samples = sweep.design == SweepDesign::Morris ? nullptr : find("samples");
  if (sweep.design == SweepDesign::Morris && find("samples") != nullptr)
    origin.fail(find("samples")->key_mark, "samples", "a morris design takes 'trajectories: R' and 'levels: P', not samples");
  if (sweep.design == SweepDesign::Grid && samples != nullptr)
    origin.fail(samples->key_mark, "samples", "samples is for lhs and saltelli designs; a grid runs every combination");
  if (sweep.design != SweepDesign::Grid && sweep.design != SweepDesign::Morris) {
    if (samples == nullptr)
      origin.fail(design_mark, "samples", "missing; a " + to_string(sweep.design) + " design needs 'samples: N'");
    sweep.samples = read_size(located(*samples, "samples"), origin, static_cast<double>(kMaxRuns));
  }

  // seed, replications and steps are a scenario's run: settings, read by the same rules.
  RunSettings run = sweep.base.run;
  for (const char* name : {"seed", "replications", "steps"})
    if (const Entry* e = find(name)) detail::read_run_setting(*e, origin, name, run);
  sweep.seed = run.seed;
  sweep.replications = static_cast<std::size_t>(run.replications);
  sweep.steps = static_cast<std::size_t>(run.steps);
  OutputSettings output{sweep.agents, static_cast<std::int64_t>(sweep.agent_every)};
  if (const Entry* e = find("output"))
    for (const auto& item : detail::optional_mapping(*e, origin, "output", "a mapping with agents and agent_every"))
      detail::read_output_setting(item, origin, "output." + item.name, output);
  sweep.agents = output.agents;
  sweep.agent_every = static_cast<std::size_t>(output.agent_every);
  if (const Entry* e = find("fail_on_nan"))
    sweep.fail_on_nan = detail::read_name(located(*e, "fail_on_nan"), origin, {"key", "all", "none"},
                                          "key (NaN in a key summary fails the run), all or none");
  if (const Entry* e = find("variants")) sweep.base.variants = select_variants(*e, origin, sweep.base);
  if (const Entry* e = find("description"); e != nullptr && !e->value.IsScalar() && !e->value.IsNull())
    origin.fail(e->key_mark, "description", "expected one line of text, found " + found_text(e->value));

  sweep.base.run.seed = sweep.seed;
  sweep.base.run.replications = static_cast<std::int64_t>(sweep.replications);
  sweep.base.run.steps = static_cast<std::int64_t>(sweep.steps);
  sweep.base.output.agents = sweep.agents;
  sweep.base.output.agent_every = static_cast<std::int64_t>(sweep.agent_every);

  const Entry* parameters = find("parameters");
  if (parameters == nullptr)
    origin.fail("parameters", "missing; expected a mapping of the parameters to vary");
  ParameterReader(model, origin, sweep.design).read_block(*parameters, "", sweep.parameters);
  if (sweep.parameters.empty())
    origin.fail(parameters->key_mark, "parameters", "expected at least one parameter to vary, found none");
  if (sweep.design == SweepDesign::Saltelli && sweep.samples < 2)
    origin.fail(samples->value.Mark(), "samples", "expected an integer >= 2 for a saltelli design, found " +
                                                      found_text(samples->value));

  build_points(sweep, origin, design_mark);
  check_points(sweep, model, origin);
  sweep.hash = sweep_identity(sweep);
  return sweep;
}

}  // namespace

std::string to_string(SweepDesign design) {
  switch (design) {
    case SweepDesign::Grid: return "grid";
    case SweepDesign::Lhs: return "lhs";
    case SweepDesign::Saltelli: return "saltelli";
    case SweepDesign::Morris: return "morris";
  }
  return "grid";
}

std::string SweepParameter::coordinate_name() const {
  std::string name = path;
  std::string out;
  for (const char c : name) {
    if (c == '.') out += "__";
    else out += c;
  }
  return out;
}

ParamValue Sweep::value(std::size_t run, std::size_t parameter) const {
  const auto& column = columns[parameter];
  switch (parameters[parameter].type) {
    case ParamType::Real: return column.real[run];
    case ParamType::Integer: return column.integer[run];
    case ParamType::Boolean: return column.integer[run] != 0;
    case ParamType::Choice: return parameters[parameter].choices[column.choice[run]];
    case ParamType::RealList: break;
  }
  return 0.0;
}

std::uint64_t Sweep::point_seed(std::size_t run) const { return sweep_point_seed(seed, run); }

ParamSet Sweep::parameters_of(std::size_t run, std::size_t variant) const {
  ParamSet values = base.variants[variant].parameters;
  for (std::size_t i = 0; i < parameters.size(); ++i) values.set(parameters[i].path, value(run, i));
  return values;
}

std::string Sweep::describe_point(std::size_t run) const {
  std::string described;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    if (i > 0) described += ", ";
    described += parameters[i].path + "=" + format_value(value(run, i));
  }
  return described;
}

namespace {

Sweep parse_document(const std::string& text, const std::string& source, const std::string& base_directory,
                     const ModelRegistry& registry, const Scenario* given_base) {
  const Origin origin{source};
  return detail::guarded(origin, "sweep file", [&] {
    detail::check_is_text(text, origin);
    const YAML::Node root = detail::load_single_document(text, origin);
    if (root.IsNull()) origin.fail("", "the sweep file is empty; expected base, design and parameters");
    return read_document(root, text, origin, base_directory, registry, given_base);
  });
}

}  // namespace

Sweep parse_sweep(const std::string& text, const std::string& source, const std::string& base_directory,
                  const ModelRegistry& registry) {
  return parse_document(text, source, base_directory, registry, nullptr);
}

Sweep parse_sweep(const std::string& text, const std::string& source, const Scenario& base,
                  const ModelRegistry& registry) {
  return parse_document(text, source, "", registry, &base);
}

Sweep load_sweep(const std::string& path, const ModelRegistry& registry) {
  const Origin origin{path};
  const std::string text = detail::guarded(origin, "sweep file", [&] {
    return detail::read_input_file(path, origin, "a sweep file");
  });
  return parse_sweep(text, path, fs::path(path).parent_path().string(), registry);
}

// --- designs ---------------------------------------------------------------------------------

std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t sweep_point_seed(std::uint64_t seed, std::uint64_t run) noexcept {
  return splitmix64(splitmix64(seed) ^ run);
}

std::vector<std::size_t> grid_point(std::size_t run, const std::vector<std::size_t>& sizes) {
  std::vector<std::size_t> index(sizes.size());
  for (std::size_t i = sizes.size(); i-- > 0;) {
    index[i] = run % sizes[i];
    run /= sizes[i];
  }
  return index;
}

std::vector<double> latin_hypercube(std::size_t n, std::size_t k, std::uint64_t seed, std::uint64_t stream) {
  std::vector<double> unit(n * k);
  const Rng rng(seed, kDesignPurpose);
  std::vector<std::size_t> strata(n);
  for (std::size_t i = 0; i < k; ++i) {
    auto random = rng.stream(stream, i, 0);
    std::iota(strata.begin(), strata.end(), std::size_t{0});
    for (std::size_t j = n; j > 1; --j) std::swap(strata[j - 1], strata[random.below(j)]);  // Fisher-Yates
    for (std::size_t j = 0; j < n; ++j)
      unit[j * k + i] = (static_cast<double>(strata[j]) + random.uniform()) / static_cast<double>(n);
  }
  return unit;
}

std::vector<double> saltelli_design(std::size_t n, std::size_t k, std::uint64_t seed) {
  const auto a = latin_hypercube(n, k, seed, 1);
  const auto b = latin_hypercube(n, k, seed, 2);
  std::vector<double> unit(n * (k + 2) * k);
  std::copy(a.begin(), a.end(), unit.begin());
  std::copy(b.begin(), b.end(), unit.begin() + static_cast<std::ptrdiff_t>(n * k));
  for (std::size_t i = 0; i < k; ++i) {
    double* block = unit.data() + (2 + i) * n * k;
    std::copy(a.begin(), a.end(), block);
    for (std::size_t j = 0; j < n; ++j) block[j * k + i] = b[j * k + i];
  }
  return unit;
}

}  // namespace coordsim::sim
