#pragma once
// Scale (MODEL.md §2): a province or the nation of counties built from the scenario's county as a
// template (scale.cpp). scale.counties = 1 (the default) is the single county of model.cpp.
#include <memory>
#include <vector>

#include "coordsim/sim/model.hpp"
#include "society.hpp"

namespace coordsim::models::society {

// Parameters of every county: the template with the county's drawn traits. Depends only on the
// parameters (scale.seed), never on the run's seed or replication.
std::vector<Parameters> county_parameters(const Parameters& base);

// Output layout and world of a run with scale.counties > 1: a sim::Ensemble of counties under a
// provincial level.
sim::OutputLayout scaled_layout(const Parameters& base);
std::unique_ptr<sim::World> build_scaled_world(const Parameters& base, const sim::BuildContext& context);

}  // namespace coordsim::models::society
