#pragma once
// Typed parameters of the governance model, read once from a sim::ParamSet when a world is built.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "coordsim/sim/extensions.hpp"
#include "coordsim/sim/param.hpp"
#include "coordsim/sim/param_bindings.hpp"
#include "grassroots_parameters.hpp"
#include "mechanism_parameters.hpp"

namespace coordsim::models::governance {

// How the work items of a joint task depend on each other (MODEL.md §3.7, S1).
enum class Dependency : std::uint8_t { Sequential, Parallel, Complementary };

// Assessment regime (MODEL.md §4.3, S0/S1).
enum class Regime : std::uint8_t { OutcomeOnly, CooperationDegree, LeadEvaluates, Joint };

struct DepartmentParameters {
  std::int64_t count;
  double staff_mean, staff_cv, hours_per_staff;
  double home_load, home_noise, initial_backlog;
  double rank_mean, rank_spread;
  double departmentalism_mean, departmentalism_spread;
  double expertise_mean, expertise_spread;
  std::int64_t goals;
  double orientation_focus;
};

struct TaskParameters {
  std::int64_t count, participants, items_per_participant;
  double item_hours_mean, item_hours_cv;
  double material_share, material_hours_factor;
  std::int64_t start_max, deadline_min, deadline_max;
  Dependency dependency;
  double complementarity_bonus;
  std::int64_t missing_after;
  double priority_spread;
};

struct LeadParameters {
  double rank;
  bool leading_group;
  double chase_probability, chase_rank_sensitivity;
  std::int64_t chase_ahead;
  double chase_decay;
  double trust_initial, trust_loss, trust_recovery;
  std::int64_t escalate_after;
  bool substitute;
  double substitute_expertise;
};

struct LeadershipParameters {
  double attention_budget, chair_rank, escalation_weight;
};

struct AssessmentParameters {
  Regime regime;
  double weight_lead, weight_cooperation, weight_lead_evaluates, weight_joint;
};

struct AllocationParameters {
  double temperature, w_home, home_urgency_half, deadline_scale;
  double lambda_attention, lambda_chase, lambda_accountability, lambda_alignment;
  double rank_authority;
};

struct AccountabilityParameters {
  double probability, penalty;
};

struct CostParameters {
  double coordination, chase_hours, meeting_hours;
  std::int64_t meeting_every;
  double lead_overhead_hours, escalation_hours;
};

// Province and nation built from this county as a template (scale.hpp, ODD "Scale").
struct ScaleParameters {
  std::int64_t counties = 1, provinces = 1, seed = 1;
  double departments_spread = 0.0, staff_spread = 0.0, townships_spread = 0.0, residents_spread = 0.0;
  double lead_rank_spread = 0.0;
  double province_attention = 0.0, province_target = 0.0, province_escalation = 0.0;
};

struct Parameters {
  DepartmentParameters departments;
  TaskParameters tasks;
  LeadParameters lead;
  LeadershipParameters leadership;
  AssessmentParameters assessment;
  AllocationParameters allocation;
  AccountabilityParameters accountability;
  CostParameters costs;
  // County-level mechanisms (mechanism_parameters.hpp), each off or neutral by default.
  DisciplineParameters discipline;
  TaskForceParameters taskforce;
  DecisionParameters decisions;
  LevelParameters levels;
  CostRuleParameters cost_rules;
  // Grassroots and citizen layer (grassroots_parameters.hpp); off with grassroots.count = 0.
  GrassrootsParameters grassroots;
  TargetParameters targets;
  CitizenParameters citizens;
  ClusterParameters clusters;
  PlatformParameters platform;
  ScaleParameters scale;
  // Parameters of mechanisms that keep their own block (sim::ParamBindings::extension).
  sim::Extensions extensions;

  // The lead's rank as owners perceive it: the chair's when a leading small group runs the task
  // (MODEL.md §3.3, S4), the lead department's own otherwise.
  double effective_lead_rank() const noexcept {
    return lead.leading_group && leadership.chair_rank > lead.rank ? leadership.chair_rank : lead.rank;
  }

  // The typed parameters of a validated set (every mechanism's bindings, composition.hpp).
  static Parameters read(const sim::ParamSet& set);
};

// Every parameter of the model with default, range, unit and description.
const sim::ParamSchema& schema();
// Cross-parameter checks the schema cannot express.
std::vector<std::pair<std::string, std::string>> check(const sim::ParamSet& set);

// The core's parameter blocks: departments, tasks, lead, leadership, assessment, allocation,
// accountability and costs (parameters.cpp), and its checks.
void declare_core_parameters(sim::ParamBindings<Parameters>& bindings);
void check_core_parameters(const sim::ParamSet& set, std::vector<std::pair<std::string, std::string>>& problems);

}  // namespace coordsim::models::governance
