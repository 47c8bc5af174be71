#pragma once
// The governance model as the ordered list of its mechanisms (sim/mechanism.hpp, ODD "Process
// overview and scheduling"). Each mechanism declares its parameters, initialisation, steps and
// reporters in its own file; composition() assembles them, in this order: the core (departments,
// tasks, leads, leadership, allocation), the county-level mechanisms (discipline commission, task
// force, decisions, levels, cost rules), the grassroots and citizen layer, and the scale.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "coordsim/sim/mechanism.hpp"
#include "parameters.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

using GovernanceMechanism = sim::Mechanism<Parameters, State>;
using GovernanceComposition = sim::Composition<Parameters, State>;

// The phases of a step, in the order they run (ODD "Process overview and scheduling").
inline constexpr const char* kPhaseLeadership = "leadership";
inline constexpr const char* kPhaseLead = "lead";
inline constexpr const char* kPhaseMechanisms = "mechanisms";
inline constexpr const char* kPhaseDepartments = "departments";
inline constexpr const char* kPhaseTasks = "tasks";
inline constexpr const char* kPhaseTownships = "townships";
inline constexpr const char* kPhaseClusters = "clusters";

// One per mechanism, each defined beside the mechanism's code.
GovernanceMechanism core_mechanism();        // core.cpp
GovernanceMechanism discipline_mechanism();  // discipline.cpp
GovernanceMechanism taskforce_mechanism();   // taskforce.cpp
GovernanceMechanism decisions_mechanism();   // decisions.cpp
GovernanceMechanism levels_mechanism();      // levels.cpp
GovernanceMechanism costs_mechanism();       // costs.cpp
GovernanceMechanism grassroots_mechanism();  // grassroots_layer.cpp
GovernanceMechanism scale_mechanism();       // scale.cpp

// A per-department variable copied from a per-department vector of the state.
inline std::function<void(const State&, std::size_t, double*)> department_values(
    const std::vector<double>& (*values)(const State&)) {
  return [values](const State& s, std::size_t, double* row) {
    const auto& source = values(s);
    for (std::size_t i = 0; i < s.departments.size(); ++i) row[i] = source[i];
  };
}

// The phases of a step in order, and the model's list of mechanisms (model.cpp).
std::vector<std::string> phases();
std::vector<GovernanceMechanism> mechanisms();
// The model's mechanisms composed (built once).
const std::shared_ptr<const GovernanceComposition>& composition();

// Output layout of one county with these parameters.
sim::OutputLayout make_layout(const Parameters& parameters);

}  // namespace coordsim::models::governance
