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
#include "random_streams.hpp"

namespace coordsim::models::governance {


// The scale.* parameters, bound to Parameters::scale.
void declare_scale_parameters(sim::ParamBindings<Parameters>& bindings);
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

// The model's rule for combining an output over counties (ODD "Scale"): summed for counts, hours
// and persons, averaged over the counties that define it otherwise. Every reporter declares its
// aggregation; scale_test checks each declaration against this rule.
bool summed_over_counties(const std::string& units) noexcept;

// Output layout and world of a run with scale.counties > 1: a sim::Ensemble of counties under a
// provincial level (sim/ensemble.hpp).
sim::OutputLayout make_scaled_layout(const Parameters& base);
std::unique_ptr<sim::World> build_scaled_world(const Parameters& base, const sim::BuildContext& context);

}  // namespace coordsim::models::governance
