#pragma once
// The one YAML reading layer of scenario files, command-line overrides and sweep files: where a
// value came from, the scalar rules (plain scalars, core-schema tags, .inf and .nan), mappings
// with duplicate-key checks, and errors in one format ("file:line:col: key.path: expected X,
// found Y", "did you mean" for unknown keys). Scenario and sweep readers build on it, so the same
// value text gets the same verdict and the same message in either file.
//
// Scalar rules (README, "Scenario files"; sim/SWEEPS.md):
// - A plain scalar is read by the YAML 1.2 core schema: decimal integers, reals such as 0.5,
//   .5, 1e-3 and 2.5E+3, true/false (any case form the schema lists), and the non-finite reals
//   .inf, -.inf, +.inf, .nan (and their .Inf/.INF/.NaN/.NAN spellings).
// - A quoted scalar ("3", '0.5') or one tagged !!str is a string: refused where a number or a
//   boolean is expected, accepted for a choice.
// - !!int, !!float and !!bool say the type: !!int 5 is the integer 5 and also a valid real,
//   !!float 5 is the real 5.0 (refused for an integer parameter, as plain 5.0 is), !!bool true
//   is a boolean. A tag whose text does not match it (!!int 2.5) and any other tag are refused.
// - A real is checked against the parameter's range like any other number: .nan is never
//   accepted, and .inf / -.inf only where the range itself is unbounded on that side (no shipped
//   parameter is), so a non-finite value is reported as out of range.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/param.hpp"
#include "coordsim/sim/scenario.hpp"

namespace coordsim::sim {
class Model;
}

namespace coordsim::sim::detail {

// Where the YAML being read came from, and how to blame a place in it.
struct Origin {
  std::string source;
  // A value given on the command line is parsed on its own: its marks say nothing about the
  // command line, so they are left out of messages.
  bool has_positions = true;

  SourceLocation at(const YAML::Mark& mark) const;
  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& key_path, const std::string& problem) const;
  [[noreturn]] void fail(const std::string& key_path, const std::string& problem) const;
  // "; first given at line N" for duplicate-key messages, or "" where lines are not known.
  std::string first_given(const YAML::Mark& earlier) const;
};

// One key of a mapping and its value.
struct Entry {
  std::string name;
  YAML::Mark key_mark;
  YAML::Node value;
};

// A value with its key path and the place to point at when it is wrong.
struct Located {
  YAML::Node node;
  YAML::Mark mark;
  std::string path;
};

// The value of `entry`, blamed at the value when it is a scalar and at the key otherwise.
Located located(const Entry& entry, std::string path);
// An element of a list; `fallback` (the list's key) is used when the element is not a scalar.
Located located(const YAML::Node& element, const YAML::Mark& fallback, std::string path);

std::string join_path(const std::string& prefix, const std::string& name);
// At most `limit` bytes of `text`, cut on a UTF-8 character boundary.
std::string shortened(const std::string& text, std::size_t limit = 40);
// What the user wrote, for "..., found X": numbers and keywords as written, text in quotes, the
// tag of a tagged scalar, and the shape of anything that is not a scalar.
std::string found_text(const YAML::Node& node);
std::string unknown_key_problem(const std::string& name, const std::vector<std::string>& known);

// The entries of a mapping in file order; keys must be scalars and appear once.
std::vector<Entry> mapping_entries(const YAML::Node& mapping, const Origin& origin, const std::string& key_path);
// A mapping under `entry`; an empty value ("run:" with nothing under it) reads as no entries.
std::vector<Entry> optional_mapping(const Entry& entry, const Origin& origin, const std::string& key_path,
                                    const std::string& expected);
// A mapping under `entry`; anything else, nothing included, is an error.
std::vector<Entry> required_mapping(const Entry& entry, const Origin& origin, const std::string& key_path,
                                    const std::string& expected);

// "expected <expected>, found <found_text><note>" at the value.
[[noreturn]] void fail_expected(const Located& value, const Origin& origin, const std::string& expected,
                                const std::string& note = "");

// Scalars by the rules above. Bounds are inclusive; `expected` is what messages say is expected.
bool read_boolean(const Located& value, const Origin& origin);
std::int64_t read_integer(const Located& value, const Origin& origin, double minimum, double maximum,
                          const std::string& expected);
