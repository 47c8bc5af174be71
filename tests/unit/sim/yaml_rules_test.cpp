// One set of scalar rules for every place a value can be written: the same value text in a
// scenario file, in a `--set` override, in a sweep file and in a calibration file gets the same
// verdict, accepted with the same value or refused with the same message. The expected verdicts come from the YAML 1.2
// core schema and the documented rules (README "Scenario files", sim/SWEEPS.md), not from the
// reader's own output.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "coordsim/sim/calibration.hpp"
#include "coordsim/sim/model.hpp"
#include "coordsim/sim/scenario.hpp"
#include "coordsim/sim/sweep.hpp"
#include "test_model.hpp"

namespace coordsim::sim {
namespace {

ModelRegistry toy_registry() {
  ModelRegistry registry;
  test::register_toy_model(registry);
  registry.set_default_scenario("toy.yaml", "model: toy\nrun: {steps: 3, seed: 1, replications: 1}\n");
  return registry;
}

const ModelRegistry& registry() {
  static const ModelRegistry instance = toy_registry();
  return instance;
}

// What reading one value gave: the value, or the problem of the ScenarioError.
struct Verdict {
  std::optional<ParamValue> value;
  std::string problem;
  std::string where;  // "file:line:col" of the error, for the failure message
};

template <class Read>
Verdict verdict_of(Read&& read) {
  try {
    return Verdict{read(), "", ""};
  } catch (const ScenarioError& error) {
    const auto& at = error.where();
    return Verdict{std::nullopt, error.problem(),
                   at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column)};
  }
}

Verdict in_scenario(const std::string& path, const std::string& text) {
  return verdict_of([&] {
    const Scenario scenario =
        parse_scenario("model: toy\nparameters:\n  " + path + ": " + text + "\n", "scenario.yaml", registry());
    return scenario.base.value(path);
  });
}

Verdict in_override(const std::string& path, const std::string& text) {
  return verdict_of([&] {
    Scenario scenario = parse_scenario("model: toy\n", "scenario.yaml", registry());
    apply_override(scenario, path + "=" + text, registry());
    return scenario.base.value(path);
  });
}

Verdict in_sweep(const std::string& path, const std::string& text) {
  return verdict_of([&] {
    const Sweep sweep = parse_sweep("base: default\nparameters:\n  " + path + ":\n    values:\n      - " + text + "\n",
                                    "sweep.yaml", "", registry());
    return sweep.value(0, 0);
  });
}

// Calibration files read reals as prior bounds and booleans as a target's effect, which needs a
// variant other than the base: their base scenario has one.
ModelRegistry calibration_registry() {
  ModelRegistry registry;
  test::register_toy_model(registry);
  registry.set_default_scenario("toy.yaml",
                                "model: toy\nrun: {steps: 3, seed: 1, replications: 1}\n"
                                "variants:\n  baseline: {}\n  faster: {walkers.count: 6}\n");
  return registry;
}

Calibration parse_calibration_text(const std::string& text) {
  static const ModelRegistry instance = calibration_registry();
  return parse_calibration(text, "cal.yaml", "", instance);
}

// A real as one bound of a uniform prior: the low one, or the high one where the value is the
// top of the range (a prior needs low < high).
Verdict in_calibration_bound(const std::string& text, bool as_high) {
  return verdict_of([&]() -> ParamValue {
    // A block list, as in the sweep reader: a flow list would split "1,5" at its comma.
    const std::string bounds = as_high ? "      - 0\n      - " + text + "\n" : "      - " + text + "\n      - 10\n";
    const Calibration c = parse_calibration_text("base: default\nparameters:\n  walkers.drift:\n    prior: uniform\n"
                                                 "    bounds:\n" + bounds +
                                                 "targets:\n  - {summary: final_mean, observed: 1}\n");
    return as_high ? c.parameters.at(0).high : c.parameters.at(0).low;
  });
}

// A boolean as a target's effect.
Verdict in_calibration_effect(const std::string& text) {
  return verdict_of([&]() -> ParamValue {
    const Calibration c = parse_calibration_text(
        "base: default\nparameters:\n  walkers.drift: {prior: uniform, bounds: [0, 10]}\ntargets:\n"
        "  - summary: final_mean\n    observed: 1\n    variant: faster\n    effect: " +
        text + "\n");
    return c.targets.at(0).effect;
  });
}

struct Case {
  std::string path;
  std::string text;
  std::optional<ParamValue> accepted;  // the value every reader must give, or nullopt: refused
  std::string message;                 // for refusals: words the one message must contain
};

Case accept(std::string path, std::string text, ParamValue value) {
  return Case{std::move(path), std::move(text), std::move(value), ""};
}
Case refuse(std::string path, std::string text, std::string message) {
  return Case{std::move(path), std::move(text), std::nullopt, std::move(message)};
}

const std::string kInteger = "expected an integer in [1, 100000], found ";
const std::string kReal = "expected a real number in [0, 10], found ";
const std::string kBoolean = "expected true or false, found ";

std::vector<Case> tricky_scalars() {
  return {
      // Integers: decimal digits with an optional sign; !!int says so explicitly.
      accept("walkers.count", "5", std::int64_t{5}),
      accept("walkers.count", "+5", std::int64_t{5}),
      accept("walkers.count", "!!int 5", std::int64_t{5}),
      accept("walkers.count", "100000", std::int64_t{100000}),
      refuse("walkers.count", "!!float 5", kInteger + "!!float 5"),
      refuse("walkers.count", "5.0", kInteger + "5.0"),
      refuse("walkers.count", "1e3", kInteger + "1e3"),
      refuse("walkers.count", "0x10", kInteger + "\"0x10\""),
      refuse("walkers.count", "1_000", kInteger + "\"1_000\""),
      refuse("walkers.count", "\"5\"", kInteger + "the string \"5\""),
      refuse("walkers.count", "'5'", kInteger + "the string \"5\""),
      refuse("walkers.count", "!!str 5", kInteger + "the string \"5\""),
      refuse("walkers.count", "!!int 2.5", kInteger + "!!int 2.5"),
      refuse("walkers.count", "99999999999999999999", kInteger + "99999999999999999999 (beyond the 64-bit integer range)"),
      refuse("walkers.count", "0", kInteger + "0"),
      refuse("walkers.count", "true", kInteger + "true"),
      refuse("walkers.count", ".inf", kInteger + ".inf"),
      // Reals: the core schema's numbers; an integer is a valid real.
      accept("walkers.drift", "2.5", 2.5),
      accept("walkers.drift", ".5", 0.5),
      accept("walkers.drift", "5", 5.0),
      accept("walkers.drift", "1e-3", 0.001),
      accept("walkers.drift", "2.5E+0", 2.5),
      accept("walkers.drift", "+7.", 7.0),
      accept("walkers.drift", "!!int 5", 5.0),
      accept("walkers.drift", "!!float 5", 5.0),
      accept("walkers.drift", "!!float 0.25", 0.25),
      accept("walkers.drift", "10", 10.0),  // bounds are inclusive
      accept("walkers.drift", "-0.0", -0.0),
      refuse("walkers.drift", "10.5", kReal + "10.5"),
      refuse("walkers.drift", "!!int 2.5", kReal + "!!int 2.5"),
      refuse("walkers.drift", "\"0.5\"", kReal + "the string \"0.5\""),
      refuse("walkers.drift", "!!str 0.5", kReal + "the string \"0.5\""),
      refuse("walkers.drift", "!!bool true", kReal + "!!bool true"),
      refuse("walkers.drift", "!custom 1", kReal + "a value tagged !custom (\"1\")"),
      refuse("walkers.drift", "1e400", kReal + "1e400 (not representable as a double)"),
      refuse("walkers.drift", "high", kReal + "\"high\""),
      refuse("walkers.drift", "1,5", kReal + "\"1,5\""),
      // Non-finite reals are read as numbers, then refused: the range [0, 10] is finite.
      refuse("walkers.drift", ".inf", kReal + ".inf (an infinite value is out of range)"),
      refuse("walkers.drift", "+.inf", kReal + "+.inf (an infinite value is out of range)"),
      refuse("walkers.drift", "-.Inf", kReal + "-.Inf (an infinite value is out of range)"),
      refuse("walkers.drift", ".INF", kReal + ".INF (an infinite value is out of range)"),
      refuse("walkers.drift", "!!float .inf", kReal + "!!float .inf (an infinite value is out of range)"),
      refuse("walkers.drift", ".nan", kReal + ".nan (not a number, never a valid value)"),
      refuse("walkers.drift", ".NaN", kReal + ".NaN (not a number, never a valid value)"),
      refuse("walkers.drift", "inf", kReal + "\"inf\""),
      refuse("walkers.drift", "NaN", kReal + "\"NaN\""),
      // Booleans: true/false in the core schema's three spellings, not YAML 1.1's yes/no/on/off.
      accept("walkers.enabled", "true", true),
      accept("walkers.enabled", "False", false),
      accept("walkers.enabled", "TRUE", true),
      accept("walkers.enabled", "!!bool false", false),
      refuse("walkers.enabled", "yes", kBoolean + "yes"),
      refuse("walkers.enabled", "on", kBoolean + "on"),
      refuse("walkers.enabled", "1", kBoolean + "1"),
      refuse("walkers.enabled", "\"true\"", kBoolean + "the string \"true\""),
      refuse("walkers.enabled", "!!str true", kBoolean + "the string \"true\""),
      refuse("walkers.enabled", "tRUE", kBoolean + "\"tRUE\""),
      // Choices are names: plain, quoted or !!str; other tags are not names.
      accept("walkers.mode", "noisy", std::string("noisy")),
      accept("walkers.mode", "\"noisy\"", std::string("noisy")),
      accept("walkers.mode", "!!str noisy", std::string("noisy")),
      refuse("walkers.mode", "nosy", "expected one of [plain, noisy], found \"nosy\"; did you mean 'noisy'?"),
      refuse("walkers.mode", "Noisy", "did you mean 'noisy'?"),
      refuse("walkers.mode", "!!int 5", "expected one of [plain, noisy], found !!int 5"),
      refuse("walkers.mode", "[noisy]", "expected one of [plain, noisy], found a list"),
  };
}

std::string shown(const std::optional<ParamValue>& value) {
  return value ? format_value(*value) : std::string("(refused)");
}

// Values compare exactly, with the sign of zero: -0.0 must stay -0.0 everywhere.
bool identical(const ParamValue& a, const ParamValue& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<double>(&a)) return std::signbit(*x) == std::signbit(std::get<double>(b)) && *x == std::get<double>(b);
  return a == b;
}

