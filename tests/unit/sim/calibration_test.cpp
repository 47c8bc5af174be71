// ABC-SMC calibration: the algorithm against a closed-form posterior, determinism over thread
// counts, resume from a journal, and the calibration file's validation.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "coordsim/sim/calibration.hpp"
#include "coordsim/sim/model.hpp"
#include "coordsim/sim/rng.hpp"

namespace coordsim::test {
namespace {

using namespace coordsim::sim;
namespace fs = std::filesystem;

// One observation y ~ Normal(mu, sd) per replication, recorded as the summary "y": with a flat
// prior on mu (wide enough that truncation is negligible) and an observed y0, the posterior of mu
// is Normal(y0, sd^2) exactly. ABC with tolerance e replaces the likelihood by
// P(|y - y0| <= e | mu), which for e well below sd leaves the posterior almost unchanged.
class NormalWorld final : public World {
 public:
  NormalWorld(const ParamSet& p, const BuildContext& context)
      : mu_(p.real("normal.mu")), sd_(p.real("normal.sd")), rng_(context.rng) {}
  const std::vector<Phase>& phases() const override { return phases_; }
  void record(const StepContext& c, Recorder& recorder) override { recorder.series_row(c.step)[0] = mu_; }
  void summarize(std::size_t, Recorder& recorder) override {
    recorder.summaries()[0] = mu_ + sd_ * rng_.stream(0, 0, 99).normal();
  }

 private:
  double mu_, sd_;
  const Rng& rng_;
  std::vector<Phase> phases_;
};

class NormalModel final : public Model {
 public:
  NormalModel() {
    schema_.real("normal.mu", 0.0, -100.0, 100.0, "1", "Mean of the observation")
        .real("normal.sd", 1.0, 0.001, 100.0, "1", "Standard deviation of the observation")
        .real("normal.unused", 0.5, 0.0, 1.0, "1", "Not used by the model");
  }
  std::string_view name() const override { return "normal"; }
  std::string_view description() const override { return "One normal observation (calibration tests)"; }
  const ParamSchema& schema() const override { return schema_; }
  OutputLayout layout(const ParamSet&) const override {
    OutputLayout layout;
    layout.series = {{"mu", "1", "The mean"}};
    layout.summaries = {{{"y", "1", "The observation"}, true}};
    return layout;
  }
  std::unique_ptr<World> build(const ParamSet& p, const BuildContext& context) const override {
    return std::make_unique<NormalWorld>(p, context);
  }

 private:
  ParamSchema schema_;
};

constexpr const char* kScenario = R"(model: normal
run: {steps: 1, seed: 3, replications: 1}
parameters:
  normal: {sd: 0.5}
variants:
  baseline: {}
  shifted: {normal.sd: 0.25}
)";

struct CalibrationTest : ::testing::Test {
  void SetUp() override {
    registry.add(std::make_unique<NormalModel>());
    directory = fs::temp_directory_path() / ("coordsim_calibration_" + std::to_string(::getpid()) + "_" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory);
    fs::create_directories(directory);
    std::ofstream(directory / "normal.yaml") << kScenario;
  }
  void TearDown() override { fs::remove_all(directory); }

  Calibration parse(const std::string& text) {
    return parse_calibration(text, (directory / "cal.yaml").string(), directory.string(), registry);
  }
  std::string run(const Calibration& c, const std::string& name, int threads, bool resume = false) {
    CalibrationRunOptions options;
    options.output = (directory / name).string();
    options.threads = threads;
    options.resume = resume;
    run_calibration(c, registry, options);
    return options.output;
  }

  ModelRegistry registry;
  fs::path directory;
};

std::vector<double> read_doubles(const std::string& path, const char* name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t dataset = H5Dopen2(file, name, H5P_DEFAULT);
  const hid_t space = H5Dget_space(dataset);
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Sclose(space);
  H5Dclose(dataset);
  H5Fclose(file);
  return values;
}

constexpr const char* kNormalCalibration = R"(base: normal.yaml
seed: 11
parameters:
  normal.mu: {prior: uniform, bounds: [-5, 5]}
targets:
  - {summary: y, observed: 1.0, scale: 1.0}
abc: {particles: 400, alpha: 0.5, min_acceptance: 0.05, max_runs: 6000}
)";

