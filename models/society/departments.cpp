// Departments (条, MODEL.md §3.1), joint tasks and their leads (§3.2, §3.7). Each step every
// department splits its staff hours by the logit of choice.hpp over: its home work; each open item
// it owns on a started joint task; the citizens' sign-offs waiting on it (§4.4); the townships'
// coordination requests addressed to it (§4.3); and, for the tasks it leads, chasing owners and
// doing overdue owners' items itself. Utilities follow §3.1: what the department is assessed on
// (the regime), the leadership attention its task receives (§4.5), chasing by the lead weighted by
// trust and rank, the perceived probability of being held to account p̂_acc and its penalty memory
// (§4.6), urgency and departmentalism β. Hours spent are applied to the work: a sign-off reviewed is
// either handled or passed back (推诿) by a binary logit whose odds rise with load and β and fall
// with p̂_acc and one-stop integration; a passed-back review produced nothing and is counted in
// hours_wasted_pass_back. An item is done when its department part and its township share (§4.2) are.
#include <algorithm>
#include <array>
#include <cmath>

#include "choice.hpp"
#include "society.hpp"

namespace coordsim::models::society {
namespace {

using sim::Aggregation;

struct Option {
  enum Kind : std::uint8_t { Home, Signoff, Request, Item, Chase, Others } kind;
  std::uint32_t index;  // item or task
};

// Staff hours a department has this step: its staff less those seconded to task forces.
double available(const State& s, std::size_t d) {
  return std::max(0.0, s.departments.staff[d] - (s.seconded_hours.empty() ? 0.0 : s.seconded_hours[d]));
}

bool started(const State& s, std::uint32_t item, std::int64_t step) {
  return s.tasks.start[s.items.task[item]] <= step;
}

void arrivals(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.departments;
  auto& d = s.departments;
  for (std::size_t i = 0; i < d.size(); ++i) {
    auto r = c.rng.stream(c.step, i, purpose::kHome);
    // Home work arrives at home_load of staff hours on average, varying uniformly by ±50 % from day to day.
    d.home_backlog[i] += p.home_load * d.staff[i] * (0.5 + r.uniform());
    d.chase_pressure[i] *= 0.8;
    d.penalty[i] *= 1.0 - p.penalty_decay;
  }
}

// Utility of one owned item (§3.1 u_item).
double item_utility(const State& s, std::size_t d, std::uint32_t item, std::int64_t step) {
  const auto& p = s.parameters;
  const auto& dep = s.departments;
  const auto task = s.items.task[item];
  const double beta = dep.beta[d];
  const bool overdue = step > s.items.deadline[item];
  const double urg = urgency(s.items.deadline[item], step, p.departments.urgency_horizon);
  double chase = dep.chase_pressure[d] * s.trust[item] * std::min(2.0, s.tasks.lead_rank[task] / dep.rank[d]);
  if (p.tasks.regime == Regime::LeadEvaluates) chase *= p.tasks.lead_power;
  const double acc = p.coupling.accountability ? dep.p_acc[d] : 0.0;
  const double pen = p.coupling.accountability ? dep.penalty[d] : 0.0;
  const double pull = regime_weight(p.tasks, s.tasks.participants[task]) +
                      p.departments.lambda_attention * s.tasks.attention[task] + p.departments.lambda_chase * chase +
                      p.departments.lambda_accountability * acc * (overdue ? 1.0 : 0.0) + 0.2 * dep.alignment[d];
  return (1.0 - beta) * pull * urg - p.departments.item_cost +
         p.departments.lambda_penalty * pen * (overdue ? 1.0 : 0.0);
}

// Utility of serving citizens' sign-offs or townships' requests (§3.1 u_signoff, u_request).
double service_utility(const State& s, std::size_t d, double waiting) {
  const auto& p = s.parameters;
  const auto& dep = s.departments;
  const double acc = p.coupling.accountability ? dep.p_acc[d] : 0.0;
  return (p.departments.w_service + p.departments.lambda_accountability * acc * waiting) *
             (1.0 - dep.beta[d] * (1.0 - dep.alignment[d])) -
         p.departments.item_cost;
}

void step_departments(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters;
  auto& dep = s.departments;
  auto& it = s.items;
  const auto step = static_cast<std::int64_t>(c.step);
  const double signoff_hours = review_hours(p);
  // Sign-offs and requests waiting on each department (ready to be served), and their oldest wait.
  std::vector<double> signoff_waiting(dep.size(), 0.0), request_waiting(dep.size(), 0.0);
  std::fill(dep.signoff_queue_count.begin(), dep.signoff_queue_count.end(), 0);
  std::fill(dep.request_queue_count.begin(), dep.request_queue_count.end(), 0);
  for (const auto& so : s.signoffs) {
    if (so.ready > step) continue;
    ++dep.signoff_queue_count[so.department];
    const auto& demand = s.demands[so.demand];
    signoff_waiting[so.department] = std::max(signoff_waiting[so.department],
                                              static_cast<double>(step - demand.arrived) / p.citizens.patience_mean);
  }
  // With township authority requests are settled in the townships: none waits on a department.
  for (const auto& rq : s.requests) {
    if (p.townships.authority) break;
    ++dep.request_queue_count[rq.department];
    request_waiting[rq.department] =
        std::max(request_waiting[rq.department], static_cast<double>(step - rq.raised) / static_cast<double>(p.townships.escalate_after));
  }

  std::array<double, kMaxOptions> u{}, cap{}, h{};
  std::array<Option, kMaxOptions> what{};
  for (std::size_t d = 0; d < dep.size(); ++d) {
    std::size_t n = 0;
    auto add = [&](Option o, double utility, double capacity) {
      if (n >= kMaxOptions || capacity <= 0.0) return;
      what[n] = o;
      u[n] = utility;
      cap[n] = capacity;
      ++n;
    };
    add({Option::Home, 0}, p.departments.w_home * std::min(1.5, dep.home_backlog[d] / dep.staff[d]), dep.home_backlog[d]);
    if (p.coupling.signoffs_department)
      add({Option::Signoff, 0}, service_utility(s, d, signoff_waiting[d]), dep.signoff_queue_count[d] * signoff_hours);
    add({Option::Request, 0}, service_utility(s, d, request_waiting[d]),
        dep.request_queue_count[d] * p.departments.request_hours);
    for (auto k = s.owned_begin[d]; k < s.owned_begin[d + 1]; ++k) {
      const auto item = s.owned[k];
      if (it.hours_left[item] <= 0.0 || !started(s, item, step)) continue;
      const auto task = it.task[item];
      if (s.tasks.conflict[task] && s.tasks.decided_step[task] == kNever) continue;  // stalled on a conflict
      add({Option::Item, item}, item_utility(s, d, item, step), it.hours_left[item] / dep.expertise[d]);
    }
    for (std::uint32_t t = 0; t < s.tasks.size(); ++t) {
      if (s.tasks.lead[t] != d || s.tasks.start[t] > step || s.tasks.completed_step[t] != kNever) continue;
      // The lead's own choices (§3.2): chase owners with open items, do overdue owners' items itself.
      double open_owners = 0.0, overdue_hours = 0.0;
      for (auto item = s.tasks.items_begin[t]; item < s.tasks.items_begin[t + 1]; ++item) {
        if (it.hours_left[item] <= 0.0) continue;
        open_owners += 1.0;
        if (step > it.deadline[item]) overdue_hours += it.hours_left[item];
      }
      if (s.tasks.conflict[t] && s.tasks.decided_step[t] == kNever) overdue_hours = 0.0;  // nothing can move
      const double urg = urgency(s.tasks.deadline[t], step, p.departments.urgency_horizon);
      const double scored = p.tasks.regime == Regime::OutcomeOnly ? p.tasks.w_lead_task : 0.4 * p.tasks.w_lead_task;
      add({Option::Chase, t}, (scored + p.departments.lambda_attention * s.tasks.attention[t]) * urg,
          open_owners * p.tasks.chase_hours);
      add({Option::Others, t}, scored * urg - p.tasks.other_item_penalty * (1.0 - dep.beta[d]),
          overdue_hours * (1.0 + p.tasks.other_item_penalty));
    }
    const double idle = allocate(std::span(u.data(), n), std::span(cap.data(), n), available(s, d),
                                 p.choice.department_temperature, p.choice.idle_utility, std::span(h.data(), n));
    dep.h_home[d] = dep.h_items[d] = dep.h_signoff[d] = dep.h_requests[d] = dep.h_chasing[d] = dep.h_others[d] = 0.0;
    dep.h_idle[d] = idle;
    for (std::size_t j = 0; j < n; ++j) {
      const double hours = h[j];
      switch (what[j].kind) {
        case Option::Home:
          dep.h_home[d] += hours;
          dep.home_backlog[d] = std::max(0.0, dep.home_backlog[d] - hours);
          break;
        case Option::Signoff: dep.h_signoff[d] += hours; break;
        case Option::Request: dep.h_requests[d] += hours; break;
        case Option::Item:
          dep.h_items[d] += hours;
          it.hours_left[what[j].index] = std::max(0.0, it.hours_left[what[j].index] - hours * dep.expertise[d]);
          break;
        case Option::Chase: {
          dep.h_chasing[d] += hours;
          const auto t = what[j].index;
          double owners = 0.0;
          for (auto item = s.tasks.items_begin[t]; item < s.tasks.items_begin[t + 1]; ++item)
            if (it.hours_left[item] > 0.0) owners += 1.0;
          for (auto item = s.tasks.items_begin[t]; item < s.tasks.items_begin[t + 1]; ++item) {
            if (it.hours_left[item] <= 0.0) continue;
            const auto owner = it.owner[item];
            dep.chase_pressure[owner] += hours / owners;
            // Chasing a higher-rank owner costs trust (S0 不敢催太急): its response to later chasing falls.
            const double gap = std::max(0.0, dep.rank[owner] - s.tasks.lead_rank[t]);
            s.trust[item] = std::max(0.0, s.trust[item] - p.tasks.chase_trust_cost * gap * hours / owners);
          }
          break;
        }
        case Option::Others: {
          dep.h_others[d] += hours;
          double work = hours / (1.0 + p.tasks.other_item_penalty);  // at an expertise penalty
          const auto t = what[j].index;
          for (auto item = s.tasks.items_begin[t]; item < s.tasks.items_begin[t + 1] && work > 0.0; ++item) {
            if (it.hours_left[item] <= 0.0 || step <= it.deadline[item]) continue;
            const double done = std::min(work, it.hours_left[item]);
            it.hours_left[item] -= done;
            work -= done;
          }
          break;
        }
      }
    }
  }
  for (std::size_t item = 0; item < it.size(); ++item)
    s.trust[item] = std::min(1.0, s.trust[item] + p.tasks.trust_recovery);
}

// Steps until a demand can be served again by another (or the same) department: a citizen's trip, or
// nothing when the village service agent forwards the file on the platform (§3.8 掌上办理).
std::int64_t travel(State& s, Demand& demand) {
  if (demand.channel == 1) return 0;
  s.flows.trips += 1.0;
  ++demand.trips;
  return static_cast<std::int64_t>(s.parameters.citizens.return_delay);
}

// Serving the sign-off queue: the hours a department gave to sign-offs review its ready sign-offs in
// arrival order; each review ends handled or passed back (a binary logit, §3.1).
void serve_signoffs(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters;
  auto& dep = s.departments;
  const auto step = static_cast<std::int64_t>(c.step);
  const double review = review_hours(p);
  std::vector<double> budget(dep.size());
  for (std::size_t d = 0; d < dep.size(); ++d) budget[d] = dep.h_signoff[d] + dep.signoff_credit[d];
  std::vector<SignOff> kept;
  kept.reserve(s.signoffs.size());
  for (std::size_t k = 0; k < s.signoffs.size(); ++k) {
    SignOff so = s.signoffs[k];
    auto& demand = s.demands[so.demand];
    const auto d = so.department;
    if (!demand.open) continue;  // abandoned meanwhile
    if (so.ready > step || budget[d] + 1e-9 < review || !p.coupling.signoffs_department) {
      if (!p.coupling.signoffs_department && so.ready <= step) {
        // Knock-out: a clerk outside the departments signs at once — this part under one-stop handling
        // (every part has its own sign-off), the whole chain when sequential (only its first exists).
        if (p.citizens.one_stop)
          ++demand.done;
        else
          demand.done = demand.needed;
        continue;
      }
      kept.push_back(so);
      continue;
    }
    budget[d] -= review;
    // Load as felt: backlog and waiting reviews over staff hours, saturating at twice the staff.
    const double load = std::min(2.0, (dep.home_backlog[d] + dep.signoff_queue_count[d] * review) / dep.staff[d]);
    const double acc = p.coupling.accountability ? dep.p_acc[d] : 0.0;
    const double u_pass = p.departments.pass_back_load * load + dep.beta[d] - p.departments.pass_back_accountability * acc -
                          (p.citizens.one_stop ? p.departments.one_stop_discount : 0.0);
    const double u_handle = p.departments.w_service + p.departments.pass_back_base;
    // One stream per (demand, part): the part is the department's place in the demand's list.
    std::uint64_t part = 0;
    while (part + 1 < demand.needed && demand.departments[part] != so.department) ++part;
    auto r = c.rng.stream(c.step, std::uint64_t{so.demand} * 3u + part, purpose::kPassBack);
    if (r.uniform() < binary_choice(u_pass, u_handle, p.choice.department_temperature)) {
      s.flows.passed_back += 1.0;
      s.flows.hours_wasted_pass_back += review;
      so.ready = step + travel(s, demand);
      kept.push_back(so);
      continue;
    }
    ++demand.done;
    // Sequential handling: the file goes on to the next department — carried by the citizen (a trip),
    // or forwarded online by the village service agent for a platform demand.
    if (!p.citizens.one_stop && demand.done < demand.needed)
      kept.push_back({so.demand, demand.departments[demand.done], step + travel(s, demand)});
  }
  s.signoffs.swap(kept);
  // Hours short of a whole review carry over to the next step's reviews.
  for (std::size_t d = 0; d < dep.size(); ++d) dep.signoff_credit[d] = std::min(budget[d], review);
}

// Items done: the department part and the township share (§4.2); tasks complete with their last item.
void complete_items(State& s, const sim::StepContext& c) {
  auto& it = s.items;
  const auto step = static_cast<std::int64_t>(c.step);
  for (std::size_t item = 0; item < it.size(); ++item) {
    if (it.done_step[item] != kNever) continue;
    const bool township_done = !s.parameters.coupling.township_share || it.township_left[item] <= 1e-9;
    if (it.hours_left[item] <= 1e-9 && township_done) it.done_step[item] = step;
  }
  for (std::size_t t = 0; t < s.tasks.size(); ++t) {
    if (s.tasks.completed_step[t] != kNever) continue;
    bool all = true;
    for (auto item = s.tasks.items_begin[t]; item < s.tasks.items_begin[t + 1] && all; ++item)
      all = it.done_step[item] != kNever;
    if (all) s.tasks.completed_step[t] = step;
  }
}

// Items open past their deadline at the end of the step.
double items_overdue(const State& s, std::int64_t step) {
  double n = 0.0;
  for (std::size_t item = 0; item < s.items.size(); ++item)
    n += s.items.done_step[item] == kNever && s.items.deadline[item] < step ? 1.0 : 0.0;
  return n;
}

void tally(State& s, std::size_t step, bool) {
  const auto& dep = s.departments;
  s.totals.steps_overdue_now = items_overdue(s, static_cast<std::int64_t>(step));
  s.totals.overdue_sum += s.totals.steps_overdue_now;
  s.totals.lead_own += total(dep.h_chasing) + total(dep.h_others);
  s.totals.signoff_hours += total(dep.h_signoff);
  s.totals.request_hours += total(dep.h_requests);
}

// Share of items due within the run that were done by their deadline (of the tasks with a leading
// group only, when `grouped`).
double share_on_time(const State& s, std::size_t steps, bool grouped = false) {
  double due = 0.0, kept = 0.0;
  for (std::size_t item = 0; item < s.items.size(); ++item) {
    if (s.items.deadline[item] >= static_cast<std::int64_t>(steps)) continue;
    if (grouped && !s.tasks.leading_group[s.items.task[item]]) continue;
    due += 1.0;
    if (s.items.done_step[item] <= s.items.deadline[item]) kept += 1.0;
  }
  return due > 0.0 ? kept / due : std::numeric_limits<double>::quiet_NaN();
}

std::function<void(const State&, std::size_t, double*)> per_department(const std::vector<double> Departments::*v) {
  return [v](const State& s, std::size_t, double* row) {
    const auto& values = s.departments.*v;
    std::copy(values.begin(), values.end(), row);
  };
}

}  // namespace

SocietyMechanism departments_mechanism() {
  SocietyMechanism m("departments");
  m.parameters()
      .block("departments", &Parameters::departments)
      .integer("count", &DepartmentParameters::count, 60, 2, 100000, "count", "Departments of the county (S0: 50多个部门)")
      .real("staff_hours", &DepartmentParameters::staff_hours, 40.0, 1.0, 1e6, "h", "Mean staff hours per step of a department (drawn ±25 %; assumed)")
      .real("home_load", &DepartmentParameters::home_load, 0.9, 0.0, 10.0, "1", "Home work arriving per step, as a share of staff hours (assumed)")
      .real("rank_min", &DepartmentParameters::rank_min, 0.3, 0.0, 1.0, "1", "Lowest department rank (functional bureau, S4)")
      .real("rank_max", &DepartmentParameters::rank_max, 0.6, 0.0, 1.0, "1", "Highest department rank drawn (development & reform ≈ 0.6)")
      .real("beta_mean", &DepartmentParameters::beta_mean, 0.4, 0.0, 1.0, "1", "Mean departmentalism β (本位主义, S0)")
      .real("beta_spread", &DepartmentParameters::beta_spread, 0.3, 0.0, 1.0, "1", "Width of the uniform spread of β around its mean")
      .real("w_home", &DepartmentParameters::w_home, 1.0, 0.0, 100.0, "1", "Weight of home work at a backlog of one step's staff hours")
      .real("w_service", &DepartmentParameters::w_service, 0.5, 0.0, 100.0, "1", "Weight of serving sign-offs and requests (assessment of service)")
      .real("lambda_attention", &DepartmentParameters::lambda_attention, 0.8, 0.0, 100.0, "1", "Weight of leadership attention on a task (λ_att)")
      .real("lambda_chase", &DepartmentParameters::lambda_chase, 0.6, 0.0, 100.0, "1", "Weight of the lead's chasing (λ_chase)")
      .real("lambda_accountability", &DepartmentParameters::lambda_accountability, 1.5, 0.0, 100.0, "1", "Weight of p̂_acc on overdue items and waiting citizens (λ_acc)")
      .real("lambda_penalty", &DepartmentParameters::lambda_penalty, 0.05, 0.0, 100.0, "1", "Weight of penalty memory on overdue items (λ_pen)")
      .real("item_cost", &DepartmentParameters::item_cost, 0.05, 0.0, 100.0, "1", "Coordination cost term of an item, sign-off or request")
      .real("urgency_horizon", &DepartmentParameters::urgency_horizon, 20.0, 1.0, 1e6, "steps", "Steps before a deadline at which urgency is one half")
      .real("penalty_decay", &DepartmentParameters::penalty_decay, 0.01, 0.0, 1.0, "1/step", "Decay of penalty memory per step")
      .real("pass_back_base", &DepartmentParameters::pass_back_base, 0.6, -100.0, 100.0, "1", "Utility of handling a reviewed sign-off beyond w_service")
      .real("pass_back_load", &DepartmentParameters::pass_back_load, 1.0, 0.0, 100.0, "1", "Utility of passing back per unit of load (backlog / staff hours)")
      .real("pass_back_accountability", &DepartmentParameters::pass_back_accountability, 2.0, 0.0, 100.0, "1", "Utility lost by passing back per unit of p̂_acc")
      .real("one_stop_discount", &DepartmentParameters::one_stop_discount, 2.0, 0.0, 100.0, "1", "Utility lost by passing back under one-stop integration (一件事, S1)")
      .real("signoff_hours", &DepartmentParameters::signoff_hours, 2.0, 0.01, 1000.0, "h", "Hours to review one sign-off")
      .real("one_stop_review_share", &DepartmentParameters::one_stop_review_share, 0.5, 0.0, 1.0, "1", "Share of signoff_hours a review takes under one-stop handling, the file being shared (一次提交)")
      .real("request_hours", &DepartmentParameters::request_hours, 2.0, 0.01, 1000.0, "h", "Hours to answer one township coordination request")
      .real("consultation_hours", &DepartmentParameters::consultation_hours, 0.5, 0.0, 1000.0, "h", "Hours of the joint consultation each sign-off adds under one-stop handling")
      .boolean("information_sharing", &DepartmentParameters::information_sharing, false, "Departments share data through the platform: no duplicate downward requests (S2 多头重复)");
  m.parameters()
      .block("tasks", &Parameters::tasks)
      .integer("count", &TaskParameters::count, 8, 0, 100000, "count", "Joint tasks (专项工作) of the county")
      .integer("participants", &TaskParameters::participants, 12, 1, 100000, "count", "Participant departments per task (S4: 10余个部门)")
      .integer("items_per_participant", &TaskParameters::items_per_participant, 2, 1, 1000, "count", "Work items each participant owns")
      .real("item_hours", &TaskParameters::item_hours, 40.0, 0.1, 1e6, "h", "Mean hours of a substantive item (material submissions half)")
      .real("township_share", &TaskParameters::township_share, 0.3, 0.0, 10.0, "1", "Township hours of a substantive item per department hour (§4.2)")
      .real("material_share", &TaskParameters::material_share, 0.5, 0.0, 1.0, "1", "Share of items that are material submissions (S0)")
      .integer("start_max", &TaskParameters::start_max, 100, 0, 1000000, "steps", "Latest start step of a task (uniform)")
      .integer("deadline_min", &TaskParameters::deadline_min, 20, 1, 1000000, "steps", "Shortest item deadline after the task's start")
      .integer("deadline_max", &TaskParameters::deadline_max, 80, 1, 1000000, "steps", "Longest item deadline after the task's start")
      .real("lead_rank", &TaskParameters::lead_rank, 0.35, 0.0, 1.0, "1", "Rank of the lead department (S4: functional bureau ≈ 0.35, organisation department 0.9)")
      .real("chair_rank", &TaskParameters::chair_rank, 0.9, 0.0, 1.0, "1", "Rank a leading small group lends its tasks (its chair's)")
      .boolean("leading_group", &TaskParameters::leading_group, false, "Tasks have a leading small group (领导小组): chair's rank and a standing claim on attention (S4)")
      .real("leading_group_share", &TaskParameters::leading_group_share, 1.0, 0.0, 1.0, "1", "Share of tasks that get a leading group when leading_group is on (S4: 领导小组 for every task dilutes them)")
      .choice("regime", &TaskParameters::regime, "outcome_only",
              {{"outcome_only", Regime::OutcomeOnly}, {"cooperation_degree", Regime::CooperationDegree},
               {"lead_evaluates", Regime::LeadEvaluates}, {"joint", Regime::Joint}},
              "Assessment regime (§5.3): 唯结果论, 配合度, lead holds evaluation power, 关联性考核")
      .real("w_outcome_owner", &TaskParameters::w_outcome_owner, 0.2, 0.0, 100.0, "1", "Owner's assessment weight on its items when only outcomes are scored")
      .real("w_cooperation", &TaskParameters::w_cooperation, 1.0, 0.0, 100.0, "1", "Owner's weight when scored on timeliness (配合度)")
      .real("lead_power", &TaskParameters::lead_power, 2.0, 0.0, 100.0, "1", "Multiplier of the lead's chasing when the lead evaluates (S1)")
      .real("joint_weight", &TaskParameters::joint_weight, 3.0, 0.0, 1000.0, "1", "Joint assessment: weight of the shared outcome, divided over the participants (S1)")
      .real("chase_hours", &TaskParameters::chase_hours, 1.0, 0.0, 1000.0, "h", "Hours of chasing one owner can absorb per step")
      .real("chase_trust_cost", &TaskParameters::chase_trust_cost, 0.05, 0.0, 10.0, "1", "Trust lost per chasing hour per unit of rank by which the owner outranks the lead")
      .real("trust_recovery", &TaskParameters::trust_recovery, 0.005, 0.0, 1.0, "1/step", "Trust regained per step")
      .real("other_item_penalty", &TaskParameters::other_item_penalty, 0.5, 0.0, 100.0, "1", "Extra hours per hour of an owner's item done by the lead (expertise penalty)")
      .real("w_lead_task", &TaskParameters::w_lead_task, 1.0, 0.0, 100.0, "1", "Weight of the task's outcome in the lead's assessment");
  m.init([](State& s, const sim::Rng& rng) { generate_county(s, rng); });
  m.step(kPhaseArrivals, "home work", arrivals);
  m.step(kPhaseDepartments, "allocate", step_departments);
  m.step(kPhaseDepartments, "sign-offs", serve_signoffs, 1);
  m.step(kPhaseCitizens, "items", complete_items, 10);
  m.tally(tally);
  m.agent_kind("department", [](const Parameters& p) { return static_cast<std::size_t>(p.departments.count); });
  m.series({"department_hours_items", "h", "Department hours on owned joint-task items"}, Aggregation::Sum,
           [](const State& s) { return total(s.departments.h_items); })
      .series({"department_hours_signoff", "h", "Department hours reviewing citizens' sign-offs"}, Aggregation::Sum,
              [](const State& s) { return total(s.departments.h_signoff); })
      .series({"department_hours_home", "h", "Department hours on home work"}, Aggregation::Sum,
              [](const State& s) { return total(s.departments.h_home); })
      .series({"department_hours_idle", "h", "Department hours left unused"}, Aggregation::Sum,
              [](const State& s) { return total(s.departments.h_idle); })
      .series({"lead_hours_chasing", "h", "Leads' hours chasing owners"}, Aggregation::Sum,
              [](const State& s) { return total(s.departments.h_chasing); })
      .series({"lead_hours_others", "h", "Leads' hours doing owners' overdue items"}, Aggregation::Sum,
              [](const State& s) { return total(s.departments.h_others); })
      .series({"items_overdue", "count", "Items open past their deadline"}, Aggregation::Sum,
              [](const State& s) { return s.totals.steps_overdue_now; })
      .series({"items_done", "count", "Items done (department part and township share)"}, Aggregation::Sum,
              [](const State& s) {
                double n = 0;
                for (const auto v : s.items.done_step) n += v != kNever ? 1.0 : 0.0;
                return n;
              });
  m.agents("department", {"hours_items", "h", "Hours on owned items"}, per_department(&Departments::h_items))
      .agents("department", {"hours_signoff", "h", "Hours on sign-offs"}, per_department(&Departments::h_signoff))
      .agents("department", {"p_accountability", "1", "Perceived probability of being held to account"},
              per_department(&Departments::p_acc))
      .agents("department", {"penalty_memory", "1", "Decaying sum of sanctions received"},
              per_department(&Departments::penalty));
  m.summary({"share_on_time", "1", "Share of items due within the run done by their deadline"}, true,
            Aggregation::Mean, [](const State& s, std::size_t steps) { return share_on_time(s, steps); })
      .summary({"share_on_time_grouped", "1", "Share on time of the items of tasks that have a leading group"}, false,
               Aggregation::Mean, [](const State& s, std::size_t steps) { return share_on_time(s, steps, true); })
      .summary({"items_overdue_mean", "count", "Mean number of items open past their deadline per step"}, false,
               Aggregation::Sum,
               [](const State& s, std::size_t steps) { return s.totals.overdue_sum / static_cast<double>(steps); })
      .summary({"lead_hours_own_total", "h", "Leads' own hours on their tasks: chasing and doing owners' items"},
               true, Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.lead_own; })
      .summary({"department_hours_signoff_total", "h", "Department hours reviewing sign-offs"}, true,
               Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.signoff_hours; })
      .summary({"department_hours_requests_total", "h", "Department hours answering townships' coordination requests"},
               false, Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.request_hours; })
      .summary({"hours_wasted_pass_back_total", "h", "Review hours of sign-offs then passed back (no output)"},
               false, Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.wasted_pass_back; });
  m.ledger("department_hours", [](const State& s, sim::Ledger& l) {
    const auto& d = s.departments;
    for (std::size_t i = 0; i < d.size(); ++i) {
      l.used.push_back(d.h_home[i] + d.h_items[i] + d.h_signoff[i] + d.h_requests[i] + d.h_chasing[i] + d.h_others[i]);
      l.available.push_back(available(s, i));
    }
  });
  return m;
}

}  // namespace coordsim::models::society