TEST(YamlRules, TheSameValueTextGetsTheSameVerdictInEveryReader) {
  for (const Case& c : tricky_scalars()) {
    SCOPED_TRACE(c.path + ": " + c.text);
    std::vector<Verdict> verdicts = {in_scenario(c.path, c.text), in_override(c.path, c.text), in_sweep(c.path, c.text)};
    std::vector<std::string> names = {"scenario file", "--set override", "sweep file"};
    // Calibration files have real and boolean values (a prior's bounds, a target's effect).
    if (c.path == "walkers.drift") {
      const bool top = c.accepted && std::get<double>(*c.accepted) == 10.0;
      verdicts.push_back(in_calibration_bound(c.text, top));
      names.push_back("calibration file (prior bound)");
    } else if (c.path == "walkers.enabled") {
      verdicts.push_back(in_calibration_effect(c.text));
      names.push_back("calibration file (target effect)");
    }
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
      const Verdict& v = verdicts[i];
      if (c.accepted) {
        ASSERT_TRUE(v.value.has_value()) << names[i] << " refused it: " << v.where << ": " << v.problem;
        EXPECT_TRUE(identical(*v.value, *c.accepted))
            << names[i] << " read " << shown(v.value) << ", expected " << shown(c.accepted);
      } else {
        ASSERT_FALSE(v.value.has_value()) << names[i] << " accepted it as " << shown(v.value);
        EXPECT_NE(v.problem.find(c.message), std::string::npos)
            << names[i] << " said: " << v.problem << "\nexpected it to contain: " << c.message;
        EXPECT_EQ(v.problem, verdicts[0].problem) << names[i] << " and the scenario file disagree";
      }
    }
  }
}

