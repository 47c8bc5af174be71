#include "coordsim/sim/scenario.hpp"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>

#include "coordsim/sim/model.hpp"
#include "edit_distance.hpp"
#include "yaml_util.hpp"

namespace coordsim::sim {
namespace {

using detail::double_quoted;

constexpr const char* kCommandLine = "<command line>";
// Scenario files are small; anything bigger is almost surely the wrong file (a results file).
constexpr std::uintmax_t kMaxScenarioBytes = 64u * 1024u * 1024u;

const std::vector<std::string> kTopLevelKeys = {"model", "description", "run", "output", "parameters", "variants"};
const std::vector<std::string> kRunKeys = {"steps", "seed", "replications"};
const std::vector<std::string> kOutputKeys = {"agents", "agent_every"};

std::string join_path(const std::string& prefix, const std::string& name) {
  if (prefix.empty()) return name;
  if (name.empty()) return prefix;
  return prefix + "." + name;
}

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

// ---------------------------------------------------------------------------------------------
// Where the YAML being read came from, and how to blame a place in it.

struct Origin {
  std::string source;
  // Values given on the command line are parsed on their own: their marks say nothing useful
  // about the command line, so they are left out of messages.
  bool has_positions = true;

  SourceLocation at(const YAML::Mark& mark) const {
    SourceLocation where{source, 0, 0};
    if (has_positions && !mark.is_null() && mark.line >= 0) {
      where.line = mark.line + 1;  // yaml-cpp counts from 0, editors from 1
      where.column = mark.column + 1;
    }
    return where;
  }
  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& key_path, const std::string& problem) const {
    throw ScenarioError(at(mark), key_path, problem);
  }
  [[noreturn]] void fail(const std::string& key_path, const std::string& problem) const {
    throw ScenarioError(SourceLocation{source, 0, 0}, key_path, problem);
  }
};

// ---------------------------------------------------------------------------------------------
// Describing what the user wrote.

// At most `limit` bytes of `text`, cut on a UTF-8 character boundary.
std::string shortened(const std::string& text, std::size_t limit = 40) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

bool looks_like_a_number_or_keyword(const std::string& text) {
  double ignored = 0.0;
  if (detail::parse_yaml_real(text, ignored) != detail::NumberParse::NotANumber) return true;
  if (detail::is_reserved_word(text)) return true;
  static const std::vector<std::string> kSpecialReals = {".inf", ".Inf", ".INF", "+.inf", "-.inf", "-.Inf",
                                                         "+.Inf", "-.INF", "+.INF", ".nan", ".NaN", ".NAN"};
  return std::find(kSpecialReals.begin(), kSpecialReals.end(), text) != kSpecialReals.end();
}

// Plain scalars can be numbers or booleans; quoted ones ("3", 'true') are strings and are refused
// where a number or boolean is expected. Explicit core-schema tags (!!int 3) count as plain.
bool is_plain_scalar(const YAML::Node& node) {
  if (!node.IsScalar()) return false;
  const std::string& tag = node.Tag();
  return tag == "?" || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
         tag == "tag:yaml.org,2002:bool";
}

// What the user wrote, for "..., found X": numbers as written, text in quotes, and the shape
// of anything that is not a scalar.
std::string found_text(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  const std::string shown = shortened(node.Scalar());
  if (!is_plain_scalar(node)) return "the string " + double_quoted(shown);
  return looks_like_a_number_or_keyword(node.Scalar()) ? shown : double_quoted(shown);
}

// Point at a scalar value itself; for anything else (a mapping under the key, a missing value)
// point at the key, which is where the reader's eye goes.
YAML::Mark value_mark(const YAML::Node& value, const YAML::Mark& key_mark) {
  return value.IsScalar() ? value.Mark() : key_mark;
}

std::string unknown_key_problem(const std::string& name, const std::vector<std::string>& known) {
  if (const auto guess = detail::closest_match(name, known)) return "unknown key; did you mean '" + *guess + "'?";
  return "unknown key; expected one of " + detail::join(known, ", ");
}

// ---------------------------------------------------------------------------------------------
// Mappings and scalars.

struct Entry {
  std::string name;
  YAML::Mark key_mark;
  YAML::Node value;
};

// The entries of a mapping in file order. Keys must be plain names and appear once: yaml-cpp
// keeps both entries of a duplicated key, and silently using one of them would hide a mistake.
std::vector<Entry> mapping_entries(const YAML::Node& mapping, const Origin& origin, const std::string& key_path) {
  std::vector<Entry> entries;
  std::map<std::string, YAML::Mark> seen;
  for (const auto& item : mapping) {
    const YAML::Node& key = item.first;
    if (!key.IsScalar())
      origin.fail(key.Mark(), key_path, "expected a key name, found " + found_text(key) + " as a key");
    const std::string& name = key.Scalar();
    if (const auto first = seen.find(name); first != seen.end()) {
      std::string problem = "duplicate key";
      if (origin.has_positions && first->second.line >= 0)
        problem += "; first given at line " + std::to_string(first->second.line + 1);
      origin.fail(key.Mark(), join_path(key_path, name), problem);
    }
    seen.emplace(name, key.Mark());
    entries.push_back(Entry{name, key.Mark(), item.second});
  }
  return entries;
}

// Mappings may also be left empty ("run:" with nothing under it): that means "all defaults".
std::vector<Entry> optional_mapping(const Entry& entry, const Origin& origin, const std::string& key_path,
                                    const std::string& expected) {
  if (entry.value.IsNull()) return {};
  if (!entry.value.IsMap())
    origin.fail(value_mark(entry.value, entry.key_mark), key_path,
                "expected " + expected + ", found " + found_text(entry.value));
  return mapping_entries(entry.value, origin, key_path);
}

bool read_boolean(const Entry& entry, const Origin& origin, const std::string& key_path) {
  if (is_plain_scalar(entry.value)) {
    if (detail::is_yaml_true(entry.value.Scalar())) return true;
    if (detail::is_yaml_false(entry.value.Scalar())) return false;
  }
  origin.fail(value_mark(entry.value, entry.key_mark), key_path,
              "expected true or false, found " + found_text(entry.value));
}

std::int64_t read_integer(const Entry& entry, const Origin& origin, const std::string& key_path,
                          double minimum, double maximum, const std::string& expected) {
  const auto fail = [&](const std::string& note) {
    origin.fail(value_mark(entry.value, entry.key_mark), key_path,
                "expected " + expected + ", found " + found_text(entry.value) + note);
  };
  std::int64_t number = 0;
  if (!is_plain_scalar(entry.value)) fail("");
  const auto parsed = detail::parse_yaml_integer(entry.value.Scalar(), number);
  if (parsed == detail::NumberParse::OutOfRange) fail(" (beyond the 64-bit integer range)");
  if (parsed != detail::NumberParse::Ok) fail("");
  const auto as_real = static_cast<double>(number);
  if (as_real < minimum || as_real > maximum) fail("");
  return number;
}

double read_real_scalar(const YAML::Node& value, const YAML::Mark& mark, const Origin& origin,
                        const std::string& key_path, double minimum, double maximum, const std::string& expected) {
  const auto fail = [&](const std::string& note) {
    origin.fail(mark, key_path, "expected " + expected + ", found " + found_text(value) + note);
  };
  double number = 0.0;
  if (!is_plain_scalar(value)) fail("");
  const auto parsed = detail::parse_yaml_real(value.Scalar(), number);
  if (parsed == detail::NumberParse::OutOfRange) fail(" (not representable as a double)");
  if (parsed != detail::NumberParse::Ok) fail("");
  if (number < minimum || number > maximum) fail("");
  return number;
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

std::string unsigned_expected() {
  return "an integer in [0, " + std::to_string(std::numeric_limits<std::uint64_t>::max()) + "]";
}

std::uint64_t read_seed(const Entry& entry, const Origin& origin, const std::string& key_path) {
  std::uint64_t seed = 0;
  if (is_plain_scalar(entry.value) &&
      detail::parse_yaml_unsigned(entry.value.Scalar(), seed) == detail::NumberParse::Ok)
    return seed;
  origin.fail(value_mark(entry.value, entry.key_mark), key_path,
              "expected " + unsigned_expected() + ", found " + found_text(entry.value));
}

std::int64_t read_positive(const Entry& entry, const Origin& origin, const std::string& key_path) {
  return read_integer(entry, origin, key_path, 1.0, std::numeric_limits<double>::infinity(),
                      "an integer >= 1");
}

void read_run_setting(const Entry& entry, const Origin& origin, const std::string& key_path, RunSettings& run) {
  if (entry.name == "steps") {
    run.steps = read_positive(entry, origin, key_path);
  } else if (entry.name == "seed") {
    run.seed = read_seed(entry, origin, key_path);
  } else if (entry.name == "replications") {
    run.replications = read_positive(entry, origin, key_path);
  } else {
    origin.fail(entry.key_mark, key_path, unknown_key_problem(entry.name, kRunKeys));
  }
}

void read_output_setting(const Entry& entry, const Origin& origin, const std::string& key_path,
                         OutputSettings& output) {
  if (entry.name == "agents") {
    output.agents = read_boolean(entry, origin, key_path);
  } else if (entry.name == "agent_every") {
    output.agent_every = read_positive(entry, origin, key_path);
  } else {
    origin.fail(entry.key_mark, key_path, unknown_key_problem(entry.name, kOutputKeys));
  }
}

void read_run(const Entry& entry, const Origin& origin, const std::string& key_path, RunSettings& run) {
  for (const auto& setting : optional_mapping(entry, origin, key_path, "a mapping with steps, seed and replications"))
    read_run_setting(setting, origin, join_path(key_path, setting.name), run);
}

void read_output(const Entry& entry, const Origin& origin, const std::string& key_path, OutputSettings& output) {
  for (const auto& setting : optional_mapping(entry, origin, key_path, "a mapping with agents and agent_every"))
    read_output_setting(setting, origin, join_path(key_path, setting.name), output);
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
    if (!entry.value.IsMap()) {
      const std::string what =
          block.empty() ? "a mapping of parameters" : "a mapping of the parameters in block '" + block + "'";
      origin_.fail(value_mark(entry.value, entry.key_mark), key_path(block),
                   "expected " + what + ", found " + found_text(entry.value));
    }
    for (const auto& item : mapping_entries(entry.value, origin_, key_path(block)))
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
      origin_.fail(entry.key_mark, key_path(path), unknown_parameter_problem(path, written_under));
    }
  }

