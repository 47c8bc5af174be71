#pragma once
// The assessment term w_assess of the allocation utility (MODEL.md §3.1, §4.3).
#include "parameters.hpp"

namespace coordsim::models::governance {

// Weight with which a department's assessment rewards its work on an item of a joint task.
// `is_lead`: the department leads the item's task (it works on the item only by substitution).
double assessment_weight(const AssessmentParameters& assessment, bool is_lead, double effective_lead_rank) noexcept;

}  // namespace coordsim::models::governance
