// Parameter schemas and parameter sets: declaration rules, suggestions for misspelt paths,
// the documentation table, typed access and YAML-style formatting of values.
#include "coordsim/sim/param.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

namespace coordsim::sim {
namespace {

ParamSchema sample_schema() {
  ParamSchema schema;
  schema.integer("walkers.count", 8, 1, 100000, "count", "Number of walkers")
      .real("walkers.drift", 1.0, 0.0, 10.0, "1", "Mean increment per step")
      .choice("walkers.mode", "plain", {"plain", "noisy"}, "Noise added to each step")
      .boolean("walkers.enabled", true, "Unused switch")
      .real_list("walkers.weights", {0.5, 0.5}, 0.0, 1.0, "1", "Weights")
      .real("lead.rank", 0.25, 0.0, 1.0, "1", "Rank of the leader")
      .integer("lead.group.size", 3, 0, 50, "count", "Size of the leading group");
  return schema;
}

// Reads a formatted real back the way the scenario parser does.
double read_back(const std::string& text) {
  double value = 0.0;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  const auto result = std::from_chars(begin, text.data() + text.size(), value);
  EXPECT_EQ(result.ec, std::errc()) << text;
  EXPECT_EQ(result.ptr, text.data() + text.size()) << text;
  return value;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(ParamSchema, FindsDeclaredParametersInDeclarationOrder) {
  const ParamSchema schema = sample_schema();
  ASSERT_EQ(schema.specs().size(), 7u);
  EXPECT_EQ(schema.specs()[0].path, "walkers.count");
  EXPECT_EQ(schema.specs()[5].path, "lead.rank");

  const ParamSpec* count = schema.find("walkers.count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->type, ParamType::Integer);
  EXPECT_EQ(std::get<std::int64_t>(count->default_value), 8);
  EXPECT_EQ(count->minimum, 1.0);
  EXPECT_EQ(count->maximum, 100000.0);
  EXPECT_EQ(schema.find("walkers"), nullptr);
  EXPECT_EQ(schema.find("walkers.cuont"), nullptr);
}

TEST(ParamSchema, BlocksArePrefixesEndingAtADot) {
  const ParamSchema schema = sample_schema();
  EXPECT_TRUE(schema.is_block("walkers"));
  EXPECT_TRUE(schema.is_block("lead"));
  EXPECT_TRUE(schema.is_block("lead.group"));
  EXPECT_FALSE(schema.is_block("walk"));           // a prefix, but not at a component boundary
  EXPECT_FALSE(schema.is_block("walkers.count"));  // a parameter, not a block
  EXPECT_FALSE(schema.is_block(""));
  EXPECT_FALSE(schema.is_block("lead.group.size"));
}

TEST(ParamSchema, RejectsInconsistentDeclarations) {
  ParamSchema schema = sample_schema();
  EXPECT_THROW(schema.real("walkers.drift", 1.0, 0.0, 2.0, "1", "twice"), std::logic_error);
  EXPECT_THROW(schema.real("walkers", 1.0, 0.0, 2.0, "1", "a block already"), std::logic_error);
  EXPECT_THROW(schema.real("walkers.count.x", 1.0, 0.0, 2.0, "1", "under a parameter"), std::logic_error);
  EXPECT_THROW(schema.real("x.default_too_big", 3.0, 0.0, 2.0, "1", "out of range"), std::logic_error);
  EXPECT_THROW(schema.integer("x.inverted", 1, 5, 0, "1", "min > max"), std::logic_error);
  EXPECT_THROW(schema.choice("x.mode", "loud", {"plain", "noisy"}, "default not a choice"), std::logic_error);
  EXPECT_THROW(schema.real_list("x.list", {0.5, 2.0}, 0.0, 1.0, "1", "element out of range"), std::logic_error);
  EXPECT_THROW(schema.real("bad..path", 0.0, 0.0, 1.0, "1", "empty component"), std::logic_error);
  EXPECT_THROW(schema.real("", 0.0, 0.0, 1.0, "1", "empty"), std::logic_error);
  // None of the rejected declarations was kept.
  EXPECT_EQ(schema.specs().size(), 7u);
}

TEST(ParamSchema, SuggestsTheClosestPathForTypos) {
  const ParamSchema schema = sample_schema();
  EXPECT_EQ(schema.suggest("walkers.cuont"), "walkers.count");   // swapped letters
  EXPECT_EQ(schema.suggest("walkers.drfit"), "walkers.drift");
  EXPECT_EQ(schema.suggest("lead.rnk"), "lead.rank");           // missing letter
  EXPECT_EQ(schema.suggest("walker"), "walkers");               // a block
  EXPECT_EQ(schema.suggest("walker.count"), "walkers.count");
}

TEST(ParamSchema, SuggestsByLastComponentWhenTheBlockIsWrong) {
  const ParamSchema schema = sample_schema();
  EXPECT_EQ(schema.suggest("count"), "walkers.count");  // block left out
  EXPECT_EQ(schema.suggest("follow.rank"), "lead.rank");  // right name, wrong block
}

TEST(ParamSchema, SuggestsNothingForUnrelatedNames) {
  const ParamSchema schema = sample_schema();
  EXPECT_EQ(schema.suggest("temperature"), std::nullopt);
  EXPECT_EQ(schema.suggest("walkers.xyzzy_plugh"), std::nullopt);
}

TEST(ParamSchema, DescribeListsEveryParameterGroupedByBlock) {
  const std::string text = sample_schema().describe();
  // Header and block titles.
  EXPECT_NE(text.find("PATH"), std::string::npos);
  EXPECT_NE(text.find("RANGE/CHOICES"), std::string::npos);
  EXPECT_NE(text.find("\nwalkers\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nlead\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nlead.group\n"), std::string::npos) << text;
  // Walkers parameters come before the lead block, in declaration order.
  EXPECT_LT(text.find("walkers.weights"), text.find("\nlead\n"));

  // Each row carries path, type, default, unit, range and description.
  std::istringstream lines(text);
  std::string line, count_row, mode_row, weights_row;
  while (std::getline(lines, line)) {
    if (line.find("walkers.count") != std::string::npos) count_row = line;
    if (line.find("walkers.mode") != std::string::npos) mode_row = line;
    if (line.find("walkers.weights") != std::string::npos) weights_row = line;
  }
  for (const char* word : {"integer", " 8 ", "count", "[1, 100000]", "Number of walkers"})
    EXPECT_NE(count_row.find(word), std::string::npos) << word << " missing in: " << count_row;
  for (const char* word : {"choice", "plain | noisy", "Noise added to each step"})
    EXPECT_NE(mode_row.find(word), std::string::npos) << word << " missing in: " << mode_row;
  for (const char* word : {"real list", "[0.5, 0.5]", "[0, 1]"})
    EXPECT_NE(weights_row.find(word), std::string::npos) << word << " missing in: " << weights_row;
}

TEST(ParamSchema, DescribeAlignsColumns) {
  const std::string text = sample_schema().describe();
  std::istringstream lines(text);
  std::string line;
  std::size_t type_column = std::string::npos;
  while (std::getline(lines, line)) {
    if (line.rfind("  ", 0) != 0) continue;  // block titles and blank lines
    const auto column = line.find("PATH") == 2 ? line.find("TYPE") : line.find_first_not_of(' ', line.find(' ', 2));
    if (type_column == std::string::npos) type_column = column;
    EXPECT_EQ(column, type_column) << line;
  }
}

TEST(ParamSet, StartsFromTheDefaults) {
  const ParamSet set(sample_schema());
  EXPECT_EQ(set.values().size(), 7u);
  EXPECT_EQ(set.integer("walkers.count"), 8);
  EXPECT_EQ(set.real("walkers.drift"), 1.0);
  EXPECT_EQ(set.choice("walkers.mode"), "plain");
  EXPECT_TRUE(set.boolean("walkers.enabled"));
  EXPECT_EQ(set.real_list("walkers.weights"), (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ(std::get<double>(set.value("lead.rank")), 0.25);
}

TEST(ParamSet, SetReplacesValues) {
  ParamSet set(sample_schema());
  set.set("walkers.count", std::int64_t{42});
  set.set("walkers.mode", std::string("noisy"));
  EXPECT_EQ(set.integer("walkers.count"), 42);
  EXPECT_EQ(set.choice("walkers.mode"), "noisy");
}

TEST(ParamSet, UndeclaredOrMistypedAccessIsAProgrammingError) {
  const ParamSet set(sample_schema());
  EXPECT_THROW(set.real("walkers.speed"), std::logic_error);
  EXPECT_THROW(set.value("walkers"), std::logic_error);
  EXPECT_THROW(set.real("walkers.count"), std::logic_error);   // an integer
  EXPECT_THROW(set.integer("walkers.drift"), std::logic_error);  // a real
  EXPECT_THROW(set.boolean("walkers.mode"), std::logic_error);
  EXPECT_THROW(set.choice("walkers.enabled"), std::logic_error);
  EXPECT_THROW(set.real_list("lead.rank"), std::logic_error);
  try {
    set.real("walkers.count");
  } catch (const std::logic_error& error) {
    EXPECT_NE(std::string(error.what()).find("walkers.count"), std::string::npos) << error.what();
  }
}

TEST(FormatValue, WritesYamlScalars) {
  EXPECT_EQ(format_value(true), "true");
  EXPECT_EQ(format_value(false), "false");
  EXPECT_EQ(format_value(std::int64_t{-12}), "-12");
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(format_value(2.5), "2.5");
  EXPECT_EQ(format_value(1.0), "1.0");  // stays a real when read back
  EXPECT_EQ(format_value(-0.0), "-0.0");
  EXPECT_EQ(format_value(1e-300), "1e-300");
  EXPECT_EQ(format_value(100000.0), "100000.0");  // not 1e+05
  EXPECT_EQ(format_value(0.00025), "0.00025");
  EXPECT_EQ(format_value(1e16), "1e+16");
  EXPECT_EQ(format_value(std::vector<double>{0.1, 0.9}), "[0.1, 0.9]");
  EXPECT_EQ(format_value(std::vector<double>{}), "[]");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), ".inf");
}

TEST(FormatValue, QuotesStringsThatWouldReadBackAsSomethingElse) {
  EXPECT_EQ(format_value(std::string("noisy")), "noisy");
  EXPECT_EQ(format_value(std::string("yes")), "\"yes\"");
  EXPECT_EQ(format_value(std::string("true")), "\"true\"");
  EXPECT_EQ(format_value(std::string("12")), "\"12\"");
  EXPECT_EQ(format_value(std::string("")), "\"\"");
  EXPECT_EQ(format_value(std::string("a: b")), "\"a: b\"");
  EXPECT_EQ(format_value(std::string("say \"hi\"\n")), "\"say \\\"hi\\\"\\n\"");
}

TEST(FormatValue, RealsRoundTripExactly) {
  std::mt19937_64 generator(20240611);
  std::uniform_int_distribution<std::uint64_t> bits;
  int checked = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t pattern = bits(generator);
    double value = 0.0;
    std::memcpy(&value, &pattern, sizeof value);
    if (!std::isfinite(value)) continue;
    const std::string text = format_value(value);
    EXPECT_TRUE(same_bits(read_back(text), value)) << text;
    ++checked;
  }
  // Values people write: positional notation between 1e-5 and 1e16.
  std::uniform_real_distribution<double> exponent(-5.0, 16.0);
  for (int i = 0; i < 20000; ++i) {
    const double value = std::pow(10.0, exponent(generator)) * (i % 2 == 0 ? 1.0 : -1.0);
    const std::string text = format_value(value);
    EXPECT_EQ(text.find('e'), std::string::npos) << text;
    EXPECT_TRUE(same_bits(read_back(text), value)) << text;
    ++checked;
  }
  for (const double value : {0.1, 1.0 / 3.0, 1e-300, 5e-324, 1.7976931348623157e308, 123456789012345680.0}) {
    EXPECT_TRUE(same_bits(read_back(format_value(value)), value)) << format_value(value);
    ++checked;
  }
  EXPECT_GT(checked, 39000);
}

TEST(ParamType, HasReadableNames) {
  EXPECT_EQ(to_string(ParamType::Boolean), "boolean");
  EXPECT_EQ(to_string(ParamType::Integer), "integer");
  EXPECT_EQ(to_string(ParamType::Real), "real");
  EXPECT_EQ(to_string(ParamType::Choice), "choice");
  EXPECT_EQ(to_string(ParamType::RealList), "real list");
}

}  // namespace
}  // namespace coordsim::sim