  std::string key_path(const std::string& path) const { return join_path(display_root_, path); }

 private:
  void assign(const ParamSpec& spec, const Entry& entry, Assignments& into) const {
    // "walkers: {count: 3}" and "walkers.count: 4" in one mapping would leave the winner to chance.
    if (const auto earlier = into.marks.find(spec.path); earlier != into.marks.end()) {
      std::string problem = "parameter given twice";
      if (origin_.has_positions && earlier->second.line >= 0)
        problem += "; first given at line " + std::to_string(earlier->second.line + 1);
      origin_.fail(entry.key_mark, key_path(spec.path), problem);
    }
    into.values.set(spec.path, read_value(spec, entry));
    into.marks.emplace(spec.path, entry.key_mark);
    if (std::find(into.assigned.begin(), into.assigned.end(), spec.path) == into.assigned.end())
      into.assigned.push_back(spec.path);
  }

  ParamValue read_value(const ParamSpec& spec, const Entry& entry) const {
    const std::string path = key_path(spec.path);
    const std::string expected = detail::expected_text(spec);
    switch (spec.type) {
      case ParamType::Boolean: return read_boolean(entry, origin_, path);
      case ParamType::Integer: return read_integer(entry, origin_, path, spec.minimum, spec.maximum, expected);
      case ParamType::Real:
        return read_real_scalar(entry.value, value_mark(entry.value, entry.key_mark), origin_, path, spec.minimum,
                                spec.maximum, expected);
      case ParamType::Choice: return read_choice(spec, entry, path, expected);
      case ParamType::RealList: return read_real_list(spec, entry, path, expected);
    }
    origin_.fail(entry.key_mark, path, "parameter of unknown type");
  }

