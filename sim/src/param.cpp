#include "coordsim/sim/param.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <tuple>

#include "edit_distance.hpp"
#include "yaml_util.hpp"

namespace coordsim::sim {
namespace {

std::string last_component(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

// The block a parameter belongs to: everything before its last component.
std::string block_of(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? std::string() : path.substr(0, dot);
}

// Every proper prefix of a dotted path that ends at a component boundary: "a.b.c" -> a, a.b.
std::vector<std::string> enclosing_blocks(const std::string& path) {
  std::vector<std::string> blocks;
  for (auto dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1))
    blocks.push_back(path.substr(0, dot));
  return blocks;
}

bool is_well_formed_path(const std::string& path) {
  if (path.empty() || path.front() == '.' || path.back() == '.') return false;
  if (path.find("..") != std::string::npos) return false;
  return std::all_of(path.begin(), path.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return std::isalnum(byte) || c == '_' || c == '-' || c == '.';
  });
}

const char* held_type_name(const ParamValue& value) {
  switch (value.index()) {
    case 0: return "boolean";
    case 1: return "integer";
    case 2: return "real";
    case 3: return "choice";
    case 4: return "real list";
  }
  return "unknown";
}

bool holds_declared_type(const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::Boolean: return std::holds_alternative<bool>(spec.default_value);
    case ParamType::Integer: return std::holds_alternative<std::int64_t>(spec.default_value);
    case ParamType::Real: return std::holds_alternative<double>(spec.default_value);
    case ParamType::Choice: return std::holds_alternative<std::string>(spec.default_value);
    case ParamType::RealList: return std::holds_alternative<std::vector<double>>(spec.default_value);
  }
  return false;
}

bool in_range(double value, const ParamSpec& spec) { return value >= spec.minimum && value <= spec.maximum; }

// A model whose own defaults are invalid would fail every scenario that relies on them, with an
// error pointing at a file that does not mention the parameter: refuse it at declaration.
void check_default(const ParamSpec& spec) {
  const auto fail = [&](const std::string& why) {
    throw std::logic_error("ParamSchema: parameter '" + spec.path + "': " + why);
  };
  if (!holds_declared_type(spec)) fail("default value does not have the declared type");
  switch (spec.type) {
    case ParamType::Boolean: break;
    case ParamType::Integer:
      if (!in_range(static_cast<double>(std::get<std::int64_t>(spec.default_value)), spec))
        fail("default outside its range");
      break;
    case ParamType::Real:
      if (!in_range(std::get<double>(spec.default_value), spec)) fail("default outside its range");
      break;
    case ParamType::Choice: {
      if (spec.choices.empty()) fail("no choices declared");
      const auto& chosen = std::get<std::string>(spec.default_value);
      if (std::find(spec.choices.begin(), spec.choices.end(), chosen) == spec.choices.end())
        fail("default '" + chosen + "' is not one of its choices");
      break;
    }
    case ParamType::RealList:
      for (const double element : std::get<std::vector<double>>(spec.default_value))
        if (!in_range(element, spec)) fail("default element outside its range");
      break;
  }
}

std::string unit_column(const ParamSpec& spec) {
  if (spec.type == ParamType::Boolean || spec.type == ParamType::Choice) return "-";
  return spec.unit.empty() ? "-" : spec.unit;
}

std::string range_column(const ParamSpec& spec) {
  if (spec.type == ParamType::Choice) return detail::join(spec.choices, " | ");
  if (spec.type == ParamType::Boolean) return "-";
  const std::string range = detail::range_text(spec);
  return range.empty() ? "any" : range;
}

std::string pad_to(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::string to_string(ParamType type) {
  switch (type) {
    case ParamType::Boolean: return "boolean";
    case ParamType::Integer: return "integer";
    case ParamType::Real: return "real";
    case ParamType::Choice: return "choice";
    case ParamType::RealList: return "real list";
  }
  return "unknown";
}

std::string format_value(const ParamValue& value) {
  struct Formatter {
    std::string operator()(bool flag) const { return flag ? "true" : "false"; }
    std::string operator()(std::int64_t number) const { return std::to_string(number); }
    std::string operator()(double number) const { return detail::format_yaml_real(number); }
    std::string operator()(const std::string& text) const { return detail::format_yaml_string(text); }
    std::string operator()(const std::vector<double>& list) const {
      std::string out = "[";
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (i > 0) out += ", ";
        out += detail::format_yaml_real(list[i]);
      }
      return out + "]";
    }
  };
  return std::visit(Formatter{}, value);
}

