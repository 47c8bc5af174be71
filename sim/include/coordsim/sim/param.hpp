#pragma once
// Parameter schema: every parameter a model reads is declared here with type, default, unit,
// range and a one-line description. Scenario files are validated against it and
// `coordsim params MODEL` prints it as documentation.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace coordsim::sim {

enum class ParamType { Boolean, Integer, Real, Choice, RealList };

// A resolved value. Integer parameters hold int64, Real double, Choice string, RealList vector.
using ParamValue = std::variant<bool, std::int64_t, double, std::string, std::vector<double>>;

struct ParamSpec {
  std::string path;  // dotted, e.g. "walkers.drift"
  ParamType type = ParamType::Real;
  ParamValue default_value;
  std::string unit;         // "1" for dimensionless, "hours", "steps", ...
  double minimum = 0.0;     // inclusive bounds for Integer, Real and each RealList element
  double maximum = 0.0;
  std::vector<std::string> choices;  // Choice only
  std::string description;  // one line
};

std::string to_string(ParamType type);
std::string format_value(const ParamValue& value);

class ParamSchema {
 public:
  // Declaration helpers used by models; each returns *this for chaining.
  ParamSchema& real(std::string path, double default_value, double minimum, double maximum,
                    std::string unit, std::string description);
  ParamSchema& integer(std::string path, std::int64_t default_value, std::int64_t minimum,
                       std::int64_t maximum, std::string unit, std::string description);
  ParamSchema& boolean(std::string path, bool default_value, std::string description);
  ParamSchema& choice(std::string path, std::string default_value, std::vector<std::string> choices,
                      std::string description);
  ParamSchema& real_list(std::string path, std::vector<double> default_value, double minimum,
                         double maximum, std::string unit, std::string description);

  const std::vector<ParamSpec>& specs() const noexcept { return specs_; }
  const ParamSpec* find(const std::string& path) const;
  // True when `prefix` names a block of parameters (e.g. "walkers" for "walkers.drift").
  bool is_block(const std::string& prefix) const;
  // The declared path (or block) closest to `path` by edit distance, if any is close enough.
  std::optional<std::string> suggest(const std::string& path) const;
  // Human-readable documentation of every parameter (for `coordsim params`).
  std::string describe() const;

 private:
  ParamSchema& add(ParamSpec spec);
  std::vector<ParamSpec> specs_;
  std::map<std::string, std::size_t> index_;
};

// Fully resolved parameters of one variant: every declared parameter has a value.
class ParamSet {
 public:
  ParamSet() = default;
  explicit ParamSet(const ParamSchema& schema);  // all defaults

  double real(const std::string& path) const;
  std::int64_t integer(const std::string& path) const;
  bool boolean(const std::string& path) const;
  const std::string& choice(const std::string& path) const;
  const std::vector<double>& real_list(const std::string& path) const;
  const ParamValue& value(const std::string& path) const;

  // No validation here: callers validate against the schema first (see scenario.hpp).
  void set(const std::string& path, ParamValue value);
  const std::map<std::string, ParamValue>& values() const noexcept { return values_; }

 private:
  std::map<std::string, ParamValue> values_;
};

}  // namespace coordsim::sim