  std::string read_choice(const ParamSpec& spec, const Entry& entry, const std::string& path,
                          const std::string& expected) const {
    if (entry.value.IsScalar()) {
      const std::string& chosen = entry.value.Scalar();
      if (std::find(spec.choices.begin(), spec.choices.end(), chosen) != spec.choices.end()) return chosen;
    }
    std::string problem = "expected " + expected + ", found " + found_text(entry.value);
    if (entry.value.IsScalar())
      if (const auto guess = detail::closest_match(entry.value.Scalar(), spec.choices))
        problem += "; did you mean '" + *guess + "'?";
    origin_.fail(value_mark(entry.value, entry.key_mark), path, problem);
  }

  std::vector<double> read_real_list(const ParamSpec& spec, const Entry& entry, const std::string& path,
                                     const std::string& expected) const {
    if (!entry.value.IsSequence())
      origin_.fail(value_mark(entry.value, entry.key_mark), path,
                   "expected " + expected + " such as [0.5, 0.5], found " + found_text(entry.value));
    ParamSpec element_spec = spec;
    element_spec.type = ParamType::Real;
    const std::string element_expected = detail::expected_text(element_spec);
    std::vector<double> list;
    list.reserve(entry.value.size());
    for (const auto& element : entry.value) {
      const std::string element_path = path + "[" + std::to_string(list.size()) + "]";
      list.push_back(read_real_scalar(element, value_mark(element, entry.key_mark), origin_, element_path,
                                      spec.minimum, spec.maximum, element_expected));
    }
    return list;
  }

