// World generation (MODEL.md §3.1 departments, §3.2 leads, §3.7 joint tasks and items). Every
// draw comes from a setup stream keyed by the department or task it describes, so two variants
// that differ only in mechanisms (assessment, leading group, costs) meet the same departments,
// the same tasks and the same items; the lead department's rank is the parameter lead.rank
// (functional bureau vs organisation department, S4) and is applied after the draws.
#include "world.hpp"

#include "allocation.hpp"
#include "lead.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace coordsim::models::governance {
namespace {

using sim::Rng;

double uniform_around(sim::RandomStream& stream, double mean, double half_width, double low, double high) {
  const double value = mean + half_width * (2.0 * stream.uniform() - 1.0);
  return std::clamp(value, low, high);
}

// Lognormal with the given mean and coefficient of variation.
double lognormal(sim::RandomStream& stream, double mean, double cv) {
  const double z = stream.normal();
  if (cv <= 0.0) return mean;
  const double sigma2 = std::log1p(cv * cv);
  return mean * std::exp(std::sqrt(sigma2) * z - 0.5 * sigma2);
}

// Goal weights over K goals: exp(focus * z) normalised to sum 1.
void draw_goals(sim::RandomStream& stream, double focus, double* weights, std::size_t goals) {
  double sum = 0.0;
  for (std::size_t k = 0; k < goals; ++k) {
    weights[k] = std::exp(focus * stream.normal());
    sum += weights[k];
  }
  for (std::size_t k = 0; k < goals; ++k) weights[k] /= sum;
}

double cosine(const double* a, const double* b, std::size_t n) {
  double ab = 0.0, aa = 0.0, bb = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return (aa > 0.0 && bb > 0.0) ? ab / std::sqrt(aa * bb) : 0.0;
}

// Builds compressed rows from (row, value) pairs listed in value order.
void compress(std::size_t rows, const std::vector<std::uint32_t>& row_of, std::vector<std::uint32_t>& begin,
              std::vector<std::uint32_t>& values) {
  begin.assign(rows + 1, 0);
  for (const auto r : row_of) ++begin[r + 1];
  for (std::size_t r = 1; r <= rows; ++r) begin[r] += begin[r - 1];
  values.assign(row_of.size(), 0);
  std::vector<std::uint32_t> cursor(begin.begin(), begin.end() - 1);
  for (std::size_t v = 0; v < row_of.size(); ++v) values[cursor[row_of[v]]++] = static_cast<std::uint32_t>(v);
}

}  // namespace

