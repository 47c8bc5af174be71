// The county-level mechanisms of MODEL.md (§3.3 decisions on conflicts, §3.4 discipline commission,
// §3.7 task force, §4.2 cost rules, §6 F9 three levels) gathered into one phase. Order within the
// step: decisions first (they read this step's leadership attention and decide whether items are
// blocked), then cost rules (reports, briefings, consultations — a consultation may unblock),
// levels (effort per level from attention), the task force (seconded hours, work applied before
// owners allocate), and last the discipline commission (referrals and cases, then the perceived
// accountability owners weigh in this step's allocation). Each mechanism lives in its own file and
// declares its own parameter block.
#include "mechanisms.hpp"

#include "costs.hpp"
#include "decisions.hpp"
#include "discipline.hpp"
#include "levels.hpp"
#include "taskforce.hpp"

namespace coordsim::models::governance {

void declare_mechanism_parameters(sim::ParamSchema& schema) {
  declare_discipline_parameters(schema);
  declare_taskforce_parameters(schema);
  declare_decision_parameters(schema);
  declare_level_parameters(schema);
  declare_cost_rule_parameters(schema);
}

void read_mechanism_parameters(const sim::ParamSet& set, Parameters& parameters) {
  parameters.discipline = read_discipline_parameters(set);
  parameters.taskforce = read_taskforce_parameters(set);
  parameters.decisions = read_decision_parameters(set);
  parameters.levels = read_level_parameters(set);
  parameters.cost_rules = read_cost_rule_parameters(set, parameters.costs);
}

void init_mechanisms(State& state, const sim::Rng& rng) {
  init_costs(state);
  init_decisions(state, rng);
  init_levels(state, rng);
  init_taskforce(state);
  init_discipline(state, rng);
}

void run_mechanisms_phase(State& state, const sim::StepContext& context) {
  run_decisions(state, context);
  run_costs(state, context);
  run_levels(state, context);
  run_taskforce(state, context);
  run_discipline(state, context);
}

}  // namespace coordsim::models::governance
