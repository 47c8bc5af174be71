#pragma once
// Conflicting goals and blocked decisions (ODD 3.9, F7): its typed parameters (bound in
// decisions.cpp), its structure-of-arrays state (sized once when the world is built; stepping never
// allocates) and the reductions its reporters share. Off or neutral by default, so the core's
// results are unchanged.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace coordsim::models::governance {

// Conflicting goals and blocked decisions (F7, S4 卫生院 siting).
struct DecisionParameters {
  bool enabled;
  double item_share, conflict_alignment;
  bool lead_decides;
  double lead_decision_probability;
  std::int64_t mediation_steps;
  double leadership_decision_rate;
};

// Decisions on conflicting goals (F7): per item.
enum class DecisionStatus : std::uint8_t { None, Pending, Mediating, Escalated, Decided };
struct DecisionState {
  std::vector<std::uint8_t> needs;     // per item: the item waits on a decision
  std::vector<std::uint8_t> blocked;   // per item: cannot receive work (read by item_available)
  std::vector<DecisionStatus> status;  // per item
  std::vector<std::int64_t> blocked_since, decided_step;
  double made = 0.0;  // cumulative conflicting decisions made
};

// Reductions of the last recorded step (its tally), read by its series.
struct DecisionTally {
  double blocked = 0, escalated = 0;
};

}  // namespace coordsim::models::governance