void generate_core(State& s, const sim::Rng& rng) {
  const Parameters& p = s.parameters;
  const auto n_departments = static_cast<std::size_t>(p.departments.count);
  const auto n_tasks = static_cast<std::size_t>(p.tasks.count);
  const auto goals = static_cast<std::size_t>(p.departments.goals);

  // Departments.
  auto& d = s.departments;
  d.rank.resize(n_departments);
  d.capacity.resize(n_departments);
  d.home_rate.resize(n_departments);
  d.backlog.resize(n_departments);
  d.departmentalism.resize(n_departments);
  d.expertise.resize(n_departments);
  d.orientation.resize(n_departments * goals);
  for (std::size_t i = 0; i < n_departments; ++i) {
    auto rank = rng.stream(Rng::kSetupStep, i, purpose::kRank);
    d.rank[i] = uniform_around(rank, p.departments.rank_mean, p.departments.rank_spread, 0.0, 1.0);
    auto staff_stream = rng.stream(Rng::kSetupStep, i, purpose::kStaff);
    const double staff = std::max(1.0, std::round(lognormal(staff_stream, p.departments.staff_mean, p.departments.staff_cv)));
    d.capacity[i] = staff * p.departments.hours_per_staff;
    d.home_rate[i] = p.departments.home_load * d.capacity[i];
    d.backlog[i] = p.departments.initial_backlog * d.capacity[i];
    auto beta = rng.stream(Rng::kSetupStep, i, purpose::kDepartmentalism);
    d.departmentalism[i] = uniform_around(beta, p.departments.departmentalism_mean, p.departments.departmentalism_spread, 0.0, 1.0);
    auto expertise = rng.stream(Rng::kSetupStep, i, purpose::kExpertise);
    d.expertise[i] = uniform_around(expertise, p.departments.expertise_mean, p.departments.expertise_spread, 0.05, 1.0);
    auto orientation = rng.stream(Rng::kSetupStep, i, purpose::kOrientation);
    draw_goals(orientation, p.departments.orientation_focus, d.orientation.data() + i * goals, goals);
  }

  // Leads: a permutation of departments, so tasks are led by distinct departments while there are
  // enough of them. Every lead takes the rank lead.rank.
  std::vector<std::uint32_t> order(n_departments);
  std::iota(order.begin(), order.end(), 0u);
  {
    auto stream = rng.stream(Rng::kSetupStep, 0, purpose::kLeads);
    for (std::size_t i = n_departments - 1; i > 0; --i) std::swap(order[i], order[stream.below(i + 1)]);
  }
  auto& t = s.tasks;
  t.lead.resize(n_tasks);
  t.start.resize(n_tasks);
  t.priority.resize(n_tasks);
  std::vector<double> task_goals(n_tasks * goals);
  for (std::size_t task = 0; task < n_tasks; ++task) {
    t.lead[task] = order[task % n_departments];
    auto traits = rng.stream(Rng::kSetupStep, task, purpose::kTaskTraits);
    t.start[task] = static_cast<std::int64_t>(traits.below(static_cast<std::uint64_t>(p.tasks.start_max) + 1));
    t.priority[task] = 1.0 - p.tasks.priority_spread * traits.uniform();
    draw_goals(traits, p.departments.orientation_focus, task_goals.data() + task * goals, goals);
  }
  for (std::size_t task = 0; task < n_tasks; ++task) d.rank[t.lead[task]] = p.lead.rank;

  // Participants, relations and items, task by task (contiguous).
  const auto participants = static_cast<std::size_t>(p.tasks.participants);
  const auto per_participant = static_cast<std::size_t>(p.tasks.items_per_participant);
  auto& r = s.relations;
  auto& it = s.items;
  t.item_begin.assign(n_tasks + 1, 0);
  t.relation_begin.assign(n_tasks + 1, 0);
  std::vector<std::uint32_t> pool;
  pool.reserve(n_departments);
  const auto deadline_range = static_cast<std::uint64_t>(p.tasks.deadline_max - p.tasks.deadline_min) + 1;
  for (std::size_t task = 0; task < n_tasks; ++task) {
    pool.clear();
    for (std::uint32_t i = 0; i < n_departments; ++i)
      if (i != t.lead[task]) pool.push_back(i);
    auto pick = rng.stream(Rng::kSetupStep, task, purpose::kParticipants);
    for (std::size_t j = 0; j < participants; ++j)
      std::swap(pool[j], pool[j + pick.below(pool.size() - j)]);
    std::sort(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(participants));

    auto item_stream = rng.stream(Rng::kSetupStep, task, purpose::kItems);
    for (std::size_t j = 0; j < participants; ++j) {
      const std::uint32_t owner = pool[j];
      const auto relation = static_cast<std::uint32_t>(r.task.size());
      r.task.push_back(static_cast<std::uint32_t>(task));
      r.department.push_back(owner);
      r.item_begin.push_back(static_cast<std::uint32_t>(it.task.size()));
      r.trust.push_back(p.lead.trust_initial);
      r.chase_pressure.push_back(0.0);
      r.instruction_pressure.push_back(0.0);
      r.alignment.push_back(cosine(d.orientation.data() + owner * goals, task_goals.data() + task * goals, goals));
      for (std::size_t m = 0; m < per_participant; ++m) {
        const bool material = item_stream.uniform() < p.tasks.material_share;
        const double hours = lognormal(item_stream, p.tasks.item_hours_mean, p.tasks.item_hours_cv) *
                             (material ? p.tasks.material_hours_factor : 1.0);
        const auto deadline = t.start[task] + p.tasks.deadline_min +
                              static_cast<std::int64_t>(item_stream.below(deadline_range));
        it.task.push_back(static_cast<std::uint32_t>(task));
        it.owner.push_back(owner);
        it.relation.push_back(relation);
        it.predecessor.push_back(kNone);
        it.material.push_back(material ? 1 : 0);
        it.on_time.push_back(0);
        it.work.push_back(hours);
        it.remaining.push_back(hours);
        it.deadline.push_back(deadline);
        it.done_step.push_back(kNotDone);
      }
      r.item_end.push_back(static_cast<std::uint32_t>(it.task.size()));
    }
    t.item_begin[task + 1] = static_cast<std::uint32_t>(it.task.size());
    t.relation_begin[task + 1] = static_cast<std::uint32_t>(r.task.size());

    // A sequential task is a causal chain in order of deadlines (ties by item id).
    if (p.tasks.dependency == Dependency::Sequential) {
      std::vector<std::uint32_t> chain(t.item_begin[task + 1] - t.item_begin[task]);
      std::iota(chain.begin(), chain.end(), t.item_begin[task]);
      std::stable_sort(chain.begin(), chain.end(),
                       [&](std::uint32_t a, std::uint32_t b) { return it.deadline[a] < it.deadline[b]; });
      for (std::size_t k = 1; k < chain.size(); ++k) it.predecessor[chain[k]] = chain[k - 1];
    }
  }

  // Task state.
  t.lead_alignment.resize(n_tasks);
  for (std::size_t task = 0; task < n_tasks; ++task)
    t.lead_alignment[task] = cosine(d.orientation.data() + t.lead[task] * goals, task_goals.data() + task * goals, goals);
  t.attention.assign(n_tasks, 0.0);
  t.claim.assign(n_tasks, 0.0);
  t.guaranteed.assign(n_tasks, p.lead.leading_group ? 1 : 0);
  t.total_work.assign(n_tasks, 0.0);
  for (std::size_t task = 0; task < n_tasks; ++task)
    for (std::uint32_t i = t.item_begin[task]; i < t.item_begin[task + 1]; ++i) t.total_work[task] += it.work[i];
  t.escalations.assign(n_tasks, 0);
  t.completed_step.assign(n_tasks, kNotDone);
  t.done_work.assign(n_tasks, 0.0);
  t.synergy.assign(n_tasks, p.tasks.dependency == Dependency::Parallel ? 1.0 : 0.0);
  t.on_time.assign(n_tasks, 0);
  t.late.assign(n_tasks, 0);
  t.missing.assign(n_tasks, 0);
  t.open.resize(n_tasks);
  for (std::size_t task = 0; task < n_tasks; ++task) t.open[task] = t.item_begin[task + 1] - t.item_begin[task];

  std::int64_t latest = 0;
  for (const auto deadline : it.deadline) latest = std::max(latest, deadline);
  s.urgency_by_slack.resize(static_cast<std::size_t>(latest) + 1);
  for (std::size_t k = 0; k < s.urgency_by_slack.size(); ++k)
    s.urgency_by_slack[k] = deadline_urgency(static_cast<double>(k), p.allocation.deadline_scale);

  // Constant pressure and chase factors of each relation.
  const double lead_rank = p.effective_lead_rank();
  r.lead_factor.resize(r.size());
  r.chair_factor.resize(r.size());
  r.chase_probability.resize(r.size());
  for (std::size_t k = 0; k < r.size(); ++k) {
    const double owner_rank = d.rank[r.department[k]];
    r.lead_factor[k] = rank_factor(p.allocation.rank_authority, lead_rank, owner_rank);
    r.chair_factor[k] = rank_factor(p.allocation.rank_authority, p.leadership.chair_rank, owner_rank);
    r.chase_probability[k] = chase_probability(p.lead.chase_probability, p.lead.chase_rank_sensitivity, owner_rank, lead_rank);
  }

  // Compressed rows per department.
  compress(n_departments, it.owner, d.owned_begin, d.owned);
  compress(n_departments, r.department, d.relation_begin, d.relations);
  compress(n_departments, t.lead, d.led_begin, d.led);

  // Options of the allocation, counted for its scratch (allocation.cpp): home + own items + (when the
  // lead may substitute) every item of led tasks.
  const bool substitution = p.lead.substitute && p.assessment.regime == Regime::OutcomeOnly;
  d.max_options = 0;
  for (std::size_t i = 0; i < n_departments; ++i) {
    std::uint32_t options = 1 + (d.owned_begin[i + 1] - d.owned_begin[i]);
    if (substitution)
      for (std::uint32_t k = d.led_begin[i]; k < d.led_begin[i + 1]; ++k) {
        const auto task = d.led[k];
        options += t.item_begin[task + 1] - t.item_begin[task];
      }
    d.max_options = std::max(d.max_options, options);
  }
  for (auto* v : {&d.chasing, &d.coordinating_lead, &d.meetings, &d.joint_own, &d.doing_others, &d.home, &d.idle})
    v->assign(n_departments, 0.0);

  s.work = sim::Mailbox<WorkDelivery>(n_departments, n_tasks);
  s.escalations = sim::Mailbox<std::uint32_t>(n_departments, n_tasks);
}

}  // namespace coordsim::models::governance
