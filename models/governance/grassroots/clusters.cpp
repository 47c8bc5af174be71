// Township clusters (片区协作, MODEL.md §3.8; seed S3 "将全县12个乡镇划分为4个片区,设立片区工作组,
// 以片区内乡镇交叉检查、集中办案等方式"). Reports on officials (举报) are cases for discipline
// specialists. Alone, a township's specialist is mostly diverted to other work
// (grassroots.specialist_diversion, "乡镇纪委书记不务正业"), knows little of casework
// (grassroots.specialist_expertise, "业务知识不精") and local ties suppress a share of reports
// (grassroots.favouritism, "人情式监督、关系式检查"). In a cluster the same specialists — no extra
// staff, "不增加人员" — are pooled across cl…ster members ("集中办案", 专岗专责, clusters.diversion,
// clusters.specialist_expertise) and inspect each other's townships, which removes
// clusters.cross_inspection of the favouritism ("相互监督,才有锐度"). Cases are then handled faster,
// fewer reports are suppressed and fewer unresolved reports become petitions ("信访举报量下降不少").
// Without clusters every township is a cluster of one, so one code path serves both.
#include "clusters.hpp"

#include <algorithm>

#include "citizens.hpp"

namespace coordsim::models::governance {

std::size_t cluster_of(const Parameters& p, std::size_t township) noexcept {
  return p.clusters.enabled ? township / static_cast<std::size_t>(p.clusters.size) : township;
}

void build_clusters(State& s) {
  const Parameters& p = s.parameters;
  auto& g = s.grassroots;
  auto& c = g.clusters;
  const std::size_t n = g.townships.size();
  const std::size_t clusters = n == 0 ? 0 : cluster_of(p, n - 1) + 1;
  g.townships.cluster.resize(n);
  c.member_begin.assign(clusters + 1, 0);
  c.members.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    g.townships.cluster[j] = static_cast<std::uint32_t>(cluster_of(p, j));
    ++c.member_begin[g.townships.cluster[j] + 1];
    c.members[j] = static_cast<std::uint32_t>(j);  // consecutive ids: members are in township order
  }
  for (std::size_t k = 1; k <= clusters; ++k) c.member_begin[k] += c.member_begin[k - 1];
  c.case_capacity.assign(clusters, 0);
  for (std::size_t k = 0; k < clusters; ++k)
    for (std::uint32_t m = c.member_begin[k]; m < c.member_begin[k + 1]; ++m)
      c.case_capacity[k] += g.demands.capacity[c.members[m]];
}

namespace {
// Slots of one cluster's open cases while it is worked. A cluster's cases live only during its step,
// so the scratch is one per thread, not one per cluster: it grows to the largest cluster that thread
// has worked, once (untouched memory, so a reserve sized for rare peaks costs address space only).
std::uint32_t* case_scratch(std::size_t slots) {
  thread_local UntouchedArray<std::uint32_t> scratch;
  if (scratch.size() < slots) scratch = UntouchedArray<std::uint32_t>(slots);
  return scratch.data();
}
}  // namespace

void work_cluster_cases(State& s, std::size_t cluster, std::int64_t step) {
  auto& g = s.grassroots;
  auto& c = g.clusters;
  auto& d = g.demands;
  std::uint32_t* cases = case_scratch(c.case_capacity[cluster]);
  std::size_t count = 0;
  double pool = 0.0;
  for (std::uint32_t m = c.member_begin[cluster]; m < c.member_begin[cluster + 1]; ++m) {
    const auto j = c.members[m];
    pool += g.townships.specialist_case_work[j];
    for (std::uint32_t slot = d.block_begin[j]; slot < d.used_end[j]; ++slot) {
      const std::uint8_t flags = d[slot].flags;
      if ((flags & kOpen) && (flags & kReport) && (flags & kIntaken) && !(flags & kSuppressed)) cases[count++] = slot;
    }
  }
  // Oldest first; slot ids break ties, so the order never depends on scheduling.
  std::sort(cases, cases + count, [&](std::uint32_t a, std::uint32_t b) {
    return d[a].arrival != d[b].arrival ? d[a].arrival < d[b].arrival : a < b;
  });
  for (std::size_t k = 0; k < count && pool > 0.0; ++k) {
    const std::uint32_t slot = cases[k];
    const double remaining = d[slot].case_remaining();
    const double work = std::min(pool, remaining);
    d[slot].set_case_remaining(remaining - work);
    pool -= work;
    if (remaining - work <= 1e-9) {
      d[slot].set_case_remaining(0.0);
      // The owning township: blocks are contiguous and in township order.
      const auto owner = static_cast<std::size_t>(std::upper_bound(d.block_begin.begin(), d.block_begin.end(), slot) -
                                                  d.block_begin.begin() - 1);
      resolve_demand(s, owner, slot, step);
    }
  }
}

void run_clusters_phase(State& s, const sim::StepContext& context) {
  auto& g = s.grassroots;
  if (g.townships.size() == 0) return;
  const auto step = static_cast<std::int64_t>(context.step);
  context.execution.for_each(g.clusters.size(), 2, [&](std::size_t k) { work_cluster_cases(s, k, step); });
  double petitions = 0.0;
  for (const auto& counters : g.townships.citizens) petitions += counters.petitions;
  s.petitions_this_step = petitions;
}

}  // namespace coordsim::models::governance