// Errors in files point at the value: the scenario's line 3, the sweep's line 5, column 9 and the
// calibration file's line 3, column 47.
TEST(YamlRules, FileErrorsNameLineColumnAndKeyPath) {
  try {
    parse_calibration_text(
        "base: default\nparameters:\n  walkers.drift: {prior: uniform, bounds: [0, .nan]}\ntargets: []\n");
    FAIL() << "accepted .nan";
  } catch (const ScenarioError& error) {
    EXPECT_STREQ(error.what(),
                 "cal.yaml:3:47: parameters.walkers.drift.bounds[1]: expected a real number in [0, 10], found .nan "
                 "(not a number, never a valid value)");
  }
  // Unknown keys get the same "did you mean" as in scenario and sweep files.
  try {
    parse_calibration_text("base: default\nparameters:\n  walkers.drift: {prior: uniform, bounds: [0, 1]}\n"
                           "targets:\n  - {summary: final_mean, observed: 1}\nabc: {particle: 10}\n");
    FAIL() << "accepted abc.particle";
  } catch (const ScenarioError& error) {
    EXPECT_STREQ(error.what(), "cal.yaml:6:7: abc.particle: unknown key; did you mean 'particles'?");
  }
  try {
    parse_scenario("model: toy\nparameters:\n  walkers.drift: .nan\n", "s.yaml", registry());
    FAIL() << "accepted .nan";
  } catch (const ScenarioError& error) {
    EXPECT_STREQ(error.what(),
                 "s.yaml:3:18: parameters.walkers.drift: expected a real number in [0, 10], found .nan (not a number, "
                 "never a valid value)");
  }
  try {
    parse_sweep("base: default\nparameters:\n  walkers.drift:\n    values:\n      - .nan\n", "w.yaml", "", registry());
    FAIL() << "accepted .nan";
  } catch (const ScenarioError& error) {
    EXPECT_STREQ(error.what(),
                 "w.yaml:5:9: parameters.walkers.drift.values[0]: expected a real number in [0, 10], found .nan "
                 "(not a number, never a valid value)");
  }
}

