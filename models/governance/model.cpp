// The governance model as a sim::Model (MODEL.md §1, ODD "Overview"): the composition of its
// mechanisms (composition.hpp) gives its parameters, output layout, phases and records; one county
// is a sim::ComposedWorld, a province or the nation (scale.counties > 1) an ensemble of counties
// (scale.hpp). Registered as "governance" by register_governance.
#include <cstdint>
#include <memory>

#include "composition.hpp"
#include "coordsim/models/governance/register.hpp"
#include "scale.hpp"

namespace coordsim::models::governance {

std::vector<std::string> phases() {
  return {kPhaseLeadership, kPhaseLead, kPhaseMechanisms, kPhaseDepartments, kPhaseTasks, kPhaseTownships,
          kPhaseClusters};
}

std::vector<GovernanceMechanism> mechanisms() {
  // In the order of parameters and outputs. Steps run by phase; within the mechanisms phase by the
  // order each step declares (decisions, cost rules, levels, task force, discipline commission).
  return {core_mechanism(),      discipline_mechanism(), taskforce_mechanism(),  decisions_mechanism(),
          levels_mechanism(),    costs_mechanism(),      grassroots_mechanism(), scale_mechanism()};
}

const std::shared_ptr<const GovernanceComposition>& composition() {
  static const std::shared_ptr<const GovernanceComposition> instance =
      std::make_shared<const GovernanceComposition>(phases(), mechanisms());
  return instance;
}

const sim::ParamSchema& schema() { return composition()->schema(); }

std::vector<std::pair<std::string, std::string>> check(const sim::ParamSet& set) { return composition()->check(set); }

Parameters Parameters::read(const sim::ParamSet& set) { return composition()->read(set); }

State generate_world(const Parameters& parameters, const sim::Rng& rng) {
  State state;
  state.parameters = parameters;
  composition()->init(state, rng);
  return state;
}

sim::OutputLayout make_layout(const Parameters& parameters) { return composition()->layout(parameters); }

namespace {

// Peak resident bytes of one county's state, from per-entity costs measured as differences of peak
// RSS between nation.yaml runs that change one count (ODD §3.11 "Memory"): a department, a task
// relation (a participant or the lead) and each of its items, a township with its officials, and
// what is left per county. The demand pool costs the pages demands reach (grassroots_state.hpp):
// one page per township, plus 32-byte records for twice the demands expected open at once.
std::uint64_t county_memory_bytes(const Parameters& p) {
  constexpr double kCounty = 12.4e3, kDepartment = 282.0, kRelation = 99.0, kItem = 72.0, kTownship = 606.0;
  const double departments = static_cast<double>(p.departments.count);
  const double relations = static_cast<double>(p.tasks.count * (p.tasks.participants + 1));
  const double items = relations * static_cast<double>(p.tasks.items_per_participant);
  const double townships = static_cast<double>(p.grassroots.count);
  const double rate = p.grassroots.residents_mean / 1000.0 * p.citizens.rate_per_thousand;
  const double pool = rate > 0.0 ? 4096.0 + 2.0 * sizeof(Demand) * rate * p.citizens.patience_mean : 0.0;
  return static_cast<std::uint64_t>(kCounty + kDepartment * departments + kRelation * relations + kItem * items +
                                    (kTownship + pool) * townships);
}

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
    const Parameters typed = Parameters::read(parameters);
    if (typed.scale.counties > 1) return make_scaled_layout(typed);
    return make_layout(typed);
  }
  // A province or the nation: every county's state (the ensemble's per-step scratch is small).
  std::uint64_t world_memory_bytes(const sim::ParamSet& parameters) const override {
    const Parameters typed = Parameters::read(parameters);
    if (typed.scale.counties <= 1) return county_memory_bytes(typed);
    std::uint64_t bytes = 0;
    for (const auto& county : county_parameters(typed)) bytes += county_memory_bytes(county);
    return bytes;
  }
  std::unique_ptr<sim::World> build(const sim::ParamSet& parameters, const sim::BuildContext& context) const override {
    const Parameters typed = Parameters::read(parameters);
    // A province or the nation (scale.hpp); one county is the composed world itself.
    if (typed.scale.counties > 1) return build_scaled_world(typed, context);
    return std::make_unique<sim::ComposedWorld<Parameters, State>>(composition(), generate_world(typed, context.rng));
  }
};

}  // namespace

void register_governance(sim::ModelRegistry& registry) { registry.add(std::make_unique<GovernanceModel>()); }

}  // namespace coordsim::models::governance
