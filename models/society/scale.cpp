// Scale (MODEL.md §2): a province (≈ 100 counties) or the nation (≈ 2,800 counties, ≈ 40,000
// townships) from the scenario's county as a template. Each county's traits — departments,
// townships, residents per township, the leads' rank — are drawn around the template from setup
// streams keyed by county id and scale.seed, so every replication and variant meets the same
// counties. The counties are the members of a sim::Ensemble: each an ordinary county world (its own
// State and random streams) stepped through the model's phases, the counties in parallel. They are
// coupled through the provincial leadership only: at the start of every step a serial province phase
// shares scale.province_attention per province among the province's counties in proportion to the
// township requests each county has escalated to its leadership and still not settled (the 条 of
// the province listening to where the 块 below are stuck), and lends each county its share for the
// step (State::upper_attention, added to the county leadership's budget in leadership.cpp).
// Series and summaries combine the counties by each reporter's declared aggregation; per-agent
// outputs concatenate the counties' agents and add a `county` kind. scale.counties = 1 (the
// default) is the single county, untouched.
#include "scale.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "coordsim/sim/ensemble.hpp"

namespace coordsim::models::society {
namespace {


// The provincial level: its attention per province and step, the counties' escalations it reads and
// the shares it lends.
struct ProvinceLevel {
  std::size_t provinces = 1;
  double attention = 0.0;
  std::vector<double> escalated, lent;  // per county, this step
};

double escalated_requests(const State& county) {
  double n = 0.0;
  for (const auto& rq : county.requests) n += rq.escalated ? 1.0 : 0.0;
  return n;
}

sim::EnsembleSpec<State, ProvinceLevel> province_spec() {
  const auto& c = *composition();
  const std::size_t overdue = c.series_index("items_overdue"), done = c.series_index("items_done");
  const std::size_t petitions = c.series_index("petitions"), fatigue = c.series_index("township_fatigue");
  const std::size_t duplicates = c.series_index("township_duplicate_tasks");
  sim::EnsembleSpec<State, ProvinceLevel> spec;
  spec.upper_phase = "province";
  spec.members_phase = "counties";
  spec.pass_down = [](ProvinceLevel& province, std::vector<State>& counties) {
    for (std::size_t k = 0; k < counties.size(); ++k) province.escalated[k] = escalated_requests(counties[k]);
    sim::share_by_block(province.escalated, province.provinces, province.attention, province.lent);
    for (std::size_t k = 0; k < counties.size(); ++k) counties[k].upper_attention = province.lent[k];
  };
  spec.member_kind = "county";
  spec.member_variables = {
      {"items_overdue", "count", "Joint-task items open past their deadline"},
      {"items_done", "count", "Joint-task items done this step"},
      {"escalated_requests", "count", "Township requests escalated to the county's leadership and not yet settled"},
      {"province_attention", "1", "Provincial leadership attention lent to the county this step"},
      {"petitions", "count", "Petitions this step"},
      {"township_fatigue", "1", "Mean township fatigue"},
      {"township_duplicate_tasks", "count", "Duplicate requests townships received this step"},
      {"departments", "count", "Departments of the county"},
      {"townships", "count", "Townships of the county"},
  };
  spec.member_values = [=](const ProvinceLevel& province, std::size_t k, const State& county, const double* row,
                           double* values) {
    values[0] = row[overdue];
    values[1] = row[done];
    values[2] = province.escalated[k];
    values[3] = province.lent[k];
    values[4] = row[petitions];
    values[5] = row[fatigue];
    values[6] = row[duplicates];
    values[7] = static_cast<double>(county.departments.size());
    values[8] = static_cast<double>(county.townships.size());
  };
  return spec;
}

}  // namespace

SocietyMechanism scale_mechanism() {
  SocietyMechanism m("scale");
  m.parameters()
      .block("scale", &Parameters::scale)
      .integer("counties", &ScaleParameters::counties, 1, 1, 100000, "count",
               "Counties built from this county as a template (1: the single county, unchanged; MODEL.md §2)")
      .integer("provinces", &ScaleParameters::provinces, 1, 1, 10000, "count",
               "Provinces; counties are split into contiguous near-equal blocks")
      .integer("seed", &ScaleParameters::seed, 1, 0, 1000000000, "1",
               "Seed of the county trait draws (fixed across replications and variants: the counties are given)")
      .real("departments_spread", &ScaleParameters::departments_spread, 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's department count around departments.count (lognormal)")
      .real("townships_spread", &ScaleParameters::townships_spread, 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's township count around townships.count (lognormal)")
      .real("residents_spread", &ScaleParameters::residents_spread, 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's residents per township around townships.residents_mean")
      .real("lead_rank_spread", &ScaleParameters::lead_rank_spread, 0.0, 0.0, 0.5, "1",
            "Half-width of the uniform draw of a county's leads' rank around tasks.lead_rank")
      .real("province_attention", &ScaleParameters::province_attention, 0.0, 0.0, 1e6, "1",
            "Provincial leadership attention per province and step, lent to the province's counties in proportion "
            "to their unsettled escalated township requests; adds to a county's leadership.attention_budget");
  m.check([](const sim::ParamSet& p, std::vector<std::pair<std::string, std::string>>& problems) {
    if (p.integer("scale.provinces") > p.integer("scale.counties"))
      problems.emplace_back("scale.provinces", "must not exceed scale.counties");
  });
  return m;
}

std::vector<Parameters> county_parameters(const Parameters& base) {
  const auto& sc = base.scale;
  const sim::Rng rng(static_cast<std::uint64_t>(sc.seed), 0);
  std::vector<Parameters> out(static_cast<std::size_t>(sc.counties), base);
  // Every county keeps room for its joint tasks' participants and, with clusters, for one cluster.
  const double min_departments = static_cast<double>(std::max<std::int64_t>(2, base.tasks.participants + 1));
  const double min_townships = base.townships.clusters ? static_cast<double>(base.townships.cluster_size) : 1.0;
  for (std::size_t c = 0; c < out.size(); ++c) {
    auto& q = out[c];
    q.departments.count = static_cast<std::int64_t>(std::max(
        min_departments, std::round(static_cast<double>(base.departments.count) *
                                    sim::lognormal_factor(rng, c, purpose::kScaleDepartments, sc.departments_spread))));
    q.townships.count = static_cast<std::int64_t>(std::max(
        min_townships, std::round(static_cast<double>(base.townships.count) *
                                  sim::lognormal_factor(rng, c, purpose::kScaleTownships, sc.townships_spread))));
    q.townships.residents_mean = std::max(
        1.0, base.townships.residents_mean * sim::lognormal_factor(rng, c, purpose::kScaleResidents, sc.residents_spread));
    if (sc.lead_rank_spread > 0.0) {
      auto stream = rng.stream(sim::Rng::kSetupStep, c, purpose::kScaleLeadRank);
      q.tasks.lead_rank = std::clamp(base.tasks.lead_rank + sc.lead_rank_spread * (2.0 * stream.uniform() - 1.0), 0.0, 1.0);
    }
  }
  return out;
}

sim::OutputLayout scaled_layout(const Parameters& base) {
  return sim::ensemble_layout(*composition(), county_parameters(base), province_spec());
}

std::unique_ptr<sim::World> build_scaled_world(const Parameters& base, const sim::BuildContext& context) {
  const auto counties = county_parameters(base);
  const std::size_t n = counties.size();
  ProvinceLevel province{static_cast<std::size_t>(base.scale.provinces), base.scale.province_attention,
                         std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  return sim::make_ensemble<Parameters, State, ProvinceLevel>(composition(), counties, generate, std::move(province),
                                                              province_spec(), context);
}

}  // namespace coordsim::models::society