  std::string unknown_parameter_problem(const std::string& path, const std::string& written_under) const {
    const std::string model_name(model_.name());
    if (auto guess = schema_.suggest(path)) {
      // Suggesting the block the key already sits in ("walkers: {walkers: ...}") helps nobody.
      const bool encloses = !written_under.empty() &&
                            (*guess == written_under || starts_with(written_under, *guess + "."));
      if (!encloses) {
        // Say it the way the user wrote it: "count" inside "walkers:", "walkers.count" at the top.
        const std::string shown = starts_with(*guess, written_under + ".") && !written_under.empty()
                                      ? guess->substr(written_under.size() + 1)
                                      : *guess;
        return "unknown parameter of model '" + model_name + "'; did you mean '" + shown + "'?";
      }
    }
    return "unknown parameter of model '" + model_name + "'; `coordsim params " + model_name +
           "` lists them";
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
    origin.fail(value_mark(entry.value, entry.key_mark), "model",
                "expected " + expected + ", found " + found_text(entry.value));
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

Scenario read_document(const YAML::Node& root, const Origin& origin, const ModelRegistry& registry) {
  if (!root.IsMap())
    origin.fail(root.Mark(), "",
                "expected a mapping of top-level keys (model, run, parameters, variants, ...), found " +
                    found_text(root));
  const auto entries = mapping_entries(root, origin, "");

  // The model comes first whatever its place in the file: every other key is read against it.
  const auto model_entry =
      std::find_if(entries.begin(), entries.end(), [](const Entry& entry) { return entry.name == "model"; });
  if (model_entry == entries.end())
    origin.fail(YAML::Mark::null_mark(), "model",
                "missing; expected 'model: NAME' with one of the registered models (" +
                    available_models(registry) + ")");
  const Model& model = resolve_model(*model_entry, origin, registry);

  Scenario scenario;
  scenario.source = origin.source;
  scenario.model = std::string(model.name());
  scenario.base = ParamSet(model.schema());
  std::vector<std::string> base_assigned;
  Assignments base{scenario.base, base_assigned, {}};
  const Entry* variants_entry = nullptr;
  for (const auto& entry : entries) {
    if (entry.name == "model") continue;
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
    } else {
      origin.fail(entry.key_mark, entry.name, unknown_top_level_problem(entry.name, model.schema()));
    }
  }
  run_model_checks(model, scenario.base, base.marks, YAML::Mark::null_mark(), origin, "parameters");

  if (variants_entry != nullptr) read_variants(*variants_entry, model, origin, scenario);
  if (scenario.variants.empty()) scenario.variants.push_back(Variant{"baseline", scenario.base, {}});
  return scenario;
}

// ---------------------------------------------------------------------------------------------
// Raw text checks, before yaml-cpp sees it: a binary file should be named as such, not reported
// as a puzzling YAML syntax error.

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8 (overlong
// forms, surrogates and code points past U+10FFFF included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return length;
}

void check_is_text(std::string_view text, const Origin& origin) {
  int line = 0;
  std::size_t line_start = 0;
  const auto fail_at = [&](std::size_t offset, const std::string& problem) {
    YAML::Mark mark;
    mark.line = line;
    mark.column = static_cast<int>(offset - line_start);
    origin.fail(mark, "", problem + "; expected UTF-8 text (is this a binary file?)");
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (byte == 0) fail_at(i, "found a NUL byte");
    if ((byte < 0x20 && byte != '\t' && byte != '\r') || byte == 0x7F) {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned>(byte));
      fail_at(i, std::string("found control character ") + code);
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) fail_at(i, "found a byte sequence that is not valid UTF-8");
    i += length;
  }
}

// Where each document of a YAML stream starts, gathered without building the documents.
class DocumentScout final : public YAML::EventHandler {
 public:
  struct Document {
    YAML::Mark root_mark = YAML::Mark::null_mark();
    bool root_is_null = true;
  };
  const std::vector<Document>& documents() const noexcept { return documents_; }

