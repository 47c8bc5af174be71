#pragma once
// Every random-stream purpose of the governance model, in one place (ODD "Stochasticity"). A draw
// is keyed by (seed, replication) and the counter (step, agent, purpose, draw): one constant per
// use, so that a draw depends only on what it is for, never on thread or scheduling, and variants
// share draws (common random numbers). A value must never be given to two uses of one generator.
#include <cstdint>

namespace coordsim::models::governance::purpose {

// World generation (world.cpp), setup step, keyed by department or task.
inline constexpr std::uint64_t kRank = 1;
inline constexpr std::uint64_t kStaff = 2;
inline constexpr std::uint64_t kDepartmentalism = 3;
inline constexpr std::uint64_t kExpertise = 4;
inline constexpr std::uint64_t kOrientation = 5;
inline constexpr std::uint64_t kLeads = 6;
inline constexpr std::uint64_t kParticipants = 7;
inline constexpr std::uint64_t kTaskTraits = 8;
inline constexpr std::uint64_t kItems = 9;
// Departments and leads while stepping.
inline constexpr std::uint64_t kHomeArrivals = 20;
inline constexpr std::uint64_t kChase = 21;
inline constexpr std::uint64_t kInstruction = 22;
// County-level mechanisms (discipline, decisions, levels, costs).
inline constexpr std::uint64_t kDisciplineReferral = 40;  // setup, per task
inline constexpr std::uint64_t kDisciplineCore = 41;
inline constexpr std::uint64_t kDisciplineOutcome = 42;
inline constexpr std::uint64_t kDecisionItems = 43;  // setup, per item
inline constexpr std::uint64_t kDecision = 44;
inline constexpr std::uint64_t kConsultation = 45;
inline constexpr std::uint64_t kGrassrootsItems = 46;  // setup, per item
// Grassroots and citizen layer (grassroots, targets, citizens, clusters).
inline constexpr std::uint64_t kTownshipTraits = 60;  // setup, per township
inline constexpr std::uint64_t kTurnover = 61;        // per township and step
inline constexpr std::uint64_t kDemandArrivals = 62;  // per township and step
inline constexpr std::uint64_t kDemandProgress = 63;  // per township and step
inline constexpr std::uint64_t kAssessment = 64;      // per township and step

// County traits of a province or the nation (scale.cpp). These draw from the scale's own generator
// sim::Rng(scale.seed, 0), never from a county's, so they share no stream with the ids above even
// where the numbers coincide (kept so that results stay bit-identical).
inline constexpr std::uint64_t kScaleDepartments = 60;
inline constexpr std::uint64_t kScaleTownships = 61;
inline constexpr std::uint64_t kScaleResidents = 62;
inline constexpr std::uint64_t kScaleLeadRank = 63;
inline constexpr std::uint64_t kScaleStaff = 64;

}  // namespace coordsim::models::governance::purpose
