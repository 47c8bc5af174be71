// Tests of the HDF5 result file: values land in the right (variant, replication) slots whatever
// the write order, the netCDF-style dimension scales and attributes are there, and the
// temporary-file protocol never leaves a partial file under the final name.
#include "coordsim/sim/results_file.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>  // dimension scales (H5DS*)
#include <unistd.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "coordsim/sim/error.hpp"
#include "coordsim/sim/output.hpp"
#include "coordsim/sim/version.hpp"

namespace coordsim::sim {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Reading back with the plain C API, independent of the code under test.

class Id {
 public:
  Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() {
    if (id_ >= 0) close_(id_);
  }
  hid_t get() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

struct Array {
  std::vector<hsize_t> shape;
  std::vector<double> values;
};

Id open_file(const fs::path& path) { return {H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose}; }

Id open_dataset(hid_t file, const std::string& name) { return {H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose}; }

std::vector<hsize_t> shape_of(hid_t dataset) {
  const Id space(H5Dget_space(dataset), H5Sclose);
  std::vector<hsize_t> shape(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.get())));
  H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr);
  return shape;
}

Array read_doubles(const fs::path& path, const std::string& name) {
  const Id file = open_file(path);
  const Id dataset = open_dataset(file.get(), name);
  EXPECT_GE(dataset.get(), 0) << name;
  Array array{shape_of(dataset.get()), {}};
  std::size_t count = 1;
  for (const auto extent : array.shape) count *= extent;
  array.values.resize(count);
  EXPECT_GE(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, array.values.data()), 0);
  return array;
}

std::vector<long long> read_integers(hid_t file, const std::string& name) {
  const Id dataset = open_dataset(file, name);
  std::vector<long long> values(shape_of(dataset.get()).at(0));
  EXPECT_GE(H5Dread(dataset.get(), H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
  return values;
}

std::vector<std::string> read_strings(hid_t file, const std::string& name) {
  const Id dataset = open_dataset(file, name);
  const Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  std::vector<char*> texts(shape_of(dataset.get()).at(0));
  EXPECT_GE(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), 0);
  std::vector<std::string> values(texts.begin(), texts.end());
  const Id space(H5Dget_space(dataset.get()), H5Sclose);
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, texts.data());
  return values;
}

// Reads any string attribute (scalar or the first of an array) as variable-length UTF-8.
std::string string_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return "<missing>";
  const Id attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  const Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  const Id space(H5Aget_space(attribute.get()), H5Sclose);
  std::vector<char*> texts(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  EXPECT_GE(H5Aread(attribute.get(), type.get(), texts.data()), 0);
  std::string first = texts.empty() ? "" : texts.front();
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, texts.data());
  return first;
}

long long integer_attribute(hid_t object, const char* name) {
  const Id attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  long long value = -1;
  EXPECT_GE(H5Aread(attribute.get(), H5T_NATIVE_LLONG, &value), 0) << name;
  return value;
}

// ---------------------------------------------------------------------------------------------
// A small layout and records whose every value encodes where it belongs.

constexpr std::size_t kVariants = 2;
constexpr std::size_t kReplications = 3;
constexpr std::size_t kSteps = 5;
constexpr std::size_t kAgentEvery = 2;
constexpr std::size_t kRecordedSteps = 3;  // steps 0, 2, 4

OutputLayout test_layout() {
  OutputLayout layout;
  layout.series = {{"infected", "count", "infected agents"}, {"mean_speed", "m/s", "mean agent speed"}};
  layout.summaries = {{{"final_infected", "count", "infected agents at the end"}, true},
                      {{"peak_step", "steps", "step of the infection peak"}, false}};
  layout.agent_kinds = {{"walkers", 4, {{"position", "m", "walker position"}, {"energy", "J", "walker energy"}}},
                        {"hubs", 2, {{"load", "1", "hub load"}}}};
  return layout;
}

