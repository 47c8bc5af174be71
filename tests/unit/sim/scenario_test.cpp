// Scenario files: parsing, validation against the model's schema, error messages that name
// file, line, column and key path, the resolved YAML round trip and command-line overrides.
#include "coordsim/sim/scenario.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <random>
#include <string>

#include "coordsim/sim/model.hpp"
#include "test_model.hpp"

namespace coordsim::sim {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

// A second model whose own check() finds problems the schema cannot express.
class BandModel final : public Model {
 public:
  BandModel() {
    schema_.real("band.low", 0.2, 0.0, 1.0, "1", "Lower edge")
        .real("band.high", 0.8, 0.0, 1.0, "1", "Upper edge");
  }
  std::string_view name() const override { return "band"; }
  std::string_view description() const override { return "Two edges that must stay ordered"; }
  const ParamSchema& schema() const override { return schema_; }
  std::vector<std::pair<std::string, std::string>> check(const ParamSet& p) const override {
    if (p.real("band.low") > p.real("band.high")) return {{"band.low", "must not exceed band.high"}};
    return {};
  }
  OutputLayout layout(const ParamSet&) const override { return {}; }
  std::unique_ptr<World> build(const ParamSet&, const BuildContext&) const override { return nullptr; }

 private:
  ParamSchema schema_;
};

class ScenarioTest : public ::testing::Test {
 protected:
  ScenarioTest() {
    test::register_toy_model(registry_);
    registry_.add(std::make_unique<BandModel>());
  }

  Scenario parse(const std::string& text) { return parse_scenario(text, "scenario.yaml", registry_); }

  // The ScenarioError that parsing `text` raises; a test failure when it raises none.
  ScenarioError parse_error(const std::string& text) {
    try {
      parse(text);
    } catch (const ScenarioError& error) {
      return error;
    }
    ADD_FAILURE() << "no ScenarioError for:\n" << text;
    return ScenarioError({}, "", "");
  }

  ScenarioError override_error(Scenario& scenario, const std::string& assignment) {
    try {
      apply_override(scenario, assignment, registry_);
    } catch (const ScenarioError& error) {
      return error;
    }
    ADD_FAILURE() << "no ScenarioError for override " << assignment;
    return ScenarioError({}, "", "");
  }

