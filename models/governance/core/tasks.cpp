// Joint tasks and their work items (专项工作, MODEL.md §3.7). Work posted by departments reaches
// items here, in order of sender id, so the result never depends on thread scheduling. An item is
// done when its remaining work reaches zero: on time when at or before its deadline, late after.
// An open item counts as missing once tasks.missing_after steps past its deadline (S0: "过半部门
// 到期迟交、漏交材料"). Dependencies follow S1's "因果、并列、互补": a sequential item is
// available only after its predecessor is done (enforced by item_available), parallel items are
// independent, and complementary items produce value only when all are done, with a bonus — the
// "1+1>2" of S0 made measurable by the synergy ratio.
#include "tasks.hpp"

#include <algorithm>

namespace coordsim::models::governance {

double synergy_ratio(Dependency dependency, std::span<const double> work, std::span<const double> remaining,
                     std::span<const std::int64_t> done_step, double bonus) noexcept {
  if (dependency == Dependency::Parallel) return 1.0;
  double delivered = 0.0, total = 0.0, completed = 0.0;
  bool all_done = true;
  for (std::size_t i = 0; i < work.size(); ++i) {
    delivered += work[i] - remaining[i];
    total += work[i];
    if (done_step[i] != kNotDone) completed += work[i];
    else all_done = false;
  }
  if (delivered <= 0.0) return 0.0;
  if (dependency == Dependency::Complementary) return all_done ? bonus * total / delivered : 0.0;
  // Sequential: items are available only in chain order, so completed items form a prefix.
  return completed / delivered;
}

void update_task(State& s, std::size_t task, std::int64_t step) {
  auto& it = s.items;
  auto& t = s.tasks;
  // A completed task receives no more work (no item is available) and its counts are final.
  if (t.completed_step[task] != kNotDone) return;
  double delivered = 0.0;
  for (const auto& envelope : s.work.inbox(task)) {
    const std::uint32_t item = envelope.message.item;
    const double applied = std::min(it.remaining[item], envelope.message.work);
    it.remaining[item] -= applied;
    delivered += applied;
  }
  t.done_work[task] += delivered;

  const std::uint32_t begin = t.item_begin[task], end = t.item_begin[task + 1];
  const std::int64_t missing_after = s.parameters.tasks.missing_after;
  std::uint32_t on_time = 0, late = 0, missing = 0, open = 0;
  for (std::uint32_t item = begin; item < end; ++item) {
    if (it.done_step[item] == kNotDone && it.remaining[item] <= 1e-9 * it.work[item]) {
      it.remaining[item] = 0.0;
      it.done_step[item] = step;
      it.on_time[item] = step <= it.deadline[item] ? 1 : 0;
    }
    if (it.done_step[item] != kNotDone) (it.on_time[item] ? on_time : late) += 1;
    else if (step > it.deadline[item] + missing_after) ++missing;
    else ++open;
  }
  t.on_time[task] = on_time;
  t.late[task] = late;
  t.missing[task] = missing;
  t.open[task] = open;
  if (t.completed_step[task] == kNotDone && on_time + late == end - begin) t.completed_step[task] = step;
  const std::size_t count = end - begin;
  t.synergy[task] = synergy_ratio(s.parameters.tasks.dependency, {it.work.data() + begin, count},
                                  {it.remaining.data() + begin, count}, {it.done_step.data() + begin, count},
                                  s.parameters.tasks.complementarity_bonus);
}

void run_tasks_phase(State& s, const sim::StepContext& context) {
  const auto step = static_cast<std::int64_t>(context.step);
  context.execution.for_each(s.tasks.size(), 16, [&](std::size_t task) { update_task(s, task, step); });
}

}  // namespace coordsim::models::governance
