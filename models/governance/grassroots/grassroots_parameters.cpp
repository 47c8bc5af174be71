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

void declare_grassroots_parameters(sim::ParamBindings<Parameters>& s) {
  s.block("grassroots", &Parameters::grassroots).integer("count", &GrassrootsParameters::count, 0, 0, 1000000, "count", "Number of townships (乡镇/街道); 0 switches the layer off")
      .real("staff_mean", &GrassrootsParameters::staff_mean, 12.0, 1.0, 10000.0, "persons", "Mean officials per township (lognormal)")
      .real("staff_cv", &GrassrootsParameters::staff_cv, 0.3, 0.0, 3.0, "1", "Coefficient of variation of township staff")
      .real("hours_per_staff", &GrassrootsParameters::hours_per_staff, 8.0, 0.5, 24.0, "h", "Working hours per official per step")
      .real("residents_mean", &GrassrootsParameters::residents_mean, 15000.0, 1.0, 1.0e8, "persons", "Mean residents per township (lognormal)")
      .real("residents_cv", &GrassrootsParameters::residents_cv, 0.4, 0.0, 3.0, "1", "Coefficient of variation of residents")
      .real("villages_mean", &GrassrootsParameters::villages_mean, 15.0, 1.0, 10000.0, "count", "Mean villages per township (Poisson, at least 1)")
      .integer("tasks", &GrassrootsParameters::tasks, 6, 0, 64, "count",
               "Downward tasks per township from county departments (上面千条线,下面一根针, S2/S3)")
      .real("task_hours", &GrassrootsParameters::task_hours, 8.0, 0.0, 10000.0, "h",
            "Work one downward task needs per step at the base target (hours at expertise 1)")
      .real("fatigue_rise", &GrassrootsParameters::fatigue_rise, 0.3, 0.0, 10.0, "1",
            "Rise of fatigue per step per unit of overload (load/capacity - 1, capped at 1), times (1 - fatigue)")
      .real("fatigue_recovery", &GrassrootsParameters::fatigue_recovery, 0.05, 0.0, 1.0, "1", "Share of fatigue lost per step when load <= capacity")
      .real("fatigue_productivity", &GrassrootsParameters::fatigue_productivity, 0.5, 0.0, 1.0, "1",
            "kappa: productivity is multiplied by 1 - kappa x fatigue")
      .real("turnover_base", &GrassrootsParameters::turnover_base, 0.0004, 0.0, 1.0, "1",
            "Probability per official per step of leaving at zero fatigue")
      .real("turnover_fatigue", &GrassrootsParameters::turnover_fatigue, 0.004, 0.0, 1.0, "1",
            "Added probability of leaving per step per unit of fatigue")
      .real("veteran_expertise", &GrassrootsParameters::veteran_expertise, 0.9, 0.05, 1.0, "1",
            "Expertise of officials at the start and learning ceiling")
      .real("newcomer_expertise", &GrassrootsParameters::newcomer_expertise, 0.4, 0.05, 1.0, "1",
            "Expertise of a newly appointed official (业务刚上手,人就走了, S3)")
      .real("learning_rate", &GrassrootsParameters::learning_rate, 0.02, 0.0, 1.0, "1",
            "Share of the gap to veteran expertise a newcomer closes per step")
      .integer("vacancy_steps", &GrassrootsParameters::vacancy_steps, 10, 0, 100000, "steps", "Steps a post stays empty after an official leaves")
      .boolean(
          "authority", &GrassrootsParameters::authority, false,
          "Delegated authority (赋权, S2): the township settles single-department demands and convenes departments")
      .boolean("service_first", &GrassrootsParameters::service_first, false,
               "Counterfactual: citizen service before downward tasks (default: rigid tasks first, service last, "
               "疲态治理 S3)")
      .real("specialists", &GrassrootsParameters::specialists, 1.0, 0.0, 1000.0, "persons",
            "Discipline specialists per township (乡镇纪检专干), besides grassroots.staff_mean")
      .real("specialist_diversion", &GrassrootsParameters::specialist_diversion, 0.6, 0.0, 1.0, "1",
            "Share of a local specialist's hours diverted to general work (纪委书记不务正业, S3)")
      .real("specialist_expertise", &GrassrootsParameters::specialist_expertise, 0.5, 0.05, 1.0, "1",
            "Case work per hour of a local specialist (业务知识不精)")
      .real("favouritism", &GrassrootsParameters::favouritism, 0.4, 0.0, 1.0, "1",
            "Probability that a local report is suppressed (人情式监督、关系式检查, S3)");
  s.block("targets", &Parameters::targets).integer("dispatched", &TargetParameters::dispatched, 2, 0, 64, "count",
            "Downward tasks that are dispatched and ranked (调度评比; S2: 13 items all dispatched)")
      .integer("report_every", &TargetParameters::report_every, 5, 1, 100000, "steps",
               "Steps between two dispatches (reports) of a dispatched task")
      .real("forms_per_report", &TargetParameters::forms_per_report, 2.0, 0.0, 1000.0, "count", "Forms per report of a dispatched task")
      .real("hours_per_form", &TargetParameters::hours_per_form, 1.5, 0.0, 1000.0, "h", "Hours to fill one form")
      .real("dispatched_weight", &TargetParameters::dispatched_weight, 1.0, 0.0, 100.0, "1", "Assessment weight of a dispatched and ranked task")
      .real("other_weight", &TargetParameters::other_weight, 0.3, 0.0, 100.0, "1", "Assessment weight of a task that is not dispatched")
      .integer("assessment_every", &TargetParameters::assessment_every, 20, 1, 100000, "steps", "Length of an assessment period of downward targets")
      .real("base_target", &TargetParameters::base_target, 0.85, 0.01, 10.0, "1", "Target set at the top (e.g. share of residents insured)")
      .real("escalation", &TargetParameters::escalation, 0.1, 0.0, 10.0, "1", "e: each level multiplies the target by 1 + e (层层加码, S2)")
      .integer("levels", &TargetParameters::levels, 0, 0, 10, "count",
               "Levels the target passes through on its way down; 0 = no escalation")
      .real("target_cap", &TargetParameters::target_cap, 1.0, 0.01, 10.0, "1", "Highest target a level sets (百分百完成)")
      .real("ceiling", &TargetParameters::ceiling, 0.95, 0.01, 10.0, "1",
            "Highest attainable level whatever the effort (voluntary schemes: 群众自愿; 95% insurance floor, S2)")
      .real("formalism", &TargetParameters::formalism, 0.8, 0.0, 1.0, "1",
            "Share of the gap to a missed rigid target reported as achieved (形式主义/痕迹管理)")
      .real("tolerance", &TargetParameters::tolerance, 0.02, 0.0, 1.0, "1",
            "Shortfall of real attainment below which a rigid target counts as missed")
      .real("inspection_probability", &TargetParameters::inspection_probability, 0.5, 0.0, 1.0, "1",
            "Probability that a missed rigid target is found and penalised")
      .boolean("conflict", &TargetParameters::conflict, false,
               "Tasks 0 and 1 of every township are conflicting rigid targets (S2: energy supply vs safety)")
      .real("conflict_gap", &TargetParameters::conflict_gap, 0.3, 0.0, 1.0, "1",
            "Share by which the supply target exceeds what is possible within safety rules")
      .real("supply_weight", &TargetParameters::supply_weight, 1.0, 0.0, 100.0, "1",
            "Assessment weight of the supply target (task 0) under conflict")
      .real("safety_weight", &TargetParameters::safety_weight, 1.0, 0.0, 100.0, "1",
            "Assessment weight of the safety target (task 1) under conflict")
      .real("conflict_noise", &TargetParameters::conflict_noise, 0.1, 0.0, 10.0, "1",
            "Standard deviation of the township's trade-off choice per period");
  s.block("citizens", &Parameters::citizens).real("rate_per_thousand", &CitizenParameters::rate_per_thousand, 0.05, 0.0, 1000.0, "1",
         "Citizen demands arriving per step per 1,000 residents of a township; 0 = none")
      .real("multi_share", &CitizenParameters::multi_share, 0.3, 0.0, 1.0, "1", "Share of demands needing several departments")
      .integer("max_departments", &CitizenParameters::max_departments, 3, 2, kMaxDemandDepartments, "count",
               "Most departments a demand needs (a multi-department demand needs 2..max, uniform)")
      .choice("sign_off", &CitizenParameters::sign_off, "sequential", {{"sequential", SignOff::Sequential}, {"one_stop", SignOff::OneStop}},
              "Multi-department demands: each sign-off in turn, or jointly in one window (一件事, S1)")
      .real("walk_in_share", &CitizenParameters::walk_in_share, 0.7, 0.0, 1.0, "1",
            "Share of off-platform demands made in person (the rest by hotline)")
      .real("department_response", &CitizenParameters::department_response, 0.3, 0.0, 1.0, "1",
            "Probability per step that a department acts on a sign-off")
      .real("one_stop_response", &CitizenParameters::one_stop_response, 0.4, 0.0, 1.0, "1",
            "Probability per step that a one-stop window acts on a demand")
      .real("pass_back", &CitizenParameters::pass_back, 1.0, 0.0, 10.0, "1",
            "Pass-back propensity: P(pass back) = pass_back x (1 - accountability) x departmentalism of the department "
            "(推诿, S4)")
      .real("accountability", &CitizenParameters::accountability, 0.5, 0.0, 1.0, "1", "Accountability for passing back (0 weak, 1 strong)")
      .real("one_stop_pass_back_factor", &CitizenParameters::one_stop_pass_back_factor, 0.2, 0.0, 1.0, "1",
            "Pass-back propensity at a one-stop window relative to sequential")
      .real("patience_mean", &CitizenParameters::patience_mean, 15.0, 0.1, 100000.0, "steps",
            "Mean patience of a citizen (exponential); past it the citizen gives up (S4)")
      .real("petition_probability", &CitizenParameters::petition_probability, 0.15, 0.0, 1.0, "1",
            "Probability that an abandoned demand becomes a petition (越级上访, S3)")
      .real("petition_probability_suppressed", &CitizenParameters::petition_probability_suppressed, 0.6, 0.0, 1.0, "1",
            "Probability that an abandoned, suppressed report becomes a petition")
      .real("intake_hours", &CitizenParameters::intake_hours, 0.5, 0.0, 1000.0, "h", "Township hours to take in one demand")
      .real("local_hours", &CitizenParameters::local_hours, 3.0, 0.0, 1000.0, "h",
            "Township hours to settle a single-department demand locally (with authority)")
      .real("satisfaction_scale", &CitizenParameters::satisfaction_scale, 10.0, 0.01, 100000.0, "steps",
            "Satisfaction with a resolved demand is exp(-time / scale) x pass-back factor^passes")
      .real("satisfaction_pass_back", &CitizenParameters::satisfaction_pass_back, 0.8, 0.0, 1.0, "1", "Satisfaction factor per pass back")
      .real("report_share", &CitizenParameters::report_share, 0.05, 0.0, 1.0, "1",
            "Share of demands that are reports on officials (举报), handled by specialists")
      .real("case_hours", &CitizenParameters::case_hours, 16.0, 0.0, 100000.0, "h", "Work one report case needs (hours at expertise 1)");
  s.block("clusters", &Parameters::clusters).boolean("enabled", &ClusterParameters::enabled, false,
            "Township clusters (片区协作, S3): pooled specialists, cross-inspection, no extra staff")
      .integer("size", &ClusterParameters::size, 3, 1, 1000, "count", "Townships per cluster (S3: 12 townships into 4 clusters)")
      .real("cross_inspection", &ClusterParameters::cross_inspection, 1.0, 0.0, 1.0, "1", "Share of local favouritism removed by cross-inspection")
      .real("diversion", &ClusterParameters::diversion, 0.1, 0.0, 1.0, "1",
            "Share of a pooled specialist's hours diverted to general work (专岗专责)")
      .real("specialist_expertise", &ClusterParameters::specialist_expertise, 0.9, 0.05, 1.0, "1",
            "Case work per hour of a pooled specialist (强弱搭配)");
  s.block("platform", &Parameters::platform).boolean("enabled", &PlatformParameters::enabled, false, "Service platform with village service agents (益村, S3)")
      .real("share", &PlatformParameters::share, 0.8, 0.0, 1.0, "1",
            "Share of demands made on the platform (S3: about 80% of villagers' needs)")
      .real("handling_factor", &PlatformParameters::handling_factor, 0.3, 0.0, 1.0, "1",
            "Township intake hours of a platform demand relative to an off-platform one")
      .real("response_factor", &PlatformParameters::response_factor, 1.5, 0.0, 100.0, "1",
            "Department response probability on an electronic sign-off, relative")
      .real("paperwork_cut", &PlatformParameters::paperwork_cut, 0.4, 0.0, 1.0, "1",
            "Share of reporting hours replaced by the platform's electronic record")
      .real("agent_hours", &PlatformParameters::agent_hours, 1.0, 0.0, 24.0, "h",
            "Hours per step of the village service agent (便民服务员), one per village");
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
