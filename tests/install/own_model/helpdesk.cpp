// A model of one's own on coordsim's mechanism kit (coordsim/sim/mechanism.hpp): offices receive
// requests and serve what their capacity allows, and one mechanism, a shared helpdesk, takes requests
// off the longest queues. Each mechanism declares its parameters (bound to members of the typed
// parameter struct), its step within the model's phases and its reporters once; the composition
// derives the schema, the output layout, the recording and the phase order from the list of them.
#include "helpdesk.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

#include "coordsim/sim/mechanism.hpp"

namespace helpdesk {
namespace {
using namespace coordsim::sim;

constexpr std::uint64_t kArrivals = 1;  // purpose of the random stream of an office's arrivals

struct OfficeParameters {
  std::int64_t count = 0;
  double arrival_rate = 0.0;
  std::int64_t capacity = 0;
};
struct HelpdeskParameters {
  bool enabled = false;
  std::int64_t capacity = 0;
};
struct Parameters {
  OfficeParameters offices;
  HelpdeskParameters helpdesk;
};

// The world's state: the offices' queues (structure of arrays) and the helpdesk's count.
struct State {
  Parameters parameters;
  std::vector<std::int64_t> backlog, served;
  std::int64_t arrived_step = 0, helped_step = 0, backlog_total = 0;
  double backlog_over_steps = 0.0;
};

using Kit = Mechanism<Parameters, State>;

std::int64_t total(const std::vector<std::int64_t>& values) {
  return std::accumulate(values.begin(), values.end(), std::int64_t{0});
}

Kit offices() {
  Kit m("offices");
  m.parameters()
      .block("offices", &Parameters::offices)
      .integer("count", &OfficeParameters::count, 20, 1, 100000, "count", "Number of offices")
      .real("arrival_rate", &OfficeParameters::arrival_rate, 3.0, 0.0, 1000.0, "1/step",
            "Mean requests arriving at an office per step")
      .integer("capacity", &OfficeParameters::capacity, 3, 0, 1000, "1/step", "Requests an office serves per step");
  m.init([](State& s, const Rng&) {
    s.backlog.assign(static_cast<std::size_t>(s.parameters.offices.count), 0);
    s.served.assign(s.backlog.size(), 0);
  });
  // Every office draws its arrivals and serves up to its capacity (offices in parallel).
  m.step("serve", "arrivals and service", [](State& s, const StepContext& c) {
    std::vector<std::int64_t> arrived(s.backlog.size(), 0);
    c.execution.for_each(s.backlog.size(), 16, [&](std::size_t i) {
      auto stream = c.rng.stream(c.step, i, kArrivals);
      arrived[i] = stream.poisson(s.parameters.offices.arrival_rate);
      s.backlog[i] += arrived[i];
      s.served[i] = std::min(s.backlog[i], s.parameters.offices.capacity);
      s.backlog[i] -= s.served[i];
    });
    s.arrived_step = total(arrived);
  });
  m.tally([](State& s, std::size_t, bool) {
    s.backlog_total = total(s.backlog);
    s.backlog_over_steps += static_cast<double>(s.backlog_total);
  });
  m.series({"arrived", "count", "Requests arrived this step"}, Aggregation::Sum,
           [](const State& s) { return static_cast<double>(s.arrived_step); });
  m.series({"served", "count", "Requests served this step (offices and helpdesk)"}, Aggregation::Sum,
           [](const State& s) { return static_cast<double>(total(s.served) + s.helped_step); });
  m.series({"backlog", "count", "Requests waiting at the end of the step"}, Aggregation::Sum,
           [](const State& s) { return static_cast<double>(s.backlog_total); });
  m.summary({"final_backlog", "count", "Requests waiting at the end"}, true, Aggregation::Sum,
            [](const State& s, std::size_t) { return static_cast<double>(total(s.backlog)); });
  m.summary({"mean_backlog", "count", "Requests waiting, mean over steps"}, true, Aggregation::Sum,
            [](const State& s, std::size_t steps) { return s.backlog_over_steps / static_cast<double>(steps); });
  return m;
}

// The mechanism: the helpdesk takes one request at a time off the longest queue (lowest index
// first among equals) until its capacity is spent or no queue is left.
Kit shared_helpdesk() {
  Kit m("helpdesk");
  m.parameters()
      .block("helpdesk", &Parameters::helpdesk)
      .boolean("enabled", &HelpdeskParameters::enabled, false, "A shared helpdesk serves the longest queues")
      .integer("capacity", &HelpdeskParameters::capacity, 10, 0, 100000, "1/step",
               "Requests the helpdesk serves per step");
  m.step("helpdesk", "longest queues first", [](State& s, const StepContext&) {
    if (!s.parameters.helpdesk.enabled) return;
    s.helped_step = 0;
    while (s.helped_step < s.parameters.helpdesk.capacity) {
      const auto longest = std::max_element(s.backlog.begin(), s.backlog.end());
      if (*longest == 0) break;
      --*longest;
      ++s.helped_step;
    }
  });
  return m;
}

using HelpdeskComposition = Composition<Parameters, State>;

const std::shared_ptr<const HelpdeskComposition>& composition() {
  static const auto instance =
      std::make_shared<const HelpdeskComposition>(std::vector<std::string>{"serve", "helpdesk"},
                                                  std::vector<Kit>{offices(), shared_helpdesk()});
  return instance;
}

class Helpdesk final : public Model {
 public:
  std::string_view name() const override { return "helpdesk"; }
  std::string_view description() const override { return "Offices with request queues and a shared helpdesk"; }
  const ParamSchema& schema() const override { return composition()->schema(); }
  Problems check(const ParamSet& p) const override { return composition()->check(p); }
  OutputLayout layout(const ParamSet& p) const override { return composition()->layout(composition()->read(p)); }
  std::unique_ptr<World> build(const ParamSet& p, const BuildContext& context) const override {
    State state;
    state.parameters = composition()->read(p);
    composition()->init(state, context.rng);
    return std::make_unique<ComposedWorld<Parameters, State>>(composition(), std::move(state));
  }
};
}  // namespace

void register_model(ModelRegistry& registry) { registry.add(std::make_unique<Helpdesk>()); }
}  // namespace helpdesk