  void OnDocumentStart(const YAML::Mark&) override {
    documents_.emplace_back();
    depth_ = 0;
    root_seen_ = false;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { root(mark, true); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { root(mark, false); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    root(mark, false);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    root(mark, false);
    ++depth_;
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    root(mark, false);
    ++depth_;
  }
  void OnMapEnd() override { --depth_; }

 private:
  void root(const YAML::Mark& mark, bool is_null) {
    if (depth_ != 0 || root_seen_ || documents_.empty()) return;
    documents_.back() = Document{mark, is_null};
    root_seen_ = true;
  }
  std::vector<Document> documents_;
  int depth_ = 0;
  bool root_seen_ = false;
};

// The one document of `text`; null when the text holds no document or an empty one.
// yaml-cpp 0.7 has two traps handled here: YAML::LoadAll never ends on a stray ',' where a
// document should start (the parser reports the same empty document again and again without
// consuming the ',', jbeder/yaml-cpp#1040), and YAML::Load silently takes that ',' for an empty
// document. So documents are first counted with a bounded scout, then the first one is built.
YAML::Node load_single_document(const std::string& text, const Origin& origin) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentScout scout;
  // Three documents are enough to see a second one and to notice the parser going round.
  for (int document = 0; document < 3 && parser.HandleNextDocument(scout); ++document) {
  }
  const auto& documents = scout.documents();
  for (std::size_t i = 0; i + 1 < documents.size(); ++i) {
    const YAML::Mark& here = documents[i].root_mark;
    const bool stuck = documents[i].root_is_null && documents[i + 1].root_is_null && !here.is_null() &&
                       here.pos == documents[i + 1].root_mark.pos;
    if (!stuck) continue;
    std::string problem = "malformed YAML: unexpected character";
    if (here.pos >= 0 && static_cast<std::size_t>(here.pos) < text.size()) {
      const char culprit = text[static_cast<std::size_t>(here.pos)];
      if (std::isgraph(static_cast<unsigned char>(culprit))) problem += " '" + std::string(1, culprit) + "'";
    }
    origin.fail(here, "", problem);
  }
  if (documents.size() > 1)
    origin.fail(documents[1].root_mark, "", "expected one YAML document, found a second one");
  if (documents.empty() || documents.front().root_is_null) return YAML::Node(YAML::NodeType::Null);
  return YAML::Load(text);
}

// Runs `body`, turning whatever escapes it into a ScenarioError: callers (the CLI, Python)
// catch exactly one exception type for bad input.
template <class Body>
auto guarded(const Origin& origin, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const ScenarioError&) {
    throw;
  } catch (const YAML::Exception& error) {
    throw ScenarioError(origin.at(error.mark), "", "malformed YAML: " + error.msg);
  } catch (const std::exception& error) {
    throw ScenarioError(SourceLocation{origin.source, 0, 0}, "",
                        std::string("internal error while reading the scenario: ") + error.what());
  }
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
  check_is_text(assignment, origin);
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
    value = load_single_document(value_text, origin);
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
    read_run_setting(Entry{after("run."), entry.key_mark, value}, origin, key, scenario.run);
  } else if (key == "output") {
    read_output(entry, origin, key, scenario.output);
  } else if (starts_with(key, "output.")) {
    read_output_setting(Entry{after("output."), entry.key_mark, value}, origin, key, scenario.output);
  } else if (starts_with(key, "variants.")) {
    apply_variant_override(scenario, *model, origin, key, after("variants."), entry);
  } else if (key == "parameters") {
    apply_parameter_override(scenario, *model, origin, "parameters", "", entry);
  } else if (starts_with(key, "parameters.")) {
    apply_parameter_override(scenario, *model, origin, "parameters", after("parameters."), entry);
  } else if (key == "model" || key == "description" || key == "variants") {
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
    check_is_text(text, origin);
    const YAML::Node root = load_single_document(text, origin);
    if (root.IsNull()) origin.fail("", "the scenario is empty; expected a mapping with at least 'model: NAME'");
    return read_document(root, origin, registry);
  });
}

Scenario load_scenario(const std::string& path, const ModelRegistry& registry) {
  namespace fs = std::filesystem;
  const Origin origin{path, true};
  return guarded(origin, [&] {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (status.type() == fs::file_type::not_found) origin.fail("", "no such file");
    if (error) origin.fail("", "cannot access the file: " + error.message());
    if (fs::is_directory(status)) origin.fail("", "is a directory; expected a scenario file (YAML)");

    std::ifstream in(path, std::ios::binary);
    if (!in) origin.fail("", std::string("cannot open the file: ") + std::strerror(errno));
    std::string text;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      text.append(buffer, static_cast<std::size_t>(in.gcount()));
      if (text.size() > kMaxScenarioBytes)
        origin.fail("", "file is larger than 64 MiB; expected a scenario file (YAML)");
    }
    if (in.bad()) origin.fail("", "cannot read the file");
    return parse_scenario(text, path, registry);
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
  return out;
}

}  // namespace coordsim::sim