// ---------------------------------------------------------------------------------------------
// ParamSchema

ParamSchema& ParamSchema::real(std::string path, double default_value, double minimum, double maximum,
                               std::string unit, std::string description) {
  ParamSpec spec;
  spec.path = std::move(path);
  spec.type = ParamType::Real;
  spec.default_value = default_value;
  spec.minimum = minimum;
  spec.maximum = maximum;
  spec.unit = std::move(unit);
  spec.description = std::move(description);
  return add(std::move(spec));
}

ParamSchema& ParamSchema::integer(std::string path, std::int64_t default_value, std::int64_t minimum,
                                  std::int64_t maximum, std::string unit, std::string description) {
  ParamSpec spec;
  spec.path = std::move(path);
  spec.type = ParamType::Integer;
  spec.default_value = default_value;
  spec.minimum = static_cast<double>(minimum);
  spec.maximum = static_cast<double>(maximum);
  spec.unit = std::move(unit);
  spec.description = std::move(description);
  return add(std::move(spec));
}

ParamSchema& ParamSchema::boolean(std::string path, bool default_value, std::string description) {
  ParamSpec spec;
  spec.path = std::move(path);
  spec.type = ParamType::Boolean;
  spec.default_value = default_value;
  spec.unit = std::string("1");  // not = "1": GCC 12 -Wrestrict false positive (PR 105329)
  spec.description = std::move(description);
  return add(std::move(spec));
}

ParamSchema& ParamSchema::choice(std::string path, std::string default_value,
                                 std::vector<std::string> choices, std::string description) {
  ParamSpec spec;
  spec.path = std::move(path);
  spec.type = ParamType::Choice;
  spec.default_value = std::move(default_value);
  spec.choices = std::move(choices);
  spec.unit = std::string("1");  // not = "1": GCC 12 -Wrestrict false positive (PR 105329)
  spec.description = std::move(description);
  return add(std::move(spec));
}

ParamSchema& ParamSchema::real_list(std::string path, std::vector<double> default_value, double minimum,
                                    double maximum, std::string unit, std::string description) {
  ParamSpec spec;
  spec.path = std::move(path);
  spec.type = ParamType::RealList;
  spec.default_value = std::move(default_value);
  spec.minimum = minimum;
  spec.maximum = maximum;
  spec.unit = std::move(unit);
  spec.description = std::move(description);
  return add(std::move(spec));
}

ParamSchema& ParamSchema::add(ParamSpec spec) {
  const auto fail = [&](const std::string& why) {
    throw std::logic_error("ParamSchema: parameter '" + spec.path + "': " + why);
  };
  if (!is_well_formed_path(spec.path))
    fail("a path is dot-separated names made of letters, digits, '_' and '-'");
  if (index_.count(spec.path) != 0) fail("declared twice");
  // A name cannot be both a parameter and a block: "lead: 0.5" and "lead: {rank: 1}" would clash.
  if (is_block(spec.path)) fail("already the name of a block of parameters");
  for (const auto& block : enclosing_blocks(spec.path))
    if (index_.count(block) != 0) fail("its block '" + block + "' is already a parameter");
  if (spec.minimum > spec.maximum) fail("minimum greater than maximum");
  check_default(spec);
  index_.emplace(spec.path, specs_.size());
  specs_.push_back(std::move(spec));
  return *this;
}

const ParamSpec* ParamSchema::find(const std::string& path) const {
  const auto it = index_.find(path);
  return it == index_.end() ? nullptr : &specs_[it->second];
}

bool ParamSchema::is_block(const std::string& prefix) const {
  if (prefix.empty()) return false;
  // Paths under "prefix." sort contiguously, starting at the first one not less than it.
  const std::string dotted = prefix + ".";
  const auto it = index_.lower_bound(dotted);
  return it != index_.end() && it->first.compare(0, dotted.size(), dotted) == 0;
}

