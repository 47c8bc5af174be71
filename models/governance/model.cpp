// The governance model as a sim::Model (MODEL.md §1): it declares the parameters of parameters.cpp
// and the outputs of outputs.cpp, builds a world with world.cpp, and steps it through four phases
// in the order of MODEL.md §3: leadership shares attention (§3.3), leads chase and escalate (§3.2),
// departments split their hours (§3.1), tasks apply the delivered work (§3.7). Registered as
// "governance" by register_governance.
#include <memory>

#include "allocation.hpp"
#include "clusters.hpp"
#include "coordsim/models/governance/register.hpp"
#include "grassroots.hpp"
#include "grassroots_outputs.hpp"
#include "lead.hpp"
#include "leadership.hpp"
#include "mechanism_outputs.hpp"
#include "mechanisms.hpp"
#include "outputs.hpp"
#include "parameters.hpp"
#include "scale.hpp"
#include "tasks.hpp"
#include "world.hpp"

namespace coordsim::models::governance {
namespace {

class GovernanceWorld final : public sim::World {
 public:
  GovernanceWorld(const sim::ParamSet& parameters, const sim::BuildContext& context)
      : state_(generate_world(Parameters::read(parameters), context.rng)) {
    phases_.push_back({"leadership", [this](const sim::StepContext& c) { run_leadership_phase(state_, c); }});
    phases_.push_back({"lead", [this](const sim::StepContext& c) { run_lead_phase(state_, c); }});
    phases_.push_back({"mechanisms", [this](const sim::StepContext& c) { run_mechanisms_phase(state_, c); }});
    phases_.push_back({"departments", [this](const sim::StepContext& c) { run_departments_phase(state_, c); }});
    phases_.push_back({"tasks", [this](const sim::StepContext& c) { run_tasks_phase(state_, c); }});
    // Grassroots and citizens (ODD 3.10): townships after the county, then clusters' casework.
    phases_.push_back({"townships", [this](const sim::StepContext& c) { run_townships_phase(state_, c); }});
    phases_.push_back({"clusters", [this](const sim::StepContext& c) { run_clusters_phase(state_, c); }});
  }
  const std::vector<sim::Phase>& phases() const override { return phases_; }
  void record(const sim::StepContext& context, sim::Recorder& recorder) override {
    record_step(state_, context.step, recorder);
    record_mechanisms(state_, context.step, recorder);
    record_grassroots(state_, context.step, recorder);
  }
  void summarize(std::size_t steps, sim::Recorder& recorder) override {
    summarize_run(state_, steps, recorder);
    summarize_mechanisms(state_, steps, recorder);
    summarize_grassroots(state_, steps, recorder);
  }
  std::vector<std::pair<double, double>> hours_balance() const override {
    const auto& d = state_.departments;
    std::vector<std::pair<double, double>> balance(d.size());
    for (std::size_t i = 0; i < d.size(); ++i)
      balance[i] = {d.chasing[i] + d.coordinating_lead[i] + d.meetings[i] + d.joint_own[i] + d.doing_others[i] + d.home[i] +
                        mechanism_hours(state_, i),
                    d.capacity[i]};
    append_township_hours_balance(state_, balance);  // townships after departments
    return balance;
  }

 private:
  State state_;
  std::vector<sim::Phase> phases_;
};

class GovernanceModel final : public sim::Model {
 public:
  std::string_view name() const override { return "governance"; }
  std::string_view description() const override {
    return "Inter-department coordination on joint tasks: allocation of hours, lead chasing, leadership attention, "
           "assessment regimes (MODEL.md)";
  }
  const sim::ParamSchema& schema() const override { return governance::schema(); }
  std::vector<std::pair<std::string, std::string>> check(const sim::ParamSet& parameters) const override {
    return governance::check(parameters);
  }
  sim::OutputLayout layout(const sim::ParamSet& parameters) const override {
    if (parameters.integer("scale.counties") > 1) return make_scaled_layout(Parameters::read(parameters));
    return make_layout(static_cast<std::size_t>(parameters.integer("departments.count")),
                       static_cast<std::size_t>(parameters.integer("tasks.count")),
                       static_cast<std::size_t>(parameters.integer("grassroots.count")));
  }
  std::unique_ptr<sim::World> build(const sim::ParamSet& parameters, const sim::BuildContext& context) const override {
    // A province or the nation (scale.hpp); one county keeps the original world, bit for bit.
    if (parameters.integer("scale.counties") > 1) return build_scaled_world(Parameters::read(parameters), context);
    return std::make_unique<GovernanceWorld>(parameters, context);
  }
};

}  // namespace

void register_governance(sim::ModelRegistry& registry) { registry.add(std::make_unique<GovernanceModel>()); }

}  // namespace coordsim::models::governance