ResultMetadata test_metadata(bool agents = true) {
  ResultMetadata metadata;
  metadata.model = "toy";
  // Larger than the 64 KiB an HDF5 object header can hold, so the attribute type must cope.
  metadata.scenario_yaml = "model: toy\n" + std::string(100000, '#');
  metadata.seed = 18446744073709551615ULL;  // the largest uint64 must survive as uint64
  metadata.variants = {"baseline", "strong"};
  metadata.replications = kReplications;
  metadata.steps = kSteps;
  metadata.agents = agents;
  metadata.agent_every = kAgentEvery;
  return metadata;
}

double encoded(std::size_t variant, std::size_t replication, std::size_t step, std::size_t variable,
               std::size_t agent = 0) {
  return static_cast<double>(variant * 100000 + replication * 10000 + step * 100 + variable * 10 + agent);
}

// Fills the record the way Recorder lays it out: series [step][variable], agents
// [kind][recorded step][variable][agent], summaries [summary].
RunRecord test_record(std::size_t variant, std::size_t replication) {
  const OutputLayout layout = test_layout();
  RunRecord record;
  record.variant = variant;
  record.replication = replication;
  record.steps = kSteps;
  for (std::size_t step = 0; step < kSteps; ++step)
    for (std::size_t variable = 0; variable < layout.series.size(); ++variable)
      record.series.push_back(encoded(variant, replication, step, variable));
  for (const auto& kind : layout.agent_kinds) {
    auto& values = record.agents.emplace_back();
    for (std::size_t recorded = 0; recorded < kRecordedSteps; ++recorded)
      for (std::size_t variable = 0; variable < kind.variables.size(); ++variable)
        for (std::size_t agent = 0; agent < kind.count; ++agent)
          values.push_back(encoded(variant, replication, recorded * kAgentEvery, variable, agent));
  }
  for (std::size_t summary = 0; summary < layout.summaries.size(); ++summary)
    record.summaries.push_back(encoded(variant, replication, 0, summary));
  return record;
}

bool same_values(const std::vector<double>& left, const std::vector<double>& right) {
  if (left.size() != right.size()) return false;
  for (std::size_t i = 0; i < left.size(); ++i) {
    const bool both_missing = std::isnan(left[i]) && std::isnan(right[i]);
    if (!both_missing && left[i] != right[i]) return false;
  }
  return true;
}

const std::vector<std::string> kDataDatasets = {
    "series/infected",         "series/mean_speed",     "summary/final_infected", "summary/peak_step",
    "agents/walkers/position", "agents/walkers/energy", "agents/hubs/load"};

class ResultFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ =
        fs::temp_directory_path() / ("coordsim_results_" + std::to_string(getpid()) + "_" + std::string(test->name()));
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override {
    fs::permissions(directory_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(directory_);
  }
  fs::path result_path(const std::string& name = "results.h5") const { return directory_ / name; }

  // Writes the given runs in the given order and commits.
  fs::path write_runs(const std::vector<std::pair<std::size_t, std::size_t>>& runs,
                      const std::string& name = "results.h5") const {
    ResultWriter writer(result_path(name).string(), test_metadata(), test_layout());
    for (const auto& [variant, replication] : runs) writer.write(test_record(variant, replication));
    writer.commit();
    return result_path(name);
  }

  fs::path directory_;
};

// ---------------------------------------------------------------------------------------------