  ModelRegistry registry_;
};

// what() names the file, the exact line, the key path, and says what was expected and found.
void expect_error(const ScenarioError& error, int line, const std::string& key_path,
                  std::initializer_list<std::string> words) {
  const std::string message = error.what();
  EXPECT_EQ(error.where().file, "scenario.yaml") << message;
  EXPECT_EQ(error.where().line, line) << message;
  EXPECT_EQ(error.key_path(), key_path) << message;
  const std::string prefix = line > 0 ? "scenario.yaml:" + std::to_string(line) + ":" : "scenario.yaml: ";
  EXPECT_EQ(message.rfind(prefix, 0), 0u) << message;
  if (!key_path.empty()) {
    EXPECT_NE(message.find(" " + key_path + ": "), std::string::npos) << message;
  }
  for (const auto& word : words) EXPECT_NE(message.find(word), std::string::npos) << "'" << word << "' missing in: " << message;
}

std::string with_parameters(const std::string& parameters_block) {
  return "model: toy\nparameters:\n" + parameters_block;
}

// ---------------------------------------------------------------------------------------------
// Valid scenarios

TEST_F(ScenarioTest, ParsesTheToyScenario) {
  const Scenario scenario = parse(test::kToyScenario);
  EXPECT_EQ(scenario.source, "scenario.yaml");
  EXPECT_EQ(scenario.model, "toy");
  EXPECT_EQ(scenario.description, "ring of walkers");
  EXPECT_EQ(scenario.run.steps, 20);
  EXPECT_EQ(scenario.run.seed, 7u);
  EXPECT_EQ(scenario.run.replications, 3);
  EXPECT_TRUE(scenario.output.agents);
  EXPECT_EQ(scenario.output.agent_every, 1);
  EXPECT_EQ(scenario.base.integer("walkers.count"), 12);
  EXPECT_EQ(scenario.base.real("walkers.drift"), 0.5);
  EXPECT_EQ(scenario.base.real("walkers.coupling"), 0.0);  // default

  ASSERT_EQ(scenario.variants.size(), 2u);
  EXPECT_EQ(scenario.variants[0].name, "baseline");
  EXPECT_TRUE(scenario.variants[0].overridden.empty());
  EXPECT_EQ(scenario.variants[0].parameters.values(), scenario.base.values());
  EXPECT_EQ(scenario.variants[1].name, "strong");
  EXPECT_EQ(scenario.variants[1].overridden, std::vector<std::string>{"walkers.coupling"});
  EXPECT_EQ(scenario.variants[1].parameters.real("walkers.coupling"), 0.5);
  EXPECT_EQ(scenario.variants[1].parameters.integer("walkers.count"), 12);  // inherited from the base
}

TEST_F(ScenarioTest, DefaultsFillEverythingNotGiven) {
  const Scenario scenario = parse("model: toy\n");
  EXPECT_EQ(scenario.description, "");
  EXPECT_EQ(scenario.run.steps, RunSettings{}.steps);
  EXPECT_EQ(scenario.run.seed, RunSettings{}.seed);
  EXPECT_EQ(scenario.run.replications, RunSettings{}.replications);
  EXPECT_EQ(scenario.output.agents, OutputSettings{}.agents);
  EXPECT_EQ(scenario.base.integer("walkers.count"), 8);
  EXPECT_EQ(scenario.base.real("walkers.drift"), 1.0);
  EXPECT_EQ(scenario.base.choice("walkers.mode"), "plain");
  EXPECT_TRUE(scenario.base.boolean("walkers.enabled"));
  EXPECT_EQ(scenario.base.real_list("walkers.weights"), (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ(scenario.base.values().size(), 6u);
}

TEST_F(ScenarioTest, NoVariantsMeansOneBaseline) {
  for (const std::string text : {"model: toy\n", "model: toy\nvariants:\n", "model: toy\nvariants: {}\n"}) {
    const Scenario scenario = parse(text);
    ASSERT_EQ(scenario.variants.size(), 1u) << text;
    EXPECT_EQ(scenario.variants[0].name, "baseline");
    EXPECT_TRUE(scenario.variants[0].overridden.empty());
    EXPECT_EQ(scenario.variants[0].parameters.values(), scenario.base.values());
  }
}

TEST_F(ScenarioTest, VariantsKeepTheOrderOfTheFile) {
  const Scenario scenario = parse(
      "model: toy\n"
      "variants:\n"
      "  zeta: {walkers.count: 3}\n"
      "  alpha:\n"
      "  middle_2: {}\n");
  ASSERT_EQ(scenario.variants.size(), 3u);
  EXPECT_EQ(scenario.variants[0].name, "zeta");
  EXPECT_EQ(scenario.variants[1].name, "alpha");
  EXPECT_EQ(scenario.variants[2].name, "middle_2");
  EXPECT_EQ(scenario.variants[0].parameters.integer("walkers.count"), 3);
  EXPECT_EQ(scenario.variants[1].parameters.integer("walkers.count"), 8);
}

TEST_F(ScenarioTest, NestedAndDottedKeysMix) {
  const Scenario scenario = parse(
      "model: toy\n"
      "run: {steps: 5, seed: 18446744073709551615, replications: 1}\n"
      "output: {agents: false, agent_every: 4}\n"
      "parameters:\n"
      "  walkers:\n"
      "    count: 30\n"
      "    mode: noisy\n"
      "  walkers.enabled: False\n"
      "  walkers.weights: [0.1, 0.2, 1]\n"
      "  walkers.drift: 3\n"  // an integer is a fine real
      "variants:\n"
      "  nested:\n"
      "    walkers:\n"
      "      coupling: 0.25\n"
      "      mode: plain\n"
      "  dotted:\n"
      "    walkers.coupling: 1\n");
  EXPECT_EQ(scenario.run.steps, 5);
  EXPECT_EQ(scenario.run.seed, 18446744073709551615u);
  EXPECT_FALSE(scenario.output.agents);
  EXPECT_EQ(scenario.output.agent_every, 4);
  EXPECT_EQ(scenario.base.integer("walkers.count"), 30);
  EXPECT_EQ(scenario.base.choice("walkers.mode"), "noisy");
  EXPECT_FALSE(scenario.base.boolean("walkers.enabled"));
  EXPECT_EQ(scenario.base.real_list("walkers.weights"), (std::vector<double>{0.1, 0.2, 1.0}));
  EXPECT_EQ(scenario.base.real("walkers.drift"), 3.0);
  ASSERT_EQ(scenario.variants.size(), 2u);
  EXPECT_EQ(scenario.variants[0].overridden, (std::vector<std::string>{"walkers.coupling", "walkers.mode"}));
  EXPECT_EQ(scenario.variants[0].parameters.real("walkers.coupling"), 0.25);
  EXPECT_EQ(scenario.variants[0].parameters.choice("walkers.mode"), "plain");
  EXPECT_EQ(scenario.variants[1].parameters.real("walkers.coupling"), 1.0);
  EXPECT_EQ(scenario.variants[1].parameters.choice("walkers.mode"), "noisy");
}

// `coordsim params` and Python's params() without a model describe the default scenario's model,
// which need not be the first registered; with no default scenario, the first registered.
TEST_F(ScenarioTest, DefaultModelIsTheDefaultScenariosModel) {
  EXPECT_EQ(registry_.default_model(), "toy");
  registry_.set_default_scenario("band.yaml", "model: band\n");
  EXPECT_EQ(registry_.default_model(), "band");
}

TEST_F(ScenarioTest, QuotedChoicesAndKeysAreAccepted) {
  const Scenario scenario =
      parse("model: \"toy\"\nparameters:\n  \"walkers.mode\": 'noisy'\n  walkers.count: !!int 5\n");
  EXPECT_EQ(scenario.base.choice("walkers.mode"), "noisy");
  EXPECT_EQ(scenario.base.integer("walkers.count"), 5);  // an explicit core tag is still a number
}

// ---------------------------------------------------------------------------------------------
// Unknown keys and "did you mean"

TEST_F(ScenarioTest, UnknownTopLevelKeySuggestsTheRightOne) {
  expect_error(parse_error("model: toy\n"
                           "description: x\n"
                           "paramters:\n"
                           "  walkers.count: 3\n"),
               3, "paramters", {"unknown key", "did you mean 'parameters'?"});
}

TEST_F(ScenarioTest, LabelsNameVariantsAndOutcomesAndRoundTrip) {
  const Scenario scenario = parse(std::string(test::kToyScenario) +
                                  "labels:\n"
                                  "  variants: {strong: \"Strong coupling (强耦合)\"}\n"
                                  "  outcomes: {final_mean: \"Mean at the end\", messages: Messages}\n");
  ASSERT_EQ(scenario.labels.variants.size(), 1u);
  EXPECT_EQ(scenario.labels.variants[0].name, "strong");
  EXPECT_EQ(scenario.labels.variants[0].text, "Strong coupling (强耦合)");
  ASSERT_EQ(scenario.labels.outcomes.size(), 2u);
  EXPECT_EQ(scenario.labels.outcomes[1].name, "messages");
  // The resolved YAML keeps them, so a result file carries its labels.
  const Scenario again = parse(scenario.resolved_yaml());
  ASSERT_EQ(again.labels.outcomes.size(), 2u);
  EXPECT_EQ(again.labels.variants[0].text, scenario.labels.variants[0].text);
  EXPECT_EQ(again.labels.outcomes[0].text, "Mean at the end");
  EXPECT_EQ(again.resolved_yaml(), scenario.resolved_yaml());
  // A scenario reduced to some of its variants (a sweep's or a calibration's) still reads back.
  Scenario reduced = scenario;
  reduced.variants.resize(1);
  const Scenario reread = parse(reduced.resolved_yaml());
  EXPECT_TRUE(reread.labels.variants.empty());
  EXPECT_EQ(reread.labels.outcomes.size(), 2u);
}

TEST_F(ScenarioTest, LabelsForNamesThatDoNotExistAreErrors) {
  const std::string base = std::string(test::kToyScenario) + "labels:\n";
  const int labels_line = static_cast<int>(std::count(base.begin(), base.end(), '\n'));
  expect_error(parse_error(base + "  variants: {strnog: x}\n"), labels_line + 1, "labels.variants.strnog",
               {"unknown variant", "did you mean 'strong'?"});
  expect_error(parse_error(base + "  outcomes: {final_maen: x}\n"), labels_line + 1, "labels.outcomes.final_maen",
               {"unknown outcome", "did you mean 'final_mean'?"});
  expect_error(parse_error(base + "  outcome: {final_mean: x}\n"), labels_line + 1, "labels.outcome",
               {"did you mean 'outcomes'?"});
  expect_error(parse_error(base + "  outcomes: {final_mean: [a, b]}\n"), labels_line + 1, "labels.outcomes.final_mean",
               {"one line of text"});
  Scenario scenario = parse(test::kToyScenario);
  const ScenarioError error = override_error(scenario, "labels.variants.strong=x");
  EXPECT_NE(std::string(error.what()).find("cannot be set on the command line"), std::string::npos) << error.what();
}

TEST_F(ScenarioTest, UnknownRunAndOutputKeys) {
  expect_error(parse_error("model: toy\nrun:\n  steps: 3\n  sede: 4\n"), 4, "run.sede",
               {"unknown key", "did you mean 'seed'?"});
  expect_error(parse_error("model: toy\noutput:\n  agent_evry: 2\n"), 3, "output.agent_evry",
               {"did you mean 'agent_every'?"});
  expect_error(parse_error("model: toy\nrun:\n  colour: red\n"), 3, "run.colour",
               {"unknown key", "expected one of steps, seed, replications"});
}

TEST_F(ScenarioTest, MisspeltDottedParameterSuggestsTheFullPath) {
  const ScenarioError error = parse_error(with_parameters("  walkers.count: 3\n"
                                                          "  walkers.cuont: 3\n"));
  expect_error(error, 4, "parameters.walkers.cuont", {"unknown parameter", "did you mean 'walkers.count'?"});
  EXPECT_EQ(error.where().column, 3);
}

TEST_F(ScenarioTest, MisspeltNestedParameterSuggestsTheNameInItsBlock) {
  expect_error(parse_error(with_parameters("  walkers:\n"
                                           "    count: 3\n"
                                           "    drfit: 0.5\n")),
               5, "parameters.walkers.drfit", {"did you mean 'drift'?"});
}

TEST_F(ScenarioTest, MisspeltBlockSuggestsTheBlock) {
  expect_error(parse_error(with_parameters("  walker:\n    count: 3\n")), 3, "parameters.walker",
               {"did you mean 'walkers'?"});
}

TEST_F(ScenarioTest, UnrelatedParameterNamesTheModel) {
  expect_error(parse_error(with_parameters("  temperature: 3\n")), 3, "parameters.temperature",
               {"unknown parameter of model 'toy'", "coordsim params toy"});
}

TEST_F(ScenarioTest, ParameterAtTopLevelSaysWhereItBelongs) {
  expect_error(parse_error("model: toy\nwalkers:\n  count: 3\n"), 2, "walkers", {"under 'parameters:'"});
}

TEST_F(ScenarioTest, VariantOverridingAnUnknownParameterNamesTheVariant) {
  expect_error(parse_error("model: toy\n"
                           "variants:\n"
                           "  baseline: {}\n"
                           "  leading_group:\n"
                           "    walkers.cuont: 4\n"),
               5, "variants.leading_group.walkers.cuont", {"unknown parameter", "did you mean 'walkers.count'?"});
  expect_error(parse_error("model: toy\n"
                           "variants:\n"
                           "  leading_group:\n"
                           "    walkers:\n"
                           "      cuont: 4\n"),
               5, "variants.leading_group.walkers.cuont", {"did you mean 'count'?"});
}

TEST_F(ScenarioTest, VariantValuesAreValidatedLikeTheBase) {
  expect_error(parse_error("model: toy\n"
                           "variants:\n"
                           "  strong:\n"
                           "    walkers.coupling: 1.5\n"),
               4, "variants.strong.walkers.coupling", {"expected a real number in [0, 1]", "found 1.5"});
}

// ---------------------------------------------------------------------------------------------
// The model

TEST_F(ScenarioTest, MissingModel) {
  expect_error(parse_error("description: no model here\n"), 0, "model", {"missing", "toy"});
}

TEST_F(ScenarioTest, UnknownModelListsTheAvailableOnes) {
  expect_error(parse_error("description: x\nmodel: tyo\n"), 2, "model",
               {"unknown model", "band, toy", "found \"tyo\"", "did you mean 'toy'?"});
}

TEST_F(ScenarioTest, ModelMustBeAName) {
  expect_error(parse_error("model: [toy]\n"), 1, "model", {"expected the name of a registered model", "found a list"});
}

TEST_F(ScenarioTest, ModelChecksBecomeScenarioErrorsAtTheParameter) {
  expect_error(parse_error("model: band\n"
                           "parameters:\n"
                           "  band:\n"
                           "    high: 0.3\n"
                           "    low: 0.5\n"),
               5, "parameters.band.low", {"must not exceed band.high"});
  // A variant that breaks the rule is reported under the variant's path.
  expect_error(parse_error("model: band\n"
                           "variants:\n"
                           "  baseline: {}\n"
                           "  inverted:\n"
                           "    band.low: 0.9\n"),
               5, "variants.inverted.band.low", {"must not exceed band.high"});
}

// ---------------------------------------------------------------------------------------------
// Types and ranges

TEST_F(ScenarioTest, BooleanAcceptsOnlyTrueOrFalse) {
  for (const std::string value : {"1", "0", "yes", "on", "\"true\"", "[true]"}) {
    expect_error(parse_error(with_parameters("  walkers.enabled: " + value + "\n")), 3,
                 "parameters.walkers.enabled", {"expected true or false, found"});
  }
  expect_error(parse_error(with_parameters("  walkers.enabled: 1\n")), 3, "parameters.walkers.enabled",
               {"expected true or false, found 1"});
}

TEST_F(ScenarioTest, IntegerRejectsRealsStringsAndOutOfRange) {
  expect_error(parse_error(with_parameters("  walkers.count: 2.5\n")), 3, "parameters.walkers.count",
               {"expected an integer in [1, 100000], found 2.5"});
  expect_error(parse_error(with_parameters("  walkers.count: \"3\"\n")), 3, "parameters.walkers.count",
               {"expected an integer in [1, 100000], found the string \"3\""});
  expect_error(parse_error(with_parameters("  walkers.count: 0\n")), 3, "parameters.walkers.count",
               {"found 0"});
  expect_error(parse_error(with_parameters("  walkers.count: 100001\n")), 3, "parameters.walkers.count",
               {"found 100001"});
  expect_error(parse_error(with_parameters("  walkers.count: 99999999999999999999\n")), 3,
               "parameters.walkers.count", {"found 99999999999999999999 (beyond the 64-bit integer range)"});
  expect_error(parse_error(with_parameters("  walkers.count: 0x10\n")), 3, "parameters.walkers.count",
               {"found \"0x10\""});
}

TEST_F(ScenarioTest, RealRejectsTextAndNonFiniteValues) {
  const ScenarioError error = parse_error(with_parameters("  walkers:\n    drift: high\n"));
  expect_error(error, 4, "parameters.walkers.drift", {"expected a real number in [0, 10], found \"high\""});
  EXPECT_EQ(error.where().column, 12);  // points at the value
  for (const std::string value : {".nan", ".inf", "-.inf", "\"0.5\"", "1e400"})
    expect_error(parse_error(with_parameters("  walkers.drift: " + value + "\n")), 3, "parameters.walkers.drift",
                 {"expected a real number in [0, 10], found"});
  expect_error(parse_error(with_parameters("  walkers.drift: 10.5\n")), 3, "parameters.walkers.drift",
               {"found 10.5"});
  // The bounds are inclusive.
  EXPECT_EQ(parse(with_parameters("  walkers.drift: 10\n")).base.real("walkers.drift"), 10.0);
  EXPECT_EQ(parse(with_parameters("  walkers.drift: 0\n")).base.real("walkers.drift"), 0.0);
}

TEST_F(ScenarioTest, ChoiceListsTheChoices) {
  expect_error(parse_error(with_parameters("  walkers.mode: loud\n")), 3, "parameters.walkers.mode",
               {"expected one of [plain, noisy], found \"loud\""});
  expect_error(parse_error(with_parameters("  walkers.mode: nosy\n")), 3, "parameters.walkers.mode",
               {"did you mean 'noisy'?"});
}

TEST_F(ScenarioTest, RealListChecksEveryElement) {
  expect_error(parse_error(with_parameters("  walkers.weights:\n    - 0.1\n    - 1.5\n")), 5,
               "parameters.walkers.weights[1]", {"expected a real number in [0, 1], found 1.5"});
  expect_error(parse_error(with_parameters("  walkers.weights: 0.5\n")), 3, "parameters.walkers.weights",
               {"expected a list of real numbers in [0, 1]", "found 0.5"});
  expect_error(parse_error(with_parameters("  walkers.weights: [0.5, x]\n")), 3, "parameters.walkers.weights[1]",
               {"found \"x\""});
}

TEST_F(ScenarioTest, BlockAndScalarCannotStandInForEachOther) {
  expect_error(parse_error(with_parameters("  walkers: 3\n")), 3, "parameters.walkers",
               {"expected a mapping of the parameters in block 'walkers', found 3"});
  expect_error(parse_error(with_parameters("  walkers:\n    count:\n      value: 3\n")), 4,
               "parameters.walkers.count", {"expected an integer", "found a mapping"});
  expect_error(parse_error("model: toy\nparameters: [1, 2]\n"), 2, "parameters",
               {"expected a mapping of parameters, found a list"});
}

TEST_F(ScenarioTest, MissingValueIsNothing) {
  expect_error(parse_error(with_parameters("  walkers.count:\n")), 3, "parameters.walkers.count",
               {"found nothing"});
}

TEST_F(ScenarioTest, RunAndOutputSettingsAreValidated) {
  expect_error(parse_error("model: toy\nrun:\n  steps: 0\n"), 3, "run.steps", {"expected an integer in [1, 1000000000], found 0"});
  expect_error(parse_error("model: toy\nrun:\n  seed: -1\n"), 3, "run.seed",
               {"expected an integer in [0, 18446744073709551615], found -1"});
  expect_error(parse_error("model: toy\nrun:\n  replications: \"3\"\n"), 3, "run.replications",
               {"found the string \"3\""});
  expect_error(parse_error("model: toy\noutput:\n  agents: 1\n"), 3, "output.agents",
               {"expected true or false, found 1"});
  expect_error(parse_error("model: toy\noutput:\n  agent_every: 1.5\n"), 3, "output.agent_every",
               {"found 1.5"});
  expect_error(parse_error("model: toy\nrun: 5\n"), 2, "run", {"expected a mapping", "found 5"});
}

// ---------------------------------------------------------------------------------------------
// Duplicates and variant names

TEST_F(ScenarioTest, DuplicateKeysAreErrors) {
  expect_error(parse_error(with_parameters("  walkers:\n"
                                           "    count: 3\n"
                                           "    count: 4\n")),
               5, "parameters.walkers.count", {"duplicate key", "first given at line 4"});
  expect_error(parse_error("model: toy\nrun: {steps: 3}\nrun: {steps: 4}\n"), 3, "run", {"duplicate key"});
  expect_error(parse_error("model: toy\nvariants:\n  a: {}\n  a: {}\n"), 4, "variants.a", {"duplicate key"});
}

TEST_F(ScenarioTest, ParameterGivenNestedAndDottedIsAnError) {
  expect_error(parse_error(with_parameters("  walkers:\n"
                                           "    count: 3\n"
                                           "  walkers.count: 4\n")),
               5, "parameters.walkers.count", {"given twice", "first given at line 4"});
}

TEST_F(ScenarioTest, VariantNamesMustBeIdentifiers) {
  expect_error(parse_error("model: toy\nvariants:\n  my-variant: {}\n"), 3, "variants.my-variant",
               {"expected a variant name", "found \"my-variant\""});
  expect_error(parse_error("model: toy\nvariants:\n  2nd: {}\n"), 3, "variants.2nd", {"expected a variant name"});
  expect_error(parse_error("model: toy\nvariants: [a, b]\n"), 2, "variants", {"expected a mapping", "found a list"});
  expect_error(parse_error("model: toy\nvariants:\n  strong: 3\n"), 3, "variants.strong",
               {"expected a mapping of parameters, found 3"});
}

// ---------------------------------------------------------------------------------------------
// Text that is not a scenario

TEST_F(ScenarioTest, MalformedYamlReportsItsPosition) {
  expect_error(parse_error("model: toy\n"
                           "parameters:\n"
                           "  walkers.weights: [0.1, 0.2\n"
                           "  walkers.count: 3\n"),
               4, "", {"malformed YAML"});
}

// yaml-cpp 0.7 loops for ever on a stray ',' where a document starts (LoadAll) or reads it as an
// empty document (Load); both must come out as a malformed-YAML error at the comma.
TEST_F(ScenarioTest, StrayCommaIsMalformedYaml) {
  const ScenarioError error = parse_error(",model: toy\nrun: {steps: 3}\n");
  expect_error(error, 1, "", {"malformed YAML", "','"});
  EXPECT_EQ(error.where().column, 1);
  expect_error(parse_error("model: toy\n---\n,\n"), 3, "", {"malformed YAML", "','"});
  Scenario scenario = parse("model: toy\n");
  EXPECT_THROW(apply_override(scenario, "walkers.count=,", registry_), ScenarioError);
}

TEST_F(ScenarioTest, TopLevelMustBeAMapping) {
  expect_error(parse_error("- model\n- toy\n"), 1, "", {"expected a mapping of top-level keys", "found a list"});
  expect_error(parse_error("just some words\n"), 1, "", {"found \"just some words\""});
}

TEST_F(ScenarioTest, EmptyTextIsAnError) {
  for (const std::string text : {"", "   \n\n", "# only a comment\n  # and another\n", "---\n"})
    expect_error(parse_error(text), 0, "", {"empty"});
}

TEST_F(ScenarioTest, BinaryTextIsRefusedBeforeParsing) {
  expect_error(parse_error("model: toy\ndescr\0iption: x\n"s), 2, "", {"NUL byte", "binary"});
  expect_error(parse_error("model: toy\ndescription: caf\xC3\n"), 2, "", {"not valid UTF-8"});
  expect_error(parse_error("model: toy\ndescription: \xC0\xAF\n"), 2, "", {"not valid UTF-8"});  // overlong
  expect_error(parse_error("model: toy\n\x01\x02\n"), 2, "", {"control character 0x01"});
  // Valid multibyte text is fine.
  EXPECT_EQ(parse("model: toy\ndescription: café ∑ 🙂\n").description, "café ∑ 🙂");
}

TEST_F(ScenarioTest, SeveralDocumentsAreAnError) {
  expect_error(parse_error("model: toy\n---\nmodel: band\n"), 3, "", {"one YAML document"});
}

TEST_F(ScenarioTest, MessagesAreOneLine) {
  const ScenarioError error = parse_error("model: toy\nparameters:\n  walkers.mode: \"a\\nb\"\n");
  EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos) << error.what();
}

// Whatever the text, parsing either succeeds or throws ScenarioError: never a yaml-cpp
// exception, never another std::exception.
TEST_F(ScenarioTest, MangledTextOnlyEverThrowsScenarioError) {
  const std::string original = test::kToyScenario;
  std::mt19937 generator(12345);
  const std::string alphabet = ":-[]{}\"'#&*!|>%@`,?. \n\t0a\xC3";
  int errors = 0;
  for (int attempt = 0; attempt < 3000; ++attempt) {
    std::string text = original;
    const int edits = 1 + static_cast<int>(generator() % 4);
    for (int edit = 0; edit < edits; ++edit) {
      const std::size_t at = generator() % text.size();
      const char c = alphabet[generator() % alphabet.size()];
      switch (generator() % 3) {
        case 0: text[at] = c; break;
        case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c); break;
        default: text.erase(at, 1 + generator() % 8); break;
      }
      if (text.empty()) text = std::string(1, 'x');
    }
    try {
      parse(text);
    } catch (const ScenarioError&) {
      ++errors;
    } catch (const std::exception& other) {
      ADD_FAILURE() << "escaped: " << other.what() << "\nfor:\n" << text;
    }
  }
  EXPECT_GT(errors, 100);  // the mangling did reach the error paths
}

// ---------------------------------------------------------------------------------------------
// Resolved YAML

void expect_same_scenario(const Scenario& a, const Scenario& b) {
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.run.steps, b.run.steps);
  EXPECT_EQ(a.run.seed, b.run.seed);
  EXPECT_EQ(a.run.replications, b.run.replications);
  EXPECT_EQ(a.output.agents, b.output.agents);
  EXPECT_EQ(a.output.agent_every, b.output.agent_every);
  EXPECT_EQ(a.base.values(), b.base.values());  // exact: doubles compare bit for bit here
  ASSERT_EQ(a.variants.size(), b.variants.size());
  for (std::size_t i = 0; i < a.variants.size(); ++i) {
    EXPECT_EQ(a.variants[i].name, b.variants[i].name);
    EXPECT_EQ(a.variants[i].overridden, b.variants[i].overridden);
    EXPECT_EQ(a.variants[i].parameters.values(), b.variants[i].parameters.values());
  }
}

