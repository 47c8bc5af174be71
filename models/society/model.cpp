// The society model as a sim::Model: the composition of its mechanisms in the order of parameters
// and outputs — choice rules and coupling switches, departments with their joint tasks and leads,
// leadership, the commission, townships, citizens and their villages — stepped by phase: arrivals, leadership,
// departments, townships, commission, citizens. Registered as "society".
#include <memory>

#include "coordsim/models/society/register.hpp"
#include "scale.hpp"
#include "society.hpp"

namespace coordsim::models::society {

SocietyMechanism choice_mechanism() {
  SocietyMechanism m("choice");
  m.parameters()
      .block("choice", &Parameters::choice)
      .real("department_temperature", &ChoiceParameters::department_temperature, 0.2, 1e-6, 100.0, "1",
            "Logit temperature T of departments, leads and their sign-off decisions (§3; assumed)")
      .real("township_temperature", &ChoiceParameters::township_temperature, 0.3, 1e-6, 100.0, "1",
            "Logit temperature T of township officials")
      .real("commission_temperature", &ChoiceParameters::commission_temperature, 0.3, 1e-6, 100.0, "1",
            "Logit temperature T of the commission's staff")
      .real("idle_utility", &ChoiceParameters::idle_utility, 0.25, -100.0, 100.0, "1",
            "Utility of leaving an hour unused");
  m.parameters()
      .block("coupling", &Parameters::coupling)
      .boolean("downward_pressure", &CouplingParameters::downward_pressure, true,
               "4.1: departments under pressure (penalties, p̂_acc) push more tasks down (false: a fixed rate)")
      .boolean("township_share", &CouplingParameters::township_share, true,
               "4.2: joint items need the townships' share and ask townships for progress reports")
      .boolean("requests", &CouplingParameters::requests, true,
               "4.3: township matters needing a department's decision go up as requests and block the task")
      .boolean("signoffs_department", &CouplingParameters::signoffs_department, true,
               "4.4: citizens' sign-offs are department work (false: signed at once outside the departments)")
      .boolean("shared_attention", &CouplingParameters::shared_attention, true,
               "4.5: petitions and escalations draw on the attention budget the tasks share")
      .boolean("accountability", &CouplingParameters::accountability, true,
               "4.6: sanctions and p̂_acc enter utilities; repeated sanctions replace heads")
      .boolean("fatigue", &CouplingParameters::fatigue, true, "4.7: fatigue and turnover feed township capacity");
  // Flows of a step start from zero before anything moves.
  m.step(kPhaseArrivals, "reset flows", [](State& s, const sim::StepContext&) { s.flows = Flows{}; }, -100);
  return m;
}

namespace {

std::vector<std::string> phases() {
  return {kPhaseArrivals, kPhaseLeadership, kPhaseDepartments, kPhaseTownships, kPhaseCommission, kPhaseCitizens};
}

std::vector<SocietyMechanism> mechanisms() {
  return {choice_mechanism(),   departments_mechanism(), decisions_mechanism(), taskforce_mechanism(),
          leadership_mechanism(), commission_mechanism(),  townships_mechanism(), targets_mechanism(),
          citizens_mechanism(),   villages_mechanism(), scale_mechanism()};
}

class SocietyModel final : public sim::Model {
 public:
  std::string_view name() const override { return "society"; }
  std::string_view description() const override {
    return "One coupled county (MODEL.md v2, 条块): departments, leads, leadership, discipline commission, "
           "townships and citizens linked by flows of tasks, hours, attention, information and sanctions";
  }
  const sim::ParamSchema& schema() const override { return composition()->schema(); }
  std::vector<std::pair<std::string, std::string>> check(const sim::ParamSet& parameters) const override {
    return composition()->check(parameters);
  }
  sim::OutputLayout layout(const sim::ParamSet& parameters) const override {
    const Parameters typed = composition()->read(parameters);
    return typed.scale.counties > 1 ? scaled_layout(typed) : composition()->layout(typed);
  }
  // A province or the nation: an ensemble of counties (scale.cpp); one county is the composed world.
  std::unique_ptr<sim::World> build(const sim::ParamSet& parameters, const sim::BuildContext& context) const override {
    const Parameters typed = composition()->read(parameters);
    if (typed.scale.counties > 1) return build_scaled_world(typed, context);
    return std::make_unique<sim::ComposedWorld<Parameters, State>>(composition(), generate(typed, context.rng));
  }
};

}  // namespace

const std::shared_ptr<const SocietyComposition>& composition() {
  static const std::shared_ptr<const SocietyComposition> instance =
      std::make_shared<const SocietyComposition>(phases(), mechanisms());
  return instance;
}

State generate(const Parameters& parameters, const sim::Rng& rng) {
  State state;
  state.parameters = parameters;
  composition()->init(state, rng);
  return state;
}

void register_society(sim::ModelRegistry& registry) { registry.add(std::make_unique<SocietyModel>()); }

}  // namespace coordsim::models::society
