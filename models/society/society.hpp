#pragma once
// The coupled county of MODEL.md version 2 (条块): departments above, townships and citizens below,
// leadership and the discipline commission, on one clock (P1). Every agent that spends hours splits
// them with the same bounded-rational logit (choice.hpp, P2); the layers are linked by flows of work
// items, hours, attention, information and sanctions (§4, P3), each with a switch that breaks it
// (`coupling.*`). This header holds the typed parameters and the world state (structure of arrays);
// each mechanism's steps and reporters live in its own file and are composed in model.cpp.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "coordsim/sim/extensions.hpp"
#include "coordsim/sim/mechanism.hpp"

namespace coordsim::models::society {

inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

enum class Regime : std::uint8_t { OutcomeOnly, CooperationDegree, LeadEvaluates, Joint };
enum class Referral : std::uint8_t { None, OverdueCore, Every };

// ---------------------------------------------------------------------------------------------
// Parameters (one block per mechanism; declared with units, ranges and sources in the mechanism's file)
struct ChoiceParameters {
  double department_temperature = 0.2, township_temperature = 0.3, commission_temperature = 0.3;
  double idle_utility = 0.25;  // utility of leaving an hour unused (rest)
};
struct DepartmentParameters {
  std::int64_t count = 60;
  double staff_hours = 40.0, home_load = 0.9, rank_min = 0.3, rank_max = 0.6;
  double beta_mean = 0.4, beta_spread = 0.3;
  double w_home = 1.0, w_service = 0.5, lambda_attention = 0.8, lambda_chase = 0.6, lambda_accountability = 1.5,
         lambda_penalty = 0.05, item_cost = 0.05, urgency_horizon = 20.0, penalty_decay = 0.01;
  double pass_back_base = 0.6, pass_back_load = 1.0, pass_back_accountability = 2.0, one_stop_discount = 2.0;
  double signoff_hours = 2.0, one_stop_review_share = 0.5, request_hours = 2.0, consultation_hours = 0.5;
  bool information_sharing = false;  // 信息共享平台: no duplicate downward requests
};
struct TaskParameters {
  std::int64_t count = 8, participants = 12, items_per_participant = 2;
  double item_hours = 40.0, township_share = 0.3, material_share = 0.5;
  std::int64_t start_max = 100, deadline_min = 20, deadline_max = 80;
  double lead_rank = 0.35, chair_rank = 0.9, priority = 1.0;
  Regime regime = Regime::OutcomeOnly;
  bool leading_group = false;
  double leading_group_share = 1.0;
  double w_outcome_owner = 0.2, w_cooperation = 1.0, lead_power = 2.0, joint_weight = 3.0;
  double chase_hours = 1.0, chase_trust_cost = 0.05, trust_recovery = 0.005, other_item_penalty = 0.5,
         w_lead_task = 1.0;
};
// Task force (工作专班, §3.7) with seconded staff, and conflicting goals on joint tasks (§3.3, S4).
struct TaskForceParameters {
  bool enabled = false, detached = false, roles = true;
  std::int64_t staff_per_participant = 1, onboarding_steps = 20, role_delay = 0;
  double hours = 4.0, meeting_hours = 1.0, w_role = 0.9, w_unassigned = 0.1, w_home_call = 1.0, w_meeting = 0.5,
         onboarding_start = 0.3;
};
struct DecisionParameters {
  double conflict_share = 0.0, decision_rate = 2.0, decide_rank = 0.8, lead_decision_rate = 0.1, conflict_claim = 1.0;
};
// Rigid targets passed down the levels (§5.4; S2 vaccine and insurance), reported by townships.
struct TargetParameters {
  std::int64_t count = 0, levels = 3, engaged_levels = 0;
  double base = 0.8, margin = 0.05, feasible = 0.85, work_per_resident = 0.2, decay = 0.001, w_target = 1.0,
         w_level = 1.0, attention_claim = 0.5, conflict = 0.0, first_priority = 1.0, fake_gain = 2.0, fake_risk = 20.0, detection = 0.02,
         detection_clusters = 3.0, detection_platform = 1.0, sanction = 1.0, tolerance = 0.02;
};
struct LeadershipParameters {
  double attention_budget = 1.5, leading_group_claim = 1.0, petition_claim = 0.5, escalation_claim = 0.3,
         group_attention = 0.3;
  std::int64_t petition_memory = 20;
};
struct CommissionParameters {
  double staff_hours = 8.0, case_hours = 40.0, core_arrivals = 0.1, core_case_hours = 40.0;
  Referral referral = Referral::OverdueCore;
  double core_task_share = 0.25;
  std::int64_t refer_after = 5;
  double sanction_share = 0.3, talk_penalty = 0.2, sanction_penalty = 1.0, audit_probability = 0.6,
         learning_rate = 0.05, wait_scale = 30.0, w_core = 1.0, w_referral = 1.0, replace_threshold = 1.5,
         petition_cases = 0.3, inspection_cases = 1.0;
  bool learn = true;  // p̂_acc learned from observed clearance (false: fixed at audit_probability)
};
struct TownshipParameters {
  std::int64_t count = 20;
  double officials_mean = 12.0, hours_per_official = 8.0, residents_mean = 15000.0;
  std::int64_t programmes = 20, dispatched = 13, topics = 14;
  double push_rate = 0.03, push_pressure = 1.0, task_hours = 10.0, report_hours = 1.0;
  std::int64_t report_every = 5, duplicate_window = 20, task_deadline = 20, joint_report_every = 10;
  double joint_report_hours = 0.5;
  double home_load = 0.65, w_home = 0.5;
  double w_task = 0.6, w_ranked = 1.2, w_joint = 0.8, w_service = 0.6, w_request = 0.5, w_cases = 0.3;
  double comfort = 0.6, fatigue_rise = 0.05, fatigue_decay = 0.02, fatigue_effect = 0.4, turnover_base = 0.0005,
         turnover_fatigue = 0.004, newcomer_expertise = 0.4, learning = 0.01, rest_fatigue = 1.0;
  double request_share = 0.15, multi_request_share = 0.3, settle_hours = 1.5, convene_hours = 3.0;
  std::int64_t escalate_after = 15;
  bool authority = false;  // 赋权: settle single-department matters, convene departments
  double case_rate = 0.003, case_hours = 30.0, discipline_officer_hours = 8.0, leniency = 0.8,
         case_patience = 60.0;
  bool clusters = false;
  std::int64_t cluster_size = 3;
};
struct CitizenParameters {
  double rate_per_thousand = 0.05, multi_share = 0.3, intake_hours = 2.0, patience_mean = 60.0,
         petition_share = 0.15, return_delay = 3.0;
  std::int64_t max_signoffs = 3;
  bool one_stop = false;
  bool platform = false;  // 益村 platform with village agents
  double registered_final = 0.367, registration_rate = 0.02, platform_report_cut = 0.3;
};
// Villages and their service agents (便民服务员, §3.8, S3): the agent files registered citizens'
// platform demands within the service catalogue, splitting its hours by the logit (villages.cpp).
struct VillageParameters {
  std::int64_t per_township = 15;
  double agent_hours = 2.0, file_hours = 1.0, catalogue_share = 0.9, platform_patience = 5.0;
  double w_forward = 1.0, w_wait = 1.0, w_duties = 0.6, duties_load = 0.8;
};
// Switches that break one coupling channel each (§4, for knock-out tests).
struct CouplingParameters {
  bool downward_pressure = true;    // 4.1 pressure at the top raises what departments push down
  bool township_share = true;       // 4.2 joint items need the townships' share
  bool requests = true;             // 4.3 township matters go up as coordination requests
  bool signoffs_department = true;  // 4.4 sign-offs are department work (false: done by a clerk outside)
  bool shared_attention = true;     // 4.5 one budget (false: every claim gets the whole budget)
  bool accountability = true;       // 4.6 sanctions and p̂_acc enter utilities
  bool fatigue = true;              // 4.7 fatigue and turnover feed capacity
};

// Scale (MODEL.md §2): a province or the nation from this county as a template (scale.cpp).
struct ScaleParameters {
  std::int64_t counties = 1, provinces = 1, seed = 1;
  double departments_spread = 0.0, townships_spread = 0.0, residents_spread = 0.0, lead_rank_spread = 0.0;
  double province_attention = 0.0;
};
struct Parameters {
  ChoiceParameters choice;
  DepartmentParameters departments;
  TaskParameters tasks;
  LeadershipParameters leadership;
  CommissionParameters commission;
  TownshipParameters townships;
  CitizenParameters citizens;
  VillageParameters villages;
  TaskForceParameters taskforce;
  DecisionParameters decisions;
  TargetParameters targets;
  CouplingParameters coupling;
  ScaleParameters scale;
  sim::Extensions extensions;
};

// ---------------------------------------------------------------------------------------------
// State
struct Departments {
  std::vector<double> rank, staff, beta, alignment, expertise, home_backlog, penalty, p_acc, chase_pressure;
  // hours of the step by use
  std::vector<double> h_home, h_items, h_signoff, h_requests, h_chasing, h_others, h_idle;
  std::vector<double> signoff_credit, request_credit;  // hours given but short of a whole review or answer
  std::vector<std::uint32_t> signoff_queue_count, request_queue_count;
  std::vector<std::int64_t> heads_replaced;
  std::size_t size() const noexcept { return rank.size(); }
};

struct Items {  // work items of joint tasks
  std::vector<std::uint32_t> task, owner, township;
  std::vector<double> hours_left, township_left, township_total;
  std::vector<std::int64_t> deadline, done_step, referred_step;
  std::vector<std::uint8_t> material;
  std::size_t size() const noexcept { return task.size(); }
};

struct Tasks {
  std::vector<std::uint32_t> lead, items_begin, participants;
  std::vector<std::int64_t> start, deadline, completed_step;
  std::vector<std::uint8_t> core, leading_group, conflict;
  std::vector<double> attention, lead_rank;
  std::vector<std::int64_t> decided_step;  // conflicting goals decided (kNever: still stalled)
  std::size_t size() const noexcept { return lead.size(); }
};

// A downward task (千条线) in a township's inbox.
// Rigid targets of every township ([township * count + target]).
struct Targets {
  std::vector<double> demanded, real, reported, hours;  // hours: township hours given this step
  std::vector<double> penalty;                          // per township: memory of detected formalism
  double county_engagement = 1.0, attention = 0.0;
  std::size_t count = 0;
};

// Seconded staff of task forces (one record per person).
struct Seconded {
  std::vector<std::uint32_t> task, home;
  std::vector<double> h_work, h_home, h_meeting, h_idle, idle_days;
  std::size_t size() const noexcept { return task.size(); }
};

struct DownwardTask {
  std::uint64_t id;
  std::uint32_t department, township, topic;
  double hours_left;
  std::int64_t issued, deadline;
  bool ranked, duplicate, blocked;  // blocked: waits on a coordination request
};

struct Request {  // 做做工作吧: a township matter needing departments' decision
  std::uint32_t township, department, second;  // second == department when one department
  std::uint64_t task;                            // id of the downward task it blocks
  std::int64_t raised;
  double hours_left;
  bool escalated;
};

struct Demand {  // 群众诉求
  std::uint32_t township;
  std::uint8_t needed, done, trips, channel;  // channel 0 walk-in, 1 platform (filed by the village agent)
  bool registered;                            // the citizen is registered on the platform
  std::uint32_t departments[3];
  std::int64_t arrived, patience_until, closed;  // closed: step it was resolved or abandoned
  bool open;
};

struct SignOff {  // one department's part of a demand, in that department's queue
  std::uint32_t demand, department;
  std::int64_t ready;  // step from which it can be served (after a passing back, the return trip)
};

struct Townships {
  std::vector<double> officials, residents, fatigue, expertise, registered;
  std::vector<double> capacity_used;  // hours worked this step (available less idle)
  std::vector<double> h_tasks, h_ranked, h_reporting, h_joint, h_requests, h_service, h_cases, h_duplicate, h_idle,
      h_targets;
  std::vector<double> home_backlog, service_credit, report_duplicate;
  std::vector<std::uint32_t> cluster;
  std::vector<std::int64_t> turnover;
  std::vector<std::vector<std::int64_t>> topic_asked;  // [township][topic] last step a department asked
  std::vector<std::vector<std::uint32_t>> topic_asker;  // [township][topic] the department that asked
  std::size_t size() const noexcept { return officials.size(); }
};

// Villages of every township (township t holds villages [t × per_township, (t + 1) × per_township)),
// each with one service agent when the platform runs; hours of the step by use.
struct Villages {
  std::vector<std::uint32_t> township;
  std::vector<double> residents, duties_backlog, h_forward, h_duties, h_idle;
  std::size_t size() const noexcept { return township.size(); }
};

struct Filing {  // a platform demand waiting in its village agent's queue
  std::uint32_t demand, village;
  std::int64_t give_up;  // step at which the citizen stops waiting and goes in person
  double credit;         // hours the agent has given it so far
};

struct Case {  // a case in the commission's referral queue or a township's discipline queue
  std::uint32_t target;  // department (commission) or township
  std::int64_t arrived;
  double hours_left;
  bool petitioned = false;
};

// Step totals (reset every step) and run totals.
struct Flows {
  double referrals = 0, closed = 0, wait_closed = 0;
  double petitions = 0, arrived = 0, resolved = 0, abandoned = 0, passed_back = 0, trips = 0, resolution_time = 0;
  double downward = 0, duplicates = 0;
  double township_cases_closed = 0, township_case_wait = 0, attention_used = 0, intake_wait = 0, intakes = 0, programme_tasks = 0, detections = 0;
  double hours_wasted_pass_back = 0, hours_wasted_targets = 0;
  double filed = 0, filing_wait = 0, fallbacks = 0, registered_closed = 0, settled_online = 0;
};

struct Totals {
  double overdue_sum = 0, steps_overdue_now = 0, request_hours = 0, attention_tasks_sum = 0, downward = 0,
         intake_wait = 0, intakes = 0, programme_tasks = 0, detections = 0,
         target_hours = 0, target_gap_sum = 0, target_shortfall_sum = 0, target_demanded_sum = 0,
         target_first_sum = 0, target_second_sum = 0, engagement_sum = 0, wasted_targets = 0, conflicts_stalled_now = 0, conflict_steps = 0;
  double lead_own = 0, signoff_hours = 0, duplicates = 0, reporting = 0, service = 0, petitions = 0;
  double resolved = 0, resolution_time = 0, abandoned = 0, passed_back = 0, arrived = 0, trips = 0;
  double queue_sum = 0, deterrence_sum = 0, steps = 0, township_cases_closed = 0, township_case_wait = 0;
  double wasted_duplicate = 0, wasted_pass_back = 0, turnover = 0, fatigue_sum = 0, referrals = 0, closed = 0;
  double village_forward = 0, village_duties = 0, village_idle = 0, filed = 0, filing_wait = 0, fallbacks = 0,
         registered_closed = 0, settled_online = 0;
};

struct State {
  Parameters parameters;
  Departments departments;
  Items items;
  Tasks tasks;
  Townships townships;
  Seconded seconded;
  Targets targets;
  std::vector<double> seconded_hours;  // per department: hours of its staff seconded this step
  double meeting_share = 1.0;          // task forces' meeting attendance last step
  double attention_conflicts = 0.0;
  std::vector<std::uint32_t> owned_begin, owned;  // items by owner (CSR)
  std::vector<double> trust;                        // per item: owner's trust in the lead
  std::vector<DownwardTask> inbox;                  // open downward tasks of every township
  std::vector<Request> requests;                    // open coordination requests
  std::vector<Demand> demands;
  Villages villages;
  std::vector<Filing> filings;                      // platform demands waiting at village agents
  std::vector<std::uint32_t> open_demands;
  std::uint64_t next_task_id = 0;
  std::vector<std::uint32_t> intake;                // walk-in demands waiting for the township's intake
  std::vector<double> report_due;                   // per township: reporting hours owed (调度评比, joint reports)
  std::vector<SignOff> signoffs;                    // waiting sign-offs of every department
  std::vector<Case> commission_queue;               // referral cases (FIFO)
  std::vector<Case> township_cases;                 // township discipline cases (FIFO per queue)
  double core_backlog = 0.0;                        // commission's own casework, hours
  double commission_core_hours = 0.0, commission_case_hours = 0.0, commission_idle = 0.0;
  double clearance = 1.0, mean_wait = 0.0;          // the commission as observed (EWMA)
  double arrivals_seen = 0.0, closures_seen = 0.0;
  std::vector<std::int64_t> petition_steps;         // steps of recent petitions (attention claims)
  double attention_petitions = 0.0, attention_escalations = 0.0, attention_tasks = 0.0;
  double upper_attention = 0.0;  // provincial leadership attention lent this step (scale.cpp; 0 in one county)
  Flows flows;
  Totals totals;
};

using SocietyMechanism = sim::Mechanism<Parameters, State>;
using SocietyComposition = sim::Composition<Parameters, State>;

// Phases of a step, in order (ODD "Process overview").
inline constexpr const char* kPhaseArrivals = "arrivals";
inline constexpr const char* kPhaseLeadership = "leadership";
inline constexpr const char* kPhaseDepartments = "departments";
inline constexpr const char* kPhaseTownships = "townships";
inline constexpr const char* kPhaseCommission = "commission";
inline constexpr const char* kPhaseCitizens = "citizens";

SocietyMechanism departments_mechanism();  // departments.cpp: departments, joint tasks, leads
SocietyMechanism leadership_mechanism();   // leadership.cpp
SocietyMechanism commission_mechanism();   // commission.cpp
SocietyMechanism townships_mechanism();    // townships.cpp
SocietyMechanism citizens_mechanism();     // citizens.cpp
SocietyMechanism choice_mechanism();       // model.cpp: temperatures and coupling switches
SocietyMechanism taskforce_mechanism();    // taskforce.cpp: task forces and seconded staff
SocietyMechanism decisions_mechanism();    // decisions.cpp: conflicting goals on joint tasks
SocietyMechanism targets_mechanism();      // targets.cpp: rigid targets, levels, formalism
SocietyMechanism villages_mechanism();     // villages.cpp: villages and their service agents
// villages.cpp: places a new demand in a village (by residents); a registered citizen's demand within
// the service catalogue joins the village agent's queue (true), any other goes in person (false).
bool reach_village(State& s, std::uint32_t demand, const sim::StepContext& c);
// villages.cpp: one step of the village agents: waiting demands past the citizen's patience for the
// platform fall back to coming in person; every agent splits its hours by the logit and files demands.
void decide_village_agents(State& s, std::int64_t step);
SocietyMechanism scale_mechanism();        // scale.cpp: the scale.* parameters of a province or the nation
// targets.cpp: the township's target option (utility and hours it can absorb), and the work applied.
void target_option(const State& s, std::size_t township, double& utility, double& capacity);
void apply_target_hours(State& s, std::size_t township, double hours);  // hours of effective work

const std::shared_ptr<const SocietyComposition>& composition();
State generate(const Parameters& parameters, const sim::Rng& rng);  // model.cpp: every mechanism's init
// citizens.cpp: a demand leaves the township's intake: settled there (authority, one department) or
// sent to the departments' sign-off queues (sequentially or all at once under one-stop handling).
void route_demand(State& s, std::uint32_t demand, std::int64_t step, bool township_settles);
void raise_petition(State& s, std::int64_t step);
void generate_county(State& s, const sim::Rng& rng);                 // world.cpp: the agents and tasks

// Helpers shared by mechanisms.
inline double total(const std::vector<double>& v) noexcept {
  double x = 0.0;
  for (const double y : v) x += y;
  return x;
}
// Mean of the values (NaN for none).
inline double mean(const std::vector<double>& v) noexcept {
  return v.empty() ? std::numeric_limits<double>::quiet_NaN() : total(v) / static_cast<double>(v.size());
}
double urgency(std::int64_t deadline, std::int64_t step, double horizon) noexcept;
double regime_weight(const TaskParameters& p, std::size_t participants) noexcept;
// Department hours to review one sign-off (§4.4): a full review when sequential; under one-stop the
// shared file shortens the review and one joint consultation is added.
double review_hours(const Parameters& p) noexcept;

// Random-stream purposes (one constant per use; ODD "Stochasticity").
namespace purpose {
inline constexpr std::uint64_t kDepartment = 1, kTask = 2, kItem = 3, kTownship = 4, kLeadingGroup = 5;
inline constexpr std::uint64_t kHome = 20, kPush = 21, kPassBack = 22, kRequest = 23;
inline constexpr std::uint64_t kCore = 30, kSanction = 31, kReplace = 32;
inline constexpr std::uint64_t kTurnover = 40, kCases = 41;
inline constexpr std::uint64_t kDemand = 50, kPetition = 51, kVillage = 52;
inline constexpr std::uint64_t kConflict = 60, kDecision = 61, kFormalism = 62, kInspection = 63, kEngagement = 64;
inline constexpr std::uint64_t kScaleDepartments = 70, kScaleTownships = 71, kScaleResidents = 72, kScaleLeadRank = 73;
}  // namespace purpose

}  // namespace coordsim::models::society
