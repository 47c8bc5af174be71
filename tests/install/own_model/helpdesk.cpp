#include "helpdesk.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

namespace helpdesk {
namespace {
using namespace coordsim::sim;

constexpr std::uint64_t kArrivals = 1;  // purpose of the random stream of an office's arrivals

class Offices final : public World {
 public:
  Offices(const ParamSet& p, const BuildContext&)
      : rate_(p.real("offices.arrival_rate")),
        capacity_(p.integer("offices.capacity")),
        pooled_(p.boolean("helpdesk.enabled")),
        helpdesk_capacity_(p.integer("helpdesk.capacity")),
        backlog_(static_cast<std::size_t>(p.integer("offices.count")), 0),
        served_(backlog_.size(), 0) {
    phases_.push_back({"serve", [this](const StepContext& c) { serve(c); }});
    if (pooled_) phases_.push_back({"helpdesk", [this](const StepContext&) { help(); }});
  }
  const std::vector<Phase>& phases() const override { return phases_; }
  void record(const StepContext& c, Recorder& recorder) override {
    double* row = recorder.series_row(c.step);
    row[0] = static_cast<double>(arrived_step_);
    row[1] = static_cast<double>(std::accumulate(served_.begin(), served_.end(), std::int64_t{0}) + helped_step_);
    row[2] = static_cast<double>(std::accumulate(backlog_.begin(), backlog_.end(), std::int64_t{0}));
    total_backlog_ += row[2];
  }
  void summarize(std::size_t steps, Recorder& recorder) override {
    recorder.summaries()[0] = static_cast<double>(std::accumulate(backlog_.begin(), backlog_.end(), std::int64_t{0}));
    recorder.summaries()[1] = total_backlog_ / static_cast<double>(steps);
  }

 private:
  // Every office draws its arrivals and serves up to its capacity (offices in parallel).
  void serve(const StepContext& c) {
    std::vector<std::int64_t> arrived(backlog_.size(), 0);
    c.execution.for_each(backlog_.size(), 16, [&](std::size_t i) {
      auto stream = c.rng.stream(c.step, i, kArrivals);
      arrived[i] = stream.poisson(rate_);
      backlog_[i] += arrived[i];
      served_[i] = std::min(backlog_[i], capacity_);
      backlog_[i] -= served_[i];
    });
    arrived_step_ = std::accumulate(arrived.begin(), arrived.end(), std::int64_t{0});
  }
  // The mechanism: the helpdesk takes one request at a time off the longest queue (lowest index
  // first among equals) until its capacity is spent or no queue is left.
  void help() {
    helped_step_ = 0;
    while (helped_step_ < helpdesk_capacity_) {
      const auto longest = std::max_element(backlog_.begin(), backlog_.end());
      if (*longest == 0) break;
      --*longest;
      ++helped_step_;
    }
  }

  double rate_;
  std::int64_t capacity_;
  bool pooled_;
  std::int64_t helpdesk_capacity_;
  std::vector<std::int64_t> backlog_, served_;
  std::int64_t arrived_step_ = 0, helped_step_ = 0;
  double total_backlog_ = 0.0;
  std::vector<Phase> phases_;
};

class Helpdesk final : public Model {
 public:
  Helpdesk() {
    schema_.integer("offices.count", 20, 1, 100000, "count", "Number of offices")
        .real("offices.arrival_rate", 3.0, 0.0, 1000.0, "1/step", "Mean requests arriving at an office per step")
        .integer("offices.capacity", 3, 0, 1000, "1/step", "Requests an office serves per step")
        .boolean("helpdesk.enabled", false, "A shared helpdesk serves the longest queues")
        .integer("helpdesk.capacity", 10, 0, 100000, "1/step", "Requests the helpdesk serves per step");
  }
  std::string_view name() const override { return "helpdesk"; }
  std::string_view description() const override { return "Offices with request queues and a shared helpdesk"; }
  const ParamSchema& schema() const override { return schema_; }
  OutputLayout layout(const ParamSet&) const override {
    OutputLayout layout;
    layout.series = {{"arrived", "count", "Requests arrived this step"},
                     {"served", "count", "Requests served this step (offices and helpdesk)"},
                     {"backlog", "count", "Requests waiting at the end of the step"}};
    layout.summaries = {{{"final_backlog", "count", "Requests waiting at the end"}, true},
                        {{"mean_backlog", "count", "Requests waiting, mean over steps"}, true}};
    return layout;
  }
  std::unique_ptr<World> build(const ParamSet& p, const BuildContext& context) const override {
    return std::make_unique<Offices>(p, context);
  }

 private:
  ParamSchema schema_;
};
}  // namespace

void register_model(ModelRegistry& registry) { registry.add(std::make_unique<Helpdesk>()); }
}  // namespace helpdesk