TEST_F(ResultFileTest, ValuesWrittenOutOfOrderLandInTheirSlotsAndMissingRunsReadNaN) {
  // Runs (0, 1) and (1, 1) are never written.
  const auto path = write_runs({{1, 2}, {0, 0}, {1, 0}, {0, 2}});
  const auto written = [](std::size_t replication) { return replication != 1; };

  const Array infected = read_doubles(path, "series/infected");
  ASSERT_EQ(infected.shape, (std::vector<hsize_t>{kVariants, kReplications, kSteps}));
  const Array speed = read_doubles(path, "series/mean_speed");
  const Array final_infected = read_doubles(path, "summary/final_infected");
  ASSERT_EQ(final_infected.shape, (std::vector<hsize_t>{kVariants, kReplications}));
  const Array peak = read_doubles(path, "summary/peak_step");
  const Array energy = read_doubles(path, "agents/walkers/energy");
  ASSERT_EQ(energy.shape, (std::vector<hsize_t>{kVariants, kReplications, kRecordedSteps, 4}));
  const Array load = read_doubles(path, "agents/hubs/load");
  ASSERT_EQ(load.shape, (std::vector<hsize_t>{kVariants, kReplications, kRecordedSteps, 2}));

  for (std::size_t v = 0; v < kVariants; ++v) {
    for (std::size_t r = 0; r < kReplications; ++r) {
      const std::size_t run = v * kReplications + r;
      const auto expect = [&](double actual, double expected) {
        if (written(r))
          EXPECT_EQ(actual, expected) << "variant " << v << " replication " << r;
        else
          EXPECT_TRUE(std::isnan(actual)) << "unwritten variant " << v << " replication " << r;
      };
      for (std::size_t step = 0; step < kSteps; ++step) {
        expect(infected.values[run * kSteps + step], encoded(v, r, step, 0));
        expect(speed.values[run * kSteps + step], encoded(v, r, step, 1));
      }
      expect(final_infected.values[run], encoded(v, r, 0, 0));
      expect(peak.values[run], encoded(v, r, 0, 1));
      for (std::size_t recorded = 0; recorded < kRecordedSteps; ++recorded) {
        for (std::size_t agent = 0; agent < 4; ++agent)
          expect(energy.values[(run * kRecordedSteps + recorded) * 4 + agent],
                 encoded(v, r, recorded * kAgentEvery, 1, agent));
        for (std::size_t agent = 0; agent < 2; ++agent)
          expect(load.values[(run * kRecordedSteps + recorded) * 2 + agent],
                 encoded(v, r, recorded * kAgentEvery, 0, agent));
      }
    }
  }
}

TEST_F(ResultFileTest, WriteOrderDoesNotChangeTheStoredValues) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t v = 0; v < kVariants; ++v)
    for (std::size_t r = 0; r < kReplications; ++r) runs.emplace_back(v, r);
  const auto forward = write_runs(runs, "forward.h5");
  const auto backward = write_runs({runs.rbegin(), runs.rend()}, "backward.h5");
  for (const auto& name : kDataDatasets) {
    const Array first = read_doubles(forward, name);
    const Array second = read_doubles(backward, name);
    EXPECT_EQ(first.shape, second.shape) << name;
    EXPECT_TRUE(same_values(first.values, second.values)) << name;
    EXPECT_FALSE(std::isnan(first.values.front())) << name << " should be fully written";
  }
}

TEST_F(ResultFileTest, DataVariablesHaveNamedDimensionScalesOnEveryAxis) {
  const auto path = write_runs({{0, 0}});
  const Id file = open_file(path);
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"series/infected", {"variant", "replication", "step"}},
      {"summary/peak_step", {"variant", "replication"}},
      {"agents/walkers/position", {"variant", "replication", "step", "agent"}},
      {"agents/hubs/load", {"variant", "replication", "step", "agent"}}};
  for (const auto& [name, axes] : expected) {
    const std::string group = name.substr(0, name.rfind('/'));
    const Id data = open_dataset(file.get(), name);
    ASSERT_EQ(shape_of(data.get()).size(), axes.size()) << name;
    for (unsigned axis = 0; axis < axes.size(); ++axis) {
      const Id scale = open_dataset(file.get(), group + "/" + axes[axis]);
      ASSERT_GE(scale.get(), 0) << group << "/" << axes[axis];
      EXPECT_GT(H5DSis_scale(scale.get()), 0) << group << "/" << axes[axis];
      EXPECT_GT(H5DSis_attached(data.get(), scale.get(), axis), 0) << name << " axis " << axis;
      EXPECT_EQ(H5DSget_num_scales(data.get(), axis), 1) << name << " axis " << axis;
      std::array<char, 64> scale_name{};
      ASSERT_GT(H5DSget_scale_name(scale.get(), scale_name.data(), scale_name.size()), 0);
      EXPECT_STREQ(scale_name.data(), axes[axis].c_str());
      // The scale's length must match the axis it labels.
      EXPECT_EQ(shape_of(scale.get()).at(0), shape_of(data.get()).at(axis)) << name << " axis " << axis;
    }
  }
}

