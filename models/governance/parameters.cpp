// The parameter schema of the governance model (MODEL.md §3.1–3.3, §3.7, §4.1–4.3): every
// coefficient of the allocation logit, every rule of the lead, the leadership and the assessment
// regime is a named, documented parameter here, and Parameters::read turns a validated
// sim::ParamSet into typed structs once per world so that no string lookup happens while stepping.
#include "parameters.hpp"

#include "scale.hpp"

#include <stdexcept>

namespace coordsim::models::governance {
namespace {

sim::ParamSchema make_schema() {
  sim::ParamSchema s;
  // Departments (MODEL.md §3.1).
  s.integer("departments.count", 60, 2, 1000000, "count", "Number of departments in the world")
      .real("departments.staff_mean", 10.0, 1.0, 100000.0, "persons", "Mean head-count of a department (lognormal)")
      .real("departments.staff_cv", 0.5, 0.0, 3.0, "1", "Coefficient of variation of head-count")
      .real("departments.hours_per_staff", 8.0, 0.5, 24.0, "hours", "Working hours per person per step")
      .real("departments.home_load", 0.95, 0.0, 3.0, "1",
            "Mean home-work arrivals per step as a share of a department's staff hours")
      .real("departments.home_noise", 0.2, 0.0, 3.0, "1",
            "Relative standard deviation of a step's home-work arrivals")
      .real("departments.initial_backlog", 0.5, 0.0, 1000.0, "steps",
            "Home backlog at step 0, in steps of the department's own capacity")
      .real("departments.rank_mean", 0.5, 0.0, 1.0, "1", "Mean political rank of a department")
      .real("departments.rank_spread", 0.2, 0.0, 0.5, "1", "Half-width of the uniform rank distribution")
      .real("departments.departmentalism_mean", 0.3, 0.0, 1.0, "1",
            "Mean departmentalism beta (本位主义, S0): discount on every joint-work utility")
      .real("departments.departmentalism_spread", 0.2, 0.0, 0.5, "1",
            "Half-width of the uniform departmentalism distribution")
      .real("departments.expertise_mean", 0.9, 0.05, 1.0, "1",
            "Mean expertise: work delivered per hour on the department's own items")
      .real("departments.expertise_spread", 0.1, 0.0, 0.5, "1", "Half-width of the uniform expertise distribution")
      .integer("departments.goals", 5, 1, 64, "count", "Number K of policy goals (growth, safety, environment, ...)")
      .real("departments.orientation_focus", 1.0, 0.0, 10.0, "1",
            "Log-normal spread of goal weights; 0 makes every department and task value all goals alike");
  // Joint tasks and work items (MODEL.md §3.7).
  s.integer("tasks.count", 6, 1, 1000000, "count", "Number of joint tasks")
      .integer("tasks.participants", 12, 1, 1000000, "count", "Participant departments per task, besides the lead")
      .integer("tasks.items_per_participant", 2, 1, 1000, "count", "Work items each participant owns in a task")
      .real("tasks.item_hours_mean", 24.0, 0.1, 100000.0, "hours", "Mean work content of a substantive item (lognormal)")
      .real("tasks.item_hours_cv", 0.5, 0.0, 3.0, "1", "Coefficient of variation of item work content")
      .real("tasks.material_share", 0.5, 0.0, 1.0, "1", "Share of items that are material submissions")
      .real("tasks.material_hours_factor", 0.5, 0.01, 10.0, "1",
            "Work content of a material submission relative to a substantive item")
      .integer("tasks.start_max", 0, 0, 1000000, "steps", "Tasks start uniformly in [0, start_max]")
      .integer("tasks.deadline_min", 10, 0, 1000000, "steps", "Earliest item deadline after the task's start")
      .integer("tasks.deadline_max", 60, 0, 1000000, "steps", "Latest item deadline after the task's start")
      .choice("tasks.dependency", "parallel", {"sequential", "parallel", "complementary"},
              "Dependency between a task's items: causal chain, independent, or Leontief join (S1)")
      .real("tasks.complementarity_bonus", 1.5, 1.0, 100.0, "1",
            "Joint output of a completed complementary task relative to the sum of its parts (1+1>2, S0)")
      .integer("tasks.missing_after", 10, 0, 1000000, "steps",
               "Grace window after a deadline before an open item counts as missing")
      .real("tasks.priority_spread", 0.5, 0.0, 1.0, "1", "Task priority is uniform in [1 - spread, 1]");
  // The lead department (MODEL.md §3.2).
  s.real("lead.rank", 0.35, 0.0, 1.0, "1",
         "Rank of the department leading every task (functional bureau 0.3-0.5, organisation dept 0.9)")
      .boolean("lead.leading_group", false,
               "Every task runs under a leading small group (领导小组): effective lead rank = chair rank, full attention")
      .real("lead.chase_probability", 0.9, 0.0, 1.0, "1",
            "Probability that the lead chases a late owner who does not outrank it")
      .real("lead.chase_rank_sensitivity", 3.0, 0.0, 100.0, "1",
            "Fall of the chase probability per unit of rank by which the owner outranks the lead (不敢催太急)")
      .integer("lead.chase_ahead", 2, 0, 1000000, "steps", "The lead starts chasing an item this many steps before its deadline")
      .real("lead.chase_decay", 0.8, 0.0, 1.0, "1", "Share of chase and instruction pressure kept from one step to the next")
      .real("lead.trust_initial", 0.8, 0.0, 1.0, "1", "Baseline trust between the lead and each participant")
      .real("lead.trust_loss", 0.5, 0.0, 10.0, "1", "Trust lost per chase per unit of rank by which the owner outranks the lead")
      .real("lead.trust_recovery", 0.02, 0.0, 1.0, "1", "Share of the gap to baseline trust recovered per step")
      .integer("lead.escalate_after", 10, 1, 1000000, "steps", "Steps overdue after which the lead escalates an open item to leadership, and again every as many steps")
      .boolean("lead.substitute", true,
               "Under outcome_only the lead may do overdue items of owners itself (牵头部门跑断腿)")
      .real("lead.substitute_expertise", 0.6, 0.01, 1.0, "1",
            "Productivity of the lead on another department's item relative to its own expertise");
  // Leadership (MODEL.md §3.3).
  s.real("leadership.attention_budget", 1.5, 0.0, 1000000.0, "1",
         "Leadership attention per step for joint tasks (one fully attended task = 1)")
      .real("leadership.chair_rank", 0.95, 0.0, 1.0, "1", "Rank of the chair of a leading small group")
      .real("leadership.escalation_weight", 0.5, 0.0, 100.0, "1",
            "Increase of a task's claim on attention per escalation received the previous step");
  // Assessment regimes (MODEL.md §4.3).
  s.choice("assessment.regime", "outcome_only", {"outcome_only", "cooperation_degree", "lead_evaluates", "joint"},
           "Who is scored on a joint task: only the lead, each owner on timeliness, owners by the lead, or all on the outcome")
      .real("assessment.weight_lead", 1.0, 0.0, 100.0, "1", "Assessment weight of the lead on its task's items (every regime)")
      .real("assessment.weight_cooperation", 0.5, 0.0, 100.0, "1", "Owner's weight on its items under cooperation_degree")
      .real("assessment.weight_lead_evaluates", 0.8, 0.0, 100.0, "1",
            "Owner's weight under lead_evaluates, multiplied by the effective lead rank")
      .real("assessment.weight_joint", 0.4, 0.0, 100.0, "1", "Owner's weight under joint (shared task outcome)");
  // Allocation of hours (MODEL.md §3.1).
  s.real("allocation.temperature", 0.05, 1e-6, 1000.0, "1", "Logit temperature T (bounded rationality)")
      .real("allocation.w_home", 1.0, 0.0, 100.0, "1", "Weight of home work in the allocation")
      .real("allocation.home_urgency_half", 1.0, 1e-6, 1000.0, "steps",
            "Home backlog (steps of own capacity) at which home urgency is one half")
      .real("allocation.deadline_scale", 10.0, 1e-6, 1000000.0, "steps",
            "Slack at which an item's deadline urgency has fallen to 1/e")
      .real("allocation.lambda_attention", 0.5, 0.0, 100.0, "1", "Weight of leadership attention to the item's task")
      .real("allocation.lambda_chase", 0.3, 0.0, 100.0, "1", "Weight of chase pressure from the lead and leadership")
      .real("allocation.lambda_accountability", 1.0, 0.0, 100.0, "1", "Weight of expected accountability on overdue items")
      .real("allocation.lambda_alignment", 0.3, 0.0, 100.0, "1", "Weight of goal alignment between department and task (S1)")
      .real("allocation.rank_authority", 2.0, 0.0, 100.0, "1",
            "Chase pressure is multiplied by exp(rank_authority x (chaser rank - owner rank))");
  // Accountability (MODEL.md §3.1, §4.3; the discipline commission comes in a later slice).
  s.real("accountability.probability", 0.05, 0.0, 1.0, "1", "Perceived probability that an overdue item is held to account")
      .real("accountability.penalty", 1.0, 0.0, 100.0, "1", "Penalty of being held to account, in utility units");
  // Coordination costs (MODEL.md §4.2).
  s.real("costs.coordination", 0.05, 0.0, 100.0, "1", "Coordination cost of working on a joint item, in utility units")
      .real("costs.chase_hours", 1.0, 0.0, 1000.0, "hours", "Lead hours per chase (催办)")
      .real("costs.meeting_hours", 2.0, 0.0, 1000.0, "hours", "Hours each participant and the lead spend per coordination meeting")
      .integer("costs.meeting_every", 20, 0, 1000000, "steps", "Steps between coordination meetings of an open task (0: none)")
      .real("costs.lead_overhead_hours", 2.0, 0.0, 1000.0, "hours",
            "Lead hours per open task per step for coordinating (ledgers, collecting, reporting)")
      .real("costs.escalation_hours", 2.0, 0.0, 1000.0, "hours", "Lead hours to prepare one escalation");
  // County-level mechanisms: discipline.*, taskforce.*, decisions.*, levels.*, costs.* cost rules.
  declare_mechanism_parameters(s);
  // Grassroots and citizen layer: grassroots.*, targets.*, citizens.*, clusters.*, platform.*.
  declare_grassroots_parameters(s);
  // Province and nation from this county as a template: scale.* (scale.cpp).
  add_scale_parameters(s);
  return s;
}

}  // namespace

const sim::ParamSchema& schema() {
  static const sim::ParamSchema instance = make_schema();
  return instance;
}

Dependency parse_dependency(const std::string& name) {
  if (name == "sequential") return Dependency::Sequential;
  if (name == "parallel") return Dependency::Parallel;
  if (name == "complementary") return Dependency::Complementary;
  throw std::invalid_argument("unknown dependency: " + name);
}

Regime parse_regime(const std::string& name) {
  if (name == "outcome_only") return Regime::OutcomeOnly;
  if (name == "cooperation_degree") return Regime::CooperationDegree;
  if (name == "lead_evaluates") return Regime::LeadEvaluates;
  if (name == "joint") return Regime::Joint;
  throw std::invalid_argument("unknown assessment regime: " + name);
}

Parameters Parameters::read(const sim::ParamSet& p) {
  Parameters q{};
  auto& d = q.departments;
  d.count = p.integer("departments.count");
  d.staff_mean = p.real("departments.staff_mean");
  d.staff_cv = p.real("departments.staff_cv");
  d.hours_per_staff = p.real("departments.hours_per_staff");
  d.home_load = p.real("departments.home_load");
  d.home_noise = p.real("departments.home_noise");
  d.initial_backlog = p.real("departments.initial_backlog");
  d.rank_mean = p.real("departments.rank_mean");
  d.rank_spread = p.real("departments.rank_spread");
  d.departmentalism_mean = p.real("departments.departmentalism_mean");
  d.departmentalism_spread = p.real("departments.departmentalism_spread");
  d.expertise_mean = p.real("departments.expertise_mean");
  d.expertise_spread = p.real("departments.expertise_spread");
  d.goals = p.integer("departments.goals");
  d.orientation_focus = p.real("departments.orientation_focus");

  auto& t = q.tasks;
  t.count = p.integer("tasks.count");
  t.participants = p.integer("tasks.participants");
  t.items_per_participant = p.integer("tasks.items_per_participant");
  t.item_hours_mean = p.real("tasks.item_hours_mean");
  t.item_hours_cv = p.real("tasks.item_hours_cv");
  t.material_share = p.real("tasks.material_share");
  t.material_hours_factor = p.real("tasks.material_hours_factor");
  t.start_max = p.integer("tasks.start_max");
  t.deadline_min = p.integer("tasks.deadline_min");
  t.deadline_max = p.integer("tasks.deadline_max");
  t.dependency = parse_dependency(p.choice("tasks.dependency"));
  t.complementarity_bonus = p.real("tasks.complementarity_bonus");
  t.missing_after = p.integer("tasks.missing_after");
  t.priority_spread = p.real("tasks.priority_spread");

  auto& l = q.lead;
  l.rank = p.real("lead.rank");
  l.leading_group = p.boolean("lead.leading_group");
  l.chase_probability = p.real("lead.chase_probability");
  l.chase_rank_sensitivity = p.real("lead.chase_rank_sensitivity");
  l.chase_ahead = p.integer("lead.chase_ahead");
  l.chase_decay = p.real("lead.chase_decay");
  l.trust_initial = p.real("lead.trust_initial");
  l.trust_loss = p.real("lead.trust_loss");
  l.trust_recovery = p.real("lead.trust_recovery");
  l.escalate_after = p.integer("lead.escalate_after");
  l.substitute = p.boolean("lead.substitute");
  l.substitute_expertise = p.real("lead.substitute_expertise");

  q.leadership.attention_budget = p.real("leadership.attention_budget");
  q.leadership.chair_rank = p.real("leadership.chair_rank");
  q.leadership.escalation_weight = p.real("leadership.escalation_weight");

  q.assessment.regime = parse_regime(p.choice("assessment.regime"));
  q.assessment.weight_lead = p.real("assessment.weight_lead");
  q.assessment.weight_cooperation = p.real("assessment.weight_cooperation");
  q.assessment.weight_lead_evaluates = p.real("assessment.weight_lead_evaluates");
  q.assessment.weight_joint = p.real("assessment.weight_joint");

  auto& a = q.allocation;
  a.temperature = p.real("allocation.temperature");
  a.w_home = p.real("allocation.w_home");
  a.home_urgency_half = p.real("allocation.home_urgency_half");
  a.deadline_scale = p.real("allocation.deadline_scale");
  a.lambda_attention = p.real("allocation.lambda_attention");
  a.lambda_chase = p.real("allocation.lambda_chase");
  a.lambda_accountability = p.real("allocation.lambda_accountability");
  a.lambda_alignment = p.real("allocation.lambda_alignment");
  a.rank_authority = p.real("allocation.rank_authority");

  q.accountability.probability = p.real("accountability.probability");
  q.accountability.penalty = p.real("accountability.penalty");

  auto& c = q.costs;
  c.coordination = p.real("costs.coordination");
  c.chase_hours = p.real("costs.chase_hours");
  c.meeting_hours = p.real("costs.meeting_hours");
  c.meeting_every = p.integer("costs.meeting_every");
  c.lead_overhead_hours = p.real("costs.lead_overhead_hours");
  c.escalation_hours = p.real("costs.escalation_hours");
  read_mechanism_parameters(p, q);
  read_grassroots_parameters(p, q);
  read_scale_parameters(p, q);
  return q;
}

std::vector<std::pair<std::string, std::string>> check(const sim::ParamSet& p) {
  std::vector<std::pair<std::string, std::string>> problems;
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
  check_grassroots_parameters(p, problems);
  check_scale_parameters(p, problems);
  return problems;
}

}  // namespace coordsim::models::governance