// The last population's weighted mean, sd and 5%/95% quantiles of parameter 0.
struct Posterior {
  double mean = 0, sd = 0, q05 = 0, q95 = 0;
};
Posterior posterior(const std::string& path, std::size_t particles) {
  const auto value = read_doubles(path, "value");
  const auto weight = read_doubles(path, "weight");
  const std::size_t last = value.size() - particles;
  std::vector<std::pair<double, double>> sorted;
  Posterior p;
  for (std::size_t i = 0; i < particles; ++i) {
    sorted.emplace_back(value[last + i], weight[last + i]);
    p.mean += weight[last + i] * value[last + i];
  }
  for (const auto& [x, w] : sorted) p.sd += w * (x - p.mean) * (x - p.mean);
  p.sd = std::sqrt(p.sd);
  std::sort(sorted.begin(), sorted.end());
  double cumulative = 0.0;
  for (const auto& [x, w] : sorted) {
    if (cumulative < 0.05 && cumulative + w >= 0.05) p.q05 = x;
    if (cumulative < 0.95 && cumulative + w >= 0.95) p.q95 = x;
    cumulative += w;
  }
  return p;
}

TEST_F(CalibrationTest, NormalMeanPosteriorMatchesTheClosedForm) {
  const Calibration c = parse(kNormalCalibration);
  const std::string path = run(c, "normal.h5", 2);
  const Posterior p = posterior(path, c.particles);
  // Exact posterior: Normal(1.0, 0.5). With 400 weighted particles (ESS above 150, checked below)
  // the Monte Carlo error of the mean is about 0.5 / sqrt(150) = 0.04 and of the sd about 0.03.
  EXPECT_NEAR(p.mean, 1.0, 0.12);
  EXPECT_NEAR(p.sd, 0.5, 0.08);
  // The exact 90% interval is 1 -+ 1.645 x 0.5 = [0.18, 1.82].
  EXPECT_NEAR(p.q05, 1.0 - 1.645 * 0.5, 0.2);
  EXPECT_NEAR(p.q95, 1.0 + 1.645 * 0.5, 0.2);
  const auto ess = read_doubles(path, "ess");
  EXPECT_GT(ess.back(), 150.0);
  const auto tolerance = read_doubles(path, "tolerance");
  ASSERT_GE(tolerance.size(), 3u);
  for (std::size_t g = 1; g < tolerance.size(); ++g) EXPECT_LE(tolerance[g], tolerance[g - 1]);
  // The prior alone (generation 0) is far wider: uniform on [-5, 5] has sd 2.9, and the first
  // population keeps half of it.
  EXPECT_GT(tolerance.front(), 5 * tolerance.back());
}

TEST_F(CalibrationTest, EffectTargetRunsBothVariantsWithCommonRandomNumbers) {
  // y(shifted) - y(baseline) = (sd_s - sd_b) z with the same z: its observed value pins z, and
  // with both targets together mu is pinned as well; the simulated effect must equal -0.25 z.
  const Calibration c = parse(R"(base: normal.yaml
parameters:
  normal.mu: {prior: uniform, bounds: [-5, 5]}
targets:
  - {summary: y, observed: 1.0, scale: 1}
  - {summary: y, variant: shifted, effect: true, observed: -0.1, scale: 0.1}
abc: {particles: 50, max_runs: 300}
)");
  ASSERT_EQ(c.base.variants.size(), 2u);
  EXPECT_EQ(c.targets[1].name, "y_effect_shifted");
  const std::string path = run(c, "effect.h5", 1);
  const auto simulated = read_doubles(path, "simulated");
  const auto value = read_doubles(path, "value");
  for (std::size_t i = 0; i < value.size(); ++i) {
    // y = mu + 0.5 z, effect = -0.25 z = -(y - mu) / 2: exact when both share z.
    EXPECT_NEAR(simulated[2 * i + 1], -(simulated[2 * i] - value[i]) / 2.0, 1e-12);
  }
}

TEST_F(CalibrationTest, SameFileForOneAndTwoThreadsAndAfterResume) {
  const Calibration c = parse(R"(base: normal.yaml
parameters:
  normal.mu: {prior: normal, mean: 0.5, sd: 2, bounds: [-5, 5]}
  normal.unused: {prior: log_uniform, bounds: [0.01, 1]}
targets:
  - {series: mu, statistic: mean, interval: [0.8, 1.2]}
  - {summary: y, observed: 1.0}
abc: {particles: 60, max_runs: 600}
)");
  const std::string one = run(c, "one.h5", 1);
  const std::string two = run(c, "two.h5", 2);
  // Resume: a journal holding some particles of an earlier, interrupted run (here: the whole
  // journal of a run kept with keep_journal, cut to its first half).
  CalibrationRunOptions options;
  options.output = (directory / "resumed.h5").string();
  options.threads = 2;
  options.keep_journal = true;
  run_calibration(c, registry, options);
  const auto journal = options.output + ".journal";
  fs::remove(options.output);
  fs::resize_file(journal, fs::file_size(journal) / 2 + 3);  // a torn record at the end
  options.resume = true;
  options.keep_journal = false;
  run_calibration(c, registry, options);
  EXPECT_FALSE(fs::exists(journal));
  for (const char* name : {"value", "weight", "distance", "simulated", "tolerance", "acceptance_rate", "ess"}) {
    const auto a = read_doubles(one, name), b = read_doubles(two, name), r = read_doubles(options.output, name);
    ASSERT_EQ(a.size(), b.size()) << name;
    ASSERT_EQ(a.size(), r.size()) << name;
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(double))) << name;
    EXPECT_EQ(0, std::memcmp(a.data(), r.data(), a.size() * sizeof(double))) << name;
  }
}