TEST_F(ResultFileTest, CoordinatesHoldVariantNamesAndIndices) {
  const auto path = write_runs({{0, 0}});
  const Id file = open_file(path);
  EXPECT_EQ(read_strings(file.get(), "series/variant"), (std::vector<std::string>{"baseline", "strong"}));
  EXPECT_EQ(read_strings(file.get(), "agents/hubs/variant"), (std::vector<std::string>{"baseline", "strong"}));
  EXPECT_EQ(read_integers(file.get(), "summary/replication"), (std::vector<long long>{0, 1, 2}));
  EXPECT_EQ(read_integers(file.get(), "series/step"), (std::vector<long long>{0, 1, 2, 3, 4}));
  EXPECT_EQ(read_integers(file.get(), "agents/walkers/step"), (std::vector<long long>{0, 2, 4}));
  EXPECT_EQ(read_integers(file.get(), "agents/walkers/agent"), (std::vector<long long>{0, 1, 2, 3}));
  EXPECT_EQ(read_integers(file.get(), "agents/hubs/agent"), (std::vector<long long>{0, 1}));
}

TEST_F(ResultFileTest, EveryDatasetHasUnitsAndLongName) {
  const auto path = write_runs({{0, 0}});
  const Id file = open_file(path);
  const Id infected = open_dataset(file.get(), "series/infected");
  EXPECT_EQ(string_attribute(infected.get(), "units"), "count");
  EXPECT_EQ(string_attribute(infected.get(), "long_name"), "infected agents");
  const Id energy = open_dataset(file.get(), "agents/walkers/energy");
  EXPECT_EQ(string_attribute(energy.get(), "units"), "J");
  EXPECT_EQ(string_attribute(energy.get(), "long_name"), "walker energy");
  const Id final_infected = open_dataset(file.get(), "summary/final_infected");
  EXPECT_EQ(integer_attribute(final_infected.get(), "key"), 1);
  const Id peak = open_dataset(file.get(), "summary/peak_step");
  EXPECT_EQ(integer_attribute(peak.get(), "key"), 0);
  for (const std::string coordinate :
       {"series/variant", "series/replication", "series/step", "summary/variant", "agents/walkers/agent"}) {
    const Id dataset = open_dataset(file.get(), coordinate);
    EXPECT_NE(string_attribute(dataset.get(), "units"), "<missing>") << coordinate;
    EXPECT_NE(string_attribute(dataset.get(), "long_name"), "<missing>") << coordinate;
  }
}

TEST_F(ResultFileTest, RootAttributesDescribeTheRun) {
  const auto path = write_runs({{0, 0}});
  const Id file = open_file(path);
  const hid_t root = file.get();
  EXPECT_EQ(string_attribute(root, "model"), "toy");
  EXPECT_EQ(string_attribute(root, "scenario"), test_metadata().scenario_yaml);
  EXPECT_EQ(string_attribute(root, "variants"), "baseline");
  EXPECT_EQ(integer_attribute(root, "format_version"), 1);
  EXPECT_EQ(integer_attribute(root, "replications"), 3);
  EXPECT_EQ(integer_attribute(root, "steps"), 5);
  EXPECT_EQ(integer_attribute(root, "agent_every"), 2);
  EXPECT_EQ(integer_attribute(root, "agents"), 1);
  EXPECT_NE(string_attribute(root, "coordsim_version"), "<missing>");
  EXPECT_EQ(string_attribute(root, "coordsim_commit"), std::string(git_commit()));

  const Id seed(H5Aopen(root, "seed", H5P_DEFAULT), H5Aclose);
  const Id seed_type(H5Aget_type(seed.get()), H5Tclose);
  EXPECT_EQ(H5Tget_sign(seed_type.get()), H5T_SGN_NONE);
  unsigned long long seed_value = 0;
  ASSERT_GE(H5Aread(seed.get(), H5T_NATIVE_ULLONG, &seed_value), 0);
  EXPECT_EQ(seed_value, 18446744073709551615ULL);

  const Id variants(H5Aopen(root, "variants", H5P_DEFAULT), H5Aclose);
  const Id variants_space(H5Aget_space(variants.get()), H5Sclose);
  EXPECT_EQ(H5Sget_simple_extent_npoints(variants_space.get()), 2);
}

