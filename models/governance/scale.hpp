#pragma once
// Scale (MODEL.md §2, ODD "Scale"): a province or the nation built from the scenario's county as a
// template plus per-county trait distributions declared as scale.* parameters. Counties are
// independent worlds (each the State of world.hpp) coupled only through provincial leadership
// attention shared by escalations and a provincial target passed down to township targets.
// scale.counties = 1 (the default) keeps the single-county model untouched (model.cpp).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "coordsim/sim/model.hpp"
#include "coordsim/sim/param.hpp"
#include "parameters.hpp"

namespace coordsim::models::governance {

// Purposes of the scale's setup streams (keyed by county id, from sim::Rng(scale.seed, 0)).
namespace purpose {
inline constexpr std::uint64_t kScaleDepartments = 60;
inline constexpr std::uint64_t kScaleTownships = 61;
inline constexpr std::uint64_t kScaleResidents = 62;
inline constexpr std::uint64_t kScaleLeadRank = 63;
inline constexpr std::uint64_t kScaleStaff = 64;
}  // namespace purpose

// Adds the scale.* parameters to the schema.
void add_scale_parameters(sim::ParamSchema& schema);
void read_scale_parameters(const sim::ParamSet& set, Parameters& parameters);
void check_scale_parameters(const sim::ParamSet& set, std::vector<std::pair<std::string, std::string>>& problems);

// Parameters of every county: the template with the county's drawn traits. Depends only on the
// parameters (scale.seed), never on the run's seed or replication, so the layout is known before a
// run and every replication and variant meets the same counties.
std::vector<Parameters> county_parameters(const Parameters& base);
// Seed of county c's random streams: the run's seed for county 0, a SplitMix64 mix for the others.
std::uint64_t county_seed(std::uint64_t seed, std::size_t county) noexcept;
// Province of a county: counties split into scale.provinces contiguous, near-equal blocks.
std::size_t province_of(std::size_t county, std::size_t counties, std::size_t provinces) noexcept;
// Provincial attention shared across counties in proportion to their escalations (0 to all when
// none escalated). `budget` per province; writes `out[c]` for every county.
void share_province_attention(const std::vector<double>& escalations, std::size_t provinces, double budget,
                              std::vector<double>& out);
// True for a variable aggregated over counties by summing (units count, h, persons); the others
// (shares, means, steps) are averaged over the counties where they are defined.
bool summed_over_counties(const std::string& units) noexcept;

// Output layout and world of a run with scale.counties > 1.
sim::OutputLayout make_scaled_layout(const Parameters& base);
std::unique_ptr<sim::World> build_scaled_world(const Parameters& base, const sim::BuildContext& context);

// Variables of the `county` agent kind (last kind of a scaled layout).
enum CountyVariable : std::size_t {
  kCountyShareOnTime,
  kCountyEscalations,
  kCountyProvinceAttention,
  kCountyPetitions,
  kCountyFatigue,
  kCountyDepartments,
  kCountyTownships,
  kCountyVariableCount
};

}  // namespace coordsim::models::governance
