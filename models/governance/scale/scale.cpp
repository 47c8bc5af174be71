// Scale (MODEL.md §2, ODD "Scale"): a province (≈ 100 counties) or the nation (≈ 2,800 counties,
// ≈ 40,000 townships) from the scenario's county as a template. Each county's traits (departments,
// staff, townships, residents, lead rank) are drawn around the template from setup streams keyed by
// county id; the counties are the members of a sim::Ensemble: each an ordinary State stepped
// through the model's phases serially, the counties in parallel. Each step a serial province phase
// first shares the provincial leadership attention (scale.province_attention) across the
// province's counties in proportion to their escalations of the previous step and passes each
// county its share (State::upper_attention); a provincial target (scale.province_target) reaches the
// counties' townships through one more level of target escalation (x (1 + e_province)), set in
// each county's parameters when the counties are drawn. Series and summaries aggregate counties
// by each reporter's declared rule (sums for counts and hours, means for shares); per-agent outputs
// concatenate the counties' agents and add a `county` kind.
#include "scale.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "composition.hpp"
#include "coordsim/sim/ensemble.hpp"
#include "coordsim/sim/hash.hpp"
#include "world.hpp"

namespace coordsim::models::governance {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();


// Relative factor: lognormal with mean 1 and coefficient of variation cv (1 when cv = 0).
double relative(const sim::Rng& rng, std::size_t county, std::uint64_t purpose, double cv) {
  return sim::lognormal_factor(rng, county, purpose, cv);
}

}  // namespace

void declare_scale_parameters(sim::ParamBindings<Parameters>& s) {
  s.block("scale", &Parameters::scale).integer("counties", &ScaleParameters::counties, 1, 1, 100000, "count",
            "Counties built from this county as a template (1: the single county, unchanged)")
      .integer("provinces", &ScaleParameters::provinces, 1, 1, 10000, "count", "Provinces; counties are split into contiguous near-equal blocks")
      .integer("seed", &ScaleParameters::seed, 1, 0, 1000000000, "1",
               "Seed of the county trait draws (fixed across replications and variants: the counties are given)")
      .real("departments_spread", &ScaleParameters::departments_spread, 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's department count around departments.count (lognormal)")
      .real("staff_spread", &ScaleParameters::staff_spread, 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's mean department staff around departments.staff_mean")
      .real("townships_spread", &ScaleParameters::townships_spread, 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's township count around grassroots.count")
      .real("residents_spread", &ScaleParameters::residents_spread, 0.0, 0.0, 2.0, "1",
            "Coefficient of variation of a county's mean township residents around grassroots.residents_mean")
      .real("lead_rank_spread", &ScaleParameters::lead_rank_spread, 0.0, 0.0, 0.5, "1",
            "Half-width of the uniform draw of a county's lead rank around lead.rank")
      .real("province_attention", &ScaleParameters::province_attention, 0.0, 0.0, 1000000.0, "1",
            "Provincial leadership attention per step shared among a province's counties by their escalations; "
            "adds to a county's leadership.attention_budget")
      .real("province_target", &ScaleParameters::province_target, 0.0, 0.0, 10.0, "1",
            "Provincial target passed down to townships (0: each county keeps targets.base_target)")
      .real("province_escalation", &ScaleParameters::province_escalation, 0.0, 0.0, 10.0, "1",
            "Escalation of the provincial target on its way to the county, one more level above targets.levels: "
            "township target = province_target x (1 + this) x (1 + targets.escalation)^targets.levels");
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

std::uint64_t county_seed(std::uint64_t seed, std::size_t county) noexcept { return sim::member_seed(seed, county); }

std::size_t province_of(std::size_t county, std::size_t counties, std::size_t provinces) noexcept {
  return sim::block_of(county, counties, provinces);
}

void share_province_attention(const std::vector<double>& escalations, std::size_t provinces, double budget,
                              std::vector<double>& out) {
  sim::share_by_block(escalations, provinces, budget, out);
}

bool summed_over_counties(const std::string& units) noexcept {
  return units == "count" || units == "h" || units == "hours" || units == "persons";
}

namespace {

// The upper level of a province or the nation: provincial leadership, whose attention goes to the
// counties in proportion to their escalations of the previous step.
struct ProvinceLevel {
  std::size_t provinces = 1;
  double attention = 0.0;                // scale.province_attention, per province and step
  std::vector<double> escalations, received;  // per county, this step
};

sim::EnsembleSpec<State, ProvinceLevel> province_spec() {
  const auto& composition = *governance::composition();
  const std::size_t on_time = composition.series_index("items_on_time");
  const std::size_t late = composition.series_index("items_late");
  const std::size_t missing = composition.series_index("items_missing");
  const std::size_t escalations = composition.series_index("escalations");
  const std::size_t petitions = composition.series_index("petitions");
  const std::size_t fatigue = composition.series_index("township_fatigue");
  sim::EnsembleSpec<State, ProvinceLevel> spec;
  spec.upper_phase = "province";
  spec.members_phase = "counties";
  spec.pass_down = [](ProvinceLevel& province, std::vector<State>& counties) {
    const std::size_t n = counties.size();
    for (std::size_t c = 0; c < n; ++c) province.escalations[c] = static_cast<double>(counties[c].escalations_posted);
    share_province_attention(province.escalations, province.provinces, province.attention, province.received);
    for (std::size_t c = 0; c < n; ++c) counties[c].upper_attention = province.received[c];
  };
  spec.member_kind = "county";
  spec.member_variables = {
      {"share_on_time", "1", "Items done on time over items done or missing so far (NaN: none)"},
      {"escalations", "count", "Items escalated to county leadership this step"},
      {"province_attention", "1", "Provincial leadership attention received this step"},
      {"petitions", "count", "Petitions raised this step"},
      {"fatigue", "1", "Mean township fatigue"},
      {"departments", "count", "Departments of the county"},
      {"townships", "count", "Townships of the county"},
  };
  const std::size_t width = composition.layout(std::vector<std::size_t>{}).series.size();
  spec.member_values = [=](const ProvinceLevel& province, std::size_t c, const State& county, const double* r,
                           double* values) {
    const double settled = r[on_time] + r[late] + r[missing];
    values[0] = settled > 0.0 ? r[on_time] / settled : kNaN;
    values[1] = r[escalations];
    values[2] = province.received[c];
    values[3] = petitions < width ? r[petitions] : kNaN;
    values[4] = fatigue < width ? r[fatigue] : kNaN;
    values[5] = static_cast<double>(county.departments.size());
    values[6] = static_cast<double>(county.grassroots.townships.size());
  };
  return spec;
}

}  // namespace

sim::OutputLayout make_scaled_layout(const Parameters& base) {
  return sim::ensemble_layout(*composition(), county_parameters(base), province_spec());
}

std::unique_ptr<sim::World> build_scaled_world(const Parameters& base, const sim::BuildContext& context) {
  const auto counties = county_parameters(base);
  const std::size_t n = counties.size();
  ProvinceLevel province{static_cast<std::size_t>(base.scale.provinces), base.scale.province_attention,
                         std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  return sim::make_ensemble<Parameters, State, ProvinceLevel>(composition(), counties, generate_world,
                                                              std::move(province), province_spec(), context);
}

GovernanceMechanism scale_mechanism() {
  GovernanceMechanism m("scale");
  declare_scale_parameters(m.parameters());
  m.check(check_scale_parameters);
  return m;
}

}  // namespace coordsim::models::governance
