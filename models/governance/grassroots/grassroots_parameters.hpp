#pragma once
// Typed parameters of the grassroots and citizen layer (MODEL.md §3.5 townships and officials,
// §3.6 citizen demands, §3.8 clusters and platform, §4.4 target management). Each block is
// declared and read in grassroots_parameters.cpp; with the default grassroots.count = 0 the layer
// has no agent and the department-level results are unchanged.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "coordsim/sim/param.hpp"
#include "coordsim/sim/param_bindings.hpp"

namespace coordsim::models::governance {

// 乡镇/街道 and their officials (§3.5, S2, S3).
struct GrassrootsParameters {
  std::int64_t count;
  double staff_mean, staff_cv, hours_per_staff;
  double residents_mean, residents_cv, villages_mean;
  std::int64_t tasks;  // downward task streams per township
  double task_hours;   // hours per step one task needs at the base target and expertise 1
  double fatigue_rise, fatigue_recovery, fatigue_productivity;
  double turnover_base, turnover_fatigue;
  double veteran_expertise, newcomer_expertise, learning_rate;
  std::int64_t vacancy_steps;
  bool authority;      // 赋权 (S2)
  bool service_first;  // counterfactual to 疲态治理: citizen service before downward tasks
  double specialists, specialist_diversion, specialist_expertise, favouritism;
};

// Target management (§4.4, S2).
struct TargetParameters {
  std::int64_t dispatched, report_every;
  double forms_per_report, hours_per_form;
  double dispatched_weight, other_weight;
  std::int64_t assessment_every;
  double base_target, escalation;
  std::int64_t levels;
  double target_cap, ceiling;
  double formalism, tolerance, inspection_probability;
  bool conflict;
  double conflict_gap, supply_weight, safety_weight, conflict_noise;
};

enum class SignOff : std::uint8_t { Sequential, OneStop };

// 群众诉求 (§3.6, S1, S3, S4).
struct CitizenParameters {
  double rate_per_thousand, multi_share;
  std::int64_t max_departments;
  SignOff sign_off;
  double walk_in_share;
  double department_response, one_stop_response;
  double pass_back, accountability, one_stop_pass_back_factor;
  double patience_mean, petition_probability, petition_probability_suppressed;
  double intake_hours, local_hours;
  double satisfaction_scale, satisfaction_pass_back;
  double report_share, case_hours;
};

// 片区协作 (§3.8, S3).
struct ClusterParameters {
  bool enabled;
  std::int64_t size;
  double cross_inspection, diversion, specialist_expertise;
};

// 益村 platform with village service agents (§3.8, S3).
struct PlatformParameters {
  bool enabled;
  double share, handling_factor, response_factor, paperwork_cut, agent_hours;
};

// Upper bound of departments.count a demand may need (fixed stride of the demand pool).
inline constexpr std::int64_t kMaxDemandDepartments = 8;

struct Parameters;

void declare_grassroots_parameters(sim::ParamBindings<Parameters>& bindings);
void check_grassroots_parameters(const sim::ParamSet& set, std::vector<std::pair<std::string, std::string>>& problems);

}  // namespace coordsim::models::governance
