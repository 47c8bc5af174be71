#pragma once
// Target management of downward tasks (MODEL.md §4.4, S2): escalation through levels, dispatch
// and ranking with its reporting load, conflicting targets, real vs reported attainment, penalties.
#include <cstddef>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Target after `levels` levels of escalation: min(cap, base x (1 + e)^levels) (层层加码).
double escalated_target(const TargetParameters& targets) noexcept;
// Attained share of a target: the level reached, T x min(1, delivered / required), is capped by the
// ceiling of what is attainable at all, then divided by T. required <= 0 counts as fully worked.
double real_attainment(double delivered, double required, double target, double ceiling) noexcept;
// What a township reports: for a rigid target it reports `formalism` of the gap as achieved.
double reported_attainment(double real, bool rigid, double formalism) noexcept;
// The township's trade-off between conflicting supply and safety targets: the share of the gap
// by which it exceeds safe capacity, by relative assessment weight (½ when both weigh nothing).
double conflict_choice(double supply_weight, double safety_weight) noexcept;
// Attained shares of the supply and the safety target for trade-off choice `lambda` in [0, 1]
// and gap g: supply 1 - g(1 - lambda), safety 1 - g lambda; with g > 0 at least one falls short.
struct ConflictOutcome {
  double supply, safety;
};
ConflictOutcome conflict_outcome(double gap, double lambda) noexcept;

// The plan of downward tasks every township receives (weights, rigidity, targets, the order in
// which a township serves them, reporting hours per step).
void build_task_plan(const Parameters& parameters, TaskPlan& plan);

// At the end of an assessment period: attainment of every task of one township, what it reports,
// penalties; resets the period's work. Writes only the township's own state.
void assess_township(State& state, std::size_t township, const sim::StepContext& context);

}  // namespace coordsim::models::governance