TEST_F(ResultFileTest, TemporaryFileExistsOnlyUntilCommit) {
  const auto path = result_path();
  ResultWriter writer(path.string(), test_metadata(), test_layout());
  EXPECT_EQ(writer.path(), path.string());
  EXPECT_EQ(writer.temporary_path(), path.string() + ".tmp-" + std::to_string(getpid()));
  writer.write(test_record(0, 0));
  EXPECT_TRUE(fs::exists(writer.temporary_path()));
  EXPECT_FALSE(fs::exists(path));
  writer.commit();
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(writer.temporary_path()));
  EXPECT_GT(H5Fis_hdf5(path.c_str()), 0);
  EXPECT_THROW(writer.write(test_record(0, 1)), OutputError);
  EXPECT_THROW(writer.commit(), OutputError);
}

TEST_F(ResultFileTest, AbandonedWriterLeavesNoFile) {
  const auto path = result_path();
  std::string temporary;
  {
    ResultWriter writer(path.string(), test_metadata(), test_layout());
    writer.write(test_record(1, 1));
    temporary = writer.temporary_path();
    ASSERT_TRUE(fs::exists(temporary));
  }
  EXPECT_FALSE(fs::exists(temporary));
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::is_empty(directory_));
}

TEST_F(ResultFileTest, MissingDirectoryIsAnOutputErrorNamingThePath) {
  const auto path = directory_ / "no" / "such" / "dir" / "results.h5";
  try {
    ResultWriter writer(path.string(), test_metadata(), test_layout());
    FAIL() << "expected OutputError";
  } catch (const OutputError& error) {
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("does not exist"), std::string::npos) << error.what();
  }
}

TEST_F(ResultFileTest, DirectoryThatIsAFileIsAnOutputError) {
  const auto not_a_directory = directory_ / "plain.txt";
  std::ofstream(not_a_directory) << "text";
  EXPECT_THROW(ResultWriter((not_a_directory / "results.h5").string(), test_metadata(), test_layout()), OutputError);
}

TEST_F(ResultFileTest, FinalPathThatIsNotARegularFileIsRefused) {
  // commit() renames over the final path; it must not replace a directory or a device.
  const auto occupied = directory_ / "results.h5";
  fs::create_directory(occupied);
  EXPECT_THROW(ResultWriter(occupied.string(), test_metadata(), test_layout()), OutputError);
  EXPECT_TRUE(fs::is_directory(occupied));
}

TEST_F(ResultFileTest, ExistingResultFileIsReplacedOnlyAtCommit) {
  const auto path = write_runs({{0, 0}});
  {
    ResultWriter writer(path.string(), test_metadata(), test_layout());
    writer.write(test_record(1, 1));
  }  // abandoned: the earlier file must survive untouched
  EXPECT_EQ(read_doubles(path, "series/infected").values.front(), encoded(0, 0, 0, 0));
  write_runs({{1, 1}});
  EXPECT_TRUE(std::isnan(read_doubles(path, "series/infected").values.front()));
}

TEST_F(ResultFileTest, UnwritableDirectoryIsAnOutputError) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  const auto locked = directory_ / "locked";
  fs::create_directory(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(ResultWriter((locked / "results.h5").string(), test_metadata(), test_layout()), OutputError);
  fs::permissions(locked, fs::perms::owner_all);
  EXPECT_TRUE(fs::is_empty(locked));
}

TEST_F(ResultFileTest, LayoutNameClashingWithACoordinateIsRejected) {
  OutputLayout layout = test_layout();
  layout.series.push_back({"step", "1", "clashes with the step coordinate"});
  EXPECT_THROW(ResultWriter(result_path().string(), test_metadata(), layout), OutputError);
  EXPECT_TRUE(fs::is_empty(directory_));
}

