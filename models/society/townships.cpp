// Townships (块, MODEL.md §3.5) and the channels that tie them to the departments: downward tasks
// (千条线, §4.1) pushed by departments' programmes at a rate that rises with the pressure each
// department is under (penalty memory and p̂_acc: pressure applied at the top travels down), with
// duplicates when departments that do not share information ask for the same data (多头重复, S2);
// progress reports on joint tasks asked by every owner separately unless a leading group or the
// information platform consolidates them; the township share of joint items (§4.2); coordination
// requests (做做工作吧, §4.3) that block a task until a department answers, settled by the township
// itself when it has authority (赋权) and escalated to leadership when left unanswered; the
// township's discipline cases, worked by its own officer under 人情 leniency or by the cluster's
// pooled officers (片区协作, §3.8). Each step every township splits its officials' hours by the logit
// of choice.hpp over its open options; fatigue rises when the hours worked exceed a comfortable share
// of the officials' hours and lowers productivity (and makes rest more attractive); turnover rises with fatigue and brings newcomers at low expertise (§4.7).
#include <algorithm>
#include <array>
#include <cmath>

#include "choice.hpp"
#include "society.hpp"

namespace coordsim::models::society {
namespace {

using sim::Aggregation;

double pressure(const State& s, std::uint32_t d) {
  if (!s.parameters.coupling.downward_pressure) return 0.0;
  return s.departments.penalty[d] + s.departments.p_acc[d];
}

void issue_downward(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.townships;
  const auto& dp = s.parameters.departments;
  const auto step = static_cast<std::int64_t>(c.step);
  auto& w = s.townships;
  const auto nd = static_cast<std::uint32_t>(s.departments.size());
  for (std::size_t t = 0; t < w.size(); ++t) {
    w.home_backlog[t] += p.home_load * w.officials[t] * p.hours_per_official;
    auto r = c.rng.stream(c.step, t, purpose::kPush);
    for (std::int64_t k = 0; k < p.programmes; ++k) {
      // Programmes spread evenly over the departments.
      const auto d = static_cast<std::uint32_t>(static_cast<std::uint64_t>(k) * nd / static_cast<std::uint64_t>(p.programmes));
      const double rate = p.push_rate * (1.0 + p.push_pressure * pressure(s, d));
      if (r.uniform() >= rate) continue;
      const double needs = r.uniform();
      const double second = r.uniform();
      const double which = r.uniform();
      const auto topic = static_cast<std::uint32_t>(k % p.topics);
      auto& asked = w.topic_asked[t][topic];
      auto& asker = w.topic_asker[t][topic];
      // The same data asked by another department within the window: a duplicate (多头重复).
      const bool duplicate = asked != kNever && step - asked < p.duplicate_window && asker != d;
      if (duplicate && dp.information_sharing) continue;  // read from the shared platform instead
      asked = step;
      asker = d;
      const bool ranked = k < p.dispatched;
      DownwardTask task{s.next_task_id++, d, static_cast<std::uint32_t>(t), topic, p.task_hours, step,
                        step + p.task_deadline, ranked, duplicate, false};
      s.flows.downward += 1.0;
      s.flows.programme_tasks += 1.0;
      if (duplicate) s.flows.duplicates += 1.0;
      if (s.parameters.coupling.requests && needs < p.request_share) {
        // The task needs a department's decision (or two departments' agreement) before it can go on.
        task.blocked = true;
        const bool multi = second < p.multi_request_share;
        const auto other = multi && nd > 1 ? (d + 1 + static_cast<std::uint32_t>(which * (nd - 1))) % nd : d;
        const double hours = p.authority ? (multi ? p.convene_hours : p.settle_hours) : 0.0;
        s.requests.push_back({static_cast<std::uint32_t>(t), d, other, task.id, step, hours, false});
      }
      s.inbox.push_back(task);
    }
  }
  // Progress reports on joint tasks (县里调度镇里, S2): every joint_report_every steps each participant
  // with open items asks every township for its own report on the task; a leading group's office or
  // shared information asks once for all of them.
  if (p.joint_report_every > 0 && step % p.joint_report_every == 0 && s.parameters.coupling.township_share) {
    const auto& it = s.items;
    for (std::size_t task = 0; task < s.tasks.size(); ++task) {
      if (s.tasks.start[task] > step || s.tasks.completed_step[task] != kNever) continue;
      std::vector<std::uint32_t> askers;
      for (auto item = s.tasks.items_begin[task]; item < s.tasks.items_begin[task + 1]; ++item)
        if (it.done_step[item] == kNever && std::find(askers.begin(), askers.end(), it.owner[item]) == askers.end())
          askers.push_back(it.owner[item]);
      if (askers.empty()) continue;
      const bool consolidated = s.tasks.leading_group[task] || dp.information_sharing;
      const double reports = consolidated ? 1.0 : static_cast<double>(askers.size());
      for (std::size_t t = 0; t < w.size(); ++t) {
        s.report_due[t] += reports * p.joint_report_hours;
        w.report_duplicate[t] += (reports - 1.0) * p.joint_report_hours;
        s.flows.duplicates += reports - 1.0;
        s.flows.downward += reports;
      }
    }
  }
  // Dispatched and ranked tasks (调度评比) ask for a report every report_every steps while open; the
  // platform's electronic record replaces part of it.
  for (const auto& task : s.inbox) {
    if (!task.ranked || p.report_every <= 0 || (step - task.issued) % p.report_every != 0 || step == task.issued) continue;
    const double cut = s.parameters.citizens.platform ? s.parameters.citizens.platform_report_cut *
                                                            w.registered[task.township] /
                                                            std::max(1e-9, s.parameters.citizens.registered_final)
                                                      : 0.0;
    s.report_due[task.township] += p.report_hours * (1.0 - std::min(1.0, cut));
  }
  // Township discipline cases (complaints about village officials).
  for (std::size_t t = 0; t < w.size(); ++t) {
    auto r = c.rng.stream(c.step, t, purpose::kCases);
    const auto n = r.poisson(p.case_rate * w.residents[t] / 1000.0);
    for (std::int64_t k = 0; k < n; ++k) s.township_cases.push_back({static_cast<std::uint32_t>(t), step, p.case_hours, false});
  }
}

// Departments answer the requests addressed to them with the hours they chose to give (FIFO), then
// leadership decides escalated ones with a probability rising with the attention they receive.
void answer_requests(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters;
  const auto step = static_cast<std::int64_t>(c.step);
  std::vector<double> budget(s.departments.size());
  for (std::size_t d = 0; d < budget.size(); ++d) budget[d] = s.departments.h_requests[d] + s.departments.request_credit[d];
  double escalated = 0.0;
  for (const auto& rq : s.requests) escalated += rq.escalated ? 1.0 : 0.0;
  const double decide = escalated > 0.0 ? 1.0 - std::exp(-5.0 * s.attention_escalations / escalated) : 0.0;
  std::vector<Request> kept;
  auto unblock = [&](std::uint64_t id) {
    for (auto& task : s.inbox)
      if (task.id == id) task.blocked = false;
  };
  for (std::size_t k = 0; k < s.requests.size(); ++k) {
    Request rq = s.requests[k];
    if (p.townships.authority) {  // settled in the township (its own option), see allocate_townships
      kept.push_back(rq);
      continue;
    }
    if (budget[rq.department] + 1e-9 >= p.departments.request_hours) {
      budget[rq.department] -= p.departments.request_hours;
      if (rq.second != rq.department) {
        rq.department = rq.second;  // the second department must agree too
        kept.push_back(rq);
        continue;
      }
      unblock(rq.task);
      continue;
    }
    if (rq.escalated) {
      auto r = c.rng.stream(c.step, rq.task, purpose::kRequest);
      if (r.uniform() < decide) {
          unblock(rq.task);
        continue;
      }
    } else if (step - rq.raised >= p.townships.escalate_after) {
      rq.escalated = true;
    }
    kept.push_back(rq);
  }
  s.requests.swap(kept);
  for (std::size_t d = 0; d < budget.size(); ++d)
    s.departments.request_credit[d] = std::min(budget[d], p.departments.request_hours);
}

enum Use : std::uint8_t { kHomeUse, kTasks, kRanked, kReporting, kJoint, kSettle, kService, kCasesUse, kTargetsUse, kUses };

void allocate_townships(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.townships;
  const auto& cp = s.parameters.citizens;
  const auto step = static_cast<std::int64_t>(c.step);
  auto& w = s.townships;
  auto& it = s.items;
  const std::size_t n = w.size();
  // Open work of each township by use.
  std::vector<std::array<double, kUses>> cap(n, std::array<double, kUses>{});
  std::vector<std::array<double, kUses>> urg(n, std::array<double, kUses>{});
  for (std::size_t t = 0; t < n; ++t) {
    cap[t][kHomeUse] = w.home_backlog[t];
    cap[t][kReporting] = s.report_due[t];
  }
  for (const auto& task : s.inbox) {
    if (task.blocked) continue;
    const auto use = task.ranked ? kRanked : kTasks;
    cap[task.township][use] += task.hours_left;
    urg[task.township][use] = std::max(urg[task.township][use], urgency(task.deadline, step, 10.0));
  }
  for (std::size_t item = 0; item < it.size(); ++item) {
    if (it.township_left[item] <= 1e-9 || s.tasks.start[it.task[item]] > step) continue;
    cap[it.township[item]][kJoint] += it.township_left[item];
    urg[it.township[item]][kJoint] = std::max(urg[it.township[item]][kJoint],
                                              urgency(it.deadline[item], step, s.parameters.departments.urgency_horizon));
  }
  if (p.authority)
    for (const auto& rq : s.requests) cap[rq.township][kSettle] += rq.hours_left;
  std::vector<double> oldest(n, 0.0);
  for (const auto demand : s.intake) {
    const auto& d = s.demands[demand];
    const bool settle = p.authority && d.needed == 1;
    cap[d.township][kService] += cp.intake_hours + (settle ? p.settle_hours : 0.0);
    oldest[d.township] = std::max(oldest[d.township], static_cast<double>(step - d.arrived) / cp.patience_mean);
  }
  if (!p.clusters)
    for (const auto& k : s.township_cases) cap[k.target][kCasesUse] += k.hours_left / (1.0 - p.leniency);
  std::vector<double> target_utility(n, 0.0);
  for (std::size_t t = 0; t < n; ++t) target_option(s, t, target_utility[t], cap[t][kTargetsUse]);

  const double officer = p.clusters ? p.discipline_officer_hours : 0.0;  // seconded to the cluster
  for (std::size_t t = 0; t < n; ++t) {
    const double productivity = std::max(0.05, (1.0 - p.fatigue_effect * w.fatigue[t]) * w.expertise[t]);
    const double available = std::max(0.0, w.officials[t] * p.hours_per_official - officer);
    const std::array<double, kUses> u{
        p.w_home * std::min(1.5, w.home_backlog[t] / std::max(1.0, available)),
        p.w_task * urg[t][kTasks],
        p.w_ranked * urg[t][kRanked],
        p.w_ranked,
        p.w_joint * urg[t][kJoint],
        p.w_request,
        p.w_service * (1.0 + oldest[t]),
        p.w_cases,
        target_utility[t],
    };
    std::array<double, kUses> need{}, h{};
    for (std::size_t j = 0; j < kUses; ++j) need[j] = cap[t][j] / std::max(1e-9, productivity);
    const double rest = s.parameters.choice.idle_utility + (s.parameters.coupling.fatigue ? p.rest_fatigue * w.fatigue[t] : 0.0);
    w.h_idle[t] = allocate(u, need, available, s.parameters.choice.township_temperature, rest, h);
    for (std::size_t j = 0; j < kUses; ++j) h[j] *= productivity;  // effective hours of work
    w.home_backlog[t] = std::max(0.0, w.home_backlog[t] - h[kHomeUse]);
    w.h_tasks[t] = h[kTasks] / productivity;
    w.h_ranked[t] = h[kRanked] / productivity;
    w.h_reporting[t] = h[kReporting] / productivity;
    w.h_joint[t] = h[kJoint] / productivity;
    w.h_requests[t] = h[kSettle] / productivity;
    w.h_service[t] = h[kService] / productivity;
    w.h_cases[t] = h[kCasesUse] / productivity;
    w.h_targets[t] = h[kTargetsUse] / productivity;
    apply_target_hours(s, t, h[kTargetsUse]);
    w.capacity_used[t] = available - w.h_idle[t];
    // Reporting: duplicates are done in proportion to their share of what is owed.
    const double owed = s.report_due[t];
    const double done = std::min(owed, h[kReporting]);
    const double dup_done = owed > 0.0 ? done * w.report_duplicate[t] / owed : 0.0;
    w.h_duplicate[t] = dup_done / productivity;
    w.report_duplicate[t] -= dup_done;
    s.report_due[t] -= done;
    cap[t] = h;  // from here on: effective hours to apply by use
  }
  // Tasks: the hours given to a use are spread over its open tasks in proportion to their work left.
  std::vector<std::array<double, 2>> left(n, std::array<double, 2>{});
  for (const auto& task : s.inbox)
    if (!task.blocked) left[task.township][task.ranked ? 1 : 0] += task.hours_left;
  for (auto& task : s.inbox) {
    if (task.blocked) continue;
    const auto use = task.ranked ? kRanked : kTasks;
    const double pool = left[task.township][task.ranked ? 1 : 0];
    const double work = pool > 0.0 ? cap[task.township][use] * task.hours_left / pool : 0.0;
    const double spent = std::min(task.hours_left, work);
    if (task.duplicate) w.h_duplicate[task.township] += spent;
    task.hours_left -= spent;
  }
  std::erase_if(s.inbox, [](const DownwardTask& task) { return task.hours_left <= 1e-9; });
  // Joint-task shares, in proportion to their work left.
  std::vector<double> joint_left(n, 0.0);
  for (std::size_t item = 0; item < it.size(); ++item)
    if (it.township_left[item] > 1e-9 && s.tasks.start[it.task[item]] <= step) joint_left[it.township[item]] += it.township_left[item];
  for (std::size_t item = 0; item < it.size(); ++item) {
    if (it.township_left[item] <= 1e-9 || s.tasks.start[it.task[item]] > step) continue;
    const auto t = it.township[item];
    it.township_left[item] = std::max(0.0, it.township_left[item] - cap[t][kJoint] * it.township_left[item] / joint_left[t]);
  }
  // Requests settled by townships with authority (arrival order).
  if (p.authority) {
    std::vector<double> budget(n);
    for (std::size_t t = 0; t < n; ++t) budget[t] = cap[t][kSettle];
    std::vector<Request> kept;
    for (auto rq : s.requests) {
      const double spent = std::min(rq.hours_left, budget[rq.township]);
      rq.hours_left -= spent;
      budget[rq.township] -= spent;
      if (rq.hours_left > 1e-9) {
        kept.push_back(rq);
        continue;
      }
      for (auto& task : s.inbox)
        if (task.id == rq.task) task.blocked = false;
    }
    s.requests.swap(kept);
  }
  // Citizen intake (arrival order); a partly served demand keeps the hours already given.
  {
    std::vector<std::uint32_t> waiting;
    for (const auto demand : s.intake) {
      auto& d = s.demands[demand];
      if (!d.open) continue;
      const bool settle = p.authority && d.needed == 1;
      const double cost = cp.intake_hours + (settle ? p.settle_hours : 0.0);
      const auto t = d.township;
      if (w.service_credit[t] + cap[t][kService] + 1e-9 >= cost) {
        const double from_credit = std::min(w.service_credit[t], cost);
        w.service_credit[t] -= from_credit;
        cap[t][kService] -= cost - from_credit;
        s.flows.intake_wait += static_cast<double>(step - d.arrived);
        s.flows.intakes += 1.0;
        route_demand(s, demand, step, settle);
      } else {
        waiting.push_back(demand);
      }
    }
    for (std::size_t t = 0; t < n; ++t) w.service_credit[t] += std::max(0.0, cap[t][kService]);
    s.intake.swap(waiting);
  }
  // Discipline cases: own officer under leniency, or the cluster's pooled officers at full strength.
  std::vector<double> case_hours(n, 0.0);
  for (std::size_t t = 0; t < n; ++t) {
    if (p.clusters)
      case_hours[w.cluster[t]] += p.discipline_officer_hours * w.expertise[t];
    else
      case_hours[t] = cap[t][kCasesUse] * (1.0 - p.leniency);
  }
  std::vector<Case> open_cases;
  for (auto k : s.township_cases) {
    const auto queue = p.clusters ? w.cluster[k.target] : k.target;
    const double spent = std::min(k.hours_left, case_hours[queue]);
    k.hours_left -= spent;
    case_hours[queue] -= spent;
    if (k.hours_left <= 1e-9) {
      s.flows.township_cases_closed += 1.0;
      s.flows.township_case_wait += static_cast<double>(step - k.arrived);
      continue;
    }
    if (!k.petitioned && static_cast<double>(step - k.arrived) > p.case_patience) {
      k.petitioned = true;  // 一年两年都没个着落: the villagers go over the township's head
      raise_petition(s, step);
      s.core_backlog += s.parameters.commission.inspection_cases * s.parameters.commission.core_case_hours;
    }
    open_cases.push_back(k);
  }
  s.township_cases.swap(open_cases);
}

void fatigue_and_turnover(State& s, const sim::StepContext& c) {
  const auto& p = s.parameters.townships;
  auto& w = s.townships;
  for (std::size_t t = 0; t < w.size(); ++t) {
    if (s.parameters.citizens.platform)
      w.registered[t] += s.parameters.citizens.registration_rate * (s.parameters.citizens.registered_final - w.registered[t]);
    if (!s.parameters.coupling.fatigue) continue;
    const double capacity = p.comfort * w.officials[t] * p.hours_per_official;
    // Hours actually worked this step; fatigue rises when they exceed the comfortable share.
    const double load = w.capacity_used[t] / std::max(1.0, capacity);
    w.fatigue[t] = std::clamp(w.fatigue[t] + p.fatigue_rise * std::max(0.0, load - 1.0) - p.fatigue_decay * w.fatigue[t], 0.0, 1.0);
    auto r = c.rng.stream(c.step, t, purpose::kTurnover);
    const auto leaving = r.poisson(w.officials[t] * (p.turnover_base + p.turnover_fatigue * w.fatigue[t]));
    for (std::int64_t k = 0; k < leaving; ++k) {
      w.expertise[t] -= (w.expertise[t] - p.newcomer_expertise) / w.officials[t];  // 业务刚上手,人就走了
      ++w.turnover[t];
      s.totals.turnover += 1.0;
    }
    w.expertise[t] += p.learning * (1.0 - w.expertise[t]);
  }
}

void tally(State& s, std::size_t, bool) {
  s.totals.duplicates += s.flows.duplicates;
  s.totals.downward += s.flows.downward;
  s.totals.programme_tasks += s.flows.programme_tasks;
  s.totals.intake_wait += s.flows.intake_wait;
  s.totals.intakes += s.flows.intakes;
  s.totals.reporting += total(s.townships.h_reporting) + total(s.townships.h_ranked);
  s.totals.service += total(s.townships.h_service);
  s.totals.wasted_duplicate += total(s.townships.h_duplicate);
  s.totals.fatigue_sum += total(s.townships.fatigue) / static_cast<double>(std::max<std::size_t>(1, s.townships.size()));
  s.totals.township_cases_closed += s.flows.township_cases_closed;
  s.totals.township_case_wait += s.flows.township_case_wait;
}

std::function<void(const State&, std::size_t, double*)> per_township(const std::vector<double> Townships::*v) {
  return [v](const State& s, std::size_t, double* row) {
    const auto& values = s.townships.*v;
    std::copy(values.begin(), values.end(), row);
  };
}

}  // namespace

SocietyMechanism townships_mechanism() {
  SocietyMechanism m("townships");
  auto b = m.parameters().block("townships", &Parameters::townships);
  b.integer("count", &TownshipParameters::count, 20, 1, 1000000, "count", "Townships of the county (S3: 12)")
      .real("officials_mean", &TownshipParameters::officials_mean, 12.0, 1.0, 1e5, "persons", "Mean officials per township (drawn ±30 %)")
      .real("hours_per_official", &TownshipParameters::hours_per_official, 8.0, 0.1, 24.0, "h", "Working hours of an official per step")
      .real("residents_mean", &TownshipParameters::residents_mean, 15000.0, 1.0, 1e8, "persons", "Mean residents per township (drawn ±40 %)")
      .real("home_load", &TownshipParameters::home_load, 0.65, 0.0, 10.0, "1", "Own routine work arriving per step, as a share of officials' hours")
      .real("w_home", &TownshipParameters::w_home, 0.5, 0.0, 100.0, "1", "Weight of own routine work")
      .integer("programmes", &TownshipParameters::programmes, 20, 0, 100000, "count", "County programmes that push tasks down to townships (one department each)")
      .integer("dispatched", &TownshipParameters::dispatched, 13, 0, 100000, "count", "Programmes whose tasks are dispatched and ranked (S2: 13项,全都要调度评比)")
      .integer("topics", &TownshipParameters::topics, 14, 1, 100000, "count", "Distinct data topics the programmes ask townships about")
      .real("push_rate", &TownshipParameters::push_rate, 0.03, 0.0, 1.0, "1/step", "Probability per step that a programme sends a task to a township, without pressure")
      .real("push_pressure", &TownshipParameters::push_pressure, 1.0, 0.0, 100.0, "1", "Increase of the push rate per unit of the department's pressure (penalty memory + p̂_acc)")
      .real("task_hours", &TownshipParameters::task_hours, 10.0, 0.0, 1e5, "h", "Township hours of one downward task")
      .real("report_hours", &TownshipParameters::report_hours, 1.0, 0.0, 1e5, "h", "Hours of one report or dispatch meeting")
      .integer("report_every", &TownshipParameters::report_every, 5, 0, 100000, "steps", "Steps between reports of a dispatched and ranked task (0: none)")
      .integer("joint_report_every", &TownshipParameters::joint_report_every, 10, 0, 100000, "steps", "Steps between the progress reports each participant of an active joint task asks of every township (0: none)")
      .real("joint_report_hours", &TownshipParameters::joint_report_hours, 0.5, 0.0, 1e5, "h", "Township hours of one joint-task progress report")
      .integer("duplicate_window", &TownshipParameters::duplicate_window, 20, 0, 100000, "steps", "A request on a topic asked by another department within this window is a duplicate")
      .integer("task_deadline", &TownshipParameters::task_deadline, 20, 1, 100000, "steps", "Deadline of a downward task after it is issued")
      .real("w_task", &TownshipParameters::w_task, 0.6, 0.0, 100.0, "1", "Assessment weight of an ordinary downward task")
      .real("w_ranked", &TownshipParameters::w_ranked, 1.2, 0.0, 100.0, "1", "Assessment weight of dispatched and ranked tasks and their reports")
      .real("w_joint", &TownshipParameters::w_joint, 0.8, 0.0, 100.0, "1", "Weight of the township share of county joint tasks")
      .real("w_service", &TownshipParameters::w_service, 0.6, 0.0, 100.0, "1", "Weight of citizen service (rising with the oldest wait)")
      .real("w_request", &TownshipParameters::w_request, 0.5, 0.0, 100.0, "1", "Weight of settling matters itself (with authority)")
      .real("w_cases", &TownshipParameters::w_cases, 0.3, 0.0, 100.0, "1", "Weight of discipline casework for the township's own officer")
      .real("comfort", &TownshipParameters::comfort, 0.6, 0.1, 1.0, "1", "Share of officials' hours that can be worked day after day without tiring")
      .real("fatigue_rise", &TownshipParameters::fatigue_rise, 0.05, 0.0, 10.0, "1/step", "Fatigue gained per step per unit of load above capacity")
      .real("fatigue_decay", &TownshipParameters::fatigue_decay, 0.02, 0.0, 1.0, "1/step", "Fatigue lost per step")
      .real("fatigue_effect", &TownshipParameters::fatigue_effect, 0.4, 0.0, 1.0, "1", "Productivity lost at full fatigue (κ)")
      .real("turnover_base", &TownshipParameters::turnover_base, 0.0005, 0.0, 1.0, "1/step", "Probability per step that an official leaves")
      .real("turnover_fatigue", &TownshipParameters::turnover_fatigue, 0.004, 0.0, 1.0, "1/step", "Added leaving probability at full fatigue (S3: 换了5个纪检专干)")
      .real("newcomer_expertise", &TownshipParameters::newcomer_expertise, 0.4, 0.0, 1.0, "1", "Expertise of a newcomer")
      .real("learning", &TownshipParameters::learning, 0.01, 0.0, 1.0, "1/step", "Expertise gained per step toward one")
      .real("rest_fatigue", &TownshipParameters::rest_fatigue, 1.0, 0.0, 100.0, "1", "Utility of rest per unit of fatigue")
      .real("request_share", &TownshipParameters::request_share, 0.15, 0.0, 1.0, "1", "Share of downward tasks that need a department's decision (做做工作吧, S2)")
      .real("multi_request_share", &TownshipParameters::multi_request_share, 0.3, 0.0, 1.0, "1", "Share of those needing two departments' agreement")
      .real("settle_hours", &TownshipParameters::settle_hours, 1.5, 0.0, 1e5, "h", "Township hours to settle a one-department matter itself (with authority)")
      .real("convene_hours", &TownshipParameters::convene_hours, 3.0, 0.0, 1e5, "h", "Township hours to convene departments on a two-department matter (with authority)")
      .integer("escalate_after", &TownshipParameters::escalate_after, 15, 1, 100000, "steps", "Steps after which an unanswered request goes to leadership")
      .boolean("authority", &TownshipParameters::authority, false, "Townships hold delegated authority (赋权, S2): settle one-department matters, convene departments")
      .real("case_rate", &TownshipParameters::case_rate, 0.003, 0.0, 100.0, "1/step", "Discipline cases per 1,000 residents per step")
      .real("case_hours", &TownshipParameters::case_hours, 30.0, 0.01, 1e5, "h", "Hours to close one township discipline case")
      .real("discipline_officer_hours", &TownshipParameters::discipline_officer_hours, 8.0, 0.0, 24.0, "h", "Hours of a township's discipline officer seconded to its cluster")
      .real("leniency", &TownshipParameters::leniency, 0.8, 0.0, 0.99, "1", "Share of a township officer's case hours lost to 人情 when judging neighbours (S3)")
      .real("case_patience", &TownshipParameters::case_patience, 60.0, 1.0, 1e6, "steps", "Steps after which an open case becomes a petition")
      .boolean("clusters", &TownshipParameters::clusters, false, "Townships grouped in clusters that pool discipline officers (片区协作, S3)")
      .integer("cluster_size", &TownshipParameters::cluster_size, 3, 1, 100000, "count", "Townships per cluster (S3: 12 into 4)");
  m.agent_kind("township", [](const Parameters& p) { return static_cast<std::size_t>(p.townships.count); });
  m.step(kPhaseArrivals, "downward tasks", issue_downward, -10);
  m.step(kPhaseTownships, "requests", answer_requests);
  m.step(kPhaseTownships, "allocate", allocate_townships, 1);
  m.step(kPhaseTownships, "fatigue", fatigue_and_turnover, 2);
  m.tally(tally);
  m.series({"township_downward_tasks", "count", "Downward tasks and report requests received this step"}, Aggregation::Sum,
           [](const State& s) { return s.flows.downward; })
      .series({"township_duplicate_tasks", "count", "Duplicate requests received this step (多头重复)"}, Aggregation::Sum,
              [](const State& s) { return s.flows.duplicates; })
      .series({"township_hours_reporting", "h", "Township hours on reports, dispatch meetings and ranked tasks"},
              Aggregation::Sum, [](const State& s) { return total(s.townships.h_reporting) + total(s.townships.h_ranked); })
      .series({"township_hours_service", "h", "Township hours serving citizens"}, Aggregation::Sum,
              [](const State& s) { return total(s.townships.h_service); })
      .series({"township_hours_joint", "h", "Township hours on their share of county joint tasks"}, Aggregation::Sum,
              [](const State& s) { return total(s.townships.h_joint); })
      .series({"township_fatigue", "1", "Mean township fatigue"}, Aggregation::Mean,
              [](const State& s) { return total(s.townships.fatigue) / static_cast<double>(s.townships.size()); })
      .series({"requests_waiting", "count", "Coordination requests waiting"}, Aggregation::Sum,
              [](const State& s) { return static_cast<double>(s.requests.size()); })
      .series({"township_cases_open", "count", "Township discipline cases open"}, Aggregation::Sum,
              [](const State& s) { return static_cast<double>(s.township_cases.size()); });
  m.agents("township", {"fatigue", "1", "Fatigue"}, per_township(&Townships::fatigue))
      .agents("township", {"hours_reporting", "h", "Hours on reports and dispatch meetings"}, per_township(&Townships::h_reporting))
      .agents("township", {"hours_service", "h", "Hours serving citizens"}, per_township(&Townships::h_service));
  m.summary({"township_duplicate_tasks_total", "count", "Duplicate requests townships received"}, true, Aggregation::Sum,
            [](const State& s, std::size_t) { return s.totals.duplicates; })
      .summary({"township_hours_reporting_total", "h", "Township hours on reports, dispatch meetings and ranked tasks"},
               true, Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.reporting; })
      .summary({"township_hours_service_total", "h", "Township hours serving citizens"}, true, Aggregation::Sum,
               [](const State& s, std::size_t) { return s.totals.service; })
      .summary({"citizen_intake_wait_mean", "steps", "Mean steps a walk-in demand waits for the township's intake"},
               false, Aggregation::Mean,
               [](const State& s, std::size_t) { return s.totals.intakes > 0.0 ? s.totals.intake_wait / s.totals.intakes : 0.0; })
      .summary({"township_programme_tasks_total", "count", "Tasks departments' programmes pushed down to townships"},
               false, Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.programme_tasks; })
      .summary({"township_downward_total", "count", "Downward tasks and report requests townships received"}, false,
               Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.downward; })
      .summary({"hours_wasted_duplicate_total", "h", "Township hours spent on duplicate requests"}, false,
               Aggregation::Sum, [](const State& s, std::size_t) { return s.totals.wasted_duplicate; })
      .summary({"township_fatigue_mean", "1", "Mean township fatigue over the run"}, false, Aggregation::Mean,
               [](const State& s, std::size_t steps) { return s.totals.fatigue_sum / static_cast<double>(steps); })
      .summary({"township_turnover_total", "count", "Officials who left"}, false, Aggregation::Sum,
               [](const State& s, std::size_t) { return s.totals.turnover; })
      .summary({"township_case_time_mean", "steps", "Mean time to close a township discipline case"}, false,
               Aggregation::Mean, [](const State& s, std::size_t) {
                 return s.totals.township_cases_closed > 0.0 ? s.totals.township_case_wait / s.totals.township_cases_closed
                                                             : std::numeric_limits<double>::quiet_NaN();
               })
      // Every case of the run, closed ones at their time and open ones at steps − arrival (the soonest
      // they could still close): right-censored, so a lower bound of the mean case time that, unlike
      // township_case_time_mean, does not leave out the long cases still open at the end.
      .summary({"township_case_age_mean", "steps",
                "Mean time of a township discipline case, cases still open at the end at their age (a lower bound)"},
               false, Aggregation::Mean, [](const State& s, std::size_t steps) {
                 double time = s.totals.township_case_wait;
                 for (const auto& k : s.township_cases) time += static_cast<double>(static_cast<std::int64_t>(steps) - k.arrived);
                 const double cases = s.totals.township_cases_closed + static_cast<double>(s.township_cases.size());
                 return cases > 0.0 ? time / cases : std::numeric_limits<double>::quiet_NaN();
               });
  m.ledger("township_hours", [](const State& s, sim::Ledger& l) {
    const auto& w = s.townships;
    const double officer = s.parameters.townships.clusters ? s.parameters.townships.discipline_officer_hours : 0.0;
    for (std::size_t t = 0; t < w.size(); ++t) {
      l.used.push_back(w.capacity_used[t]);
      l.available.push_back(std::max(0.0, w.officials[t] * s.parameters.townships.hours_per_official - officer));
    }
  });
  return m;
}

}  // namespace coordsim::models::society