TEST_F(ScenarioTest, ResolvedYamlRoundTrips) {
  const Scenario original = parse(
      "model: toy\n"
      "description: \"say \\\"hi\\\"\\n\\tcafé: #1\"\n"
      "run: {steps: 9, seed: 18446744073709551615, replications: 2}\n"
      "output: {agents: false, agent_every: 3}\n"
      "parameters:\n"
      "  walkers.drift: 0.1\n"
      "  walkers.coupling: 1e-300\n"
      "  walkers.weights: [0.1, 0.30000000000000004, 1e-300]\n"
      "  walkers.mode: noisy\n"
      "variants:\n"
      "  zeta: {walkers.drift: 0.30000000000000004, walkers.enabled: false}\n"
      "  alpha:\n"
      "    walkers: {count: 99, drift: 0.1}\n"
      "  same: {}\n");
  const std::string resolved = original.resolved_yaml();
  const Scenario again = parse_scenario(resolved, "resolved.yaml", registry_);
  expect_same_scenario(original, again);
  EXPECT_EQ(again.base.real("walkers.coupling"), 1e-300);
  EXPECT_EQ(again.variants[0].parameters.real("walkers.drift"), 0.30000000000000004);
  EXPECT_NE(again.variants[0].parameters.real("walkers.drift"), 0.3);
  // Canonical: writing the re-read scenario gives the same text.
  EXPECT_EQ(again.resolved_yaml(), resolved);
}

