#include "yaml_reader.hpp"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "coordsim/sim/model.hpp"
#include "edit_distance.hpp"
#include "yaml_util.hpp"

namespace coordsim::sim::detail {
namespace {

// Input files are small; anything bigger is almost surely the wrong file (a results file).
constexpr std::uintmax_t kMaxInputBytes = 64u * 1024u * 1024u;

// How a scalar was written: the tag decides what it may be read as.
enum class ScalarKind { Plain, String, Int, Float, Bool, OtherTag };

ScalarKind kind_of(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  if (tag == "?") return ScalarKind::Plain;
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return ScalarKind::String;  // "!" : quoted
  if (tag == "tag:yaml.org,2002:int") return ScalarKind::Int;
  if (tag == "tag:yaml.org,2002:float") return ScalarKind::Float;
  if (tag == "tag:yaml.org,2002:bool") return ScalarKind::Bool;
  return ScalarKind::OtherTag;
}

// The core schema's tags as people write them.
std::string short_tag(const std::string& tag) {
  constexpr std::string_view kCore = "tag:yaml.org,2002:";
  if (tag.compare(0, kCore.size(), kCore) == 0) return "!!" + tag.substr(kCore.size());
  return tag;
}

// .inf, -.inf, +.inf and .nan in the spellings of the core schema; false for anything else.
bool parse_special_real(std::string_view text, double& out) {
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  double sign = 1.0;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    sign = text.front() == '-' ? -1.0 : 1.0;
    text.remove_prefix(1);
  }
  if (text == ".inf" || text == ".Inf" || text == ".INF") {
    out = sign * std::numeric_limits<double>::infinity();
    return true;
  }
  return false;
}

bool looks_like_a_number_or_keyword(const std::string& text) {
  double ignored = 0.0;
  return parse_yaml_real(text, ignored) != NumberParse::NotANumber || is_reserved_word(text) ||
         parse_special_real(text, ignored);
}

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

}  // namespace

// ---------------------------------------------------------------------------------------------
// Origin and located values.

SourceLocation Origin::at(const YAML::Mark& mark) const {
  SourceLocation where{source, 0, 0};
  if (has_positions && !mark.is_null() && mark.line >= 0) {
    where.line = mark.line + 1;  // yaml-cpp counts from 0, editors from 1
    where.column = mark.column + 1;
  }
  return where;
}

void Origin::fail(const YAML::Mark& mark, const std::string& key_path, const std::string& problem) const {
  throw ScenarioError(at(mark), key_path, problem);
}

void Origin::fail(const std::string& key_path, const std::string& problem) const {
  throw ScenarioError(SourceLocation{source, 0, 0}, key_path, problem);
}

std::string Origin::first_given(const YAML::Mark& earlier) const {
  if (!has_positions || earlier.is_null() || earlier.line < 0) return "";
  return "; first given at line " + std::to_string(earlier.line + 1);
}

Located located(const Entry& entry, std::string path) {
  return located(entry.value, entry.key_mark, std::move(path));
}

Located located(const YAML::Node& element, const YAML::Mark& fallback, std::string path) {
  // Point at a scalar value itself; for anything else (a mapping, a missing value) point at the
  // key, which is where the reader's eye goes.
  return Located{element, element.IsScalar() ? element.Mark() : fallback, std::move(path)};
}

// ---------------------------------------------------------------------------------------------
// Describing what the user wrote.

std::string join_path(const std::string& prefix, const std::string& name) {
  if (prefix.empty()) return name;
  if (name.empty()) return prefix;
  return prefix + "." + name;
}

