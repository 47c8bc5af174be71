#include "coordsim/sim/scenario.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <map>
#include <string_view>
#include <utility>

#include "coordsim/sim/model.hpp"
#include "edit_distance.hpp"
#include "yaml_reader.hpp"
#include "yaml_util.hpp"

namespace coordsim::sim {
namespace {

using detail::double_quoted;
using detail::Entry;
using detail::found_text;
using detail::mapping_entries;
using detail::optional_mapping;
using detail::join_path;
using detail::Located;
using detail::located;
using detail::Origin;
using detail::shortened;
using detail::unknown_key_problem;

constexpr const char* kCommandLine = "<command line>";

template <class Body>
auto guarded(const Origin& origin, Body&& body) -> decltype(body()) {
  return detail::guarded(origin, "scenario", std::forward<Body>(body));
}

const std::vector<std::string> kTopLevelKeys = {"model",      "description", "extends", "run",
                                                "output",     "parameters",  "variants", "labels"};

// A chain of files that extend one another ends within this many files (a longer one is a cycle).
constexpr int kMaxExtendsDepth = 16;
thread_local int extends_depth = 0;

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

bool is_identifier(const std::string& name) {
  if (name.empty()) return false;
  const auto first = static_cast<unsigned char>(name.front());
  if (!std::isalpha(first) && first != '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string read_text(const Entry& entry, const Origin& origin, const std::string& key_path,
                      const std::string& expected) {
  if (entry.value.IsNull()) return "";
  if (!entry.value.IsScalar())
    origin.fail(entry.key_mark, key_path, "expected " + expected + ", found " + found_text(entry.value));
  return entry.value.Scalar();
}

// ---------------------------------------------------------------------------------------------
// run: and output:

void read_run(const Entry& entry, const Origin& origin, const std::string& key_path, RunSettings& run) {
  for (const auto& setting : optional_mapping(entry, origin, key_path, "a mapping with steps, seed and replications"))
    detail::read_run_setting(setting, origin, join_path(key_path, setting.name), run);
}

void read_output(const Entry& entry, const Origin& origin, const std::string& key_path, OutputSettings& output) {
  for (const auto& setting : optional_mapping(entry, origin, key_path, "a mapping with agents and agent_every"))
    detail::read_output_setting(setting, origin, join_path(key_path, setting.name), output);
}

// ---------------------------------------------------------------------------------------------
// Parameters, in a file's parameters: block, in a variant, or on the command line.

// Values assigned to one parameter set, remembering where each came from.
struct Assignments {
  ParamSet& values;
  std::vector<std::string>& assigned;        // dotted paths, first assignment order
  std::map<std::string, YAML::Mark> marks;  // for "set twice" and for the model's own checks
};

class ParameterReader {
 public:
  // `display_root` prefixes parameter paths in messages: "parameters", "variants.NAME", or "".
  ParameterReader(const Model& model, const Origin& origin, std::string display_root)
      : model_(model), schema_(model.schema()), origin_(origin), display_root_(std::move(display_root)) {}

  // A mapping of parameters under `block` ("" for the top): nested blocks and dotted keys mix.
  void read_block(const Entry& entry, const std::string& block, Assignments& into) const {
    if (entry.value.IsNull()) return;
    const std::string what =
        block.empty() ? "a mapping of parameters" : "a mapping of the parameters in block '" + block + "'";
    for (const auto& item : detail::required_mapping(entry, origin_, key_path(block), what))
      read_entry(join_path(block, item.name), block, item, into);
  }

  // One key: a parameter, a block of them, or a mistake.
  void read_entry(const std::string& path, const std::string& written_under, const Entry& entry,
                  Assignments& into) const {
    if (const ParamSpec* spec = schema_.find(path)) {
      assign(*spec, entry, into);
    } else if (schema_.is_block(path)) {
      read_block(entry, path, into);
    } else {
      origin_.fail(entry.key_mark, key_path(path), detail::unknown_parameter_problem(model_, path, written_under));
    }
  }

  std::string key_path(const std::string& path) const { return join_path(display_root_, path); }

 private:
  void assign(const ParamSpec& spec, const Entry& entry, Assignments& into) const {
    // "walkers: {count: 3}" and "walkers.count: 4" in one mapping would leave the winner to chance.
    if (const auto earlier = into.marks.find(spec.path); earlier != into.marks.end()) {
      origin_.fail(entry.key_mark, key_path(spec.path), "parameter given twice" + origin_.first_given(earlier->second));
    }
    into.values.set(spec.path, detail::read_parameter_value(spec, located(entry, key_path(spec.path)), origin_));
    into.marks.emplace(spec.path, entry.key_mark);
    if (std::find(into.assigned.begin(), into.assigned.end(), spec.path) == into.assigned.end())
      into.assigned.push_back(spec.path);
  }

  const Model& model_;
  const ParamSchema& schema_;
  const Origin& origin_;
  std::string display_root_;
};

// Cross-parameter problems the model finds, reported at the place the parameter was set.
void run_model_checks(const Model& model, const ParamSet& values, const std::map<std::string, YAML::Mark>& marks,
                      const YAML::Mark& fallback, const Origin& origin, const std::string& display_root) {
  for (const auto& [path, message] : model.check(values)) {
    const auto mark = marks.find(path);
    origin.fail(mark == marks.end() ? fallback : mark->second, join_path(display_root, path), message);
  }
}

// ---------------------------------------------------------------------------------------------
// The file as a whole.

std::string available_models(const ModelRegistry& registry) {
  auto names = registry.names();
  std::sort(names.begin(), names.end());
  return names.empty() ? std::string("none are registered") : detail::join(names, ", ");
}

const Model& resolve_model(const Entry& entry, const Origin& origin, const ModelRegistry& registry) {
  const std::string expected = "the name of a registered model (" + available_models(registry) + ")";
  if (!entry.value.IsScalar())
    detail::fail_expected(located(entry, "model"), origin, expected);
  const std::string& name = entry.value.Scalar();
  if (const Model* model = registry.find(name)) return *model;
  std::string problem = "unknown model; expected " + expected + ", found " + found_text(entry.value);
  if (const auto guess = detail::closest_match(name, registry.names())) problem += "; did you mean '" + *guess + "'?";
  origin.fail(entry.value.Mark(), "model", problem);
}

std::string unknown_top_level_problem(const std::string& name, const ParamSchema& schema) {
  const auto dot = name.find('.');
  if (dot != std::string::npos) {
    const std::string head = name.substr(0, dot);
    if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), head) != kTopLevelKeys.end())
      return "unknown key; dotted keys are read only under parameters and variants: write '" + head +
             ":' and put '" + name.substr(dot + 1) + "' under it";
  }
  if (schema.find(name) != nullptr || schema.is_block(name))
    return "unknown key; '" + name + "' is a parameter of the model: put it under 'parameters:'";
  if (detail::closest_match(name, kTopLevelKeys)) return unknown_key_problem(name, kTopLevelKeys);
  // Perhaps a misspelt parameter written at the top level.
  if (const auto guess = schema.suggest(name))
    return "unknown key; expected one of " + detail::join(kTopLevelKeys, ", ") + " (did you mean 'parameters: {" +
           *guess + ": ...}'?)";
  return unknown_key_problem(name, kTopLevelKeys);
}