TEST_F(ScenarioTest, ResolvedYamlWritesEveryParameterAndOnlyVariantOverrides) {
  const std::string resolved = parse(test::kToyScenario).resolved_yaml();
  for (const char* expected : {"model: toy\n", "  steps: 20\n", "  seed: 7\n", "  replications: 3\n",
                               "  agents: true\n", "parameters:\n  walkers:\n", "    count: 12\n",
                               "    drift: 0.5\n", "    coupling: 0.0\n", "    mode: plain\n",
                               "    enabled: true\n", "    weights: [0.5, 0.5]\n", "  baseline: {}\n",
                               "  strong:\n    walkers.coupling: 0.5\n"})
    EXPECT_NE(resolved.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << resolved;
  EXPECT_LT(resolved.find("  baseline:"), resolved.find("  strong:"));
  EXPECT_EQ(resolved.find("walkers.count"), std::string::npos) << resolved;  // not a variant override
}

TEST_F(ScenarioTest, ResolvedYamlOfADefaultBaselineRoundTrips) {
  const Scenario original = parse("model: toy\n");
  expect_same_scenario(original, parse(original.resolved_yaml()));
}

// ---------------------------------------------------------------------------------------------
// Command-line overrides

TEST_F(ScenarioTest, ParameterOverrideSetsBaseAndVariantsThatDoNotSetIt) {
  Scenario scenario = parse(test::kToyScenario);
  apply_override(scenario, "walkers.coupling=0.75", registry_);
  EXPECT_EQ(scenario.base.real("walkers.coupling"), 0.75);
  EXPECT_EQ(scenario.variants[0].parameters.real("walkers.coupling"), 0.75);  // baseline follows the base
  EXPECT_EQ(scenario.variants[1].parameters.real("walkers.coupling"), 0.5);   // strong keeps its own
  apply_override(scenario, "parameters.walkers.mode=noisy", registry_);
  EXPECT_EQ(scenario.variants[1].parameters.choice("walkers.mode"), "noisy");
  apply_override(scenario, "walkers.weights=[0.1,0.9]", registry_);
  EXPECT_EQ(scenario.base.real_list("walkers.weights"), (std::vector<double>{0.1, 0.9}));
  apply_override(scenario, " walkers.enabled = false ", registry_);
  EXPECT_FALSE(scenario.variants[0].parameters.boolean("walkers.enabled"));
  EXPECT_TRUE(scenario.variants[0].overridden.empty());  // the base changed, not the variant
}

TEST_F(ScenarioTest, OverrideCanGiveAWholeBlock) {
  Scenario scenario = parse(test::kToyScenario);
  apply_override(scenario, "walkers={count: 3, coupling: 0.25}", registry_);
  EXPECT_EQ(scenario.base.integer("walkers.count"), 3);
  EXPECT_EQ(scenario.variants[0].parameters.real("walkers.coupling"), 0.25);
  EXPECT_EQ(scenario.variants[1].parameters.real("walkers.coupling"), 0.5);
  apply_override(scenario, "variants.strong={walkers.count: 4}", registry_);
  EXPECT_EQ(scenario.variants[1].parameters.integer("walkers.count"), 4);
  EXPECT_EQ(scenario.variants[1].overridden, (std::vector<std::string>{"walkers.coupling", "walkers.count"}));
  expect_same_scenario(scenario, parse(scenario.resolved_yaml()));
}

TEST_F(ScenarioTest, RunAndOutputOverrides) {
  Scenario scenario = parse(test::kToyScenario);
  apply_override(scenario, "run.seed=5", registry_);
  apply_override(scenario, "run.steps=100", registry_);
  apply_override(scenario, "output.agents=false", registry_);
  apply_override(scenario, "output.agent_every=10", registry_);
  EXPECT_EQ(scenario.run.seed, 5u);
  EXPECT_EQ(scenario.run.steps, 100);
  EXPECT_EQ(scenario.run.replications, 3);
  EXPECT_FALSE(scenario.output.agents);
  EXPECT_EQ(scenario.output.agent_every, 10);
}

TEST_F(ScenarioTest, VariantOverrideChangesOnlyThatVariant) {
  Scenario scenario = parse(test::kToyScenario);
  apply_override(scenario, "variants.baseline.walkers.count=20", registry_);
  EXPECT_EQ(scenario.variants[0].parameters.integer("walkers.count"), 20);
  EXPECT_EQ(scenario.variants[0].overridden, std::vector<std::string>{"walkers.count"});
  EXPECT_EQ(scenario.variants[1].parameters.integer("walkers.count"), 12);
  EXPECT_EQ(scenario.base.integer("walkers.count"), 12);
  // A later base override leaves the variant's own value alone.
  apply_override(scenario, "walkers.count=30", registry_);
  EXPECT_EQ(scenario.variants[0].parameters.integer("walkers.count"), 20);
  EXPECT_EQ(scenario.variants[1].parameters.integer("walkers.count"), 30);
}

TEST_F(ScenarioTest, OverriddenScenarioStillRoundTrips) {
  Scenario scenario = parse(test::kToyScenario);
  apply_override(scenario, "walkers.drift=0.1", registry_);
  apply_override(scenario, "variants.strong.walkers.weights=[1e-300, 0.30000000000000004]", registry_);
  apply_override(scenario, "variants.baseline.walkers.mode=noisy", registry_);
  apply_override(scenario, "run.seed=5", registry_);
  const Scenario again = parse(scenario.resolved_yaml());
  expect_same_scenario(scenario, again);
  EXPECT_EQ(again.variants[1].parameters.real_list("walkers.weights")[0], 1e-300);
}

void expect_command_line_error(const ScenarioError& error, const std::string& key_path,
                               std::initializer_list<std::string> words) {
  const std::string message = error.what();
  EXPECT_EQ(error.where().file, "<command line>");
  EXPECT_EQ(error.key_path(), key_path) << message;
  EXPECT_EQ(message.rfind("<command line>: " + (key_path.empty() ? std::string() : key_path + ": "), 0), 0u)
      << message;
  for (const auto& word : words) EXPECT_NE(message.find(word), std::string::npos) << "'" << word << "' missing in: " << message;
}

TEST_F(ScenarioTest, OverridesAreValidatedLikeTheFile) {
  Scenario scenario = parse(test::kToyScenario);
  const std::string before = scenario.resolved_yaml();
  expect_command_line_error(override_error(scenario, "walkers.cuont=3"), "walkers.cuont",
                            {"unknown parameter", "did you mean 'walkers.count'?"});
  expect_command_line_error(override_error(scenario, "parameters.walkers.cuont=3"), "parameters.walkers.cuont",
                            {"did you mean 'walkers.count'?"});
  expect_command_line_error(override_error(scenario, "walkers.count=2.5"), "walkers.count",
                            {"expected an integer in [1, 100000], found 2.5"});
  expect_command_line_error(override_error(scenario, "walkers.drift=high"), "walkers.drift",
                            {"expected a real number in [0, 10], found \"high\""});
  expect_command_line_error(override_error(scenario, "walkers.enabled=yes"), "walkers.enabled",
                            {"expected true or false"});
  expect_command_line_error(override_error(scenario, "walkers.count="), "walkers.count", {"found nothing"});
  expect_command_line_error(override_error(scenario, "walkers.weights=[0.1, 2]"), "walkers.weights[1]",
                            {"found 2"});
  expect_command_line_error(override_error(scenario, "walkers.weights=[0.1,"), "walkers.weights",
                            {"malformed value"});
  expect_command_line_error(override_error(scenario, "run.stpes=3"), "run.stpes", {"did you mean 'steps'?"});
  expect_command_line_error(override_error(scenario, "run.seed=-2"), "run.seed", {"found -2"});
  expect_command_line_error(override_error(scenario, "variants.strnog.walkers.count=3"), "variants.strnog.walkers.count",
                            {"unknown variant", "did you mean 'strong'?"});
  expect_command_line_error(override_error(scenario, "variants.strong.walkers.cuont=3"),
                            "variants.strong.walkers.cuont", {"did you mean 'walkers.count'?"});
  expect_command_line_error(override_error(scenario, "walkers.count"), "", {"expected KEY=VALUE", "no '='"});
  expect_command_line_error(override_error(scenario, "=3"), "", {"expected KEY=VALUE"});
  expect_command_line_error(override_error(scenario, "model=band"), "model", {"cannot be set"});
  // Nothing of the rejected overrides stuck.
  EXPECT_EQ(scenario.resolved_yaml(), before);
}

TEST_F(ScenarioTest, OverridesRunTheModelChecks) {
  Scenario scenario = parse("model: band\n"
                            "parameters: {band.high: 1.0}\n"
                            "variants:\n"
                            "  wide: {}\n"
                            "  narrow: {band.high: 0.5}\n");
  // Fine for the base and "wide", not for "narrow": the error names the variant.
  expect_command_line_error(override_error(scenario, "band.low=0.7"), "variants.narrow.band.low",
                            {"must not exceed band.high"});
  EXPECT_EQ(scenario.base.real("band.low"), 0.2);  // unchanged after the failed override
  expect_command_line_error(override_error(scenario, "band.high=0.1"), "parameters.band.low",
                            {"must not exceed band.high"});
  apply_override(scenario, "variants.wide.band.low=0.9", registry_);
  EXPECT_EQ(scenario.variants[0].parameters.real("band.low"), 0.9);
}

// ---------------------------------------------------------------------------------------------
// Files

class ScenarioFileTest : public ScenarioTest {
 protected:
  ScenarioFileTest() {
    directory_ = fs::temp_directory_path() /
                 ("coordsim_scenario_test_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
  }
  ~ScenarioFileTest() override {
    std::error_code ignored;
    fs::permissions(directory_ / "locked.yaml", fs::perms::owner_all, ignored);
    fs::remove_all(directory_, ignored);
  }
  std::string write(const std::string& name, const std::string& bytes) {
    const fs::path path = directory_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  ScenarioError load_error(const std::string& path) {
    try {
      load_scenario(path, registry_);
    } catch (const ScenarioError& error) {
      return error;
    }
    ADD_FAILURE() << "no ScenarioError for " << path;
    return ScenarioError({}, "", "");
  }

  fs::path directory_;
};

TEST_F(ScenarioFileTest, LoadsAFile) {
  const std::string path = write("toy.yaml", test::kToyScenario);
  const Scenario scenario = load_scenario(path, registry_);
  EXPECT_EQ(scenario.source, path);
  EXPECT_EQ(scenario.base.integer("walkers.count"), 12);
}

TEST_F(ScenarioFileTest, ErrorsNameTheFile) {
  const std::string path = write("typo.yaml", "model: toy\nparameters:\n  walkers.cuont: 3\n");
  const ScenarioError error = load_error(path);
  EXPECT_EQ(std::string(error.what()).rfind(path + ":3:3: parameters.walkers.cuont: ", 0), 0u) << error.what();
}

TEST_F(ScenarioFileTest, MissingFile) {
  const std::string path = (directory_ / "absent.yaml").string();
  const ScenarioError error = load_error(path);
  EXPECT_EQ(error.where().file, path);
  EXPECT_NE(std::string(error.what()).find("no such file"), std::string::npos) << error.what();
}

TEST_F(ScenarioFileTest, EmptyFiles) {
  for (const std::string bytes : {"", "\n  \n", "# nothing but a comment\n"}) {
    const ScenarioError error = load_error(write("empty.yaml", bytes));
    EXPECT_NE(std::string(error.what()).find("empty"), std::string::npos) << error.what();
  }
}

TEST_F(ScenarioFileTest, RandomBytesWithNul) {
  std::mt19937 generator(99);
  std::string bytes(4096, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(generator() % 256);
  bytes[100] = '\0';
  const std::string path = write("random.bin", bytes);
  const ScenarioError error = load_error(path);
  EXPECT_EQ(error.where().file, path);
  EXPECT_NE(std::string(error.what()).find("binary file"), std::string::npos) << error.what();
}

TEST_F(ScenarioFileTest, Directory) {
  const ScenarioError error = load_error(directory_.string());
  EXPECT_NE(std::string(error.what()).find("is a directory"), std::string::npos) << error.what();
}

TEST_F(ScenarioFileTest, UnreadableFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const std::string path = write("locked.yaml", test::kToyScenario);
  fs::permissions(path, fs::perms::none);
  const ScenarioError error = load_error(path);
  EXPECT_NE(std::string(error.what()).find("cannot open"), std::string::npos) << error.what();
}

// extends: a file that starts from another. The child's keys change the parent's one by one.
TEST_F(ScenarioFileTest, ExtendsInheritsAndChangesKeyByKey) {
  write("toy.yaml", test::kToyScenario);
  const std::string path = write("child.yaml",
                                 "extends: toy.yaml\n"
                                 "run:\n  replications: 5\n"
                                 "parameters:\n  walkers.drift: 0.25\n");
  const Scenario child = load_scenario(path, registry_);
  EXPECT_EQ(child.source, path);
  EXPECT_EQ(child.model, "toy");                 // inherited
  EXPECT_EQ(child.description, "ring of walkers");
  EXPECT_EQ(child.run.steps, 20);                // inherited key
  EXPECT_EQ(child.run.replications, 5);          // changed key
  EXPECT_EQ(child.base.integer("walkers.count"), 12);
  EXPECT_EQ(child.base.real("walkers.drift"), 0.25);
  // The parent's variants, each with its own override on the child's parameters.
  ASSERT_EQ(child.variants.size(), 2u);
  EXPECT_EQ(child.variants[1].name, "strong");
  EXPECT_EQ(child.variants[1].overridden, std::vector<std::string>{"walkers.coupling"});
  EXPECT_EQ(child.variants[1].parameters.real("walkers.coupling"), 0.5);
  EXPECT_EQ(child.variants[1].parameters.real("walkers.drift"), 0.25);
  // The resolved YAML stands alone: it parses to the same scenario without the parent.
  const Scenario again = parse(child.resolved_yaml());
  EXPECT_EQ(again.base.values(), child.base.values());
  EXPECT_EQ(again.variants[1].parameters.values(), child.variants[1].parameters.values());
}

TEST_F(ScenarioFileTest, ExtendsWithOwnVariantsKeepsOnlyThoseAndChains) {
  write("toy.yaml", test::kToyScenario);
  write("middle.yaml", "extends: toy.yaml\nparameters:\n  walkers.count: 30\n");
  const std::string path = write("leaf.yaml",
                                 "extends: middle.yaml\nmodel: toy\n"
                                 "variants:\n  baseline: {}\n  weak:\n    walkers.drift: 0.1\n");
  const Scenario leaf = load_scenario(path, registry_);
  EXPECT_EQ(leaf.base.integer("walkers.count"), 30);  // from the middle file
  EXPECT_EQ(leaf.base.real("walkers.drift"), 0.5);    // from the first
  ASSERT_EQ(leaf.variants.size(), 2u);
  EXPECT_EQ(leaf.variants[1].name, "weak");
  EXPECT_EQ(leaf.variants[1].parameters.real("walkers.drift"), 0.1);
}

TEST_F(ScenarioFileTest, ExtendsErrors) {
  write("toy.yaml", test::kToyScenario);
  // A parameter the parent's model does not have is reported in the child.
  const ScenarioError typo = load_error(write("typo.yaml", "extends: toy.yaml\nparameters:\n  walkers.cuont: 3\n"));
  EXPECT_NE(std::string(typo.what()).find("typo.yaml:3:3: parameters.walkers.cuont"), std::string::npos) << typo.what();
  // Another model than the parent's.
  const ScenarioError model = load_error(write("model.yaml", "extends: toy.yaml\nmodel: band\n"));
  EXPECT_NE(std::string(model.what()).find("model 'toy'"), std::string::npos) << model.what();
  EXPECT_EQ(model.where().line, 2);
  // A missing parent, named with where it was looked for.
  const ScenarioError missing = load_error(write("missing.yaml", "extends: nowhere.yaml\n"));
  EXPECT_EQ(missing.key_path(), "extends");
  EXPECT_NE(std::string(missing.what()).find("nowhere.yaml"), std::string::npos) << missing.what();
  // Files that extend one another in a cycle end with an error, not a stack overflow.
  write("a.yaml", "extends: b.yaml\n");
  const ScenarioError cycle = load_error(write("b.yaml", "extends: a.yaml\n"));
  EXPECT_NE(std::string(cycle.what()).find("cycle"), std::string::npos) << cycle.what();
  // Not a scalar.
  const ScenarioError list = load_error(write("list.yaml", "extends: [toy.yaml]\n"));
  EXPECT_EQ(list.key_path(), "extends");
  // A device, not a file.
  const ScenarioError device = load_error(write("device.yaml", "extends: /dev/null\n"));
  EXPECT_NE(std::string(device.what()).find("not a regular file"), std::string::npos) << device.what();
}

// ---------------------------------------------------------------------------------------------
// The error type itself

TEST(ScenarioErrorFormat, FileLineColumnKeyProblem) {
  EXPECT_STREQ(ScenarioError({"a.yaml", 3, 7}, "lead.rank", "expected x, found y").what(),
               "a.yaml:3:7: lead.rank: expected x, found y");
  EXPECT_STREQ(ScenarioError({"a.yaml", 0, 7}, "lead.rank", "problem").what(), "a.yaml: lead.rank: problem");
  EXPECT_STREQ(ScenarioError({"a.yaml", 3, 7}, "", "problem").what(), "a.yaml:3:7: problem");
  EXPECT_STREQ(ScenarioError({"<command line>", 0, 0}, "", "problem").what(), "<command line>: problem");
  const ScenarioError error({"a.yaml", 2, 1}, "k", "line one\nline two");
  EXPECT_STREQ(error.what(), "a.yaml:2:1: k: line one\\nline two");
  EXPECT_EQ(error.problem(), "line one\nline two");
  EXPECT_EQ(error.where().line, 2);
}

}  // namespace
}  // namespace coordsim::sim