// The run settings follow the same rules in a scenario's run: block, a --set run.X override and the
// top-level keys of sweep and calibration files, bounds included.
TEST(YamlRules, RunSettingsGetTheSameVerdictInEveryReader) {
  struct Setting {
    std::string key;
    std::string text;
    std::optional<std::uint64_t> accepted;
    std::string message;
  };
  const std::vector<Setting> settings = {
      {"seed", "!!int 7", 7, ""},
      {"seed", "18446744073709551615", 18446744073709551615ULL, ""},
      {"seed", "-1", std::nullopt, "expected an integer in [0, 18446744073709551615], found -1"},
      {"seed", "\"7\"", std::nullopt, "found the string \"7\""},
      {"steps", "!!int 12", 12, ""},
      {"steps", "1000000000", 1000000000, ""},
      {"steps", "1000000001", std::nullopt, "expected an integer in [1, 1000000000], found 1000000001"},
      {"steps", "0", std::nullopt, "expected an integer in [1, 1000000000], found 0"},
      {"steps", "!!float 12", std::nullopt, "found !!float 12"},
      {"replications", "1000000", 1000000, ""},
      {"replications", "1000001", std::nullopt, "expected an integer in [1, 1000000], found 1000001"},
  };
  for (const auto& s : settings) {
    SCOPED_TRACE(s.key + ": " + s.text);
    const auto setting_of = [&](const Scenario& scenario) -> std::uint64_t {
      if (s.key == "seed") return scenario.run.seed;
      return static_cast<std::uint64_t>(s.key == "steps" ? scenario.run.steps : scenario.run.replications);
    };
    const auto read = [&](auto&& body) {
      try {
        return std::pair<std::optional<std::uint64_t>, std::string>{body(), ""};
      } catch (const ScenarioError& error) {
        return std::pair<std::optional<std::uint64_t>, std::string>{std::nullopt, error.problem()};
      }
    };
    const auto file = read([&] {
      return setting_of(parse_scenario("model: toy\nrun:\n  " + s.key + ": " + s.text + "\n", "s.yaml", registry()));
    });
    const auto set = read([&] {
      Scenario scenario = parse_scenario("model: toy\n", "s.yaml", registry());
      apply_override(scenario, "run." + s.key + "=" + s.text, registry());
      return setting_of(scenario);
    });
    const auto sweep = read([&] {
      const Sweep parsed = parse_sweep("base: default\n" + s.key + ": " + s.text +
                                           "\nparameters:\n  walkers.drift: {values: [1]}\n",
                                       "w.yaml", "", registry());
      if (s.key == "seed") return parsed.seed;
      return static_cast<std::uint64_t>(s.key == "steps" ? parsed.steps : parsed.replications);
    });
    const auto calibration = read([&] {
      const Calibration c = parse_calibration_text("base: default\n" + s.key + ": " + s.text +
                                                   "\nparameters:\n  walkers.drift: {prior: uniform, bounds: [0, 1]}\n"
                                                   "targets:\n  - {summary: final_mean, observed: 1}\n"
                                                   "abc: {particles: 2, alpha: 0.5, max_runs: 4}\n");
      if (s.key == "seed") return c.seed;
      return static_cast<std::uint64_t>(s.key == "steps" ? c.steps : c.replications);
    });
    for (const auto& [got, problem] : {file, set, sweep, calibration}) {
      EXPECT_EQ(got, s.accepted) << problem;
      if (!s.accepted) {
        EXPECT_NE(problem.find(s.message), std::string::npos) << problem;
        EXPECT_EQ(problem, file.second);
      }
    }
  }
}

