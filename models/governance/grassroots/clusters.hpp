#pragma once
// Township clusters (片区协作, MODEL.md §3.8): pooled specialists and cross-inspection.
#include <cstddef>

#include "coordsim/sim/model.hpp"
#include "world.hpp"

namespace coordsim::models::governance {

// Cluster of township `township`: consecutive ids in groups of clusters.size when clusters are on,
// the township itself otherwise.
std::size_t cluster_of(const Parameters& parameters, std::size_t township) noexcept;
// Builds the member lists and each cluster's case capacity (called by generate_grassroots).
void build_clusters(State& state);

// The cluster phase: each cluster's specialists work the open report cases of its members, oldest
// first, with the pooled case work of the step; then the layer's petitions of the step are summed
// into State::petitions_this_step. Parallel over clusters; a cluster writes only its members.
void run_clusters_phase(State& state, const sim::StepContext& context);
// Exposed for tests: one cluster at one step.
void work_cluster_cases(State& state, std::size_t cluster, std::int64_t step);

}  // namespace coordsim::models::governance
