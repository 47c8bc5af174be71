// The parameter schema of the governance model (MODEL.md §3.1–3.3, §3.7, §4.1–4.3): every
// coefficient of the allocation logit, every rule of the lead, the leadership and the assessment
// regime is a named, documented parameter here, bound to its member of Parameters: the schema and
// Parameters::read (once per world, so that no string lookup happens while stepping) both come
// from these declarations.
#include "parameters.hpp"

namespace coordsim::models::governance {

void declare_core_parameters(sim::ParamBindings<Parameters>& s) {
  // Departments (MODEL.md §3.1).
  s.block("departments", &Parameters::departments).integer("count", &DepartmentParameters::count, 60, 2, 1000000, "count", "Number of departments in the world")
      .real("staff_mean", &DepartmentParameters::staff_mean, 10.0, 1.0, 100000.0, "persons", "Mean head-count of a department (lognormal)")
      .real("staff_cv", &DepartmentParameters::staff_cv, 0.5, 0.0, 3.0, "1", "Coefficient of variation of head-count")
      .real("hours_per_staff", &DepartmentParameters::hours_per_staff, 8.0, 0.5, 24.0, "hours", "Working hours per person per step")
      .real("home_load", &DepartmentParameters::home_load, 0.95, 0.0, 3.0, "1",
            "Mean home-work arrivals per step as a share of a department's staff hours")
      .real("home_noise", &DepartmentParameters::home_noise, 0.2, 0.0, 3.0, "1",
            "Relative standard deviation of a step's home-work arrivals")
      .real("initial_backlog", &DepartmentParameters::initial_backlog, 0.5, 0.0, 1000.0, "steps",
            "Home backlog at step 0, in steps of the department's own capacity")
      .real("rank_mean", &DepartmentParameters::rank_mean, 0.5, 0.0, 1.0, "1", "Mean political rank of a department")
      .real("rank_spread", &DepartmentParameters::rank_spread, 0.2, 0.0, 0.5, "1", "Half-width of the uniform rank distribution")
      .real("departmentalism_mean", &DepartmentParameters::departmentalism_mean, 0.3, 0.0, 1.0, "1",
            "Mean departmentalism beta (本位主义, S0): discount on every joint-work utility")
      .real("departmentalism_spread", &DepartmentParameters::departmentalism_spread, 0.2, 0.0, 0.5, "1",
            "Half-width of the uniform departmentalism distribution")
      .real("expertise_mean", &DepartmentParameters::expertise_mean, 0.9, 0.05, 1.0, "1",
            "Mean expertise: work delivered per hour on the department's own items")
      .real("expertise_spread", &DepartmentParameters::expertise_spread, 0.1, 0.0, 0.5, "1", "Half-width of the uniform expertise distribution")
      .integer("goals", &DepartmentParameters::goals, 5, 1, 64, "count", "Number K of policy goals (growth, safety, environment, ...)")
      .real("orientation_focus", &DepartmentParameters::orientation_focus, 1.0, 0.0, 10.0, "1",
            "Log-normal spread of goal weights; 0 makes every department and task value all goals alike");
  // Joint tasks and work items (MODEL.md §3.7).
  s.block("tasks", &Parameters::tasks).integer("count", &TaskParameters::count, 6, 1, 1000000, "count", "Number of joint tasks")
      .integer("participants", &TaskParameters::participants, 12, 1, 1000000, "count", "Participant departments per task, besides the lead")
      .integer("items_per_participant", &TaskParameters::items_per_participant, 2, 1, 1000, "count", "Work items each participant owns in a task")
      .real("item_hours_mean", &TaskParameters::item_hours_mean, 24.0, 0.1, 100000.0, "hours", "Mean work content of a substantive item (lognormal)")
      .real("item_hours_cv", &TaskParameters::item_hours_cv, 0.5, 0.0, 3.0, "1", "Coefficient of variation of item work content")
      .real("material_share", &TaskParameters::material_share, 0.5, 0.0, 1.0, "1", "Share of items that are material submissions")
      .real("material_hours_factor", &TaskParameters::material_hours_factor, 0.5, 0.01, 10.0, "1",
            "Work content of a material submission relative to a substantive item")
      .integer("start_max", &TaskParameters::start_max, 0, 0, 1000000, "steps", "Tasks start uniformly in [0, start_max]")
      .integer("deadline_min", &TaskParameters::deadline_min, 10, 0, 1000000, "steps", "Earliest item deadline after the task's start")
      .integer("deadline_max", &TaskParameters::deadline_max, 60, 0, 1000000, "steps", "Latest item deadline after the task's start")
      .choice("dependency", &TaskParameters::dependency, "parallel", {{"sequential", Dependency::Sequential}, {"parallel", Dependency::Parallel}, {"complementary", Dependency::Complementary}},
              "Dependency between a task's items: causal chain, independent, or Leontief join (S1)")
      .real("complementarity_bonus", &TaskParameters::complementarity_bonus, 1.5, 1.0, 100.0, "1",
            "Joint output of a completed complementary task relative to the sum of its parts (1+1>2, S0)")
      .integer("missing_after", &TaskParameters::missing_after, 10, 0, 1000000, "steps",
               "Grace window after a deadline before an open item counts as missing")
      .real("priority_spread", &TaskParameters::priority_spread, 0.5, 0.0, 1.0, "1", "Task priority is uniform in [1 - spread, 1]");
  // The lead department (MODEL.md §3.2).
  s.block("lead", &Parameters::lead).real("rank", &LeadParameters::rank, 0.35, 0.0, 1.0, "1",
         "Rank of the department leading every task (functional bureau 0.3-0.5, organisation dept 0.9)")
      .boolean("leading_group", &LeadParameters::leading_group, false,
               "Every task runs under a leading small group (领导小组): effective lead rank = chair rank, full attention")
      .real("chase_probability", &LeadParameters::chase_probability, 0.9, 0.0, 1.0, "1",
            "Probability that the lead chases a late owner who does not outrank it")
      .real("chase_rank_sensitivity", &LeadParameters::chase_rank_sensitivity, 3.0, 0.0, 100.0, "1",
            "Fall of the chase probability per unit of rank by which the owner outranks the lead (不敢催太急)")
      .integer("chase_ahead", &LeadParameters::chase_ahead, 2, 0, 1000000, "steps", "The lead starts chasing an item this many steps before its deadline")
      .real("chase_decay", &LeadParameters::chase_decay, 0.8, 0.0, 1.0, "1", "Share of chase and instruction pressure kept from one step to the next")
      .real("trust_initial", &LeadParameters::trust_initial, 0.8, 0.0, 1.0, "1", "Baseline trust between the lead and each participant")
      .real("trust_loss", &LeadParameters::trust_loss, 0.5, 0.0, 10.0, "1", "Trust lost per chase per unit of rank by which the owner outranks the lead")
      .real("trust_recovery", &LeadParameters::trust_recovery, 0.02, 0.0, 1.0, "1", "Share of the gap to baseline trust recovered per step")
      .integer("escalate_after", &LeadParameters::escalate_after, 10, 1, 1000000, "steps", "Steps overdue after which the lead escalates an open item to leadership, and again every as many steps")
      .boolean("substitute", &LeadParameters::substitute, true,
               "Under outcome_only the lead may do overdue items of owners itself (牵头部门跑断腿)")
      .real("substitute_expertise", &LeadParameters::substitute_expertise, 0.6, 0.01, 1.0, "1",
            "Productivity of the lead on another department's item relative to its own expertise");
  // Leadership (MODEL.md §3.3).
  s.block("leadership", &Parameters::leadership).real("attention_budget", &LeadershipParameters::attention_budget, 1.5, 0.0, 1000000.0, "1",
         "Leadership attention per step for joint tasks (one fully attended task = 1)")
      .real("chair_rank", &LeadershipParameters::chair_rank, 0.95, 0.0, 1.0, "1", "Rank of the chair of a leading small group")
      .real("escalation_weight", &LeadershipParameters::escalation_weight, 0.5, 0.0, 100.0, "1",
            "Increase of a task's claim on attention per escalation received the previous step");
  // Assessment regimes (MODEL.md §4.3).
  s.block("assessment", &Parameters::assessment).choice("regime", &AssessmentParameters::regime, "outcome_only", {{"outcome_only", Regime::OutcomeOnly}, {"cooperation_degree", Regime::CooperationDegree},
            {"lead_evaluates", Regime::LeadEvaluates}, {"joint", Regime::Joint}},
           "Who is scored on a joint task: only the lead, each owner on timeliness, owners by the lead, or all on the outcome")
      .real("weight_lead", &AssessmentParameters::weight_lead, 1.0, 0.0, 100.0, "1", "Assessment weight of the lead on its task's items (every regime)")
      .real("weight_cooperation", &AssessmentParameters::weight_cooperation, 0.5, 0.0, 100.0, "1", "Owner's weight on its items under cooperation_degree")
      .real("weight_lead_evaluates", &AssessmentParameters::weight_lead_evaluates, 0.8, 0.0, 100.0, "1",
            "Owner's weight under lead_evaluates, multiplied by the effective lead rank")
      .real("weight_joint", &AssessmentParameters::weight_joint, 0.4, 0.0, 100.0, "1", "Owner's weight under joint (shared task outcome)");
  // Allocation of hours (MODEL.md §3.1).
  s.block("allocation", &Parameters::allocation).real("temperature", &AllocationParameters::temperature, 0.05, 1e-6, 1000.0, "1", "Logit temperature T (bounded rationality)")
      .real("w_home", &AllocationParameters::w_home, 1.0, 0.0, 100.0, "1", "Weight of home work in the allocation")
      .real("home_urgency_half", &AllocationParameters::home_urgency_half, 1.0, 1e-6, 1000.0, "steps",
            "Home backlog (steps of own capacity) at which home urgency is one half")
      .real("deadline_scale", &AllocationParameters::deadline_scale, 10.0, 1e-6, 1000000.0, "steps",
            "Slack at which an item's deadline urgency has fallen to 1/e")
      .real("lambda_attention", &AllocationParameters::lambda_attention, 0.5, 0.0, 100.0, "1", "Weight of leadership attention to the item's task")
      .real("lambda_chase", &AllocationParameters::lambda_chase, 0.3, 0.0, 100.0, "1", "Weight of chase pressure from the lead and leadership")
      .real("lambda_accountability", &AllocationParameters::lambda_accountability, 1.0, 0.0, 100.0, "1", "Weight of expected accountability on overdue items")
      .real("lambda_alignment", &AllocationParameters::lambda_alignment, 0.3, 0.0, 100.0, "1", "Weight of goal alignment between department and task (S1)")
      .real("rank_authority", &AllocationParameters::rank_authority, 2.0, 0.0, 100.0, "1",
            "Chase pressure is multiplied by exp(rank_authority x (chaser rank - owner rank))");
  // Accountability (MODEL.md §3.1, §4.3; the discipline commission comes in a later slice).
  s.block("accountability", &Parameters::accountability).real("probability", &AccountabilityParameters::probability, 0.05, 0.0, 1.0, "1", "Perceived probability that an overdue item is held to account")
      .real("penalty", &AccountabilityParameters::penalty, 1.0, 0.0, 100.0, "1", "Penalty of being held to account, in utility units");
  // Coordination costs (MODEL.md §4.2).
  s.block("costs", &Parameters::costs).real("coordination", &CostParameters::coordination, 0.05, 0.0, 100.0, "1", "Coordination cost of working on a joint item, in utility units")
      .real("chase_hours", &CostParameters::chase_hours, 1.0, 0.0, 1000.0, "hours", "Lead hours per chase (催办)")
      .real("meeting_hours", &CostParameters::meeting_hours, 2.0, 0.0, 1000.0, "hours", "Hours each participant and the lead spend per coordination meeting")
      .integer("meeting_every", &CostParameters::meeting_every, 20, 0, 1000000, "steps", "Steps between coordination meetings of an open task (0: none)")
      .real("lead_overhead_hours", &CostParameters::lead_overhead_hours, 2.0, 0.0, 1000.0, "hours",
            "Lead hours per open task per step for coordinating (ledgers, collecting, reporting)")
      .real("escalation_hours", &CostParameters::escalation_hours, 2.0, 0.0, 1000.0, "hours", "Lead hours to prepare one escalation");
}

void check_core_parameters(const sim::ParamSet& p, std::vector<std::pair<std::string, std::string>>& problems) {
  const auto departments = p.integer("departments.count");
  if (p.integer("tasks.participants") > departments - 1)
    problems.emplace_back("tasks.participants",
                          "must be at most departments.count - 1 (" + std::to_string(departments - 1) +
                              "): the lead does not participate in its own task");
  if (p.integer("tasks.deadline_max") < p.integer("tasks.deadline_min"))
    problems.emplace_back("tasks.deadline_max", "must not be below tasks.deadline_min");
  const double items = static_cast<double>(p.integer("tasks.count")) *
                       static_cast<double>(p.integer("tasks.participants")) *
                       static_cast<double>(p.integer("tasks.items_per_participant"));
  if (items > 4.0e9)
    problems.emplace_back("tasks.count", "tasks x participants x items_per_participant must stay below 4e9");
}

}  // namespace coordsim::models::governance