TEST_F(CalibrationTest, ParameterOutsideTheSupportIsNeverSimulated) {
  const Calibration c = parse(R"(base: normal.yaml
parameters:
  normal.mu: {prior: uniform, bounds: [0, 1]}
targets:
  - {summary: y, observed: 0.0}
abc: {particles: 40, max_runs: 400}
)");
  const std::string path = run(c, "edge.h5", 1);
  for (const double x : read_doubles(path, "value")) {
    EXPECT_GE(x, 0.0);
    EXPECT_LE(x, 1.0);
  }
}

TEST_F(CalibrationTest, PriorDensitiesIntegrateToOneAndSamplesFollowThem) {
  CalibrationParameter p;
  for (const auto kind : {PriorKind::Uniform, PriorKind::LogUniform, PriorKind::Normal}) {
    p.prior = kind;
    p.low = 0.1;
    p.high = 3.0;
    p.mean = 1.0;
    p.sd = 0.7;
    // Trapezoid rule on a fine grid.
    const int n = 200000;
    double integral = 0.0;
    for (int i = 0; i <= n; ++i) {
      const double x = p.low + (p.high - p.low) * i / n;
      integral += (i == 0 || i == n ? 0.5 : 1.0) * p.density(x);
    }
    integral *= (p.high - p.low) / n;
    EXPECT_NEAR(integral, 1.0, 1e-6) << to_string(kind);
    // sample() is the quantile function: the density integrated up to sample(u) is u.
    for (const double u : {0.1, 0.5, 0.9}) {
      const double x = p.sample(u);
      double mass = 0.0;
      const int m = 100000;
      for (int i = 0; i <= m; ++i) {
        const double s = p.low + (x - p.low) * i / m;
        mass += (i == 0 || i == m ? 0.5 : 1.0) * p.density(s);
      }
      mass *= (x - p.low) / m;
      EXPECT_NEAR(mass, u, 1e-6) << to_string(kind) << " u=" << u;
    }
  }
  EXPECT_EQ(p.density(3.5), 0.0);
}

void expect_error(CalibrationTest& f, const std::string& text, const std::string& fragment) {
  try {
    f.parse(text);
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST_F(CalibrationTest, InvalidFilesAreRefusedWithFileLineAndColumn) {
  const std::string head = "base: normal.yaml\nparameters:\n  normal.mu: {prior: uniform, bounds: [-5, 5]}\n";
  expect_error(*this, head + "targets:\n  - {summary: yy, observed: 1}\n",
               "cal.yaml:5:15: targets[0].summary: unknown summary outcome \"yy\"; did you mean 'y'?");
  expect_error(*this, "base: normal.yaml\nparameters:\n  normal.mu: {prior: unifrm, bounds: [-5, 5]}\ntargets: []\n",
               "cal.yaml:3:22: parameters.normal.mu.prior: expected uniform, log_uniform or normal, found unifrm; "
               "did you mean 'uniform'?");
  expect_error(*this, "base: normal.yaml\nparameters:\n  normal.mu: {prior: uniform, bounds: [-500, 5]}\ntargets: []\n",
               "cal.yaml:3:40: parameters.normal.mu.bounds[0]: expected a real number in [-100, 100], found -500");
  expect_error(*this, head + "targets:\n  - {summary: y, observed: 1, variant: shiftd}\n",
               "targets[0].variant: unknown variant \"shiftd\"; the base scenario has baseline, shifted; did you mean "
               "'shifted'?");
  expect_error(*this, head + "targets:\n  - {summary: y, observed: 1}\nabc: {particles: 100, max_runs: 199}\n",
               "abc.max_runs: the budget must cover generation 0's 200 particles");
  // A runaway budget is refused up front with the number of simulations it could take.
  expect_error(*this, head + "replications: 1000\ntargets:\n  - {summary: y, observed: 1}\nabc: {max_runs: 100000}\n",
               "the budget allows up to 100000 particles x 1000 simulations (variants x replications) = 100000000 "
               "simulations");
  expect_error(*this, head + "targets:\n  - {series: mu, observed: 1}\n", "missing 'statistic'");
  expect_error(*this, head + "targets:\n  - {summary: y, observed: 1, efect: true}\n",
               "targets[0].efect: unknown key; did you mean 'effect'?");
}

}  // namespace
}  // namespace coordsim::test