std::string shortened(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

std::string found_text(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  const std::string shown = shortened(node.Scalar());
  switch (kind_of(node)) {
    case ScalarKind::Plain: return looks_like_a_number_or_keyword(node.Scalar()) ? shown : double_quoted(shown);
    case ScalarKind::String: return "the string " + double_quoted(shown);
    case ScalarKind::Int:
    case ScalarKind::Float:
    case ScalarKind::Bool: return short_tag(node.Tag()) + " " + shown;
    case ScalarKind::OtherTag: break;
  }
  return "a value tagged " + short_tag(node.Tag()) + " (" + double_quoted(shown) + ")";
}

std::string unknown_key_problem(const std::string& name, const std::vector<std::string>& known) {
  if (const auto guess = closest_match(name, known)) return "unknown key; did you mean '" + *guess + "'?";
  return "unknown key; expected one of " + join(known, ", ");
}

// ---------------------------------------------------------------------------------------------
// Mappings.

std::vector<Entry> mapping_entries(const YAML::Node& mapping, const Origin& origin, const std::string& key_path) {
  std::vector<Entry> entries;
  std::map<std::string, YAML::Mark> seen;
  for (const auto& item : mapping) {
    const YAML::Node& key = item.first;
    if (!key.IsScalar())
      origin.fail(key.Mark(), key_path, "expected a key name, found " + found_text(key) + " as a key");
    const std::string& name = key.Scalar();
    // yaml-cpp keeps both entries of a duplicated key; silently using one would hide a mistake.
    if (const auto first = seen.find(name); first != seen.end())
      origin.fail(key.Mark(), join_path(key_path, name), "duplicate key" + origin.first_given(first->second));
    seen.emplace(name, key.Mark());
    entries.push_back(Entry{name, key.Mark(), item.second});
  }
  return entries;
}

std::vector<Entry> optional_mapping(const Entry& entry, const Origin& origin, const std::string& key_path,
                                    const std::string& expected) {
  if (entry.value.IsNull()) return {};
  return required_mapping(entry, origin, key_path, expected);
}

std::vector<Entry> required_mapping(const Entry& entry, const Origin& origin, const std::string& key_path,
                                    const std::string& expected) {
  if (!entry.value.IsMap()) fail_expected(located(entry, key_path), origin, expected);
  return mapping_entries(entry.value, origin, key_path);
}

// ---------------------------------------------------------------------------------------------
// Scalars.

void fail_expected(const Located& value, const Origin& origin, const std::string& expected, const std::string& note) {
  origin.fail(value.mark, value.path, "expected " + expected + ", found " + found_text(value.node) + note);
}

bool read_boolean(const Located& value, const Origin& origin) {
  const std::string expected = "true or false";
  if (!value.node.IsScalar()) fail_expected(value, origin, expected);
  const ScalarKind kind = kind_of(value.node);
  if (kind == ScalarKind::Plain || kind == ScalarKind::Bool) {
    if (is_yaml_true(value.node.Scalar())) return true;
    if (is_yaml_false(value.node.Scalar())) return false;
  }
  fail_expected(value, origin, expected);
}

std::int64_t read_integer(const Located& value, const Origin& origin, double minimum, double maximum,
                          const std::string& expected) {
  if (!value.node.IsScalar()) fail_expected(value, origin, expected);
  const ScalarKind kind = kind_of(value.node);
  if (kind != ScalarKind::Plain && kind != ScalarKind::Int) fail_expected(value, origin, expected);
  std::int64_t number = 0;
  const auto parsed = parse_yaml_integer(value.node.Scalar(), number);
  if (parsed == NumberParse::OutOfRange) fail_expected(value, origin, expected, " (beyond the 64-bit integer range)");
  if (parsed != NumberParse::Ok) fail_expected(value, origin, expected);
  const auto as_real = static_cast<double>(number);
  if (as_real < minimum || as_real > maximum) fail_expected(value, origin, expected);
  return number;
}

double read_real(const Located& value, const Origin& origin, double minimum, double maximum,
                 const std::string& expected) {
  if (!value.node.IsScalar()) fail_expected(value, origin, expected);
  const ScalarKind kind = kind_of(value.node);
  const std::string& text = value.node.Scalar();
  double number = 0.0;
  if (kind == ScalarKind::Int) {
    // !!int 5 is a whole number, which is also a valid real; !!int 2.5 is neither.
    std::int64_t whole = 0;
    const auto parsed = parse_yaml_integer(text, whole);
    if (parsed == NumberParse::OutOfRange) fail_expected(value, origin, expected, " (beyond the 64-bit integer range)");
    if (parsed != NumberParse::Ok) fail_expected(value, origin, expected);
    number = static_cast<double>(whole);
  } else if (kind == ScalarKind::Plain || kind == ScalarKind::Float) {
    if (parse_special_real(text, number)) {
      if (std::isnan(number)) fail_expected(value, origin, expected, " (not a number, never a valid value)");
      if (number < minimum || number > maximum) fail_expected(value, origin, expected, " (an infinite value is out of range)");
      return number;
    }
    const auto parsed = parse_yaml_real(text, number);
    if (parsed == NumberParse::OutOfRange) fail_expected(value, origin, expected, " (not representable as a double)");
    if (parsed != NumberParse::Ok) fail_expected(value, origin, expected);
  } else {
    fail_expected(value, origin, expected);
  }
  if (number < minimum || number > maximum) fail_expected(value, origin, expected);
  return number;
}

double read_finite_real(const Located& value, const Origin& origin, double minimum, double maximum,
                        const std::string& expected, const std::string& why) {
  const double number = read_real(value, origin, minimum, maximum, expected);
  if (!std::isfinite(number)) fail_expected(value, origin, expected, " (" + why + ")");
  return number;
}

std::pair<double, double> read_real_pair(const Located& value, const Origin& origin, double minimum, double maximum,
                                         const std::string& expected, const std::string& why) {
  if (!value.node.IsSequence() || value.node.size() != 2)
    fail_expected(value, origin, "[low, high]",
                  value.node.IsSequence() ? " of " + std::to_string(value.node.size()) + " values" : "");
  const Located low = located(value.node[0], value.mark, value.path + "[0]");
  const Located high = located(value.node[1], value.mark, value.path + "[1]");
  const std::pair<double, double> pair{read_finite_real(low, origin, minimum, maximum, expected, why),
                                       read_finite_real(high, origin, minimum, maximum, expected, why)};
  if (!(pair.first < pair.second))
    origin.fail(high.mark, high.path,
                "expected high > low (" + shortest_real(pair.first) + "), found " + shortest_real(pair.second));
  return pair;
}

std::string read_text(const Located& value, const Origin& origin, const std::string& expected) {
  const bool text = value.node.IsScalar() && (kind_of(value.node) == ScalarKind::Plain ||
                                              kind_of(value.node) == ScalarKind::String);
  if (!text || value.node.Scalar().empty()) fail_expected(value, origin, expected);
  return value.node.Scalar();
}

std::uint64_t read_seed(const Located& value, const Origin& origin) {
  const std::string expected = "an integer in [0, " + std::to_string(std::numeric_limits<std::uint64_t>::max()) + "]";
  if (!value.node.IsScalar()) fail_expected(value, origin, expected);
  const ScalarKind kind = kind_of(value.node);
  std::uint64_t seed = 0;
  if ((kind == ScalarKind::Plain || kind == ScalarKind::Int) &&
      parse_yaml_unsigned(value.node.Scalar(), seed) == NumberParse::Ok)
    return seed;
  fail_expected(value, origin, expected);
}

std::int64_t read_count(const Located& value, const Origin& origin, double maximum) {
  const bool bounded = maximum < 9.2e18;
  const std::string expected = bounded ? "an integer in [1, " + shortest_real(maximum) + "]" : "an integer >= 1";
  return read_integer(value, origin, 1.0, maximum, expected);
}

namespace {

std::vector<double> read_real_list(const ParamSpec& spec, const Located& value, const Origin& origin,
                                   const std::string& expected) {
  if (!value.node.IsSequence()) fail_expected(value, origin, expected + " such as [0.5, 0.5]");
  ParamSpec element_spec = spec;
  element_spec.type = ParamType::Real;
  const std::string element_expected = expected_text(element_spec);
  std::vector<double> list;
  list.reserve(value.node.size());
  for (const auto& element : value.node) {
    const Located item = located(element, value.mark, value.path + "[" + std::to_string(list.size()) + "]");
    list.push_back(read_real(item, origin, spec.minimum, spec.maximum, element_expected));
  }
  return list;
}

}  // namespace

std::string read_name(const Located& value, const Origin& origin, const std::vector<std::string>& names,
                      const std::string& expected) {
  const bool text = value.node.IsScalar() && (kind_of(value.node) == ScalarKind::Plain ||
                                              kind_of(value.node) == ScalarKind::String);
  if (text && std::find(names.begin(), names.end(), value.node.Scalar()) != names.end()) return value.node.Scalar();
  std::string note;
  if (text)
    if (const auto guess = closest_match(value.node.Scalar(), names)) note = "; did you mean '" + *guess + "'?";
  fail_expected(value, origin, expected, note);
}

void read_run_setting(const Entry& entry, const Origin& origin, const std::string& key_path, RunSettings& run) {
  const Located value = located(entry, key_path);
  if (entry.name == "steps") {
    run.steps = read_count(value, origin, kMaxSteps);
  } else if (entry.name == "seed") {
    run.seed = read_seed(value, origin);
  } else if (entry.name == "replications") {
    run.replications = read_count(value, origin, kMaxReplications);
  } else {
    origin.fail(entry.key_mark, key_path, unknown_key_problem(entry.name, {"steps", "seed", "replications"}));
  }
}

void read_output_setting(const Entry& entry, const Origin& origin, const std::string& key_path,
                         OutputSettings& output) {
  const Located value = located(entry, key_path);
  if (entry.name == "agents") {
    output.agents = read_boolean(value, origin);
  } else if (entry.name == "agent_every") {
    output.agent_every = read_count(value, origin, kMaxAgentEvery);
  } else {
    origin.fail(entry.key_mark, key_path, unknown_key_problem(entry.name, {"agents", "agent_every"}));
  }
}

ParamValue read_parameter_value(const ParamSpec& spec, const Located& value, const Origin& origin) {
  const std::string expected = expected_text(spec);
  switch (spec.type) {
    case ParamType::Boolean: return read_boolean(value, origin);
    case ParamType::Integer: return read_integer(value, origin, spec.minimum, spec.maximum, expected);
    case ParamType::Real: return read_real(value, origin, spec.minimum, spec.maximum, expected);
    case ParamType::Choice: return read_name(value, origin, spec.choices, expected);
    case ParamType::RealList: return read_real_list(spec, value, origin, expected);
  }
  origin.fail(value.mark, value.path, "parameter of unknown type");
}

std::string unknown_parameter_problem(const Model& model, const std::string& path, const std::string& written_under) {
  const std::string model_name(model.name());
  const auto starts_with = [](const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
  };
  if (auto guess = model.schema().suggest(path)) {
    // Suggesting the block the key already sits in ("walkers: {walkers: ...}") helps nobody.
    const bool encloses =
        !written_under.empty() && (*guess == written_under || starts_with(written_under, *guess + "."));
    if (!encloses) {
      // Say it the way the user wrote it: "count" inside "walkers:", "walkers.count" at the top.
      const std::string shown = !written_under.empty() && starts_with(*guess, written_under + ".")
                                    ? guess->substr(written_under.size() + 1)
                                    : *guess;
      return "unknown parameter of model '" + model_name + "'; did you mean '" + shown + "'?";
    }
  }
  return "unknown parameter of model '" + model_name + "'; `coordsim params " + model_name + "` lists them";
}

// ---------------------------------------------------------------------------------------------
// Text, documents and files.

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

std::string read_input_file(const std::string& path, const Origin& origin, const std::string& what) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) origin.fail("", "no such file");
  if (error) origin.fail("", "cannot access the file: " + error.message());
  if (fs::is_directory(status)) origin.fail("", "is a directory; expected " + what + " (YAML)");

  std::ifstream in(path, std::ios::binary);
  if (!in) origin.fail("", std::string("cannot open the file: ") + std::strerror(errno));
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputBytes) origin.fail("", "file is larger than 64 MiB; expected " + what + " (YAML)");
  }
  if (in.bad()) origin.fail("", "cannot read the file");
  return text;
}

Scenario load_base_scenario(const std::string& name, const YAML::Mark& mark, const std::string& key_path,
                            const Origin& origin, const std::string& base_directory, const ModelRegistry& registry) {
  if (name == "default")
    return parse_scenario(registry.default_scenario_text(), registry.default_scenario_name(), registry);
  std::filesystem::path path(name);
  if (path.is_relative() && !base_directory.empty()) path = std::filesystem::path(base_directory) / path;
  std::error_code error;
  if (!std::filesystem::exists(path, error))
    origin.fail(mark, key_path,
                "no such scenario file " + double_quoted(name) + " (looked for " + double_quoted(path.string()) + ")");
  // Only plain files: a device or a pipe named as a base would block or never end.
  if (!std::filesystem::is_regular_file(path, error) && !std::filesystem::is_directory(path, error))
    origin.fail(mark, key_path, "expected a scenario file, found " + double_quoted(path.string()) + " (not a regular file)");
  return load_scenario(path.lexically_normal().string(), registry);
}

}  // namespace coordsim::sim::detail
