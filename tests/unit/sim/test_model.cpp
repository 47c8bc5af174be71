#include "test_model.hpp"

#include <cmath>
#include <memory>
#include <numeric>

#include "coordsim/sim/mailbox.hpp"

namespace coordsim::test {
namespace {

using namespace coordsim::sim;

class ToyWorld final : public World {
 public:
  ToyWorld(const ParamSet& p, const BuildContext& context)
      : count_(static_cast<std::size_t>(p.integer("walkers.count"))),
        drift_(p.real("walkers.drift")),
        coupling_(p.real("walkers.coupling")),
        noisy_(p.choice("walkers.mode") == "noisy"),
        value_(count_, 0.0),
        received_(count_, 0.0),
        mailbox_(count_, count_) {
    for (std::size_t i = 0; i < count_; ++i) value_[i] = context.rng.stream(Rng::kSetupStep, i, 0).uniform();
    phases_.push_back({"move", [this](const StepContext& c) { move(c); }});
    phases_.push_back({"exchange", [this](const StepContext& c) { exchange(c); }});
  }
  const std::vector<Phase>& phases() const override { return phases_; }
  void record(const StepContext& c, Recorder& recorder) override {
    double* row = recorder.series_row(c.step);
    row[0] = std::accumulate(value_.begin(), value_.end(), 0.0) / static_cast<double>(count_);
    row[1] = static_cast<double>(mailbox_.delivered());
    if (recorder.agents_due(c.step)) {
      double* values = recorder.agent_row(0, 0, c.step);
      for (std::size_t i = 0; i < count_; ++i) values[i] = value_[i];
    }
  }
  void summarize(std::size_t, Recorder& recorder) override {
    recorder.summaries()[0] = std::accumulate(value_.begin(), value_.end(), 0.0) / static_cast<double>(count_);
  }

 private:
  void move(const StepContext& c) {
    c.execution.for_each(count_, 4, [&](std::size_t i) {
      auto stream = c.rng.stream(c.step, i, 1);
      value_[i] += drift_ * stream.uniform() + (noisy_ ? 0.1 * stream.normal() : 0.0);
      mailbox_.post(i, (i + 1) % count_, value_[i]);
    });
    mailbox_.deliver();
  }
  void exchange(const StepContext& c) {
    c.execution.for_each(count_, 4, [&](std::size_t i) {
      double sum = 0.0;
      for (const auto& envelope : mailbox_.inbox(i)) sum += envelope.message;
      received_[i] = sum;
      value_[i] += coupling_ * (sum - value_[i]);
    });
  }

  std::size_t count_;
  double drift_, coupling_;
  bool noisy_;
  std::vector<double> value_, received_;
  Mailbox<double> mailbox_;
  std::vector<Phase> phases_;
};

class ToyModel final : public Model {
 public:
  ToyModel() {
    schema_.integer("walkers.count", 8, 1, 100000, "count", "Number of walkers")
        .real("walkers.drift", 1.0, 0.0, 10.0, "1", "Mean increment per step")
        .real("walkers.coupling", 0.0, 0.0, 1.0, "1", "Pull towards the neighbour's value")
        .choice("walkers.mode", "plain", {"plain", "noisy"}, "Noise added to each step")
        .boolean("walkers.enabled", true, "Unused switch, for parsing tests")
        .real_list("walkers.weights", {0.5, 0.5}, 0.0, 1.0, "1", "Unused weights, for parsing tests");
  }
  std::string_view name() const override { return "toy"; }
  std::string_view description() const override { return "Ring of random walkers (engine tests)"; }
  const ParamSchema& schema() const override { return schema_; }
  OutputLayout layout(const ParamSet& p) const override {
    OutputLayout layout;
    layout.series = {{"mean_value", "1", "Mean walker value"}, {"messages", "count", "Messages delivered"}};
    layout.agent_kinds = {{"walker", static_cast<std::size_t>(p.integer("walkers.count")),
                           {{"value", "1", "Walker value"}}}};
    layout.summaries = {{{"final_mean", "1", "Mean value at the end"}, true}};
    return layout;
  }
  std::unique_ptr<World> build(const ParamSet& p, const BuildContext& context) const override {
    return std::make_unique<ToyWorld>(p, context);
  }

 private:
  ParamSchema schema_;
};

}  // namespace

void register_toy_model(sim::ModelRegistry& registry) { registry.add(std::make_unique<ToyModel>()); }

}  // namespace coordsim::test
