#pragma once
// Assessment regimes (MODEL.md §4.3): who is scored on a joint task, and hence how much an item
// weighs in its owner's allocation (w_assess in §3.1). Under outcome_only (唯结果论, S0) only the
// lead is scored, so owners weigh items in others' tasks at zero ("只考核完成度,不考核配合度");
// cooperation_degree (配合度, S0) scores each owner on the timeliness of its items;
// lead_evaluates gives the lead evaluation power over owners (S1 "赋予责任大的部门更多监督权和
// 考核权"), weighted by the lead's effective rank; joint (关联性考核, S1) makes every participant
// share the task's outcome. The lead is scored on its task's outcome in every regime.
#include "parameters.hpp"

namespace coordsim::models::governance {

// Weight with which a department's assessment rewards its work on an item of a joint task.
// `is_lead`: the department leads the item's task (it works on the item only by substitution).
inline double assessment_weight(const AssessmentParameters& a, bool is_lead, double effective_lead_rank) noexcept {
  if (is_lead) return a.weight_lead;
  switch (a.regime) {
    case Regime::OutcomeOnly: return 0.0;
    case Regime::CooperationDegree: return a.weight_cooperation;
    case Regime::LeadEvaluates: return a.weight_lead_evaluates * effective_lead_rank;
    case Regime::Joint: return a.weight_joint;
  }
  return 0.0;
}

}  // namespace coordsim::models::governance
