// Scale (MODEL.md §2, ODD "Scale"): a province (≈ 100 counties) or the nation (≈ 2,800 counties,
// ≈ 40,000 townships) from the scenario's county as a template. Each county's traits (departments,
// staff, townships, residents, lead rank) are drawn around the template from setup streams keyed by
// county id; each county is an ordinary State stepped through the model's phases serially, and the
// counties run in parallel. Each step a serial province phase first shares the provincial
// leadership attention (scale.province_attention) across the province's counties in proportion to
// their escalations of the previous step; a provincial target (scale.province_target) reaches the
// counties' townships through one more level of target escalation (x (1 + e_province)). Series and
// summaries aggregate counties (sums for counts and hours, means for shares); per-agent outputs
// concatenate the counties' agents and add a `county` kind.
#include "scale.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "allocation.hpp"
#include "clusters.hpp"
#include "grassroots.hpp"
#include "grassroots_outputs.hpp"
#include "lead.hpp"
#include "leadership.hpp"
#include "mechanism_outputs.hpp"
#include "mechanisms.hpp"
#include "outputs.hpp"
#include "tasks.hpp"
#include "world.hpp"

namespace coordsim::models::governance {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Relative factor: lognormal with mean 1 and coefficient of variation cv (1 when cv = 0).
double relative(const sim::Rng& rng, std::size_t county, std::uint64_t purpose, double cv) {
  if (cv <= 0.0) return 1.0;
  auto stream = rng.stream(sim::Rng::kSetupStep, county, purpose);
  const double sigma2 = std::log1p(cv * cv);
  return std::exp(std::sqrt(sigma2) * stream.normal() - 0.5 * sigma2);
}

}  // namespace