// A model with a rate that has no upper bound, so that .inf is inside its range.
class OpenModel final : public Model {
 public:
  OpenModel() {
    schema_.real("flow.rate", 1.0, 0.0, std::numeric_limits<double>::infinity(), "1/step", "Unbounded rate");
  }
  std::string_view name() const override { return "open"; }
  std::string_view description() const override { return "One parameter without an upper bound"; }
  const ParamSchema& schema() const override { return schema_; }
  OutputLayout layout(const ParamSet&) const override { return {}; }
  std::unique_ptr<World> build(const ParamSet&, const BuildContext&) const override { return nullptr; }

 private:
  ParamSchema schema_;
};

// A non-finite value is judged by the range: .inf fits [0, .inf) in every reader, -.inf and .nan
// do not. Sweeps add one rule of their own: the ends of linspace and bounds must be finite.
TEST(YamlRules, InfinityIsAcceptedOnlyWhereTheRangeIsUnbounded) {
  ModelRegistry open;
  open.add(std::make_unique<OpenModel>());
  const Scenario base = parse_scenario("model: open\n", "open.yaml", open);
  const auto infinity = std::numeric_limits<double>::infinity();

  EXPECT_EQ(parse_scenario("model: open\nparameters: {flow.rate: .inf}\n", "open.yaml", open).base.real("flow.rate"),
            infinity);
  Scenario overridden = base;
  apply_override(overridden, "flow.rate=.inf", open);
  EXPECT_EQ(overridden.base.real("flow.rate"), infinity);
  const Sweep listed = parse_sweep("parameters:\n  flow.rate: {values: [1, .inf]}\n", "w.yaml", base, open);
  EXPECT_EQ(std::get<double>(listed.value(1, 0)), infinity);

  for (const std::string text : {"-.inf", ".nan"}) {
    Scenario copy = base;
    EXPECT_THROW(apply_override(copy, "flow.rate=" + text, open), ScenarioError) << text;
    EXPECT_THROW(parse_scenario("model: open\nparameters: {flow.rate: " + text + "}\n", "open.yaml", open),
                 ScenarioError)
        << text;
  }
  for (const std::string generator : {"linspace: {start: 0, stop: .inf, num: 3}", "bounds: [0, .inf]"}) {
    const std::string design = generator.rfind("bounds", 0) == 0 ? "design: lhs\nsamples: 4\n" : "";
    try {
      parse_sweep(design + "parameters:\n  flow.rate: {" + generator + "}\n", "w.yaml", base, open);
      ADD_FAILURE() << "accepted " << generator;
    } catch (const ScenarioError& error) {
      EXPECT_NE(error.problem().find("found .inf (the ends of a design must be finite)"), std::string::npos)
          << error.what();
    }
  }
}

}  // namespace
}  // namespace coordsim::sim