double read_real(const Located& value, const Origin& origin, double minimum, double maximum,
                 const std::string& expected);
// A real that must be finite whatever the range allows (the ends of a design, the bounds of a
// prior); `why` is the note added when it is not: " (the ends of a design must be finite)".
double read_finite_real(const Located& value, const Origin& origin, double minimum, double maximum,
                        const std::string& expected, const std::string& why);
// [low, high]: a list of two finite reals in [minimum, maximum] with low < high.
std::pair<double, double> read_real_pair(const Located& value, const Origin& origin, double minimum, double maximum,
                                         const std::string& expected, const std::string& why);
// Non-empty text (a file name, a free-form name): a plain, quoted or !!str scalar.
std::string read_text(const Located& value, const Origin& origin, const std::string& expected);
// A seed: any unsigned 64-bit integer.
std::uint64_t read_seed(const Located& value, const Origin& origin);
// A count in [1, maximum] (steps, replications, samples, agent_every).
std::int64_t read_count(const Located& value, const Origin& origin, double maximum);
// Upper bounds of the run settings, the same in scenario files, overrides and sweep files.
inline constexpr double kMaxSteps = 1e9;
inline constexpr double kMaxReplications = 1e6;
inline constexpr double kMaxAgentEvery = 1e9;
// One of `names` (a choice, a design, a policy): plain, quoted or !!str text, with a "did you
// mean" when it is close to one of them.
std::string read_name(const Located& value, const Origin& origin, const std::vector<std::string>& names,
                      const std::string& expected);
// A parameter's value of any type, validated against its spec (type, range, choices).
ParamValue read_parameter_value(const ParamSpec& spec, const Located& value, const Origin& origin);

// One key of a scenario's run: or output: block (a sweep file's seed, steps, replications and
// output: keys too), with the limits above; unknown keys get a "did you mean".
void read_run_setting(const Entry& entry, const Origin& origin, const std::string& key_path, RunSettings& run);
void read_output_setting(const Entry& entry, const Origin& origin, const std::string& key_path, OutputSettings& output);

// "unknown parameter of model 'M'; did you mean 'x'?" with the suggestion written the way the
// key was (relative to the block `written_under` it sits in), or a pointer to `coordsim params`.
std::string unknown_parameter_problem(const Model& model, const std::string& path, const std::string& written_under);

// Raw text checks before yaml-cpp sees it: NUL bytes, control characters and invalid UTF-8 are
// named as such (a binary file), not reported as a puzzling YAML syntax error.
void check_is_text(std::string_view text, const Origin& origin);
// The one document of `text`; a null node when it holds no document or an empty one. A second
// document is an error.
YAML::Node load_single_document(const std::string& text, const Origin& origin);
// The whole file at `path` (at most 64 MiB); missing files, directories and unreadable files are
// ScenarioErrors. `what` names the expected kind of file ("a scenario file").
std::string read_input_file(const std::string& path, const Origin& origin, const std::string& what);

// The base scenario a sweep, calibration or scenario file (`extends:`) names: 'default' (the
// registry's default scenario) or a scenario file, relative to `base_directory` unless absolute. A
// file that does not exist, or a device or pipe instead of a file, is an error at `mark` / `key_path`.
Scenario load_base_scenario(const std::string& name, const YAML::Mark& mark, const std::string& key_path,
                            const Origin& origin, const std::string& base_directory, const ModelRegistry& registry);

// Runs `body`, turning whatever escapes it into a ScenarioError: callers (the CLI, Python) catch
// exactly one exception type for bad input.
template <class Body>
auto guarded(const Origin& origin, const char* reading, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const ScenarioError&) {
    throw;
  } catch (const YAML::Exception& error) {
    throw ScenarioError(origin.at(error.mark), "", "malformed YAML: " + error.msg);
  } catch (const std::exception& error) {
    throw ScenarioError(SourceLocation{origin.source, 0, 0}, "",
                        std::string("internal error while reading the ") + reading + ": " + error.what());
  }
}

}  // namespace coordsim::sim::detail