void add_scale_parameters(sim::ParamSchema& s) {
  s.integer("scale.counties", 1, 1, 100000, "count",
            "Counties built from this county as a template (1: the single county, unchanged)")
      .integer("scale.provinces", 1, 1, 10000, "count", "Provinces; counties are split into contiguous near-equal blocks")
      .integer("scale.seed", 1, 0, 1000000000, "1",
               "Seed of the county trait draws (fixed across replications and variants: the counties are given)")
      .real("scale.departments_spread", 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's department count around departments.count (lognormal)")
      .real("scale.staff_spread", 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's mean department staff around departments.staff_mean")
      .real("scale.townships_spread", 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's township count around grassroots.count")
      .real("scale.residents_spread", 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's mean township residents around grassroots.residents_mean")
      .real("scale.lead_rank_spread", 0.0, 0.0, 0.5, "1",
            "Half-width of the uniform draw of a county's lead rank around lead.rank")
      .real("scale.province_attention", 0.0, 0.0, 1000000.0, "1",
            "Provincial leadership attention per step shared among a province's counties by their escalations; "
            "adds to a county's leadership.attention_budget")
      .real("scale.province_target", 0.0, 0.0, 10.0, "1",
            "Provincial target passed down to townships (0: each county keeps targets.base_target)")
      .real("scale.province_escalation", 0.0, 0.0, 10.0, "1",
            "Escalation of the provincial target on its way to the county, one more level above targets.levels: "
            "township target = province_target x (1 + this) x (1 + targets.escalation)^targets.levels");
}

void read_scale_parameters(const sim::ParamSet& p, Parameters& q) {
  auto& c = q.scale;
  c.counties = p.integer("scale.counties");
  c.provinces = p.integer("scale.provinces");
  c.seed = p.integer("scale.seed");
  c.departments_spread = p.real("scale.departments_spread");
  c.staff_spread = p.real("scale.staff_spread");
  c.townships_spread = p.real("scale.townships_spread");
  c.residents_spread = p.real("scale.residents_spread");
  c.lead_rank_spread = p.real("scale.lead_rank_spread");
  c.province_attention = p.real("scale.province_attention");
  c.province_target = p.real("scale.province_target");
  c.province_escalation = p.real("scale.province_escalation");
}

void check_scale_parameters(const sim::ParamSet& p, std::vector<std::pair<std::string, std::string>>& problems) {
  if (p.integer("scale.provinces") > p.integer("scale.counties"))
    problems.emplace_back("scale.provinces", "must not exceed scale.counties");
}

std::vector<Parameters> county_parameters(const Parameters& base) {
  const auto& sc = base.scale;
  const auto counties = static_cast<std::size_t>(sc.counties);
  const sim::Rng rng(static_cast<std::uint64_t>(sc.seed), 0);
  std::vector<Parameters> out(counties, base);
  const double min_departments = static_cast<double>(std::max<std::int64_t>(2, base.tasks.participants + 1));
  const double min_townships = base.clusters.enabled ? static_cast<double>(base.clusters.size) : 1.0;
  for (std::size_t c = 0; c < counties; ++c) {
    auto& q = out[c];
    q.departments.count = static_cast<std::int64_t>(std::max(
        min_departments,
        std::round(static_cast<double>(base.departments.count) * relative(rng, c, purpose::kScaleDepartments,
                                                                          sc.departments_spread))));
    q.departments.staff_mean =
        std::max(1.0, base.departments.staff_mean * relative(rng, c, purpose::kScaleStaff, sc.staff_spread));
    if (base.grassroots.count > 0)
      q.grassroots.count = static_cast<std::int64_t>(std::max(
          min_townships, std::round(static_cast<double>(base.grassroots.count) *
                                    relative(rng, c, purpose::kScaleTownships, sc.townships_spread))));
    q.grassroots.residents_mean =
        std::max(1.0, base.grassroots.residents_mean * relative(rng, c, purpose::kScaleResidents, sc.residents_spread));
    if (sc.lead_rank_spread > 0.0) {
      auto stream = rng.stream(sim::Rng::kSetupStep, c, purpose::kScaleLeadRank);
      q.lead.rank = std::clamp(base.lead.rank + sc.lead_rank_spread * (2.0 * stream.uniform() - 1.0), 0.0, 1.0);
    }
    if (sc.province_target > 0.0) {
      // The province sets the target at the top; the province -> county step is one more level of
      // the existing escalation (targets.cpp): levels L + 1 with a common factor 1 + e' such that
      // (1 + e')^(L + 1) = (1 + e_province)(1 + e)^L, capped by targets.target_cap as before.
      const auto levels = static_cast<double>(base.targets.levels);
      const double factor = (1.0 + sc.province_escalation) * std::pow(1.0 + base.targets.escalation, levels);
      q.targets.base_target = sc.province_target;
      q.targets.levels = base.targets.levels + 1;
      q.targets.escalation = std::pow(factor, 1.0 / (levels + 1.0)) - 1.0;
    }
  }
  return out;
}

std::uint64_t county_seed(std::uint64_t seed, std::size_t county) noexcept {
  return county == 0 ? seed : splitmix64(seed ^ splitmix64(0x5CA1E000ULL + county));
}

std::size_t province_of(std::size_t county, std::size_t counties, std::size_t provinces) noexcept {
  return counties == 0 ? 0 : county * provinces / counties;
}

void share_province_attention(const std::vector<double>& escalations, std::size_t provinces, double budget,
                              std::vector<double>& out) {
  const std::size_t n = escalations.size();
  out.assign(n, 0.0);
  if (budget <= 0.0 || n == 0) return;
  std::vector<double> total(provinces, 0.0);
  for (std::size_t c = 0; c < n; ++c) total[province_of(c, n, provinces)] += escalations[c];
  for (std::size_t c = 0; c < n; ++c) {
    const double sum = total[province_of(c, n, provinces)];
    out[c] = sum > 0.0 ? budget * escalations[c] / sum : 0.0;
  }
}

bool summed_over_counties(const std::string& units) noexcept {
  return units == "count" || units == "h" || units == "hours" || units == "persons";
}

namespace {

sim::AgentKindSpec county_kind(std::size_t counties) {
  return {"county",
          counties,
          {
              {"share_on_time", "1", "Items done on time over items done or missing so far (NaN: none)"},
              {"escalations", "count", "Items escalated to county leadership this step"},
              {"province_attention", "1", "Provincial leadership attention received this step"},
              {"petitions", "count", "Petitions raised this step"},
              {"fatigue", "1", "Mean township fatigue"},
              {"departments", "count", "Departments of the county"},
              {"townships", "count", "Townships of the county"},
          }};
}

sim::OutputLayout county_layout(const Parameters& q) {
  return make_layout(static_cast<std::size_t>(q.departments.count), static_cast<std::size_t>(q.tasks.count),
                     static_cast<std::size_t>(q.grassroots.count));
}

sim::OutputLayout scaled_layout(const std::vector<Parameters>& counties) {
  std::size_t departments = 0, tasks = 0, townships = 0;
  for (const auto& q : counties) {
    departments += static_cast<std::size_t>(q.departments.count);
    tasks += static_cast<std::size_t>(q.tasks.count);
    townships += static_cast<std::size_t>(q.grassroots.count);
  }
  sim::OutputLayout layout = make_layout(departments, tasks, townships);
  layout.agent_kinds.push_back(county_kind(counties.size()));
  return layout;
}

std::size_t series_index(const sim::OutputLayout& layout, const char* name) {
  for (std::size_t i = 0; i < layout.series.size(); ++i)
    if (layout.series[i].name == name) return i;
  return layout.series.size();
}

// Aggregates county rows ([county][variable]) into `out` by the units rule.
void aggregate(const std::vector<double>& rows, std::size_t counties, std::size_t width,
               const std::vector<std::uint8_t>& summed, double* out) {
  for (std::size_t v = 0; v < width; ++v) {
    double sum = 0.0, defined = 0.0;
    for (std::size_t c = 0; c < counties; ++c) {
      const double x = rows[c * width + v];
      if (std::isnan(x)) continue;
      sum += x;
      defined += 1.0;
    }
    out[v] = summed[v] ? (defined > 0.0 ? sum : kNaN) : (defined > 0.0 ? sum / defined : kNaN);
  }
}

void run_county_step(State& s, const sim::StepContext& c) {
  run_leadership_phase(s, c);
  run_lead_phase(s, c);
  run_mechanisms_phase(s, c);
  run_departments_phase(s, c);
  run_tasks_phase(s, c);
  run_townships_phase(s, c);
  run_clusters_phase(s, c);
}

class ScaledWorld final : public sim::World {
 public:
  ScaledWorld(const Parameters& base, const sim::BuildContext& context)
      : base_(base), steps_(context.steps), serial_(1) {
    auto parameters = county_parameters(base);
    const std::size_t n = parameters.size();
    provinces_ = static_cast<std::size_t>(base.scale.provinces);
    rngs_.reserve(n);
    for (std::size_t c = 0; c < n; ++c) rngs_.emplace_back(county_seed(context.seed, c), context.replication);
    counties_.resize(n);
    // Counties are generated in parallel: each from its own streams, into its own slot.
    context.execution.for_each(n, 1, [&](std::size_t c) { counties_[c] = generate_world(parameters[c], rngs_[c]); });
    budget_.resize(n);
    for (std::size_t c = 0; c < n; ++c) budget_[c] = parameters[c].leadership.attention_budget;
    received_.assign(n, 0.0);
    escalations_.assign(n, 0.0);
    layout_ = county_layout(parameters[0]);
    for (const auto& v : layout_.series) summed_series_.push_back(summed_over_counties(v.units) ? 1 : 0);
    for (const auto& v : layout_.summaries) summed_summaries_.push_back(summed_over_counties(v.variable.units) ? 1 : 0);
    petitions_ = series_index(layout_, "petitions");
    fatigue_ = series_index(layout_, "township_fatigue");
    counts_.resize(n);
    for (std::size_t c = 0; c < n; ++c)
      counts_[c] = {static_cast<std::size_t>(parameters[c].departments.count),
                    static_cast<std::size_t>(parameters[c].tasks.count),
                    static_cast<std::size_t>(parameters[c].grassroots.count)};

    phases_.push_back({"province", [this](const sim::StepContext& c) { province_phase(c); }});
    phases_.push_back({"counties", [this](const sim::StepContext& c) {
                         c.execution.for_each(counties_.size(), 1, [&](std::size_t k) {
                           const sim::StepContext county{c.step, rngs_[k], serial_};
                           run_county_step(counties_[k], county);
                         });
                       }});
  }

  const std::vector<sim::Phase>& phases() const override { return phases_; }

  void record(const sim::StepContext& context, sim::Recorder& recorder) override {
    if (slots_.empty()) make_slots(recorder);
    const std::size_t n = counties_.size(), width = layout_.series.size(), step = context.step;
    const bool agents = recorder.agents_due(step);
    rows_.resize(n * width);
    context.execution.for_each(slots_.size(), 1, [&](std::size_t k) {
      auto& slot = *slots_[k];
      for (std::size_t c = slot.first; c < slot.last; ++c) {
        State& s = counties_[c];
        record_step(s, step, *slot.recorder);
        record_mechanisms(s, step, *slot.recorder);
        record_grassroots(s, step, *slot.recorder);
        std::memcpy(rows_.data() + c * width, slot.recorder->series_row(step), width * sizeof(double));
        if (agents) copy_agents(c, step, *slot.recorder, recorder);
      }
    });
    aggregate(rows_, n, width, summed_series_, recorder.series_row(step));
    if (!agents) return;
    const std::size_t kind = recorder_kinds_;  // the county kind, after the county layout's kinds
    double* rows[kCountyVariableCount];
    for (std::size_t v = 0; v < kCountyVariableCount; ++v) rows[v] = recorder.agent_row(kind, v, step);
    for (std::size_t c = 0; c < n; ++c) {
      const double* r = rows_.data() + c * width;
      const double settled = r[kItemsOnTime] + r[kItemsLate] + r[kItemsMissing];
      rows[kCountyShareOnTime][c] = settled > 0.0 ? r[kItemsOnTime] / settled : kNaN;
      rows[kCountyEscalations][c] = r[kEscalations];
      rows[kCountyProvinceAttention][c] = received_[c];
      rows[kCountyPetitions][c] = petitions_ < width ? r[petitions_] : kNaN;
      rows[kCountyFatigue][c] = fatigue_ < width ? r[fatigue_] : kNaN;
      rows[kCountyDepartments][c] = static_cast<double>(counts_[c][0]);
      rows[kCountyTownships][c] = static_cast<double>(counts_[c][2]);
    }
  }

  void summarize(std::size_t steps, sim::Recorder& recorder) override {
    const std::size_t n = counties_.size(), width = layout_.summaries.size();
    std::vector<double> rows(n * width, kNaN);
    if (slots_.empty()) return;
    for (auto& slot : slots_) {  // serial: cheap, once per run
      for (std::size_t c = slot->first; c < slot->last; ++c) {
        summarize_run(counties_[c], steps, *slot->recorder);
        summarize_mechanisms(counties_[c], steps, *slot->recorder);
        summarize_grassroots(counties_[c], steps, *slot->recorder);
        std::memcpy(rows.data() + c * width, slot->recorder->summaries(), width * sizeof(double));
      }
    }
    aggregate(rows, n, width, summed_summaries_, recorder.summaries());
  }

  std::vector<std::pair<double, double>> hours_balance() const override {
    std::vector<std::pair<double, double>> balance;
    for (const State& s : counties_) {
      const auto& d = s.departments;
      for (std::size_t i = 0; i < d.size(); ++i)
        balance.emplace_back(d.chasing[i] + d.coordinating_lead[i] + d.meetings[i] + d.joint_own[i] + d.doing_others[i] +
                                 d.home[i] + mechanism_hours(s, i),
                             d.capacity[i]);
      append_township_hours_balance(s, balance);
    }
    return balance;
  }

  // For tests.
  const std::vector<State>& counties() const noexcept { return counties_; }

 private:
  struct Slot {
    std::size_t first = 0, last = 0;
    sim::OutputLayout layout;
    sim::RunRecord record;
    std::unique_ptr<sim::Recorder> recorder;
  };

  void province_phase(const sim::StepContext&) {
    const std::size_t n = counties_.size();
    for (std::size_t c = 0; c < n; ++c) escalations_[c] = static_cast<double>(counties_[c].escalations_posted);
    share_province_attention(escalations_, provinces_, base_.scale.province_attention, received_);
    for (std::size_t c = 0; c < n; ++c)
      counties_[c].parameters.leadership.attention_budget = budget_[c] + received_[c];
  }

  // Scratch recorders: one per county when per-agent outputs are on (each county's layout has its
  // own agent counts), else one per block of counties (series and summaries only, reused).
  void make_slots(sim::Recorder& recorder) {
    const bool agents_on = recorder.agents_due(0);
    const std::size_t every = agents_on ? recorder.agent_every() : steps_;
    recorder_kinds_ = layout_.agent_kinds.size();
    const std::size_t n = counties_.size();
    const std::size_t block = agents_on ? 1 : 16;
    offsets_.assign(agents_on ? n : 0, std::vector<std::size_t>(recorder_kinds_, 0));
    std::vector<std::size_t> offset(recorder_kinds_, 0);
    for (std::size_t first = 0; first < n; first += block) {
      auto slot = std::make_unique<Slot>();
      slot->first = first;
      slot->last = std::min(n, first + block);
      if (agents_on) {
        slot->layout = make_layout(counts_[first][0], counts_[first][1], counts_[first][2]);
        offsets_[first] = offset;
        for (std::size_t k = 0; k < recorder_kinds_; ++k) offset[k] += slot->layout.agent_kinds[k].count;
      } else {
        slot->layout = layout_;
      }
      slot->recorder = std::make_unique<sim::Recorder>(slot->layout, steps_, agents_on, every, slot->record);
      slots_.push_back(std::move(slot));
    }
  }

  void copy_agents(std::size_t c, std::size_t step, sim::Recorder& from, sim::Recorder& to) {
    const auto& layout = slots_[c]->layout;
    for (std::size_t k = 0; k < recorder_kinds_; ++k) {
      const std::size_t count = layout.agent_kinds[k].count;
      if (count == 0) continue;
      for (std::size_t v = 0; v < layout.agent_kinds[k].variables.size(); ++v)
        std::memcpy(to.agent_row(k, v, step) + offsets_[c][k], from.agent_row(k, v, step), count * sizeof(double));
    }
  }

  Parameters base_;
  std::size_t steps_;
  sim::ExecutionContext serial_;
  std::size_t provinces_ = 1;
  std::vector<sim::Rng> rngs_;
  std::vector<State> counties_;
  std::vector<double> budget_, received_, escalations_;
  std::vector<std::array<std::size_t, 3>> counts_;
  sim::OutputLayout layout_;  // of county 0: series and summaries (identical for every county)
  std::vector<std::uint8_t> summed_series_, summed_summaries_;
  std::size_t petitions_ = 0, fatigue_ = 0, recorder_kinds_ = 0;
  std::vector<double> rows_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::vector<std::size_t>> offsets_;
  std::vector<sim::Phase> phases_;
};

}  // namespace

sim::OutputLayout make_scaled_layout(const Parameters& base) { return scaled_layout(county_parameters(base)); }

std::unique_ptr<sim::World> build_scaled_world(const Parameters& base, const sim::BuildContext& context) {
  return std::make_unique<ScaledWorld>(base, context);
}

}  // namespace coordsim::models::governance