TEST_F(ResultFileTest, MalformedRecordIsRejectedAndTheFileStaysUsable) {
  const auto path = result_path();
  ResultWriter writer(path.string(), test_metadata(), test_layout());
  RunRecord out_of_range = test_record(0, 0);
  out_of_range.replication = kReplications;
  EXPECT_THROW(writer.write(out_of_range), OutputError);
  RunRecord short_series = test_record(0, 1);
  short_series.series.pop_back();
  EXPECT_THROW(writer.write(short_series), OutputError);
  RunRecord missing_kind = test_record(0, 1);
  missing_kind.agents.pop_back();
  EXPECT_THROW(writer.write(missing_kind), OutputError);
  writer.write(test_record(1, 2));
  writer.commit();
  const Array infected = read_doubles(path, "series/infected");
  EXPECT_TRUE(std::isnan(infected.values[1 * kSteps]));  // the rejected (0, 1) run left nothing
  EXPECT_EQ(infected.values[(1 * kReplications + 2) * kSteps], encoded(1, 2, 0, 0));
}

TEST_F(ResultFileTest, FailedRunWritesWhatItHas) {
  const auto path = result_path();
  ResultWriter writer(path.string(), test_metadata(), test_layout());
  RunRecord failed = test_record(1, 0);
  failed.ok = false;
  failed.message = "model exploded";
  failed.series[0] = std::nan("");
  failed.agents.clear();  // a failed run may have recorded nothing for a buffer
  writer.write(failed);
  writer.commit();
  const Array infected = read_doubles(path, "series/infected");
  const std::size_t run = 1 * kReplications + 0;
  EXPECT_TRUE(std::isnan(infected.values[run * kSteps]));
  EXPECT_EQ(infected.values[run * kSteps + 1], encoded(1, 0, 1, 0));
  const Array position = read_doubles(path, "agents/walkers/position");
  EXPECT_TRUE(std::isnan(position.values[run * kRecordedSteps * 4]));
}

TEST_F(ResultFileTest, WithoutAgentsThereIsNoAgentsGroup) {
  const auto path = result_path();
  ResultWriter writer(path.string(), test_metadata(false), test_layout());
  RunRecord record = test_record(0, 0);
  record.agents.assign(test_layout().agent_kinds.size(), {});  // what Recorder leaves with agents off
  writer.write(record);
  writer.commit();
  const Id file = open_file(path);
  EXPECT_EQ(H5Lexists(file.get(), "agents", H5P_DEFAULT), 0);
  EXPECT_EQ(integer_attribute(file.get(), "agents"), 0);
  EXPECT_EQ(read_doubles(path, "series/infected").values.front(), encoded(0, 0, 0, 0));
}

TEST_F(ResultFileTest, DescriptionNamesVariablesUnitsAndAgentKinds) {
  const auto path = write_runs({{0, 0}});
  const std::string description = describe_results(path.string());
  for (const std::string expected : {"toy",
                                     "baseline, strong",
                                     "replications: 3",
                                     "steps:        5",
                                     "18446744073709551615",
                                     "infected",
                                     "mean_speed",
                                     "m/s",
                                     "mean agent speed",
                                     "final_infected",
                                     "[key]",
                                     "peak_step",
                                     "agents/walkers",
                                     "4 agents",
                                     "3 recorded steps",
                                     "position",
                                     "walker energy",
                                     "agents/hubs",
                                     "2 agents",
                                     "load",
                                     "variant=2, replication=3, step=5",
                                     "variant=2, replication=3, step=3, agent=4"})
    EXPECT_NE(description.find(expected), std::string::npos) << "missing '" << expected << "' in\n" << description;
  // Coordinates are dimensions, not variables to list.
  EXPECT_EQ(description.find("  replication ("), std::string::npos) << description;
}

TEST_F(ResultFileTest, DescribingSomethingElseIsAnOutputError) {
  const auto text = directory_ / "notes.h5";
  std::ofstream(text) << "not hdf5 at all";
  EXPECT_THROW(describe_results(text.string()), OutputError);
  EXPECT_THROW(describe_results((directory_ / "missing.h5").string()), OutputError);

  const auto foreign = directory_ / "foreign.h5";
  H5Fclose(H5Fcreate(foreign.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  try {
    describe_results(foreign.string());
    FAIL() << "expected OutputError";
  } catch (const OutputError& error) {
    EXPECT_NE(std::string(error.what()).find("not a coordsim result file"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace coordsim::sim