void read_variants(const Entry& entry, const Model& model, const Origin& origin, Scenario& scenario) {
  for (const auto& item : optional_mapping(entry, origin, "variants", "a mapping of variant names to overrides")) {
    const std::string display_root = "variants." + item.name;
    if (!is_identifier(item.name))
      origin.fail(item.key_mark, display_root,
                  "expected a variant name of letters, digits and '_' not starting with a digit, found " +
                      double_quoted(shortened(item.name)));
    Variant variant{item.name, scenario.base, {}};
    Assignments overrides{variant.parameters, variant.overridden, {}};
    ParameterReader(model, origin, display_root).read_block(item, "", overrides);
    run_model_checks(model, variant.parameters, overrides.marks, item.key_mark, origin, display_root);
    scenario.variants.push_back(std::move(variant));
  }
}

// Every outcome name the model writes for these parameters: series, summaries, per-agent variables.
std::vector<std::string> outcome_names(const Model& model, const ParamSet& parameters) {
  const OutputLayout layout = model.layout(parameters);
  std::vector<std::string> names;
  for (const auto& series : layout.series) names.push_back(series.name);
  for (const auto& summary : layout.summaries) names.push_back(summary.variable.name);
  for (const auto& kind : layout.agent_kinds)
    for (const auto& variable : kind.variables) names.push_back(variable.name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// labels: { variants: {NAME: text}, outcomes: {NAME: text} }. Names must exist: a label for a
// misspelt variant or outcome would silently never show.
void read_labels(const Entry& entry, const Model& model, const Origin& origin, Scenario& scenario) {
  std::vector<std::string> variant_names;
  for (const auto& variant : scenario.variants) variant_names.push_back(variant.name);
  const auto outcomes = outcome_names(model, scenario.base);
  for (const auto& group : optional_mapping(entry, origin, "labels", "a mapping with variants and/or outcomes")) {
    const std::string group_path = "labels." + group.name;
    const bool is_variants = group.name == "variants";
    if (!is_variants && group.name != "outcomes")
      origin.fail(group.key_mark, group_path, unknown_key_problem(group.name, {"variants", "outcomes"}));
    const auto& known = is_variants ? variant_names : outcomes;
    auto& into = is_variants ? scenario.labels.variants : scenario.labels.outcomes;
    for (const auto& item : optional_mapping(group, origin, group_path, "a mapping of names to readable text")) {
      const std::string path = group_path + "." + item.name;
      if (std::find(known.begin(), known.end(), item.name) == known.end()) {
        std::string problem = std::string("unknown ") + (is_variants ? "variant" : "outcome") + " " +
                              double_quoted(shortened(item.name));
        if (const auto guess = detail::closest_match(item.name, known)) problem += "; did you mean '" + *guess + "'?";
        else if (is_variants) problem += "; the scenario has " + detail::join(known, ", ");
        origin.fail(item.key_mark, path, problem);
      }
      const std::string text = read_text(item, origin, path, "one line of text");
      if (text.empty() || text.find('\n') != std::string::npos)
        origin.fail(item.key_mark, path, "expected one non-empty line of text, found " + found_text(item.value));
      // A label inherited through extends is replaced, not repeated.
      const auto same = std::find_if(into.begin(), into.end(), [&](const Label& label) { return label.name == item.name; });
      if (same != into.end()) same->text = text;
      else into.push_back({item.name, text});
    }
  }
}

// The folder relative paths in `extends:` are read from: the file's own, or the working directory
// for text that is not a file (the default scenario, text from Python).
std::string directory_of(const std::string& source) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (source.empty() || source.front() == '<' || !fs::is_regular_file(source, error)) return "";
  return fs::path(source).parent_path().string();
}

// extends: FILE (or 'default'): the scenario this one starts from. Its model, description, run and
// output settings, parameters, variants and labels are inherited; this file's keys change them.
Scenario read_parent(const Entry& entry, const Origin& origin, const ModelRegistry& registry) {
  if (!entry.value.IsScalar() || entry.value.Scalar().empty())
    detail::fail_expected(located(entry, "extends"), origin,
                          "a scenario file to start from (relative to this file) or 'default'");
  if (extends_depth >= kMaxExtendsDepth)
    origin.fail(entry.value.Mark(), "extends",
                "more than " + std::to_string(kMaxExtendsDepth) + " files extend one another; is there a cycle?");
  struct Depth {
    Depth() { ++extends_depth; }
    ~Depth() { --extends_depth; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;
  } depth;
  return detail::load_base_scenario(entry.value.Scalar(), entry.value.Mark(), "extends", origin,
                                    directory_of(origin.source), registry);
}

// A variant inherited through extends: its own overrides applied to this file's parameters.
Variant rebased(const Variant& inherited, const ParamSet& base) {
  Variant variant{inherited.name, base, inherited.overridden};
  for (const auto& path : inherited.overridden) variant.parameters.set(path, inherited.parameters.value(path));
  return variant;
}

Scenario read_document(const YAML::Node& root, const Origin& origin, const ModelRegistry& registry) {
  if (!root.IsMap())
    origin.fail(root.Mark(), "",
                "expected a mapping of top-level keys (model, run, parameters, variants, ...), found " +
                    found_text(root));
  const auto entries = mapping_entries(root, origin, "");
  const auto find_entry = [&](const char* name) {
    return std::find_if(entries.begin(), entries.end(), [&](const Entry& entry) { return entry.name == name; });
  };

  // The parent first (extends:), then the model whatever its place in the file: every other key is
  // read against it.
  std::optional<Scenario> parent;
  if (const auto extends_entry = find_entry("extends"); extends_entry != entries.end())
    parent = read_parent(*extends_entry, origin, registry);
  const auto model_entry = find_entry("model");
  if (model_entry == entries.end() && !parent)
    origin.fail(YAML::Mark::null_mark(), "model",
                "missing; expected 'model: NAME' with one of the registered models (" +
                    available_models(registry) + ")");
  const Model& model =
      model_entry != entries.end() ? resolve_model(*model_entry, origin, registry) : *registry.find(parent->model);
  if (parent && model.name() != parent->model)
    origin.fail(model_entry->value.Mark(), "model",
                "the file extends a scenario of model '" + parent->model + "'; expected that model or no 'model:' key");

  Scenario scenario;
  if (parent) {
    scenario.description = parent->description;
    scenario.run = parent->run;
    scenario.output = parent->output;
    scenario.base = parent->base;
  } else {
    scenario.base = ParamSet(model.schema());
  }
  scenario.source = origin.source;
  scenario.model = std::string(model.name());
  std::vector<std::string> base_assigned;
  Assignments base{scenario.base, base_assigned, {}};
  const Entry* variants_entry = nullptr;
  const Entry* labels_entry = nullptr;
  for (const auto& entry : entries) {
    if (entry.name == "model" || entry.name == "extends") continue;
    if (entry.name == "description") {
      scenario.description = read_text(entry, origin, "description", "one line of text");
    } else if (entry.name == "run") {
      read_run(entry, origin, "run", scenario.run);
    } else if (entry.name == "output") {
      read_output(entry, origin, "output", scenario.output);
    } else if (entry.name == "parameters") {
      ParameterReader(model, origin, "parameters").read_block(entry, "", base);
    } else if (entry.name == "variants") {
      variants_entry = &entry;  // read once the base is complete, whatever the order in the file
    } else if (entry.name == "labels") {
      labels_entry = &entry;  // names are checked against the variants and the model's outcomes
    } else {
      origin.fail(entry.key_mark, entry.name, unknown_top_level_problem(entry.name, model.schema()));
    }
  }
  run_model_checks(model, scenario.base, base.marks, YAML::Mark::null_mark(), origin, "parameters");

  if (variants_entry != nullptr) {
    read_variants(*variants_entry, model, origin, scenario);
  } else if (parent) {
    // No variants of its own: the parent's, each with its overrides on this file's parameters.
    for (const auto& inherited : parent->variants) {
      scenario.variants.push_back(rebased(inherited, scenario.base));
      run_model_checks(model, scenario.variants.back().parameters, {}, YAML::Mark::null_mark(), origin,
                       "variants." + inherited.name);
    }
  }
  if (scenario.variants.empty()) scenario.variants.push_back(Variant{"baseline", scenario.base, {}});
  if (parent) {
    // Labels of the parent's outcomes, and of its variants that this file still has.
    for (const auto& label : parent->labels.outcomes) scenario.labels.outcomes.push_back(label);
    for (const auto& label : parent->labels.variants)
      if (std::any_of(scenario.variants.begin(), scenario.variants.end(),
                      [&](const Variant& variant) { return variant.name == label.name; }))
        scenario.labels.variants.push_back(label);
  }
  if (labels_entry != nullptr) read_labels(*labels_entry, model, origin, scenario);
  return scenario;
}

// ---------------------------------------------------------------------------------------------
// Command-line overrides.

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

// A parameter changed on the command line: the base and every variant that does not set the
// parameter itself take the new value (a variant's own setting is the point of the variant).
void apply_parameter_override(Scenario& scenario, const Model& model, const Origin& origin,
                              const std::string& display_root, const std::string& path, const Entry& entry) {
  std::vector<std::string> changed;
  Assignments base{scenario.base, changed, {}};
  ParameterReader reader(model, origin, display_root);
  if (path.empty())
    reader.read_block(entry, "", base);
  else
    reader.read_entry(path, "", entry, base);
  for (auto& variant : scenario.variants)
    for (const auto& changed_path : changed)
      if (std::find(variant.overridden.begin(), variant.overridden.end(), changed_path) == variant.overridden.end())
        variant.parameters.set(changed_path, scenario.base.value(changed_path));
}

void apply_variant_override(Scenario& scenario, const Model& model, const Origin& origin, const std::string& key,
                            const std::string& rest, const Entry& entry) {
  const auto dot = rest.find('.');
  const std::string name = rest.substr(0, dot);
  const std::string path = dot == std::string::npos ? "" : rest.substr(dot + 1);
  const auto variant = std::find_if(scenario.variants.begin(), scenario.variants.end(),
                                    [&](const Variant& candidate) { return candidate.name == name; });
  if (variant == scenario.variants.end()) {
    std::vector<std::string> names;
    for (const auto& candidate : scenario.variants) names.push_back(candidate.name);
    std::string problem = "unknown variant " + double_quoted(shortened(name)) + "; the scenario has " +
                          detail::join(names, ", ");
    if (const auto guess = detail::closest_match(name, names)) problem += "; did you mean '" + *guess + "'?";
    origin.fail(key, problem);
  }
  Assignments overrides{variant->parameters, variant->overridden, {}};
  ParameterReader reader(model, origin, "variants." + name);
  if (path.empty())
    reader.read_block(entry, "", overrides);
  else
    reader.read_entry(path, "", entry, overrides);
}

void apply_assignment(Scenario& scenario, const std::string& assignment, const ModelRegistry& registry,
                      const Origin& origin) {
  detail::check_is_text(assignment, origin);
  const auto equals = assignment.find('=');
  if (equals == std::string::npos)
    origin.fail("", "expected KEY=VALUE (e.g. walkers.count=12), found " + double_quoted(shortened(assignment)) +
                        " with no '='");
  const std::string key = trimmed(std::string_view(assignment).substr(0, equals));
  if (key.empty())
    origin.fail("", "expected KEY=VALUE with a key before '=', found " + double_quoted(shortened(assignment)));
  const std::string value_text = assignment.substr(equals + 1);
  YAML::Node value;
  try {
    value = detail::load_single_document(value_text, origin);
  } catch (const ScenarioError& error) {
    origin.fail(key, "malformed value " + double_quoted(shortened(value_text)) + ": " + error.problem());
  } catch (const YAML::Exception& error) {
    origin.fail(key, "malformed value " + double_quoted(shortened(value_text)) + ": " + error.msg);
  }
  const Entry entry{key, YAML::Mark::null_mark(), value};

  const Model* model = registry.find(scenario.model);
  if (model == nullptr)
    origin.fail("model", "unknown model " + double_quoted(scenario.model) + "; expected one of the registered models (" +
                             available_models(registry) + ")");

  const auto after = [&](const std::string& prefix) { return key.substr(prefix.size()); };
  if (key == "run") {
    read_run(entry, origin, key, scenario.run);
  } else if (starts_with(key, "run.")) {
    detail::read_run_setting(Entry{after("run."), entry.key_mark, value}, origin, key, scenario.run);
  } else if (key == "output") {
    read_output(entry, origin, key, scenario.output);
  } else if (starts_with(key, "output.")) {
    detail::read_output_setting(Entry{after("output."), entry.key_mark, value}, origin, key, scenario.output);
  } else if (starts_with(key, "variants.")) {
    apply_variant_override(scenario, *model, origin, key, after("variants."), entry);
  } else if (key == "parameters") {
    apply_parameter_override(scenario, *model, origin, "parameters", "", entry);
  } else if (starts_with(key, "parameters.")) {
    apply_parameter_override(scenario, *model, origin, "parameters", after("parameters."), entry);
  } else if (key == "model" || key == "description" || key == "variants" || key == "labels" ||
             starts_with(key, "labels.")) {
    origin.fail(key, "cannot be set on the command line; edit the scenario file");
  } else {
    apply_parameter_override(scenario, *model, origin, "", key, entry);
  }

  run_model_checks(*model, scenario.base, {}, YAML::Mark::null_mark(), origin, "parameters");
  for (const auto& variant : scenario.variants)
    run_model_checks(*model, variant.parameters, {}, YAML::Mark::null_mark(), origin, "variants." + variant.name);
}

// ---------------------------------------------------------------------------------------------
// Writing the resolved scenario.

// Dotted paths as nested mappings; std::map keeps the output in one canonical (sorted) order.
struct YamlTree {
  std::map<std::string, YamlTree> children;
  const ParamValue* value = nullptr;
};

void write_tree(const YamlTree& tree, int depth, std::string& out) {
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  for (const auto& [name, child] : tree.children) {
    out += indent + detail::format_yaml_string(name) + ":";
    if (child.value != nullptr) {
      out += " " + format_value(*child.value) + "\n";
    } else {
      out += "\n";
      write_tree(child, depth + 1, out);
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public interface.

Scenario parse_scenario(const std::string& text, const std::string& source, const ModelRegistry& registry) {
  const Origin origin{source, true};
  return guarded(origin, [&] {
    detail::check_is_text(text, origin);
    const YAML::Node root = detail::load_single_document(text, origin);
    if (root.IsNull()) origin.fail("", "the scenario is empty; expected a mapping with at least 'model: NAME'");
    return read_document(root, origin, registry);
  });
}

Scenario load_scenario(const std::string& path, const ModelRegistry& registry) {
  const Origin origin{path, true};
  return guarded(origin, [&] {
    return parse_scenario(detail::read_input_file(path, origin, "a scenario file"), path, registry);
  });
}

void apply_override(Scenario& scenario, const std::string& assignment, const ModelRegistry& registry) {
  const Origin origin{kCommandLine, false};
  guarded(origin, [&] {
    // Work on a copy so a rejected override leaves the scenario as it was.
    Scenario updated = scenario;
    apply_assignment(updated, assignment, registry, origin);
    scenario = std::move(updated);
  });
}

std::string Scenario::resolved_yaml() const {
  std::string out = "# Resolved scenario: every parameter and setting; reading it again gives the same runs.\n";
  out += "model: " + detail::format_yaml_string(model) + "\n";
  out += "description: " + double_quoted(description) + "\n";
  out += "run:\n";
  out += "  steps: " + std::to_string(run.steps) + "\n";
  out += "  seed: " + std::to_string(run.seed) + "\n";
  out += "  replications: " + std::to_string(run.replications) + "\n";
  out += "output:\n";
  out += "  agents: " + format_value(output.agents) + "\n";
  out += "  agent_every: " + std::to_string(output.agent_every) + "\n";

  YamlTree parameters;
  for (const auto& [path, value] : base.values()) {
    YamlTree* node = &parameters;
    std::size_t start = 0;
    for (auto dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
      node = &node->children[path.substr(start, dot - start)];
      start = dot + 1;
    }
    node->children[path.substr(start)].value = &value;
  }
  if (parameters.children.empty()) {
    out += "parameters: {}\n";
  } else {
    out += "parameters:\n";
    write_tree(parameters, 1, out);
  }

  // Variants keep their order (it is the order of the comparison) and list only what they change.
  out += "variants:\n";
  for (const auto& variant : variants) {
    out += "  " + detail::format_yaml_string(variant.name) + ":";
    if (variant.overridden.empty()) {
      out += " {}\n";
      continue;
    }
    out += "\n";
    for (const auto& path : variant.overridden)
      out += "    " + detail::format_yaml_string(path) + ": " + format_value(variant.parameters.value(path)) + "\n";
  }
  // Labels of variants a sweep or a calibration left out are dropped: the text must parse again.
  std::vector<Label> kept_variants;
  for (const auto& label : labels.variants)
    if (std::any_of(variants.begin(), variants.end(), [&](const Variant& v) { return v.name == label.name; }))
      kept_variants.push_back(label);
  if (!kept_variants.empty() || !labels.outcomes.empty()) {
    out += "labels:\n";
    for (const auto& [group, entries] : {std::pair<const char*, const std::vector<Label>*>{"variants", &kept_variants},
                                           std::pair<const char*, const std::vector<Label>*>{"outcomes", &labels.outcomes}}) {
      if (entries->empty()) continue;
      out += std::string("  ") + group + ":\n";
      for (const auto& label : *entries)
        out += "    " + detail::format_yaml_string(label.name) + ": " + double_quoted(label.text) + "\n";
    }
  }
  return out;
}

}  // namespace coordsim::sim
