// Parameters of the grassroots and citizen layer (MODEL.md §3.5, §3.6, §3.8, §4.4; seeds S1–S4):
// grassroots.* (townships, officials, fatigue, turnover, 赋权), targets.* (调度评比, 层层加码,
// 目标打架, 形式主义), citizens.* (demands, sign-off, 推诿, patience, 越级上访, satisfaction),
// clusters.* (片区协作) and platform.* (益村). Every rule has a default, a unit, a range and a
// description, and every mechanism has its own switch: grassroots.count = 0 (the default) removes
// the layer, targets.levels = 0 no escalation, targets.conflict false, clusters.enabled and
// platform.enabled false, citizens.rate_per_thousand = 0 no demands.
#include <cmath>

#include "parameters.hpp"

namespace coordsim::models::governance {

void declare_grassroots_parameters(sim::ParamSchema& s) {
  s.integer("grassroots.count", 0, 0, 1000000, "count", "Number of townships (乡镇/街道); 0 switches the layer off")
      .real("grassroots.staff_mean", 12.0, 1.0, 10000.0, "persons", "Mean officials per township (lognormal)")
      .real("grassroots.staff_cv", 0.3, 0.0, 3.0, "1", "Coefficient of variation of township staff")
      .real("grassroots.hours_per_staff", 8.0, 0.5, 24.0, "h", "Working hours per official per step")
      .real("grassroots.residents_mean", 15000.0, 1.0, 1.0e8, "persons", "Mean residents per township (lognormal)")
      .real("grassroots.residents_cv", 0.4, 0.0, 3.0, "1", "Coefficient of variation of residents")
      .real("grassroots.villages_mean", 15.0, 1.0, 10000.0, "count", "Mean villages per township (Poisson, at least 1)")
      .integer("grassroots.tasks", 6, 0, 64, "count",
               "Downward tasks per township from county departments (上面千条线,下面一根针, S2/S3)")
      .real("grassroots.task_hours", 8.0, 0.0, 10000.0, "h",
            "Work one downward task needs per step at the base target (hours at expertise 1)")
      .real("grassroots.fatigue_rise", 0.3, 0.0, 10.0, "1",
            "Rise of fatigue per step per unit of overload (load/capacity - 1, capped at 1), times (1 - fatigue)")
      .real("grassroots.fatigue_recovery", 0.05, 0.0, 1.0, "1", "Share of fatigue lost per step when load <= capacity")
      .real("grassroots.fatigue_productivity", 0.5, 0.0, 1.0, "1",
            "kappa: productivity is multiplied by 1 - kappa x fatigue")
      .real("grassroots.turnover_base", 0.0004, 0.0, 1.0, "1",
            "Probability per official per step of leaving at zero fatigue")
      .real("grassroots.turnover_fatigue", 0.004, 0.0, 1.0, "1",
            "Added probability of leaving per step per unit of fatigue")
      .real("grassroots.veteran_expertise", 0.9, 0.05, 1.0, "1",
            "Expertise of officials at the start and learning ceiling")
      .real("grassroots.newcomer_expertise", 0.4, 0.05, 1.0, "1",
            "Expertise of a newly appointed official (业务刚上手,人就走了, S3)")
      .real("grassroots.learning_rate", 0.02, 0.0, 1.0, "1",
            "Share of the gap to veteran expertise a newcomer closes per step")
      .integer("grassroots.vacancy_steps", 10, 0, 100000, "steps", "Steps a post stays empty after an official leaves")
      .boolean(
          "grassroots.authority", false,
          "Delegated authority (赋权, S2): the township settles single-department demands and convenes departments")
      .boolean("grassroots.service_first", false,
               "Counterfactual: citizen service before downward tasks (default: rigid tasks first, service last, "
               "疲态治理 S3)")
      .real("grassroots.specialists", 1.0, 0.0, 1000.0, "persons",
            "Discipline specialists per township (乡镇纪检专干), besides grassroots.staff_mean")
      .real("grassroots.specialist_diversion", 0.6, 0.0, 1.0, "1",
            "Share of a local specialist's hours diverted to general work (纪委书记不务正业, S3)")
      .real("grassroots.specialist_expertise", 0.5, 0.05, 1.0, "1",
            "Case work per hour of a local specialist (业务知识不精)")
      .real("grassroots.favouritism", 0.4, 0.0, 1.0, "1",
            "Probability that a local report is suppressed (人情式监督、关系式检查, S3)");
  s.integer("targets.dispatched", 2, 0, 64, "count",
            "Downward tasks that are dispatched and ranked (调度评比; S2: 13 items all dispatched)")
      .integer("targets.report_every", 5, 1, 100000, "steps",
               "Steps between two dispatches (reports) of a dispatched task")
      .real("targets.forms_per_report", 2.0, 0.0, 1000.0, "count", "Forms per report of a dispatched task")
      .real("targets.hours_per_form", 1.5, 0.0, 1000.0, "h", "Hours to fill one form")
      .real("targets.dispatched_weight", 1.0, 0.0, 100.0, "1", "Assessment weight of a dispatched and ranked task")
      .real("targets.other_weight", 0.3, 0.0, 100.0, "1", "Assessment weight of a task that is not dispatched")
      .integer("targets.assessment_every", 20, 1, 100000, "steps", "Length of an assessment period of downward targets")
      .real("targets.base_target", 0.85, 0.01, 10.0, "1", "Target set at the top (e.g. share of residents insured)")
      .real("targets.escalation", 0.1, 0.0, 10.0, "1", "e: each level multiplies the target by 1 + e (层层加码, S2)")
      .integer("targets.levels", 0, 0, 10, "count",
               "Levels the target passes through on its way down; 0 = no escalation")
      .real("targets.target_cap", 1.0, 0.01, 10.0, "1", "Highest target a level sets (百分百完成)")
      .real("targets.ceiling", 0.95, 0.01, 10.0, "1",
            "Highest attainable level whatever the effort (voluntary schemes: 群众自愿; 95% insurance floor, S2)")
      .real("targets.formalism", 0.8, 0.0, 1.0, "1",
            "Share of the gap to a missed rigid target reported as achieved (形式主义/痕迹管理)")
      .real("targets.tolerance", 0.02, 0.0, 1.0, "1",
            "Shortfall of real attainment below which a rigid target counts as missed")
      .real("targets.inspection_probability", 0.5, 0.0, 1.0, "1",
            "Probability that a missed rigid target is found and penalised")
      .boolean("targets.conflict", false,
               "Tasks 0 and 1 of every township are conflicting rigid targets (S2: energy supply vs safety)")
      .real("targets.conflict_gap", 0.3, 0.0, 1.0, "1",
            "Share by which the supply target exceeds what is possible within safety rules")
      .real("targets.supply_weight", 1.0, 0.0, 100.0, "1",
            "Assessment weight of the supply target (task 0) under conflict")
      .real("targets.safety_weight", 1.0, 0.0, 100.0, "1",
            "Assessment weight of the safety target (task 1) under conflict")
      .real("targets.conflict_noise", 0.1, 0.0, 10.0, "1",
            "Standard deviation of the township's trade-off choice per period");
  s.real("citizens.rate_per_thousand", 0.05, 0.0, 1000.0, "1",
         "Citizen demands arriving per step per 1,000 residents of a township; 0 = none")
      .real("citizens.multi_share", 0.3, 0.0, 1.0, "1", "Share of demands needing several departments")
      .integer("citizens.max_departments", 3, 2, kMaxDemandDepartments, "count",
               "Most departments a demand needs (a multi-department demand needs 2..max, uniform)")
      .choice("citizens.sign_off", "sequential", {"sequential", "one_stop"},
              "Multi-department demands: each sign-off in turn, or jointly in one window (一件事, S1)")
      .real("citizens.walk_in_share", 0.7, 0.0, 1.0, "1",
            "Share of off-platform demands made in person (the rest by hotline)")
      .real("citizens.department_response", 0.3, 0.0, 1.0, "1",
            "Probability per step that a department acts on a sign-off")
      .real("citizens.one_stop_response", 0.4, 0.0, 1.0, "1",
            "Probability per step that a one-stop window acts on a demand")
      .real("citizens.pass_back", 1.0, 0.0, 10.0, "1",
            "Pass-back propensity: P(pass back) = pass_back x (1 - accountability) x departmentalism of the department "
            "(推诿, S4)")
      .real("citizens.accountability", 0.5, 0.0, 1.0, "1", "Accountability for passing back (0 weak, 1 strong)")
      .real("citizens.one_stop_pass_back_factor", 0.2, 0.0, 1.0, "1",
            "Pass-back propensity at a one-stop window relative to sequential")
      .real("citizens.patience_mean", 15.0, 0.1, 100000.0, "steps",
            "Mean patience of a citizen (exponential); past it the citizen gives up (S4)")
      .real("citizens.petition_probability", 0.15, 0.0, 1.0, "1",
            "Probability that an abandoned demand becomes a petition (越级上访, S3)")
      .real("citizens.petition_probability_suppressed", 0.6, 0.0, 1.0, "1",
            "Probability that an abandoned, suppressed report becomes a petition")
      .real("citizens.intake_hours", 0.5, 0.0, 1000.0, "h", "Township hours to take in one demand")
      .real("citizens.local_hours", 3.0, 0.0, 1000.0, "h",
            "Township hours to settle a single-department demand locally (with authority)")
      .real("citizens.satisfaction_scale", 10.0, 0.01, 100000.0, "steps",
            "Satisfaction with a resolved demand is exp(-time / scale) x pass-back factor^passes")
      .real("citizens.satisfaction_pass_back", 0.8, 0.0, 1.0, "1", "Satisfaction factor per pass back")
      .real("citizens.report_share", 0.05, 0.0, 1.0, "1",
            "Share of demands that are reports on officials (举报), handled by specialists")
      .real("citizens.case_hours", 16.0, 0.0, 100000.0, "h", "Work one report case needs (hours at expertise 1)");
  s.boolean("clusters.enabled", false,
            "Township clusters (片区协作, S3): pooled specialists, cross-inspection, no extra staff")
      .integer("clusters.size", 3, 1, 1000, "count", "Townships per cluster (S3: 12 townships into 4 clusters)")
      .real("clusters.cross_inspection", 1.0, 0.0, 1.0, "1", "Share of local favouritism removed by cross-inspection")
      .real("clusters.diversion", 0.1, 0.0, 1.0, "1",
            "Share of a pooled specialist's hours diverted to general work (专岗专责)")
      .real("clusters.specialist_expertise", 0.9, 0.05, 1.0, "1",
            "Case work per hour of a pooled specialist (强弱搭配)");
  s.boolean("platform.enabled", false, "Service platform with village service agents (益村, S3)")
      .real("platform.share", 0.8, 0.0, 1.0, "1",
            "Share of demands made on the platform (S3: about 80% of villagers' needs)")
      .real("platform.handling_factor", 0.3, 0.0, 1.0, "1",
            "Township intake hours of a platform demand relative to an off-platform one")
      .real("platform.response_factor", 1.5, 0.0, 100.0, "1",
            "Department response probability on an electronic sign-off, relative")
      .real("platform.paperwork_cut", 0.4, 0.0, 1.0, "1",
            "Share of reporting hours replaced by the platform's electronic record")
      .real("platform.agent_hours", 1.0, 0.0, 24.0, "h",
            "Hours per step of the village service agent (便民服务员), one per village");
}

void read_grassroots_parameters(const sim::ParamSet& p, Parameters& q) {
  auto& g = q.grassroots;
  g.count = p.integer("grassroots.count");
  g.staff_mean = p.real("grassroots.staff_mean");
  g.staff_cv = p.real("grassroots.staff_cv");
  g.hours_per_staff = p.real("grassroots.hours_per_staff");
  g.residents_mean = p.real("grassroots.residents_mean");
  g.residents_cv = p.real("grassroots.residents_cv");
  g.villages_mean = p.real("grassroots.villages_mean");
  g.tasks = p.integer("grassroots.tasks");
  g.task_hours = p.real("grassroots.task_hours");
  g.fatigue_rise = p.real("grassroots.fatigue_rise");
  g.fatigue_recovery = p.real("grassroots.fatigue_recovery");
  g.fatigue_productivity = p.real("grassroots.fatigue_productivity");
  g.turnover_base = p.real("grassroots.turnover_base");
  g.turnover_fatigue = p.real("grassroots.turnover_fatigue");
  g.veteran_expertise = p.real("grassroots.veteran_expertise");
  g.newcomer_expertise = p.real("grassroots.newcomer_expertise");
  g.learning_rate = p.real("grassroots.learning_rate");
  g.vacancy_steps = p.integer("grassroots.vacancy_steps");
  g.authority = p.boolean("grassroots.authority");
  g.service_first = p.boolean("grassroots.service_first");
  g.specialists = p.real("grassroots.specialists");
  g.specialist_diversion = p.real("grassroots.specialist_diversion");
  g.specialist_expertise = p.real("grassroots.specialist_expertise");
  g.favouritism = p.real("grassroots.favouritism");

  auto& t = q.targets;
  t.dispatched = p.integer("targets.dispatched");
  t.report_every = p.integer("targets.report_every");
  t.forms_per_report = p.real("targets.forms_per_report");
  t.hours_per_form = p.real("targets.hours_per_form");
  t.dispatched_weight = p.real("targets.dispatched_weight");
  t.other_weight = p.real("targets.other_weight");
  t.assessment_every = p.integer("targets.assessment_every");
  t.base_target = p.real("targets.base_target");
  t.escalation = p.real("targets.escalation");
  t.levels = p.integer("targets.levels");
  t.target_cap = p.real("targets.target_cap");
  t.ceiling = p.real("targets.ceiling");
  t.formalism = p.real("targets.formalism");
  t.tolerance = p.real("targets.tolerance");
  t.inspection_probability = p.real("targets.inspection_probability");
  t.conflict = p.boolean("targets.conflict");
  t.conflict_gap = p.real("targets.conflict_gap");
  t.supply_weight = p.real("targets.supply_weight");
  t.safety_weight = p.real("targets.safety_weight");
  t.conflict_noise = p.real("targets.conflict_noise");

  auto& c = q.citizens;
  c.rate_per_thousand = p.real("citizens.rate_per_thousand");
  c.multi_share = p.real("citizens.multi_share");
  c.max_departments = p.integer("citizens.max_departments");
  c.sign_off = p.choice("citizens.sign_off") == "one_stop" ? SignOff::OneStop : SignOff::Sequential;
  c.walk_in_share = p.real("citizens.walk_in_share");
  c.department_response = p.real("citizens.department_response");
  c.one_stop_response = p.real("citizens.one_stop_response");
  c.pass_back = p.real("citizens.pass_back");
  c.accountability = p.real("citizens.accountability");
  c.one_stop_pass_back_factor = p.real("citizens.one_stop_pass_back_factor");
  c.patience_mean = p.real("citizens.patience_mean");
  c.petition_probability = p.real("citizens.petition_probability");
  c.petition_probability_suppressed = p.real("citizens.petition_probability_suppressed");
  c.intake_hours = p.real("citizens.intake_hours");
  c.local_hours = p.real("citizens.local_hours");
  c.satisfaction_scale = p.real("citizens.satisfaction_scale");
  c.satisfaction_pass_back = p.real("citizens.satisfaction_pass_back");
  c.report_share = p.real("citizens.report_share");
  c.case_hours = p.real("citizens.case_hours");

  auto& k = q.clusters;
  k.enabled = p.boolean("clusters.enabled");
  k.size = p.integer("clusters.size");
  k.cross_inspection = p.real("clusters.cross_inspection");
  k.diversion = p.real("clusters.diversion");
  k.specialist_expertise = p.real("clusters.specialist_expertise");

  auto& f = q.platform;
  f.enabled = p.boolean("platform.enabled");
  f.share = p.real("platform.share");
  f.handling_factor = p.real("platform.handling_factor");
  f.response_factor = p.real("platform.response_factor");
  f.paperwork_cut = p.real("platform.paperwork_cut");
  f.agent_hours = p.real("platform.agent_hours");
}

void check_grassroots_parameters(const sim::ParamSet& p, std::vector<std::pair<std::string, std::string>>& problems) {
  if (p.integer("targets.dispatched") > p.integer("grassroots.tasks"))
    problems.emplace_back("targets.dispatched", "must not exceed grassroots.tasks");
  if (p.boolean("targets.conflict") && p.integer("grassroots.tasks") < 2)
    problems.emplace_back("targets.conflict", "needs grassroots.tasks >= 2 (tasks 0 and 1 conflict)");
  const double arrivals = p.real("grassroots.residents_mean") / 1000.0 * p.real("citizens.rate_per_thousand");
  if (static_cast<double>(p.integer("grassroots.count")) * arrivals * p.real("citizens.patience_mean") > 5.0e7)
    problems.emplace_back("citizens.rate_per_thousand",
                          "open demands (townships x arrivals x patience) must stay below 5e7");
}

}  // namespace coordsim::models::governance