std::optional<std::string> ParamSchema::suggest(const std::string& path) const {
  // Candidates: every parameter and every block, in declaration order.
  std::vector<std::string> candidates;
  for (const auto& spec : specs_) {
    for (const auto& block : enclosing_blocks(spec.path))
      if (std::find(candidates.begin(), candidates.end(), block) == candidates.end())
        candidates.push_back(block);
    candidates.push_back(spec.path);
  }
  // Rank by (distance, whole-path match before last-component match, declaration order). The
  // last-component match catches a right name in the wrong block ("lead.count" ->
  // "walkers.count") or a name given without its block.
  const std::string query_last = last_component(path);
  const std::size_t path_allowance = detail::typo_allowance(path.size());
  const std::size_t last_allowance = detail::typo_allowance(query_last.size());
  std::optional<std::tuple<std::size_t, int, std::size_t>> best_rank;
  std::optional<std::string> best;
  for (std::size_t order = 0; order < candidates.size(); ++order) {
    const auto& candidate = candidates[order];
    if (candidate == path) continue;
    const auto consider = [&](std::size_t distance, int kind) {
      const auto rank = std::make_tuple(distance, kind, order);
      if (!best_rank || rank < *best_rank) {
        best_rank = rank;
        best = candidate;
      }
    };
    const std::size_t whole = detail::edit_distance(path, candidate);
    if (whole <= path_allowance) consider(whole, 0);
    const std::size_t last = detail::edit_distance(query_last, last_component(candidate));
    if (last <= last_allowance) consider(last, 1);
  }
  return best;
}

std::string ParamSchema::describe() const {
  const std::vector<std::string> header = {"PATH", "TYPE", "DEFAULT", "UNIT", "RANGE/CHOICES", "DESCRIPTION"};
  std::vector<std::vector<std::string>> rows;
  rows.reserve(specs_.size());
  for (const auto& spec : specs_)
    rows.push_back({spec.path, to_string(spec.type), format_value(spec.default_value), unit_column(spec),
                    range_column(spec), spec.description});

  // One set of column widths for the whole table, so the blocks line up under each other.
  std::vector<std::size_t> widths(header.size());
  for (std::size_t column = 0; column < header.size(); ++column) {
    widths[column] = header[column].size();
    for (const auto& row : rows) widths[column] = std::max(widths[column], row[column].size());
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "  ";
    for (std::size_t column = 0; column + 1 < cells.size(); ++column)
      out += pad_to(cells[column], widths[column]) + "  ";
    return out + cells.back() + "\n";
  };

  // Blocks in the order their first parameter was declared.
  std::vector<std::string> blocks;
  for (const auto& spec : specs_) {
    const std::string block = block_of(spec.path);
    if (std::find(blocks.begin(), blocks.end(), block) == blocks.end()) blocks.push_back(block);
  }
  std::string out = line(header);
  for (const auto& block : blocks) {
    out += "\n" + (block.empty() ? std::string("(top level)") : block) + "\n";
    for (std::size_t i = 0; i < specs_.size(); ++i)
      if (block_of(specs_[i].path) == block) out += line(rows[i]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ParamSet

ParamSet::ParamSet(const ParamSchema& schema) {
  for (const auto& spec : schema.specs()) values_.emplace(spec.path, spec.default_value);
}

const ParamValue& ParamSet::value(const std::string& path) const {
  const auto it = values_.find(path);
  if (it == values_.end()) throw std::logic_error("ParamSet: parameter '" + path + "' is not declared");
  return it->second;
}

namespace {
template <class T>
const T& typed_value(const ParamSet& set, const std::string& path, const char* wanted) {
  const ParamValue& held = set.value(path);
  if (const T* typed = std::get_if<T>(&held)) return *typed;
  throw std::logic_error("ParamSet: parameter '" + path + "' is a " + held_type_name(held) +
                         ", read as a " + wanted);
}
}  // namespace

double ParamSet::real(const std::string& path) const { return typed_value<double>(*this, path, "real"); }
std::int64_t ParamSet::integer(const std::string& path) const {
  return typed_value<std::int64_t>(*this, path, "integer");
}
bool ParamSet::boolean(const std::string& path) const { return typed_value<bool>(*this, path, "boolean"); }
const std::string& ParamSet::choice(const std::string& path) const {
  return typed_value<std::string>(*this, path, "choice");
}
const std::vector<double>& ParamSet::real_list(const std::string& path) const {
  return typed_value<std::vector<double>>(*this, path, "real list");
}

void ParamSet::set(const std::string& path, ParamValue value) { values_[path] = std::move(value); }

}  // namespace coordsim::sim
