// Generation of one county (ODD "Initialisation"): departments with rank, staff, departmentalism β,
// alignment and expertise; joint tasks with a lead, participants and work items (owner, hours,
// deadline, kind, township share placed in one township); townships with officials, residents and
// (when clusters are on) their cluster. Every draw is keyed by (setup step, agent, purpose).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "society.hpp"

namespace coordsim::models::society {

double urgency(std::int64_t deadline, std::int64_t step, double horizon) noexcept {
  const double left = static_cast<double>(deadline - step);
  if (left <= 0.0) return 1.0;
  return 1.0 / (1.0 + left / horizon);
}

double regime_weight(const TaskParameters& p, std::size_t participants) noexcept {
  switch (p.regime) {
    case Regime::OutcomeOnly: return p.w_outcome_owner;
    case Regime::CooperationDegree: return p.w_cooperation;
    case Regime::LeadEvaluates: return p.w_outcome_owner;  // the lead's chasing carries the score (lead_power)
    case Regime::Joint:
      return std::min(p.w_cooperation, p.joint_weight / static_cast<double>(std::max<std::size_t>(1, participants)));
  }
  return p.w_outcome_owner;
}

double review_hours(const Parameters& p) noexcept {
  const auto& d = p.departments;
  return p.citizens.one_stop ? d.signoff_hours * d.one_stop_review_share + d.consultation_hours : d.signoff_hours;
}

namespace {

void generate_departments(State& s, const sim::Rng& rng) {
  const auto& p = s.parameters.departments;
  auto& d = s.departments;
  const auto n = static_cast<std::size_t>(p.count);
  for (auto* v : {&d.rank, &d.staff, &d.beta, &d.alignment, &d.expertise, &d.home_backlog, &d.penalty, &d.p_acc,
                  &d.chase_pressure, &d.h_home, &d.h_items, &d.h_signoff, &d.h_requests, &d.h_chasing, &d.h_others,
                  &d.h_idle, &d.signoff_credit, &d.request_credit})
    v->assign(n, 0.0);
  d.signoff_queue_count.assign(n, 0);
  d.request_queue_count.assign(n, 0);
  d.heads_replaced.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    auto r = rng.stream(sim::Rng::kSetupStep, i, purpose::kDepartment);
    d.rank[i] = p.rank_min + (p.rank_max - p.rank_min) * r.uniform();
    d.staff[i] = p.staff_hours * (0.75 + 0.5 * r.uniform());
    d.beta[i] = std::clamp(p.beta_mean + p.beta_spread * (r.uniform() - 0.5), 0.0, 1.0);
    d.alignment[i] = 0.3 + 0.7 * r.uniform();
    d.expertise[i] = 0.6 + 0.4 * r.uniform();
    d.home_backlog[i] = p.home_load * d.staff[i];
    d.p_acc[i] = s.parameters.commission.audit_probability;
  }
}

void generate_tasks(State& s, const sim::Rng& rng) {
  const auto& p = s.parameters.tasks;
  const auto nd = s.departments.size();
  const auto nt = s.townships.size();
  auto& t = s.tasks;
  auto& it = s.items;
  const auto n = static_cast<std::size_t>(p.count);
  const auto participants = std::min<std::size_t>(static_cast<std::size_t>(p.participants), nd > 0 ? nd - 1 : 0);
  for (std::size_t task = 0; task < n; ++task) {
    auto r = rng.stream(sim::Rng::kSetupStep, task, purpose::kTask);
    const auto lead = static_cast<std::uint32_t>(r.below(nd));
    const std::int64_t start = static_cast<std::int64_t>(r.below(static_cast<std::uint64_t>(p.start_max) + 1));
    t.lead.push_back(lead);
    t.start.push_back(start);
    t.completed_step.push_back(kNever);
    t.core.push_back(r.uniform() < s.parameters.commission.core_task_share ? 1 : 0);
    const bool group =
        p.leading_group && rng.stream(sim::Rng::kSetupStep, task, purpose::kLeadingGroup).uniform() < p.leading_group_share;
    t.leading_group.push_back(group ? 1 : 0);
    t.lead_rank.push_back(group ? p.chair_rank : p.lead_rank);
    t.attention.push_back(0.0);
    t.items_begin.push_back(static_cast<std::uint32_t>(it.size()));
    t.participants.push_back(static_cast<std::uint32_t>(participants));
    // Participants: distinct departments other than the lead (partial Fisher-Yates over the others).
    std::vector<std::uint32_t> others;
    for (std::uint32_t i = 0; i < nd; ++i)
      if (i != lead) others.push_back(i);
    std::int64_t last_deadline = start;
    for (std::size_t k = 0; k < participants; ++k) {
      const auto pick = k + static_cast<std::size_t>(r.below(others.size() - k));
      std::swap(others[k], others[pick]);
      for (std::int64_t j = 0; j < p.items_per_participant; ++j) {
        it.task.push_back(static_cast<std::uint32_t>(task));
        it.owner.push_back(others[k]);
        const bool material = r.uniform() < p.material_share;
        it.material.push_back(material ? 1 : 0);
        const double hours = p.item_hours * (material ? 0.5 : 1.0) * (0.5 + r.uniform());
        it.hours_left.push_back(hours);
        const double share = material ? 0.0 : p.township_share;
        it.township.push_back(nt > 0 ? static_cast<std::uint32_t>(r.below(nt)) : 0);
        it.township_total.push_back(nt > 0 ? hours * share : 0.0);
        it.township_left.push_back(it.township_total.back());
        const auto span = static_cast<std::uint64_t>(p.deadline_max - p.deadline_min + 1);
        const std::int64_t deadline = start + p.deadline_min + static_cast<std::int64_t>(r.below(span));
        it.deadline.push_back(deadline);
        it.done_step.push_back(kNever);
        it.referred_step.push_back(kNever);
        last_deadline = std::max(last_deadline, deadline);
      }
    }
    t.deadline.push_back(last_deadline);
  }
  t.items_begin.push_back(static_cast<std::uint32_t>(it.size()));
  // Items by owner (CSR) and each owner's trust in the lead of the item's task.
  s.owned_begin.assign(nd + 1, 0);
  for (const auto owner : it.owner) ++s.owned_begin[owner + 1];
  std::partial_sum(s.owned_begin.begin(), s.owned_begin.end(), s.owned_begin.begin());
  s.owned.assign(it.size(), 0);
  std::vector<std::uint32_t> fill(s.owned_begin.begin(), s.owned_begin.end() - 1);
  for (std::uint32_t item = 0; item < it.size(); ++item) s.owned[fill[it.owner[item]]++] = item;
  s.trust.assign(it.size(), 0.7);
}

void generate_townships(State& s, const sim::Rng& rng) {
  const auto& p = s.parameters.townships;
  auto& w = s.townships;
  const auto n = static_cast<std::size_t>(p.count);
  for (auto* v : {&w.officials, &w.residents, &w.fatigue, &w.expertise, &w.capacity_used, &w.registered, &w.h_tasks,
                  &w.h_ranked, &w.h_reporting, &w.h_joint, &w.h_requests, &w.h_service, &w.h_cases, &w.h_duplicate,
                  &w.h_idle, &w.h_targets, &w.home_backlog, &w.service_credit, &w.report_duplicate})
    v->assign(n, 0.0);
  w.cluster.assign(n, 0);
  w.turnover.assign(n, 0);
  s.report_due.assign(n, 0.0);
  w.topic_asked.assign(n, std::vector<std::int64_t>(static_cast<std::size_t>(p.topics), kNever));  // never asked
  w.topic_asker.assign(n, std::vector<std::uint32_t>(static_cast<std::size_t>(p.topics), 0));
  for (std::size_t i = 0; i < n; ++i) {
    auto r = rng.stream(sim::Rng::kSetupStep, i, purpose::kTownship);
    w.officials[i] = std::max(2.0, std::round(p.officials_mean * (0.7 + 0.6 * r.uniform())));
    w.residents[i] = p.residents_mean * (0.6 + 0.8 * r.uniform());
    w.expertise[i] = 0.7 + 0.3 * r.uniform();
    w.home_backlog[i] = p.home_load * w.officials[i] * p.hours_per_official;
    w.cluster[i] = static_cast<std::uint32_t>(p.clusters ? i / static_cast<std::size_t>(p.cluster_size) : i);
  }
}

}  // namespace

void generate_county(State& s, const sim::Rng& rng) {
  generate_departments(s, rng);
  generate_townships(s, rng);
  generate_tasks(s, rng);
}

}  // namespace coordsim::models::society
